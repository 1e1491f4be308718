"""What a task handler receives: the task, its services, progress reporting, cancellation."""

from __future__ import annotations

import time
from collections.abc import Awaitable, Callable
from dataclasses import dataclass, field
from typing import Any

from atspro.settings import Settings
from atspro.tasks.model import TaskRecord


class TaskAbandoned(Exception):
    """The task was cancelled or taken over elsewhere; the handler must stop."""


@dataclass(slots=True)
class HandlerServices:
    """Dependencies handlers may use. Created once per worker process."""

    settings: Settings
    documents: Any = None  # atspro.documents.store.DocumentStore
    llm: Any = None  # atspro.llm.client.LLMClient | None
    extras: dict[str, Any] = field(default_factory=dict)


@dataclass(frozen=True, slots=True)
class HandlerResult:
    """What a handler returns: a small JSON result and/or the id of a stored document."""

    result: dict[str, Any] | None = None
    result_id: str | None = None


ProgressSink = Callable[[TaskRecord, int, str], Awaitable[bool]]


class TaskContext:
    """Passed to handlers. ``progress`` reports 0-100; ``check_cancelled`` stops early."""

    def __init__(self, task: TaskRecord, services: HandlerServices, sink: ProgressSink) -> None:
        self.task = task
        self.services = services
        self._sink = sink
        self._last = 0
        self._cancelled = False

    @property
    def payload(self) -> dict[str, Any]:
        return self.task.payload

    @property
    def user_id(self) -> str:
        return self.task.user_id

    @property
    def settings(self) -> Settings:
        return self.services.settings

    async def progress(self, percent: int, message: str = "") -> None:
        """Report progress (clamped to 0-99 and never backwards; 100 is set on completion)."""
        percent = max(self._last, min(99, int(percent)))
        self._last = percent
        if not await self._sink(self.task, percent, message[:200]):
            self._cancelled = True
            raise TaskAbandoned(f"task {self.task.id} is no longer running here")

    def check_cancelled(self) -> None:
        """Raise TaskAbandoned once a progress report found the task cancelled.

        A cancel signal also cancels the handler's asyncio task directly; this check is for
        handlers that loop without awaiting.
        """
        if self._cancelled:
            raise TaskAbandoned(f"task {self.task.id} was cancelled")


def monotonic_ms() -> int:
    """Wall-clock milliseconds for event timestamps."""
    return int(time.time() * 1000)
