"""A new, empty PostgreSQL database on the test server, for tests that need one of their own
(migrations from nothing, a first-run token, better-auth tables)."""

from __future__ import annotations

import contextlib
import uuid
from collections.abc import AsyncIterator
from urllib.parse import urlsplit, urlunsplit

import asyncpg


@contextlib.asynccontextmanager
async def fresh_database(server_dsn: str) -> AsyncIterator[str]:
    """Create a database, yield its DSN, drop it (ending leftover sessions) afterwards."""
    name = f"atspro_fresh_{uuid.uuid4().hex[:10]}"
    admin = await asyncpg.connect(server_dsn)
    try:
        await admin.execute(f'CREATE DATABASE "{name}"')
    finally:
        await admin.close()
    parts = urlsplit(server_dsn)
    try:
        yield urlunsplit((parts.scheme, parts.netloc, "/" + name, parts.query, parts.fragment))
    finally:
        admin = await asyncpg.connect(server_dsn)
        try:
            await admin.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
        finally:
            await admin.close()


@contextlib.asynccontextmanager
async def migrated_pool(dsn: str) -> AsyncIterator[asyncpg.Pool]:
    """A small pool on ``dsn`` with the migrations applied."""
    from atspro.db.migrate import apply_migrations
    from atspro.db.pool import create_pool

    pool = await create_pool(dsn, min_size=1, max_size=3)
    try:
        await apply_migrations(pool)
        yield pool
    finally:
        await pool.close()
