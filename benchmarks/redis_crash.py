"""Kill Redis (no persistence) mid-load, start it again empty, count what completes.

Loopback only and bounded (about 30 s): a private redis-server with persistence off on a
free port, a throwaway database on BENCH_DATABASE_URL's server, one process with the API's
task service and a worker pool at default reconcile settings. Submissions run at a steady
rate with a burst of 300 half a second before Redis is SIGKILLed, so a backlog waits in
the stream when it dies; Redis comes back empty a second later. Reports tasks accepted (submit returned
an id) against tasks completed, and how long after Redis returned the last one completed.
Target: every accepted task completes within 10 s of Redis returning.

    .venv/bin/python benchmarks/redis_crash.py
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
import signal
import socket
import subprocess
import sys
import tempfile
import time
import uuid
from collections.abc import AsyncIterator
from pathlib import Path

from _platform_services import bench_services

from atspro.embedded.binaries import find_redis_server
from atspro.errors import ServiceUnavailable
from atspro.runtime import open_runtime
from atspro.settings import Settings
from atspro.tasks.model import Priority
from atspro.workers.context import TaskContext
from atspro.workers.registry import HandlerRegistry

RATE_PER_S = 50
LOAD_S = 6.0
BURST = 300
BURST_AT_S = 2.5
CRASH_AT_S = 3.0
DOWN_S = 1.0
TARGET_S = 10.0
DEADLINE_S = 60.0


async def _work(ctx: TaskContext) -> None:
    await asyncio.sleep(0.02)


class VolatileRedis:
    """redis-server without AOF or snapshots, always on the same port."""

    def __init__(self, workdir: Path) -> None:
        with socket.socket() as s:
            s.bind(("127.0.0.1", 0))
            self.port = int(s.getsockname()[1])
        self._workdir = workdir
        self._proc: subprocess.Popen[bytes] | None = None

    async def start(self) -> str:
        argv = [
            str(find_redis_server()),
            "--port", str(self.port),
            "--bind", "127.0.0.1",
            "--save", "",
            "--appendonly", "no",
            "--dir", str(self._workdir),
        ]  # fmt: skip
        self._proc = await asyncio.to_thread(
            subprocess.Popen, argv, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL
        )
        for _ in range(400):
            with contextlib.suppress(OSError):
                reader, writer = await asyncio.open_connection("127.0.0.1", self.port)
                writer.write(b"PING\r\n")
                line = await reader.readline()
                writer.close()
                if line.startswith(b"+PONG"):
                    return f"redis://127.0.0.1:{self.port}/0"
            await asyncio.sleep(0.025)
        raise RuntimeError("the private Redis did not start")

    def kill(self) -> None:
        if self._proc is not None and self._proc.poll() is None:
            self._proc.send_signal(signal.SIGKILL)
            self._proc.wait(timeout=10)
        self._proc = None


@contextlib.asynccontextmanager
async def volatile_redis() -> AsyncIterator[VolatileRedis]:
    with tempfile.TemporaryDirectory(prefix="atspro-redis-crash-") as workdir:
        server = VolatileRedis(Path(workdir))
        try:
            yield server
        finally:
            server.kill()


async def main() -> int:
    logging.basicConfig(level=logging.WARNING, format="%(levelname)s %(name)s: %(message)s")
    registry = HandlerRegistry()
    registry.register("work", _work)
    async with bench_services() as services, volatile_redis() as redis_server:
        url = await redis_server.start()
        values = {**services.env_values(), "redis_url": url, "worker_concurrency": 4}
        settings = Settings(_env_file=None, **values)  # type: ignore[call-arg]
        async with open_runtime(settings, registry=registry, run_workers=True) as rt:
            accepted: list[uuid.UUID] = []
            refused = 0
            backlog_at_crash = -1
            returned_at = 0.0
            began = time.monotonic()

            async def submit_one() -> None:
                nonlocal refused
                try:
                    record = await rt.tasks.submit(user_id="bench", task_type="work", payload={})
                    accepted.append(record.id)
                except ServiceUnavailable:
                    refused += 1

            async def crash() -> None:
                nonlocal backlog_at_crash, returned_at
                await asyncio.sleep(CRASH_AT_S)
                backlog_at_crash = int(await rt.redis.xlen(rt.keys.queue(Priority.NORMAL)))
                redis_server.kill()
                await asyncio.sleep(DOWN_S)
                await redis_server.start()
                returned_at = time.monotonic()

            async def burst() -> None:
                await asyncio.sleep(BURST_AT_S)
                await asyncio.gather(*(submit_one() for _ in range(BURST)))

            crasher = asyncio.create_task(crash())
            burster = asyncio.create_task(burst())
            pending: set[asyncio.Task[None]] = set()
            sent = 0
            while (elapsed := time.monotonic() - began) < LOAD_S:
                for _ in range(int(elapsed * RATE_PER_S) - sent):
                    task = asyncio.create_task(submit_one())
                    pending.add(task)
                    task.add_done_callback(pending.discard)
                    sent += 1
                await asyncio.sleep(0.01)
            await crasher
            await burster
            if pending:
                await asyncio.wait(pending)

            ids = list(accepted)
            deadline = time.monotonic() + DEADLINE_S
            while True:
                done = await rt.pool.fetchval(
                    "SELECT count(*) FROM tasks WHERE id = ANY($1::uuid[]) AND status = 'completed'",
                    ids,
                )
                if done == len(ids) or time.monotonic() > deadline:
                    break
                await asyncio.sleep(0.05)
            finished_after = time.monotonic() - returned_at
            assert rt.workers is not None
            print(
                f"submitted            {sent + BURST} over {LOAD_S:g} s "
                f"({RATE_PER_S}/s and a burst of {BURST})"
            )
            print(f"accepted             {len(ids)}")
            print(f"refused (Redis down) {refused}")
            print(f"backlog at the crash {backlog_at_crash} messages in the stream")
            print(f"completed            {done}")
            print(f"lost                 {len(ids) - done}")
            print(f"groups recreated     {rt.queue.groups_recreated}")
            print(f"reconciler passes    {rt.workers.reconciler.passes} (this process)")
            print(
                f"all complete after   {finished_after:.1f} s after Redis returned "
                f"(target <= {TARGET_S:g} s)"
                if done == len(ids)
                else f"NOT all complete {DEADLINE_S:g} s after Redis returned"
            )
            ok = done == len(ids) and finished_after <= TARGET_S
            return 0 if ok else 1


if __name__ == "__main__":
    sys.exit(asyncio.run(main()))
