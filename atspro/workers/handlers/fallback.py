"""When a model call fails, whether the handler keeps its offline result or the task retries.

Every model step has an offline engine behind it, so a failure never has to fail the task:

- PermanentError (bad key 401/403, unknown model, refusal, unusable reply): retrying cannot
  help and the offline engine can still do the job, so use it now. The stored ``engine`` meta
  says "offline", so the user can see which engine answered; the warning tells the operator.
- Rate limits, 5xx, timeouts, exhausted capacity: the model may answer a later attempt, so
  re-raise and let the task platform retry (after Retry-After for a 429). On the task's last
  attempt fall back instead, so an outage of the model costs quality, not the result.
"""

from __future__ import annotations

import logging

from atspro.errors import PermanentError, TaskError
from atspro.workers.context import TaskContext

log = logging.getLogger(__name__)


def allow_offline(ctx: TaskContext, exc: TaskError, *, step: str) -> bool:
    """True (and logged) when the caller should use its offline result; False: re-raise."""
    last_attempt = ctx.task.retry_count >= ctx.task.max_retries
    if not isinstance(exc, PermanentError) and not last_attempt:
        return False
    log.warning(
        "task %s: model %s failed (%s: %s); using the offline engine",
        ctx.task.id,
        step,
        exc.kind,
        exc.message,
    )
    return True
