"""The expiry sweep deletes finished tasks whose time is up and keeps the rest."""

from __future__ import annotations

import uuid
from collections.abc import Callable

from atspro.db import tasks as task_db
from atspro.settings import Settings
from atspro.tasks.model import Priority, TaskStatus

from .conftest import RuntimeFactory
from .probes import wait_terminal


async def test_sweep_deletes_expired_rows_and_keeps_live_ones(
    make_settings: Callable[..., Settings], runtime_factory: RuntimeFactory
) -> None:
    async with runtime_factory(make_settings(), run_workers=True) as rt:
        assert rt.workers is not None
        finished = [uuid.uuid4() for _ in range(3)]
        for task_id in finished:
            await rt.tasks.submit(user_id="sam", task_type="noop", payload={}, task_id=task_id)
        for task_id in finished:
            assert (await wait_terminal(rt.pool, task_id, timeout_s=10)).expires_at is not None
        expired, fresh = finished[:2], finished[2]
        await rt.pool.execute(
            "UPDATE tasks SET expires_at = now() - interval '1 second' WHERE id = ANY($1)",
            expired,
        )
        # A pending task has no expiry yet: no sweep may touch it.
        waiting = await task_db.insert_task(
            rt.pool,
            task=task_db.NewTask(
                task_id=uuid.uuid4(),
                user_id="sam",
                task_type="noop",
                priority=Priority.NORMAL,
                payload={},
                max_retries=0,
            ),
        )

        assert await rt.workers.sweep_expired() >= len(expired)
        for task_id in expired:
            assert await task_db.get_task_by_id(rt.pool, task_id=task_id) is None
        kept = await task_db.get_task_by_id(rt.pool, task_id=fresh)
        assert kept is not None and kept.status is TaskStatus.COMPLETED
        still = await task_db.get_task_by_id(rt.pool, task_id=waiting.id)
        assert still is not None and still.status is TaskStatus.PENDING
        assert await rt.workers.sweep_expired() == 0
