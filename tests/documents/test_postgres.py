"""PostgreSQL-specific behaviour: outages, untranslated errors, the schema's indexes."""

from __future__ import annotations

import uuid
from collections.abc import AsyncIterator
from datetime import UTC, datetime
from urllib.parse import urlsplit

import asyncpg
import pytest

from atspro.db.pool import create_pool
from atspro.documents.postgres import PostgresDocumentStore
from atspro.errors import ATSProError, ServiceUnavailable
from tests.documents.dsn import with_database
from tests.documents.tcp_proxy import TcpProxy


@pytest.fixture
async def proxy(pg_dsn: str, pg_pool: asyncpg.Pool) -> AsyncIterator[TcpProxy]:
    """A cuttable TCP proxy in front of the session database (migrated by ``pg_pool``)."""
    parts = urlsplit(pg_dsn)
    server = TcpProxy(parts.hostname or "127.0.0.1", parts.port or 5432)
    await server.start()
    yield server
    await server.cut()


async def test_lost_connection_is_service_unavailable_then_recovers(
    pg_dsn: str, proxy: TcpProxy
) -> None:
    parts = urlsplit(pg_dsn)
    via_proxy = parts._replace(netloc=f"{parts.username}@127.0.0.1:{proxy.port}").geturl()
    pool = await create_pool(via_proxy, min_size=1, max_size=1)
    store = PostgresDocumentStore(pool)
    user = f"u-{uuid.uuid4().hex}"
    try:
        await store.put(kind="resume", user_id=user, doc_id="r", data={"v": 1})
        await proxy.cut()
        with pytest.raises(ServiceUnavailable):
            await store.get(kind="resume", user_id=user, doc_id="r")
        with pytest.raises(ServiceUnavailable):
            await store.put_blob(user_id=user, blob_id="b", data=b"x", filename="f", media_type="m")
        await proxy.start()
        assert (await store.get(kind="resume", user_id=user, doc_id="r")).data == {"v": 1}
    finally:
        await pool.close()


async def test_closed_pool_is_service_unavailable(pg_dsn: str) -> None:
    pool = await create_pool(pg_dsn, min_size=1, max_size=1)
    await pool.close()
    store = PostgresDocumentStore(pool)
    with pytest.raises(ServiceUnavailable):
        await store.list(kind="job", user_id="u")


async def test_other_database_errors_are_translated(pg_dsn: str) -> None:
    """A database without the migration: the query fails, and not as 'unavailable'."""
    admin = await asyncpg.connect(pg_dsn)
    name = f"atspro_docs_bare_{uuid.uuid4().hex[:8]}"
    await admin.execute(f'CREATE DATABASE "{name}"')
    try:
        pool = await create_pool(with_database(pg_dsn, name), min_size=1, max_size=1)
        try:
            with pytest.raises(ATSProError) as caught:
                await PostgresDocumentStore(pool).delete_expired(now=datetime.now(UTC))
            assert not isinstance(caught.value, ServiceUnavailable)
            assert "documents" in caught.value.message
        finally:
            await pool.close()
    finally:
        await admin.execute(f'DROP DATABASE "{name}" WITH (FORCE)')
        await admin.close()


async def test_list_reads_the_owner_index(pg_pool: asyncpg.Pool) -> None:
    async with pg_pool.acquire() as conn, conn.transaction():
        await conn.execute("SET LOCAL enable_seqscan = off")
        rows = await conn.fetch(
            """EXPLAIN (FORMAT TEXT)
               SELECT id FROM documents
               WHERE user_id = 'u' AND kind = 'resume' AND meta @> '{}'
               ORDER BY created_at DESC, id DESC LIMIT 21"""
        )
    plan = "\n".join(row[0] for row in rows)
    assert "documents_user_kind_created_idx" in plan
