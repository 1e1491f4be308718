"""Bounded waits and looks at the real state a test checks: rows, events, metrics, streams."""

from __future__ import annotations

import asyncio
import time
import uuid
from collections.abc import Awaitable, Callable
from typing import Any, TypeVar

import asyncpg
import redis.asyncio as aioredis

from atspro.db import tasks as task_db
from atspro.keys import RedisKeys
from atspro.tasks.events import TaskEvent
from atspro.tasks.model import Priority, TaskRecord

T = TypeVar("T")


async def wait_until(
    probe: Callable[[], Awaitable[T | None]], *, timeout_s: float, what: str, every_s: float = 0.05
) -> T:
    """Poll ``probe`` until it returns something other than None/False; fail after the timeout."""
    deadline = time.monotonic() + timeout_s
    while True:
        value = await probe()
        if value is not None and value is not False:
            return value
        if time.monotonic() >= deadline:
            raise AssertionError(f"timed out after {timeout_s}s waiting for {what}")
        await asyncio.sleep(every_s)


async def row(pool: asyncpg.Pool, task_id: uuid.UUID) -> TaskRecord:
    """The task's row, which must exist."""
    record = await task_db.get_task_by_id(pool, task_id=task_id)
    assert record is not None, f"task {task_id} has no row"
    return record


async def wait_started(
    pool: asyncpg.Pool, task_id: uuid.UUID, *, attempt: int = 1, timeout_s: float = 15.0
) -> TaskRecord:
    """Wait until the handler reported ``started by <pid>`` for ``attempt``."""

    async def probe() -> TaskRecord | None:
        record = await row(pool, task_id)
        started = record.attempt == attempt and record.progress_message.startswith("started by")
        return record if started else None

    return await wait_until(probe, timeout_s=timeout_s, what=f"task {task_id} attempt {attempt}")


async def wait_terminal(pool: asyncpg.Pool, task_id: uuid.UUID, *, timeout_s: float) -> TaskRecord:
    """Wait until the task's row is completed, failed or cancelled."""

    async def probe() -> TaskRecord | None:
        record = await row(pool, task_id)
        return record if record.status.is_terminal else None

    return await wait_until(probe, timeout_s=timeout_s, what=f"task {task_id} to finish")


def started_pid(record: TaskRecord) -> int:
    """The pid in the handler's ``started by <pid>`` progress message."""
    return int(record.progress_message.rsplit(" ", 1)[1])


async def task_events(
    redis: aioredis.Redis, keys: RedisKeys, user_id: str, task_id: uuid.UUID
) -> list[TaskEvent]:
    """Every event the user's stream holds for ``task_id``, in order."""
    rows: Any = await redis.xrange(keys.user_events(user_id))
    events = [TaskEvent.from_json(fields[b"e"], raw_id.decode()) for raw_id, fields in rows]
    return [e for e in events if e.task_id == task_id]


async def metric_statuses(pool: asyncpg.Pool, task_id: uuid.UUID) -> list[str]:
    """Statuses of the task's task_metrics rows (one per finished attempt)."""
    rows = await pool.fetch(
        "SELECT status FROM task_metrics WHERE task_id = $1 ORDER BY id", task_id
    )
    return [r["status"] for r in rows]


async def stream_state(
    redis: aioredis.Redis, keys: RedisKeys, priority: Priority
) -> tuple[int, int]:
    """(messages in the stream, messages delivered but not acknowledged)."""
    length = await redis.xlen(keys.queue(priority))
    pending = await redis.xpending(keys.queue(priority), keys.group)
    return int(length), int(pending["pending"])


async def wait_for(condition: Callable[[], bool], *, timeout_s: float, what: str) -> None:
    """Wait until an in-process ``condition()`` holds; fail after the timeout."""

    async def probe() -> bool:
        return condition()

    await wait_until(probe, timeout_s=timeout_s, what=what)
