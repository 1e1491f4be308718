"""A worker process killed with SIGKILL mid-task: another worker finishes the task, once."""

from __future__ import annotations

import os
import signal
import uuid
from collections.abc import Callable

from atspro.settings import Settings
from atspro.tasks.model import Priority, TaskStatus

from .conftest import RuntimeFactory, WorkerFactory
from .probes import (
    metric_statuses,
    started_pid,
    stream_state,
    task_events,
    wait_started,
    wait_terminal,
)


async def test_killed_worker_task_is_finished_by_another(
    make_settings: Callable[..., Settings],
    runtime_factory: RuntimeFactory,
    spawn_worker: WorkerFactory,
) -> None:
    settings = make_settings(visibility_timeout_s=1.0)
    doomed = await spawn_worker(settings)
    async with runtime_factory(settings, run_workers=False) as api:
        task_id = uuid.uuid4()
        await api.tasks.submit(
            user_id="kim", task_type="sleep", payload={"seconds": 1.0}, task_id=task_id
        )
        running = await wait_started(api.pool, task_id)
        assert started_pid(running) == doomed.pid

        doomed.send(signal.SIGKILL)
        assert await doomed.wait_exit(timeout_s=5) == -signal.SIGKILL
        # The dead worker's message is still delivered-but-unacknowledged.
        assert await stream_state(api.redis, api.keys, Priority.NORMAL) == (1, 1)

        async with runtime_factory(settings, run_workers=True) as rescuer:
            done = await wait_terminal(rescuer.pool, task_id, timeout_s=10)
            assert rescuer.workers is not None and rescuer.workers.running_count == 0

        assert done.status is TaskStatus.COMPLETED
        assert done.result == {"pid": os.getpid(), "attempt": 2}
        events = await task_events(api.redis, api.keys, "kim", task_id)
        assert [e.status for e in events].count(TaskStatus.COMPLETED) == 1
        assert events[-1].status is TaskStatus.COMPLETED
        assert await metric_statuses(api.pool, task_id) == ["completed"]
        # Acknowledged and deleted: nothing left to deliver or to take over.
        assert await stream_state(api.redis, api.keys, Priority.NORMAL) == (0, 0)
