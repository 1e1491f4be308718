"""The asyncpg pool: JSON columns round-trip as Python values, and a server that is gone or
too slow becomes ServiceUnavailable instead of an asyncpg error."""

from __future__ import annotations

import pytest

from atspro.db.pool import create_pool, guarded
from atspro.errors import ServiceUnavailable


async def test_json_and_jsonb_round_trip_as_python_values(database_url: str) -> None:
    pool = await create_pool(database_url, min_size=1, max_size=1)
    try:
        value = {"a": [1, 2.5, None], "b": {"c": "ü"}}
        assert await pool.fetchval("SELECT $1::jsonb", value) == value
        assert await pool.fetchval("SELECT $1::json", value) == value
    finally:
        await pool.close()


async def test_unreachable_server_is_service_unavailable() -> None:
    with pytest.raises(ServiceUnavailable, match="PostgreSQL is unreachable"):
        await create_pool("postgresql://postgres@127.0.0.1:1/nothing", min_size=1)


async def test_slow_and_closed_calls_are_service_unavailable(database_url: str) -> None:
    pool = await create_pool(database_url, min_size=1, max_size=1)
    try:
        with pytest.raises(ServiceUnavailable, match="did not answer in time"):
            await guarded(lambda: pool.fetchval("SELECT pg_sleep(5)", timeout=0.2))
        # The pool is still usable afterwards.
        assert await guarded(lambda: pool.fetchval("SELECT 1")) == 1
    finally:
        await pool.close()
    with pytest.raises(ServiceUnavailable, match="unreachable"):
        await guarded(lambda: pool.fetchval("SELECT 1"))
