"""GraphQL types for tasks, their events, pages of tasks and queue statistics."""

from __future__ import annotations

import base64
import binascii
import uuid
from datetime import UTC, datetime
from typing import TYPE_CHECKING, Annotated

import strawberry
from strawberry.scalars import JSON

from atspro.errors import InputError as InputException
from atspro.errors import InvalidId
from atspro.schema.errors import ConflictError, InputError, NotFoundError
from atspro.schema.scalars import camel_json
from atspro.tasks import model
from atspro.tasks.events import TaskEvent as TaskEventRecord
from atspro.tasks.model import TaskRecord

if TYPE_CHECKING:
    from atspro.schema.context import Context

# strawberry.enum registers the model's own enums (and returns them), so fields are annotated
# with the model types, which mypy can check.
TaskStatus = strawberry.enum(model.TaskStatus, description="Where a task is in its life.")
TaskType = strawberry.enum(model.TaskType, description="The kind of work a task does.")
Priority = strawberry.enum(model.Priority, description="HIGH runs before NORMAL before LOW.")


def _task_type(root: Task | TaskEvent | TaskDuration) -> model.TaskType:
    # Resolved only when asked for: a row of a type the API does not know (tests register
    # their own handlers) still lists, and fails only where its type is read.
    return model.TaskType(root.task_type)


_TYPE_DESCRIPTION = "The kind of work (stored in snake_case, e.g. parse_resume)."


@strawberry.type
class Task:
    """One piece of work and its state. The task row is the source of truth."""

    id: strawberry.ID
    task_type: strawberry.Private[str]
    type: model.TaskType = strawberry.field(resolver=_task_type, description=_TYPE_DESCRIPTION)
    status: model.TaskStatus
    priority: model.Priority
    progress: int
    progress_message: str
    result: JSON | None
    result_id: str | None
    error_message: str | None
    error_kind: str | None
    retry_count: int
    max_retries: int
    estimated_duration_ms: int | None
    created_at: datetime
    started_at: datetime | None
    completed_at: datetime | None
    expires_at: datetime | None

    @classmethod
    def from_record(cls, r: TaskRecord) -> Task:
        assert r.created_at is not None
        return cls(
            id=strawberry.ID(str(r.id)),
            task_type=r.task_type,
            status=r.status,
            priority=r.priority,
            progress=r.progress,
            progress_message=r.progress_message,
            result=None if r.result is None else camel_json(r.result),
            result_id=r.result_id,
            error_message=r.error_message,
            error_kind=r.error_kind,
            retry_count=r.retry_count,
            max_retries=r.max_retries,
            estimated_duration_ms=r.estimated_duration_ms,
            created_at=r.created_at,
            started_at=r.started_at,
            completed_at=r.completed_at,
            expires_at=r.expires_at,
        )


@strawberry.type
class TaskEvent:
    """A change of one task. Pass ``eventId`` as ``after`` when resubscribing."""

    event_id: str | None
    task_id: strawberry.ID
    task_type: strawberry.Private[str]
    type: model.TaskType = strawberry.field(resolver=_task_type, description=_TYPE_DESCRIPTION)
    status: model.TaskStatus
    progress: int
    message: str
    error_message: str | None
    result_id: str | None
    at: datetime

    @strawberry.field(description="The task as stored now (one extra read).")  # type: ignore[untyped-decorator]
    async def task(self, info: strawberry.Info[Context, None]) -> Task:
        user_id = await info.context.user_id()
        record = await info.context.runtime.tasks.get(
            user_id=user_id, task_id=uuid.UUID(str(self.task_id))
        )
        return Task.from_record(record)

    @classmethod
    def from_event(cls, e: TaskEventRecord) -> TaskEvent:
        return cls(
            event_id=e.event_id or None,
            task_id=strawberry.ID(str(e.task_id)),
            task_type=e.task_type,
            status=e.status,
            progress=e.progress,
            message=e.message,
            error_message=e.error_message,
            result_id=e.result_id,
            at=datetime.fromtimestamp(e.at_ms / 1000, tz=UTC),
        )


@strawberry.type
class PageInfo:
    """Cursor pagination state."""

    has_next_page: bool
    end_cursor: str | None


@strawberry.type
class TaskEdge:
    cursor: str
    node: Task


@strawberry.type
class TaskConnection:
    """A page of tasks, newest first."""

    edges: list[TaskEdge]
    page_info: PageInfo

    @strawberry.field
    def nodes(self) -> list[Task]:
        return [e.node for e in self.edges]


@strawberry.input
class TaskFilter:
    """Narrow a task list; every field is optional."""

    status: model.TaskStatus | None = None
    type: model.TaskType | None = None
    created_after: datetime | None = None
    created_before: datetime | None = None


@strawberry.input
class TaskUpdatesFilter:
    """Narrow a live feed of task events."""

    status: list[model.TaskStatus] | None = None
    type: list[model.TaskType] | None = None


@strawberry.type
class QueueDepth:
    """Messages waiting on one priority's queue (all users': the line every task joins)."""

    priority: model.Priority
    depth: int


@strawberry.type
class TaskDuration:
    """Duration percentiles of one task type over the caller's last hour."""

    task_type: strawberry.Private[str]
    type: model.TaskType = strawberry.field(resolver=_task_type, description=_TYPE_DESCRIPTION)
    samples: int
    p50_ms: float
    p95_ms: float


@strawberry.type
class QueueStats:
    """The shared queues' depth; the caller's own tasks now and over the last hour.

    ``depth`` and ``delayed`` count messages of every user (how long the line is, never
    whose); the other figures count only the caller's tasks.
    """

    depth: list[QueueDepth]
    delayed: int = strawberry.field(description="Retries of any user waiting for their backoff.")
    pending: int = strawberry.field(description="Your tasks waiting to run.")
    running: int = strawberry.field(description="Your tasks running now.")
    completed_last_hour: int = strawberry.field(
        description="Your tasks completed in the last hour."
    )
    failed_last_hour: int = strawberry.field(description="Your tasks failed in the last hour.")
    durations: list[TaskDuration]


TaskResult = Annotated[
    Task | InputError | NotFoundError | ConflictError,
    strawberry.union("TaskResult", description="The task, or why the request was refused."),
]


def parse_task_id(value: str, *, field: str = "id") -> uuid.UUID:
    """A task id from a client; InvalidId when malformed."""
    try:
        return uuid.UUID(str(value))
    except ValueError as exc:
        raise InvalidId(str(value)[:100], field=field) from exc


def encode_cursor(record: TaskRecord) -> str:
    """Opaque cursor for keyset pagination on (created_at, id)."""
    assert record.created_at is not None
    raw = f"{record.created_at.isoformat()}|{record.id}"
    return base64.urlsafe_b64encode(raw.encode()).decode()


def decode_cursor(cursor: str) -> tuple[datetime, uuid.UUID]:
    """Inverse of ``encode_cursor``; InputError when the cursor was not one of ours."""
    try:
        created, _, ident = base64.urlsafe_b64decode(cursor.encode()).decode().partition("|")
        return datetime.fromisoformat(created), uuid.UUID(ident)
    except (ValueError, binascii.Error, UnicodeDecodeError) as exc:
        raise InputException("invalid cursor", field="after") from exc
