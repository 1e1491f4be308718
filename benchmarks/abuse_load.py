"""A normal user's latency while four anonymous clients abuse /graphql (issue 15, item 1).

Run: .venv/bin/python benchmarks/abuse_load.py [--seconds 15]

Starts the API (``atspro serve --no-workers`` as the platform benchmark builds it) on
loopback, in a throwaway database and Redis prefix (BENCH_REDIS_URL / BENCH_DATABASE_URL).
A normal user sends pingTask and task(id) one after another, first alone, then while a child
process runs four abusive clients without a token: huge comment-only queries, introspection,
many aliases, and renamed fragment bombs. Every phase is bounded in time and count and stops
by itself. Prints the normal user's p50/p99 in both phases and the API process's peak RSS,
beside the targets.
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
import contextlib  # noqa: E402
import random  # noqa: E402
import string  # noqa: E402
import tempfile  # noqa: E402
import time  # noqa: E402

import httpx  # noqa: E402
import psutil  # noqa: E402
from _platform_services import bench_services  # noqa: E402
from graphql import get_introspection_query  # noqa: E402
from task_platform import Server, percentile, server  # noqa: E402

from atspro.auth import issue_token  # noqa: E402
from atspro.runtime import open_runtime  # noqa: E402
from atspro.workers.handlers import default_registry  # noqa: E402

P99_TARGET_MS = 50.0
RSS_TARGET_MB = 1024.0
MAX_REQUESTS = 20_000  # per client and phase, besides the time bound
PING = "mutation { pingTask { ... on Task { id } } }"
TASK = "query($id: ID!) { task(id: $id) { id status progress } }"


def comment_query() -> str:
    """A comment-only query just under the body cap (1 MiB)."""
    return "#" + "x" * 1_000_000 + "\n{ __typename }"


def alias_query() -> str:
    tag = random.randrange(1 << 30)
    return "{ " + " ".join(f"a{tag}_{i}: __typename" for i in range(1500)) + " }"


def fragment_bomb() -> str:
    names = ["".join(random.choices(string.ascii_letters, k=10)) for _ in range(41)]
    parts = [f"query {{ ...{names[0]} }}"]
    parts += [
        f"fragment {names[i]} on Query {{ ...{names[i + 1]} ...{names[i + 1]} }}" for i in range(40)
    ]
    parts.append(f"fragment {names[40]} on Query {{ __typename }}")
    return "\n".join(parts)


ATTACKS = {
    "comment": comment_query,
    "introspection": lambda: get_introspection_query(descriptions=True),
    "aliases": alias_query,
    "fragment bomb": fragment_bomb,
}


async def attack(url: str, make_query: object, seconds: float) -> int:
    """One abusive client: back-to-back requests until ``seconds`` pass."""
    assert callable(make_query)
    sent = 0
    deadline = time.monotonic() + seconds
    async with httpx.AsyncClient(base_url=url, timeout=30) as client:
        while time.monotonic() < deadline and sent < MAX_REQUESTS:
            with contextlib.suppress(httpx.HTTPError):
                await client.post("/graphql", json={"query": make_query()})
            sent += 1
    return sent


async def attackers(url: str, seconds: float) -> None:
    counts = await asyncio.gather(*(attack(url, make, seconds) for make in ATTACKS.values()))
    print(" ".join(f"{name}={n}" for name, n in zip(ATTACKS, counts, strict=True)), flush=True)


async def normal_user(url: str, token: str, task_id: str, seconds: float) -> list[float]:
    """Latencies (ms) of a user alternating pingTask and task(id), one at a time."""
    latencies: list[float] = []
    headers = {"Authorization": f"Bearer {token}"}
    bodies = [{"query": PING}, {"query": TASK, "variables": {"id": task_id}}]
    deadline = time.monotonic() + seconds
    async with httpx.AsyncClient(base_url=url, timeout=30, headers=headers) as client:
        while time.monotonic() < deadline and len(latencies) < MAX_REQUESTS:
            body = bodies[len(latencies) % 2]
            start = time.perf_counter()
            r = await client.post("/graphql", json=body)
            latencies.append((time.perf_counter() - start) * 1000)
            assert r.status_code == 200 and "errors" not in r.json(), r.text[:300]
            await asyncio.sleep(0.01)  # a person's client, not a load generator
    return latencies


async def peak_rss(process: psutil.Process, stop: asyncio.Event) -> float:
    peak = 0
    while not stop.is_set():
        with contextlib.suppress(psutil.Error):
            peak = max(peak, process.memory_info().rss)
        await asyncio.sleep(0.1)
    return peak / 1024 / 1024


async def phase(
    api: Server, token: str, task_id: str, seconds: float, *, attacked: bool
) -> tuple[list[float], float]:
    stop = asyncio.Event()
    rss = asyncio.create_task(peak_rss(api.process, stop))
    child = None
    if attacked:
        args = [sys.executable, __file__, "--attack", api.url, "--seconds", str(seconds + 2)]
        child = await asyncio.create_subprocess_exec(*args)
        await asyncio.sleep(1)  # the attackers are at full speed before measuring
    try:
        latencies = await normal_user(api.url, token, task_id, seconds)
    finally:
        if child is not None:
            try:
                await asyncio.wait_for(child.wait(), 60)
            except TimeoutError:
                child.kill()
                await child.wait()
        stop.set()
    return latencies, await rss


def line(name: str, value: str, target: str, ok: bool) -> None:
    print(f"{name:<52} {value:<26} {target:<18} {'ok' if ok else 'MISSED'}")


async def main(seconds: float) -> None:
    async with bench_services() as services:
        settings = services.settings(run_workers_in_api=False)
        with tempfile.TemporaryDirectory() as tmp:
            workdir = Path(tmp)
            async with (
                server("atspro", services, workdir) as api,
                open_runtime(settings, registry=default_registry(), run_workers=False) as runtime,
            ):
                token = await issue_token(runtime.pool, user_id="abuse-bench")
                async with httpx.AsyncClient(base_url=api.url, timeout=30) as client:
                    r = await client.post(
                        "/graphql",
                        json={"query": PING},
                        headers={"Authorization": f"Bearer {token}"},
                    )
                task_id = r.json()["data"]["pingTask"]["id"]
                await normal_user(api.url, token, task_id, 2)  # warm-up, not counted
                calm, calm_rss = await phase(api, token, task_id, seconds, attacked=False)
                busy, busy_rss = await phase(api, token, task_id, seconds, attacked=True)
    print(f"normal user: {len(calm)} requests alone, {len(busy)} under attack, {seconds:g}s each")
    for name, values in (("alone", calm), ("with four attackers", busy)):
        p50, p99 = percentile(values, 50), percentile(values, 99)
        line(
            f"normal user p50/p99, {name}",
            f"{p50:.1f} / {p99:.1f} ms",
            f"p99 <= {P99_TARGET_MS:g} ms",
            p99 <= P99_TARGET_MS,
        )
    peak = max(calm_rss, busy_rss)
    line(
        "API process peak RSS", f"{peak:.0f} MB", f"<= {RSS_TARGET_MB:g} MB", peak <= RSS_TARGET_MB
    )


if __name__ == "__main__":
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--seconds", type=float, default=15.0, help="length of each phase")
    parser.add_argument("--attack", metavar="URL", help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.attack:
        assert args.attack.startswith("http://127.0.0.1:"), "loopback only"
        asyncio.run(attackers(args.attack, args.seconds))
    else:
        asyncio.run(main(min(args.seconds, 120.0)))
