"""Graceful shutdown of a worker process on SIGTERM."""

from __future__ import annotations

import os
import signal
import time
import uuid
from collections.abc import Callable

from atspro.settings import Settings
from atspro.tasks.model import Priority, TaskStatus

from .conftest import RuntimeFactory, WorkerFactory
from .probes import metric_statuses, row, stream_state, task_events, wait_started, wait_terminal

GRACE_S = 1.0
MARGIN_S = 4.0


async def test_sigterm_finishes_short_tasks_and_hands_back_long_ones(
    make_settings: Callable[..., Settings],
    runtime_factory: RuntimeFactory,
    spawn_worker: WorkerFactory,
) -> None:
    # A long visibility timeout: only an explicit hand-back can explain a quick re-run.
    settings = make_settings(shutdown_grace_s=GRACE_S, visibility_timeout_s=60.0)
    stopping = await spawn_worker(settings)
    async with runtime_factory(settings, run_workers=False) as api:
        short_id, long_id = uuid.uuid4(), uuid.uuid4()
        # The long task sleeps past the grace period on its first attempt only.
        await api.tasks.submit(
            user_id="lee", task_type="sleep", payload={"seconds": [30, 0.2]}, task_id=long_id
        )
        await api.tasks.submit(
            user_id="lee", task_type="sleep", payload={"seconds": 0.6}, task_id=short_id
        )
        await wait_started(api.pool, long_id)
        await wait_started(api.pool, short_id)

        began = time.monotonic()
        stopping.send(signal.SIGTERM)
        code = await stopping.wait_exit(timeout_s=GRACE_S + MARGIN_S)
        took = time.monotonic() - began
        assert code == 0, stopping.output()[-3000:]
        assert took >= GRACE_S - 0.1  # it did wait for the grace period
        assert "stopped" in stopping.output()

        short = await row(api.pool, short_id)
        assert short.status is TaskStatus.COMPLETED
        assert short.result == {"pid": stopping.pid, "attempt": 1}

        handed_back = await row(api.pool, long_id)
        assert handed_back.status is TaskStatus.PENDING
        assert handed_back.attempt == 1 and handed_back.progress == 0
        # Re-queued as a fresh message: waiting, and in nobody's pending list.
        assert await stream_state(api.redis, api.keys, Priority.NORMAL) == (1, 0)
        assert await metric_statuses(api.pool, long_id) == []

        async with runtime_factory(settings, run_workers=True):
            done = await wait_terminal(api.pool, long_id, timeout_s=10)
        assert done.status is TaskStatus.COMPLETED
        assert done.result == {"pid": os.getpid(), "attempt": 2}
        assert await metric_statuses(api.pool, long_id) == ["completed"]
        statuses = [e.status for e in await task_events(api.redis, api.keys, "lee", long_id)]
        assert statuses.count(TaskStatus.COMPLETED) == 1
        assert TaskStatus.PENDING in statuses[statuses.index(TaskStatus.RUNNING) :]
        assert await stream_state(api.redis, api.keys, Priority.NORMAL) == (0, 0)
