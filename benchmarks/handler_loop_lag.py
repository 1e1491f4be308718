"""Event-loop lag while resume parses run beside it: on a thread vs in the CPU worker process.

Handlers run their CPU-bound steps (extraction, parsing, scoring, tailoring) through
``atspro.cpu_pool.run_cpu``; they used ``asyncio.to_thread``, which shares the GIL with
the loop. This runs the same parses both ways in one run, 8 at a time, while a ticker on
the loop measures how late its 1 ms sleeps wake (what every request and task of the
process waits). Uses the shared resume PDFs when present, else generated ones.

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
from collections.abc import Awaitable, Callable  # noqa: E402

from resume_parse import long_pdf, parse_bytes, short_pdfs  # noqa: E402

from atspro.cpu_pool import run_cpu, shut_down, warm_up  # noqa: E402
from atspro.resume.model import Resume  # noqa: E402

CONCURRENT = 8


def pdfs() -> list[bytes]:
    """Up to 8 of the shared 1-2 page resume PDFs, else a generated 2-page one 8 times."""
    return short_pdfs()[:CONCURRENT] or [long_pdf(2)] * CONCURRENT


async def lag_while(
    run: Callable[[bytes], Awaitable[Resume]], files: list[bytes], rounds: int
) -> tuple[list[float], float]:
    """Ticker lags (ms) while ``rounds`` batches of concurrent parses run; and the wall time."""
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


async def main(rounds: int) -> None:
    files = pdfs()
    await warm_up()
    for data in files:  # warm both paths' imports and caches
        parse_bytes(data)
    gc.freeze()
    thread: list[float] = []
    process: list[float] = []
    walls = {"thread": 0.0, "process": 0.0}
    # Alternate the two, so machine noise falls on both alike.
    for _ in range(rounds):
        lags, wall = await lag_while(lambda d: asyncio.to_thread(parse_bytes, d), files, 1)
        thread += lags
        walls["thread"] += wall
        lags, wall = await lag_while(lambda d: run_cpu(parse_bytes, d), files, 1)
        process += lags
        walls["process"] += wall
    shut_down()
    total = rounds * len(files)
    print(f"{total} resume parses each way, {CONCURRENT} at a time, alternating")
    print(f"loop lag, parses on a thread (asyncio.to_thread): {describe(thread)}")
    print(f"loop lag, parses in the CPU worker process (run_cpu): {describe(process)}")
    ratio = statistics.quantiles(thread, n=100)[98] / statistics.quantiles(process, n=100)[98]
    print(f"lag p99 thread / process: {ratio:.1f}x")
    print(
        f"wall time for the parses: thread {walls['thread']:.2f} s, "
        f"process {walls['process']:.2f} s"
    )


if __name__ == "__main__":
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--rounds", type=int, default=5)
    asyncio.run(main(parser.parse_args().rounds))
