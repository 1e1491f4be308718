"""The task queues: one Redis Stream per priority, one consumer group, a delayed set, a DLQ.

A message carries only the task id: the task row in PostgreSQL is the source of truth.
Messages are acknowledged (and deleted, so stream length is the backlog) only after the
task's outcome is stored. Messages of a dead consumer are taken over with XAUTOCLAIM once
idle longer than the visibility timeout; live workers keep theirs fresh with XCLAIM.

A Redis that restarted without its data has no consumer group: every read that gets
NOGROUP recreates the groups (reading from the start of each stream, whose messages none
of them has seen) and tells the ``on_groups_lost`` listeners, so the reconciler re-queues
what the lost streams held.
"""

from __future__ import annotations

import logging
import time
import uuid
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass
from typing import Any, cast

import redis.asyncio as aioredis
from redis.exceptions import RedisError, ResponseError
from redis.typing import KeyT, StreamIdT

from atspro.errors import ServiceUnavailable
from atspro.keys import RedisKeys
from atspro.tasks.model import Priority

log = logging.getLogger(__name__)

# Stream entries read per XRANGE call when looking for a task's message.
_SCAN_PAGE = 1000

# Move due retries from the delayed set to their streams atomically.
_PROMOTE = """
local due = redis.call('ZRANGEBYSCORE', KEYS[1], '-inf', ARGV[1], 'LIMIT', 0, ARGV[2])
for _, member in ipairs(due) do
    redis.call('ZREM', KEYS[1], member)
    local sep = string.find(member, ':', 1, true)
    local priority = string.sub(member, 1, sep - 1)
    local task_id = string.sub(member, sep + 1)
    redis.call('XADD', ARGV[3] .. priority, '*', 'id', task_id)
end
return #due
"""


# Take up to ARGV[6] new messages in one round trip: first each priority's reserved share
# (ARGV[3..5], high to low), then whatever room is left, strictly by priority. Replies
# {{stream index, message id, task id} triples flattened, error}. An error (NOGROUP after
# Redis lost its data) stops the reads but still returns the messages already delivered:
# a plain error reply would strand them in this consumer's pending list.
_TAKE = """
local free = tonumber(ARGV[6])
local out = {}
local err = ''
local function take(i, n)
    if n <= 0 or err ~= '' then return 0 end
    local reply = redis.pcall('XREADGROUP', 'GROUP', ARGV[1], ARGV[2], 'COUNT', n,
                              'STREAMS', KEYS[i], '>')
    if type(reply) == 'table' and reply.err then
        err = reply.err
        return 0
    end
    if not reply then return 0 end
    local messages = reply[1][2]
    for _, message in ipairs(messages) do
        local fields = message[2]
        for f = 1, #fields, 2 do
            if fields[f] == 'id' then
                out[#out + 1] = i
                out[#out + 1] = message[1]
                out[#out + 1] = fields[f + 1]
            end
        end
    end
    return #messages
end
for i = 1, 3 do
    free = free - take(i, math.min(tonumber(ARGV[2 + i]), free))
end
for i = 1, 3 do
    if free <= 0 then break end
    free = free - take(i, free)
end
return {out, err}
"""


@dataclass(frozen=True, slots=True)
class Delivery:
    """One message handed to this consumer."""

    priority: Priority
    message_id: str
    task_id: uuid.UUID


def _s(value: bytes | str) -> str:
    return value.decode() if isinstance(value, bytes) else value


def _nogroup(error: object) -> bool:
    """True for Redis's reply to a read of a stream or consumer group that does not exist."""
    if isinstance(error, str | bytes):
        return "NOGROUP" in _s(error)
    return isinstance(error, ResponseError) and "NOGROUP" in str(error)


class TaskQueue:
    """Redis Streams operations for tasks. All Redis errors become ServiceUnavailable."""

    def __init__(self, redis: aioredis.Redis, *, keys: RedisKeys) -> None:
        self._redis = redis
        self._keys = keys
        self._promote = redis.register_script(_PROMOTE)
        self._on_groups_lost: list[Callable[[], None]] = []
        self.groups_recreated = 0

    @property
    def keys(self) -> RedisKeys:
        return self._keys

    def on_groups_lost(self, callback: Callable[[], None]) -> None:
        """Call ``callback`` whenever a read found the consumer group gone (and recreated it)."""
        self._on_groups_lost.append(callback)

    async def _recreate_groups(self, error: object) -> None:
        """Redis answered NOGROUP: it lost its data. Recreate the groups, tell listeners."""
        log.warning("consumer group %s is gone (%s): recreating it", self._keys.group, error)
        await self.ensure_groups()
        self.groups_recreated += 1
        for callback in self._on_groups_lost:
            callback()

    async def missing_groups(self) -> list[Priority]:
        """Priorities whose stream has no consumer group (for the readiness check)."""
        try:
            async with self._redis.pipeline(transaction=False) as pipe:
                for priority in Priority:
                    pipe.xinfo_groups(self._keys.queue(priority))
                replies = await pipe.execute(raise_on_error=False)
        except RedisError as exc:
            raise ServiceUnavailable(f"Redis is unreachable: {exc}") from exc
        missing: list[Priority] = []
        for priority, reply in zip(Priority, replies, strict=True):
            if isinstance(reply, ResponseError):  # "no such key": the stream is gone too
                missing.append(priority)
            elif isinstance(reply, BaseException):
                raise ServiceUnavailable(f"Redis is unreachable: {reply}") from reply
            elif not any(_s(g["name"]) == self._keys.group for g in reply):
                missing.append(priority)
        return missing

    async def ensure_groups(self) -> None:
        """Create the consumer group on each stream (idempotent)."""
        for priority in Priority:
            try:
                await self._redis.xgroup_create(
                    self._keys.queue(priority), self._keys.group, id="0", mkstream=True
                )
            except ResponseError as exc:
                if "BUSYGROUP" not in str(exc):
                    raise ServiceUnavailable(f"Redis refused to create a group: {exc}") from exc
            except RedisError as exc:
                raise ServiceUnavailable(f"Redis is unreachable: {exc}") from exc

    async def enqueue(self, task_id: uuid.UUID, priority: Priority) -> str:
        """Append a task to its priority's stream; returns the message id."""
        try:
            return _s(await self._redis.xadd(self._keys.queue(priority), {"id": str(task_id)}))
        except RedisError as exc:
            raise ServiceUnavailable(f"Redis is unreachable: {exc}") from exc

    async def take(
        self, consumer: str, *, reserved: dict[Priority, int], free: int
    ) -> list[Delivery]:
        """Up to ``free`` new messages without waiting, in one round trip: first up to
        ``reserved[p]`` from each priority, then the rest strictly high before low."""
        priorities = list(Priority)
        try:
            reply = await self._redis.eval(
                _TAKE,
                len(priorities),
                *(self._keys.queue(p) for p in priorities),
                self._keys.group,
                consumer,
                *(reserved.get(p, 0) for p in priorities),
                free,
            )
        except RedisError as exc:
            raise ServiceUnavailable(f"Redis is unreachable: {exc}") from exc
        found, error = reply
        if error:
            if not _nogroup(error):
                raise ServiceUnavailable(f"Redis refused a read: {_s(error)}")
            await self._recreate_groups(_s(error))
        return [
            Delivery(priorities[int(found[i]) - 1], _s(found[i + 1]), uuid.UUID(_s(found[i + 2])))
            for i in range(0, len(found), 3)
        ]

    async def fetch(
        self, consumer: str, counts: dict[Priority, int], *, block_ms: int | None = None
    ) -> list[Delivery]:
        """Read new messages: up to ``counts[p]`` from each priority's stream.

        With ``block_ms``, waits that long for the first message on any of them.
        """
        streams: dict[KeyT, StreamIdT] = {
            self._keys.queue(p): ">" for p, n in counts.items() if n > 0
        }
        if not streams:
            return []
        by_key = {self._keys.queue(p): p for p in counts}
        out: list[Delivery] = []
        lost: object = None
        try:
            if block_ms is None and len(streams) > 1:
                # Distinct counts per stream need one XREADGROUP each; one pipeline. Errors
                # come back in place, so messages read from the other streams are kept.
                async with self._redis.pipeline(transaction=False) as pipe:
                    for p, n in counts.items():
                        if n > 0:
                            pipe.xreadgroup(
                                self._keys.group, consumer, {self._keys.queue(p): ">"}, count=n
                            )
                    replies = await pipe.execute(raise_on_error=False)
                for reply in replies:
                    if isinstance(reply, BaseException):
                        if not _nogroup(reply):
                            raise reply
                        lost = reply
                results = [
                    r
                    for reply in replies
                    if reply and not isinstance(reply, Exception)
                    for r in reply
                ]
            else:
                count = max(counts.values())
                results = cast(
                    "list[Any]",
                    await self._redis.xreadgroup(
                        self._keys.group, consumer, streams, count=count, block=block_ms
                    )
                    or [],
                )
        except ResponseError as exc:
            if not _nogroup(exc):
                raise ServiceUnavailable(f"Redis refused a read: {exc}") from exc
            # A multi-stream XREADGROUP checks every group before reading: nothing was read.
            results, lost = [], exc
        except RedisError as exc:
            raise ServiceUnavailable(f"Redis is unreachable: {exc}") from exc
        if lost is not None:
            await self._recreate_groups(lost)
        for key, messages in results:
            priority = by_key[_s(key)]
            for message_id, fields in messages:
                out.append(_delivery(priority, message_id, fields))
        return out

    async def autoclaim(self, consumer: str, *, min_idle_ms: int, count: int) -> list[Delivery]:
        """Take over messages idle longer than ``min_idle_ms`` (their worker died)."""
        out: list[Delivery] = []
        lost: ResponseError | None = None
        try:
            for priority in Priority:
                try:
                    reply = await self._redis.xautoclaim(
                        self._keys.queue(priority),
                        self._keys.group,
                        consumer,
                        min_idle_time=min_idle_ms,
                        start_id="0-0",
                        count=count,
                    )
                except ResponseError as exc:
                    if not _nogroup(exc):
                        raise
                    lost = exc  # no group, so no pending messages to take over here
                    continue
                for message_id, fields in reply[1]:
                    if fields:  # None when the entry was deleted meanwhile
                        out.append(_delivery(priority, message_id, fields))
                if len(out) >= count:
                    break
        except RedisError as exc:
            raise ServiceUnavailable(f"Redis is unreachable: {exc}") from exc
        if lost is not None:
            await self._recreate_groups(lost)
        return out

    async def touch(self, consumer: str, deliveries: Iterable[Delivery]) -> None:
        """Reset the idle time of messages still being worked on (a heartbeat)."""
        by_priority: dict[Priority, list[StreamIdT]] = {}
        for d in deliveries:
            by_priority.setdefault(d.priority, []).append(d.message_id)
        if not by_priority:
            return
        try:
            async with self._redis.pipeline(transaction=False) as pipe:
                for priority, ids in by_priority.items():
                    pipe.xclaim(
                        self._keys.queue(priority),
                        self._keys.group,
                        consumer,
                        min_idle_time=0,
                        message_ids=ids,
                        justid=True,
                    )
                replies = await pipe.execute(raise_on_error=False)
        except RedisError as exc:
            raise ServiceUnavailable(f"Redis is unreachable: {exc}") from exc
        errors = [r for r in replies if isinstance(r, BaseException)]
        if any(_nogroup(e) for e in errors):
            # The messages went with the group; the tasks' rows still say running and
            # their workers complete them (an acknowledgement of a lost message is a no-op).
            await self._recreate_groups(errors[0])
        elif errors:
            raise ServiceUnavailable(f"Redis refused a heartbeat: {errors[0]}")

    def add_ack(self, pipe: aioredis.client.Pipeline, deliveries: Sequence[Delivery]) -> None:
        """Queue acknowledgement + deletion of ``deliveries`` on a caller's pipeline."""
        by_priority: dict[Priority, list[str]] = {}
        for d in deliveries:
            by_priority.setdefault(d.priority, []).append(d.message_id)
        for priority, ids in by_priority.items():
            key = self._keys.queue(priority)
            pipe.xack(key, self._keys.group, *ids)
            pipe.xdel(key, *ids)

    async def ack(self, deliveries: Sequence[Delivery]) -> None:
        """Acknowledge and delete ``deliveries``."""
        if not deliveries:
            return
        try:
            async with self._redis.pipeline(transaction=False) as pipe:
                self.add_ack(pipe, deliveries)
                await pipe.execute()
        except RedisError as exc:
            raise ServiceUnavailable(f"Redis is unreachable: {exc}") from exc

    async def enqueue_many(self, tasks: Sequence[tuple[uuid.UUID, Priority]]) -> None:
        """Append each (task id, priority) to its stream, in one round trip."""
        if not tasks:
            return
        try:
            async with self._redis.pipeline(transaction=False) as pipe:
                for task_id, priority in tasks:
                    pipe.xadd(self._keys.queue(priority), {"id": str(task_id)})
                await pipe.execute()
        except RedisError as exc:
            raise ServiceUnavailable(f"Redis is unreachable: {exc}") from exc

    async def mark_alive(self, consumer: str, *, ttl_s: float) -> None:
        """Write (or refresh) a worker process's liveness key, expiring after ``ttl_s``."""
        try:
            await self._redis.set(self._keys.worker_alive(consumer), 1, px=int(ttl_s * 1000))
        except RedisError as exc:
            raise ServiceUnavailable(f"Redis is unreachable: {exc}") from exc

    async def mark_gone(self, consumer: str) -> None:
        """Delete a worker's liveness key (it stopped; what it still held is up for grabs)."""
        try:
            await self._redis.delete(self._keys.worker_alive(consumer))
        except RedisError as exc:
            raise ServiceUnavailable(f"Redis is unreachable: {exc}") from exc

    async def alive(self, consumers: Sequence[str]) -> list[bool]:
        """For each worker: whether its liveness key exists."""
        try:
            async with self._redis.pipeline(transaction=False) as pipe:
                for consumer in consumers:
                    pipe.exists(self._keys.worker_alive(consumer))
                replies = await pipe.execute()
        except RedisError as exc:
            raise ServiceUnavailable(f"Redis is unreachable: {exc}") from exc
        return [bool(n) for n in replies]

    async def with_message(self, tasks: Sequence[tuple[uuid.UUID, Priority]]) -> set[uuid.UUID]:
        """Which of ``tasks`` have a message: due in the delayed set or in a stream (waiting,
        or delivered and not yet acknowledged, since acknowledging deletes it).

        The delayed set is read first: a retry promoted meanwhile lands in a stream read
        later, so it is seen either way. Costs one XRANGE per 1000 stream entries.
        """
        if not tasks:
            return set()
        wanted = {task_id for task_id, _ in tasks}
        found: set[uuid.UUID] = set()
        try:
            scores = await self._redis.zmscore(
                self._keys.delayed, [f"{p.label}:{task_id}" for task_id, p in tasks]
            )
            found.update(
                t for (t, _), score in zip(tasks, scores, strict=True) if score is not None
            )
            for priority in Priority:
                start = "-"
                while True:
                    page: Any = await self._redis.xrange(
                        self._keys.queue(priority), min=start, max="+", count=_SCAN_PAGE
                    )
                    for _, fields in page:
                        raw = fields.get(b"id")
                        if raw is not None:
                            task_id = uuid.UUID(_s(raw))
                            if task_id in wanted:
                                found.add(task_id)
                    if len(page) < _SCAN_PAGE:
                        break
                    # Exclusive start: entries appended meanwhile are read too.
                    start = "(" + _s(page[-1][0])
        except RedisError as exc:
            raise ServiceUnavailable(f"Redis is unreachable: {exc}") from exc
        return found

    async def requeue(self, *deliveries: Delivery) -> None:
        """Put tasks back at the end of their streams now and drop the old messages."""
        if not deliveries:
            return
        try:
            async with self._redis.pipeline(transaction=True) as pipe:
                for delivery in deliveries:
                    pipe.xadd(self._keys.queue(delivery.priority), {"id": str(delivery.task_id)})
                self.add_ack(pipe, deliveries)
                await pipe.execute()
        except RedisError as exc:
            raise ServiceUnavailable(f"Redis is unreachable: {exc}") from exc

    async def schedule_retry(self, delivery: Delivery, *, delay_s: float) -> None:
        """Ack the message and re-deliver the task after ``delay_s`` seconds."""
        member = f"{delivery.priority.label}:{delivery.task_id}"
        try:
            async with self._redis.pipeline(transaction=True) as pipe:
                pipe.zadd(self._keys.delayed, {member: time.time() + delay_s})
                self.add_ack(pipe, [delivery])
                await pipe.execute()
        except RedisError as exc:
            raise ServiceUnavailable(f"Redis is unreachable: {exc}") from exc

    async def promote_due(self, *, limit: int = 1000) -> int:
        """Move retries whose delay has passed onto their streams; returns how many."""
        prefix = self._keys.queue(Priority.HIGH).removesuffix(Priority.HIGH.label)
        try:
            moved = await self._promote(
                keys=[self._keys.delayed], args=[time.time(), limit, prefix]
            )
        except RedisError as exc:
            raise ServiceUnavailable(f"Redis is unreachable: {exc}") from exc
        return int(moved)

    async def dead_letter(
        self, delivery: Delivery, *, task_type: str, user_id: str, error: str, error_kind: str
    ) -> None:
        """Record a task that failed for good on the DLQ stream and ack its message."""
        try:
            async with self._redis.pipeline(transaction=True) as pipe:
                pipe.xadd(
                    self._keys.dlq,
                    {
                        "id": str(delivery.task_id),
                        "type": task_type,
                        "user": user_id,
                        "priority": delivery.priority.label,
                        "error": error,
                        "kind": error_kind,
                    },
                    maxlen=100_000,
                    approximate=True,
                )
                self.add_ack(pipe, [delivery])
                await pipe.execute()
        except RedisError as exc:
            raise ServiceUnavailable(f"Redis is unreachable: {exc}") from exc

    async def depths(self) -> dict[Priority, int]:
        """Messages waiting to be delivered, per priority (backlog, not in-flight)."""
        try:
            async with self._redis.pipeline(transaction=False) as pipe:
                for priority in Priority:
                    pipe.xlen(self._keys.queue(priority))
                    pipe.xpending(self._keys.queue(priority), self._keys.group)
                replies = await pipe.execute(raise_on_error=False)
        except RedisError as exc:
            raise ServiceUnavailable(f"Redis is unreachable: {exc}") from exc
        out: dict[Priority, int] = {}
        lost: BaseException | None = None
        for i, priority in enumerate(Priority):
            length, pending = replies[2 * i], replies[2 * i + 1]
            if isinstance(length, BaseException):
                raise ServiceUnavailable(f"Redis is unreachable: {length}") from length
            if isinstance(pending, BaseException):
                if not _nogroup(pending):
                    raise ServiceUnavailable(f"Redis is unreachable: {pending}") from pending
                lost, pending = pending, {"pending": 0}  # no group: nothing delivered yet
            out[priority] = max(0, int(length) - int(pending["pending"]))
        if lost is not None:
            await self._recreate_groups(lost)
        return out

    async def delayed_count(self) -> int:
        """Retries waiting for their backoff."""
        try:
            return int(await self._redis.zcard(self._keys.delayed))
        except RedisError as exc:
            raise ServiceUnavailable(f"Redis is unreachable: {exc}") from exc


def _delivery(priority: Priority, message_id: bytes | str, fields: dict[bytes, bytes]) -> Delivery:
    return Delivery(priority, _s(message_id), uuid.UUID(_s(fields[b"id"])))
