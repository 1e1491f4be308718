"""The asyncio worker pool: takes tasks from the priority streams and runs their handlers.

Lifecycle (one class): ``start`` joins the consumer group, writes this process's
liveness key and starts the fetch, maintenance, heartbeat loops and the reconciler;
``stop`` stops taking, taking over and reconciling at once, lets running tasks finish
within a grace period, then cancels the rest and gives them back to the queue without
spending a retry. Nothing is lost: a message is acknowledged only after the task's
outcome is stored, messages of a worker that died are taken over after the visibility
timeout, and what Redis itself lost is re-queued by the reconciler.

Slots: ``worker_concurrency`` tasks run at once. Each priority has ``*_priority_workers``
slots it is guaranteed whenever it has work; the other free slots go to the highest
priority waiting. So high runs before normal before low, and low is never starved.
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
import os
import socket
import time
import uuid
from collections import Counter
from collections.abc import Awaitable, Callable
from dataclasses import dataclass
from datetime import UTC, datetime

import asyncpg
import redis.asyncio as aioredis

from atspro.cpu_pool import set_caller
from atspro.db import tasks as task_db
from atspro.errors import (
    PermanentError,
    RateLimitedError,
    ServiceUnavailable,
    ShutdownInterrupted,
    TaskError,
    TaskTimeout,
    TransientError,
)
from atspro.events.hub import EventHub
from atspro.events.publisher import EventPublisher
from atspro.settings import Settings
from atspro.tasks.events import TaskEvent
from atspro.tasks.model import Priority, TaskRecord, TaskStatus
from atspro.tasks.queue import Delivery, TaskQueue
from atspro.workers.completion import CompletionWriter, superseded
from atspro.workers.context import (
    HandlerResult,
    HandlerServices,
    TaskAbandoned,
    TaskContext,
    monotonic_ms,
)
from atspro.workers.reconciler import Reconciler, liveness_ttl_s
from atspro.workers.registry import HandlerRegistry
from atspro.workers.retry import RetryPolicy

log = logging.getLogger(__name__)


@dataclass(slots=True)
class _Running:
    record: TaskRecord
    delivery: Delivery
    task: asyncio.Task[None]
    started: float
    announced: asyncio.Future[None]
    cancel_reason: str = ""


class WorkerPool:
    """Runs tasks from Redis Streams with task state in PostgreSQL."""

    def __init__(
        self,
        *,
        settings: Settings,
        pool: asyncpg.Pool,
        redis: aioredis.Redis,
        queue: TaskQueue,
        publisher: EventPublisher,
        hub: EventHub,
        registry: HandlerRegistry,
        services: HandlerServices,
        consumer: str | None = None,
    ) -> None:
        self._settings = settings
        self._pool = pool
        self._redis = redis
        self._queue = queue
        self._publisher = publisher
        self._hub = hub
        self._registry = registry
        self._services = services
        self.consumer = consumer or f"{socket.gethostname()}-{os.getpid()}-{uuid.uuid4().hex[:6]}"
        self._policy = RetryPolicy(
            base_delay_s=settings.retry_base_delay_s,
            max_delay_s=settings.retry_max_delay_s,
            resource_exhausted_delay_s=settings.resource_exhausted_delay_s,
        )
        self._ttl_s = settings.result_ttl_hours * 3600
        self._capacity = settings.worker_concurrency
        self._reserved = {
            Priority.HIGH: settings.high_priority_workers,
            Priority.NORMAL: settings.normal_priority_workers,
            Priority.LOW: settings.low_priority_workers,
        }
        self._running: dict[uuid.UUID, _Running] = {}
        self._by_priority: Counter[Priority] = Counter()
        self._slot_freed = asyncio.Event()
        self._writer = CompletionWriter(
            pool=pool, queue=queue, publisher=publisher, ttl_s=self._ttl_s
        )
        self._loops: list[asyncio.Task[None]] = []
        self._fetch_task: asyncio.Task[None] | None = None
        self._stopping = False
        self._stopped = False
        self._alive_ttl_s = liveness_ttl_s(settings.worker_heartbeat_s)
        self.reconciler = Reconciler(
            pool=pool,
            redis=redis,
            queue=queue,
            publisher=publisher,
            identity=self.consumer,
            interval_s=settings.reconcile_interval_s,
            grace_s=settings.reconcile_grace_s,
            heartbeat_s=settings.worker_heartbeat_s,
        )
        queue.on_groups_lost(self.reconciler.trigger)
        # True after a fetch found every stream empty: the next one blocks right away
        # instead of first trying ``take`` (one Redis round trip less per idle wake-up).
        self._drained = False

    @property
    def running_count(self) -> int:
        """Tasks running in this process now."""
        return len(self._running)

    async def start(self) -> None:
        """Join the consumer group and start taking work."""
        await self._queue.ensure_groups()
        # Alive before the first claim names this process on a row.
        await self._queue.mark_alive(self.consumer, ttl_s=self._alive_ttl_s)
        self._hub.on_cancel(self._on_cancel)
        self._fetch_task = asyncio.create_task(self._fetch_loop(), name="atspro-fetch")
        self._loops = [
            asyncio.create_task(self._maintenance_loop(), name="atspro-maintenance"),
            asyncio.create_task(self._promote_loop(), name="atspro-promote"),
            asyncio.create_task(self._sweep_loop(), name="atspro-sweep"),
            asyncio.create_task(self._heartbeat_loop(), name="atspro-heartbeat"),
        ]
        self.reconciler.start()
        log.info("worker %s started (concurrency %d)", self.consumer, self._capacity)

    async def stop(self, *, grace_s: float | None = None) -> None:
        """Stop taking work; wait ``grace_s`` for running tasks, then hand them back."""
        grace = self._settings.shutdown_grace_s if grace_s is None else grace_s
        self._stopping = True
        if self._fetch_task is not None:
            self._fetch_task.cancel()
            with contextlib.suppress(asyncio.CancelledError):
                await self._fetch_task
        await self.reconciler.stop()
        tasks = [r.task for r in self._running.values()]
        if tasks:
            _, still = await asyncio.wait(tasks, timeout=grace)
            for running in list(self._running.values()):
                if running.task in still:
                    running.cancel_reason = "shutdown"
                    running.task.cancel()
            if still:
                await asyncio.wait(still, timeout=5.0)
        self._stopped = True
        for loop in self._loops:
            loop.cancel()
        for loop in self._loops:
            with contextlib.suppress(asyncio.CancelledError):
                await loop
        await self._writer.close()
        # Whatever this process still holds (a hand-back that found Redis down) is now
        # the reconciler's to re-queue, without waiting for the key to expire.
        try:
            await self._queue.mark_gone(self.consumer)
        except ServiceUnavailable as exc:
            log.warning("worker %s: %s", self.consumer, exc)
        log.info("worker %s stopped", self.consumer)

    # -- fetching ---------------------------------------------------------------------

    def _reserved_room(self) -> dict[Priority, int]:
        """Guaranteed slots each priority has free now."""
        return {p: max(0, self._reserved[p] - self._by_priority[p]) for p in Priority}

    async def _fetch_loop(self) -> None:
        delay = 0.05
        while not self._stopping:
            free = self._capacity - len(self._running)
            if free <= 0:
                self._slot_freed.clear()
                await self._slot_freed.wait()
                continue
            try:
                deliveries = await self._fetch(free)
                if deliveries:
                    await self._start_deliveries(deliveries)
                    # Let the new handlers reach their first I/O (for a quick task, the
                    # completion statement) before this loop's next Redis call goes out.
                    await asyncio.sleep(0)
                delay = 0.05
            except ServiceUnavailable as exc:
                log.warning("worker %s: %s; retrying in %.2fs", self.consumer, exc, delay)
                await asyncio.sleep(delay)
                delay = min(delay * 2, 2.0)

    async def _fetch(self, free: int) -> list[Delivery]:
        per_stream = max(1, free // len(Priority))
        # After an empty fetch, skip ``take`` when a full read of every stream fits the room.
        if not self._drained or per_stream * len(Priority) > free:
            got = await self._queue.take(self.consumer, reserved=self._reserved_room(), free=free)
            # ``take`` fills the room from every stream: fewer than asked means all are empty.
            self._drained = len(got) < free
            if got:
                return got
        # Nothing waiting: block until a message arrives on any stream. The count applies
        # per stream, so split the room; the blocking read skips the reserved shares,
        # which only matter while there is a backlog, and then ``take`` runs instead.
        got = await self._queue.fetch(
            self.consumer, dict.fromkeys(Priority, per_stream), block_ms=1000
        )
        self._drained = len(got) < per_stream
        if len(got) > free:
            # With fewer free slots than streams, a burst landing on several streams at
            # once overfills the room (the count is per stream): keep the most urgent and
            # hand the rest back, unstarted, for any worker to take.
            got.sort(key=lambda d: d.priority)
            await self._queue.requeue(*got[free:])
            del got[free:]
        return got

    async def _start_deliveries(self, deliveries: list[Delivery]) -> None:
        by_id = {d.task_id: d for d in deliveries}
        records = await task_db.claim_tasks(self._pool, task_ids=list(by_id), worker=self.consumer)
        claimed = {r.id for r in records}
        # Cancelled, finished or expired meanwhile: nothing to run, just drop the message.
        await self._queue.ack([d for d in deliveries if d.task_id not in claimed])
        now = monotonic_ms()
        events = [TaskEvent.from_record(r, at_ms=now) for r in records]
        # The handlers start while their "running" events go out (created first, they run
        # first); anything a handler publishes later (progress, outcome) waits for those
        # events, so the order holds.
        tasks = [asyncio.create_task(self._execute(r, by_id[r.id])) for r in records]
        announced = asyncio.ensure_future(
            self._after_commit(lambda: self._publisher.publish(events))
        )
        for record, task in zip(records, tasks, strict=True):
            delivery = by_id[record.id]
            self._by_priority[delivery.priority] += 1
            self._running[record.id] = _Running(record, delivery, task, time.monotonic(), announced)
            # DEBUG: one INFO line per task (its completion) is enough at thousands a second,
            # and this one sits between the claim and the handler's start.
            log.debug(
                "task %s %s running (attempt %d)", record.id, record.task_type, record.attempt
            )

    # -- running ----------------------------------------------------------------------

    async def _execute(self, record: TaskRecord, delivery: Delivery) -> None:
        started = time.monotonic()
        try:
            await self._run_handler(record, delivery)
        except Exception:
            # Storing the outcome failed (service outage): the message stays unacknowledged
            # and is re-delivered after the visibility timeout.
            log.exception("task %s: could not store its outcome", record.id)
        finally:
            self._running.pop(record.id, None)
            self._by_priority[delivery.priority] -= 1
            self._slot_freed.set()
            log.debug("task %s done in %.1f ms", record.id, (time.monotonic() - started) * 1000)

    async def _run_handler(self, record: TaskRecord, delivery: Delivery) -> None:
        handler = self._registry.get(record.task_type)
        ctx = TaskContext(record, self._services, self._report_progress)
        # This handler's CPU calls queue as this user's: one user cannot fill the processes.
        set_caller(record.user_id)
        try:
            if handler is None:
                raise _unknown_type(record.task_type)
            async with asyncio.timeout(self._settings.task_timeout_seconds):
                outcome = await handler(ctx)
        except asyncio.CancelledError:
            running = self._running.get(record.id)
            reason = running.cancel_reason if running else ""
            if reason == "user":
                await self._queue.ack([delivery])
                log.info("task %s %s cancelled while running", record.id, record.task_type)
                return
            # Shutdown: give the task back so another worker runs it now.
            await self._hand_back(record, delivery)
            raise
        except ShutdownInterrupted:
            # The CPU pool's processes were stopped under the call: not the task's failure.
            await self._hand_back(record, delivery)
            return
        except TaskAbandoned:
            await self._ack_unless_superseded(record, delivery)
            return
        except TimeoutError:
            await self._fail(
                record,
                delivery,
                TaskTimeout(
                    f"task timed out after {self._settings.task_timeout_seconds:g} seconds"
                ),
            )
            return
        except TaskError as exc:
            await self._fail(record, delivery, exc)
            return
        except Exception as exc:
            if self._stopping:
                # Most likely shutdown's doing (a helper process or client already closed,
                # or a cancellation the handler turned into an error): not the task's fault,
                # so it goes back to the queue without spending a retry.
                log.info("task %s %s: %r while stopping", record.id, record.task_type, exc)
                await self._hand_back(record, delivery)
                return
            # An unexpected error: logged with its traceback, retried as transient,
            # and shown to the user without internals.
            log.exception("task %s %s: handler raised", record.id, record.task_type)
            await self._fail(
                record, delivery, TransientError(f"internal error ({type(exc).__name__})")
            )
            return
        if not isinstance(outcome, HandlerResult):
            outcome = HandlerResult(result=outcome if isinstance(outcome, dict) else None)
        running = self._running.get(record.id)
        await self._writer.complete(
            record, delivery, outcome, announced=running.announced if running else None
        )

    async def _hand_back(self, record: TaskRecord, delivery: Delivery) -> None:
        """Give a task cut off by shutdown back to its queue; its retry count stays as is."""
        released = await task_db.release_task(self._pool, task_id=record.id, attempt=record.attempt)
        if released is None:
            # Not ours any more (cancelled, or taken over): nothing to hand back.
            await self._ack_unless_superseded(record, delivery)
            return
        # Subscribers must see it pending again, not stuck as running.
        await self._announced(record)
        await self._publisher.publish([TaskEvent.from_record(released, at_ms=monotonic_ms())])
        await self._queue.requeue(delivery)
        log.info("task %s %s handed back on shutdown", record.id, record.task_type)

    async def _fail(self, record: TaskRecord, delivery: Delivery, error: TaskError) -> None:
        await self._announced(record)
        retry_after = error.retry_after_s if isinstance(error, RateLimitedError) else None
        delay = self._policy.delay(
            error.kind, retry_count=record.retry_count, retry_after_s=retry_after
        )
        now = monotonic_ms()
        if delay is not None and record.retry_count < record.max_retries:
            row = await task_db.schedule_retry(
                self._pool,
                task_id=record.id,
                attempt=record.attempt,
                error_message=error.message,
                error_kind=error.kind.value,
                message=f"retrying in {delay:.1f}s",
            )
            if row is None:
                await self._ack_unless_superseded(record, delivery)
                return
            event = TaskEvent.from_record(row, at_ms=now)
            await self._after_commit(lambda: self._publisher.publish([event]))
            await self._after_commit(lambda: self._queue.schedule_retry(delivery, delay_s=delay))
            log.info(
                "task %s %s failed (%s: %s); retry %d/%d in %.2fs",
                record.id,
                record.task_type,
                error.kind,
                error.message,
                row.retry_count,
                row.max_retries,
                delay,
            )
            return
        row = await task_db.finish_task(
            self._pool,
            task_id=record.id,
            attempt=record.attempt,
            status=TaskStatus.FAILED,
            error_message=error.message,
            error_kind=error.kind.value,
            ttl_s=self._ttl_s,
        )
        if row is None:
            await self._ack_unless_superseded(record, delivery)
            return
        event = TaskEvent.from_record(row, at_ms=now)
        await self._after_commit(lambda: self._publisher.publish([event]))
        await self._after_commit(
            lambda: self._queue.dead_letter(
                delivery,
                task_type=record.task_type,
                user_id=record.user_id,
                error=error.message,
                error_kind=error.kind.value,
            )
        )
        log.info(
            "task %s %s failed: %s (%s)", record.id, record.task_type, error.message, error.kind
        )

    async def _after_commit(self, step: Callable[[], Awaitable[object]]) -> None:
        """Redis work owed for a row change already committed: wait out an outage.

        Dropping it would lose the event for good: a re-delivery finds the row finished.
        """
        delay = 0.05
        while True:
            try:
                await step()
                return
            except ServiceUnavailable as exc:
                log.warning("worker %s: %s; retrying in %.2fs", self.consumer, exc, delay)
                await asyncio.sleep(delay)
                delay = min(delay * 2, 2.0)

    async def _ack_unless_superseded(self, record: TaskRecord, delivery: Delivery) -> None:
        """Ack an attempt that stored nothing, unless a newer attempt owns the message."""
        if not await superseded(self._pool, record):
            await self._queue.ack([delivery])

    async def _announced(self, record: TaskRecord) -> None:
        """Wait until the task's "running" event is out (events of a task stay in order)."""
        running = self._running.get(record.id)
        if running is not None:
            await asyncio.shield(running.announced)

    async def _report_progress(self, record: TaskRecord, percent: int, message: str) -> bool:
        await self._announced(record)
        row = await task_db.update_progress(
            self._pool, task_id=record.id, attempt=record.attempt, progress=percent, message=message
        )
        if row is None:
            return False
        await self._publisher.publish([TaskEvent.from_record(row, at_ms=monotonic_ms())])
        return True

    def _on_cancel(self, task_id: uuid.UUID) -> None:
        running = self._running.get(task_id)
        if running is not None and not running.task.done():
            running.cancel_reason = "user"
            running.task.cancel()

    # -- background loops -------------------------------------------------------------

    async def _maintenance_loop(self) -> None:
        """Heartbeat our in-flight messages and take over those of dead workers."""
        interval = self._settings.visibility_timeout_s / 3
        min_idle_ms = int(self._settings.visibility_timeout_s * 1000)
        # The loops check _stopping too: redis-py may turn a cancellation into a
        # connection error, which would otherwise keep a cancelled loop alive.
        while not self._stopping:
            await asyncio.sleep(interval)
            try:
                await self._queue.touch(self.consumer, [r.delivery for r in self._running.values()])
                free = self._capacity - len(self._running)
                if free > 0 and not self._stopping:
                    orphans = await self._queue.autoclaim(
                        self.consumer, min_idle_ms=min_idle_ms, count=free
                    )
                    orphans = [d for d in orphans if d.task_id not in self._running]
                    if orphans:
                        log.info(
                            "worker %s took over %d orphaned tasks", self.consumer, len(orphans)
                        )
                        await self._start_deliveries(orphans)
            except ServiceUnavailable as exc:
                log.warning("worker %s maintenance: %s", self.consumer, exc)

    async def _heartbeat_loop(self) -> None:
        """Refresh this process's liveness key, through the grace period of a stop too:
        the reconciler re-queues the running tasks of a worker whose key expired."""
        while not self._stopped:
            await asyncio.sleep(self._settings.worker_heartbeat_s)
            try:
                await self._queue.mark_alive(self.consumer, ttl_s=self._alive_ttl_s)
            except ServiceUnavailable as exc:
                log.warning("worker %s heartbeat: %s", self.consumer, exc)

    async def _promote_loop(self) -> None:
        """Move retries whose backoff has passed back onto their streams."""
        while not self._stopping:
            await asyncio.sleep(0.1)
            try:
                await self._queue.promote_due()
            except ServiceUnavailable as exc:
                log.warning("worker %s promote: %s", self.consumer, exc)
                await asyncio.sleep(1.0)

    async def _sweep_loop(self) -> None:
        """Delete task rows (and their inline results) whose time is up."""
        while not self._stopping:
            await asyncio.sleep(self._settings.sweep_interval_s)
            try:
                await self.sweep_expired()
            except ServiceUnavailable as exc:
                log.warning("worker %s sweep: %s", self.consumer, exc)

    async def sweep_expired(self) -> int:
        """One sweep: delete expired task rows in batches; returns how many."""
        total = 0
        while True:
            gone = await task_db.delete_expired_tasks(self._pool, limit=1000)
            total += len(gone)
            if len(gone) < 1000:
                break
        await task_db.delete_old_metrics(self._pool, older_than_s=max(self._ttl_s, 7 * 86400))
        if self._services.documents is not None:
            total += await self._services.documents.delete_expired(now=datetime.now(UTC))
        if total:
            log.info("expired %d tasks", total)
        return total


def _unknown_type(task_type: str) -> TaskError:
    return PermanentError(f"no handler is registered for task type {task_type!r}")


__all__ = ["WorkerPool"]
