"""Fixtures for the document store: a throwaway PostgreSQL database, the fake ArangoDB,
and ``store`` parametrised over every backend (the contract suite runs against each)."""

from __future__ import annotations

import os
import uuid
from collections.abc import AsyncIterator
from dataclasses import dataclass

import asyncpg
import pytest

from atspro.db.migrate import apply_migrations
from atspro.db.pool import create_pool
from atspro.documents.arango import ArangoDocumentStore
from atspro.documents.postgres import PostgresDocumentStore
from atspro.documents.store import DocumentStore
from tests.documents.dsn import DEFAULT_DATABASE_URL, with_database
from tests.documents.fake_arango import FakeArango

#: Small, so oversize uploads are cheap to test.
MAX_BLOB_BYTES = 64 * 1024


@pytest.fixture(scope="session")
async def pg_dsn() -> AsyncIterator[str]:
    """A fresh database for this session, dropped at the end."""
    admin_dsn = os.environ.get("TEST_DATABASE_URL", DEFAULT_DATABASE_URL)
    name = f"atspro_docs_{uuid.uuid4().hex[:12]}"
    try:
        admin = await asyncpg.connect(admin_dsn, timeout=5)
    except (OSError, asyncpg.PostgresError) as exc:
        pytest.skip(f"PostgreSQL at TEST_DATABASE_URL is unreachable: {exc}")
    try:
        await admin.execute(f'CREATE DATABASE "{name}"')
        yield with_database(admin_dsn, name)
    finally:
        await admin.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
        await admin.close()


@pytest.fixture(scope="session")
async def pg_pool(pg_dsn: str) -> AsyncIterator[asyncpg.Pool]:
    """A pool on the session database with every migration applied."""
    pool = await create_pool(pg_dsn, min_size=1, max_size=4)
    await apply_migrations(pool)
    yield pool
    await pool.close()


@pytest.fixture(scope="session")
async def fake_arango() -> AsyncIterator[FakeArango]:
    """The fake ArangoDB HTTP server (the real one cannot run on this machine)."""
    fake = FakeArango()
    await fake.start()
    yield fake
    await fake.stop()


@dataclass(frozen=True)
class Backend:
    """Which store to open, with the server fixture it needs."""

    name: str
    pool: asyncpg.Pool | None = None
    fake: FakeArango | None = None


@pytest.fixture(params=["postgres", "arango-fake", "arango"])
def backend(request: pytest.FixtureRequest) -> Backend:
    """Each backend in turn (a sync fixture, so it can pull in only the servers it needs)."""
    if request.param == "postgres":
        return Backend("postgres", pool=request.getfixturevalue("pg_pool"))
    pytest.importorskip("arangoasync", reason="the arango extra is not installed")
    if request.param == "arango-fake":
        return Backend("arango-fake", fake=request.getfixturevalue("fake_arango"))
    if not os.environ.get("TEST_ARANGO_URL"):
        pytest.skip("TEST_ARANGO_URL is not set (no ArangoDB server can run on this machine)")
    return Backend("arango")


@pytest.fixture
async def store(backend: Backend) -> AsyncIterator[DocumentStore]:
    """An open store on ``backend``; the real ArangoDB only when TEST_ARANGO_URL names one."""
    opened: DocumentStore
    if backend.pool is not None:
        opened = PostgresDocumentStore(backend.pool, max_blob_bytes=MAX_BLOB_BYTES)
    elif backend.fake is not None:
        opened = await ArangoDocumentStore.open(
            url=backend.fake.url,
            database="atspro_test",
            username=backend.fake.state.username,
            password=backend.fake.state.password,
            max_blob_bytes=MAX_BLOB_BYTES,
        )
    else:
        opened = await ArangoDocumentStore.open(
            url=os.environ["TEST_ARANGO_URL"],
            database=os.environ.get("TEST_ARANGO_DATABASE", "atspro_test"),
            username=os.environ.get("TEST_ARANGO_USERNAME", "root"),
            password=os.environ.get("TEST_ARANGO_PASSWORD", ""),
            max_blob_bytes=MAX_BLOB_BYTES,
        )
    yield opened
    await opened.close()


@pytest.fixture
def max_blob_bytes() -> int:
    """The upload limit every ``store`` is opened with."""
    return MAX_BLOB_BYTES


@pytest.fixture
def user() -> str:
    """A user id no other test uses, so tests never see each other's documents."""
    return f"user-{uuid.uuid4().hex}"


@pytest.fixture
def other_user() -> str:
    """A second user, for isolation checks."""
    return f"other-{uuid.uuid4().hex}"
