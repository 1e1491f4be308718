"""The asyncpg connection pool, with JSON columns decoded by orjson."""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from typing import Any, TypeVar

import asyncpg
import orjson

from atspro.errors import ServiceUnavailable

T = TypeVar("T")

# Errors that mean "the server is gone or the connection broke", as opposed to a bad query.
_CONNECTION_ERRORS = (
    OSError,
    asyncpg.exceptions.ConnectionDoesNotExistError,
    asyncpg.exceptions.CannotConnectNowError,
    asyncpg.exceptions.AdminShutdownError,
    asyncpg.exceptions.InterfaceError,
)


async def guarded(call: Callable[[], Awaitable[T]]) -> T:
    """Run a database call, translating connection failures to ServiceUnavailable."""
    try:
        return await call()
    except TimeoutError as exc:
        # First: TimeoutError is an OSError, which the next clause would report as "unreachable".
        raise ServiceUnavailable("PostgreSQL did not answer in time") from exc
    except _CONNECTION_ERRORS as exc:
        raise ServiceUnavailable(f"PostgreSQL is unreachable: {exc}") from exc


def _dumps(value: Any) -> str:
    return orjson.dumps(value).decode()


async def _init_connection(conn: asyncpg.Connection) -> None:
    await conn.set_type_codec("jsonb", encoder=_dumps, decoder=orjson.loads, schema="pg_catalog")
    await conn.set_type_codec("json", encoder=_dumps, decoder=orjson.loads, schema="pg_catalog")


async def _keep_session(conn: asyncpg.Connection) -> None:
    """Release without asyncpg's default reset query (a round trip per pool call).

    asyncpg still rolls back an open transaction on release. Nothing here leaves session
    state behind (no SET, LISTEN or cursors; the migration lock is released explicitly), and
    code that changes session state must undo it itself.
    """


async def create_pool(dsn: str, *, min_size: int = 2, max_size: int = 10) -> asyncpg.Pool:
    """Open a pool to ``dsn``; raises ServiceUnavailable when PostgreSQL cannot be reached."""
    try:
        pool = await asyncpg.create_pool(
            dsn,
            min_size=min_size,
            max_size=max_size,
            init=_init_connection,
            reset=_keep_session,
            # Short connect timeout so requests fail fast while PostgreSQL is down.
            timeout=5.0,
            command_timeout=30.0,
        )
    except (OSError, asyncpg.PostgresError, TimeoutError) as exc:
        raise ServiceUnavailable(f"PostgreSQL is unreachable: {exc}") from exc
    assert pool is not None
    return pool
