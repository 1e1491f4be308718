"""Task events: what subscribers receive for every status or progress change."""

from __future__ import annotations

import uuid
from dataclasses import dataclass
from typing import Any

import orjson

from atspro.tasks.model import TaskRecord, TaskStatus


@dataclass(frozen=True, slots=True)
class TaskEvent:
    """One change of one task. ``event_id`` is the id in the user's event stream."""

    task_id: uuid.UUID
    user_id: str
    task_type: str
    status: TaskStatus
    progress: int
    message: str = ""
    error_message: str | None = None
    result_id: str | None = None
    at_ms: int = 0
    event_id: str = ""

    def to_json(self) -> bytes:
        """Wire form (without the event id, which Redis assigns)."""
        return orjson.dumps(
            {
                "t": str(self.task_id),
                "u": self.user_id,
                "y": self.task_type,
                "s": self.status.value,
                "p": self.progress,
                "m": self.message,
                "e": self.error_message,
                "r": self.result_id,
                "a": self.at_ms,
            }
        )

    @classmethod
    def from_json(cls, raw: bytes | str, event_id: str) -> TaskEvent:
        """Inverse of ``to_json`` with the id Redis gave the event."""
        d: dict[str, Any] = orjson.loads(raw)
        return cls(
            task_id=uuid.UUID(d["t"]),
            user_id=d["u"],
            task_type=d["y"],
            status=TaskStatus(d["s"]),
            progress=d["p"],
            message=d["m"],
            error_message=d["e"],
            result_id=d["r"],
            at_ms=d["a"],
            event_id=event_id,
        )

    @classmethod
    def from_record(
        cls, record: TaskRecord, *, at_ms: int, message: str | None = None
    ) -> TaskEvent:
        """The event describing a task's current row."""
        return cls(
            task_id=record.id,
            user_id=record.user_id,
            task_type=record.task_type,
            status=record.status,
            progress=record.progress,
            message=record.progress_message if message is None else message,
            error_message=record.error_message,
            result_id=record.result_id,
            at_ms=at_ms,
        )


def event_id_key(event_id: str) -> tuple[int, int]:
    """Sort key of a Redis stream id ``<ms>-<seq>``."""
    ms, _, seq = event_id.partition("-")
    return int(ms), int(seq or 0)
