"""Task rows in PostgreSQL. Keyword-only functions returning TaskRecord; SQL in sql/tasks.sql."""

from __future__ import annotations

import uuid
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime
from typing import Any

import asyncpg

from atspro.db.pool import guarded
from atspro.db.queries import load_queries
from atspro.tasks.model import Priority, TaskRecord, TaskStatus

Q = load_queries("tasks.sql")


def _one(row: asyncpg.Record | None) -> TaskRecord | None:
    return TaskRecord.from_row(row) if row is not None else None


@dataclass(frozen=True, slots=True)
class NewTask:
    """A task to create."""

    task_id: uuid.UUID
    user_id: str
    task_type: str
    priority: Priority
    payload: dict[str, Any]
    max_retries: int
    estimated_duration_ms: int | None = None


async def insert_tasks(pool: asyncpg.Pool, *, tasks: Sequence[NewTask]) -> list[TaskRecord]:
    """Create pending tasks in one statement; rows come back in the order given."""
    rows = await guarded(
        lambda: pool.fetch(
            Q["insert_tasks"],
            [t.task_id for t in tasks],
            [t.user_id for t in tasks],
            [t.task_type for t in tasks],
            [int(t.priority) for t in tasks],
            [t.payload for t in tasks],
            [t.max_retries for t in tasks],
            [t.estimated_duration_ms for t in tasks],
        )
    )
    by_id = {row["id"]: TaskRecord.from_row(row) for row in rows}
    return [by_id[t.task_id] for t in tasks]


async def insert_task(pool: asyncpg.Pool, *, task: NewTask) -> TaskRecord:
    """Create one pending task."""
    (record,) = await insert_tasks(pool, tasks=[task])
    return record


async def get_user_tasks(
    pool: asyncpg.Pool, *, keys: Sequence[tuple[uuid.UUID, str]]
) -> list[TaskRecord | None]:
    """For each (task id, user id): the task if it exists and belongs to that user."""
    rows = await guarded(lambda: pool.fetch(Q["get_tasks"], [task_id for task_id, _ in keys]))
    by_id = {row["id"]: row for row in rows}
    found: list[TaskRecord | None] = []
    for task_id, user_id in keys:
        row = by_id.get(task_id)
        found.append(
            TaskRecord.from_row(row) if row is not None and row["user_id"] == user_id else None
        )
    return found


async def get_task_by_id(pool: asyncpg.Pool, *, task_id: uuid.UUID) -> TaskRecord | None:
    """The task whoever owns it (workers only)."""
    return _one(await guarded(lambda: pool.fetchrow(Q["get_task_by_id"], task_id)))


@dataclass(frozen=True, slots=True)
class TaskFilter:
    """Optional filters for listing a user's tasks."""

    status: TaskStatus | None = None
    task_type: str | None = None
    created_after: datetime | None = None
    created_before: datetime | None = None


async def list_tasks(
    pool: asyncpg.Pool,
    *,
    user_id: str,
    filter: TaskFilter,
    limit: int,
    before: tuple[datetime, uuid.UUID] | None = None,
) -> list[TaskRecord]:
    """A page of the user's tasks, newest first, strictly older than ``before``."""
    rows = await guarded(
        lambda: pool.fetch(
            Q["list_tasks"],
            user_id,
            filter.status.value if filter.status else None,
            filter.task_type,
            filter.created_after,
            filter.created_before,
            before[0] if before else None,
            before[1] if before else None,
            limit,
        )
    )
    return [TaskRecord.from_row(r) for r in rows]


async def claim_tasks(
    pool: asyncpg.Pool, *, task_ids: Sequence[uuid.UUID], worker: str | None = None
) -> list[TaskRecord]:
    """Mark delivered tasks running by ``worker``; returns only those that may run."""
    rows = await guarded(lambda: pool.fetch(Q["claim_tasks"], list(task_ids), worker))
    return [TaskRecord.from_row(r) for r in rows]


@dataclass(frozen=True, slots=True)
class Completion:
    """The outcome of one successful attempt."""

    task_id: uuid.UUID
    attempt: int
    result: dict[str, Any] | None
    result_id: str | None


async def complete_tasks(
    pool: asyncpg.Pool, *, completions: Sequence[Completion], ttl_s: float
) -> list[TaskRecord]:
    """Store a batch of results; returns the rows that were completed now."""
    rows = await guarded(
        lambda: pool.fetch(
            Q["complete_tasks"],
            [c.task_id for c in completions],
            [c.attempt for c in completions],
            [c.result for c in completions],
            [c.result_id for c in completions],
            ttl_s,
        )
    )
    return [TaskRecord.from_row(r) for r in rows]


async def finish_task(
    pool: asyncpg.Pool,
    *,
    task_id: uuid.UUID,
    attempt: int,
    status: TaskStatus,
    error_message: str | None,
    error_kind: str | None,
    ttl_s: float,
) -> TaskRecord | None:
    """End the current attempt as failed or cancelled."""
    return _one(
        await guarded(
            lambda: pool.fetchrow(
                Q["finish_task"], task_id, attempt, status.value, error_message, error_kind, ttl_s
            )
        )
    )


async def schedule_retry(
    pool: asyncpg.Pool,
    *,
    task_id: uuid.UUID,
    attempt: int,
    error_message: str,
    error_kind: str,
    message: str,
) -> TaskRecord | None:
    """Put the task back to pending with one more retry counted."""
    return _one(
        await guarded(
            lambda: pool.fetchrow(
                Q["schedule_retry"], task_id, attempt, error_message, error_kind, message
            )
        )
    )


async def release_task(
    pool: asyncpg.Pool, *, task_id: uuid.UUID, attempt: int
) -> TaskRecord | None:
    """Give a running task back (worker shutting down)."""
    return _one(await guarded(lambda: pool.fetchrow(Q["release_task"], task_id, attempt)))


async def update_progress(
    pool: asyncpg.Pool, *, task_id: uuid.UUID, attempt: int, progress: int, message: str
) -> TaskRecord | None:
    """Record progress of the current attempt."""
    return _one(
        await guarded(
            lambda: pool.fetchrow(Q["update_progress"], task_id, attempt, progress, message)
        )
    )


async def cancel_task(
    pool: asyncpg.Pool, *, task_id: uuid.UUID, user_id: str, ttl_s: float
) -> TaskRecord | None:
    """Cancel a pending or running task; None when not cancellable (or not found)."""
    return _one(await guarded(lambda: pool.fetchrow(Q["cancel_task"], task_id, user_id, ttl_s)))


async def retry_task(pool: asyncpg.Pool, *, task_id: uuid.UUID, user_id: str) -> TaskRecord | None:
    """Reset a failed or cancelled task to pending; None when not retryable (or not found)."""
    return _one(await guarded(lambda: pool.fetchrow(Q["retry_task"], task_id, user_id)))


async def delete_tasks(pool: asyncpg.Pool, *, task_ids: Sequence[uuid.UUID]) -> None:
    """Remove task rows (ones that could not be queued)."""
    await guarded(lambda: pool.execute(Q["delete_tasks"], list(task_ids)))


@dataclass(frozen=True, slots=True)
class TaskRef:
    """Which attempt of a task, on which queue, run by which worker (None: not running)."""

    task_id: uuid.UUID
    priority: Priority
    attempt: int
    worker: str | None = None


async def waiting_too_long(pool: asyncpg.Pool, *, older_than_s: float, limit: int) -> list[TaskRef]:
    """Pending tasks that turned pending more than ``older_than_s`` ago, oldest first."""
    rows = await guarded(lambda: pool.fetch(Q["waiting_too_long"], older_than_s, limit))
    return [TaskRef(r["id"], Priority(r["priority"]), r["attempt"]) for r in rows]


async def running_since(pool: asyncpg.Pool, *, older_than_s: float, limit: int) -> list[TaskRef]:
    """Running tasks claimed more than ``older_than_s`` ago, with the worker running each."""
    rows = await guarded(lambda: pool.fetch(Q["running_since"], older_than_s, limit))
    return [TaskRef(r["id"], Priority(r["priority"]), r["attempt"], r["worker"]) for r in rows]


async def requeue_pending(
    pool: asyncpg.Pool, *, tasks: Sequence[TaskRef], older_than_s: float
) -> list[TaskRecord]:
    """Stamp pending tasks about to be enqueued again; returns those still due for it."""
    rows = await guarded(
        lambda: pool.fetch(
            Q["requeue_pending"],
            [t.task_id for t in tasks],
            [t.attempt for t in tasks],
            older_than_s,
        )
    )
    return [TaskRecord.from_row(r) for r in rows]


async def release_dead(pool: asyncpg.Pool, *, tasks: Sequence[TaskRef]) -> list[TaskRecord]:
    """Put running tasks of a dead worker back to pending (no retry spent)."""
    rows = await guarded(
        lambda: pool.fetch(
            Q["release_dead"], [t.task_id for t in tasks], [t.attempt for t in tasks]
        )
    )
    return [TaskRecord.from_row(r) for r in rows]


@dataclass(frozen=True, slots=True)
class ExpiredTask:
    """A task row removed by the expiry sweep."""

    task_id: uuid.UUID
    user_id: str
    task_type: str
    result_id: str | None


async def delete_expired_tasks(pool: asyncpg.Pool, *, limit: int) -> list[ExpiredTask]:
    """Delete up to ``limit`` rows whose ``expires_at`` passed."""
    rows = await guarded(lambda: pool.fetch(Q["delete_expired_tasks"], limit))
    return [ExpiredTask(r["id"], r["user_id"], r["task_type"], r["result_id"]) for r in rows]


async def delete_old_metrics(pool: asyncpg.Pool, *, older_than_s: float) -> None:
    """Drop metrics older than ``older_than_s``."""
    await guarded(lambda: pool.execute(Q["delete_old_metrics"], older_than_s))


@dataclass(frozen=True, slots=True)
class DurationStats:
    """Duration percentiles of one task type over the last hour."""

    task_type: str
    samples: int
    p50_ms: float
    p95_ms: float


@dataclass(frozen=True, slots=True)
class TaskCounts:
    """Counts for queue statistics."""

    pending: int
    running: int
    completed_last_hour: int
    failed_last_hour: int
    durations: list[DurationStats]


async def task_counts(pool: asyncpg.Pool, *, user_id: str) -> TaskCounts:
    """The user's tasks running/pending now, outcomes and duration percentiles over the
    last hour."""

    async def query() -> TaskCounts:
        async with pool.acquire() as conn:
            status = await conn.fetchrow(Q["status_counts"], user_id)
            outcomes = await conn.fetchrow(Q["recent_outcomes"], user_id)
            durations = await conn.fetch(Q["duration_percentiles"], user_id)
        assert status is not None and outcomes is not None
        return TaskCounts(
            pending=status["pending"],
            running=status["running"],
            completed_last_hour=outcomes["completed"],
            failed_last_hour=outcomes["failed"],
            durations=[
                DurationStats(r["task_type"], r["samples"], float(r["p50"]), float(r["p95"]))
                for r in durations
            ],
        )

    return await guarded(query)
