"""Worker processes for CPU-bound work: one for the work of tasks (reading documents and
pages, parsing, scoring, tailoring), one for rendering downloads (PDF, DOCX).

That work holds the GIL for milliseconds to seconds per call (layout analysis, lxml and
trafilatura, skill extraction, laying out a PDF). On a thread it shared the GIL with the
event loop: every socket call the loop made meanwhile waited to get it back (up to the
5 ms switch interval, far longer when a loaded machine preempted the working thread while
it held the GIL), so concurrent parses stalled the API and the other tasks of the process;
two PDF downloads on threads took the API's loop lag p99 from 0.2 to 60 ms. A process has
its own GIL. One process per kind of work: on 2 cores, more would compete with the loop
for the CPU without more throughput, and a download does not wait behind a long parse.

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

log = logging.getLogger(__name__)

P = ParamSpec("P")
T = TypeVar("T")


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


# The imports are inside the warm-ups so that each process loads only what its work needs
# (this module is imported in every one of them to unpickle its initializer).


def _warm_up_tasks() -> None:
    # Build the skills taxonomy once when the process starts, not inside the first
    # task, and keep the collector from rescanning it on every full collection.
    from atspro.skills import extract_skills

    extract_skills("Python")
    gc.freeze()


def _warm_up_rendering() -> None:
    # Load the PDF and DOCX libraries (and the PDF fonts) before the first download.
    from atspro.render.formats import render_document

    render_document("# ATSPro", "pdf", "")
    render_document("# ATSPro", "docx", "")
    gc.freeze()


class WorkerProcess:
    """One worker process, started on first use (or by ``warm_up``), replaced if it dies."""

    def __init__(self, name: str, initializer: Callable[[], None]) -> None:
        self.name = name
        self._initializer = initializer
        self._executor: ProcessPoolExecutor | None = None

    @property
    def started(self) -> bool:
        return self._executor is not None

    def _pool(self) -> ProcessPoolExecutor:
        if self._executor is None:
            # spawn, not fork: forking a process that runs threads (the loop's executor,
            # client libraries) can copy a lock some thread holds and hang the child.
            self._executor = ProcessPoolExecutor(
                1, mp_context=multiprocessing.get_context("spawn"), initializer=self._initializer
            )
        return self._executor

    async def run(self, func: Callable[P, T], *args: P.args, **kwargs: P.kwargs) -> T:
        """Run the module-level function ``func`` there; its errors re-raise here."""
        call = functools.partial(_call, func, args, kwargs)
        try:
            result = await asyncio.get_running_loop().run_in_executor(self._pool(), call)
        except BrokenProcessPool as exc:
            self._executor = None  # the next call starts a fresh process
            raise TransientError(
                f"The {self.name} worker process stopped unexpectedly; retrying"
            ) from exc
        if isinstance(result, _Raised):
            raise result.rebuild()
        return result

    async def warm_up(self) -> None:
        """Start the process and let it load what it needs."""
        await self.run(len, "")

    def shut_down(self) -> None:
        """Stop the process (a later call starts a new one)."""
        if self._executor is not None:
            self._executor.shutdown(wait=True, cancel_futures=True)
            self._executor = None


TASKS = WorkerProcess("CPU", _warm_up_tasks)
RENDERING = WorkerProcess("rendering", _warm_up_rendering)


async def run_cpu(func: Callable[P, T], *args: P.args, **kwargs: P.kwargs) -> T:
    """Run the module-level function ``func`` in the tasks' worker process."""
    return await TASKS.run(func, *args, **kwargs)


@contextlib.asynccontextmanager
async def started_in_background(*processes: WorkerProcess) -> AsyncIterator[None]:
    """For a long-running process: start ``processes`` (default: the tasks' one) now,
    without waiting; stop them on exit.

    Otherwise the first task of this process waits seconds for its worker process to
    start and build the skills vocabulary (and the first download, for the PDF fonts).
    """
    chosen = processes or (TASKS,)
    warming = [asyncio.create_task(p.warm_up(), name=f"atspro-{p.name}-warm-up") for p in chosen]
    try:
        yield
    finally:
        for task in warming:
            if not task.done():
                task.cancel()
        for process, task in zip(chosen, warming, strict=True):
            try:
                await task
            except asyncio.CancelledError:
                pass
            except Exception as exc:  # a failed warm-up costs only the first call's time
                log.warning("the %s worker process did not start: %s", process.name, exc)
            await asyncio.to_thread(process.shut_down)


def shut_down() -> None:
    """Stop every worker process (later calls start new ones)."""
    for process in (TASKS, RENDERING):
        process.shut_down()
