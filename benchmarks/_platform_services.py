"""A throwaway PostgreSQL database and Redis key prefix for the platform benchmark.

Both are created on the servers named by BENCH_DATABASE_URL / BENCH_REDIS_URL and removed
afterwards, so a benchmark run leaves nothing behind.
"""

from __future__ import annotations

import contextlib
import os
import uuid
from collections.abc import AsyncIterator
from dataclasses import dataclass
from urllib.parse import urlsplit, urlunsplit

import asyncpg
import redis.asyncio as aioredis

from atspro.settings import Settings

DEFAULT_REDIS_URL = "redis://127.0.0.1:6379/0"
DEFAULT_DATABASE_URL = "postgresql://postgres@127.0.0.1:5432/test"


@dataclass(frozen=True, slots=True)
class BenchServices:
    """Where this run keeps its data."""

    redis_url: str
    database_url: str
    prefix: str

    def settings(self, **overrides: object) -> Settings:
        """Settings for this run (never reads a ``.env``)."""
        return Settings(_env_file=None, **self.env_values(), **overrides)  # type: ignore[arg-type]

    def env_values(self) -> dict[str, str]:
        return {
            "database_url": self.database_url,
            "redis_url": self.redis_url,
            "redis_queue_prefix": self.prefix,
        }

    def child_env(self, **settings: object) -> dict[str, str]:
        """Environment for a child process: these services plus ``settings`` as variables."""
        env = dict(os.environ)
        values: dict[str, object] = {**self.env_values(), **settings}
        env.update({name.upper(): str(value) for name, value in values.items()})
        return env


def with_database(dsn: str, name: str) -> str:
    """``dsn`` pointing at database ``name``."""
    parts = urlsplit(dsn)
    return urlunsplit((parts.scheme, parts.netloc, "/" + name, parts.query, parts.fragment))


@contextlib.asynccontextmanager
async def bench_services() -> AsyncIterator[BenchServices]:
    """A fresh database and Redis prefix, dropped and deleted on exit."""
    redis_url = os.environ.get("BENCH_REDIS_URL", DEFAULT_REDIS_URL)
    server_dsn = os.environ.get("BENCH_DATABASE_URL", DEFAULT_DATABASE_URL)
    token = uuid.uuid4().hex[:10]
    name = f"atspro_bench_{token}"
    admin = await asyncpg.connect(server_dsn)
    try:
        await admin.execute(f'CREATE DATABASE "{name}"')
    finally:
        await admin.close()
    services = BenchServices(redis_url, with_database(server_dsn, name), f"atspro-bench-{token}")
    try:
        yield services
    finally:
        await _delete_prefix(redis_url, services.prefix)
        admin = await asyncpg.connect(server_dsn)
        try:
            await admin.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
        finally:
            await admin.close()


async def _delete_prefix(redis_url: str, prefix: str) -> None:
    client = aioredis.Redis.from_url(redis_url)
    try:
        keys = [k async for k in client.scan_iter(match=f"{prefix}:*", count=1000)]
        for start in range(0, len(keys), 1000):
            await client.delete(*keys[start : start + 1000])
    finally:
        await client.aclose()
