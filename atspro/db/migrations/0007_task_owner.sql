-- What the reconciler (atspro/workers/reconciler.py) needs to re-queue tasks whose queue
-- message Redis lost: the worker process running a RUNNING row (its liveness key in Redis
-- says whether it is still alive), and since when a PENDING row has waited for a message,
-- so a row is only judged lost once the moment between turning pending and its message
-- being written is long past. Both are read through tasks_unfinished_idx (status).
ALTER TABLE tasks
    ADD COLUMN worker text,
    ADD COLUMN queued_at timestamptz NOT NULL DEFAULT now();
