"""A real uvicorn server on 127.0.0.1 running the app, and GraphQL clients for it."""

from __future__ import annotations

import asyncio
import contextlib
import dataclasses
import socket
import uuid
from collections.abc import AsyncIterator, Callable
from dataclasses import dataclass
from typing import Any

import httpx
import pytest
import uvicorn

from atspro.app import create_app
from atspro.auth import issue_token
from atspro.runtime import Runtime
from atspro.settings import Settings
from atspro.workers.handlers import default_registry
from atspro.workers.registry import HandlerRegistry


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


@dataclass
class Api:
    """A running server: its URL, runtime, and helpers to call it."""

    url: str
    runtime: Runtime
    client: httpx.AsyncClient
    # Users get a per-server suffix: tests share one database, so names must not collide.
    suffix: str = dataclasses.field(default_factory=lambda: uuid.uuid4().hex[:6])

    @property
    def ws_url(self) -> str:
        return self.url.replace("http://", "ws://") + "/graphql"

    def user(self, name: str) -> str:
        """The stored user id behind the test's short user name."""
        return f"{name}-{self.suffix}"

    async def token(self, user: str) -> str:
        return await issue_token(self.runtime.pool, user_id=self.user(user))

    async def task_count(self, user: str) -> int:
        """Tasks stored for one test user."""
        count = await self.runtime.pool.fetchval(
            "SELECT count(*) FROM tasks WHERE user_id = $1", self.user(user)
        )
        return int(count)

    async def gql(
        self, query: str, variables: dict[str, Any] | None = None, *, token: str | None = None
    ) -> dict[str, Any]:
        headers = {"Authorization": f"Bearer {token}"} if token else {}
        r = await self.client.post(
            "/graphql", json={"query": query, "variables": variables or {}}, headers=headers
        )
        body: dict[str, Any] = r.json()
        return body


@contextlib.asynccontextmanager
async def run_server(settings: Settings, registry: HandlerRegistry) -> AsyncIterator[Api]:
    port = free_port()
    app = create_app(settings, registry=registry)
    config = uvicorn.Config(app, host="127.0.0.1", port=port, lifespan="on", log_level="warning")
    server = uvicorn.Server(config)
    task = asyncio.create_task(server.serve())
    try:
        # Generous: start-up opens pools and the CPU worker process, slow on a loaded machine.
        for _ in range(2400):
            if server.started:
                break
            if task.done():
                task.result()
            await asyncio.sleep(0.025)
        else:
            raise AssertionError("the API server did not start within 60 s")
        url = f"http://127.0.0.1:{port}"
        async with httpx.AsyncClient(base_url=url, timeout=30) as client:
            yield Api(url=url, runtime=app.state.runtime, client=client)
    finally:
        server.should_exit = True
        done, _ = await asyncio.wait({task}, timeout=8)
        if not done:
            import sys

            for t in asyncio.all_tasks():
                t.print_stack(limit=6, file=sys.stderr)
            raise RuntimeError("server did not stop")


ApiFactory = Callable[..., contextlib.AbstractAsyncContextManager[Api]]


@pytest.fixture
def api_factory(make_settings: Callable[..., Settings], cleanup_redis: Any) -> ApiFactory:
    """Starts servers with the shipped handlers plus test-defined ones."""

    @contextlib.asynccontextmanager
    async def factory(
        handlers: dict[str, Any] | None = None, **overrides: Any
    ) -> AsyncIterator[Api]:
        settings = make_settings(**overrides)
        await cleanup_redis(settings.redis_queue_prefix)
        registry = default_registry()
        for name, handler in (handlers or {}).items():
            registry.register(name, handler)
        async with run_server(settings, registry) as api:
            yield api

    return factory


@pytest.fixture
async def api(api_factory: ApiFactory) -> AsyncIterator[Api]:
    async with api_factory() as running:
        yield running
