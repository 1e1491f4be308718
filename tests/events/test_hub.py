"""The event hub against a real Redis: live fan-out, resync after a lost connection or an
overflowing subscriber, history replay, cancel signals and close."""

from __future__ import annotations

import asyncio
import contextlib
import logging
import uuid
from collections.abc import AsyncIterator, Awaitable, Callable
from dataclasses import dataclass

import pytest
import redis.asyncio as aioredis

from atspro.errors import InputError, ServiceUnavailable
from atspro.events.hub import EventHub, validate_event_id
from atspro.events.publisher import EventPublisher
from atspro.keys import RedisKeys
from atspro.tasks.events import TaskEvent
from atspro.tasks.model import Priority, TaskStatus
from tests.redis_prefix import unique_prefix

# Nothing listens here: connecting is refused at once.
DEAD_REDIS = "redis://127.0.0.1:1/0"


@dataclass
class Bus:
    """A hub and a publisher sharing one Redis prefix; the hub's connections are named."""

    hub: EventHub
    publisher: EventPublisher
    redis: aioredis.Redis
    keys: RedisKeys
    client_name: str


@contextlib.asynccontextmanager
async def open_bus(
    redis_url: str, cleanup: Callable[[str], Awaitable[None]], *, queue_size: int = 1000
) -> AsyncIterator[Bus]:
    prefix = unique_prefix("hub")
    await cleanup(prefix)
    name = f"hub-{uuid.uuid4().hex[:8]}"
    redis = aioredis.Redis.from_url(redis_url, client_name=name)
    keys = RedisKeys(prefix)
    hub = EventHub(redis, keys=keys, queue_size=queue_size)
    await hub.start()
    try:
        yield Bus(hub, EventPublisher(redis, keys=keys, stream_maxlen=5000), redis, keys, name)
    finally:
        await hub.close()
        await redis.aclose()


@pytest.fixture
async def bus(
    redis_url: str, cleanup_redis: Callable[[str], Awaitable[None]]
) -> AsyncIterator[Bus]:
    async with open_bus(redis_url, cleanup_redis) as opened:
        yield opened


def event(
    user: str, task_id: uuid.UUID, progress: int, status: TaskStatus = TaskStatus.RUNNING
) -> TaskEvent:
    return TaskEvent(
        task_id=task_id, user_id=user, task_type="noop", status=status, progress=progress
    )


async def subscribe(
    hub: EventHub, user: str, *, task_id: uuid.UUID | None = None, after: str | None = None
) -> tuple[AsyncIterator[TaskEvent], asyncio.Task[TaskEvent]]:
    """An events() iterator whose subscription is live, and its first pending read."""
    ready = asyncio.Event()
    stream = hub.events(user, task_id=task_id, after=after, ready=ready)
    first = asyncio.create_task(anext(stream))  # type: ignore[arg-type]
    await asyncio.wait_for(ready.wait(), 5)
    return stream, first


async def take(
    stream: AsyncIterator[TaskEvent], first: asyncio.Task[TaskEvent], n: int
) -> list[TaskEvent]:
    got = [await asyncio.wait_for(first, 10)]
    while len(got) < n:
        got.append(await asyncio.wait_for(anext(stream), 10))
    return got


async def kill_pubsub_connection(redis: aioredis.Redis, client_name: str) -> int:
    """CLIENT KILL the hub's pub/sub connection only (other test sessions share this Redis)."""
    admin = aioredis.Redis(connection_pool=redis.connection_pool)
    clients = await admin.client_list(_type="pubsub")
    ids = [c["id"] for c in clients if c.get("name") == client_name]
    for client_id in ids:
        await admin.client_kill_filter(_id=client_id)
    return len(ids)


async def test_lost_pubsub_connection_loses_and_duplicates_nothing(
    bus: Bus, caplog: pytest.LogCaptureFixture
) -> None:
    task_id = uuid.uuid4()
    stream, first = await subscribe(bus.hub, "ann")
    await bus.publisher.publish([event("ann", task_id, 1)])
    got = await take(stream, first, 1)

    caplog.set_level(logging.WARNING, logger="atspro.events.hub")
    assert await kill_pubsub_connection(bus.redis, bus.client_name) == 1
    # Published while the hub's reader is down or re-subscribing: only the stream has them.
    await bus.publisher.publish([event("ann", task_id, p) for p in range(2, 40)])
    got += [await asyncio.wait_for(anext(stream), 10) for _ in range(38)]
    await bus.publisher.publish([event("ann", task_id, 40, TaskStatus.COMPLETED)])
    got.append(await asyncio.wait_for(anext(stream), 10))

    assert [e.progress for e in got] == list(range(1, 41))
    assert len({e.event_id for e in got}) == 40
    assert got[-1].status is TaskStatus.COMPLETED
    assert any("lost Redis" in r.getMessage() for r in caplog.records)
    # Nothing more is queued: the next read waits.
    extra = asyncio.create_task(anext(stream))  # type: ignore[arg-type]
    done, _ = await asyncio.wait({extra}, timeout=0.3)
    assert not done
    extra.cancel()
    with contextlib.suppress(asyncio.CancelledError):
        await extra
    await stream.aclose()  # type: ignore[attr-defined]


async def test_slow_subscriber_catches_up_from_the_stream(
    redis_url: str, cleanup_redis: Callable[[str], Awaitable[None]]
) -> None:
    async with open_bus(redis_url, cleanup_redis, queue_size=3) as small:
        task_id = uuid.uuid4()
        slow, first = await subscribe(small.hub, "bob")
        fast, fast_first = await subscribe(small.hub, "bob", task_id=task_id)
        # 60 events arrive while neither subscriber reads: their 3-slot queues overflow.
        for p in range(1, 61):
            await small.publisher.publish([event("bob", task_id, p)])
        slow_got = await take(slow, first, 60)
        fast_got = await take(fast, fast_first, 60)
        for got in (slow_got, fast_got):
            assert [e.progress for e in got] == list(range(1, 61))
        # What was still queued from before the overflow is not delivered a second time.
        await small.publisher.publish([event("bob", task_id, 61, TaskStatus.COMPLETED)])
        assert (await asyncio.wait_for(anext(slow), 10)).progress == 61
        assert (await asyncio.wait_for(anext(fast), 10)).progress == 61
        await slow.aclose()  # type: ignore[attr-defined]
        await fast.aclose()  # type: ignore[attr-defined]


async def test_replay_after_an_event_id_pages_through_history_and_filters_by_task(bus: Bus) -> None:
    mine, other = uuid.uuid4(), uuid.uuid4()
    batch = [event("cy", mine if i % 2 else other, i) for i in range(1, 1201)]
    ids = await bus.publisher.publish(batch)
    # More than one history page (500) after the first event, which is not repeated.
    stream, first = await subscribe(bus.hub, "cy", task_id=mine, after=ids[0])
    got = await take(stream, first, 599)
    assert [e.progress for e in got] == list(range(3, 1201, 2))
    assert all(e.task_id == mine for e in got)
    # Then live events continue after the replay, still only this task's.
    await bus.publisher.publish([event("cy", other, 2000), event("cy", mine, 2001)])
    live = await asyncio.wait_for(anext(stream), 10)
    assert live.progress == 2001
    await stream.aclose()  # type: ignore[attr-defined]


async def test_replay_needs_no_ready_event(bus: Bus) -> None:
    task_id = uuid.uuid4()
    ids = await bus.publisher.publish([event("kit", task_id, p) for p in (1, 2, 3)])
    stream = bus.hub.events("kit", after=ids[0])
    got = [await asyncio.wait_for(anext(stream), 10) for _ in range(2)]  # type: ignore[arg-type]
    assert [(e.progress, e.event_id) for e in got] == [(2, ids[1]), (3, ids[2])]
    await stream.aclose()  # type: ignore[attr-defined]


async def test_users_see_only_their_own_events(bus: Bus) -> None:
    stream, first = await subscribe(bus.hub, "dee")
    await bus.publisher.publish([event("eve", uuid.uuid4(), 5), event("dee", uuid.uuid4(), 6)])
    (got,) = await take(stream, first, 1)
    assert (got.user_id, got.progress) == ("dee", 6)
    await stream.aclose()  # type: ignore[attr-defined]


async def test_close_ends_every_subscription(
    redis_url: str, cleanup_redis: Callable[[str], Awaitable[None]]
) -> None:
    async with open_bus(redis_url, cleanup_redis) as opened:
        _stream, first = await subscribe(opened.hub, "fay")
        await opened.hub.close()
        with pytest.raises(StopAsyncIteration):
            await asyncio.wait_for(first, 5)


async def test_cancel_signal_reaches_listeners(bus: Bus) -> None:
    heard: asyncio.Queue[uuid.UUID] = asyncio.Queue()
    bus.hub.on_cancel(heard.put_nowait)
    task_id = uuid.uuid4()
    await bus.hub.signal_cancel(task_id)
    assert await asyncio.wait_for(heard.get(), 5) == task_id


async def test_last_subscriber_leaving_unsubscribes_the_channel(bus: Bus) -> None:
    stream, first = await subscribe(bus.hub, "gil")
    channel = bus.keys.user_channel("gil")
    counts = dict(await bus.redis.pubsub_numsub(channel))
    assert counts[channel.encode()] == 1
    first.cancel()
    with contextlib.suppress(asyncio.CancelledError):
        await first
    await stream.aclose()  # type: ignore[attr-defined]
    for _ in range(50):
        counts = dict(await bus.redis.pubsub_numsub(channel))
        if counts[channel.encode()] == 0:
            break
        await asyncio.sleep(0.05)
    assert counts[channel.encode()] == 0


@pytest.mark.parametrize("bad", ["", "abc", "1-2-3", "12", "1-x", "9" * 21 + "-0"])
def test_malformed_event_ids_are_input_errors(bad: str) -> None:
    with pytest.raises(InputError) as caught:
        validate_event_id(bad)
    assert caught.value.field == "after"


def test_well_formed_event_id_is_accepted() -> None:
    assert validate_event_id("1700000000000-3") == "1700000000000-3"


async def test_bad_resume_point_fails_before_subscribing(bus: Bus) -> None:
    with pytest.raises(InputError):
        await anext(bus.hub.events("hal", after="yesterday"))  # type: ignore[arg-type]


async def test_unreachable_redis_is_service_unavailable() -> None:
    redis = aioredis.Redis.from_url(DEAD_REDIS)
    hub = EventHub(redis, keys=RedisKeys("atspro-test-dead"))
    try:
        with pytest.raises(ServiceUnavailable):
            await hub.start()
        with pytest.raises(ServiceUnavailable):
            await hub.signal_cancel(uuid.uuid4())
        with pytest.raises(ServiceUnavailable):
            await anext(hub.events("ivy"))  # type: ignore[arg-type]
        publisher = EventPublisher(redis, keys=RedisKeys("atspro-test-dead"), stream_maxlen=10)
        with pytest.raises(ServiceUnavailable):
            await publisher.publish([event("ivy", uuid.uuid4(), 1), event("ivy", uuid.uuid4(), 2)])
    finally:
        await hub.close()
        await redis.aclose()


async def test_events_published_during_a_reconnect_reach_a_subscriber_that_had_none_yet(
    bus: Bus,
) -> None:
    task_id = uuid.uuid4()
    stream, first = await subscribe(bus.hub, "jo")
    assert await kill_pubsub_connection(bus.redis, bus.client_name) == 1
    await bus.publisher.publish([event("jo", task_id, p) for p in range(1, 30)])
    try:
        got = await asyncio.wait_for(take(stream, first, 29), 3)
        assert [e.progress for e in got] == list(range(1, 30))
    finally:
        first.cancel()
        await stream.aclose()  # type: ignore[attr-defined]


async def test_publishing_with_enqueue_queues_each_task_on_its_priority_with_its_event(
    bus: Bus,
) -> None:
    ids = [uuid.uuid4() for _ in range(4)]
    events = [
        event("ann", ids[0], 0, TaskStatus.PENDING),
        event("bob", ids[1], 0, TaskStatus.PENDING),
        event("ann", ids[2], 0, TaskStatus.PENDING),
        event("ann", ids[3], 0, TaskStatus.PENDING),
    ]
    priorities = [Priority.LOW, Priority.HIGH, Priority.HIGH, Priority.NORMAL]
    stream, first = await subscribe(bus.hub, "ann")
    event_ids = await bus.publisher.publish(events, enqueue=priorities)
    assert all(event_ids)
    queued = {
        p: sorted(f[b"id"].decode() for _, f in await bus.redis.xrange(bus.keys.queue(p)))
        for p in Priority
    }
    # (Order across users is not promised: each user's events go in one call.)
    assert queued == {
        Priority.HIGH: sorted([str(ids[1]), str(ids[2])]),
        Priority.NORMAL: [str(ids[3])],
        Priority.LOW: [str(ids[0])],
    }
    # The live order per user is the publishing order, each event with its stream id.
    got = [await asyncio.wait_for(first, 5)]
    got += [await asyncio.wait_for(anext(stream), 5) for _ in range(2)]  # type: ignore[arg-type]
    assert [e.task_id for e in got] == [ids[0], ids[2], ids[3]]
    assert [e.event_id for e in got] == [event_ids[0], event_ids[2], event_ids[3]]
    await stream.aclose()  # type: ignore[attr-defined]
