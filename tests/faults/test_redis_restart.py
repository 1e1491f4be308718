"""Redis killed and restarted without its data: every accepted task still completes.

The Redis here is private, persists nothing and dies by SIGKILL, so it comes back with no
streams, no consumer group, no delayed retries and no liveness keys. PostgreSQL still has
every accepted task; the workers recreate the group and the reconciler re-queues the rest.
"""

from __future__ import annotations

import asyncio
import signal
import socket
import subprocess
import tempfile
import uuid
from collections.abc import AsyncIterator, Callable, Iterator
from pathlib import Path
from typing import Any

import pytest

from atspro.db import tasks as task_db
from atspro.embedded.binaries import find_redis_server
from atspro.errors import ShutdownInterrupted
from atspro.settings import Settings
from atspro.tasks.model import Priority, TaskStatus
from atspro.workers.context import TaskContext
from atspro.workers.registry import HandlerRegistry, noop_handler

from .conftest import RuntimeFactory, WorkerFactory
from .handlers import build_registry
from .probes import metric_statuses, row, stream_state, wait_started, wait_terminal, wait_until
from .servers import serve_app


class VolatileRedis:
    """A private redis-server with persistence off; ``kill`` loses everything it held."""

    def __init__(self, workdir: Path) -> None:
        self._workdir = workdir
        with socket.socket() as s:
            s.bind(("127.0.0.1", 0))
            self.port = int(s.getsockname()[1])
        self._proc: subprocess.Popen[bytes] | None = None

    @property
    def url(self) -> str:
        return f"redis://127.0.0.1:{self.port}/0"

    async def start(self) -> str:
        """Start on the same port every time; returns once it answers PING."""
        argv = [
            str(find_redis_server()),
            "--port", str(self.port),
            "--bind", "127.0.0.1",
            "--save", "",
            "--appendonly", "no",
            "--dir", str(self._workdir),
        ]  # fmt: skip
        self._proc = self._spawn(argv)

        async def answers() -> bool:
            try:
                reader, writer = await asyncio.open_connection("127.0.0.1", self.port)
            except OSError:
                return False
            try:
                writer.write(b"PING\r\n")
                await writer.drain()
                return (await reader.readline()).startswith(b"+PONG")
            finally:
                writer.close()

        await wait_until(answers, timeout_s=10, what="the private Redis to answer")
        return self.url

    @staticmethod
    def _spawn(argv: list[str]) -> subprocess.Popen[bytes]:
        return subprocess.Popen(
            argv, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, stdin=subprocess.DEVNULL
        )

    def kill(self) -> None:
        """SIGKILL: no shutdown save, nothing written anywhere."""
        if self._proc is not None and self._proc.poll() is None:
            self._proc.send_signal(signal.SIGKILL)
            self._proc.wait(timeout=10)
        self._proc = None


@pytest.fixture
def volatile_redis() -> Iterator[VolatileRedis]:
    with tempfile.TemporaryDirectory(prefix="atspro-volatile-redis-") as workdir:
        server = VolatileRedis(Path(workdir))
        try:
            yield server
        finally:
            server.kill()


@pytest.fixture
async def started_redis(volatile_redis: VolatileRedis) -> AsyncIterator[VolatileRedis]:
    await volatile_redis.start()
    yield volatile_redis


def _fast(make_settings: Callable[..., Settings], redis: VolatileRedis, **extra: Any) -> Settings:
    # A visibility timeout far beyond the test: only the reconciler can explain a re-run.
    values: dict[str, Any] = {
        "redis_url": redis.url,
        "visibility_timeout_s": 3600.0,
        "reconcile_interval_s": 0.3,
        "reconcile_grace_s": 0.5,
        "worker_heartbeat_s": 0.3,
    }
    values.update(extra)
    return make_settings(**values)


async def test_backlog_and_new_tasks_complete_after_redis_comes_back_empty(
    started_redis: VolatileRedis, make_settings: Callable[..., Settings]
) -> None:
    # Two slots busy with slow tasks: the rest waits in the stream when Redis dies.
    settings = _fast(
        make_settings,
        started_redis,
        worker_concurrency=2,
        high_priority_workers=0,
        normal_priority_workers=2,
        low_priority_workers=0,
    )
    async with serve_app(settings, build_registry()) as served:
        rt = served.runtime
        busy = [uuid.uuid4(), uuid.uuid4()]
        for task_id in busy:
            await rt.tasks.submit(
                user_id="rita", task_type="sleep", payload={"seconds": 1.0}, task_id=task_id
            )
        for task_id in busy:
            await wait_started(rt.pool, task_id)
        backlog = [uuid.uuid4() for _ in range(30)]
        for task_id in backlog:
            await rt.tasks.submit(user_id="rita", task_type="noop", payload={}, task_id=task_id)
        waiting, _ = await stream_state(rt.redis, rt.keys, Priority.NORMAL)
        assert waiting >= len(backlog)

        started_redis.kill()
        await started_redis.start()
        assert await rt.redis.exists(rt.keys.queue(Priority.NORMAL)) == 0  # it came back empty

        # Accepted after the restart: the stream exists again, its group does not.
        after = uuid.uuid4()
        await rt.tasks.submit(user_id="rita", task_type="noop", payload={}, task_id=after)

        for task_id in [*busy, *backlog, after]:
            done = await wait_terminal(rt.pool, task_id, timeout_s=30)
            assert done.status is TaskStatus.COMPLETED, done
            assert done.retry_count == 0
            assert await metric_statuses(rt.pool, task_id) == ["completed"]
        assert rt.queue.groups_recreated >= 1
        assert await rt.queue.missing_groups() == []
        ready = await served.http.get("/readyz")
        assert ready.status_code == 200, ready.text
        assert ready.json()["checks"]["queue groups"] == "ok"

        # A group destroyed under a blocked reader comes back too.
        recreated = rt.queue.groups_recreated
        await rt.redis.xgroup_destroy(rt.keys.queue(Priority.LOW), rt.keys.group)

        async def restored() -> bool:
            return rt.queue.groups_recreated > recreated and not await rt.queue.missing_groups()

        await wait_until(restored, timeout_s=10, what="the group to be recreated")


async def test_readiness_names_a_missing_group(
    make_settings: Callable[..., Settings], runtime_factory: RuntimeFactory
) -> None:
    # No workers here: nobody reads, so nobody recreates the group behind the check's back.
    async with runtime_factory(make_settings(), run_workers=False) as rt:
        assert await rt.queue.missing_groups() == []
        await rt.redis.xgroup_destroy(rt.keys.queue(Priority.LOW), rt.keys.group)
        await rt.redis.delete(rt.keys.queue(Priority.HIGH))
        assert await rt.queue.missing_groups() == [Priority.HIGH, Priority.LOW]
        # The API's own read (queue statistics) recreates them.
        await rt.tasks.stats(user_id="nina")
        assert await rt.queue.missing_groups() == []


async def test_running_task_of_a_dead_worker_runs_again(
    started_redis: VolatileRedis,
    make_settings: Callable[..., Settings],
    runtime_factory: RuntimeFactory,
    spawn_worker: WorkerFactory,
) -> None:
    settings = _fast(make_settings, started_redis)
    doomed = await spawn_worker(settings)
    async with runtime_factory(settings, run_workers=False) as api:
        task_id = uuid.uuid4()
        await api.tasks.submit(
            user_id="dora", task_type="sleep", payload={"seconds": [60, 0]}, task_id=task_id
        )
        await wait_started(api.pool, task_id)
        # The worker and Redis die together: no liveness key, no pending message is left.
        doomed.kill()
        started_redis.kill()
        await started_redis.start()
        assert (await row(api.pool, task_id)).status is TaskStatus.RUNNING

        async with runtime_factory(settings, run_workers=True):
            done = await wait_terminal(api.pool, task_id, timeout_s=30)
        assert done.status is TaskStatus.COMPLETED
        assert done.result is not None and done.result["attempt"] == 2
        assert done.retry_count == 0  # the worker died; the task did not fail
        assert await metric_statuses(api.pool, task_id) == ["completed"]


async def test_one_reconciler_at_a_time_and_failover(
    started_redis: VolatileRedis,
    make_settings: Callable[..., Settings],
    runtime_factory: RuntimeFactory,
    spawn_worker: WorkerFactory,
) -> None:
    settings = _fast(make_settings, started_redis)
    workers = [await spawn_worker(settings) for _ in range(3)]
    async with runtime_factory(settings, run_workers=False) as api:
        lock = api.keys.reconciler_lock

        async def holder() -> str | None:
            value = await api.redis.get(lock)
            return value.decode() if value else None

        leader_name = await wait_until(holder, timeout_s=15, what="a reconciler to lead")
        (leader,) = [w for w in workers if w.consumer == leader_name]

        def leads(worker: Any) -> int:
            return worker.output().count(" leads")

        await wait_until(
            lambda: _true(leads(leader) == 1), timeout_s=10, what="the leader's log line"
        )
        assert [leads(w) for w in workers if w is not leader] == [0, 0]

        leader.kill()
        successor = await wait_until(
            lambda: _other(holder, leader_name), timeout_s=15, what="another process to lead"
        )
        assert successor in {w.consumer for w in workers if w is not leader}

        # The successor does the work: a pending row whose message never reached Redis.
        (lost,) = await task_db.insert_tasks(
            api.pool,
            tasks=[
                task_db.NewTask(
                    task_id=uuid.uuid4(),
                    user_id="lena",
                    task_type="noop",
                    priority=Priority.NORMAL,
                    payload={},
                    max_retries=3,
                )
            ],
        )
        done = await wait_terminal(api.pool, lost.id, timeout_s=30)
        assert done.status is TaskStatus.COMPLETED
        assert sum(leads(w) for w in workers) == 2


async def _true(value: bool) -> bool:
    return value


async def _other(holder: Callable[[], Any], previous: str) -> str | None:
    current: str | None = await holder()
    return current if current not in (None, previous) else None


async def _cut_by_shutdown(ctx: TaskContext) -> None:
    """Like a handler whose helper process is shut down under it: the cancellation
    surfaces as some other error."""
    await ctx.progress(1, "started by test")
    try:
        await asyncio.sleep(60)
    except asyncio.CancelledError:
        raise RuntimeError("cannot schedule new futures after shutdown") from None


async def _cut_in_cpu_pool(ctx: TaskContext) -> None:
    """Like a handler whose CPU pool call was cut off by shutdown."""
    await ctx.progress(1, "started by test")
    try:
        await asyncio.sleep(60)
    except asyncio.CancelledError:
        raise ShutdownInterrupted("The cpu worker processes are shutting down") from None


async def test_shutdown_hands_back_without_spending_a_retry(
    make_settings: Callable[..., Settings], runtime_factory: RuntimeFactory
) -> None:
    settings = make_settings(shutdown_grace_s=0.2)
    registry = HandlerRegistry()
    registry.register("noop", noop_handler)
    registry.register("cut", _cut_by_shutdown)
    registry.register("cpu", _cut_in_cpu_pool)
    last_chance, retried, interrupted = uuid.uuid4(), uuid.uuid4(), uuid.uuid4()
    async with runtime_factory(settings, run_workers=True, registry=registry) as rt:
        await rt.tasks.submit(
            user_id="hana", task_type="cut", payload={}, task_id=last_chance, max_retries=0
        )
        await rt.tasks.submit(
            user_id="hana", task_type="cut", payload={}, task_id=retried, max_retries=2
        )
        await rt.tasks.submit(
            user_id="hana", task_type="cpu", payload={}, task_id=interrupted, max_retries=0
        )
        for task_id in (last_chance, retried, interrupted):
            await wait_started(rt.pool, task_id)
        # Leaving the block stops the workers: grace, then cancellation.
    async with runtime_factory(settings, run_workers=False) as api:
        pool, redis, keys = api.pool, api.redis, api.keys
        for task_id in (last_chance, retried, interrupted):
            back = await row(pool, task_id)
            assert back.status is TaskStatus.PENDING, back
            assert back.retry_count == 0 and back.error_message is None
            assert back.attempt == 1
        # Both back on their stream at once, not waiting as retries.
        assert await stream_state(redis, keys, Priority.NORMAL) == (3, 0)
        assert await redis.zcard(keys.delayed) == 0
