"""Test-defined task handlers, shared by in-test worker pools and the worker process script.

Each handler first reports progress ``started by <pid>`` so a test can see which process
runs the task, then sleeps (a per-attempt delay from the payload) and returns its pid and
attempt. ``write_document`` also stores a document keyed by the task id, like a real
handler storing its result, so re-delivery can be checked for duplicates.
"""

from __future__ import annotations

import asyncio
import os
from typing import Any

from atspro.errors import PermanentError
from atspro.workers.context import HandlerResult, TaskContext
from atspro.workers.registry import HandlerRegistry, noop_handler

STARTED = "started by"


def attempt_delay(payload: dict[str, Any], attempt: int) -> float:
    """``payload["seconds"]``: one delay, or a list with one per attempt (the last repeats)."""
    seconds = payload.get("seconds", 0)
    if isinstance(seconds, list):
        return float(seconds[min(attempt, len(seconds)) - 1])
    return float(seconds)


async def sleep_handler(ctx: TaskContext) -> HandlerResult:
    """Sleep for the payload's delay, then report who ran it."""
    await ctx.progress(1, f"{STARTED} {os.getpid()}")
    await asyncio.sleep(attempt_delay(ctx.payload, ctx.task.attempt))
    return HandlerResult(result={"pid": os.getpid(), "attempt": ctx.task.attempt})


async def write_document(ctx: TaskContext) -> HandlerResult:
    """Sleep, then store a document derived only from the payload under the task's id."""
    await ctx.progress(1, f"{STARTED} {os.getpid()}")
    await asyncio.sleep(attempt_delay(ctx.payload, ctx.task.attempt))
    doc = await ctx.services.documents.put(
        kind="document",
        user_id=ctx.user_id,
        doc_id=str(ctx.task.id),
        data={"text": str(ctx.payload.get("text", "")).upper()},
    )
    return HandlerResult(
        result={"pid": os.getpid(), "attempt": ctx.task.attempt}, result_id=str(doc.id)
    )


async def fail_handler(ctx: TaskContext) -> HandlerResult:
    """Sleep for the payload's delay, then fail for good."""
    await ctx.progress(1, f"{STARTED} {os.getpid()}")
    await asyncio.sleep(attempt_delay(ctx.payload, ctx.task.attempt))
    raise PermanentError(str(ctx.payload.get("error", "cannot do this")))


def build_registry() -> HandlerRegistry:
    """The registry every fault test worker uses."""
    registry = HandlerRegistry()
    registry.register("noop", noop_handler)
    registry.register("sleep", sleep_handler)
    registry.register("write_document", write_document)
    registry.register("fail", fail_handler)
    return registry
