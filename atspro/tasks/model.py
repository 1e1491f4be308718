"""What a task is: its types, statuses, priorities and the record kept for each."""

from __future__ import annotations

import enum
import uuid
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any


class TaskType(enum.StrEnum):
    """The kinds of work ATSPro does. ``noop`` exists for health checks and benchmarks.

    Member names are the GraphQL enum's values and follow the mutations that start the work;
    the values are what the database stores and must not change.
    """

    PARSE_RESUME = "parse_resume"
    PARSE_JOB = "parse_job"
    OPTIMIZE_RESUME = "optimize"
    SCORE_MATCH = "score"
    RESEARCH_COMPANY = "research"
    WRITE_COVER_LETTER = "cover_letter"
    RANK_RESUMES = "rank_resumes"
    NOOP = "noop"


class TaskStatus(enum.StrEnum):
    """Lifecycle: pending -> running -> completed | failed | cancelled (and back via retry)."""

    PENDING = "pending"
    RUNNING = "running"
    COMPLETED = "completed"
    FAILED = "failed"
    CANCELLED = "cancelled"

    @property
    def is_terminal(self) -> bool:
        return self in _TERMINAL


_TERMINAL = frozenset({TaskStatus.COMPLETED, TaskStatus.FAILED, TaskStatus.CANCELLED})


class Priority(enum.IntEnum):
    """Lower number runs first."""

    HIGH = 1
    NORMAL = 2
    LOW = 3

    @property
    def label(self) -> str:
        return self.name.lower()


@dataclass(slots=True)
class TaskRecord:
    """One row of the ``tasks`` table."""

    id: uuid.UUID
    user_id: str
    task_type: str
    status: TaskStatus
    priority: Priority
    payload: dict[str, Any] = field(default_factory=dict)
    result: dict[str, Any] | None = None
    result_id: str | None = None
    error_message: str | None = None
    error_kind: str | None = None
    retry_count: int = 0
    max_retries: int = 3
    progress: int = 0
    progress_message: str = ""
    estimated_duration_ms: int | None = None
    attempt: int = 0
    created_at: datetime | None = None
    started_at: datetime | None = None
    completed_at: datetime | None = None
    expires_at: datetime | None = None

    @classmethod
    def from_row(cls, row: Any) -> TaskRecord:
        """Build from an asyncpg Record (or any mapping with the table's columns)."""
        return cls(
            id=row["id"],
            user_id=row["user_id"],
            task_type=row["task_type"],
            status=TaskStatus(row["status"]),
            priority=Priority(row["priority"]),
            payload=row["payload"],
            result=row["result"],
            result_id=row["result_id"],
            error_message=row["error_message"],
            error_kind=row["error_kind"],
            retry_count=row["retry_count"],
            max_retries=row["max_retries"],
            progress=row["progress"],
            progress_message=row["progress_message"],
            estimated_duration_ms=row["estimated_duration_ms"],
            attempt=row["attempt"],
            created_at=row["created_at"],
            started_at=row["started_at"],
            completed_at=row["completed_at"],
            expires_at=row["expires_at"],
        )
