"""The error tree of ATSPro.

Callers never see asyncpg, redis or httpx exceptions: each boundary translates them
(``raise StoreUnavailable(...) from exc``) into one of these.

    ATSProError
    ├── InputError               bad input from a user (shown to the user as is)
    │   ├── InvalidId
    │   └── QuotaExceeded        over a per-user limit; ``setting`` names it
    ├── NotFoundError            unknown id, or an id the caller does not own
    ├── AuthError                missing, unknown or expired token
    ├── ConflictError            the operation does not fit the object's state
    ├── ServiceUnavailable       Redis or PostgreSQL cannot be reached right now
    └── TaskError                raised by task handlers; ``kind`` drives retries
        ├── TransientError       retried with exponential backoff
        │   └── ShutdownInterrupted  CPU work cut off by shutdown: hand back, no retry spent
        ├── RateLimitedError     retried after ``retry_after_s`` (or backoff)
        ├── ResourceExhaustedError  retried with a longer delay
        └── PermanentError       never retried
            ├── DocumentError    an upload or page that cannot be read
            ├── MemoryLimitExceeded  the work outgrew a worker process's memory limit
            └── TaskTimeout      the handler ran past its time limit

Every error carries a clear ``message`` meant for the user; data lives in attributes.
"""

from __future__ import annotations

import enum


class ATSProError(Exception):
    """Base of every error ATSPro raises on purpose."""

    code: str = "INTERNAL"

    def __init__(self, message: str) -> None:
        super().__init__(message)
        self.message = message

    @property
    def extensions(self) -> dict[str, object]:
        """What GraphQL clients see beside the message (graphql-core reads this)."""
        return {"code": self.code}


class InputError(ATSProError):
    """The caller sent something we cannot accept; ``field`` names it when known."""

    code = "INVALID_INPUT"

    def __init__(self, message: str, *, field: str | None = None) -> None:
        super().__init__(message)
        self.field = field

    @property
    def extensions(self) -> dict[str, object]:
        return {"code": self.code, "field": self.field}


class InvalidId(InputError):
    """A malformed identifier."""

    def __init__(self, value: str, *, field: str = "id") -> None:
        super().__init__(f"{value!r} is not a valid id", field=field)
        self.value = value


class QuotaExceeded(InputError):
    """The caller is over a per-user limit; ``setting`` is the setting that sets it.

    An InputError so every mutation's result union can return it as is.
    """

    def __init__(self, message: str, *, setting: str, field: str | None = None) -> None:
        super().__init__(f"{message} (limit set by {setting.upper()})", field=field)
        self.setting = setting


class NotFoundError(ATSProError):
    """Unknown id, or one the caller does not own (we never tell the two apart)."""

    code = "NOT_FOUND"

    def __init__(self, kind: str, ident: object) -> None:
        super().__init__(f"{kind} {ident} not found")
        self.kind = kind
        self.ident = ident


class AuthError(ATSProError):
    """Missing, unknown or expired credentials."""

    code = "UNAUTHENTICATED"


class ConflictError(ATSProError):
    """The request does not fit the current state (e.g. cancelling a finished task)."""

    code = "CONFLICT"


class ServiceUnavailable(ATSProError):
    """A backing service (Redis, PostgreSQL) is unreachable; retrying later may work."""

    code = "SERVICE_UNAVAILABLE"


class RenderTimeout(ATSProError):
    """Laying out a download took longer than its setting allows; its process was stopped."""

    code = "RENDER_TIMEOUT"


class ErrorKind(enum.StrEnum):
    """How a failed task attempt is treated by the retry policy."""

    TRANSIENT = "transient"
    PERMANENT = "permanent"
    RATE_LIMITED = "rate_limited"
    RESOURCE_EXHAUSTED = "resource_exhausted"


class TaskError(ATSProError):
    """A task handler failed; ``kind`` decides whether and when it is retried."""

    code = "TASK_FAILED"
    kind: ErrorKind = ErrorKind.TRANSIENT


class TransientError(TaskError):
    """A passing fault (network blip, 5xx); retried with exponential backoff."""

    kind = ErrorKind.TRANSIENT


class RateLimitedError(TaskError):
    """An upstream said "slow down"; retried after ``retry_after_s`` when it gave one."""

    kind = ErrorKind.RATE_LIMITED

    def __init__(self, message: str, *, retry_after_s: float | None = None) -> None:
        super().__init__(message)
        self.retry_after_s = retry_after_s


class ResourceExhaustedError(TaskError):
    """Out of memory, quota or capacity; retried with a longer delay."""

    kind = ErrorKind.RESOURCE_EXHAUSTED


class PermanentError(TaskError):
    """Retrying cannot help (bad document, unsupported input)."""

    kind = ErrorKind.PERMANENT


class DocumentError(PermanentError):
    """An uploaded or fetched document cannot be read; ``reason`` is a stable short code."""

    code = "BAD_DOCUMENT"

    def __init__(self, message: str, *, reason: str) -> None:
        super().__init__(message)
        self.reason = reason


class TaskTimeout(PermanentError):
    """The handler ran past its time limit."""

    code = "TASK_TIMEOUT"


class ShutdownInterrupted(TransientError):
    """CPU work cut off because this process is shutting down.

    Not the task's fault: the worker pool hands the task back without spending a retry
    (a pool that does not know this type still retries it as transient).
    """

    code = "SHUTTING_DOWN"


class MemoryLimitExceeded(PermanentError):
    """The work needed more memory than a worker process may use.

    Permanent: one call runs in a process at a time, so the same input needs the same
    memory on every attempt; a retry would only repeat the cost.
    """

    code = "MEMORY_LIMIT"

    def __init__(self, message: str, *, limit_bytes: int) -> None:
        super().__init__(
            f"{message} ({limit_bytes / 1_048_576:.0f} MB, set by CPU_WORKER_MEMORY_BYTES)"
        )
        self.limit_bytes = limit_bytes
