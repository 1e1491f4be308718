"""The same task delivered twice: one document, one completion, the stale attempt fenced off."""

from __future__ import annotations

import uuid
from collections.abc import Callable

from atspro.settings import Settings
from atspro.tasks.model import Priority, TaskStatus
from atspro.workers.context import HandlerResult, TaskContext
from atspro.workers.registry import HandlerRegistry

from .conftest import RuntimeFactory
from .handlers import build_registry, write_document
from .probes import (
    metric_statuses,
    row,
    stream_state,
    task_events,
    wait_for,
    wait_started,
    wait_terminal,
)


def tracking_registry(finished: list[int]) -> HandlerRegistry:
    """The fault-test handlers, with write_document noting each attempt that finished."""

    async def tracked(ctx: TaskContext) -> HandlerResult:
        outcome = await write_document(ctx)
        finished.append(ctx.task.attempt)
        return outcome

    registry = build_registry()
    registry.register("write_document", tracked)
    return registry


async def test_redelivered_task_completes_once_and_stale_attempt_changes_nothing(
    make_settings: Callable[..., Settings], runtime_factory: RuntimeFactory
) -> None:
    finished: list[int] = []
    registry = tracking_registry(finished)
    # The slow worker heartbeats rarely (60 s visibility); the other one treats a message
    # idle for 0.3 s as orphaned, so it takes the task over while the first still runs.
    slow_settings = make_settings(visibility_timeout_s=60.0)
    eager_settings = slow_settings.model_copy(update={"visibility_timeout_s": 0.3})
    task_id = uuid.uuid4()
    async with runtime_factory(slow_settings, run_workers=True, registry=registry) as slow:
        await slow.tasks.submit(
            user_id="max",
            task_type="write_document",
            payload={"seconds": [2.0, 0.1], "text": "hello"},
            task_id=task_id,
        )
        await wait_started(slow.pool, task_id, attempt=1)
        async with runtime_factory(eager_settings, run_workers=True, registry=registry):
            winner = await wait_terminal(slow.pool, task_id, timeout_s=10)
            assert winner.status is TaskStatus.COMPLETED
            assert finished == [2]
            assert winner.result is not None and winner.result["attempt"] == 2
            # The first attempt is still sleeping; let it finish and try to complete.
            await wait_for(lambda: 1 in finished, timeout_s=10, what="first attempt end")
            workers = slow.workers
            assert workers is not None
            await wait_for(lambda: workers.running_count == 0, timeout_s=5, what="slow worker idle")

        after = await row(slow.pool, task_id)
        assert after.status is TaskStatus.COMPLETED
        assert after.result == winner.result and after.result_id == winner.result_id
        assert after.completed_at == winner.completed_at
        assert after.attempt == 2
        assert sorted(finished) == [1, 2]

        page = await slow.documents.list(kind="document", user_id="max", first=10)
        assert [d.id for d in page.items] == [str(task_id)]
        assert page.items[0].data == {"text": "HELLO"}
        assert after.result_id == str(task_id)

        assert await metric_statuses(slow.pool, task_id) == ["completed"]
        statuses = [e.status for e in await task_events(slow.redis, slow.keys, "max", task_id)]
        assert statuses.count(TaskStatus.COMPLETED) == 1
        assert statuses[-1] is TaskStatus.COMPLETED
        assert await stream_state(slow.redis, slow.keys, Priority.NORMAL) == (0, 0)


async def test_superseded_attempt_does_not_acknowledge_the_live_attempts_message(
    make_settings: Callable[..., Settings], runtime_factory: RuntimeFactory
) -> None:
    """The stale worker finishes first: the message must stay pending for the new owner.

    Otherwise a crash of the new owner would leave the task running forever with no
    message left to re-deliver.
    """
    finished: list[int] = []
    registry = tracking_registry(finished)
    slow_settings = make_settings(visibility_timeout_s=60.0)
    eager_settings = slow_settings.model_copy(update={"visibility_timeout_s": 0.3})
    task_id = uuid.uuid4()
    async with runtime_factory(slow_settings, run_workers=True, registry=registry) as slow:
        await slow.tasks.submit(
            user_id="noa",
            task_type="write_document",
            payload={"seconds": [1.5, 3.0], "text": "hi"},
            task_id=task_id,
        )
        await wait_started(slow.pool, task_id, attempt=1)
        async with runtime_factory(eager_settings, run_workers=True, registry=registry):
            await wait_started(slow.pool, task_id, attempt=2)
            await wait_for(lambda: 1 in finished, timeout_s=10, what="the stale attempt")
            workers = slow.workers
            assert workers is not None
            await wait_for(lambda: workers.running_count == 0, timeout_s=5, what="stale worker")
            assert (await row(slow.pool, task_id)).status is TaskStatus.RUNNING
            assert await stream_state(slow.redis, slow.keys, Priority.NORMAL) == (1, 1)

            done = await wait_terminal(slow.pool, task_id, timeout_s=10)
        assert done.status is TaskStatus.COMPLETED and done.attempt == 2
        assert await metric_statuses(slow.pool, task_id) == ["completed"]
        assert await stream_state(slow.redis, slow.keys, Priority.NORMAL) == (0, 0)


async def test_a_claim_lost_in_a_database_crash_loses_no_task(
    make_settings: Callable[..., Settings], runtime_factory: RuntimeFactory
) -> None:
    """Claims commit without waiting for the WAL flush; a crash can undo one.

    PostgreSQL cannot be crashed here without losing the shared test server, so the row is
    put back the way recovery would leave it (pending, previous attempt) while the handler
    runs. The attempt must store nothing and leave its message, and the task must run
    again and complete once.
    """
    finished: list[int] = []
    registry = tracking_registry(finished)
    settings = make_settings(visibility_timeout_s=0.5)
    task_id = uuid.uuid4()
    async with runtime_factory(settings, run_workers=True, registry=registry) as rt:
        await rt.tasks.submit(
            user_id="ora",
            task_type="write_document",
            payload={"seconds": [0.5, 0.0], "text": "again"},
            task_id=task_id,
        )
        await wait_started(rt.pool, task_id, attempt=1)
        await rt.pool.execute(
            "UPDATE tasks SET status = 'pending', attempt = attempt - 1, started_at = NULL "
            "WHERE id = $1",
            task_id,
        )
        done = await wait_terminal(rt.pool, task_id, timeout_s=15)
        assert done.status is TaskStatus.COMPLETED
        assert sorted(finished) == [1, 1]  # the lost attempt ran, then its re-delivery
        assert done.result is not None and done.result_id == str(task_id)
        assert await metric_statuses(rt.pool, task_id) == ["completed"]
        await wait_for(
            lambda: rt.workers is not None and rt.workers.running_count == 0,
            timeout_s=5,
            what="worker idle",
        )
        assert await stream_state(rt.redis, rt.keys, Priority.NORMAL) == (0, 0)
