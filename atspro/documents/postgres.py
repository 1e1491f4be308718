"""The PostgreSQL document store: JSONB rows in ``documents``, upload bytes in ``blobs``.

The tables come from migration ``0003_documents.sql``; the statements live in
``atspro/db/sql/documents.sql``. asyncpg errors are translated at this boundary.
"""

from __future__ import annotations

from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from datetime import datetime
from typing import Any

import asyncpg

from atspro.db.queries import load_queries
from atspro.documents.store import (
    Blob,
    DocumentPage,
    StoredDocument,
    check_aware,
    check_blob_size,
    check_id,
    check_kind,
    check_page,
    decode_cursor,
    make_page,
    split_expiry,
)
from atspro.errors import ATSProError, NotFoundError, ServiceUnavailable

# Errors that mean "the database is not reachable right now", not "the query is wrong".
_UNAVAILABLE = (
    OSError,
    TimeoutError,
    asyncpg.InterfaceError,
    asyncpg.PostgresConnectionError,
    asyncpg.exceptions.OperatorInterventionError,
)


@asynccontextmanager
async def _translated() -> AsyncIterator[None]:
    """Turn asyncpg and socket errors into ATSPro errors."""
    try:
        yield
    except _UNAVAILABLE as exc:
        raise ServiceUnavailable(f"PostgreSQL is unavailable: {exc}") from exc
    except asyncpg.PostgresError as exc:
        raise ATSProError(f"document store query failed: {exc}") from exc


def _document(row: asyncpg.Record) -> StoredDocument:
    return StoredDocument(
        id=row["id"],
        kind=row["kind"],
        user_id=row["user_id"],
        data=row["data"],
        meta=row["meta"],
        created_at=row["created_at"],
        updated_at=row["updated_at"],
    )


class PostgresDocumentStore:
    """Document store on a shared asyncpg pool (which the caller owns and closes).

    The pool must come from ``atspro.db.pool.create_pool``, whose codecs turn JSONB into
    dicts and back.
    """

    def __init__(self, pool: asyncpg.Pool, *, max_blob_bytes: int = 10 * 1024 * 1024) -> None:
        self._pool = pool
        self._max_blob_bytes = max_blob_bytes
        self._sql = load_queries("documents.sql")

    async def put(
        self,
        *,
        kind: str,
        user_id: str,
        doc_id: str,
        data: dict[str, Any],
        meta: dict[str, Any] | None = None,
    ) -> StoredDocument:
        """Insert or overwrite the caller's document ``(kind, doc_id)``."""
        check_kind(kind)
        check_id(doc_id, field="id")
        clean_meta, expires_at = split_expiry(meta)
        async with _translated():
            row = await self._pool.fetchrow(
                self._sql["upsert_document"], user_id, kind, doc_id, data, clean_meta, expires_at
            )
        assert row is not None  # INSERT ... RETURNING always yields the row
        return _document(row)

    async def get(self, *, kind: str, user_id: str, doc_id: str) -> StoredDocument:
        """Return the caller's document; NotFoundError when absent."""
        check_kind(kind)
        async with _translated():
            row = await self._pool.fetchrow(self._sql["get_document"], user_id, kind, doc_id)
        if row is None:
            raise NotFoundError(kind, doc_id)
        return _document(row)

    async def list(
        self,
        *,
        kind: str,
        user_id: str,
        first: int = 20,
        after: str | None = None,
        filters: dict[str, str] | None = None,
    ) -> DocumentPage:
        """A page of the caller's documents of ``kind``, newest first."""
        check_kind(kind)
        check_page(first, filters)
        args: list[Any] = [user_id, kind, filters or {}, first + 1]
        name = "list_documents"
        if after is not None:
            name = "list_documents_after"
            args.extend(decode_cursor(after))
        async with _translated():
            rows = await self._pool.fetch(self._sql[name], *args)
        return make_page([_document(row) for row in rows], first)

    async def count(self, *, user_id: str) -> int:
        """How many documents of every kind the caller holds."""
        async with _translated():
            return int(await self._pool.fetchval(self._sql["count_user_documents"], user_id))

    async def delete(self, *, kind: str, user_id: str, doc_id: str) -> None:
        """Remove the caller's document; NotFoundError when absent."""
        check_kind(kind)
        async with _translated():
            gone = await self._pool.fetchval(self._sql["delete_document"], user_id, kind, doc_id)
        if gone is None:
            raise NotFoundError(kind, doc_id)

    async def delete_expired(self, *, now: datetime) -> int:
        """Remove documents and blobs whose expiry is at or before ``now``; returns the count."""
        check_aware(now, field="now")
        async with _translated():
            docs = await self._pool.fetchval(self._sql["delete_expired_documents"], now)
            blobs = await self._pool.fetchval(self._sql["delete_expired_blobs"], now)
        return int(docs) + int(blobs)

    async def put_blob(
        self,
        *,
        user_id: str,
        blob_id: str,
        data: bytes,
        filename: str,
        media_type: str,
        expires_at: datetime | None = None,
    ) -> None:
        """Store (or overwrite) the caller's upload bytes; DocumentError when too large."""
        check_id(blob_id, field="id")
        check_blob_size(data, max_bytes=self._max_blob_bytes)
        check_aware(expires_at, field="expires_at")
        async with _translated():
            await self._pool.execute(
                self._sql["upsert_blob"],
                user_id,
                blob_id,
                filename,
                media_type,
                len(data),
                data,
                expires_at,
            )

    async def get_blob(self, *, user_id: str, blob_id: str) -> Blob:
        """Return the caller's upload; NotFoundError when absent."""
        async with _translated():
            row = await self._pool.fetchrow(self._sql["get_blob"], user_id, blob_id)
        if row is None:
            raise NotFoundError("upload", blob_id)
        return Blob(
            id=row["id"],
            user_id=row["user_id"],
            data=row["data"],
            filename=row["filename"],
            media_type=row["media_type"],
            size=row["size"],
            created_at=row["created_at"],
        )

    async def delete_blob(self, *, user_id: str, blob_id: str) -> None:
        """Remove the caller's upload; NotFoundError when absent."""
        async with _translated():
            gone = await self._pool.fetchval(self._sql["delete_blob"], user_id, blob_id)
        if gone is None:
            raise NotFoundError("upload", blob_id)

    async def ping(self) -> None:
        """Return when the documents table answers."""
        async with _translated():
            await self._pool.fetchval("SELECT 1 FROM documents LIMIT 1")

    async def close(self) -> None:
        """Nothing to release: the pool belongs to the caller."""
