-- name: insert_tasks
INSERT INTO tasks (id, user_id, task_type, priority, payload, max_retries, estimated_duration_ms)
SELECT * FROM unnest($1::uuid[], $2::text[], $3::text[], $4::smallint[], $5::jsonb[],
                     $6::int[], $7::int[])
RETURNING *;

-- name: get_tasks
SELECT * FROM tasks WHERE id = ANY($1::uuid[]);

-- name: get_task_by_id
SELECT * FROM tasks WHERE id = $1;

-- name: list_tasks
-- Keyset pagination on (created_at, id), newest first; NULL filters match everything.
SELECT * FROM tasks
WHERE user_id = $1
  AND ($2::text IS NULL OR status = $2)
  AND ($3::text IS NULL OR task_type = $3)
  AND ($4::timestamptz IS NULL OR created_at >= $4)
  AND ($5::timestamptz IS NULL OR created_at < $5)
  AND ($6::timestamptz IS NULL OR (created_at, id) < ($6, $7::uuid))
ORDER BY created_at DESC, id DESC
LIMIT $8;

-- name: claim_tasks
-- Start a delivered batch. Rows no longer pending/running (cancelled, finished) are skipped.
-- Committed without waiting for the WAL flush (about 0.2 ms of every task's latency):
-- losing a claim in a PostgreSQL crash loses no task. The message stays unacknowledged,
-- the attempt's completion finds the row pending and stores nothing, and the task is
-- re-delivered after the visibility timeout. Any later synchronous commit (the
-- completion's, a cancel's) flushes the claim with it, as WAL is written in order.
-- $2 names the claiming worker process: the reconciler re-queues the row if that worker's
-- liveness key expires while no queue message is left for the task.
UPDATE tasks
SET status = 'running',
    started_at = now(),
    attempt = attempt + 1,
    progress = 0,
    progress_message = '',
    worker = $2
FROM (SELECT set_config('synchronous_commit', 'off', true)) AS this_transaction
WHERE id = ANY($1::uuid[]) AND status IN ('pending', 'running')
RETURNING tasks.*;

-- name: complete_tasks
-- Store results of a batch and record metrics in one round trip. Only the attempt that
-- is still current may complete a task (a slow, superseded worker changes nothing).
WITH done AS (
    UPDATE tasks AS t
    SET status = 'completed',
        result = v.result,
        result_id = v.result_id,
        progress = 100,
        progress_message = '',
        error_message = NULL,
        error_kind = NULL,
        completed_at = now(),
        expires_at = now() + make_interval(secs => $5)
    FROM unnest($1::uuid[], $2::int[], $3::jsonb[], $4::text[]) AS v(id, attempt, result, result_id)
    WHERE t.id = v.id AND t.status = 'running' AND t.attempt = v.attempt
    RETURNING t.*
), metrics AS (
    INSERT INTO task_metrics (task_id, user_id, task_type, status, duration_ms, queue_wait_ms, attempt)
    SELECT id, user_id, task_type, 'completed',
           extract(epoch FROM (completed_at - started_at)) * 1000,
           extract(epoch FROM (started_at - created_at)) * 1000,
           attempt
    FROM done
)
SELECT * FROM done;

-- name: finish_task
-- Terminal failure (or cancellation seen by the worker) of the current attempt.
WITH done AS (
    UPDATE tasks
    SET status = $3,
        error_message = $4,
        error_kind = $5,
        completed_at = now(),
        expires_at = now() + make_interval(secs => $6)
    WHERE id = $1 AND attempt = $2 AND status = 'running'
    RETURNING *
), metrics AS (
    INSERT INTO task_metrics (task_id, user_id, task_type, status, duration_ms, queue_wait_ms, attempt)
    SELECT id, user_id, task_type, status,
           extract(epoch FROM (completed_at - started_at)) * 1000,
           extract(epoch FROM (started_at - created_at)) * 1000,
           attempt
    FROM done
)
SELECT * FROM done;

-- name: schedule_retry
UPDATE tasks
SET status = 'pending',
    retry_count = retry_count + 1,
    error_message = $3,
    error_kind = $4,
    progress = 0,
    progress_message = $5,
    queued_at = now()
WHERE id = $1 AND attempt = $2 AND status = 'running'
RETURNING *;

-- name: release_task
-- A worker shutting down gives the task back untouched: no retry is spent.
UPDATE tasks
SET status = 'pending', progress = 0, progress_message = '', queued_at = now()
WHERE id = $1 AND attempt = $2 AND status = 'running'
RETURNING *;

-- name: update_progress
UPDATE tasks
SET progress = $3, progress_message = $4
WHERE id = $1 AND attempt = $2 AND status = 'running'
RETURNING *;

-- name: cancel_task
UPDATE tasks
SET status = 'cancelled',
    completed_at = now(),
    expires_at = now() + make_interval(secs => $3)
WHERE id = $1 AND user_id = $2 AND status IN ('pending', 'running')
RETURNING *;

-- name: retry_task
UPDATE tasks
SET status = 'pending',
    retry_count = 0,
    error_message = NULL,
    error_kind = NULL,
    result = NULL,
    progress = 0,
    progress_message = '',
    started_at = NULL,
    completed_at = NULL,
    expires_at = NULL,
    queued_at = now()
WHERE id = $1 AND user_id = $2 AND status IN ('failed', 'cancelled')
RETURNING *;

-- name: delete_tasks
DELETE FROM tasks WHERE id = ANY($1::uuid[]);

-- name: delete_expired_tasks
DELETE FROM tasks
WHERE id IN (SELECT id FROM tasks WHERE expires_at < now() ORDER BY expires_at LIMIT $1)
RETURNING id, user_id, task_type, result_id;

-- name: delete_old_metrics
DELETE FROM task_metrics WHERE recorded_at < now() - make_interval(secs => $1);

-- name: status_counts
-- One user's unfinished tasks, from the partial index on (user_id, status).
SELECT
    count(*) FILTER (WHERE status = 'running') AS running,
    count(*) FILTER (WHERE status = 'pending') AS pending
FROM tasks
WHERE user_id = $1 AND completed_at IS NULL;

-- name: recent_outcomes
SELECT
    count(*) FILTER (WHERE status = 'completed') AS completed,
    count(*) FILTER (WHERE status = 'failed') AS failed
FROM task_metrics
WHERE user_id = $1 AND recorded_at >= now() - interval '1 hour';

-- name: duration_percentiles
SELECT task_type,
       count(*) AS samples,
       percentile_cont(0.5) WITHIN GROUP (ORDER BY duration_ms) AS p50,
       percentile_cont(0.95) WITHIN GROUP (ORDER BY duration_ms) AS p95
FROM task_metrics
WHERE user_id = $1 AND recorded_at >= now() - interval '1 hour' AND status = 'completed'
GROUP BY task_type
ORDER BY task_type;

-- name: waiting_too_long
-- Pending rows that have waited longer than $1 seconds since they turned pending, oldest
-- first: candidates for a lost queue message (the reconciler checks Redis for each).
SELECT id, priority, attempt FROM tasks
WHERE status = 'pending' AND completed_at IS NULL
  AND queued_at < now() - make_interval(secs => $1)
ORDER BY queued_at, id
LIMIT $2;

-- name: running_since
-- Running rows claimed more than $1 seconds ago by a named worker, with that worker.
SELECT id, priority, attempt, worker FROM tasks
WHERE status = 'running' AND completed_at IS NULL AND worker IS NOT NULL
  AND started_at < now() - make_interval(secs => $1)
ORDER BY started_at, id
LIMIT $2;

-- name: requeue_pending
-- Stamp pending rows the reconciler is about to enqueue again, only where nobody claimed
-- them since it looked (same attempt) and no other reconciler just did (queued_at still
-- older than the grace period $3): so two reconcilers never enqueue the same row twice.
UPDATE tasks AS t
SET queued_at = now()
FROM unnest($1::uuid[], $2::int[]) AS v(id, attempt)
WHERE t.id = v.id AND t.attempt = v.attempt AND t.status = 'pending'
  AND t.queued_at < now() - make_interval(secs => $3)
RETURNING t.*;

-- name: release_dead
-- Running rows of a dead worker go back to pending, like a hand-back: no retry is spent
-- (the worker died; the task did not fail). Only the attempt the reconciler judged.
UPDATE tasks AS t
SET status = 'pending', progress = 0, progress_message = '', queued_at = now(), worker = NULL
FROM unnest($1::uuid[], $2::int[]) AS v(id, attempt)
WHERE t.id = v.id AND t.attempt = v.attempt AND t.status = 'running'
RETURNING t.*;
