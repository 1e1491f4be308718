"""Group commit of task completions.

Finished tasks are written in batches (atspro.batching): one UPDATE (with the metrics
insert) for every completion that arrived while the previous batch was being written,
then one Redis script call per user publishing their events and acknowledging their
messages.
"""

from __future__ import annotations

import asyncio
import logging
from collections.abc import Sequence
from dataclasses import dataclass

import asyncpg

from atspro.batching import GroupRunner
from atspro.db import tasks as task_db
from atspro.errors import ServiceUnavailable
from atspro.events.publisher import EventPublisher
from atspro.tasks.events import TaskEvent
from atspro.tasks.model import TaskRecord
from atspro.tasks.queue import Delivery, TaskQueue
from atspro.workers.context import HandlerResult, monotonic_ms

log = logging.getLogger(__name__)

_MAX_BATCH = 1000


async def superseded(pool: asyncpg.Pool, record: TaskRecord) -> bool:
    """True when a newer attempt of the task is live: its message is not this attempt's."""
    current = await task_db.get_task_by_id(pool, task_id=record.id)
    return (
        current is not None and not current.status.is_terminal and current.attempt != record.attempt
    )


def _run_ms(row: TaskRecord) -> float:
    """The attempt's time from claim to stored result, by the database clock."""
    if row.started_at is None or row.completed_at is None:
        return 0.0
    return (row.completed_at - row.started_at).total_seconds() * 1000


@dataclass(frozen=True, slots=True)
class _Pending:
    record: TaskRecord
    delivery: Delivery
    outcome: HandlerResult
    # Events the task published earlier that must be out before its completed event.
    announced: asyncio.Future[None] | None


class CompletionWriter:
    """Stores task results in batches; ``complete`` returns once the result is stored."""

    def __init__(
        self,
        *,
        pool: asyncpg.Pool,
        queue: TaskQueue,
        publisher: EventPublisher,
        ttl_s: float,
    ) -> None:
        self._pool = pool
        self._queue = queue
        self._publisher = publisher
        self._ttl_s = ttl_s
        self._runner: GroupRunner[_Pending, None] = GroupRunner(
            self._write_group, name="atspro-completions", max_group=_MAX_BATCH
        )

    async def close(self) -> None:
        """Wait until what is queued is written."""
        await self._runner.close()

    async def complete(
        self,
        record: TaskRecord,
        delivery: Delivery,
        outcome: HandlerResult,
        *,
        announced: asyncio.Future[None] | None = None,
    ) -> None:
        """Queue a completion and wait until it is stored and acknowledged.

        The row is written at once; the completed event waits for ``announced``.
        """
        await self._runner.call(_Pending(record, delivery, outcome, announced))

    async def _write_group(self, batch: Sequence[_Pending]) -> list[BaseException | None]:
        await self._write(batch)
        return [None] * len(batch)

    async def _write(self, batch: Sequence[_Pending]) -> None:
        rows = await task_db.complete_tasks(
            self._pool,
            completions=[
                task_db.Completion(
                    task_id=p.record.id,
                    attempt=p.record.attempt,
                    result=p.outcome.result,
                    result_id=p.outcome.result_id,
                )
                for p in batch
            ],
            ttl_s=self._ttl_s,
        )
        now = monotonic_ms()
        events = [TaskEvent.from_record(r, at_ms=now) for r in rows]
        deliveries = {p.record.id: p.delivery for p in batch}
        stored = {r.id for r in rows}
        # Not stored (cancelled, or superseded): no event; the message is acknowledged
        # unless a newer attempt owns it.
        other_acks = [
            p.delivery
            for p in batch
            if p.record.id not in stored and not await superseded(self._pool, p.record)
        ]
        # The tasks' earlier events (one future per claimed batch) go out first.
        earlier = {id(p.announced): p.announced for p in batch if p.announced is not None}
        for announced in earlier.values():
            await asyncio.shield(announced)
        delay = 0.05
        while True:
            try:
                if other_acks:
                    await self._queue.ack(other_acks)
                    other_acks = []
                # Each event with its message's acknowledgement, in one call per user.
                await self._publisher.publish(events, ack=[deliveries[r.id] for r in rows])
                break
            except ServiceUnavailable as exc:
                if not rows:
                    raise
                # The results are committed, so a re-delivery would only ack them: their
                # completed events must go out now or subscribers never see the end.
                log.warning("%d results stored; their events wait for Redis (%s)", len(rows), exc)
                await asyncio.sleep(delay)
                delay = min(delay * 2, 2.0)
        for row in rows:
            log.info(
                "task %s %s completed in %.1f ms (attempt %d)",
                row.id,
                row.task_type,
                _run_ms(row),
                row.attempt,
            )
        if len(rows) < len(batch):
            for p in batch:
                if p.record.id not in stored:
                    log.info("task %s: result dropped (cancelled or superseded)", p.record.id)
