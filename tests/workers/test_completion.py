"""The completion writer on real servers: a stored result is acknowledged and announced; a
superseded attempt changes nothing and leaves the message to the live attempt; a cancelled
task's late result is dropped; with Redis gone and nothing stored, the caller gets the error."""

from __future__ import annotations

import logging
import uuid
from collections.abc import AsyncIterator

import pytest
import redis.asyncio as aioredis

from atspro.db import tasks as task_db
from atspro.errors import ServiceUnavailable
from atspro.events.publisher import EventPublisher
from atspro.runtime import Runtime
from atspro.tasks.events import TaskEvent
from atspro.tasks.model import Priority, TaskRecord, TaskStatus
from atspro.tasks.queue import Delivery, TaskQueue
from atspro.workers.completion import CompletionWriter
from atspro.workers.context import HandlerResult
from tests.workers.conftest import RuntimeFactory

DEAD_REDIS = "redis://127.0.0.1:1/0"


@pytest.fixture
async def rt(runtime_factory: RuntimeFactory) -> AsyncIterator[Runtime]:
    async with runtime_factory(run_workers=False) as opened:
        yield opened


@pytest.fixture
async def writer(rt: Runtime) -> AsyncIterator[CompletionWriter]:
    w = CompletionWriter(pool=rt.pool, queue=rt.queue, publisher=rt.publisher, ttl_s=3600)
    yield w
    await w.close()


async def delivered(rt: Runtime, user: str) -> tuple[TaskRecord, Delivery]:
    """A submitted task, taken from its stream and marked running (as a worker does)."""
    submitted = await rt.tasks.submit(user_id=user, task_type="noop", payload={})
    (delivery,) = await rt.queue.fetch("test-worker", {Priority.NORMAL: 1})
    assert delivery.task_id == submitted.id
    (running,) = await task_db.claim_tasks(rt.pool, task_ids=[submitted.id])
    return running, delivery


async def pending_messages(rt: Runtime) -> int:
    info = await rt.redis.xpending(rt.keys.queue(Priority.NORMAL), rt.keys.group)
    return int(info["pending"])


async def user_events(rt: Runtime, user: str) -> list[TaskEvent]:
    rows = await rt.redis.xrange(rt.keys.user_events(user))
    return [TaskEvent.from_json(fields[b"e"], raw.decode()) for raw, fields in rows]


async def test_stored_result_is_acked_and_announced(rt: Runtime, writer: CompletionWriter) -> None:
    user = f"cw-{uuid.uuid4().hex[:6]}"
    running, delivery = await delivered(rt, user)
    await writer.complete(running, delivery, HandlerResult(result={"n": 1}, result_id="doc-9"))
    row = await rt.tasks.get(user_id=user, task_id=running.id)
    assert (row.status, row.result, row.result_id, row.progress) == (
        TaskStatus.COMPLETED,
        {"n": 1},
        "doc-9",
        100,
    )
    assert await pending_messages(rt) == 0
    assert [e.status for e in await user_events(rt, user)][-1] is TaskStatus.COMPLETED


async def test_superseded_attempt_changes_nothing_and_keeps_the_message(
    rt: Runtime, writer: CompletionWriter
) -> None:
    user = f"cw-{uuid.uuid4().hex[:6]}"
    stale, delivery = await delivered(rt, user)
    # Re-delivered elsewhere: a newer attempt now runs the task.
    (current,) = await task_db.claim_tasks(rt.pool, task_ids=[stale.id])
    assert current.attempt == stale.attempt + 1
    await writer.complete(stale, delivery, HandlerResult(result={"from": "stale"}))
    row = await rt.tasks.get(user_id=user, task_id=stale.id)
    assert row.status is TaskStatus.RUNNING and row.result is None
    assert await pending_messages(rt) == 1
    await writer.complete(current, delivery, HandlerResult(result={"from": "current"}))
    row = await rt.tasks.get(user_id=user, task_id=stale.id)
    assert (row.status, row.result) == (TaskStatus.COMPLETED, {"from": "current"})
    assert await pending_messages(rt) == 0


async def test_result_of_a_cancelled_task_is_dropped_and_acked(
    rt: Runtime, writer: CompletionWriter, caplog: pytest.LogCaptureFixture
) -> None:
    user = f"cw-{uuid.uuid4().hex[:6]}"
    running, delivery = await delivered(rt, user)
    await rt.tasks.cancel(user_id=user, task_id=running.id)
    caplog.set_level(logging.INFO, logger="atspro.workers.completion")
    await writer.complete(running, delivery, HandlerResult(result={"late": True}))
    row = await rt.tasks.get(user_id=user, task_id=running.id)
    assert row.status is TaskStatus.CANCELLED and row.result is None
    assert await pending_messages(rt) == 0
    assert any("result dropped" in r.getMessage() for r in caplog.records)


async def test_nothing_stored_and_redis_gone_reaches_the_caller(rt: Runtime) -> None:
    user = f"cw-{uuid.uuid4().hex[:6]}"
    running, delivery = await delivered(rt, user)
    await rt.tasks.cancel(user_id=user, task_id=running.id)
    dead = aioredis.Redis.from_url(DEAD_REDIS)
    writer = CompletionWriter(
        pool=rt.pool,
        queue=TaskQueue(dead, keys=rt.keys),
        publisher=EventPublisher(dead, keys=rt.keys, stream_maxlen=100),
        ttl_s=3600,
    )
    try:
        for _ in range(2):  # the writer keeps going after a failed batch
            with pytest.raises(ServiceUnavailable):
                await writer.complete(running, delivery, HandlerResult())
    finally:
        await writer.close()
        await dead.aclose()
