"""Numbered ``.sql`` migrations, applied in order under an advisory lock.

Each file ``NNNN_name.sql`` in ``atspro/db/migrations`` runs once, in its own transaction,
and its number is recorded in ``schema_migrations``. Running them again is a no-op.
"""

from __future__ import annotations

import logging
import re
from dataclasses import dataclass
from importlib import resources

import asyncpg

log = logging.getLogger(__name__)

# An arbitrary constant that names "ATSPro migrations" among advisory locks.
_LOCK_ID = 0x41545350  # "ATSP"
_FILE = re.compile(r"^(\d{4})_[\w-]+\.sql$")


@dataclass(frozen=True, slots=True)
class Migration:
    """One migration file."""

    version: int
    name: str
    sql: str


def list_migrations() -> list[Migration]:
    """All migrations shipped with the package, in version order."""
    folder = resources.files("atspro.db").joinpath("migrations")
    found: list[Migration] = []
    for entry in folder.iterdir():
        match = _FILE.match(entry.name)
        if match:
            found.append(Migration(int(match[1]), entry.name, entry.read_text(encoding="utf-8")))
    found.sort(key=lambda m: m.version)
    versions = [m.version for m in found]
    if len(set(versions)) != len(versions):
        raise RuntimeError(f"duplicate migration numbers: {versions}")
    return found


async def apply_migrations(pool: asyncpg.Pool) -> list[str]:
    """Apply pending migrations; returns the names applied now (empty when up to date)."""
    applied_now: list[str] = []
    async with pool.acquire() as conn:
        await conn.execute("SELECT pg_advisory_lock($1)", _LOCK_ID)
        try:
            await conn.execute(
                """CREATE TABLE IF NOT EXISTS schema_migrations (
                       version integer PRIMARY KEY,
                       name text NOT NULL,
                       applied_at timestamptz NOT NULL DEFAULT now())"""
            )
            done = {r["version"] for r in await conn.fetch("SELECT version FROM schema_migrations")}
            for migration in list_migrations():
                if migration.version in done:
                    continue
                async with conn.transaction():
                    await conn.execute(migration.sql)
                    await conn.execute(
                        "INSERT INTO schema_migrations (version, name) VALUES ($1, $2)",
                        migration.version,
                        migration.name,
                    )
                log.info("applied migration %s", migration.name)
                applied_now.append(migration.name)
        finally:
            await conn.execute("SELECT pg_advisory_unlock($1)", _LOCK_ID)
    return applied_now


async def pending_migrations(pool: asyncpg.Pool) -> list[str]:
    """Names of migrations not yet applied (for readiness checks)."""
    async with pool.acquire() as conn:
        exists = await conn.fetchval("SELECT to_regclass('schema_migrations') IS NOT NULL")
        done: set[int] = set()
        if exists:
            done = {r["version"] for r in await conn.fetch("SELECT version FROM schema_migrations")}
    return [m.name for m in list_migrations() if m.version not in done]
