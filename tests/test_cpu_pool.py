"""The CPU worker process: results, typed errors and a crashed worker."""

from __future__ import annotations

import asyncio
import os
import time

import pytest

from atspro import cpu_pool
from atspro.cpu_pool import run_cpu
from atspro.errors import InputError, TransientError
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
