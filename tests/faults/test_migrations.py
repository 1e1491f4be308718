"""Migrations: a second run applies nothing; concurrent appliers do not conflict."""

from __future__ import annotations

import asyncio

import asyncpg

from atspro.db.migrate import apply_migrations, list_migrations, pending_migrations
from atspro.db.pool import create_pool

ALL = [m.name for m in list_migrations()]


async def _applied_versions(dsn: str) -> list[int]:
    conn = await asyncpg.connect(dsn)
    try:
        rows = await conn.fetch("SELECT version FROM schema_migrations ORDER BY version")
    finally:
        await conn.close()
    return [r["version"] for r in rows]


async def test_second_run_applies_nothing(fresh_database: str) -> None:
    pool = await create_pool(fresh_database, min_size=1, max_size=2)
    try:
        assert await pending_migrations(pool) == ALL
        assert await apply_migrations(pool) == ALL
        assert await apply_migrations(pool) == []
        assert await pending_migrations(pool) == []
    finally:
        await pool.close()
    assert await _applied_versions(fresh_database) == [m.version for m in list_migrations()]


async def test_concurrent_appliers_share_the_work(fresh_database: str) -> None:
    pools = [await create_pool(fresh_database, min_size=1, max_size=1) for _ in range(4)]
    try:
        results = await asyncio.gather(*(apply_migrations(p) for p in pools))
    finally:
        for pool in pools:
            await pool.close()
    applied = [name for result in results for name in result]
    # Each migration ran exactly once, by whichever applier held the lock first.
    assert sorted(applied) == sorted(ALL)
    assert await _applied_versions(fresh_database) == [m.version for m in list_migrations()]
