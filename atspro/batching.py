"""Group commit: concurrent calls run together, one group at a time.

A call that finds the runner idle runs at once, in its own task, so a lone call pays no
delay; calls that arrive while a group is in flight form the next group. Under load groups grow
by themselves, and one database or Redis round trip serves many callers (a round trip
costs about as much server CPU as the rest of a small request).
"""

from __future__ import annotations

import asyncio
from collections.abc import Awaitable, Callable, Sequence
from typing import Generic, TypeVar

T = TypeVar("T")
R = TypeVar("R")

# ``run`` returns one outcome per item, in order: a value, or the exception that item
# alone failed with. An exception raised by ``run`` itself fails the whole group.
GroupRun = Callable[[Sequence[T]], Awaitable[Sequence[R | BaseException]]]


class GroupRunner(Generic[T, R]):
    """Runs ``run`` over groups of the items passed to ``call``."""

    def __init__(self, run: GroupRun[T, R], *, name: str, max_group: int = 500) -> None:
        self._run = run
        self._name = name
        self._max_group = max_group
        # Set while no group runs and none waits.
        self._idle = asyncio.Event()
        self._idle.set()
        self._waiting: list[tuple[T, asyncio.Future[R]]] = []
        self._drain: asyncio.Task[None] | None = None

    async def call(self, item: T) -> R:
        """``item``'s outcome, once the group holding it has run."""
        if self._idle.is_set():
            # Idle means nobody waits: run this lone item in the caller's own task (no
            # task switch on the unloaded path; its cancellation concerns it alone).
            self._idle.clear()
            try:
                (outcome,) = await self._run([item])
            finally:
                self._hand_off()
            if isinstance(outcome, BaseException):
                raise outcome
            return outcome
        future: asyncio.Future[R] = asyncio.get_running_loop().create_future()
        self._waiting.append((item, future))
        return await future

    async def close(self) -> None:
        """Wait until every call made so far has its outcome."""
        await self._idle.wait()

    def _hand_off(self) -> None:
        """After a group: the calls that queued meanwhile run next, in a task of their own."""
        if self._waiting:
            self._drain = asyncio.create_task(self._drain_loop(), name=self._name)
        else:
            self._idle.set()

    async def _drain_loop(self) -> None:
        try:
            while self._waiting:
                group = self._waiting[: self._max_group]
                del self._waiting[: self._max_group]
                # Callers that gave up (cancelled) need nothing done.
                group = [(item, future) for item, future in group if not future.done()]
                if group:
                    await self._run_group(group)
        finally:
            self._drain = None
            self._idle.set()
            for _, future in self._waiting:
                # Only reached when this task itself was cancelled (loop shutdown).
                future.cancel()
            self._waiting.clear()

    async def _run_group(self, group: list[tuple[T, asyncio.Future[R]]]) -> None:
        try:
            outcomes = await self._run([item for item, _ in group])
        except asyncio.CancelledError:
            for _, future in group:
                future.cancel()
            raise
        except Exception as exc:
            for _, future in group:
                if not future.done():
                    future.set_exception(exc)
            return
        for (_, future), outcome in zip(group, outcomes, strict=True):
            if future.done():
                continue
            if isinstance(outcome, BaseException):
                future.set_exception(outcome)
            else:
                future.set_result(outcome)
