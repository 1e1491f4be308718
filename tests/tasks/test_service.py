"""TaskService without workers: argument checks, waiting, conflicts, and what a Redis outage
does to submit (nothing left behind) and cancel (the row still says cancelled)."""

from __future__ import annotations

import asyncio
import logging
import time
import uuid

import asyncpg
import pytest
import redis.asyncio as aioredis

from atspro.db import tasks as task_db
from atspro.errors import ConflictError, InputError, NotFoundError, ServiceUnavailable
from atspro.events.hub import EventHub
from atspro.events.publisher import EventPublisher
from atspro.runtime import Runtime
from atspro.tasks.model import Priority, TaskRecord, TaskStatus
from atspro.tasks.queue import TaskQueue
from atspro.tasks.service import TaskService

from .conftest import RuntimeFactory

DEAD_REDIS = "redis://127.0.0.1:1/0"


def service_on_dead_redis(
    rt: Runtime, dead: aioredis.Redis, *, hub: EventHub | None = None
) -> TaskService:
    """The runtime's database and settings, but a Redis that refuses connections."""
    return TaskService(
        settings=rt.settings,
        pool=rt.pool,
        queue=TaskQueue(dead, keys=rt.keys),
        publisher=EventPublisher(dead, keys=rt.keys, stream_maxlen=100),
        hub=hub or rt.hub,
    )


async def test_wait_and_list_arguments_are_checked(runtime_factory: RuntimeFactory) -> None:
    async with runtime_factory(run_workers=False, max_wait_s=30) as rt:
        assert rt.tasks.check_wait(None) is None
        assert rt.tasks.check_wait(0) == 0.0
        assert rt.tasks.check_wait(30) == 30.0
        for bad in (-1, 31):
            with pytest.raises(InputError) as caught:
                rt.tasks.check_wait(bad)
            assert caught.value.field == "wait"
        for first in (0, 101):
            with pytest.raises(InputError) as caught:
                await rt.tasks.list(user_id="u", filter=task_db.TaskFilter(), first=first)
            assert caught.value.field == "first"


async def test_waiting_returns_as_is_when_nothing_runs_the_task(
    runtime_factory: RuntimeFactory,
) -> None:
    async with runtime_factory(run_workers=False) as rt:
        started = time.monotonic()
        record = await rt.tasks.submit_and_wait(
            wait_s=0.3, user_id="amy", task_type="noop", payload={}, priority=Priority.LOW
        )
        assert record.status is TaskStatus.PENDING and time.monotonic() - started >= 0.3
        assert (
            await rt.tasks.wait(user_id="amy", task_id=record.id, wait_s=0)
        ).status is TaskStatus.PENDING
        still = await rt.tasks.wait(user_id="amy", task_id=record.id, wait_s=0.2)
        assert still.status is TaskStatus.PENDING
        # A finished task is returned at once, however long the wait.
        await rt.tasks.cancel(user_id="amy", task_id=record.id)
        started = time.monotonic()
        done = await rt.tasks.wait(user_id="amy", task_id=record.id, wait_s=30)
        assert done.status is TaskStatus.CANCELLED and time.monotonic() - started < 5
        # No wait at all: a plain submit.
        plain = await rt.tasks.submit_and_wait(
            wait_s=None, user_id="amy", task_type="noop", payload={}
        )
        assert plain.status is TaskStatus.PENDING


async def test_retry_and_cancel_check_the_task_state(runtime_factory: RuntimeFactory) -> None:
    async with runtime_factory(run_workers=False) as rt:
        record = await rt.tasks.submit(user_id="bea", task_type="noop", payload={})
        with pytest.raises(ConflictError, match="only failed or cancelled"):
            await rt.tasks.retry(user_id="bea", task_id=record.id)
        with pytest.raises(NotFoundError):
            await rt.tasks.retry(user_id="someone-else", task_id=record.id)
        with pytest.raises(NotFoundError):
            await rt.tasks.cancel(user_id="bea", task_id=uuid.uuid4())
        stats = await rt.tasks.stats(user_id="bea")
        assert stats.depth[Priority.NORMAL] >= 1 and stats.delayed == 0


async def test_submit_without_redis_leaves_no_task_behind(runtime_factory: RuntimeFactory) -> None:
    async with runtime_factory(run_workers=False) as rt:
        dead = aioredis.Redis.from_url(DEAD_REDIS)
        try:
            service = service_on_dead_redis(rt, dead)
            task_id = uuid.uuid4()
            with pytest.raises(ServiceUnavailable):
                await service.submit(user_id="cal", task_type="noop", payload={}, task_id=task_id)
            assert await task_db.get_task_by_id(rt.pool, task_id=task_id) is None
        finally:
            await dead.aclose()


async def test_concurrent_submissions_without_redis_all_fail_and_leave_nothing(
    runtime_factory: RuntimeFactory,
) -> None:
    async with runtime_factory(run_workers=False) as rt:
        dead = aioredis.Redis.from_url(DEAD_REDIS)
        try:
            service = service_on_dead_redis(rt, dead)
            ids = [uuid.uuid4() for _ in range(5)]
            outcomes = await asyncio.gather(
                *(
                    service.submit(user_id="cal", task_type="noop", payload={}, task_id=i)
                    for i in ids
                ),
                return_exceptions=True,
            )
            assert all(isinstance(o, ServiceUnavailable) for o in outcomes), outcomes
            assert await rt.pool.fetchval("SELECT count(*) FROM tasks WHERE id = ANY($1)", ids) == 0
        finally:
            await dead.aclose()


async def test_concurrent_submissions_share_a_statement_and_a_bad_one_fails_alone(
    runtime_factory: RuntimeFactory,
) -> None:
    async with runtime_factory(run_workers=False) as rt:
        taken = uuid.uuid4()
        await rt.tasks.submit(user_id="dee", task_type="noop", payload={}, task_id=taken)
        ids = [uuid.uuid4() for _ in range(6)]
        ids[3] = taken  # a duplicate id: that submission alone must fail
        outcomes = await asyncio.gather(
            *(
                rt.tasks.submit(user_id="dee", task_type="noop", payload={"n": n}, task_id=i)
                for n, i in enumerate(ids)
            ),
            return_exceptions=True,
        )
        assert isinstance(outcomes[3], asyncpg.UniqueViolationError)
        for n, outcome in enumerate(outcomes):
            if n != 3:
                assert isinstance(outcome, TaskRecord) and outcome.payload == {"n": n}
                assert outcome.id == ids[n] and outcome.status is TaskStatus.PENDING
        # Five good rows stored, each queued exactly once.
        assert await rt.pool.fetchval("SELECT count(*) FROM tasks WHERE user_id = 'dee'") == 6
        queued = await rt.redis.xrange(rt.keys.queue(Priority.NORMAL))
        queued_ids = [fields[b"id"].decode() for _, fields in queued]
        assert sorted(queued_ids) == sorted(str(i) for i in {*ids, taken})


async def test_cancel_during_a_redis_outage_still_cancels(
    runtime_factory: RuntimeFactory, caplog: pytest.LogCaptureFixture
) -> None:
    async with runtime_factory(run_workers=False) as rt:
        record = await rt.tasks.submit(user_id="dot", task_type="noop", payload={})
        dead = aioredis.Redis.from_url(DEAD_REDIS)
        dead_hub = EventHub(dead, keys=rt.keys)
        try:
            service = service_on_dead_redis(rt, dead, hub=dead_hub)
            caplog.set_level(logging.WARNING, logger="atspro.tasks.service")
            cancelled = await service.cancel(user_id="dot", task_id=record.id)
            assert cancelled.status is TaskStatus.CANCELLED
            assert (
                await rt.tasks.get(user_id="dot", task_id=record.id)
            ).status is TaskStatus.CANCELLED
            assert any("Redis could not be told" in r.getMessage() for r in caplog.records)
            # Waiting needs a live subscription: without Redis that is an error, not a hang.
            with pytest.raises(ServiceUnavailable):
                await service.wait(user_id="dot", task_id=record.id, wait_s=5)
        finally:
            await dead_hub.close()
            await dead.aclose()
