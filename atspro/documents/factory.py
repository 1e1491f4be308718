"""Open the document store that the settings name."""

from __future__ import annotations

import asyncpg

from atspro.documents.postgres import PostgresDocumentStore
from atspro.documents.store import DocumentStore
from atspro.settings import Settings


async def open_document_store(settings: Settings, pool: asyncpg.Pool) -> DocumentStore:
    """The store for ``settings.document_store``; close it with ``close_document_store``."""
    if settings.document_store == "arango":
        if not settings.arango_url:
            raise ValueError("DOCUMENT_STORE=arango needs ARANGO_URL")
        try:
            import arangoasync  # noqa: F401  (fail here, clearly, without the extra)

            from atspro.documents.arango import ArangoDocumentStore
        except ImportError as exc:  # pragma: no cover - the extra is installed in development
            raise RuntimeError(
                "DOCUMENT_STORE=arango needs the arango extra: pip install 'atspro[arango]'"
            ) from exc
        return await ArangoDocumentStore.open(
            url=settings.arango_url,
            database=settings.arango_database,
            username=settings.arango_username,
            password=settings.arango_password,
            max_blob_bytes=settings.max_upload_bytes,
        )
    return PostgresDocumentStore(pool, max_blob_bytes=settings.max_upload_bytes)


async def close_document_store(store: DocumentStore) -> None:
    """Release what the store opened (the PostgreSQL pool stays the caller's)."""
    await store.close()
