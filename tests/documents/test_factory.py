"""Choosing the backend from the settings."""

from __future__ import annotations

import asyncpg
import pytest

from atspro.documents import close_document_store, open_document_store
from atspro.documents.postgres import PostgresDocumentStore
from atspro.errors import DocumentError
from atspro.settings import Settings
from tests.documents.fake_arango import FakeArango


async def test_postgres_is_the_default(pg_pool: asyncpg.Pool) -> None:
    settings = Settings(_env_file=None, max_upload_bytes=3)
    store = await open_document_store(settings, pg_pool)
    assert isinstance(store, PostgresDocumentStore)
    with pytest.raises(DocumentError):
        await store.put_blob(user_id="u", blob_id="b", data=b"four", filename="f", media_type="m")
    await close_document_store(store)


async def test_arango_is_chosen_by_settings(pg_pool: asyncpg.Pool, fake_arango: FakeArango) -> None:
    pytest.importorskip("arangoasync", reason="the arango extra is not installed")
    from atspro.documents.arango import ArangoDocumentStore

    settings = Settings(
        _env_file=None,
        document_store="arango",
        arango_url=fake_arango.url,
        arango_database="atspro_factory",
        arango_username=fake_arango.state.username,
        arango_password=fake_arango.state.password,
        max_upload_bytes=3,
    )
    store = await open_document_store(settings, pg_pool)
    try:
        assert isinstance(store, ArangoDocumentStore)
        assert "atspro_factory" in fake_arango.state.databases
        with pytest.raises(DocumentError):
            await store.put_blob(
                user_id="u", blob_id="b", data=b"four", filename="f", media_type="m"
            )
    finally:
        await close_document_store(store)


async def test_arango_without_url_is_refused(pg_pool: asyncpg.Pool) -> None:
    settings = Settings(_env_file=None, document_store="arango", arango_url="")
    with pytest.raises(ValueError, match="ARANGO_URL"):
        await open_document_store(settings, pg_pool)
