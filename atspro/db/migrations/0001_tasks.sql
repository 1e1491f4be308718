-- Task state: the single source of truth for a task's status.
CREATE TABLE tasks (
    id                    uuid PRIMARY KEY,
    user_id               text        NOT NULL,
    task_type             text        NOT NULL,
    status                text        NOT NULL DEFAULT 'pending'
                          CHECK (status IN ('pending', 'running', 'completed', 'failed', 'cancelled')),
    priority              smallint    NOT NULL DEFAULT 2 CHECK (priority BETWEEN 1 AND 3),
    payload               jsonb       NOT NULL DEFAULT '{}'::jsonb,
    result                jsonb,
    result_id             text,
    error_message         text,
    error_kind            text,
    retry_count           integer     NOT NULL DEFAULT 0,
    max_retries           integer     NOT NULL DEFAULT 3,
    progress              smallint    NOT NULL DEFAULT 0 CHECK (progress BETWEEN 0 AND 100),
    progress_message      text        NOT NULL DEFAULT '',
    estimated_duration_ms integer,
    -- Bumped on every delivery; a completion must name the attempt it ran as (fencing).
    attempt               integer     NOT NULL DEFAULT 0,
    created_at            timestamptz NOT NULL DEFAULT now(),
    started_at            timestamptz,
    completed_at          timestamptz,
    expires_at            timestamptz
);

CREATE INDEX tasks_user_created_idx ON tasks (user_id, created_at DESC, id DESC);
CREATE INDEX tasks_expires_idx ON tasks (expires_at) WHERE expires_at IS NOT NULL;
CREATE INDEX tasks_active_idx ON tasks (status) WHERE status IN ('pending', 'running');

-- One row per finished attempt, for queue statistics.
CREATE TABLE task_metrics (
    id            bigserial   PRIMARY KEY,
    task_id       uuid        NOT NULL,
    task_type     text        NOT NULL,
    status        text        NOT NULL,
    duration_ms   double precision NOT NULL,
    queue_wait_ms double precision,
    attempt       integer     NOT NULL,
    recorded_at   timestamptz NOT NULL DEFAULT now()
);

CREATE INDEX task_metrics_recorded_idx ON task_metrics (recorded_at);
CREATE INDEX task_metrics_type_recorded_idx ON task_metrics (task_type, recorded_at);
