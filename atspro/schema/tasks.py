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
from atspro.schema.describe import describe_values
from atspro.schema.errors import ConflictError, InputError, NotFoundError
from atspro.schema.scalars import camel_json
from atspro.tasks import model
from atspro.tasks.events import TaskEvent as TaskEventRecord
from atspro.tasks.model import TaskRecord

if TYPE_CHECKING:
    from atspro.schema.context import Context

# strawberry.enum registers the model's own enums (and returns them), so fields are annotated
# with the model types, which mypy can check.
TaskStatus = describe_values(
    strawberry.enum(
        model.TaskStatus,
        description="Where a task is in its life: PENDING, RUNNING, then one of the other three.",
    ),
    PENDING="Queued, waiting for a worker (also while a retry waits for its backoff).",
    RUNNING="A worker is on it; `progress` moves.",
    COMPLETED="Finished; `result` and `resultId` are set.",
    FAILED="Gave up: a permanent error or no retries left; `errorMessage` says why.",
    CANCELLED="Cancelled by cancelTask. retryTask queues it again.",
)
TaskType = describe_values(
    strawberry.enum(model.TaskType, description="The kind of work a task does."),
    PARSE_RESUME="Parse an uploaded resume (parseResume).",
    PARSE_JOB="Parse a job posting from a URL, text or file (parseJob).",
    OPTIMIZE_RESUME="Write a resume tailored to a job (optimizeResume).",
    SCORE_MATCH="Score a resume against a job (scoreMatch).",
    RESEARCH_COMPANY="Write a report on a job's company and role (researchCompany).",
    WRITE_COVER_LETTER="Write a cover letter for a job from a resume (writeCoverLetter).",
    RANK_RESUMES="Rank many resumes against one job (rankResumes).",
    NOOP="Does nothing: a health check of the queue and workers (pingTask).",
)
Priority = describe_values(
    strawberry.enum(model.Priority, description="HIGH runs before NORMAL before LOW."),
    HIGH="Interactive work a person waits for.",
    NORMAL="The default.",
    LOW="Batch work that can wait.",
)


def _task_type(root: Task | TaskEvent | TaskDuration) -> model.TaskType:
    # Resolved only when asked for: a row of a type the API does not know (tests register
    # their own handlers) still lists, and fails only where its type is read.
    return model.TaskType(root.task_type)


_TYPE_DESCRIPTION = "The kind of work (stored in snake_case, e.g. parse_resume)."


@strawberry.type(
    description=(
        "One piece of work and its state. Mutations that start work return it at once (PENDING) "
        "or, with `wait`, once finished; follow it with the taskUpdated subscription."
    )
)
class Task:
    # The task row is the source of truth; events only announce its changes.

    id: strawberry.ID = strawberry.field(description="The task's id (a UUID).")
    task_type: strawberry.Private[str]
    type: model.TaskType = strawberry.field(resolver=_task_type, description=_TYPE_DESCRIPTION)
    status: model.TaskStatus = strawberry.field(description="Where the task is in its life.")
    priority: model.Priority = strawberry.field(description="The queue it waits on.")
    progress: int = strawberry.field(description="Percent done, 0-100.")
    progress_message: str = strawberry.field(
        description="What it is doing now (e.g. 'extracting text'); empty before it starts."
    )
    result: JSON | None = strawberry.field(
        description=(
            "What the task returned once COMPLETED, as JSON with camelCase keys (ids and "
            "summary figures; read the stored object with its own query); null before."
        )
    )
    result_id: str | None = strawberry.field(
        description="The id of the resume, job, match or document it stored; null until then."
    )
    error_message: str | None = strawberry.field(
        description="Why the last attempt failed; null when none did."
    )
    error_kind: str | None = strawberry.field(
        description=(
            "The kind of the last failure: transient, rate_limited or resource_exhausted "
            "(retried after a backoff while retries remain) or permanent (never retried)."
        )
    )
    retry_count: int = strawberry.field(description="Attempts retried so far.")
    max_retries: int = strawberry.field(description="Retries allowed before it FAILS.")
    estimated_duration_ms: int | None = strawberry.field(
        description="Expected run time in milliseconds, when an estimate was recorded."
    )
    created_at: datetime = strawberry.field(description="When it was submitted.")
    started_at: datetime | None = strawberry.field(
        description="When a worker last started it; null while it has not started."
    )
    completed_at: datetime | None = strawberry.field(
        description="When it COMPLETED, FAILED or was CANCELLED; null before."
    )
    expires_at: datetime | None = strawberry.field(
        description=(
            "When the finished task and its result are deleted (the server's result TTL, "
            "24 h by default, after it ended); null while unfinished."
        )
    )

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


@strawberry.type(
    description=(
        "A change of one task, as the subscriptions deliver it. Pass `eventId` as `after` "
        "when resubscribing to receive what was missed."
    )
)
class TaskEvent:
    event_id: str | None = strawberry.field(
        description="The event's position in the caller's feed; null for a synthesised event."
    )
    task_id: strawberry.ID = strawberry.field(description="The task that changed.")
    task_type: strawberry.Private[str]
    type: model.TaskType = strawberry.field(resolver=_task_type, description=_TYPE_DESCRIPTION)
    status: model.TaskStatus = strawberry.field(description="The task's status after the change.")
    progress: int = strawberry.field(description="Percent done, 0-100.")
    message: str = strawberry.field(description="What happened or what it is doing now.")
    error_message: str | None = strawberry.field(
        description="Why the attempt failed, on a failure; null otherwise."
    )
    result_id: str | None = strawberry.field(
        description="The id of the object stored, once COMPLETED; null otherwise."
    )
    at: datetime = strawberry.field(description="When it happened.")

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


@strawberry.type(description="Where a page ends, for asking for the next one.")
class PageInfo:
    has_next_page: bool = strawberry.field(description="True when more items follow this page.")
    end_cursor: str | None = strawberry.field(
        description="Pass as `after` for the next page; null on an empty page."
    )


@strawberry.type(description="A task in a page, with its cursor.")
class TaskEdge:
    cursor: str = strawberry.field(description="Pass as `after` to continue after this task.")
    node: Task = strawberry.field(description="The task.")


@strawberry.type(description="A page of tasks, newest first.")
class TaskConnection:
    edges: list[TaskEdge] = strawberry.field(description="The tasks with their cursors.")
    page_info: PageInfo = strawberry.field(description="Where the page ends.")

    @strawberry.field(description="The tasks alone (the nodes of `edges`).")  # type: ignore[untyped-decorator]
    def nodes(self) -> list[Task]:
        return [e.node for e in self.edges]


@strawberry.input(description="Narrows a task list; every field is optional and they combine.")
class TaskFilter:
    status: model.TaskStatus | None = strawberry.field(
        default=None, description="Only tasks in this status."
    )
    type: model.TaskType | None = strawberry.field(
        default=None, description="Only tasks of this kind."
    )
    created_after: datetime | None = strawberry.field(
        default=None, description="Only tasks submitted after this instant."
    )
    created_before: datetime | None = strawberry.field(
        default=None, description="Only tasks submitted before this instant."
    )


@strawberry.input(description="Narrows a live feed of task events; omitted fields match all.")
class TaskUpdatesFilter:
    status: list[model.TaskStatus] | None = strawberry.field(
        default=None, description="Only events that leave the task in one of these statuses."
    )
    type: list[model.TaskType] | None = strawberry.field(
        default=None, description="Only events of tasks of these kinds."
    )


@strawberry.type(
    description="Messages waiting on one priority's queue (all users': the line every task joins)."
)
class QueueDepth:
    priority: model.Priority = strawberry.field(description="The queue.")
    depth: int = strawberry.field(description="Tasks waiting on it, of every user.")


@strawberry.type(description="How long the caller's tasks of one kind ran over the last hour.")
class TaskDuration:
    task_type: strawberry.Private[str]
    type: model.TaskType = strawberry.field(resolver=_task_type, description=_TYPE_DESCRIPTION)
    samples: int = strawberry.field(description="Tasks measured.")
    p50_ms: float = strawberry.field(description="Median run time, in milliseconds.")
    p95_ms: float = strawberry.field(description="95th percentile run time, in milliseconds.")


@strawberry.type(
    description=(
        "The shared queues' depth and the caller's own tasks now and over the last hour. "
        "`depth` and `delayed` count every user's messages (how long the line is, never "
        "whose); the other figures count only the caller's tasks."
    )
)
class QueueStats:
    depth: list[QueueDepth] = strawberry.field(description="Waiting tasks per priority.")
    delayed: int = strawberry.field(description="Retries of any user waiting for their backoff.")
    pending: int = strawberry.field(description="Your tasks waiting to run.")
    running: int = strawberry.field(description="Your tasks running now.")
    completed_last_hour: int = strawberry.field(
        description="Your tasks completed in the last hour."
    )
    failed_last_hour: int = strawberry.field(description="Your tasks failed in the last hour.")
    durations: list[TaskDuration] = strawberry.field(
        description="Your run times per task kind over the last hour."
    )


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
