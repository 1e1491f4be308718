"""Resolvers for the task API: plain async functions over the context's TaskService."""

from __future__ import annotations

from collections.abc import AsyncGenerator
from typing import Annotated

import strawberry

from atspro import errors
from atspro.db.tasks import TaskFilter as TaskFilterRecord
from atspro.schema.arguments import After, EventAfter, TaskFirst, TaskId, TaskPriority, Wait
from atspro.schema.context import Context
from atspro.schema.errors import to_user_error
from atspro.schema.tasks import (
    PageInfo,
    QueueDepth,
    QueueStats,
    Task,
    TaskConnection,
    TaskDuration,
    TaskEdge,
    TaskEvent,
    TaskFilter,
    TaskResult,
    TaskUpdatesFilter,
    decode_cursor,
    encode_cursor,
    parse_task_id,
)
from atspro.tasks import model
from atspro.tasks.events import TaskEvent as RawEvent
from atspro.workers.context import monotonic_ms

Info = strawberry.Info[Context, None]


async def task(info: Info, id: TaskId) -> Task:
    """One of the caller's tasks."""
    user_id = await info.context.user_id()
    record = await info.context.runtime.tasks.get(user_id=user_id, task_id=parse_task_id(id))
    return Task.from_record(record)


async def tasks(
    info: Info,
    filter: Annotated[
        TaskFilter | None, strawberry.argument(description="Which tasks; omit for all.")
    ] = None,
    first: TaskFirst = 20,
    after: After = None,
) -> TaskConnection:
    """The caller's tasks, newest first, ``first`` at a time after cursor ``after``."""
    user_id = await info.context.user_id()
    f = filter or TaskFilter()
    rows, more = await info.context.runtime.tasks.list(
        user_id=user_id,
        filter=TaskFilterRecord(
            status=model.TaskStatus(f.status) if f.status else None,
            task_type=f.type.value if f.type else None,
            created_after=f.created_after,
            created_before=f.created_before,
        ),
        first=first,
        before=decode_cursor(after) if after else None,
    )
    edges = [TaskEdge(cursor=encode_cursor(r), node=Task.from_record(r)) for r in rows]
    return TaskConnection(
        edges=edges,
        page_info=PageInfo(has_next_page=more, end_cursor=edges[-1].cursor if edges else None),
    )


async def queue_stats(info: Info) -> QueueStats:
    """Shared queue depth; the caller's running tasks, last hour's outcomes and durations."""
    user_id = await info.context.user_id()
    stats = await info.context.runtime.tasks.stats(user_id=user_id)
    return QueueStats(
        depth=[QueueDepth(priority=p, depth=n) for p, n in stats.depth.items()],
        delayed=stats.delayed,
        pending=stats.pending,
        running=stats.running,
        completed_last_hour=stats.completed_last_hour,
        failed_last_hour=stats.failed_last_hour,
        durations=[
            TaskDuration(task_type=d.task_type, samples=d.samples, p50_ms=d.p50_ms, p95_ms=d.p95_ms)
            for d in stats.durations
        ],
    )


async def cancel_task(info: Info, id: TaskId) -> TaskResult:
    """Cancel a pending task (it never runs) or a running one (its worker stops it)."""
    user_id = await info.context.user_id()
    try:
        record = await info.context.runtime.tasks.cancel(user_id=user_id, task_id=parse_task_id(id))
    except (errors.InputError, errors.NotFoundError, errors.ConflictError) as exc:
        return to_user_error(exc)
    return Task.from_record(record)


async def retry_task(info: Info, id: TaskId, wait: Wait = None) -> TaskResult:
    """Queue a failed or cancelled task again."""
    user_id = await info.context.user_id()
    service = info.context.runtime.tasks
    try:
        wait_s = service.check_wait(wait)
        task_id = parse_task_id(id)
        record = await service.retry(user_id=user_id, task_id=task_id)
        if wait_s:
            record = await service.wait(user_id=user_id, task_id=task_id, wait_s=wait_s)
    except (errors.InputError, errors.NotFoundError, errors.ConflictError) as exc:
        return to_user_error(exc)
    return Task.from_record(record)


async def ping_task(
    info: Info, priority: TaskPriority = model.Priority.NORMAL, wait: Wait = None
) -> TaskResult:
    """Queue a task that does nothing: checks the queue and workers end to end."""
    return await submit(
        info, task_type=model.TaskType.NOOP, payload={}, priority=priority, wait=wait
    )


async def submit(
    info: Info,
    *,
    task_type: str,
    payload: dict[str, object],
    priority: model.Priority,
    wait: int | None,
    task_id: object = None,
) -> TaskResult:
    """Shared by every mutation that starts work: validate ``wait``, submit, maybe wait."""
    user_id = await info.context.user_id()
    service = info.context.runtime.tasks
    try:
        wait_s = service.check_wait(wait)
    except errors.InputError as exc:
        return to_user_error(exc)
    record = await service.submit_and_wait(
        wait_s=wait_s,
        user_id=user_id,
        task_type=str(task_type),
        payload=payload,
        priority=model.Priority(priority),
        task_id=task_id,
    )
    return Task.from_record(record)


async def task_updated(
    info: Info, id: TaskId, after: EventAfter = None
) -> AsyncGenerator[TaskEvent, None]:
    """Events of one task until it finishes. With ``after``, first what was missed.

    Without ``after``, a task that has already finished yields its final state once.
    """
    user_id = await info.context.user_id()
    runtime = info.context.runtime
    task_id = parse_task_id(id)
    record = await runtime.tasks.get(user_id=user_id, task_id=task_id)
    if after is None and record.status.is_terminal:
        yield TaskEvent.from_event(RawEvent.from_record(record, at_ms=monotonic_ms()))
        return
    async for event in runtime.hub.events(user_id, task_id=task_id, after=after):
        yield TaskEvent.from_event(event)
        if event.status.is_terminal:
            return


async def task_updates(
    info: Info,
    filter: Annotated[
        TaskUpdatesFilter | None, strawberry.argument(description="Which events; omit for all.")
    ] = None,
    after: EventAfter = None,
) -> AsyncGenerator[TaskEvent, None]:
    """Every event of the caller's tasks (for dashboards). With ``after``, what was missed first."""
    user_id = await info.context.user_id()
    statuses = {model.TaskStatus(s) for s in filter.status} if filter and filter.status else None
    types = {t.value for t in filter.type} if filter and filter.type else None
    async for event in info.context.runtime.hub.events(user_id, after=after):
        if statuses is not None and event.status not in statuses:
            continue
        if types is not None and event.task_type not in types:
            continue
        yield TaskEvent.from_event(event)
