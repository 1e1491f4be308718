"""Per-domain circuit breaker for job-page fetching.

State lives in the process (one breaker per ``PageFetcher``, shared by its requests).
That is deliberate: a failing site is usually failing for every worker at once, each
process learns it after ``failure_threshold`` attempts, and keeping it local avoids a
Redis round trip on every fetch. The cost is that N processes make up to N times the
threshold of attempts before all of them stop.

    closed --(threshold consecutive failures)--> open --(cool-down elapsed)--> half-open
    half-open --(trial succeeds)--> closed;  half-open --(trial fails)--> open again
"""

from __future__ import annotations

import enum
import time
from collections.abc import Callable
from dataclasses import dataclass

from atspro.errors import TransientError


class CircuitState(enum.StrEnum):
    """Where a domain's breaker stands."""

    CLOSED = "closed"
    OPEN = "open"
    HALF_OPEN = "half_open"


class CircuitOpen(TransientError):
    """Requests to ``domain`` are paused until the cool-down ends."""

    code = "CIRCUIT_OPEN"

    def __init__(self, domain: str, retry_after_s: float) -> None:
        super().__init__(
            f"{domain} failed repeatedly; not contacting it for another "
            f"{retry_after_s:.0f} s (circuit breaker open)"
        )
        self.domain = domain
        self.retry_after_s = retry_after_s


@dataclass(slots=True)
class _Circuit:
    failures: int = 0
    opened_at: float | None = None
    trial_running: bool = False


class CircuitBreaker:
    """Counts consecutive failures per domain and refuses calls while a circuit is open."""

    def __init__(
        self,
        *,
        failure_threshold: int,
        cooldown_s: float,
        clock: Callable[[], float] = time.monotonic,
    ) -> None:
        self.failure_threshold = failure_threshold
        self.cooldown_s = cooldown_s
        self._clock = clock
        self._circuits: dict[str, _Circuit] = {}

    def state(self, domain: str) -> CircuitState:
        """The current state of ``domain``'s circuit."""
        circuit = self._circuits.get(domain.lower())
        if circuit is None or circuit.opened_at is None:
            return CircuitState.CLOSED
        if self._clock() - circuit.opened_at < self.cooldown_s:
            return CircuitState.OPEN
        return CircuitState.HALF_OPEN

    def before_call(self, domain: str) -> None:
        """Raise CircuitOpen unless a call to ``domain`` may go ahead now."""
        key = domain.lower()
        state = self.state(key)
        if state is CircuitState.CLOSED:
            return
        circuit = self._circuits[key]
        assert circuit.opened_at is not None
        if state is CircuitState.HALF_OPEN and not circuit.trial_running:
            # One trial call at a time; the others wait for its verdict.
            circuit.trial_running = True
            return
        remaining = max(circuit.opened_at + self.cooldown_s - self._clock(), 0.0)
        raise CircuitOpen(domain, remaining if state is CircuitState.OPEN else 1.0)

    def record_success(self, domain: str) -> None:
        """Close ``domain``'s circuit."""
        self._circuits.pop(domain.lower(), None)

    def release_trial(self, domain: str) -> None:
        """Free the half-open trial slot when a call ended without a verdict (cancelled)."""
        circuit = self._circuits.get(domain.lower())
        if circuit is not None:
            circuit.trial_running = False

    def record_failure(self, domain: str) -> None:
        """Count a failure; open the circuit at the threshold or after a failed trial."""
        circuit = self._circuits.setdefault(domain.lower(), _Circuit())
        circuit.failures += 1
        if circuit.trial_running or circuit.failures >= self.failure_threshold:
            circuit.opened_at = self._clock()
            circuit.trial_running = False
