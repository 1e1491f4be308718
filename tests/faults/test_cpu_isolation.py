"""CPU worker processes under faults: a parent killed with SIGKILL, shutdown while busy."""

from __future__ import annotations

import asyncio
import os
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest

from atspro import cpu_pool
from atspro.cpu_pool import run_cpu
from atspro.errors import ShutdownInterrupted

from .processes import ROOT, settings_env

# Opens both pools the way `atspro serve` does, prints their process ids, then waits.
PARENT = """
import asyncio
from atspro import cpu_pool

async def main():
    async with cpu_pool.started_in_background(cpu_pool.RENDERING, cpu_pool.TASKS):
        pids = [await cpu_pool.RENDERING.run(__import__("os").getpid),
                await cpu_pool.run_cpu(__import__("os").getpid)]
        print(*pids, flush=True)
        await asyncio.sleep(3600)

asyncio.run(main())
"""


def spin(marker: str) -> None:
    """Write this process's id to ``marker``, then never return."""
    Path(marker).write_text(str(os.getpid()))
    while True:
        pass


def gone(pid: int) -> bool:
    """The process has exited (a zombie nobody reaps counts as gone)."""
    try:
        status = Path(f"/proc/{pid}/status").read_text()
    except (FileNotFoundError, ProcessLookupError):
        return True
    return "\nState:\tZ" in status


def gone_within(pid: int, within_s: float = 30.0) -> bool:
    """Whether ``pid`` exits within a generous bound (only to fail instead of hanging)."""
    deadline = time.monotonic() + within_s
    while not gone(pid) and time.monotonic() < deadline:
        time.sleep(0.05)
    return gone(pid)


def pid_when_written(marker: Path) -> int:
    while not marker.exists() or not marker.read_text():
        time.sleep(0.05)
    return int(marker.read_text())


def test_helper_processes_exit_when_their_parent_is_killed() -> None:
    helpers: list[int] = []
    with subprocess.Popen(
        [sys.executable, "-c", PARENT],
        cwd=ROOT,
        env=settings_env(),
        stdout=subprocess.PIPE,
        text=True,
    ) as parent:
        try:
            assert parent.stdout is not None
            helpers = [int(pid) for pid in parent.stdout.readline().split()]
            assert len(helpers) == 2 and parent.pid not in helpers
            parent.send_signal(signal.SIGKILL)
            parent.wait()
            survivors = [pid for pid in helpers if not gone_within(pid)]
            assert not survivors, f"helper processes {survivors} outlived their parent"
        finally:
            parent.kill()
            for pid in helpers:
                if not gone(pid):
                    os.kill(pid, signal.SIGKILL)


@pytest.mark.parametrize("grace_s", [0.0, 0.5])
async def test_shutdown_kills_a_busy_helper_at_the_deadline(tmp_path: Path, grace_s: float) -> None:
    """SIGTERM's path: leaving the pool's context gives calls the grace, then kills them;
    the cut-off call raises ShutdownInterrupted (the worker pool hands its task back)."""
    marker = tmp_path / "pid"
    async with cpu_pool.started_in_background(grace_s=grace_s):
        call = asyncio.create_task(run_cpu(spin, str(marker)))
        pid = await asyncio.to_thread(pid_when_written, marker)
    # Leaving returned although the call never ends by itself.
    assert gone(pid)
    with pytest.raises(ShutdownInterrupted, match="stopped by the shutdown"):
        await call
    assert not cpu_pool.TASKS.started
