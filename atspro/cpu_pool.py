"""One worker process for the CPU-bound work of tasks: reading documents and pages,
parsing, scoring, tailoring.

That work holds the GIL for milliseconds to seconds per call (layout analysis, lxml and
trafilatura, skill extraction). On a thread it shared the GIL with the event loop: every
socket call the loop made meanwhile waited to get it back (up to the 5 ms switch
interval, far longer when a loaded machine preempted the working thread while it held
the GIL), so concurrent parses stalled the API and the other tasks of the process. A
process has its own GIL. One process: on 2 cores, more would compete with the loop for
the CPU without more throughput.

``func`` and its arguments and result cross by pickle: module-level functions and plain
data (bytes, dataclasses, pydantic models).
"""

from __future__ import annotations

import asyncio
import contextlib
import functools
import gc
import logging
import multiprocessing
from collections.abc import AsyncIterator, Callable
from concurrent.futures import ProcessPoolExecutor
from concurrent.futures.process import BrokenProcessPool
from dataclasses import dataclass
from typing import Any, ParamSpec, TypeVar

from atspro.errors import ATSProError, TransientError
from atspro.skills import extract_skills

log = logging.getLogger(__name__)

P = ParamSpec("P")
T = TypeVar("T")

_WORKERS = 1
_pool: ProcessPoolExecutor | None = None


@dataclass(frozen=True, slots=True)
class _Raised:
    """An ATSPro error crossing back from the worker process.

    Default exception pickling rebuilds with ``cls(*args)``, which our errors (several or
    keyword-only arguments) reject, and a result the parent cannot unpickle breaks the
    whole pool; so the class, args and attributes travel instead.
    """

    kind: type[ATSProError]
    args: tuple[Any, ...]
    state: dict[str, Any]

    def rebuild(self) -> ATSProError:
        error = self.kind.__new__(self.kind)
        error.args = self.args
        error.__dict__.update(self.state)
        return error


def _call(func: Callable[..., T], args: tuple[Any, ...], kwargs: dict[str, Any]) -> T | _Raised:
    try:
        return func(*args, **kwargs)
    except ATSProError as exc:
        return _Raised(type(exc), exc.args, dict(vars(exc)))


def _warm_up() -> None:
    # Build the skills taxonomy once when the process starts, not inside the first
    # task, and keep the collector from rescanning it on every full collection.
    extract_skills("Python")
    gc.freeze()


def _executor() -> ProcessPoolExecutor:
    global _pool
    if _pool is None:
        # spawn, not fork: forking a process that runs threads (the loop's executor,
        # client libraries) can copy a lock some thread holds and hang the child.
        _pool = ProcessPoolExecutor(
            _WORKERS, mp_context=multiprocessing.get_context("spawn"), initializer=_warm_up
        )
    return _pool


async def run_cpu(func: Callable[P, T], *args: P.args, **kwargs: P.kwargs) -> T:
    """Run the module-level function ``func`` in the worker process; its errors re-raise here."""
    global _pool
    call = functools.partial(_call, func, args, kwargs)
    try:
        result = await asyncio.get_running_loop().run_in_executor(_executor(), call)
    except BrokenProcessPool as exc:
        _pool = None  # the next call starts a fresh process
        raise TransientError("The CPU worker process stopped unexpectedly; retrying") from exc
    if isinstance(result, _Raised):
        raise result.rebuild()
    return result


async def warm_up() -> None:
    """Start the worker process and load what it needs, e.g. while a worker starts."""
    await run_cpu(len, "")


@contextlib.asynccontextmanager
async def started_in_background() -> AsyncIterator[None]:
    """For a long-running process: start the worker process now (without waiting), stop
    it on exit.

    Otherwise the first task of this process waits seconds for it to start and build
    the skills vocabulary.
    """
    warming = asyncio.create_task(warm_up(), name="atspro-cpu-worker-warm-up")
    try:
        yield
    finally:
        if not warming.done():
            warming.cancel()
        try:
            await warming
        except asyncio.CancelledError:
            pass
        except Exception as exc:  # a failed warm-up costs only the first task's time
            log.warning("the CPU worker process did not start: %s", exc)
        await asyncio.to_thread(shut_down)


def shut_down() -> None:
    """Stop the worker process (a later call starts a new one)."""
    global _pool
    if _pool is not None:
        _pool.shutdown(wait=True, cancel_futures=True)
        _pool = None
