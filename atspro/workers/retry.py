"""How long to wait before retrying a failed attempt, by error kind."""

from __future__ import annotations

import random
from dataclasses import dataclass

from atspro.errors import ErrorKind


@dataclass(frozen=True, slots=True)
class RetryPolicy:
    """Exponential backoff with full jitter; RESOURCE_EXHAUSTED waits longer."""

    base_delay_s: float = 1.0
    max_delay_s: float = 300.0
    resource_exhausted_delay_s: float = 30.0

    def delay(
        self,
        kind: ErrorKind,
        *,
        retry_count: int,
        retry_after_s: float | None = None,
        rng: random.Random | None = None,
    ) -> float | None:
        """Seconds to wait before the next attempt, or None when the kind is not retried."""
        if kind is ErrorKind.PERMANENT:
            return None
        if kind is ErrorKind.RATE_LIMITED and retry_after_s is not None:
            return min(max(retry_after_s, 0.0), self.max_delay_s)
        base = self.base_delay_s
        if kind is ErrorKind.RESOURCE_EXHAUSTED:
            base = max(base, self.resource_exhausted_delay_s)
        ceiling = min(self.max_delay_s, base * 2.0**retry_count)
        # Jitter between half and all of the ceiling: spreads retries, never zero.
        return ceiling * (0.5 + 0.5 * (rng or random).random())
