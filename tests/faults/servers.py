"""Servers the outage tests control: Redis and PostgreSQL that restart on the same port,
and the real app under uvicorn."""

from __future__ import annotations

import asyncio
import contextlib
import socket
from collections.abc import AsyncIterator
from dataclasses import dataclass
from pathlib import Path
from unittest import mock

import httpx
import uvicorn

from atspro.app import create_app
from atspro.embedded import EmbeddedPostgres, EmbeddedRedis
from atspro.runtime import Runtime
from atspro.settings import Settings
from atspro.workers.registry import HandlerRegistry


class Restartable:
    """An embedded server that comes back on the port it first got (clients keep their URL)."""

    def __init__(self, server: EmbeddedRedis | EmbeddedPostgres, module: str) -> None:
        self.server = server
        self._module = module
        self.port: int | None = None

    async def start(self) -> str:
        """Start (again); returns the URL, the same every time."""
        if self.port is None:
            url = await self.server.start()
            self.port = self.server.port
            return url
        with mock.patch(f"{self._module}.pick_free_port", return_value=self.port):
            return await self.server.start()

    async def stop(self) -> None:
        await self.server.stop()


def restartable_redis(data_dir: Path) -> Restartable:
    """An embedded Redis (append-only file on, so its streams survive a restart)."""
    return Restartable(EmbeddedRedis(data_dir), "atspro.embedded.redis_server")


def restartable_postgres(data_dir: Path) -> Restartable:
    """An embedded PostgreSQL cluster."""
    return Restartable(EmbeddedPostgres(data_dir), "atspro.embedded.postgres_server")


@dataclass
class Served:
    """The app under uvicorn: its HTTP client and its runtime."""

    http: httpx.AsyncClient
    runtime: Runtime


@contextlib.asynccontextmanager
async def serve_app(settings: Settings, registry: HandlerRegistry) -> AsyncIterator[Served]:
    """Run the app (with in-process workers) on a free port until the block ends."""
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        port = int(s.getsockname()[1])
    app = create_app(settings, registry=registry, run_workers=True)
    config = uvicorn.Config(app, host="127.0.0.1", port=port, lifespan="on", log_level="warning")
    server = uvicorn.Server(config)
    task = asyncio.create_task(server.serve())
    try:
        for _ in range(600):
            if server.started or task.done():
                break
            await asyncio.sleep(0.025)
        if task.done():
            task.result()
        assert server.started, "uvicorn did not start"
        async with httpx.AsyncClient(base_url=f"http://127.0.0.1:{port}", timeout=30) as http:
            yield Served(http=http, runtime=app.state.runtime)
    finally:
        server.should_exit = True
        await asyncio.wait_for(task, timeout=15)
