"""Start/stop times of the embedded Redis and PostgreSQL, each figure beside its target.

Run: .venv/bin/python benchmarks/embedded_start.py [--rounds N]
"""

from __future__ import annotations

import argparse
import asyncio
import statistics
import tempfile
import time
from collections.abc import Awaitable, Callable
from pathlib import Path

from atspro.embedded import EmbeddedPostgres, EmbeddedRedis, embedded_services

TARGETS_S = {
    "redis cold start": 0.5,
    "redis warm start": 0.5,
    "redis stop": 1.0,
    "postgres cold start (initdb + start)": 3.0,
    "postgres warm start": 1.0,
    "postgres stop": 2.0,
    "both warm, embedded_services enter": 1.0,
}


async def timed(action: Callable[[], Awaitable[object]]) -> float:
    started = time.perf_counter()
    await action()
    return time.perf_counter() - started


async def one_round(results: dict[str, list[float]]) -> None:
    with tempfile.TemporaryDirectory(prefix="atspro-bench-") as name:
        data_dir = Path(name)
        redis = EmbeddedRedis(data_dir)
        results["redis cold start"].append(await timed(redis.start))
        results["redis stop"].append(await timed(redis.stop))
        results["redis warm start"].append(await timed(redis.start))
        await redis.stop()

        postgres = EmbeddedPostgres(data_dir)
        results["postgres cold start (initdb + start)"].append(await timed(postgres.start))
        results["postgres stop"].append(await timed(postgres.stop))
        results["postgres warm start"].append(await timed(postgres.start))
        await postgres.stop()

        started = time.perf_counter()
        async with embedded_services(data_dir, redis=True, postgres=True):
            results["both warm, embedded_services enter"].append(time.perf_counter() - started)


async def main(rounds: int) -> None:
    results: dict[str, list[float]] = {name: [] for name in TARGETS_S}
    for _ in range(rounds):
        await one_round(results)
    print(f"{'figure':40} {'median s':>9} {'max s':>7} {'target s':>9}")
    for name, target in TARGETS_S.items():
        values = results[name]
        median, worst = statistics.median(values), max(values)
        verdict = "ok" if median <= target else "MISSED"
        print(f"{name:40} {median:9.3f} {worst:7.3f} {'<= ' + str(target):>9}  {verdict}")


if __name__ == "__main__":
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--rounds", type=int, default=3)
    asyncio.run(main(parser.parse_args().rounds))
