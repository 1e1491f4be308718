"""Worker processes for CPU-bound work: a small pool for the work of tasks (reading
documents and pages, parsing, scoring, tailoring), another for rendering downloads.

That work holds the GIL for milliseconds to seconds per call (layout analysis, lxml and
trafilatura, skill extraction, laying out a PDF). On a thread it shared the GIL with the
event loop and stalled every request of the process; a process has its own GIL.

Invariants:

- One call runs in a process at a time, so a process's memory and CPU are that call's.
- A call whose caller stops waiting (task timeout, cancellation) kills its process; the
  next call starts a fresh one. An executor would keep running the abandoned call.
- Each process has a memory limit (``RLIMIT_DATA``); running out raises
  ``MemoryLimitExceeded`` for that call only, and its process is replaced.
- Callers are queued per user (``set_caller``) and served round-robin; one user holds at
  most ``size - 1`` processes, so one process is always left for the others.
- A process exits when its parent dies (``PR_SET_PDEATHSIG``, and a thread watching the
  parent id where that is unavailable), and ``close`` kills what still runs at its
  deadline; the calls it cut off raise ``ShutdownInterrupted``.

``func`` and its arguments and result cross by pickle: module-level functions and plain
data (bytes, dataclasses, pydantic models).
"""

from __future__ import annotations

import asyncio
import collections
import contextlib
import contextvars
import ctypes
import gc
import logging
import multiprocessing
import os
import pickle
import resource
import signal
import sys
import threading
import time
from collections.abc import AsyncIterator, Callable
from dataclasses import dataclass
from multiprocessing.connection import Connection
from multiprocessing.process import BaseProcess
from typing import Any, ParamSpec, TypeVar

from atspro.errors import ATSProError, MemoryLimitExceeded, ShutdownInterrupted, TransientError
from atspro.settings import Settings

log = logging.getLogger(__name__)

P = ParamSpec("P")
T = TypeVar("T")

_CALLER: contextvars.ContextVar[str] = contextvars.ContextVar("atspro_cpu_caller", default="")
_PR_SET_PDEATHSIG = 1
_PARENT_POLL_S = 1.0


def set_caller(user_id: str) -> None:
    """Attribute the CPU calls made from the current context (task, request) to a user."""
    _CALLER.set(user_id)


@dataclass(frozen=True, slots=True)
class _Raised:
    """An ATSPro error crossing back from the worker process.

    Default exception pickling rebuilds with ``cls(*args)``, which our errors (several or
    keyword-only arguments) reject; so the class, args and attributes travel instead.
    """

    kind: type[ATSProError]
    args: tuple[Any, ...]
    state: dict[str, Any]

    def rebuild(self) -> ATSProError:
        error = self.kind.__new__(self.kind)
        error.args = self.args
        error.__dict__.update(self.state)
        return error


@dataclass(frozen=True, slots=True)
class _Failed:
    """An exception that could not cross by pickle, or a process that could not start."""

    description: str


class _OutOfMemory:
    """The call ran out of the process's memory limit."""


_READY = "ready"


def _call(func: Callable[..., Any], args: tuple[Any, ...], kwargs: dict[str, Any]) -> object:
    try:
        return func(*args, **kwargs)
    except ATSProError as exc:
        return _Raised(type(exc), exc.args, dict(vars(exc)))
    except MemoryError:
        return _OutOfMemory()
    except Exception as exc:
        return exc


# -- inside a worker process ------------------------------------------------------------


def _exit_with_parent(parent_pid: int) -> None:
    """Die with the parent: a SIGKILLed API must not leave its helpers behind."""
    if sys.platform.startswith("linux"):
        libc = ctypes.CDLL(None, use_errno=True)
        libc.prctl(_PR_SET_PDEATHSIG, signal.SIGKILL, 0, 0, 0)

    def watch() -> None:
        # Also covers a parent that died before prctl ran, and systems without it.
        while os.getppid() == parent_pid:
            time.sleep(_PARENT_POLL_S)
        os._exit(1)

    if os.getppid() != parent_pid:
        os._exit(1)
    threading.Thread(target=watch, name="atspro-parent-watch", daemon=True).start()


def _serve(
    conn: Connection,
    warm_up: Callable[[], None] | None,
    memory_bytes: int,
    parent_pid: int,
) -> None:
    """The worker process's loop: one call at a time until the parent closes the pipe."""
    _exit_with_parent(parent_pid)
    # Ctrl-C reaches the whole process group; the parent decides what stops.
    signal.signal(signal.SIGINT, signal.SIG_IGN)
    try:
        if memory_bytes:
            # DATA (heap and private mappings), not AS: shared libraries and reserved but
            # untouched address space do not count against the work.
            resource.setrlimit(resource.RLIMIT_DATA, (memory_bytes, memory_bytes))
        if warm_up is not None:
            warm_up()
    except BaseException as exc:
        conn.send_bytes(pickle.dumps(_Failed(f"{type(exc).__name__}: {exc}")))
        return
    conn.send_bytes(pickle.dumps(_READY))
    while True:
        try:
            request = conn.recv_bytes()
        except (EOFError, OSError):
            return
        func, args, kwargs = pickle.loads(request)
        reply = _call(func, args, kwargs)
        try:
            data = pickle.dumps(reply)
        except MemoryError:
            reply = _OutOfMemory()
            data = pickle.dumps(reply)
        except Exception:
            data = pickle.dumps(_Failed(f"{type(reply).__name__}: {reply}"))
        conn.send_bytes(data)
        if isinstance(reply, _OutOfMemory):
            return  # start the next call in a clean process


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


# -- in the parent ----------------------------------------------------------------------


def _in_thread(fn: Callable[[], T]) -> asyncio.Future[T]:
    """Run the blocking ``fn`` on a daemon thread (never joined at exit: a pipe read stuck
    on a live child must not hold up the interpreter's exit)."""
    loop = asyncio.get_running_loop()
    future: asyncio.Future[T] = loop.create_future()

    def settle(result: T | None, error: BaseException | None) -> None:
        if future.done():
            return
        if error is not None:
            future.set_exception(error)
        else:
            future.set_result(result)  # type: ignore[arg-type]

    def work() -> None:
        try:
            result, error = fn(), None
        except BaseException as exc:
            result, error = None, exc
        with contextlib.suppress(RuntimeError):  # the loop closed meanwhile
            loop.call_soon_threadsafe(settle, result, error)

    threading.Thread(target=work, name="atspro-cpu-call", daemon=True).start()
    return future


class _Worker:
    """One worker process and the parent's end of its pipe."""

    def __init__(self, process: BaseProcess, conn: Connection) -> None:
        self.process = process
        self.conn = conn
        self.interrupted = False  # killed by ``close``: its call raises ShutdownInterrupted
        self.reply: asyncio.Future[object] | None = None  # the call running now

    @property
    def pid(self) -> int | None:
        return self.process.pid

    def exchange(self, call: tuple[Any, ...]) -> object:
        self.conn.send_bytes(pickle.dumps(call))
        return pickle.loads(self.conn.recv_bytes())

    def kill(self) -> None:
        if self.process.is_alive():
            self.process.kill()
        self.conn.close()


class WorkerProcesses:
    """A small pool of worker processes, started on demand, fair across callers."""

    def __init__(
        self,
        name: str,
        warm_up: Callable[[], None] | None,
        *,
        size: int = 2,
        memory_bytes: int = 1024 * 1024 * 1024,
    ) -> None:
        self.name = name
        self._warm_up = warm_up
        self.size = size
        self.memory_bytes = memory_bytes
        self._idle: list[_Worker] = []
        self._busy: set[_Worker] = set()
        self._in_use = 0
        self._held: collections.Counter[str] = collections.Counter()
        self._waiting: dict[str, collections.deque[asyncio.Future[None]]] = {}
        # When each caller was last given a process (a grant counter), for the turns.
        self._served: dict[str, int] = {}
        self._grants = 0
        self._closing = False
        self._starting = 0

    def configure(self, *, size: int, memory_bytes: int) -> None:
        """Set the pool size and the per-process memory limit (0: none) for new processes."""
        self.size = size
        self.memory_bytes = memory_bytes

    @property
    def started(self) -> bool:
        return bool(self._idle or self._busy or self._starting)

    @property
    def pids(self) -> list[int]:
        """The worker processes alive now (for tests and diagnostics)."""
        workers = [*self._idle, *self._busy]
        return [w.pid for w in workers if w.pid is not None and w.process.is_alive()]

    # -- slots, fair across callers ---------------------------------------------------

    def _cap(self, caller: str) -> int:
        # Unattributed work (the command line, benchmarks) may use every process.
        return max(1, self.size - 1) if caller else self.size

    def _grant(self, caller: str) -> None:
        self._in_use += 1
        self._held[caller] += 1
        self._grants += 1
        self._served[caller] = self._grants

    def _dispatch(self) -> None:
        """Hand free slots to waiting callers, one call per caller in turn."""
        while self._in_use < self.size:
            eligible = [c for c in self._waiting if self._held[c] < self._cap(c)]
            if not eligible:
                return
            # The caller served longest ago goes next (round-robin across users).
            caller = min(eligible, key=lambda c: self._served.get(c, -1))
            queue = self._waiting[caller]
            future = queue.popleft()
            if not queue:
                del self._waiting[caller]
            if future.done():
                continue  # its caller was cancelled and has not run its cleanup yet
            self._grant(caller)
            future.set_result(None)

    def _release(self, caller: str) -> None:
        self._in_use -= 1
        self._held[caller] -= 1
        if not self._held[caller]:
            del self._held[caller]
            if caller not in self._waiting:
                self._served.pop(caller, None)
        self._dispatch()

    async def _acquire(self, caller: str) -> None:
        if self._in_use < self.size and self._held[caller] < self._cap(caller):
            self._grant(caller)
            return
        future: asyncio.Future[None] = asyncio.get_running_loop().create_future()
        self._waiting.setdefault(caller, collections.deque()).append(future)
        try:
            await future
        except BaseException:
            if future.done() and not future.cancelled() and future.exception() is None:
                self._release(caller)  # granted just as the caller gave up
            else:
                queue = self._waiting.get(caller)
                if queue is not None and future in queue:
                    queue.remove(future)
                    if not queue:
                        del self._waiting[caller]
            raise

    # -- processes --------------------------------------------------------------------

    async def _start(self) -> _Worker:
        context = multiprocessing.get_context("spawn")
        # spawn, not fork: forking a process that runs threads can copy a lock some thread
        # holds. Started from the loop's thread: the death signal is tied to the thread
        # that forked, and the loop's thread lives as long as the process.
        parent, child = context.Pipe()
        process = context.Process(
            target=_serve,
            args=(child, self._warm_up, self.memory_bytes, os.getpid()),
            name=f"atspro-{self.name}",
            daemon=True,
        )
        process.start()
        child.close()
        worker = _Worker(process, parent)
        try:
            ready = await _in_thread(parent.recv_bytes)
        except (EOFError, OSError) as exc:
            worker.kill()
            raise TransientError(f"The {self.name} worker process could not start") from exc
        except BaseException:
            worker.kill()
            raise
        answer = pickle.loads(ready)
        if isinstance(answer, _Failed):
            worker.kill()
            raise TransientError(
                f"The {self.name} worker process could not start: {answer.description}"
            )
        return worker

    def _discard(self, worker: _Worker) -> None:
        worker.kill()
        # Reap it without blocking the loop.
        threading.Thread(target=worker.process.join, daemon=True).start()

    async def run(self, func: Callable[P, T], *args: P.args, **kwargs: P.kwargs) -> T:
        """Run the module-level function ``func`` in a worker process; its errors re-raise
        here. Cancelling the caller kills the process running the call."""
        if self._closing:
            raise ShutdownInterrupted(f"The {self.name} worker processes are shutting down")
        caller = _CALLER.get()
        await self._acquire(caller)
        try:
            if self._idle:
                worker = self._idle.pop()
            else:
                self._starting += 1
                try:
                    worker = await self._start()
                finally:
                    self._starting -= 1
            if self._closing:  # started while ``close`` ran
                self._discard(worker)
                raise ShutdownInterrupted(f"The {self.name} worker processes are shutting down")
            self._busy.add(worker)
            reply = await self._exchange(worker, (func, args, kwargs))
        finally:
            self._release(caller)
        if isinstance(reply, _Raised):
            raise reply.rebuild()
        if isinstance(reply, _OutOfMemory):
            raise MemoryLimitExceeded(
                f"The work needed more memory than a {self.name} worker process may use",
                limit_bytes=self.memory_bytes,
            )
        if isinstance(reply, _Failed):
            raise RuntimeError(f"in the {self.name} worker process: {reply.description}")
        if isinstance(reply, BaseException):
            raise reply
        return reply  # type: ignore[return-value]

    async def _exchange(self, worker: _Worker, call: tuple[Any, ...]) -> object:
        """Send one call and wait for its reply; the worker goes back idle unless it died."""
        alive = False
        try:
            worker.reply = _in_thread(lambda: worker.exchange(call))
            reply = await worker.reply
            alive = not isinstance(reply, _OutOfMemory)
            return reply
        except (EOFError, OSError) as exc:
            if worker.interrupted:
                raise ShutdownInterrupted(
                    f"The {self.name} worker process was stopped by the shutdown"
                ) from exc
            worker.process.join(0.1)  # usually gone already: lets the exit code show
            raise TransientError(
                f"The {self.name} worker process stopped unexpectedly "
                f"(exit code {worker.process.exitcode}); retrying"
            ) from exc
        finally:
            worker.reply = None
            self._busy.discard(worker)
            if alive and not self._closing:
                self._idle.append(worker)
            else:
                # Cancelled (timeout, user, shutdown) or dead: the call may still be
                # running there, and only killing the process stops it.
                self._discard(worker)

    async def warm_up(self) -> None:
        """Start a process and let it load what it needs."""
        await self.run(len, "")

    async def close(self, *, grace_s: float = 0.0) -> None:
        """Refuse new calls, wait up to ``grace_s`` for running ones, then kill every
        process; the calls cut off raise ShutdownInterrupted. Later calls start anew."""
        self._closing = True
        try:
            for queue in self._waiting.values():
                for future in queue:
                    if not future.done():
                        future.set_exception(
                            ShutdownInterrupted(
                                f"The {self.name} worker processes are shutting down"
                            )
                        )
            self._waiting.clear()
            replies = [w.reply for w in self._busy if w.reply is not None]
            if replies:
                await asyncio.wait(replies, timeout=grace_s)
            workers = [*self._idle, *self._busy]
            for worker in workers:
                worker.interrupted = True
                worker.kill()
            self._idle.clear()
            await asyncio.gather(*(_in_thread(w.process.join) for w in workers))
            # Let the cut-off calls see their process gone before new calls are accepted.
            await asyncio.sleep(0)
        finally:
            self._closing = False

    def shut_down(self) -> None:
        """Kill every process now (a later call starts a new one); for synchronous code."""
        workers = [*self._idle, *self._busy]
        for worker in workers:
            worker.interrupted = True
            worker.kill()
        self._idle.clear()
        for worker in workers:
            worker.process.join()


TASKS = WorkerProcesses("CPU", _warm_up_tasks)
RENDERING = WorkerProcesses("rendering", _warm_up_rendering)


def configure(settings: Settings) -> None:
    """Size both pools and set their memory limit from ``settings``."""
    memory = settings.cpu_worker_memory_bytes
    TASKS.configure(size=settings.cpu_worker_processes, memory_bytes=memory)
    RENDERING.configure(size=settings.render_worker_processes, memory_bytes=memory)


async def run_cpu(func: Callable[P, T], *args: P.args, **kwargs: P.kwargs) -> T:
    """Run the module-level function ``func`` in one of the tasks' worker processes."""
    return await TASKS.run(func, *args, **kwargs)


@contextlib.asynccontextmanager
async def started_in_background(
    *processes: WorkerProcesses, grace_s: float = 0.0
) -> AsyncIterator[None]:
    """For a long-running process: start ``processes`` (default: the tasks' pool) now,
    without waiting; on exit, give running calls ``grace_s`` and then kill them.

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
        await asyncio.gather(*(p.close(grace_s=grace_s) for p in chosen))


def shut_down() -> None:
    """Stop every worker process (later calls start new ones)."""
    for process in (TASKS, RENDERING):
        process.shut_down()
