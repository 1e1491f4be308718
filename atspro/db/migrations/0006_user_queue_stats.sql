-- Queue statistics are the caller's own: how many of *their* tasks wait or run, and how
-- their last hour went. Other users' counts were visible before (they say nothing of
-- the tasks, but they do tell one user how busy another is).
--
-- Metrics carry the owner, filled in for rows whose task still exists (older ones only
-- fall out of per-user windows, which cover the last hour). The per-user index replaces
-- the per-type one: every statistics query now starts from one user's recent rows.
ALTER TABLE task_metrics ADD COLUMN user_id text;
UPDATE task_metrics AS m SET user_id = t.user_id FROM tasks AS t WHERE t.id = m.task_id;
DROP INDEX task_metrics_type_recorded_idx;
CREATE INDEX task_metrics_user_recorded_idx ON task_metrics (user_id, recorded_at);

-- Unfinished tasks per user (the predicate stays the one 0005 chose: claims and
-- completions never state it, so they keep reading rows through the primary key).
DROP INDEX tasks_unfinished_idx;
CREATE INDEX tasks_unfinished_idx ON tasks (user_id, status) WHERE completed_at IS NULL;
