"""Task operations for API callers: submit, read, list, cancel, retry, wait, statistics.

Every operation is scoped to one user: another user's task id behaves as an unknown id.
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
import uuid
from collections.abc import AsyncIterator, Sequence
from dataclasses import dataclass
from datetime import datetime
from typing import Any

import asyncpg

from atspro.batching import GroupRunner
from atspro.db import tasks as task_db
from atspro.errors import ConflictError, InputError, NotFoundError, ServiceUnavailable
from atspro.events.hub import EventHub
from atspro.events.publisher import EventPublisher
from atspro.settings import Settings
from atspro.tasks.events import TaskEvent
from atspro.tasks.model import Priority, TaskRecord
from atspro.tasks.queue import TaskQueue
from atspro.workers.context import monotonic_ms

log = logging.getLogger(__name__)


@dataclass(frozen=True, slots=True)
class QueueStats:
    """Depth of the shared queues; one user's tasks now and their recent outcomes."""

    depth: dict[Priority, int]
    delayed: int
    pending: int
    running: int
    completed_last_hour: int
    failed_last_hour: int
    durations: list[task_db.DurationStats]


class TaskService:
    """The operations behind the GraphQL task API."""

    def __init__(
        self,
        *,
        settings: Settings,
        pool: asyncpg.Pool,
        queue: TaskQueue,
        publisher: EventPublisher,
        hub: EventHub,
    ) -> None:
        self._settings = settings
        self._pool = pool
        self._queue = queue
        self._publisher = publisher
        self._hub = hub
        self._ttl_s = settings.result_ttl_hours * 3600
        # Group commit for the two hottest calls: concurrent submissions share one INSERT
        # and one Redis round trip, concurrent reads one SELECT.
        self._submits: GroupRunner[task_db.NewTask, TaskRecord] = GroupRunner(
            self._submit_group, name="atspro-submit"
        )
        self._reads: GroupRunner[tuple[uuid.UUID, str], TaskRecord | None] = GroupRunner(
            self._read_group, name="atspro-task-reads"
        )

    @property
    def hub(self) -> EventHub:
        return self._hub

    def check_wait(self, wait_s: int | None) -> float | None:
        """Validate a client's ``wait`` argument (seconds)."""
        if wait_s is None:
            return None
        if wait_s < 0 or wait_s > self._settings.max_wait_s:
            raise InputError(
                f"wait must be between 0 and {self._settings.max_wait_s} seconds, got {wait_s}",
                field="wait",
            )
        return float(wait_s)

    async def submit(
        self,
        *,
        user_id: str,
        task_type: str,
        payload: dict[str, Any],
        priority: Priority = Priority.NORMAL,
        task_id: uuid.UUID | None = None,
        max_retries: int | None = None,
    ) -> TaskRecord:
        """Create a pending task, announce it and put it on its priority's queue."""
        return await self._submits.call(
            task_db.NewTask(
                task_id=task_id or uuid.uuid4(),
                user_id=user_id,
                task_type=task_type,
                priority=priority,
                payload=payload,
                max_retries=self._settings.max_retries if max_retries is None else max_retries,
            )
        )

    async def _submit_group(
        self, tasks: Sequence[task_db.NewTask]
    ) -> list[TaskRecord | BaseException]:
        """Submissions that arrived together: one INSERT, one Redis round trip."""
        try:
            records = await task_db.insert_tasks(self._pool, tasks=tasks)
        except asyncpg.PostgresError:
            if len(tasks) == 1:
                raise
            # One bad row (a duplicate id, say) must not fail the others: one at a time.
            return list(
                await asyncio.gather(*(self._submit_one(t) for t in tasks), return_exceptions=True)
            )
        await self._announce(records)
        return list(records)

    async def _submit_one(self, task: task_db.NewTask) -> TaskRecord:
        record = await task_db.insert_task(self._pool, task=task)
        await self._announce([record])
        return record

    async def submit_and_wait(self, *, wait_s: float | None, **submit: Any) -> TaskRecord:
        """Submit; with ``wait_s``, return once the task finished or the wait ran out."""
        if not wait_s:
            return await self.submit(**submit)
        task_id = submit.pop("task_id", None) or uuid.uuid4()
        user_id: str = submit["user_id"]
        async with self._terminal_watch(user_id, task_id) as terminal:
            record = await self.submit(task_id=task_id, **submit)
            with contextlib.suppress(TimeoutError):
                async with asyncio.timeout(wait_s):
                    await terminal
            if terminal.done():
                return await self.get(user_id=user_id, task_id=task_id)
            return record

    async def wait(self, *, user_id: str, task_id: uuid.UUID, wait_s: float) -> TaskRecord:
        """Return the task once it is finished, or as it is when ``wait_s`` runs out."""
        async with self._terminal_watch(user_id, task_id) as terminal:
            record = await self.get(user_id=user_id, task_id=task_id)
            if record.status.is_terminal or wait_s <= 0:
                return record
            with contextlib.suppress(TimeoutError):
                async with asyncio.timeout(wait_s):
                    await terminal
        return await self.get(user_id=user_id, task_id=task_id)

    @contextlib.asynccontextmanager
    async def _terminal_watch(
        self, user_id: str, task_id: uuid.UUID
    ) -> AsyncIterator[asyncio.Future[TaskEvent]]:
        """A future resolved by the task's first terminal event; live before yielding."""
        ready = asyncio.Event()
        terminal: asyncio.Future[TaskEvent] = asyncio.get_running_loop().create_future()

        async def watch() -> None:
            async for event in self._hub.events(user_id, task_id=task_id, ready=ready):
                if event.status.is_terminal:
                    terminal.set_result(event)
                    return

        watcher = asyncio.create_task(watch())
        ready_wait = asyncio.create_task(ready.wait())
        try:
            await asyncio.wait({watcher, ready_wait}, return_when=asyncio.FIRST_COMPLETED)
            if watcher.done() and watcher.exception() is not None:
                raise watcher.exception()  # type: ignore[misc]
            yield terminal
        finally:
            ready_wait.cancel()
            watcher.cancel()
            with contextlib.suppress(asyncio.CancelledError, Exception):
                await watcher

    async def get(self, *, user_id: str, task_id: uuid.UUID) -> TaskRecord:
        """The user's task; NotFoundError otherwise."""
        record = await self._reads.call((task_id, user_id))
        if record is None:
            raise NotFoundError("task", task_id)
        return record

    async def _read_group(
        self, keys: Sequence[tuple[uuid.UUID, str]]
    ) -> list[TaskRecord | BaseException | None]:
        return list(await task_db.get_user_tasks(self._pool, keys=keys))

    async def list(
        self,
        *,
        user_id: str,
        filter: task_db.TaskFilter,
        first: int,
        before: tuple[datetime, uuid.UUID] | None = None,
    ) -> tuple[list[TaskRecord], bool]:
        """A page of the user's tasks, newest first, and whether more follow."""
        if first < 1 or first > 100:
            raise InputError(f"first must be between 1 and 100, got {first}", field="first")
        rows = await task_db.list_tasks(
            self._pool, user_id=user_id, filter=filter, limit=first + 1, before=before
        )
        return rows[:first], len(rows) > first

    async def cancel(self, *, user_id: str, task_id: uuid.UUID) -> TaskRecord:
        """Cancel a pending task (it never runs) or a running one (its worker stops it)."""
        record = await task_db.cancel_task(
            self._pool, task_id=task_id, user_id=user_id, ttl_s=self._ttl_s
        )
        if record is None:
            existing = await self.get(user_id=user_id, task_id=task_id)
            raise ConflictError(f"task {task_id} is already {existing.status.value}")
        # The row says cancelled and is the source of truth: a worker that finishes anyway
        # cannot complete it. So a Redis outage here does not undo or fail the cancel; the
        # signal only stops the work sooner, and the event is best effort.
        try:
            await self._hub.signal_cancel(task_id)
            await self._publisher.publish([TaskEvent.from_record(record, at_ms=monotonic_ms())])
        except ServiceUnavailable as exc:
            log.warning("task %s cancelled, but Redis could not be told: %s", task_id, exc)
        return record

    async def retry(self, *, user_id: str, task_id: uuid.UUID) -> TaskRecord:
        """Queue a failed or cancelled task again."""
        record = await task_db.retry_task(self._pool, task_id=task_id, user_id=user_id)
        if record is None:
            existing = await self.get(user_id=user_id, task_id=task_id)
            raise ConflictError(
                f"task {task_id} is {existing.status.value}; only failed or cancelled tasks can be retried"
            )
        await self._announce([record])
        return record

    async def stats(self, *, user_id: str) -> QueueStats:
        """The shared queues' depth; the user's tasks now and over the last hour."""
        counts = await task_db.task_counts(self._pool, user_id=user_id)
        depth = await self._queue.depths()
        delayed = await self._queue.delayed_count()
        return QueueStats(
            depth=depth,
            delayed=delayed,
            pending=counts.pending,
            running=counts.running,
            completed_last_hour=counts.completed_last_hour,
            failed_last_hour=counts.failed_last_hour,
            durations=counts.durations,
        )

    async def _announce(self, records: Sequence[TaskRecord]) -> None:
        """Publish the pending events and enqueue the tasks, in one Redis call per user."""
        now = monotonic_ms()
        try:
            await self._publisher.publish(
                [TaskEvent.from_record(record, at_ms=now) for record in records],
                enqueue=[record.priority for record in records],
            )
        except ServiceUnavailable:
            # The callers get an error and no task id: remove the rows so nothing sits
            # pending forever without a queue message.
            await task_db.delete_tasks(self._pool, task_ids=[r.id for r in records])
            raise


__all__ = ["QueueStats", "TaskService"]
