"""Redis key prefixes for tests, all under one prefix per test session.

The session's ``redis_url`` fixture deletes every key under ``SESSION_PREFIX`` when the
session ends, so a run leaves no keys behind, even from tests that start servers in
subprocesses or fail half-way, and never touches another run's keys.
"""

from __future__ import annotations

import uuid

SESSION_PREFIX = f"atspro-test-{uuid.uuid4().hex[:8]}"


def unique_prefix(kind: str = "t") -> str:
    """A fresh prefix for one test's keys, inside this session's."""
    return f"{SESSION_PREFIX}-{kind}-{uuid.uuid4().hex[:8]}"
