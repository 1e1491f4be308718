"""Priorities: high before normal before low, and reserved low slots against starvation."""

from __future__ import annotations

import asyncio
import uuid
from collections.abc import Callable
from typing import Any

import pytest

from atspro.runtime import Runtime
from atspro.settings import Settings
from atspro.tasks.model import Priority
from atspro.tasks.queue import Delivery
from atspro.workers.context import HandlerResult, TaskContext
from atspro.workers.pool import WorkerPool

from .conftest import RuntimeFactory
from .handlers import build_registry
from .probes import wait_for

LABELS = {Priority.HIGH: "H", Priority.NORMAL: "N", Priority.LOW: "L"}


def fetching_pool(rt: Runtime) -> WorkerPool:
    """A worker pool over ``rt``'s connections, not started: tests drive its fetch step."""
    return WorkerPool(
        settings=rt.settings,
        pool=rt.pool,
        redis=rt.redis,
        queue=rt.queue,
        publisher=rt.publisher,
        hub=rt.hub,
        registry=build_registry(),
        services=rt.services,
    )


async def _run_backlog(
    settings: Settings, runtime_factory: RuntimeFactory, backlog: list[Priority]
) -> list[str]:
    """Queue ``backlog`` with no worker running, then start one; the labels in start order."""
    order: list[str] = []

    async def record(ctx: TaskContext) -> HandlerResult:
        order.append(str(ctx.payload["label"]))
        await asyncio.sleep(float(ctx.payload["seconds"]))
        return HandlerResult()

    registry = build_registry()
    registry.register("record", record)
    async with runtime_factory(settings, run_workers=False) as api:
        for priority in backlog:
            await api.tasks.submit(
                user_id="pat",
                task_type="record",
                payload={"label": LABELS[priority], "seconds": 0.05},
                priority=priority,
                task_id=uuid.uuid4(),
            )
        async with runtime_factory(settings, run_workers=True, registry=registry):
            await wait_for(lambda: len(order) == len(backlog), timeout_s=10, what="the backlog")
    return order


async def test_one_slot_runs_high_then_normal_then_low(
    make_settings: Callable[..., Settings], runtime_factory: RuntimeFactory
) -> None:
    settings = make_settings(
        worker_concurrency=1, high_priority_workers=0, normal_priority_workers=0,
        low_priority_workers=0,
    )  # fmt: skip
    # Submitted lowest first, interleaved, so arrival order alone would be wrong.
    backlog = [Priority.LOW, Priority.NORMAL, Priority.HIGH] * 3
    order = await _run_backlog(settings, runtime_factory, backlog)
    assert "".join(order) == "HHHNNNLLL"


async def test_reserved_low_slot_makes_progress_under_a_high_backlog(
    make_settings: Callable[..., Settings], runtime_factory: RuntimeFactory
) -> None:
    settings = make_settings(
        worker_concurrency=2, high_priority_workers=0, normal_priority_workers=0,
        low_priority_workers=1,
    )  # fmt: skip
    backlog = [Priority.HIGH] * 8 + [Priority.LOW] * 2
    order = await _run_backlog(settings, runtime_factory, backlog)
    assert sorted(order) == sorted(LABELS[p] for p in backlog)
    # Without the reserved slot both lows would run only after all eight highs.
    assert order.index("L") <= 1
    assert max(i for i, label in enumerate(order) if label == "L") < len(order) - 2


async def test_a_read_after_an_empty_one_fits_the_free_slots_on_every_stream(
    make_settings: Callable[..., Settings], runtime_factory: RuntimeFactory
) -> None:
    """After finding every stream empty the worker blocks on all three at once; when
    messages are waiting on each by then, what it reads must still fit its free slots.

    Drives the pool's fetch step directly: from outside, messages cannot be timed to
    land between an empty read and the next one.
    """
    settings = make_settings(
        worker_concurrency=3, high_priority_workers=0, normal_priority_workers=0,
        low_priority_workers=0,
    )  # fmt: skip
    async with runtime_factory(settings, run_workers=False) as rt:
        pool = fetching_pool(rt)
        assert await pool._fetch(3) == []  # one blocking read that times out
        for priority in Priority:
            for _ in range(3):
                await rt.queue.enqueue(uuid.uuid4(), priority)
        got = await pool._fetch(3)
        assert 1 <= len(got) <= 3
        # The backlog is now seen: the next read takes strictly by priority again.
        rest = await pool._fetch(2)
        assert [d.priority for d in rest] == sorted(d.priority for d in rest)
        assert len(rest) == 2


async def test_a_burst_on_every_stream_after_idling_stays_within_the_concurrency(
    make_settings: Callable[..., Settings], runtime_factory: RuntimeFactory
) -> None:
    """An idle worker blocks on all three streams at once; what it then reads must fit
    its free slots, whichever streams the burst lands on."""
    settings = make_settings(
        worker_concurrency=3, high_priority_workers=0, normal_priority_workers=0,
        low_priority_workers=0,
    )  # fmt: skip
    running = 0
    most = 0
    done: list[str] = []

    async def hold(ctx: TaskContext) -> HandlerResult:
        nonlocal running, most
        running += 1
        most = max(most, running)
        await asyncio.sleep(0.1)
        running -= 1
        done.append(str(ctx.payload["label"]))
        return HandlerResult()

    registry = build_registry()
    registry.register("hold", hold)
    burst = [Priority.LOW, Priority.NORMAL, Priority.HIGH] * 3
    async with (
        runtime_factory(settings, run_workers=False) as api,
        runtime_factory(settings, run_workers=True, registry=registry),
    ):
        await asyncio.sleep(0.3)  # the worker found every stream empty and now blocks
        await asyncio.gather(
            *(
                api.tasks.submit(
                    user_id="pat",
                    task_type="hold",
                    payload={"label": LABELS[p]},
                    priority=p,
                    task_id=uuid.uuid4(),
                )
                for p in burst
            )
        )
        await wait_for(lambda: len(done) == len(burst), timeout_s=10, what="the burst")
    assert most == 3


async def test_a_burst_between_the_empty_take_and_the_read_fits_one_free_slot(
    make_settings: Callable[..., Settings],
    runtime_factory: RuntimeFactory,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    """One slot free: the worker's non-blocking take finds every stream empty, then a
    burst lands on all three (one transaction, as a group of submissions does) before its
    blocking read goes out. That read counts per stream and returns all three; the worker
    keeps the high one and hands the others back, unstarted, in order for the next read.

    The burst is sent from inside ``take`` (wrapped, the real call still runs): from
    outside, messages cannot be timed to land in that window.
    """
    settings = make_settings(
        worker_concurrency=1, high_priority_workers=0, normal_priority_workers=0,
        low_priority_workers=0,
    )  # fmt: skip
    async with runtime_factory(settings, run_workers=False) as rt:
        pool = fetching_pool(rt)
        ids = {p: uuid.uuid4() for p in Priority}
        real_take = rt.queue.take

        async def take_then_burst(*args: Any, **kwargs: Any) -> list[Delivery]:
            got = await real_take(*args, **kwargs)
            async with rt.redis.pipeline(transaction=True) as burst:
                for priority in (Priority.LOW, Priority.NORMAL, Priority.HIGH):
                    burst.xadd(rt.keys.queue(priority), {"id": str(ids[priority])})
                await burst.execute()
            monkeypatch.setattr(rt.queue, "take", real_take)
            return got

        monkeypatch.setattr(rt.queue, "take", take_then_burst)
        got = await pool._fetch(1)
        assert [(d.priority, d.task_id) for d in got] == [(Priority.HIGH, ids[Priority.HIGH])]
        # The two handed back wait, unowned, for whoever reads next.
        assert await rt.queue.depths() == {Priority.HIGH: 0, Priority.NORMAL: 1, Priority.LOW: 1}
        rest = await pool._fetch(2)
        assert [(d.priority, d.task_id) for d in rest] == [
            (Priority.NORMAL, ids[Priority.NORMAL]),
            (Priority.LOW, ids[Priority.LOW]),
        ]
