"""Event-loop lag while CPU work runs beside it: on a thread vs in a worker process.

Handlers run their CPU-bound steps (extraction, parsing, scoring, tailoring) through
``atspro.cpu_pool.run_cpu``, and downloads render PDF/DOCX in ``cpu_pool.RENDERING``;
both used ``asyncio.to_thread``, which shares the GIL with the loop. This runs the same
work both ways in one run (resume parses 8 at a time, PDF renders of a two-page resume
4 at a time) while a ticker on the loop measures how late its 1 ms sleeps wake (what
every request and task of the process waits). Uses the shared resume PDFs when present,
else generated ones.

Run: .venv/bin/python benchmarks/handler_loop_lag.py [--rounds 5]
"""

from __future__ import annotations

import sys
from pathlib import Path

# Keep this directory last on sys.path so no module here can shadow the standard library.
_HERE = str(Path(__file__).resolve().parent)
if sys.path and sys.path[0] == _HERE:
    sys.path.append(sys.path.pop(0))

import argparse  # noqa: E402
import asyncio  # noqa: E402
import gc  # noqa: E402
import statistics  # noqa: E402
import time  # noqa: E402
from collections.abc import Awaitable, Callable, Sequence  # noqa: E402
from typing import Any, TypeVar  # noqa: E402

from resume_parse import long_pdf, parse_bytes, short_pdfs  # noqa: E402

from atspro.cpu_pool import RENDERING, TASKS, run_cpu, shut_down  # noqa: E402
from atspro.render.pdf import markdown_to_pdf  # noqa: E402

CONCURRENT = 8
CONCURRENT_RENDERS = 4
T = TypeVar("T")

# A two-page tailored resume, as a download renders it.
RESUME_MARKDOWN = (
    "# Jordan Avery\n\njordan@example.com | +1 555 0100\n\n## Experience\n\n"
    + "".join(
        f"### Senior Engineer, Company {i}\n\n2019 - 2023\n\n"
        + "".join(
            f"- Built service {j} in Python and PostgreSQL, cutting latency 30%\n" for j in range(6)
        )
        + "\n"
        for i in range(6)
    )
)


def pdfs() -> list[bytes]:
    """Up to 8 of the shared 1-2 page resume PDFs, else a generated 2-page one 8 times."""
    return short_pdfs()[:CONCURRENT] or [long_pdf(2)] * CONCURRENT


async def lag_while(
    run: Callable[[T], Awaitable[Any]], files: Sequence[T], rounds: int
) -> tuple[list[float], float]:
    """Ticker lags (ms) while ``rounds`` batches of concurrent calls run; and the wall time."""
    lags: list[float] = []
    done = False

    async def ticker() -> None:
        while not done:
            started = time.perf_counter()
            await asyncio.sleep(0.001)
            lags.append((time.perf_counter() - started - 0.001) * 1000)

    tick = asyncio.create_task(ticker())
    started = time.perf_counter()
    for _ in range(rounds):
        await asyncio.gather(*(run(data) for data in files))
    wall = time.perf_counter() - started
    done = True
    await tick
    return lags, wall


def describe(lags: list[float]) -> str:
    q = statistics.quantiles(lags, n=100)
    return f"p50 {statistics.median(lags):.2f} ms, p99 {q[98]:.2f} ms, max {max(lags):.1f} ms"


async def compare(
    what: str,
    items: Sequence[T],
    on_thread: Callable[[T], Awaitable[Any]],
    in_process: Callable[[T], Awaitable[Any]],
    rounds: int,
) -> None:
    """The same calls both ways, alternating so machine noise falls on both alike."""
    thread: list[float] = []
    process: list[float] = []
    walls = {"thread": 0.0, "process": 0.0}
    for _ in range(rounds):
        lags, wall = await lag_while(on_thread, items, 1)
        thread += lags
        walls["thread"] += wall
        lags, wall = await lag_while(in_process, items, 1)
        process += lags
        walls["process"] += wall
    print(f"{rounds * len(items)} {what} each way, {len(items)} at a time, alternating")
    print(f"  loop lag, on a thread (asyncio.to_thread): {describe(thread)}")
    print(f"  loop lag, in the worker process: {describe(process)}")
    ratio = statistics.quantiles(thread, n=100)[98] / statistics.quantiles(process, n=100)[98]
    print(f"  lag p99 thread / process: {ratio:.1f}x")
    print(f"  wall time: thread {walls['thread']:.2f} s, process {walls['process']:.2f} s")


async def main(rounds: int) -> None:
    files = pdfs()
    await TASKS.warm_up()
    await RENDERING.warm_up()
    for data in files:  # warm both paths' imports and caches
        parse_bytes(data)
    markdown_to_pdf(RESUME_MARKDOWN)
    gc.freeze()
    await compare(
        "resume parses (handlers, run_cpu)",
        files,
        lambda d: asyncio.to_thread(parse_bytes, d),
        lambda d: run_cpu(parse_bytes, d),
        rounds,
    )
    await compare(
        "PDF downloads (cpu_pool.RENDERING)",
        [RESUME_MARKDOWN] * CONCURRENT_RENDERS,
        lambda m: asyncio.to_thread(markdown_to_pdf, m),
        lambda m: RENDERING.run(markdown_to_pdf, m),
        rounds,
    )
    shut_down()


if __name__ == "__main__":
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--rounds", type=int, default=5)
    asyncio.run(main(parser.parse_args().rounds))
