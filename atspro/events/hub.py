"""The process's one Redis pub/sub reader, fanned out to per-subscriber queues.

Every subscription in the process (GraphQL subscriptions, ``wait`` on a mutation, the
worker's cancel listener) shares ONE pub/sub connection. Per-user channels are subscribed
while at least one local subscriber needs them. A subscriber that falls behind, or that
lived through a lost connection, catches up from the user's bounded event stream, so it
sees every event exactly once and in order.
"""

from __future__ import annotations

import asyncio
import contextlib
import enum
import logging
import re
import uuid
from collections.abc import AsyncIterator, Callable
from dataclasses import dataclass, field
from typing import cast

import redis.asyncio as aioredis
from redis.exceptions import RedisError

from atspro.errors import InputError, ServiceUnavailable
from atspro.keys import RedisKeys
from atspro.tasks.events import TaskEvent, event_id_key

log = logging.getLogger(__name__)

_EVENT_ID = re.compile(r"^\d{1,20}-\d{1,20}$")
_HISTORY_PAGE = 500


class _Signal(enum.Enum):
    CLOSE = "close"
    WAKE = "wake"


@dataclass(eq=False)
class _Subscriber:
    user_id: str
    task_id: uuid.UUID | None
    queue: asyncio.Queue[TaskEvent | _Signal]
    # Set when live events were dropped (queue full, connection lost): catch up from history.
    needs_resync: bool = False


@dataclass(eq=False)
class _Channel:
    subscribers: set[_Subscriber] = field(default_factory=set)
    confirmed: asyncio.Event = field(default_factory=asyncio.Event)


def validate_event_id(value: str) -> str:
    """Check a client-supplied event id (``<ms>-<seq>``)."""
    if not _EVENT_ID.match(value):
        raise InputError(f"{value!r} is not a valid event id", field="after")
    return value


# How long a new subscription waits for the reader to reconnect before failing.
_RECONNECT_WAIT_S = 1.0


class EventHub:
    """Fans task events and cancel signals from Redis out to in-process subscribers."""

    def __init__(self, redis: aioredis.Redis, *, keys: RedisKeys, queue_size: int = 1000) -> None:
        self._redis = redis
        self._keys = keys
        self._queue_size = queue_size
        self._pubsub = redis.pubsub()
        self._channels: dict[str, _Channel] = {}
        self._cancel_listeners: list[Callable[[uuid.UUID], None]] = []
        self._reader: asyncio.Task[None] | None = None
        self._lock = asyncio.Lock()
        self._closed = False
        # Set while the pub/sub connection works. Only the reader reconnects it: redis-py
        # reconnects inside whichever call meets a broken connection, and two calls doing
        # so at once (the reader and a new subscription) corrupt the connection.
        self._live = asyncio.Event()
        self._retry_now = asyncio.Event()

    async def start(self) -> None:
        """Subscribe to the cancel channel and start the reader."""
        try:
            await self._pubsub.subscribe(self._keys.cancel_channel)
        except RedisError as exc:
            raise ServiceUnavailable(f"Redis is unreachable: {exc}") from exc
        self._live.set()
        self._reader = asyncio.create_task(self._read_loop(), name="atspro-event-hub")

    async def close(self) -> None:
        """Stop the reader and wake every subscriber so it ends."""
        self._closed = True
        if self._reader is not None:
            self._reader.cancel()
            with contextlib.suppress(asyncio.CancelledError):
                await self._reader
        for channel in self._channels.values():
            for sub in channel.subscribers:
                _put(sub, _Signal.CLOSE)
        with contextlib.suppress(RedisError):
            await self._pubsub.aclose()

    def on_cancel(self, callback: Callable[[uuid.UUID], None]) -> None:
        """Call ``callback(task_id)`` whenever a cancel signal arrives."""
        self._cancel_listeners.append(callback)

    async def signal_cancel(self, task_id: uuid.UUID) -> None:
        """Tell every worker process to cancel ``task_id`` if it is running it."""
        try:
            await self._redis.publish(self._keys.cancel_channel, str(task_id))
        except RedisError as exc:
            raise ServiceUnavailable(f"Redis is unreachable: {exc}") from exc

    async def events(
        self,
        user_id: str,
        *,
        task_id: uuid.UUID | None = None,
        after: str | None = None,
        ready: asyncio.Event | None = None,
    ) -> AsyncIterator[TaskEvent]:
        """Yield ``user_id``'s events (only ``task_id``'s when given), in order, forever.

        With ``after``, first replays what the user's stream holds after that event id.
        ``ready`` is set once live delivery is in place (so a caller can start work
        knowing no event will be missed).
        """
        if after is not None:
            validate_event_id(after)
        # Where to catch up from if live events are dropped before any was yielded: the
        # stream's end as it was before we subscribed, so nothing after it can be missed.
        baseline = after if after is not None else await self._stream_end(user_id)
        sub = _Subscriber(user_id, task_id, asyncio.Queue(self._queue_size))
        await self._add(sub)
        last = after
        try:
            if ready is not None:
                ready.set()
            if after is not None:
                async for event in self._history(sub, after):
                    last = event.event_id
                    yield event
            while True:
                if sub.needs_resync:
                    # Cleared before reading history: live events from now on are queued,
                    # and anything dropped before this point is in the stream.
                    sub.needs_resync = False
                    async for event in self._history(sub, last or baseline):
                        last = event.event_id
                        yield event
                item = await sub.queue.get()
                if item is _Signal.CLOSE:
                    return
                if item is _Signal.WAKE:
                    continue
                assert isinstance(item, TaskEvent)
                if last is not None and event_id_key(item.event_id) <= event_id_key(last):
                    continue
                last = item.event_id
                yield item
        finally:
            await self._remove(sub)

    async def _stream_end(self, user_id: str) -> str:
        """The id of the user's newest stored event ("0-0" when there is none)."""
        try:
            rows = await self._redis.xrevrange(self._keys.user_events(user_id), count=1)
        except RedisError as exc:
            raise ServiceUnavailable(f"Redis is unreachable: {exc}") from exc
        if not rows:
            return "0-0"
        raw = rows[0][0]
        return raw.decode() if isinstance(raw, bytes) else str(raw)

    async def _history(self, sub: _Subscriber, after: str) -> AsyncIterator[TaskEvent]:
        key = self._keys.user_events(sub.user_id)
        start = after
        while True:
            try:
                # redis-py types entries as optional; XRANGE always returns (id, fields) pairs.
                rows = cast(
                    "list[tuple[bytes | str, dict[bytes, bytes]]]",
                    await self._redis.xrange(key, min=f"({start}", count=_HISTORY_PAGE),
                )
            except RedisError as exc:
                raise ServiceUnavailable(f"Redis is unreachable: {exc}") from exc
            for raw_id, fields in rows:
                event_id = raw_id.decode() if isinstance(raw_id, bytes) else raw_id
                start = event_id
                event = TaskEvent.from_json(fields[b"e"], event_id)
                if sub.task_id is None or event.task_id == sub.task_id:
                    yield event
            if len(rows) < _HISTORY_PAGE:
                return

    async def _add(self, sub: _Subscriber) -> None:
        name = self._keys.user_channel(sub.user_id)
        if not self._live.is_set():
            # The reader is between reconnection attempts: ask it to try now, and give
            # up quickly if Redis is still away (callers fail fast, not hang).
            self._retry_now.set()
            try:
                await asyncio.wait_for(self._live.wait(), timeout=_RECONNECT_WAIT_S)
            except TimeoutError as exc:
                raise ServiceUnavailable("Redis is unreachable (event hub reconnecting)") from exc
        async with self._lock:
            channel = self._channels.get(name)
            if channel is None:
                channel = self._channels[name] = _Channel()
                try:
                    await self._pubsub.subscribe(name)
                except (RedisError, RuntimeError) as exc:
                    # RuntimeError: the connection broke just now and the reader is
                    # reconnecting it at the same time; the reader wins, this one fails.
                    del self._channels[name]
                    raise ServiceUnavailable(f"Redis is unreachable: {exc}") from exc
            channel.subscribers.add(sub)
        # Live delivery starts only once Redis confirmed the subscription.
        try:
            await asyncio.wait_for(channel.confirmed.wait(), timeout=5.0)
        except TimeoutError as exc:
            await self._remove(sub)
            raise ServiceUnavailable("Redis did not confirm the subscription") from exc

    async def _remove(self, sub: _Subscriber) -> None:
        name = self._keys.user_channel(sub.user_id)
        async with self._lock:
            channel = self._channels.get(name)
            if channel is None:
                return
            channel.subscribers.discard(sub)
            if not channel.subscribers and not self._closed:
                del self._channels[name]
                with contextlib.suppress(RedisError):
                    await self._pubsub.unsubscribe(name)

    async def _read_loop(self) -> None:
        delay = 0.05
        # Checks _closed too: redis-py may turn a cancellation into a connection error.
        while not self._closed:
            try:
                message = await self._pubsub.get_message(timeout=None)
                delay = 0.05
            except asyncio.CancelledError:
                raise
            except (RedisError, OSError, RuntimeError) as exc:
                self._live.clear()
                log.warning("event hub lost Redis (%s); reconnecting in %.2fs", exc, delay)
                self._retry_now.clear()
                with contextlib.suppress(TimeoutError):
                    await asyncio.wait_for(self._retry_now.wait(), timeout=delay)
                delay = min(delay * 2, 2.0)
                continue
            # Reading works again (redis-py reconnected and re-subscribed inside this call).
            self._live.set()
            if message is not None:
                self._dispatch(message)

    def _dispatch(self, message: dict[str, object]) -> None:
        kind = message["type"]
        raw_channel = message["channel"]
        name = raw_channel.decode() if isinstance(raw_channel, bytes) else str(raw_channel)
        if kind == "subscribe":
            channel = self._channels.get(name)
            if channel is None:
                return
            if channel.confirmed.is_set():
                # A second confirmation means redis-py reconnected and re-subscribed:
                # whatever was published meanwhile must come from the stream.
                for sub in channel.subscribers:
                    sub.needs_resync = True
                    _put(sub, _Signal.WAKE)
            channel.confirmed.set()
            return
        if kind != "message":
            return
        data = message["data"]
        assert isinstance(data, bytes)
        if name == self._keys.cancel_channel:
            task_id = uuid.UUID(data.decode())
            for callback in self._cancel_listeners:
                callback(task_id)
            return
        channel = self._channels.get(name)
        if channel is None:
            return
        event_id, _, body = data.partition(b"|")
        event = TaskEvent.from_json(body, event_id.decode())
        for sub in channel.subscribers:
            if sub.task_id is not None and sub.task_id != event.task_id:
                continue
            if sub.needs_resync:
                continue
            _put(sub, event)


def _put(sub: _Subscriber, item: TaskEvent | _Signal) -> None:
    try:
        sub.queue.put_nowait(item)
    except asyncio.QueueFull:
        # The subscriber reads the dropped events back from the stream.
        sub.needs_resync = True
