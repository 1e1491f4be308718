"""Task-platform performance (issue 2): every figure printed beside its target.

Run: .venv/bin/python benchmarks/task_platform.py [--quick]

Uses the Redis and PostgreSQL named by BENCH_REDIS_URL / BENCH_DATABASE_URL (defaults:
the local servers), in a throwaway database and a unique Redis prefix, removed at the end.

1. No-op throughput: a backlog inserted through TaskService.submit (rows, queue messages,
   events), then ONE worker process (``python -m atspro.cli worker``) drains it; the rate
   is taken from the rows' own timestamps (first start to last completion).
2. Submit -> completion seen by an EventHub subscriber, one task at a time.
3. HTTP through uvicorn, side by side with a bare Strawberry app (identical uvicorn
   settings; load from ``wrk`` or an httpx child process, never this process).
4. A published progress event reaching a graphql-transport-ws subscriber.
5. Worker resident memory after 10x the tasks of the first measurement.
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
import gc  # noqa: E402
import json  # noqa: E402
import os  # noqa: E402
import signal  # noqa: E402
import socket  # noqa: E402
import statistics  # noqa: E402
import subprocess  # noqa: E402
import tempfile  # noqa: E402
import time  # noqa: E402
import uuid  # noqa: E402
from collections.abc import AsyncIterator, Iterator  # noqa: E402
from dataclasses import dataclass, field  # noqa: E402

import httpx  # noqa: E402
import psutil  # noqa: E402
import websockets  # noqa: E402
from _platform_floor import VARIANTS, sample_floor  # noqa: E402
from _platform_load import LoadResult, load_tool, run_load  # noqa: E402
from _platform_services import BenchServices, bench_services  # noqa: E402

from atspro.auth import issue_token  # noqa: E402
from atspro.runtime import Runtime, open_runtime  # noqa: E402
from atspro.tasks.events import TaskEvent  # noqa: E402
from atspro.tasks.model import TaskStatus, TaskType  # noqa: E402
from atspro.workers.handlers import default_registry  # noqa: E402

USER = "bench"
SERVE = Path(__file__).resolve().parent / "_platform_serve.py"
PROJECT = Path(__file__).resolve().parents[1]

# Worker settings for the throughput and memory runs (passed as environment variables).
WORKER_SETTINGS: dict[str, object] = {
    "worker_concurrency": 500,
    "high_priority_workers": 4,
    "normal_priority_workers": 4,
    "low_priority_workers": 2,
}
WORKER_LOG_LEVEL = "INFO"

SUBMIT = json.dumps({"query": "mutation { pingTask { ... on Task { id status } } }"})
QUERY = "query ($id: ID!) { task(id: $id) { id status progress } }"


@dataclass(frozen=True, slots=True)
class Scale:
    backlog: int
    memory_tasks: int
    latency_samples: int
    ws_samples: int
    http_seconds: float
    http_rounds: int


FULL = Scale(10_000, 100_000, 600, 600, 8.0, 2)
QUICK = Scale(2_000, 10_000, 200, 200, 3.0, 1)


@dataclass
class Report:
    """Figures and their targets, printed one line each as they are measured."""

    lines: list[tuple[str, bool | None]] = field(default_factory=list)

    def figure(self, name: str, value: str, target: str, ok: bool | None) -> None:
        verdict = "" if ok is None else ("PASS" if ok else "MISS")
        line = f"{name}: {value}   {target}  {verdict}".rstrip()
        self.lines.append((line, ok))
        print(line, flush=True)

    def note(self, text: str) -> None:
        print(f"  ({text})", flush=True)


def percentile(values: list[float], q: int) -> float:
    """The q-th percentile (1-99) of ``values``."""
    return statistics.quantiles(values, n=100, method="inclusive")[q - 1]


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


# -- submitting and draining -------------------------------------------------------------


async def submit_many(runtime: Runtime, count: int, *, concurrency: int = 64) -> list[uuid.UUID]:
    """Submit ``count`` no-op tasks through TaskService.submit, ``concurrency`` at a time."""
    ids = [uuid.uuid4() for _ in range(count)]
    position = 0

    async def submitter() -> None:
        nonlocal position
        while position < count:
            task_id = ids[position]
            position += 1
            await runtime.tasks.submit(
                user_id=USER, task_type=TaskType.NOOP, payload={}, task_id=task_id
            )

    await asyncio.gather(*(submitter() for _ in range(concurrency)))
    return ids


async def wait_completed(runtime: Runtime, total: int, *, timeout_s: float) -> None:
    """Poll until ``total`` of the benchmark user's tasks are completed (the floor's are not counted)."""
    deadline = time.monotonic() + timeout_s
    while time.monotonic() < deadline:
        done = await runtime.pool.fetchval(
            "SELECT count(*) FROM tasks WHERE user_id = $1 AND status = 'completed'", USER
        )
        if done >= total:
            return
        await asyncio.sleep(0.1)
    raise TimeoutError(f"only {done} of {total} tasks completed within {timeout_s:.0f}s")


async def drain_seconds(runtime: Runtime, ids: list[uuid.UUID]) -> float:
    """First start to last completion of ``ids``, from the rows' own timestamps."""
    row = await runtime.pool.fetchrow(
        "SELECT min(started_at) AS first, max(completed_at) AS last, "
        "count(*) FILTER (WHERE status = 'completed') AS done FROM tasks WHERE id = ANY($1)",
        ids,
    )
    assert row is not None and row["done"] == len(ids), "not every task completed"
    return float((row["last"] - row["first"]).total_seconds())


@contextlib.contextmanager
def worker_process(services: BenchServices, workdir: Path) -> Iterator[subprocess.Popen[bytes]]:
    """`atspro worker` as its own OS process; SIGTERM (graceful shutdown) on exit."""
    args = [sys.executable, "-m", "atspro.cli", "--log-level", WORKER_LOG_LEVEL, "worker"]
    env = services.child_env(data_dir=workdir, **WORKER_SETTINGS)
    proc = spawn(args, env, workdir, workdir / "worker.log")
    try:
        yield proc
    finally:
        stop(proc)


# -- 1, 2 and 5: worker process ----------------------------------------------------------


async def wait_until_quiet(
    process: psutil.Process, *, busy_share: float = 0.05, timeout_s: float = 30
) -> float:
    """Seconds until ``process`` and its children used under ``busy_share`` of a core over
    half a second: latency is measured in steady state, not beside a warm-up."""

    def cpu_s() -> float:
        total = 0.0
        for p in (process, *process.children(recursive=True)):
            with contextlib.suppress(psutil.NoSuchProcess):
                times = p.cpu_times()
                total += times.user + times.system
        return total

    started = time.monotonic()
    before = cpu_s()
    while time.monotonic() - started < timeout_s:
        await asyncio.sleep(0.5)
        now = cpu_s()
        if now - before < busy_share * 0.5:
            break
        before = now
    return time.monotonic() - started


async def measure_worker(
    runtime: Runtime, services: BenchServices, scale: Scale, report: Report, workdir: Path
) -> None:
    started = time.perf_counter()
    ids = await submit_many(runtime, scale.backlog)
    elapsed = time.perf_counter() - started
    report.note(
        f"backlog of {scale.backlog} submitted through TaskService.submit "
        f"(64 concurrent) in {elapsed:.1f}s = {scale.backlog / elapsed:.0f}/s"
    )
    settings = ", ".join(f"{k.upper()}={v}" for k, v in WORKER_SETTINGS.items())
    report.note(f"worker: python -m atspro.cli --log-level {WORKER_LOG_LEVEL} worker; {settings}")
    with worker_process(services, workdir) as proc:
        await wait_completed(runtime, scale.backlog, timeout_s=300)
        seconds = await drain_seconds(runtime, ids)
        rate = scale.backlog / seconds
        report.figure(
            f"noop throughput ({scale.backlog} backlog, 1 worker process)",
            f"{rate:.0f} tasks/s",
            "target >= 2500 (aim 5000)",
            rate >= 2500,
        )
        worker = psutil.Process(proc.pid)
        rss_first = worker.memory_info().rss

        waited = await wait_until_quiet(worker)
        report.note(
            f"waited {waited:.1f}s for the worker's process tree to go quiet (its CPU "
            "worker process warms up in the background after start) before the latency runs"
        )
        await measure_round_trips(runtime, report)
        await measure_completion_latency(runtime, services, scale, report)

        done = await runtime.pool.fetchval(
            "SELECT count(*) FROM tasks WHERE user_id = $1 AND status = 'completed'", USER
        )
        rates: list[float] = []
        while done < scale.memory_tasks:
            batch = min(scale.backlog, scale.memory_tasks - done)
            batch_ids = await submit_many(runtime, batch)
            done += batch
            await wait_completed(runtime, done, timeout_s=300)
            rates.append(batch / await drain_seconds(runtime, batch_ids))
        rss_last = worker.memory_info().rss
        if rates:
            report.note(
                f"drain rate while submitting the next {done - scale.backlog} tasks "
                f"(submitter competes for the 2 cores): median {statistics.median(rates):.0f}/s"
            )
        growth = (rss_last - rss_first) / rss_first * 100
        report.figure(
            f"worker RSS after {done} tasks vs after {scale.backlog}",
            f"{rss_first / 2**20:.1f} MiB -> {rss_last / 2**20:.1f} MiB ({growth:+.1f}%)",
            "target within 10%",
            abs(growth) <= 10,
        )


async def measure_completion_latency(
    runtime: Runtime, services: BenchServices, scale: Scale, report: Report
) -> None:
    """Submit one task, wait for its completed event at a subscriber; repeat.

    Measured right after the backlog ran, on a tasks table full of dead row versions; the
    same again after a VACUUM (what autovacuum does within a minute) is printed as a note.
    After that, interleaved with more rounds of ATSPro, the same hops made with bare clients
    (``_platform_floor``, two variants): the machine's floor for this figure today, so the
    ratios show what the data model and the platform's code each add.
    """
    samples, walls = await sample_completion_latency(runtime, scale)
    p50, p99 = percentile(samples, 50), percentile(samples, 99)
    name = f"submit -> completed event at subscriber ({len(samples)} one at a time)"
    report.figure(f"{name} p50", f"{p50:.2f} ms", "target <= 2 ms", p50 <= 2)
    report.figure(f"{name} p99", f"{p99:.2f} ms", "target <= 5 ms", p99 <= 5)
    await report_latency_split(runtime, walls, report)
    await runtime.pool.execute("VACUUM ANALYZE tasks")
    await runtime.pool.execute("VACUUM ANALYZE task_metrics")
    # Rounds alternate so a noisy minute on this shared machine hits every series alike.
    series: dict[str, list[float]] = {"ATSPro": [], **{v: [] for v in VARIANTS}}
    rounds = 3
    for _ in range(rounds):
        series["ATSPro"] += (await sample_completion_latency(runtime, scale, rounds=rounds))[0]
        for variant in VARIANTS:
            series[variant] += await sample_floor(
                services.redis_url,
                services.database_url,
                services.prefix,
                samples=len(samples) // rounds,
                variant=variant,
            )
    ours = series["ATSPro"]
    report.note(
        f"after VACUUM ANALYZE of tasks and task_metrics, in {rounds} interleaved rounds: "
        f"ATSPro p50 {percentile(ours, 50):.2f} ms, p99 {percentile(ours, 99):.2f} ms"
    )
    what = {
        "minimal": "a two-column table, one published message",
        "statements": "ATSPro's own SQL on its tables, its event script for all 3 events",
    }
    for variant in VARIANTS:
        floor = series[variant]
        report.note(
            f"the same hops with bare clients, no ATSPro code ({variant}: {what[variant]}): "
            f"p50 {percentile(floor, 50):.2f} ms, p99 {percentile(floor, 99):.2f} ms; "
            f"ATSPro / this: p50 {percentile(ours, 50) / percentile(floor, 50):.2f}x, "
            f"p99 {percentile(ours, 99) / percentile(floor, 99):.2f}x"
        )


async def sample_completion_latency(
    runtime: Runtime, scale: Scale, *, rounds: int = 1
) -> tuple[list[float], dict[uuid.UUID, tuple[float, float]]]:
    """Milliseconds from submit to the completed event, and wall times per task.

    Takes ``scale.latency_samples // rounds`` samples (after 50 warm-up tasks).
    """
    waiters: dict[uuid.UUID, asyncio.Future[float]] = {}
    ready = asyncio.Event()

    async def listen() -> None:
        async for event in runtime.hub.events(USER, ready=ready):
            if event.status is TaskStatus.COMPLETED:
                waiter = waiters.pop(event.task_id, None)
                if waiter is not None and not waiter.done():
                    waiter.set_result(time.perf_counter())

    listener = asyncio.create_task(listen())
    await ready.wait()
    loop = asyncio.get_running_loop()
    samples: list[float] = []
    # Wall-clock submit/seen times per sample, to split the latency by the rows' timestamps.
    walls: dict[uuid.UUID, tuple[float, float]] = {}
    try:
        for i in range(scale.latency_samples // rounds + 50):
            task_id = uuid.uuid4()
            waiter = waiters[task_id] = loop.create_future()
            wall = time.time()
            started = time.perf_counter()
            await runtime.tasks.submit(
                user_id=USER, task_type=TaskType.NOOP, payload={}, task_id=task_id
            )
            seen = await asyncio.wait_for(waiter, timeout=10)
            if i >= 50:  # the first 50 warm up connections and statement caches
                samples.append((seen - started) * 1000)
                walls[task_id] = (wall, wall + seen - started)
    finally:
        listener.cancel()
        with contextlib.suppress(asyncio.CancelledError):
            await listener
    return samples, walls


async def report_latency_split(
    runtime: Runtime, walls: dict[uuid.UUID, tuple[float, float]], report: Report
) -> None:
    """Median time to the claim, to the completion statement, and on to the subscriber."""
    rows = await runtime.pool.fetch(
        "SELECT id, extract(epoch FROM started_at) AS started, "
        "extract(epoch FROM completed_at) AS completed FROM tasks WHERE id = ANY($1)",
        list(walls),
    )
    parts: dict[str, list[float]] = {"claimed": [], "completing": [], "seen": []}
    for row in rows:
        submitted, seen = walls[row["id"]]
        started, completed = float(row["started"]), float(row["completed"])
        parts["claimed"].append((started - submitted) * 1000)
        parts["completing"].append((completed - started) * 1000)
        parts["seen"].append((seen - completed) * 1000)
    medians = {k: statistics.median(v) for k, v in parts.items()}
    report.note(
        "medians: submit -> claim statement {claimed:.2f} ms, -> completion statement "
        "{completing:.2f} ms, -> event at subscriber {seen:.2f} ms; each stage holds one "
        "synchronous commit (insert, claim, completion)".format(**medians)
    )


async def measure_round_trips(runtime: Runtime, report: Report) -> None:
    """The floor under every latency here: a durable PostgreSQL commit and a Redis round trip."""
    await runtime.pool.execute("CREATE TABLE bench_commit (n int)")
    commits: list[float] = []
    pings: list[float] = []
    for n in range(300):
        started = time.perf_counter()
        await runtime.pool.execute("INSERT INTO bench_commit VALUES ($1)", n)
        commits.append((time.perf_counter() - started) * 1000)
        started = time.perf_counter()
        await runtime.redis.ping()
        pings.append((time.perf_counter() - started) * 1000)
    await runtime.pool.execute("DROP TABLE bench_commit")
    report.note(
        f"machine floor: PostgreSQL single-row commit (fsync) p50 {percentile(commits, 50):.2f} "
        f"ms p99 {percentile(commits, 99):.2f} ms; Redis PING p50 {percentile(pings, 50):.2f} ms"
    )


# -- 3 and 4: HTTP and WebSocket ---------------------------------------------------------


@dataclass(frozen=True, slots=True)
class Server:
    """A running uvicorn child process."""

    url: str
    process: psutil.Process

    def cpu_s(self) -> float:
        times = self.process.cpu_times()
        return float(times.user + times.system)


def spawn(
    args: list[str], env: dict[str, str], workdir: Path, log: Path
) -> subprocess.Popen[bytes]:
    """Start a child process with its output in ``log``."""
    with log.open("wb") as out:
        return subprocess.Popen(args, env=env, cwd=workdir, stdout=out, stderr=subprocess.STDOUT)


def stop(proc: subprocess.Popen[bytes], *, timeout_s: float = 30) -> None:
    """SIGTERM (graceful shutdown), then SIGKILL if it hangs."""
    proc.send_signal(signal.SIGTERM)
    try:
        proc.wait(timeout=timeout_s)
    except subprocess.TimeoutExpired:
        proc.kill()
        proc.wait()


@contextlib.asynccontextmanager
async def server(role: str, services: BenchServices, workdir: Path) -> AsyncIterator[Server]:
    """A uvicorn child process serving ``role`` (bare or atspro)."""
    port = free_port()
    log = workdir / f"{role}.log"
    args = [sys.executable, str(SERVE), role, "--port", str(port)]
    proc = spawn(args, services.child_env(data_dir=workdir), workdir, log)
    url = f"http://127.0.0.1:{port}"
    try:
        async with httpx.AsyncClient(base_url=url, timeout=2) as client:
            for _ in range(300):
                if proc.poll() is not None:
                    raise RuntimeError(f"{role} server exited: {log.read_text()[-2000:]}")
                with contextlib.suppress(httpx.HTTPError):
                    if (await client.get("/healthz")).status_code == 200:
                        break
                await asyncio.sleep(0.1)
            else:
                raise RuntimeError(f"{role} server did not start")
        yield Server(url, psutil.Process(proc.pid))
    finally:
        stop(proc, timeout_s=20)


async def check_response(url: str, body: str, token: str, marker: str) -> None:
    """One request by hand, so a broken endpoint fails loudly instead of benchmarking errors."""
    async with httpx.AsyncClient(timeout=10) as client:
        r = await client.post(
            f"{url}/graphql",
            content=body,
            headers={"Authorization": f"Bearer {token}", "Content-Type": "application/json"},
        )
    if r.status_code != 200 or marker not in r.text:
        raise RuntimeError(f"unexpected answer from {url}: {r.status_code} {r.text[:300]}")


@dataclass
class HttpRuns:
    """Load results and server CPU seconds per (operation, app)."""

    loads: dict[tuple[str, str], list[LoadResult]] = field(default_factory=dict)
    cpu_s: dict[tuple[str, str], float] = field(default_factory=dict)


async def load_server(
    target: Server, body: str, token: str, marker: str, seconds: float
) -> tuple[LoadResult, float]:
    """Load ``target`` from a separate process; returns the result and server CPU seconds."""
    before = target.cpu_s()
    result = await asyncio.to_thread(
        run_load,
        f"{target.url}/graphql",
        body=body,
        token=token,
        marker=marker,
        seconds=seconds,
        connections=8,
    )
    return result, target.cpu_s() - before


async def measure_http(
    runtime: Runtime, services: BenchServices, scale: Scale, report: Report, workdir: Path
) -> None:
    token = await issue_token(runtime.pool, user_id=USER)
    (task_id,) = await submit_many(runtime, 1, concurrency=1)
    query = json.dumps({"query": QUERY, "variables": {"id": str(task_id)}})
    operations = {
        "submit mutation (pingTask, no wait)": (SUBMIT, '"PENDING"'),
        "task(id) query": (query, '"progress"'),
    }
    runs = HttpRuns()
    async with (
        server("bare", services, workdir) as bare,
        server("bare-io", services, workdir) as bare_io,
        server("atspro", services, workdir) as ours,
    ):
        apps = {"bare": bare, "bare-io": bare_io, "ours": ours}
        report.note(
            f"HTTP load: {load_tool()} in its own process, 8 connections, "
            f"{scale.http_rounds} x {scale.http_seconds:g}s per figure, alternating servers; "
            "uvicorn loop=uvloop http=httptools log_level=warning access_log=off for all; "
            "ours without in-process workers (atspro serve --no-workers); bare-io is bare "
            "Strawberry whose resolvers make our I/O with bare clients (insert + event "
            "script; one SELECT), without auth or batching"
        )
        for body, marker in operations.values():
            for target in apps.values():
                await check_response(target.url, body, token, marker)
                await load_server(target, body, token, marker, 1)  # warm-up, not counted
        for _ in range(scale.http_rounds):
            for op, (body, marker) in operations.items():
                for app, target in apps.items():
                    result, cpu = await load_server(target, body, token, marker, scale.http_seconds)
                    runs.loads.setdefault((op, app), []).append(result)
                    runs.cpu_s[(op, app)] = runs.cpu_s.get((op, app), 0.0) + cpu
        websocket = await measure_websocket(runtime, ours.url, token, task_id, scale)
    report_http(runs, report)
    report.figure(*websocket)


def _mean(results: list[LoadResult], attr: str) -> float:
    return statistics.fmean(getattr(r, attr) for r in results)


def report_http(runs: HttpRuns, report: Report) -> None:
    targets = {
        "submit mutation (pingTask, no wait)": (50, 15),
        "task(id) query": (70, 10),
    }
    for op, (share_target, p99_target) in targets.items():
        bare, ours = runs.loads[(op, "bare")], runs.loads[(op, "ours")]
        failures = sum(r.failures for r in bare + ours)
        if failures:
            report.note(f"{op}: {failures} failed responses")
        bare_rps, ours_rps = _mean(bare, "rps"), _mean(ours, "rps")
        share = ours_rps / bare_rps * 100
        report.figure(
            f"{op} requests/s, ours vs bare Strawberry",
            f"{ours_rps:.0f} vs {bare_rps:.0f} = {share:.0f}%",
            f"target >= {share_target}%",
            share >= share_target and not failures,
        )
        p99 = _mean(ours, "p99_ms")
        report.figure(
            f"{op} p99 at 8 concurrent clients (ours; bare {_mean(bare, 'p99_ms'):.1f} ms)",
            f"{p99:.1f} ms (p50 {_mean(ours, 'p50_ms'):.1f} ms)",
            f"target <= {p99_target} ms",
            p99 <= p99_target,
        )
        io = runs.loads[(op, "bare-io")]
        io_rps = _mean(io, "rps")
        report.note(
            f"bare-io (bare Strawberry making the same I/O): {io_rps:.0f} requests/s = "
            f"{io_rps / bare_rps * 100:.0f}% of bare; p99 {_mean(io, 'p99_ms'):.1f} ms "
            f"(p50 {_mean(io, 'p50_ms'):.1f} ms); ours / bare-io: {ours_rps / io_rps * 100:.0f}%"
        )
        cpu = {
            app: runs.cpu_s[(op, app)] / sum(r.requests for r in runs.loads[(op, app)]) * 1000
            for app in ("ours", "bare-io", "bare")
        }
        report.note(
            f"server process CPU per request: ours {cpu['ours']:.2f} ms, bare-io "
            f"{cpu['bare-io']:.2f} ms, bare {cpu['bare']:.2f} ms"
        )


async def measure_websocket(
    runtime: Runtime,
    url: str,
    token: str,
    task_id: uuid.UUID,
    scale: Scale,
) -> tuple[str, str, str, bool]:
    """Publish progress events one at a time; time each until the subscriber has it."""
    ws_url = url.replace("http://", "ws://") + "/graphql"

    def event(message: str) -> TaskEvent:
        return TaskEvent(
            task_id=task_id,
            user_id=USER,
            task_type=TaskType.NOOP,
            status=TaskStatus.RUNNING,
            progress=50,
            message=message,
            at_ms=int(time.time() * 1000),
        )

    async with websockets.connect(ws_url, subprotocols=["graphql-transport-ws"]) as ws:  # type: ignore[list-item]
        await ws.send(
            json.dumps({"type": "connection_init", "payload": {"Authorization": f"Bearer {token}"}})
        )
        ack = json.loads(await ws.recv())
        if ack.get("type") != "connection_ack":
            raise RuntimeError(f"WebSocket refused: {ack}")
        await ws.send(
            json.dumps(
                {
                    "id": "1",
                    "type": "subscribe",
                    "payload": {"query": "subscription { taskUpdates { message status } }"},
                }
            )
        )

        async def receive(message: str, timeout_s: float) -> float:
            async with asyncio.timeout(timeout_s):
                while True:
                    frame = json.loads(await ws.recv())
                    if frame.get("type") != "next":
                        raise RuntimeError(f"unexpected frame {frame}")
                    if frame["payload"]["data"]["taskUpdates"]["message"] == message:
                        return time.perf_counter()

        # The subscription is live once a probe event comes through.
        for attempt in range(100):
            await runtime.publisher.publish([event(f"probe {attempt}")])
            with contextlib.suppress(TimeoutError):
                await receive(f"probe {attempt}", 0.1)
                break
        else:
            raise RuntimeError("the subscription never delivered an event")
        samples: list[float] = []
        for i in range(scale.ws_samples + 50):
            started = time.perf_counter()
            await runtime.publisher.publish([event(f"sample {i}")])
            seen = await receive(f"sample {i}", 10)
            if i >= 50:
                samples.append((seen - started) * 1000)
            await asyncio.sleep(0.002)
    p50, p99 = percentile(samples, 50), percentile(samples, 99)
    return (
        f"progress event -> graphql-transport-ws subscriber ({len(samples)} events) p99",
        f"{p99:.2f} ms (p50 {p50:.2f} ms)",
        "target <= 10 ms",
        p99 <= 10,
    )


# -- main ----------------------------------------------------------------------------------


async def run(scale: Scale, *, skip_http: bool, skip_worker: bool) -> Report:
    report = Report()
    load = os.getloadavg()
    print(
        f"platform benchmark: {os.cpu_count()} cores shared with other work "
        f"(load average {load[0]:.1f}); figures are noisy, ratios are measured side by side",
        flush=True,
    )
    with tempfile.TemporaryDirectory(prefix="atspro-bench-") as name:
        workdir = Path(name)
        async with bench_services() as services:
            settings = services.settings(data_dir=workdir)
            async with open_runtime(
                settings, registry=default_registry(), run_workers=False
            ) as runtime:
                gc.freeze()  # as the app does once started: this process plays the API here
                if not skip_worker:
                    await measure_worker(runtime, services, scale, report, workdir)
                if not skip_http:
                    await measure_http(runtime, services, scale, report, workdir)
    missed = [line for line, ok in report.lines if ok is False]
    print(f"{len(report.lines) - len(missed)} of {len(report.lines)} figures meet their target")
    return report


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--quick", action="store_true", help="smaller counts for a smoke run")
    parser.add_argument("--skip-http", action="store_true", help="only the worker figures")
    parser.add_argument("--skip-worker", action="store_true", help="only HTTP and WebSocket")
    args = parser.parse_args()
    scale = QUICK if args.quick else FULL
    options = {"skip_http": args.skip_http, "skip_worker": args.skip_worker}
    try:
        import uvloop
    except ImportError:  # pragma: no cover - uvicorn[standard] installs it
        asyncio.run(run(scale, **options))
    else:
        # The same loop uvicorn uses for the API, where submits normally come from.
        uvloop.run(run(scale, **options))
    return 0


if __name__ == "__main__":
    sys.exit(main())
