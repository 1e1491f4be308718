"""Which handler runs which task type."""

from __future__ import annotations

from collections.abc import Awaitable, Callable

from atspro.workers.context import HandlerResult, TaskContext

Handler = Callable[[TaskContext], Awaitable[HandlerResult]]


class HandlerRegistry:
    """A mapping of task type to handler, filled at start-up."""

    def __init__(self) -> None:
        self._handlers: dict[str, Handler] = {}

    def register(self, task_type: str, handler: Handler) -> None:
        """Route ``task_type`` to ``handler`` (replacing any earlier one)."""
        self._handlers[task_type] = handler

    def get(self, task_type: str) -> Handler | None:
        """The handler for ``task_type``, if any."""
        return self._handlers.get(task_type)

    def __contains__(self, task_type: object) -> bool:
        return task_type in self._handlers


async def noop_handler(ctx: TaskContext) -> HandlerResult:
    """Does nothing; used by health checks and throughput benchmarks."""
    del ctx
    return HandlerResult(result={"ok": True})
