"""The progress callback that long engine work reports through."""

from __future__ import annotations

from collections.abc import Awaitable, Callable

# (percent 0-100, short message) -> awaitable. The task platform passes one that updates
# the task row and publishes a live event; tests pass a list-appending one.
ProgressFn = Callable[[int, str], Awaitable[None]]


async def no_progress(percent: int, message: str) -> None:
    """A ProgressFn that drops reports, for callers that do not track progress."""
    del percent, message
