"""Child server processes that die with their parent.

Each child gets ``PR_SET_PDEATHSIG = SIGKILL`` (Linux), set after the switch to another user
because a credential change clears it. The kernel sends the signal when the *thread* that
forked the child exits, so start servers from a long-lived thread (the event loop's). Children
start in their own session so a terminal's Ctrl-C reaches only us and we stop them in order.
"""

from __future__ import annotations

import asyncio
import contextlib
import ctypes
import fcntl
import functools
import os
import signal
import socket
import subprocess
import sys
from collections.abc import AsyncIterator, Callable, Mapping, Sequence
from contextlib import asynccontextmanager
from pathlib import Path
from typing import IO

import psutil

from atspro.embedded.account import Account
from atspro.embedded.errors import EmbeddedServiceError

PR_SET_PDEATHSIG = 1
POLL_INTERVAL_S = 0.005


@asynccontextmanager
async def exclusive_lock(path: Path) -> AsyncIterator[None]:
    """Hold an exclusive ``flock`` on ``path`` so one process at a time starts a server.

    Polled with LOCK_NB rather than blocking in a thread, so cancelling the wait is safe.
    """
    fd = os.open(path, os.O_RDWR | os.O_CREAT, 0o600)
    try:
        while True:
            try:
                fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
                break
            except BlockingIOError:
                await asyncio.sleep(0.05)
        yield
    finally:
        os.close(fd)  # closing releases the lock


def process_serves(pid: int, *, name: str, cwd: Path) -> bool:
    """Whether ``pid`` is a live (non-zombie) ``name`` process working in directory ``cwd``."""
    try:
        proc = psutil.Process(pid)
        alive = proc.status() != psutil.STATUS_ZOMBIE
        return alive and name in proc.name() and Path(proc.cwd()) == cwd.resolve()
    except (psutil.Error, OSError):
        return False


def pick_free_port(host: str = "127.0.0.1") -> int:
    """A TCP port that is free right now (the caller retries if another process takes it)."""
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as sock:
        sock.bind((host, 0))
        port: int = sock.getsockname()[1]
        return port


@functools.cache
def _prctl() -> Callable[..., int] | None:
    if not sys.platform.startswith("linux"):
        return None
    libc = ctypes.CDLL(None, use_errno=True)
    prctl: Callable[..., int] = libc.prctl
    return prctl


def _die_with_parent_hook(parent_pid: int) -> Callable[[], None]:
    prctl = _prctl()  # resolved before fork: no dlopen in the child

    def hook() -> None:
        if prctl is not None:
            prctl(PR_SET_PDEATHSIG, signal.SIGKILL, 0, 0, 0)
        # The parent may have died between fork and prctl; then nobody would signal us.
        if os.getppid() != parent_pid:
            os._exit(1)

    return hook


def child_env(extra: Mapping[str, str] | None = None) -> dict[str, str]:
    """Our environment minus libpq's PG* variables (they would steer initdb and postgres)."""
    env = {k: v for k, v in os.environ.items() if not k.startswith("PG")}
    env.update({"LC_ALL": "C", "LANG": "C"})
    env.update(extra or {})
    return env


def spawn(
    argv: Sequence[str],
    *,
    log: IO[bytes],
    account: Account | None = None,
    cwd: Path | None = None,
) -> subprocess.Popen[bytes]:
    """Start ``argv`` as a child that dies with us, output appended to ``log``."""
    try:
        return _popen(argv, log=log, account=account, cwd=cwd)
    except OSError as exc:
        raise EmbeddedServiceError(f"cannot run {argv[0]}: {exc}") from exc


def _popen(
    argv: Sequence[str], *, log: IO[bytes], account: Account | None, cwd: Path | None
) -> subprocess.Popen[bytes]:
    return subprocess.Popen(
        list(argv),
        stdin=subprocess.DEVNULL,
        stdout=log,
        stderr=subprocess.STDOUT,
        env=child_env(),
        cwd=cwd,
        start_new_session=True,
        user=account.uid if account else None,
        group=account.gid if account else None,
        extra_groups=[] if account else None,
        preexec_fn=_die_with_parent_hook(os.getpid()),
        close_fds=True,
    )


async def run_to_end(
    argv: Sequence[str], *, log: IO[bytes], account: Account | None, timeout_s: float
) -> int:
    """Run a one-shot program (initdb) as a dying-with-us child; return its exit code."""
    proc = spawn(argv, log=log, account=account)
    code = await wait_exit(proc, timeout_s)
    if code is None:
        await stop_process(proc, signals=(signal.SIGKILL,), timeout_s=5)
        return -int(signal.SIGKILL)
    return code


async def wait_exit(proc: subprocess.Popen[bytes], timeout_s: float) -> int | None:
    """Wait up to ``timeout_s`` for ``proc`` to exit; its exit code, or None if still running."""
    loop = asyncio.get_running_loop()
    deadline = loop.time() + timeout_s
    while (code := proc.poll()) is None:
        if loop.time() >= deadline:
            return None
        await asyncio.sleep(POLL_INTERVAL_S)
    return code


async def stop_process(
    proc: subprocess.Popen[bytes],
    *,
    signals: Sequence[signal.Signals],
    timeout_s: float,
    kill_after_s: float = 3.0,
) -> None:
    """Send each signal in turn, waiting ``timeout_s`` after the first, then SIGKILL."""
    for index, sig in enumerate(signals):
        if proc.poll() is not None:
            return
        with contextlib.suppress(ProcessLookupError):
            proc.send_signal(sig)
        if await wait_exit(proc, timeout_s if index == 0 else kill_after_s) is not None:
            return
    if proc.poll() is None:
        with contextlib.suppress(ProcessLookupError):
            proc.kill()
        await wait_exit(proc, kill_after_s)


def read_tail(path: Path, *, lines: int = 20) -> str:
    """The last ``lines`` lines of a log file ('' when it does not exist)."""
    try:
        with path.open("rb") as handle:
            handle.seek(0, os.SEEK_END)
            handle.seek(max(0, handle.tell() - 16384))
            text = handle.read().decode("utf-8", "replace")
    except OSError:
        return ""
    return "\n".join(text.splitlines()[-lines:])
