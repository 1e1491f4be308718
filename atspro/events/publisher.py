"""Publishing task events: appended to the user's bounded stream, then sent live.

One Lua script does both, so the stream order and the live order are the same and each
event gets its stream id before anyone sees it live. The script is sent with EVAL (Redis
caches it by hash): redis-py's pipelined Script objects cost an extra SCRIPT EXISTS round
trip per pipeline, and EVALSHA in a pipeline could fail halfway after a Redis restart.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

import redis.asyncio as aioredis
from redis.exceptions import RedisError

from atspro.errors import ServiceUnavailable
from atspro.keys import RedisKeys
from atspro.tasks.events import TaskEvent
from atspro.tasks.model import Priority
from atspro.tasks.queue import Delivery

# One user's events, in order: each appended to the stream, then published with its id.
# The queue work that goes with an event travels in the same call: a submission queues
# its task, a completion acknowledges and deletes its message. After the stream length
# and the consumer group, ARGV holds one 5-tuple per event: (queue to append to or 0, task
# id, event, queue to acknowledge on or 0, message id); KEYS[3..5] are the queues.
_PUBLISH = """
local ids = {}
for i = 3, #ARGV, 5 do
    local queue = tonumber(ARGV[i])
    if queue > 0 then
        redis.call('XADD', KEYS[2 + queue], '*', 'id', ARGV[i + 1])
    end
    local id = redis.call('XADD', KEYS[1], 'MAXLEN', '~', ARGV[1], '*', 'e', ARGV[i + 2])
    redis.call('PUBLISH', KEYS[2], id .. '|' .. ARGV[i + 2])
    local acked = tonumber(ARGV[i + 3])
    if acked > 0 then
        redis.call('XACK', KEYS[2 + acked], ARGV[2], ARGV[i + 4])
        redis.call('XDEL', KEYS[2 + acked], ARGV[i + 4])
    end
    ids[#ids + 1] = id
end
return ids
"""

_QUEUE_ORDER = (Priority.HIGH, Priority.NORMAL, Priority.LOW)
_QUEUE_INDEX = {p: i + 1 for i, p in enumerate(_QUEUE_ORDER)}

# Events per script call: a batch's events share a call per user (far fewer commands to
# pack and run), but one call blocks Redis while it runs, so keep each short.
_CHUNK = 100


class EventPublisher:
    """Publishes task events; a batch goes out in one pipeline, one script call per user."""

    def __init__(self, redis: aioredis.Redis, *, keys: RedisKeys, stream_maxlen: int) -> None:
        self._redis = redis
        self._keys = keys
        self._maxlen = stream_maxlen
        self._queues = [keys.queue(p) for p in _QUEUE_ORDER]

    async def publish(
        self,
        events: Sequence[TaskEvent],
        *,
        enqueue: Sequence[Priority] | None = None,
        ack: Sequence[Delivery] | None = None,
    ) -> list[str]:
        """Publish ``events`` in order; returns their stream ids.

        With ``enqueue`` (one priority per event) each event's task is also appended to
        that queue; with ``ack`` (one delivery per event) each event's message is
        acknowledged and deleted; both in the same script call as the event.
        """
        if not events:
            return []
        groups = _group_by_user(events)
        try:
            if len(groups) == 1:
                replies = [await self._call(events, groups[0], self._redis, enqueue, ack)]
            else:
                async with self._redis.pipeline(transaction=False) as pipe:
                    for group in groups:
                        self._call(events, group, pipe, enqueue, ack)
                    replies = await pipe.execute()
        except RedisError as exc:
            raise ServiceUnavailable(f"Redis is unreachable: {exc}") from exc
        ids = [""] * len(events)
        for group, reply in zip(groups, replies, strict=True):
            for index, event_id in zip(group, reply, strict=True):
                ids[index] = _as_str(event_id)
        return ids

    def _call(
        self,
        events: Sequence[TaskEvent],
        group: list[int],
        client: aioredis.Redis | aioredis.client.Pipeline,
        enqueue: Sequence[Priority] | None,
        ack: Sequence[Delivery] | None,
    ) -> Any:
        # On a pipeline this only queues the command; on a client it is awaitable.
        user_id = events[group[0]].user_id
        args: list[str | int | bytes] = [self._maxlen, self._keys.group]
        for i in group:
            event = events[i]
            args += (
                _QUEUE_INDEX[enqueue[i]] if enqueue is not None else 0,
                str(event.task_id),
                event.to_json(),
                _QUEUE_INDEX[ack[i].priority] if ack is not None else 0,
                ack[i].message_id if ack is not None else "",
            )
        return client.eval(
            _PUBLISH,
            5,
            self._keys.user_events(user_id),
            self._keys.user_channel(user_id),
            *self._queues,
            *args,
        )


def _group_by_user(events: Sequence[TaskEvent]) -> list[list[int]]:
    """Indexes of ``events`` per user, in order, at most ``_CHUNK`` per group."""
    groups: list[list[int]] = []
    open_group: dict[str, list[int]] = {}
    for index, event in enumerate(events):
        group = open_group.get(event.user_id)
        if group is None or len(group) >= _CHUNK:
            group = open_group[event.user_id] = []
            groups.append(group)
        group.append(index)
    return groups


def _as_str(value: object) -> str:
    return value.decode() if isinstance(value, bytes) else str(value)
