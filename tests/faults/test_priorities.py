"""Priorities: high before normal before low, and reserved low slots against starvation."""

from __future__ import annotations

import asyncio
import uuid
from collections.abc import Callable

from atspro.settings import Settings
from atspro.tasks.model import Priority
from atspro.workers.context import HandlerResult, TaskContext

from .conftest import RuntimeFactory
from .handlers import build_registry
from .probes import wait_for

LABELS = {Priority.HIGH: "H", Priority.NORMAL: "N", Priority.LOW: "L"}


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
