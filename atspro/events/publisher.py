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

_PUBLISH = """
local id = redis.call('XADD', KEYS[1], 'MAXLEN', '~', ARGV[1], '*', 'e', ARGV[2])
redis.call('PUBLISH', KEYS[2], id .. '|' .. ARGV[2])
return id
"""


class EventPublisher:
    """Publishes task events; batches go out in one pipeline."""

    def __init__(self, redis: aioredis.Redis, *, keys: RedisKeys, stream_maxlen: int) -> None:
        self._redis = redis
        self._keys = keys
        self._maxlen = stream_maxlen

    @property
    def redis(self) -> aioredis.Redis:
        """The client events go out on (to build pipelines that share a round trip)."""
        return self._redis

    async def publish(self, events: Sequence[TaskEvent]) -> list[str]:
        """Publish ``events`` in order; returns their stream ids."""
        if not events:
            return []
        try:
            if len(events) == 1:
                return [_as_str(await self._call(events[0], self._redis))]
            async with self._redis.pipeline(transaction=False) as pipe:
                for event in events:
                    self._call(event, pipe)
                ids = await pipe.execute()
        except RedisError as exc:
            raise ServiceUnavailable(f"Redis is unreachable: {exc}") from exc
        return [_as_str(i) for i in ids]

    async def add_to_pipeline(
        self, pipe: aioredis.client.Pipeline, events: Sequence[TaskEvent]
    ) -> None:
        """Queue ``events`` on a caller's pipeline (to share one round trip with other work)."""
        for event in events:
            self._call(event, pipe)

    def _call(self, event: TaskEvent, client: aioredis.Redis | aioredis.client.Pipeline) -> Any:
        # On a pipeline this only queues the command; on a client it is awaitable.
        return client.eval(
            _PUBLISH,
            2,
            self._keys.user_events(event.user_id),
            self._keys.user_channel(event.user_id),
            self._maxlen,
            event.to_json(),
        )


def _as_str(value: object) -> str:
    return value.decode() if isinstance(value, bytes) else str(value)
