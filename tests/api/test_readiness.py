"""/healthz and /readyz: not ready before start-up, with migrations pending, or while
PostgreSQL connections are cut; ready again once that is fixed."""

from __future__ import annotations

import asyncio
from collections.abc import AsyncIterator
from typing import Any

import httpx
import pytest

from atspro.app import create_app
from atspro.db.migrate import list_migrations
from tests.fresh_database import fresh_database

from .conftest import ApiFactory


@pytest.fixture
async def own_database(service_urls: tuple[str, str]) -> AsyncIterator[str]:
    async with fresh_database(service_urls[1]) as dsn:
        yield dsn


async def test_not_ready_before_startup(make_settings: Any) -> None:
    app = create_app(make_settings(), run_workers=False)
    # ASGITransport does not run the lifespan: this is the app before its connections exist.
    transport = httpx.ASGITransport(app=app)
    async with httpx.AsyncClient(transport=transport, base_url="http://app") as client:
        assert (await client.get("/healthz")).json() == {"status": "ok"}
        ready = await client.get("/readyz")
        assert (ready.status_code, ready.json()) == (503, {"status": "starting"})


async def test_pending_migration_makes_readyz_503_until_applied(
    api_factory: ApiFactory, own_database: str
) -> None:
    async with api_factory(database_url=own_database) as api:
        assert (await api.client.get("/readyz")).status_code == 200
        last = list_migrations()[-1]
        await api.runtime.pool.execute(
            "DELETE FROM schema_migrations WHERE version = $1", last.version
        )
        ready = await api.client.get("/readyz")
        assert ready.status_code == 503
        assert ready.json() == {
            "status": "not ready",
            "checks": {
                "redis": "ok",
                "postgres": "ok",
                "migrations": f"pending: {last.name}",
                "documents (postgres)": "ok",
                "queue groups": "ok",
            },
        }
        await api.runtime.pool.execute(
            "INSERT INTO schema_migrations (version, name) VALUES ($1, $2)",
            last.version,
            last.name,
        )
        assert (await api.client.get("/readyz")).status_code == 200


async def test_cut_database_connections_are_replaced_without_losing_readiness(
    api_factory: ApiFactory, own_database: str, service_urls: tuple[str, str]
) -> None:
    import asyncpg

    async with api_factory(database_url=own_database) as api:
        token = await api.token("rita")
        assert (await api.client.get("/readyz")).status_code == 200
        admin = await asyncpg.connect(service_urls[1])
        try:
            cut = await admin.fetchval(
                "SELECT count(*) FROM (SELECT pg_terminate_backend(pid) FROM pg_stat_activity "
                "WHERE datname = $1) AS t",
                own_database.rsplit("/", 1)[1],
            )
        finally:
            await admin.close()
        assert cut >= 1
        await asyncio.sleep(0.1)
        # The pool notices the dead connections and opens new ones: no request fails.
        ready = await api.client.get("/readyz")
        assert ready.status_code == 200, ready.json()
        body = await api.gql("{ tasks(first: 1) { nodes { id } } }", token=token)
        assert body == {"data": {"tasks": {"nodes": []}}}
