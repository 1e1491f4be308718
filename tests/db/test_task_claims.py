"""The claim statement commits without waiting for the WAL flush, for itself only."""

from __future__ import annotations

import uuid

from atspro.db import tasks as task_db
from atspro.db.migrate import apply_migrations
from atspro.db.pool import create_pool
from atspro.tasks.model import Priority, TaskStatus


async def test_a_claim_skips_the_flush_wait_but_leaves_the_connection_synchronous(
    database_url: str,
) -> None:
    # One connection: whatever the claim changed would show on the next statement.
    pool = await create_pool(database_url, min_size=1, max_size=1)
    try:
        await apply_migrations(pool)
        task = task_db.NewTask(
            task_id=uuid.uuid4(),
            user_id="claims",
            task_type="noop",
            priority=Priority.NORMAL,
            payload={},
            max_retries=0,
        )
        await task_db.insert_task(pool, task=task)
        (claimed,) = await task_db.claim_tasks(pool, task_ids=[task.task_id])
        assert claimed.status is TaskStatus.RUNNING and claimed.attempt == 1
        assert await pool.fetchval("SHOW synchronous_commit") == "on"
        # The setting is the claim's own: inside one transaction it is visible, then gone.
        async with pool.acquire() as conn, conn.transaction():
            await conn.fetch(task_db.Q["claim_tasks"], [task.task_id])
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
