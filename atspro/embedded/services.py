"""Start the embedded servers a process needs, and stop them when it is done."""

from __future__ import annotations

import asyncio
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from dataclasses import dataclass
from pathlib import Path

from atspro.embedded.postgres_server import EmbeddedPostgres
from atspro.embedded.redis_server import EmbeddedRedis


@dataclass(frozen=True)
class EmbeddedUrls:
    """URLs of the servers started; None for one that was not asked for."""

    redis_url: str | None
    database_url: str | None


@asynccontextmanager
async def embedded_services(
    data_dir: Path, *, redis: bool, postgres: bool
) -> AsyncIterator[EmbeddedUrls]:
    """Start the asked-for servers under ``data_dir`` (concurrently); stop them on exit."""
    redis_server = EmbeddedRedis(data_dir) if redis else None
    postgres_server = EmbeddedPostgres(data_dir) if postgres else None
    servers: list[EmbeddedRedis | EmbeddedPostgres] = [
        s for s in (redis_server, postgres_server) if s is not None
    ]
    try:
        results = await asyncio.gather(*(s.start() for s in servers), return_exceptions=True)
        for result in results:
            if isinstance(result, BaseException):
                raise result
        yield EmbeddedUrls(
            redis_url=redis_server.url if redis_server else None,
            database_url=postgres_server.url if postgres_server else None,
        )
    finally:
        await asyncio.gather(*(s.stop() for s in servers))
