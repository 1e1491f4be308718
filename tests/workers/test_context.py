"""What a handler sees: progress is clamped and never goes backwards, and a progress report
that finds the task gone stops the handler (and later checks say so too)."""

from __future__ import annotations

import uuid

import pytest

from atspro.settings import Settings
from atspro.tasks.model import Priority, TaskRecord, TaskStatus
from atspro.workers.context import HandlerResult, HandlerServices, TaskAbandoned, TaskContext
from atspro.workers.registry import HandlerRegistry, noop_handler


def record() -> TaskRecord:
    return TaskRecord(
        id=uuid.uuid4(),
        user_id="ann",
        task_type="noop",
        status=TaskStatus.RUNNING,
        priority=Priority.NORMAL,
        payload={"x": 1},
    )


class Sink:
    """Records progress reports; answers whether the task still runs here."""

    def __init__(self, *, alive: bool = True) -> None:
        self.alive = alive
        self.reports: list[tuple[int, str]] = []

    async def __call__(self, task: TaskRecord, percent: int, message: str) -> bool:
        self.reports.append((percent, message))
        return self.alive


def services() -> HandlerServices:
    return HandlerServices(settings=Settings(_env_file=None))  # type: ignore[call-arg]


async def test_progress_is_clamped_monotonic_and_short() -> None:
    sink = Sink()
    ctx = TaskContext(record(), services(), sink)
    assert (ctx.payload, ctx.user_id) == ({"x": 1}, "ann")
    assert ctx.settings is ctx.services.settings
    for percent in (10, 5, 150, -3):
        await ctx.progress(percent, "m" * 300)
    assert [p for p, _ in sink.reports] == [10, 10, 99, 99]
    assert all(len(m) == 200 for _, m in sink.reports)
    ctx.check_cancelled()  # still running: no error


async def test_a_report_that_finds_the_task_gone_stops_the_handler() -> None:
    sink = Sink(alive=False)
    ctx = TaskContext(record(), services(), sink)
    with pytest.raises(TaskAbandoned):
        await ctx.progress(50, "half")
    with pytest.raises(TaskAbandoned, match="was cancelled"):
        ctx.check_cancelled()


async def test_registry_routes_types_to_handlers() -> None:
    registry = HandlerRegistry()
    assert "noop" not in registry and registry.get("noop") is None
    registry.register("noop", noop_handler)
    assert "noop" in registry and registry.get("noop") is noop_handler
    ctx = TaskContext(record(), services(), Sink())
    assert await noop_handler(ctx) == HandlerResult(result={"ok": True})
