"""A task's life through the real queue, worker and database: events, results, failures."""

from __future__ import annotations

import asyncio
import uuid

import pytest

from atspro.errors import (
    ConflictError,
    NotFoundError,
    PermanentError,
    RateLimitedError,
    ResourceExhaustedError,
    TransientError,
)
from atspro.tasks.events import TaskEvent
from atspro.tasks.model import Priority, TaskStatus
from atspro.workers.context import HandlerResult, TaskContext

from .conftest import RuntimeFactory


async def collect_until_terminal(
    rt, user: str, task_id: uuid.UUID, ready: asyncio.Event
) -> list[TaskEvent]:
    events: list[TaskEvent] = []
    async for event in rt.hub.events(user, task_id=task_id, ready=ready):
        events.append(event)
        if event.status.is_terminal:
            return events
    return events


async def submit_and_watch(rt, user: str, task_type: str, payload=None, **kw):
    task_id = uuid.uuid4()
    ready = asyncio.Event()
    watcher = asyncio.create_task(collect_until_terminal(rt, user, task_id, ready))
    await ready.wait()
    await rt.tasks.submit(
        user_id=user, task_type=task_type, payload=payload or {}, task_id=task_id, **kw
    )
    events = await asyncio.wait_for(watcher, 20)
    return task_id, events


async def test_task_completes_with_ordered_events(runtime_factory: RuntimeFactory) -> None:
    async def handler(ctx: TaskContext) -> HandlerResult:
        await ctx.progress(30, "reading")
        await ctx.progress(70, "writing")
        return HandlerResult(result={"echo": ctx.payload["x"]}, result_id="doc-1")

    async with runtime_factory({"echo": handler}) as rt:
        task_id, events = await submit_and_watch(rt, "alice", "echo", {"x": 42})
        statuses = [(e.status, e.progress) for e in events]
        assert statuses == [
            (TaskStatus.PENDING, 0),
            (TaskStatus.RUNNING, 0),
            (TaskStatus.RUNNING, 30),
            (TaskStatus.RUNNING, 70),
            (TaskStatus.COMPLETED, 100),
        ]
        assert events[2].message == "reading"
        ids = [e.event_id for e in events]
        assert ids == sorted(ids, key=lambda i: tuple(map(int, i.split("-"))))
        record = await rt.tasks.get(user_id="alice", task_id=task_id)
        assert record.status is TaskStatus.COMPLETED
        assert record.result == {"echo": 42}
        assert record.result_id == "doc-1"
        assert record.started_at and record.completed_at and record.expires_at
        assert record.expires_at > record.completed_at


async def test_transient_errors_retry_then_succeed(runtime_factory: RuntimeFactory) -> None:
    attempts: list[int] = []

    async def flaky(ctx: TaskContext) -> HandlerResult:
        attempts.append(ctx.task.attempt)
        if len(attempts) < 3:
            raise TransientError("upstream hiccup")
        return HandlerResult(result={"ok": True})

    async with runtime_factory({"flaky": flaky}, max_retries=3) as rt:
        task_id, events = await submit_and_watch(rt, "bob", "flaky")
        record = await rt.tasks.get(user_id="bob", task_id=task_id)
        assert record.status is TaskStatus.COMPLETED
        assert record.retry_count == 2
        assert attempts == [1, 2, 3]
        retry_events = [e for e in events if e.status is TaskStatus.PENDING and e.error_message]
        assert len(retry_events) == 2
        assert retry_events[0].error_message == "upstream hiccup"


async def test_permanent_error_fails_at_once_and_goes_to_dlq(
    runtime_factory: RuntimeFactory,
) -> None:
    calls = 0

    async def broken(ctx: TaskContext) -> HandlerResult:
        nonlocal calls
        calls += 1
        raise PermanentError("cannot read this document")

    async with runtime_factory({"broken": broken}, max_retries=5) as rt:
        task_id, events = await submit_and_watch(rt, "carol", "broken")
        assert calls == 1
        assert events[-1].status is TaskStatus.FAILED
        record = await rt.tasks.get(user_id="carol", task_id=task_id)
        assert record.error_message == "cannot read this document"
        assert record.error_kind == "permanent"
        dlq = await rt.redis.xrange(rt.keys.dlq)
        assert [f[b"id"].decode() for _, f in dlq] == [str(task_id)]
        assert dlq[0][1][b"error"] == b"cannot read this document"


async def test_retries_exhausted_go_to_dlq(runtime_factory: RuntimeFactory) -> None:
    async def always(ctx: TaskContext) -> HandlerResult:
        raise ResourceExhaustedError("out of memory")

    async with runtime_factory(
        {"always": always}, max_retries=2, resource_exhausted_delay_s=0.05
    ) as rt:
        task_id, _events = await submit_and_watch(rt, "dave", "always")
        record = await rt.tasks.get(user_id="dave", task_id=task_id)
        assert record.status is TaskStatus.FAILED
        assert record.retry_count == 2
        assert record.error_kind == "resource_exhausted"
        assert len(await rt.redis.xrange(rt.keys.dlq)) == 1


async def test_rate_limited_honours_retry_after(runtime_factory: RuntimeFactory) -> None:
    times: list[float] = []

    async def limited(ctx: TaskContext) -> HandlerResult:
        times.append(asyncio.get_running_loop().time())
        if len(times) == 1:
            raise RateLimitedError("slow down", retry_after_s=0.6)
        return HandlerResult()

    async with runtime_factory({"limited": limited}, retry_base_delay_s=0.01) as rt:
        task_id, _ = await submit_and_watch(rt, "erin", "limited")
        assert (await rt.tasks.get(user_id="erin", task_id=task_id)).status is TaskStatus.COMPLETED
        # The base delay is 10 ms; only the server's Retry-After explains a longer gap.
        assert times[1] - times[0] >= 0.6


async def test_timeout_fails_the_task(runtime_factory: RuntimeFactory) -> None:
    async def slow(ctx: TaskContext) -> HandlerResult:
        await asyncio.sleep(10)
        return HandlerResult()

    async with runtime_factory({"slow": slow}, task_timeout_seconds=0.3) as rt:
        task_id, _events = await submit_and_watch(rt, "frank", "slow")
        record = await rt.tasks.get(user_id="frank", task_id=task_id)
        assert record.status is TaskStatus.FAILED
        assert "timed out after 0.3 seconds" in (record.error_message or "")


async def test_unknown_type_fails_permanently(runtime_factory: RuntimeFactory) -> None:
    async with runtime_factory() as rt:
        _task_id, events = await submit_and_watch(rt, "gina", "no_such_type")
        assert events[-1].status is TaskStatus.FAILED
        assert "no handler" in (events[-1].error_message or "")


async def test_unexpected_exception_is_masked_and_retried(runtime_factory: RuntimeFactory) -> None:
    async def buggy(ctx: TaskContext) -> HandlerResult:
        raise KeyError("secret internals")

    async with runtime_factory({"buggy": buggy}, max_retries=1) as rt:
        task_id, _events = await submit_and_watch(rt, "hank", "buggy")
        record = await rt.tasks.get(user_id="hank", task_id=task_id)
        assert record.status is TaskStatus.FAILED
        assert record.retry_count == 1
        assert "secret" not in (record.error_message or "")
        assert record.error_message == "internal error (KeyError)"


async def test_cancel_pending_task_never_runs(runtime_factory: RuntimeFactory) -> None:
    ran = False

    async def handler(ctx: TaskContext) -> HandlerResult:
        nonlocal ran
        ran = True
        return HandlerResult()

    async with runtime_factory({"h": handler}, run_workers=False) as rt:
        record = await rt.tasks.submit(user_id="ivy", task_type="h", payload={})
        cancelled = await rt.tasks.cancel(user_id="ivy", task_id=record.id)
        assert cancelled.status is TaskStatus.CANCELLED
    async with runtime_factory({"h": handler}, settings=rt.settings) as rt2:
        # A worker now drains the queue: the cancelled task is dropped, not run.
        for _ in range(100):
            if sum((await rt2.queue.depths()).values()) == 0:
                break
            await asyncio.sleep(0.05)
        await asyncio.sleep(0.2)
        assert not ran
        assert (
            await rt2.tasks.get(user_id="ivy", task_id=record.id)
        ).status is TaskStatus.CANCELLED
        with pytest.raises(ConflictError, match="already cancelled"):
            await rt2.tasks.cancel(user_id="ivy", task_id=record.id)


async def test_cancel_running_task_stops_its_handler(runtime_factory: RuntimeFactory) -> None:
    started = asyncio.Event()
    stopped = asyncio.Event()

    async def long(ctx: TaskContext) -> HandlerResult:
        started.set()
        try:
            await asyncio.sleep(30)
        except asyncio.CancelledError:
            stopped.set()
            raise
        return HandlerResult()

    async with runtime_factory({"long": long}) as rt:
        record = await rt.tasks.submit(user_id="jack", task_type="long", payload={})
        await asyncio.wait_for(started.wait(), 10)
        cancelled = await rt.tasks.cancel(user_id="jack", task_id=record.id)
        assert cancelled.status is TaskStatus.CANCELLED
        await asyncio.wait_for(stopped.wait(), 5)
        await asyncio.sleep(0.1)
        assert rt.workers is not None and rt.workers.running_count == 0
        final = await rt.tasks.get(user_id="jack", task_id=record.id)
        assert final.status is TaskStatus.CANCELLED


async def test_retry_requeues_failed_task(runtime_factory: RuntimeFactory) -> None:
    fail = True

    async def sometimes(ctx: TaskContext) -> HandlerResult:
        if fail:
            raise PermanentError("nope")
        return HandlerResult(result={"second": True})

    async with runtime_factory({"s": sometimes}) as rt:
        task_id, _ = await submit_and_watch(rt, "kim", "s")
        fail = False
        with pytest.raises(NotFoundError):
            await rt.tasks.retry(user_id="kim", task_id=uuid.uuid4())
        record = await rt.tasks.retry(user_id="kim", task_id=task_id)
        assert record.status is TaskStatus.PENDING
        done = await rt.tasks.wait(user_id="kim", task_id=task_id, wait_s=10)
        assert done.status is TaskStatus.COMPLETED
        assert done.result == {"second": True}
        with pytest.raises(ConflictError, match="only failed or cancelled"):
            await rt.tasks.retry(user_id="kim", task_id=task_id)


async def test_other_users_task_is_not_found(runtime_factory: RuntimeFactory) -> None:
    async with runtime_factory(run_workers=False) as rt:
        record = await rt.tasks.submit(user_id="owner", task_type="noop", payload={})
        for op in (rt.tasks.get, rt.tasks.cancel, rt.tasks.retry):
            with pytest.raises(NotFoundError):
                await op(user_id="intruder", task_id=record.id)
        assert (await rt.tasks.get(user_id="owner", task_id=record.id)).status is TaskStatus.PENDING


async def test_submit_and_wait_returns_finished_task(runtime_factory: RuntimeFactory) -> None:
    async with runtime_factory() as rt:
        record = await rt.tasks.submit_and_wait(
            wait_s=10, user_id="lee", task_type="noop", payload={}, priority=Priority.HIGH
        )
        assert record.status is TaskStatus.COMPLETED
        assert record.result == {"ok": True}
