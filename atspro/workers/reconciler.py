"""The reconciler: puts back on the queues the tasks whose message Redis lost.

PostgreSQL is the source of truth; Redis only carries messages. A Redis that restarts
without its data (or loses its last second with AOF) drops waiting messages, delayed
retries and the pending lists of running tasks, and nothing else would ever deliver
those tasks. One process at a time (the holder of a Redis lock with a TTL, renewed each
pass) compares the two every ``reconcile_interval_s``, at start, and at once when a read
found the consumer group gone:

- a PENDING row that turned pending more than ``reconcile_grace_s`` ago and whose id is
  neither in the delayed set nor in any stream is enqueued again;
- a RUNNING row whose worker's liveness key was missing at two passes at least one key
  lifetime apart (a live worker rewrites it well within that, even after Redis came back
  empty) and that has no message in a stream goes back to PENDING, spending no retry, and
  is enqueued. A message still in a stream belongs to XAUTOCLAIM, which takes it over
  after the visibility timeout.

Why a task is rarely enqueued twice: the grace period covers the moment between a row
turning pending and its message being written; Redis is read after PostgreSQL, the
delayed set before the streams (a promotion in between is seen in the stream), and the
row is stamped only if its attempt is unchanged (nobody claimed it since) and its
``queued_at`` is still old (no other reconciler just did). What remains, such as a Redis
write stalled longer than the grace period, delivers a task twice, which the attempt
fencing makes harmless: the later claim supersedes the earlier attempt, whose result is
then dropped.
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
import time
import uuid
from dataclasses import dataclass

import asyncpg
import redis.asyncio as aioredis
from redis.exceptions import RedisError

from atspro.db import tasks as task_db
from atspro.errors import ServiceUnavailable
from atspro.events.publisher import EventPublisher
from atspro.keys import RedisKeys
from atspro.tasks.events import TaskEvent
from atspro.tasks.model import TaskRecord
from atspro.tasks.queue import TaskQueue
from atspro.workers.context import monotonic_ms

log = logging.getLogger(__name__)

# Rows looked at per pass; a bigger loss takes a few passes.
_MAX_ROWS = 10_000

# Take the lock when free, or extend it when it is ours; 1 when we hold it now.
_LEAD = """
if redis.call('GET', KEYS[1]) == ARGV[1] then
    redis.call('PEXPIRE', KEYS[1], ARGV[2])
    return 1
end
if redis.call('SET', KEYS[1], ARGV[1], 'NX', 'PX', ARGV[2]) then return 1 end
return 0
"""

# Let go of the lock only if it is still ours.
_RELEASE = """
if redis.call('GET', KEYS[1]) == ARGV[1] then return redis.call('DEL', KEYS[1]) end
return 0
"""


def liveness_ttl_s(heartbeat_s: float) -> float:
    """How long a worker's liveness key outlives its last refresh."""
    return 3 * heartbeat_s


@dataclass(frozen=True, slots=True)
class ReconcileReport:
    """What one pass put back on the queues."""

    pending: int = 0
    running: int = 0


class Reconciler:
    """Leader-elected loop re-queueing tasks Redis lost; one per worker pool."""

    def __init__(
        self,
        *,
        pool: asyncpg.Pool,
        redis: aioredis.Redis,
        queue: TaskQueue,
        publisher: EventPublisher,
        identity: str,
        interval_s: float,
        grace_s: float,
        heartbeat_s: float,
    ) -> None:
        self._pool = pool
        self._redis = redis
        self._queue = queue
        self._keys: RedisKeys = queue.keys
        self._publisher = publisher
        self._identity = identity
        self._interval_s = interval_s
        self._grace_s = grace_s
        self._dead_after_s = liveness_ttl_s(heartbeat_s)
        # Several missed renewals before another process may take over.
        self._lock_ttl_ms = int(3 * interval_s * 1000)
        self._lead = redis.register_script(_LEAD)
        self._release = redis.register_script(_RELEASE)
        self._wake = asyncio.Event()
        self._task: asyncio.Task[None] | None = None
        # (task id, attempt) of running rows whose worker key was missing -> first seen.
        self._suspects: dict[tuple[uuid.UUID, int], float] = {}
        self.is_leader = False
        self.passes = 0

    def start(self) -> None:
        """Start the loop; its first pass runs now (if this process wins the lock)."""
        self._task = asyncio.create_task(self._loop(), name="atspro-reconciler")

    def trigger(self) -> None:
        """Run a pass soon (Redis was found without its consumer groups)."""
        self._wake.set()

    async def stop(self) -> None:
        """Stop reconciling and hand the lock to whoever asks next."""
        if self._task is not None:
            self._task.cancel()
            with contextlib.suppress(asyncio.CancelledError):
                await self._task
            self._task = None
        if self.is_leader:
            self.is_leader = False
            with contextlib.suppress(RedisError):
                await self._release(keys=[self._keys.reconciler_lock], args=[self._identity])

    async def _loop(self) -> None:
        while True:
            self._wake.clear()
            try:
                if await self._elect():
                    await self.reconcile_once()
            except ServiceUnavailable as exc:
                log.warning("reconciler %s: %s", self._identity, exc)
            with contextlib.suppress(TimeoutError):
                async with asyncio.timeout(self._interval_s):
                    await self._wake.wait()

    async def _elect(self) -> bool:
        """Take or extend the lock; True while this process is the one reconciling."""
        try:
            held = await self._lead(
                keys=[self._keys.reconciler_lock], args=[self._identity, self._lock_ttl_ms]
            )
        except RedisError as exc:
            self.is_leader = False
            raise ServiceUnavailable(f"Redis is unreachable: {exc}") from exc
        leader = bool(held)
        if leader != self.is_leader:
            log.info("reconciler %s %s", self._identity, "leads" if leader else "stands by")
            if not leader:
                self._suspects.clear()
        self.is_leader = leader
        return leader

    async def reconcile_once(self) -> ReconcileReport:
        """One pass (the caller holds the lock): re-queue what has no message."""
        self.passes += 1
        waiting = await task_db.waiting_too_long(
            self._pool, older_than_s=self._grace_s, limit=_MAX_ROWS
        )
        running = await task_db.running_since(
            self._pool, older_than_s=self._grace_s, limit=_MAX_ROWS
        )
        dead = await self._dead(running)
        if not waiting and not dead:
            return ReconcileReport()
        queued = await self._queue.with_message(
            [(t.task_id, t.priority) for t in (*waiting, *dead)]
        )
        lost = [t for t in waiting if t.task_id not in queued]
        pending = 0
        if lost:
            rows = await task_db.requeue_pending(self._pool, tasks=lost, older_than_s=self._grace_s)
            await self._queue.enqueue_many([(r.id, r.priority) for r in rows])
            pending = len(rows)
            for row in rows:
                log.info("task %s %s re-queued: its message was lost", row.id, row.task_type)
        orphans = [t for t in dead if t.task_id not in queued]
        released: list[TaskRecord] = []
        if orphans:
            released = await task_db.release_dead(self._pool, tasks=orphans)
            now = monotonic_ms()
            # The pending event and the new message in one call, as a submission does.
            await self._publisher.publish(
                [TaskEvent.from_record(r, at_ms=now) for r in released],
                enqueue=[r.priority for r in released],
            )
            for row in released:
                self._suspects.pop((row.id, row.attempt), None)
                log.info("task %s %s re-queued: its worker died", row.id, row.task_type)
        return ReconcileReport(pending=pending, running=len(released))

    async def _dead(self, running: list[task_db.TaskRef]) -> list[task_db.TaskRef]:
        """Running rows whose worker's liveness key stayed missing a whole key lifetime."""
        workers = sorted({t.worker for t in running if t.worker is not None})
        alive = await self._queue.alive(workers)
        gone = {w for w, live in zip(workers, alive, strict=True) if not live}
        now = time.monotonic()
        seen: set[tuple[uuid.UUID, int]] = set()
        dead: list[task_db.TaskRef] = []
        for ref in running:
            if ref.worker not in gone:
                continue
            key = (ref.task_id, ref.attempt)
            seen.add(key)
            first = self._suspects.setdefault(key, now)
            if now - first >= self._dead_after_s:
                dead.append(ref)
        # Forget rows that finished, moved on, or whose worker came back.
        self._suspects = {k: v for k, v in self._suspects.items() if k in seen}
        return dead


__all__ = ["ReconcileReport", "Reconciler", "liveness_ttl_s"]
