"""Shared fixtures: real Redis and PostgreSQL for every test that needs them.

The servers named by TEST_REDIS_URL / TEST_DATABASE_URL are used when set (CI sets them);
otherwise the suite starts embedded ones under a temporary directory, as ``atspro serve``
does, so the tests run on a fresh machine with no server installed. Each session gets its
own fresh database; each test gets its own Redis key prefix.
"""

from __future__ import annotations

import atexit
import contextlib
import os
import shutil
import tempfile
import uuid
from collections.abc import AsyncIterator, Awaitable, Callable
from pathlib import Path
from typing import Any

import asyncpg
import pytest
from hypothesis import settings as hypothesis_settings
from hypothesis.configuration import set_hypothesis_home_dir

from atspro.settings import Settings
from tests.redis_prefix import SESSION_PREFIX, unique_prefix
from tests.shared_data import shared_file

# Hypothesis keeps no example database and its caches in a temporary folder, so a run writes
# nothing into the checkout; each test's own settings still apply on top of this profile.
hypothesis_settings.register_profile("atspro", database=None)
hypothesis_settings.load_profile("atspro")
_HYPOTHESIS_HOME = tempfile.mkdtemp(prefix="atspro-hypothesis-")
set_hypothesis_home_dir(_HYPOTHESIS_HOME)
atexit.register(shutil.rmtree, _HYPOTHESIS_HOME, ignore_errors=True)


@pytest.fixture(scope="session")
def shared_data() -> Path:
    """The shared evaluation data folder, or skip the test when this clone has none."""
    return shared_file()


def _scratch_root() -> str | None:
    """/dev/shm when writable (tmpfs), else the default temporary directory."""
    return "/dev/shm" if os.path.isdir("/dev/shm") and os.access("/dev/shm", os.W_OK) else None


@pytest.fixture(scope="session")
async def service_urls() -> AsyncIterator[tuple[str, str]]:
    """(redis_url, server_dsn): the configured test servers, or embedded ones."""
    redis_url = os.environ.get("TEST_REDIS_URL", "")
    database_url = os.environ.get("TEST_DATABASE_URL", "")
    if redis_url and database_url:
        yield redis_url, database_url
        return
    from atspro.embedded.services import embedded_services

    # Not under pytest's basetemp: another pytest run on the machine may prune or re-permission
    # it while our servers use it. tmpfs when there is one: cluster creation is disk-bound.
    scratch = _scratch_root()
    with tempfile.TemporaryDirectory(prefix="atspro-test-", dir=scratch) as tmp:
        async with embedded_services(
            Path(tmp), redis=not redis_url, postgres=not database_url
        ) as urls:
            yield redis_url or str(urls.redis_url), database_url or str(urls.database_url)


@pytest.fixture(scope="session")
async def database_url(service_urls: tuple[str, str]) -> AsyncIterator[str]:
    """A fresh database for this test session, dropped at the end."""
    server_dsn = service_urls[1]
    name = f"atspro_test_{uuid.uuid4().hex[:10]}"
    admin = await asyncpg.connect(server_dsn)
    try:
        await admin.execute(f'CREATE DATABASE "{name}"')
    finally:
        await admin.close()
    yield _with_database(server_dsn, name)
    # FORCE ends leftover sessions; asyncpg sometimes reports our own connection closed
    # while the drop still went through, so check rather than trust the error.
    for _ in range(3):
        admin = await asyncpg.connect(server_dsn)
        try:
            await admin.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
            return
        except asyncpg.exceptions.ConnectionDoesNotExistError:
            continue
        finally:
            await admin.close()


def _with_database(dsn: str, name: str) -> str:
    """``dsn`` pointing at database ``name``."""
    from urllib.parse import urlsplit, urlunsplit

    parts = urlsplit(dsn)
    return urlunsplit((parts.scheme, parts.netloc, "/" + name, parts.query, parts.fragment))


@pytest.fixture(scope="session")
async def redis_url(service_urls: tuple[str, str]) -> AsyncIterator[str]:
    """The Redis server; every key this session made is deleted at its end."""
    yield service_urls[0]
    await delete_keys(service_urls[0], [f"{SESSION_PREFIX}*"])


@pytest.fixture
def make_settings(database_url: str, redis_url: str) -> Callable[..., Settings]:
    """Settings for one test: real servers, a private Redis prefix, short timings."""
    prefix = unique_prefix()

    def build(**overrides: Any) -> Settings:
        values: dict[str, Any] = {
            "database_url": database_url,
            "redis_url": redis_url,
            "redis_queue_prefix": prefix,
            "retry_base_delay_s": 0.05,
            "retry_max_delay_s": 1.0,
            "resource_exhausted_delay_s": 0.2,
            "visibility_timeout_s": 30.0,
            "shutdown_grace_s": 2.0,
            "sweep_interval_s": 3600.0,
            "task_timeout_seconds": 30.0,
            # The model path stays off (even with OPENAI_* exported) unless a test turns it on.
            "openai_api_key": "",
            "openai_base_url": "",
        }
        values.update(overrides)
        return Settings(_env_file=None, **values)  # type: ignore[call-arg]

    return build


@pytest.fixture
async def cleanup_redis(redis_url: str) -> AsyncIterator[Callable[[str], Awaitable[None]]]:
    """Deletes every key under the prefixes handed to it, after the test."""
    prefixes: list[str] = []

    async def register(prefix: str) -> None:
        prefixes.append(prefix)

    yield register
    await delete_keys(redis_url, [f"{prefix}:*" for prefix in prefixes])


async def delete_keys(redis_url: str, patterns: list[str]) -> None:
    """Delete every key matching one of ``patterns``."""
    import redis.asyncio as aioredis

    client = aioredis.Redis.from_url(redis_url)
    try:
        for pattern in patterns:
            keys = [k async for k in client.scan_iter(match=pattern, count=1000)]
            if keys:
                await client.delete(*keys)
    finally:
        await client.aclose()


@contextlib.asynccontextmanager
async def connect(dsn: str) -> AsyncIterator[asyncpg.Connection]:
    conn = await asyncpg.connect(dsn)
    try:
        yield conn
    finally:
        await conn.close()
