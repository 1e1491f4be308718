"""Fixtures for the fault tests: runtimes with the test handlers, worker processes."""

from __future__ import annotations

import contextlib
import sys
import uuid
from collections.abc import AsyncIterator, Awaitable, Callable, Iterator
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit, urlunsplit

import asyncpg
import pytest

from atspro.runtime import Runtime, open_runtime
from atspro.settings import Settings
from atspro.workers.registry import HandlerRegistry

from .handlers import build_registry
from .processes import ROOT, WorkerProcess, settings_env

RuntimeFactory = Callable[..., contextlib.AbstractAsyncContextManager[Runtime]]
WorkerFactory = Callable[[Settings], Awaitable[WorkerProcess]]


@pytest.fixture
def runtime_factory(cleanup_redis: Any) -> RuntimeFactory:
    """Opens a runtime (API side, optionally with in-process workers) on given settings."""

    @contextlib.asynccontextmanager
    async def factory(
        settings: Settings, *, run_workers: bool, registry: HandlerRegistry | None = None
    ) -> AsyncIterator[Runtime]:
        await cleanup_redis(settings.redis_queue_prefix)
        async with open_runtime(
            settings, registry=registry or build_registry(), run_workers=run_workers
        ) as rt:
            yield rt

    return factory


@pytest.fixture
def spawn_worker(tmp_path: Path, cleanup_redis: Any) -> Iterator[WorkerFactory]:
    """Starts worker processes (returning once they take work); kills leftovers at the end."""
    children: list[WorkerProcess] = []

    async def spawn(settings: Settings) -> WorkerProcess:
        await cleanup_redis(settings.redis_queue_prefix)
        child = WorkerProcess(
            [sys.executable, "-m", "tests.faults.worker_process"],
            env=settings_env(settings),
            log_path=tmp_path / f"worker-{len(children)}.log",
            cwd=ROOT,
        )
        children.append(child)
        await child.wait_ready()
        return child

    yield spawn
    for child in children:
        child.kill()


@pytest.fixture
async def fresh_database(service_urls: tuple[str, str]) -> AsyncIterator[str]:
    """The DSN of a new, empty database on the test server; dropped afterwards."""
    server_dsn = service_urls[1]
    name = f"atspro_fault_{uuid.uuid4().hex[:10]}"
    admin = await asyncpg.connect(server_dsn)
    try:
        await admin.execute(f'CREATE DATABASE "{name}"')
    finally:
        await admin.close()
    parts = urlsplit(server_dsn)
    yield urlunsplit((parts.scheme, parts.netloc, "/" + name, parts.query, parts.fragment))
    # As in the root conftest: asyncpg may report our own connection closed by the FORCE
    # drop even though the drop went through, so try again rather than trust the error.
    for _ in range(3):
        admin = await asyncpg.connect(server_dsn)
        try:
            await admin.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
            return
        except asyncpg.exceptions.ConnectionDoesNotExistError:
            continue
        finally:
            await admin.close()
