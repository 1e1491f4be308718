"""Retry delays by error kind: permanent never, rate-limited after its retry-after (capped),
resource-exhausted longer, and jitter between half and all of the exponential ceiling."""

from __future__ import annotations

import random

import pytest

from atspro.errors import ErrorKind
from atspro.workers.retry import RetryPolicy

POLICY = RetryPolicy(base_delay_s=1.0, max_delay_s=60.0, resource_exhausted_delay_s=20.0)


class FixedDraw(random.Random):
    """A random source that always draws the same number (to pin the jitter's ends)."""

    def __init__(self, value: float) -> None:
        super().__init__()
        self.value = value

    def random(self) -> float:
        return self.value


def test_permanent_errors_are_never_retried() -> None:
    for count in (0, 1, 10):
        assert POLICY.delay(ErrorKind.PERMANENT, retry_count=count, retry_after_s=5.0) is None


@pytest.mark.parametrize(
    ("after", "expected"), [(0.0, 0.0), (7.5, 7.5), (-3.0, 0.0), (3600.0, 60.0)]
)
def test_rate_limited_waits_exactly_its_retry_after_within_the_cap(
    after: float, expected: float
) -> None:
    for count in (0, 5):
        assert (
            POLICY.delay(ErrorKind.RATE_LIMITED, retry_count=count, retry_after_s=after) == expected
        )


def test_rate_limited_without_retry_after_backs_off_like_transient() -> None:
    for count in range(5):
        rate = POLICY.delay(ErrorKind.RATE_LIMITED, retry_count=count, rng=FixedDraw(0.3))
        transient = POLICY.delay(ErrorKind.TRANSIENT, retry_count=count, rng=FixedDraw(0.3))
        assert rate == transient


@pytest.mark.parametrize("kind", [ErrorKind.TRANSIENT, ErrorKind.RESOURCE_EXHAUSTED])
def test_jitter_stays_between_half_and_all_of_the_ceiling(kind: ErrorKind) -> None:
    base = 1.0 if kind is ErrorKind.TRANSIENT else 20.0
    rng = random.Random(1234)
    for count in range(10):
        ceiling = min(60.0, base * 2**count)
        low = POLICY.delay(kind, retry_count=count, rng=FixedDraw(0.0))
        high = POLICY.delay(kind, retry_count=count, rng=FixedDraw(1.0))
        assert (low, high) == (ceiling / 2, ceiling)
        draws = [POLICY.delay(kind, retry_count=count, rng=rng) for _ in range(200)]
        assert all(d is not None and ceiling / 2 <= d <= ceiling for d in draws)
        # Spread out, not one value: retries of many tasks do not arrive together.
        assert len(set(draws)) > 150


def test_delays_grow_exponentially_until_the_cap() -> None:
    ceilings = [
        POLICY.delay(ErrorKind.TRANSIENT, retry_count=n, rng=FixedDraw(1.0)) for n in range(9)
    ]
    assert ceilings == [1.0, 2.0, 4.0, 8.0, 16.0, 32.0, 60.0, 60.0, 60.0]


def test_resource_exhausted_waits_longer_than_transient() -> None:
    for count in range(4):
        exhausted = POLICY.delay(
            ErrorKind.RESOURCE_EXHAUSTED, retry_count=count, rng=FixedDraw(0.0)
        )
        transient = POLICY.delay(ErrorKind.TRANSIENT, retry_count=count, rng=FixedDraw(1.0))
        assert exhausted is not None and transient is not None and exhausted > transient
    # A base delay already longer than the resource-exhausted one is kept.
    slow = RetryPolicy(base_delay_s=30.0, max_delay_s=100.0, resource_exhausted_delay_s=5.0)
    assert slow.delay(ErrorKind.RESOURCE_EXHAUSTED, retry_count=0, rng=FixedDraw(1.0)) == 30.0


def test_default_random_source_is_used_without_one() -> None:
    draws = {POLICY.delay(ErrorKind.TRANSIENT, retry_count=3) for _ in range(50)}
    assert all(d is not None and 4.0 <= d <= 8.0 for d in draws) and len(draws) > 1
