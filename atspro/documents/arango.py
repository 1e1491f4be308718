"""The ArangoDB document store: one collection per kind, uploads as base64 documents.

Uses the async driver ``python-arango-async`` (the ``arango`` extra), imported only when
a store is opened so the package works without it. Each document's ``_key`` is a digest
of ``(user_id, doc_id)``, so two users can never reach each other's documents even by
key; lists are user-scoped AQL with bind variables over a persistent index.
"""

from __future__ import annotations

import base64
import hashlib
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from datetime import UTC, datetime
from typing import TYPE_CHECKING, Any, cast

import orjson

from atspro.documents.store import (
    KINDS,
    Blob,
    DocumentPage,
    StoredDocument,
    check_aware,
    check_blob_size,
    check_id,
    check_kind,
    check_page,
    decode_cursor,
    from_micros,
    make_page,
    split_expiry,
    to_micros,
)
from atspro.errors import ATSProError, NotFoundError, ServiceUnavailable

if TYPE_CHECKING:
    from arangoasync.client import ArangoClient
    from arangoasync.database import StandardDatabase

#: Collection name per document kind.
COLLECTIONS: dict[str, str] = {
    "resume": "resumes",
    "job": "jobs",
    "match": "matches",
    "document": "documents",
    "ranking": "rankings",
}
BLOB_COLLECTION = "uploads"

# The AQL this store runs (the test fake recognises exactly these shapes).
UPSERT_AQL = """
UPSERT { _key: @key }
INSERT { _key: @key, id: @id, user_id: @user_id, data: @data, meta: @meta,
         created_us: @now_us, updated_us: @now_us, expires_us: @expires_us }
REPLACE { _key: @key, id: @id, user_id: @user_id, data: @data, meta: @meta,
          created_us: OLD.created_us, updated_us: @now_us, expires_us: @expires_us }
IN @@collection
RETURN NEW
"""
LIST_AQL = """
FOR d IN @@collection
  FILTER d.user_id == @user_id
  FILTER @after_us == null OR d.created_us < @after_us
         OR (d.created_us == @after_us AND d.id < @after_id)
  FILTER MATCHES(d.meta, @filters)
  SORT d.created_us DESC, d.id DESC
  LIMIT @limit
  RETURN d
"""
COUNT_AQL = """
RETURN LENGTH(FOR d IN @@collection FILTER d.user_id == @user_id RETURN 1)
"""
DELETE_EXPIRED_AQL = """
LET gone = (
  FOR d IN @@collection
    FILTER d.expires_us != null AND d.expires_us <= @now_us
    REMOVE d IN @@collection
    RETURN 1
)
RETURN LENGTH(gone)
"""

_DUPLICATE_NAME = 1207
# Write-write conflict and unique-key violation: two UPSERTs of one key at once.
_CONFLICTS = frozenset({1200, 1210})
_UPSERT_ATTEMPTS = 3
_FORBIDDEN = 403


def document_key(user_id: str, doc_id: str) -> str:
    """The ``_key`` of a user's document: a digest, so any id text is a valid key."""
    digest = hashlib.blake2b(f"{user_id}\x00{doc_id}".encode(), digest_size=20)
    return digest.hexdigest()


def _plain_json(value: dict[str, Any]) -> dict[str, Any]:
    """Round-trip through orjson so Arango stores exactly what PostgreSQL would."""
    result: dict[str, Any] = orjson.loads(orjson.dumps(value))
    return result


def _document(kind: str, body: dict[str, Any]) -> StoredDocument:
    return StoredDocument(
        id=body["id"],
        kind=kind,
        user_id=body["user_id"],
        data=body["data"],
        meta=body["meta"],
        created_at=from_micros(body["created_us"]),
        updated_at=from_micros(body["updated_us"]),
    )


@asynccontextmanager
async def _translated() -> AsyncIterator[None]:
    """Turn driver and socket errors into ATSPro errors."""
    from arangoasync.exceptions import (
        ArangoError,
        ArangoServerError,
        ClientConnectionAbortedError,
        ClientConnectionError,
    )

    try:
        yield
    except (OSError, TimeoutError, ClientConnectionError, ClientConnectionAbortedError) as exc:
        raise ServiceUnavailable(f"ArangoDB is unreachable: {exc}") from exc
    except ArangoServerError as exc:
        if exc.http_code >= 500:
            raise ServiceUnavailable(f"ArangoDB is unavailable: {exc}") from exc
        raise ATSProError(f"document store request failed: {exc}") from exc
    except ArangoError as exc:
        raise ATSProError(f"document store request failed: {exc}") from exc


class ArangoDocumentStore:
    """Document store on ArangoDB; open it with ``ArangoDocumentStore.open``."""

    def __init__(self, client: ArangoClient, db: StandardDatabase, *, max_blob_bytes: int) -> None:
        self._client = client
        self._db = db
        self._max_blob_bytes = max_blob_bytes

    @classmethod
    async def open(
        cls,
        *,
        url: str,
        database: str,
        username: str = "root",
        password: str = "",
        max_blob_bytes: int = 10 * 1024 * 1024,
        request_timeout_s: float = 30.0,
    ) -> ArangoDocumentStore:
        """Connect, create the database, collections and indexes if missing."""
        from aiohttp import ClientTimeout
        from arangoasync.auth import Auth
        from arangoasync.client import ArangoClient

        from atspro.documents.arango_http import HeaderAuthHTTPClient

        timeout = ClientTimeout(total=request_timeout_s, connect=min(5.0, request_timeout_s))
        client = ArangoClient(hosts=url, http_client=HeaderAuthHTTPClient(timeout=timeout))
        auth = Auth(username=username, password=password)
        try:
            async with _translated():
                await _ensure_database(client, database, auth)
                db = await client.db(database, auth=auth)
                for name in (*COLLECTIONS.values(), BLOB_COLLECTION):
                    await _ensure_collection(db, name)
        except BaseException:
            await client.close()
            raise
        return cls(client, db, max_blob_bytes=max_blob_bytes)

    async def ping(self) -> None:
        """Return when the database answers and still holds the store's collections."""
        async with _translated():
            present = await self._db.has_collection(BLOB_COLLECTION)
        if not present:
            raise ServiceUnavailable(f"ArangoDB has no collection {BLOB_COLLECTION!r}")

    async def close(self) -> None:
        """Close the HTTP sessions this store opened."""
        await self._client.close()

    async def _query(
        self, aql: str, bind_vars: dict[str, Any], batch_size: int, *, attempts: int = 1
    ) -> list[Any]:
        """Run one AQL query; retry a write that lost a race with a concurrent one."""
        attempt = 1
        while True:
            try:
                async with _translated():
                    cursor = cast(
                        Any,
                        await self._db.aql.execute(aql, bind_vars=bind_vars, batch_size=batch_size),
                    )
                    return [item async for item in cursor]
            except ATSProError as exc:
                code = getattr(exc.__cause__, "error_code", None)
                if attempt >= attempts or code not in _CONFLICTS:
                    raise
                attempt += 1

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
        bind = {
            "@collection": COLLECTIONS[kind],
            "key": document_key(user_id, doc_id),
            "id": doc_id,
            "user_id": user_id,
            "data": _plain_json(data),
            "meta": _plain_json(clean_meta),
            "now_us": to_micros(datetime.now(UTC)),
            "expires_us": None if expires_at is None else to_micros(expires_at),
        }
        (body,) = await self._query(UPSERT_AQL, bind, batch_size=1, attempts=_UPSERT_ATTEMPTS)
        return _document(kind, body)

    async def get(self, *, kind: str, user_id: str, doc_id: str) -> StoredDocument:
        """Return the caller's document; NotFoundError when absent."""
        check_kind(kind)
        async with _translated():
            body = await self._db.collection(COLLECTIONS[kind]).get(document_key(user_id, doc_id))
        if not isinstance(body, dict) or body.get("user_id") != user_id:
            raise NotFoundError(kind, doc_id)
        return _document(kind, body)

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
        after_us: int | None = None
        after_id: str | None = None
        if after is not None:
            after_at, after_id = decode_cursor(after)
            after_us = to_micros(after_at)
        bind = {
            "@collection": COLLECTIONS[kind],
            "user_id": user_id,
            "after_us": after_us,
            "after_id": after_id,
            "filters": dict(filters or {}),
            "limit": first + 1,
        }
        rows = await self._query(LIST_AQL, bind, batch_size=first + 1)
        return make_page([_document(kind, row) for row in rows], first)

    async def count(self, *, user_id: str) -> int:
        """How many documents of every kind the caller holds."""
        total = 0
        for kind in sorted(KINDS):
            bind = {"@collection": COLLECTIONS[kind], "user_id": user_id}
            (count,) = await self._query(COUNT_AQL, bind, batch_size=1)
            total += int(count)
        return total

    async def delete(self, *, kind: str, user_id: str, doc_id: str) -> None:
        """Remove the caller's document; NotFoundError when absent."""
        check_kind(kind)
        async with _translated():
            found = await self._db.collection(COLLECTIONS[kind]).delete(
                document_key(user_id, doc_id), ignore_missing=True, silent=True
            )
        if not found:
            raise NotFoundError(kind, doc_id)

    async def delete_expired(self, *, now: datetime) -> int:
        """Remove documents and blobs whose expiry is at or before ``now``; returns the count."""
        check_aware(now, field="now")
        total = 0
        for name in (*(COLLECTIONS[kind] for kind in sorted(KINDS)), BLOB_COLLECTION):
            bind = {"@collection": name, "now_us": to_micros(now)}
            (count,) = await self._query(DELETE_EXPIRED_AQL, bind, batch_size=1)
            total += int(count)
        return total

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
        body = {
            "_key": document_key(user_id, blob_id),
            "id": blob_id,
            "user_id": user_id,
            "filename": filename,
            "media_type": media_type,
            "size": len(data),
            "data": base64.b64encode(data).decode("ascii"),
            "created_us": to_micros(datetime.now(UTC)),
            "expires_us": None if expires_at is None else to_micros(expires_at),
        }
        async with _translated():
            await self._db.collection(BLOB_COLLECTION).insert(
                body, overwrite_mode="replace", silent=True
            )

    async def get_blob(self, *, user_id: str, blob_id: str) -> Blob:
        """Return the caller's upload; NotFoundError when absent."""
        async with _translated():
            body = await self._db.collection(BLOB_COLLECTION).get(document_key(user_id, blob_id))
        if not isinstance(body, dict) or body.get("user_id") != user_id:
            raise NotFoundError("upload", blob_id)
        return Blob(
            id=body["id"],
            user_id=body["user_id"],
            data=base64.b64decode(body["data"]),
            filename=body["filename"],
            media_type=body["media_type"],
            size=body["size"],
            created_at=from_micros(body["created_us"]),
        )

    async def delete_blob(self, *, user_id: str, blob_id: str) -> None:
        """Remove the caller's upload; NotFoundError when absent."""
        async with _translated():
            found = await self._db.collection(BLOB_COLLECTION).delete(
                document_key(user_id, blob_id), ignore_missing=True, silent=True
            )
        if not found:
            raise NotFoundError("upload", blob_id)


async def _ensure_database(client: ArangoClient, name: str, auth: Any) -> None:
    """Create the database unless it exists (or the user may not look: then assume it does)."""
    from arangoasync.exceptions import ArangoServerError

    system = await client.db("_system", auth=auth)
    try:
        if await system.has_database(name):
            return
        await system.create_database(name)
    except ArangoServerError as exc:
        if exc.http_code == _FORBIDDEN or exc.error_code == _DUPLICATE_NAME:
            return
        raise


async def _ensure_collection(db: StandardDatabase, name: str) -> None:
    """Create a collection and its indexes; safe to run on every start."""
    from arangoasync.exceptions import CollectionCreateError

    if not await db.has_collection(name):
        try:
            await db.create_collection(name)
        except CollectionCreateError as exc:
            # Another process created it between our check and our create.
            if exc.error_code != _DUPLICATE_NAME:
                raise
    collection = db.collection(name)
    await collection.add_index("persistent", ["user_id", "created_us", "id"])
    await collection.add_index("persistent", ["expires_us"], {"sparse": True})
