"""The task queue on a real Redis: delivery, take-over of idle messages, heartbeats, delayed
retries, the dead-letter stream, backlog counts, and ServiceUnavailable when Redis is gone."""

from __future__ import annotations

import asyncio
import uuid
from collections.abc import AsyncIterator, Awaitable, Callable

import pytest
import redis.asyncio as aioredis

from atspro.errors import ServiceUnavailable
from atspro.keys import RedisKeys
from atspro.tasks.model import Priority
from atspro.tasks.queue import Delivery, TaskQueue
from tests.redis_prefix import unique_prefix

DEAD_REDIS = "redis://127.0.0.1:1/0"


@pytest.fixture
async def queue(
    redis_url: str, cleanup_redis: Callable[[str], Awaitable[None]]
) -> AsyncIterator[TaskQueue]:
    prefix = unique_prefix("queue")
    await cleanup_redis(prefix)
    client = aioredis.Redis.from_url(redis_url)
    q = TaskQueue(client, keys=RedisKeys(prefix))
    await q.ensure_groups()
    yield q
    await client.aclose()


async def test_ensure_groups_is_idempotent(queue: TaskQueue) -> None:
    await queue.ensure_groups()
    assert await queue.depths() == {p: 0 for p in Priority}


async def test_take_gives_each_priority_its_share_then_fills_strictly_by_priority(
    queue: TaskQueue,
) -> None:
    ids = {p: [uuid.uuid4() for _ in range(4)] for p in Priority}
    for priority, task_ids in ids.items():
        for task_id in task_ids:
            await queue.enqueue(task_id, priority)
    reserved = {Priority.HIGH: 1, Priority.NORMAL: 0, Priority.LOW: 2}
    got = await queue.take("w1", reserved=reserved, free=6)
    # Shares first (1 high, 2 low), then the 3 slots left go to high before normal.
    assert [(d.priority, d.task_id) for d in got] == [
        (Priority.HIGH, ids[Priority.HIGH][0]),
        (Priority.LOW, ids[Priority.LOW][0]),
        (Priority.LOW, ids[Priority.LOW][1]),
        (Priority.HIGH, ids[Priority.HIGH][1]),
        (Priority.HIGH, ids[Priority.HIGH][2]),
        (Priority.HIGH, ids[Priority.HIGH][3]),
    ]
    # Shares never exceed the room there is.
    two = await queue.take("w1", reserved={p: 5 for p in Priority}, free=2)
    assert [(d.priority, d.task_id) for d in two] == [
        (Priority.NORMAL, ids[Priority.NORMAL][0]),
        (Priority.NORMAL, ids[Priority.NORMAL][1]),
    ]
    rest = await queue.take("w1", reserved={}, free=10)
    assert [d.task_id for d in rest] == ids[Priority.NORMAL][2:] + ids[Priority.LOW][2:]
    assert await queue.take("w1", reserved={}, free=10) == []
    assert await queue.take("w1", reserved={}, free=0) == []


async def test_fetch_honours_counts_per_priority_and_acks_remove_the_backlog(
    queue: TaskQueue,
) -> None:
    ids = {p: [uuid.uuid4() for _ in range(3)] for p in Priority}
    for priority, task_ids in ids.items():
        for task_id in task_ids:
            await queue.enqueue(task_id, priority)
    assert await queue.depths() == {p: 3 for p in Priority}

    got = await queue.fetch("w1", {Priority.HIGH: 2, Priority.NORMAL: 1, Priority.LOW: 0})
    assert [(d.priority, d.task_id) for d in got] == [
        (Priority.HIGH, ids[Priority.HIGH][0]),
        (Priority.HIGH, ids[Priority.HIGH][1]),
        (Priority.NORMAL, ids[Priority.NORMAL][0]),
    ]
    # In flight is not backlog.
    assert await queue.depths() == {Priority.HIGH: 1, Priority.NORMAL: 2, Priority.LOW: 3}
    await queue.ack(got)
    await queue.ack([])
    assert await queue.depths() == {Priority.HIGH: 1, Priority.NORMAL: 2, Priority.LOW: 3}
    assert await queue.fetch("w1", {p: 0 for p in Priority}) == []

    # One stream, blocking: returns what is there without waiting.
    low = await queue.fetch("w1", {Priority.LOW: 5}, block_ms=1000)
    assert [d.task_id for d in low] == ids[Priority.LOW]


async def test_blocking_fetch_waits_for_the_first_message(queue: TaskQueue) -> None:
    task_id = uuid.uuid4()
    waiting = asyncio.create_task(queue.fetch("w1", {p: 1 for p in Priority}, block_ms=5000))
    await asyncio.sleep(0.1)
    assert not waiting.done()
    await queue.enqueue(task_id, Priority.NORMAL)
    got = await asyncio.wait_for(waiting, 5)
    assert [(d.priority, d.task_id) for d in got] == [(Priority.NORMAL, task_id)]
    empty = await queue.fetch("w1", {p: 1 for p in Priority}, block_ms=50)
    assert empty == []


async def test_idle_messages_are_taken_over_unless_their_worker_heartbeats(
    queue: TaskQueue,
) -> None:
    kept, orphaned = uuid.uuid4(), uuid.uuid4()
    await queue.enqueue(kept, Priority.HIGH)
    await queue.enqueue(orphaned, Priority.LOW)
    first = await queue.fetch("w1", {Priority.HIGH: 1, Priority.LOW: 1})
    assert {d.task_id for d in first} == {kept, orphaned}
    await asyncio.sleep(0.3)
    await queue.touch("w1", [d for d in first if d.task_id == kept])
    await queue.touch("w1", [])
    claimed = await queue.autoclaim("w2", min_idle_ms=200, count=10)
    assert [(d.priority, d.task_id) for d in claimed] == [(Priority.LOW, orphaned)]
    # Now w2 holds it, freshly claimed: nobody else takes it over.
    assert await queue.autoclaim("w3", min_idle_ms=200, count=10) == []


async def test_autoclaim_stops_at_its_count(queue: TaskQueue) -> None:
    for priority in Priority:
        await queue.enqueue(uuid.uuid4(), priority)
        await queue.enqueue(uuid.uuid4(), priority)
    await queue.fetch("w1", {p: 2 for p in Priority})
    claimed = await queue.autoclaim("w2", min_idle_ms=0, count=2)
    assert [d.priority for d in claimed] == [Priority.HIGH, Priority.HIGH]


async def test_autoclaim_skips_messages_deleted_meanwhile(queue: TaskQueue) -> None:
    await queue.enqueue(uuid.uuid4(), Priority.NORMAL)
    (delivery,) = await queue.fetch("w1", {Priority.NORMAL: 1})
    # Deleted without an ack (as a superseded attempt's cleanup may leave it).
    redis = queue._redis  # the test reaches the stream directly to stage this state
    await redis.xdel(queue.keys.queue(Priority.NORMAL), delivery.message_id)
    assert await queue.autoclaim("w2", min_idle_ms=0, count=10) == []


async def test_retries_wait_in_the_delayed_set_until_due(queue: TaskQueue) -> None:
    soon, later = uuid.uuid4(), uuid.uuid4()
    await queue.enqueue(soon, Priority.HIGH)
    await queue.enqueue(later, Priority.LOW)
    deliveries = await queue.fetch("w1", {Priority.HIGH: 1, Priority.LOW: 1})
    by_id = {d.task_id: d for d in deliveries}
    await queue.schedule_retry(by_id[soon], delay_s=0.2)
    await queue.schedule_retry(by_id[later], delay_s=60)
    assert await queue.delayed_count() == 2
    assert await queue.promote_due() == 0
    await asyncio.sleep(0.3)
    assert await queue.promote_due() == 1
    assert await queue.delayed_count() == 1
    again = await queue.fetch("w1", {p: 5 for p in Priority})
    assert [(d.priority, d.task_id) for d in again] == [(Priority.HIGH, soon)]


async def test_requeue_puts_the_task_at_the_back(queue: TaskQueue) -> None:
    first, second = uuid.uuid4(), uuid.uuid4()
    await queue.enqueue(first, Priority.NORMAL)
    await queue.enqueue(second, Priority.NORMAL)
    (taken,) = await queue.fetch("w1", {Priority.NORMAL: 1})
    await queue.requeue(taken)
    order = await queue.fetch("w1", {Priority.NORMAL: 5})
    assert [d.task_id for d in order] == [second, first]
    assert order[1].message_id != taken.message_id


async def test_dead_letter_records_the_failure_and_acks(queue: TaskQueue) -> None:
    task_id = uuid.uuid4()
    await queue.enqueue(task_id, Priority.LOW)
    (delivery,) = await queue.fetch("w1", {Priority.LOW: 1})
    await queue.dead_letter(
        delivery, task_type="score", user_id="ann", error="boom", error_kind="PERMANENT"
    )
    redis = queue._redis
    (entry,) = await redis.xrange(queue.keys.dlq)
    assert entry[1] == {
        b"id": str(task_id).encode(),
        b"type": b"score",
        b"user": b"ann",
        b"priority": b"low",
        b"error": b"boom",
        b"kind": b"PERMANENT",
    }
    pending = await redis.xpending(queue.keys.queue(Priority.LOW), queue.keys.group)
    assert pending["pending"] == 0
    assert await redis.xlen(queue.keys.queue(Priority.LOW)) == 0


async def test_a_foreign_key_in_the_way_is_reported(
    redis_url: str, cleanup_redis: Callable[[str], Awaitable[None]]
) -> None:
    prefix = unique_prefix("queue")
    await cleanup_redis(prefix)
    client = aioredis.Redis.from_url(redis_url)
    try:
        keys = RedisKeys(prefix)
        await client.set(keys.queue(Priority.HIGH), "not a stream")
        with pytest.raises(ServiceUnavailable, match="refused to create a group"):
            await TaskQueue(client, keys=keys).ensure_groups()
    finally:
        await client.aclose()


async def test_every_operation_fails_fast_without_redis() -> None:
    client = aioredis.Redis.from_url(DEAD_REDIS, socket_connect_timeout=1)
    q = TaskQueue(client, keys=RedisKeys("atspro-test-dead"))
    d = Delivery(Priority.HIGH, "1-0", uuid.uuid4())
    calls: list[Callable[[], Awaitable[object]]] = [
        q.ensure_groups,
        lambda: q.enqueue(d.task_id, Priority.HIGH),
        lambda: q.fetch("w", {Priority.HIGH: 1}),
        lambda: q.fetch("w", {Priority.HIGH: 1, Priority.LOW: 1}),
        lambda: q.take("w", reserved={}, free=1),
        lambda: q.autoclaim("w", min_idle_ms=0, count=1),
        lambda: q.touch("w", [d]),
        lambda: q.ack([d]),
        lambda: q.requeue(d),
        lambda: q.schedule_retry(d, delay_s=1),
        q.promote_due,
        lambda: q.dead_letter(d, task_type="t", user_id="u", error="e", error_kind="k"),
        q.depths,
        q.delayed_count,
    ]
    try:
        for call in calls:
            with pytest.raises(ServiceUnavailable):
                await call()
    finally:
        await client.aclose()
