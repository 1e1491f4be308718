"""The CPU worker processes: results, typed errors, crashes, isolation between calls."""

from __future__ import annotations

import asyncio
import os
import time
from pathlib import Path
from typing import Any

import pytest

from atspro import cpu_pool
from atspro.cpu_pool import run_cpu, set_caller
from atspro.errors import (
    ErrorKind,
    InputError,
    MemoryLimitExceeded,
    ShutdownInterrupted,
    TransientError,
)
from atspro.jobs.errors import EmptyPage, LoginWall
from atspro.jobs.fetch import read_page
from atspro.jobs.service import parse_job_from_text
from atspro.render.pdf import markdown_to_pdf

URL = "https://jobs.example.com/1"


async def test_runs_outside_the_loop_process() -> None:
    assert await run_cpu(os.getpid) != os.getpid()


async def test_reads_a_page_in_the_worker() -> None:
    body = "<html><body><h1>Data Engineer</h1><p>Café culture</p></body></html>".encode()
    page = await run_cpu(read_page, URL, URL, 200, "text/html; charset=utf-8", body)
    assert page.is_html and "Café culture" in page.text and page.data == body


async def test_errors_keep_their_type_and_attributes() -> None:
    # These constructors take several or keyword-only arguments, which plain exception
    # pickling cannot rebuild.
    with pytest.raises(InputError) as empty_text:
        await run_cpu(parse_job_from_text, "   ")
    assert empty_text.value.field == "text"
    assert empty_text.value.message == "The posting text is empty"
    with pytest.raises(EmptyPage) as empty:
        await run_cpu(read_page, URL, URL, 200, "text/html", b"  ")
    assert empty.value.url == URL and empty.value.reason == "empty_page"
    login = (
        b'<html><body><p>Sign in</p><form><input type="password" name="pw"></form></body></html>'
    )
    with pytest.raises(LoginWall, match="requires signing in"):
        await run_cpu(read_page, URL, URL, 200, "text/html", login)


async def test_a_crashed_worker_is_replaced() -> None:
    with pytest.raises(TransientError, match="stopped unexpectedly"):
        await run_cpu(os._exit, 1)
    assert await run_cpu(os.getpid) != os.getpid()


async def test_shut_down_then_restart() -> None:
    first = await run_cpu(os.getpid)
    cpu_pool.shut_down()
    assert await run_cpu(os.getpid) not in (first, os.getpid())


async def test_a_long_running_process_starts_the_worker_early_and_stops_it_on_exit() -> None:
    cpu_pool.shut_down()
    async with cpu_pool.started_in_background():
        await asyncio.sleep(0)  # the warm-up starts the process without being awaited
        assert cpu_pool.TASKS.started and not cpu_pool.RENDERING.started
        assert await run_cpu(os.getpid) != os.getpid()
    assert not cpu_pool.TASKS.started
    # Leaving before the warm-up finished stops it all the same.
    async with cpu_pool.started_in_background():
        pass
    assert not cpu_pool.TASKS.started


async def test_rendering_has_a_process_of_its_own() -> None:
    """A download must not wait behind a long parse in the tasks' process."""
    async with cpu_pool.started_in_background(cpu_pool.RENDERING, cpu_pool.TASKS):
        rendering = await cpu_pool.RENDERING.run(os.getpid)
        tasks = await run_cpu(os.getpid)
        assert len({rendering, tasks, os.getpid()}) == 3
        # A busy tasks' process does not hold up rendering.
        parse = asyncio.create_task(run_cpu(time.sleep, 2))
        await asyncio.sleep(0.1)
        pdf = await asyncio.wait_for(
            cpu_pool.RENDERING.run(markdown_to_pdf, "# Jordan Avery"), timeout=1.5
        )
        assert pdf.startswith(b"%PDF")
        await parse
    assert not cpu_pool.RENDERING.started and not cpu_pool.TASKS.started


# -- isolation: killed on cancel, memory limit, fair across users ------------------------


def spin(marker: str) -> None:
    """Write this process's id to ``marker``, then never return (a parse that runs away)."""
    Path(marker).write_text(str(os.getpid()))
    while True:
        pass


def hog() -> str:
    """Allocate and touch up to 3 GB in 16 MB steps (bounded where nothing limits it)."""
    held = [bytearray(16 * 1024 * 1024) for _ in range(192)]
    return f"allocated {len(held) * 16} MB"


def _pid_when_written(marker: Path) -> int:
    while not marker.exists() or not marker.read_text():
        time.sleep(0.05)
    return int(marker.read_text())


async def started_pid(marker: Path) -> int:
    """The id the spinning call wrote once it runs (waits for the call, not for a time)."""
    return await asyncio.to_thread(_pid_when_written, marker)


def gone(pid: int) -> bool:
    """The process has exited (a zombie not yet reaped counts as gone)."""
    try:
        status = Path(f"/proc/{pid}/status").read_text()
    except (FileNotFoundError, ProcessLookupError):
        return True
    return "\nState:\tZ" in status


def _gone_within(pid: int, within_s: float) -> bool:
    deadline = time.monotonic() + within_s
    while not gone(pid) and time.monotonic() < deadline:
        time.sleep(0.05)
    return gone(pid)


async def wait_gone(pid: int, *, within_s: float = 30.0) -> bool:
    """Whether ``pid`` exits within a generous bound (only to fail instead of hanging)."""
    return await asyncio.to_thread(_gone_within, pid, within_s)


async def as_user(user: str, func: Any, *args: Any) -> Any:
    set_caller(user)
    return await run_cpu(func, *args)


async def test_a_timed_out_call_kills_its_process_and_the_next_call_gets_a_fresh_one(
    tmp_path: Path,
) -> None:
    marker = tmp_path / "pid"
    call = asyncio.create_task(run_cpu(spin, str(marker)))
    pid = await started_pid(marker)
    call.cancel()  # what the worker pool's task timeout does to the handler
    with pytest.raises(asyncio.CancelledError):
        await call
    assert await wait_gone(pid), "the abandoned call kept its process busy"
    assert await run_cpu(os.getpid) not in (pid, os.getpid())


async def test_another_users_call_completes_while_one_users_heavy_calls_run(
    tmp_path: Path,
) -> None:
    markers = [tmp_path / f"heavy-{i}" for i in range(3)]
    heavy = [asyncio.create_task(as_user("alice", spin, str(m))) for m in markers]
    try:
        await started_pid(markers[0])
        # Alice holds one of the two processes; her other calls wait, Bob's does not.
        assert await asyncio.wait_for(as_user("bob", os.getpid), timeout=60) != os.getpid()
        assert not any(map(os.path.exists, markers[1:]))
    finally:
        for task in heavy:
            task.cancel()
        await asyncio.gather(*heavy, return_exceptions=True)


async def test_waiting_callers_are_served_in_turn() -> None:
    cpu_pool.TASKS.configure(size=1, memory_bytes=cpu_pool.TASKS.memory_bytes)
    try:
        order: list[str] = []

        async def call(user: str, seconds: float) -> None:
            await as_user(user, time.sleep, seconds)
            order.append(user)

        first = asyncio.create_task(call("alice", 0.5))
        await asyncio.sleep(0)
        rest = [asyncio.create_task(call(u, 0)) for u in ("alice", "alice", "bob")]
        await asyncio.gather(first, *rest)
        # Bob's one call goes before Alice's queued second and third.
        assert order == ["alice", "bob", "alice", "alice"]
    finally:
        cpu_pool.TASKS.configure(size=2, memory_bytes=cpu_pool.TASKS.memory_bytes)


async def test_a_memory_hog_gets_a_typed_error_and_the_pool_recovers() -> None:
    limit = cpu_pool.TASKS.memory_bytes
    cpu_pool.shut_down()
    cpu_pool.TASKS.configure(size=2, memory_bytes=512 * 1024 * 1024)
    try:
        hogging = await run_cpu(os.getpid)
        with pytest.raises(MemoryLimitExceeded) as info:
            await run_cpu(hog)
        assert info.value.kind == ErrorKind.PERMANENT
        assert info.value.limit_bytes == 512 * 1024 * 1024
        assert "CPU_WORKER_MEMORY_BYTES" in info.value.message
        assert await run_cpu(os.getpid) != os.getpid()
        assert await run_cpu(len, "abc") == 3
        del hogging
    finally:
        cpu_pool.shut_down()
        cpu_pool.TASKS.configure(size=2, memory_bytes=limit)


async def test_close_kills_a_busy_process_at_the_deadline(tmp_path: Path) -> None:
    marker = tmp_path / "pid"
    call = asyncio.create_task(run_cpu(spin, str(marker)))
    pid = await started_pid(marker)
    await cpu_pool.TASKS.close(grace_s=0.2)
    with pytest.raises(ShutdownInterrupted):
        await call
    assert gone(pid)
    assert await run_cpu(os.getpid) != pid  # a later call starts anew
