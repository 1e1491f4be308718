"""The claim statement commits without waiting for the WAL flush, for itself only."""

from __future__ import annotations

import uuid

from atspro.db import tasks as task_db
from atspro.db.migrate import apply_migrations
from atspro.db.pool import create_pool
from atspro.tasks.model import Priority, TaskStatus


def new_task(user_id: str, task_id: uuid.UUID | None = None) -> task_db.NewTask:
    """A no-op task that is never retried."""
    return task_db.NewTask(
        task_id=task_id or uuid.uuid4(),
        user_id=user_id,
        task_type="noop",
        priority=Priority.NORMAL,
        payload={},
        max_retries=0,
    )


async def test_a_claim_skips_the_flush_wait_but_leaves_the_connection_synchronous(
    database_url: str,
) -> None:
    # One connection: whatever the claim changed would show on the next statement.
    pool = await create_pool(database_url, min_size=1, max_size=1)
    try:
        await apply_migrations(pool)
        task = new_task("claims")
        await task_db.insert_task(pool, task=task)
        (claimed,) = await task_db.claim_tasks(pool, task_ids=[task.task_id])
        assert claimed.status is TaskStatus.RUNNING and claimed.attempt == 1
        assert await pool.fetchval("SHOW synchronous_commit") == "on"
        # The setting is the claim's own: inside one transaction it is visible, then gone.
        async with pool.acquire() as conn, conn.transaction():
            await conn.fetch(task_db.Q["claim_tasks"], [task.task_id], None)
            assert await conn.fetchval("SHOW synchronous_commit") == "off"
        assert await pool.fetchval("SHOW synchronous_commit") == "on"
        # Completions stay durable: they commit synchronously.
        (current,) = await task_db.claim_tasks(pool, task_ids=[task.task_id])
        done = await task_db.complete_tasks(
            pool,
            completions=[
                task_db.Completion(
                    task_id=task.task_id, attempt=current.attempt, result=None, result_id=None
                )
            ],
            ttl_s=60,
        )
        assert [r.status for r in done] == [TaskStatus.COMPLETED]
    finally:
        await pool.close()


async def test_pending_and_running_counts_follow_every_transition(database_url: str) -> None:
    """Counted per user through the unfinished-tasks index: completed_at IS NULL exactly
    while a task is pending or running (a retry of a failed task clears it again)."""
    pool = await create_pool(database_url, min_size=1, max_size=2)
    user = f"counts-{uuid.uuid4().hex[:8]}"
    try:
        await apply_migrations(pool)
        ids = [uuid.uuid4() for _ in range(4)]
        for task_id in ids:
            await task_db.insert_task(pool, task=new_task(user, task_id))
        # Someone else's work counts for them alone.
        other = new_task(f"other-{user}", uuid.uuid4())
        await task_db.insert_task(pool, task=other)
        await task_db.claim_tasks(pool, task_ids=[other.task_id])

        async def counts() -> tuple[int, int]:
            c = await task_db.task_counts(pool, user_id=user)
            return c.pending, c.running

        assert await counts() == (4, 0)
        claimed = await task_db.claim_tasks(pool, task_ids=ids[:3])
        assert await counts() == (1, 3)
        by_id = {r.id: r for r in claimed}
        await task_db.complete_tasks(
            pool,
            completions=[
                task_db.Completion(
                    task_id=ids[0], attempt=by_id[ids[0]].attempt, result=None, result_id=None
                )
            ],
            ttl_s=60,
        )
        await task_db.finish_task(
            pool,
            task_id=ids[1],
            attempt=by_id[ids[1]].attempt,
            status=TaskStatus.FAILED,
            error_message="no",
            error_kind="permanent",
            ttl_s=60,
        )
        await task_db.cancel_task(pool, task_id=ids[3], user_id=user, ttl_s=60)
        assert await counts() == (0, 1)
        mine = await task_db.task_counts(pool, user_id=user)
        assert (mine.completed_last_hour, mine.failed_last_hour) == (1, 1)
        assert [(d.task_type, d.samples) for d in mine.durations] == [("noop", 1)]
        theirs = await task_db.task_counts(pool, user_id=other.user_id)
        assert (theirs.pending, theirs.running, theirs.completed_last_hour) == (0, 1, 0)
        assert await task_db.retry_task(pool, task_id=ids[1], user_id=user) is not None
        assert await counts() == (1, 1)
    finally:
        await pool.close()
