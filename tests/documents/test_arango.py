"""ArangoDB-specific behaviour, against the fake server (the real one cannot run here)."""

from __future__ import annotations

import uuid
from collections.abc import AsyncIterator

import pytest

pytest.importorskip("arangoasync", reason="the arango extra is not installed")

from atspro.documents.arango import (
    BLOB_COLLECTION,
    COLLECTIONS,
    ArangoDocumentStore,
    document_key,
)
from atspro.errors import ATSProError, ServiceUnavailable
from tests.documents.fake_arango import FakeArango


@pytest.fixture
async def fake() -> AsyncIterator[FakeArango]:
    """A private fake, so outages and fault switches affect no other test."""
    server = FakeArango()
    await server.start()
    yield server
    await server.stop()


async def _open(fake: FakeArango, **kwargs: object) -> ArangoDocumentStore:
    options: dict[str, object] = {
        "url": fake.url,
        "database": "atspro",
        "username": fake.state.username,
        "password": fake.state.password,
        "request_timeout_s": 5.0,
    }
    options.update(kwargs)
    return await ArangoDocumentStore.open(**options)  # type: ignore[arg-type]


async def test_open_creates_database_collections_and_indexes_once(fake: FakeArango) -> None:
    for _ in range(2):
        store = await _open(fake)
        await store.close()
    collections = fake.state.databases["atspro"]
    assert set(collections) == {*COLLECTIONS.values(), BLOB_COLLECTION}
    for name in collections:
        fields = [index["fields"] for index in fake.state.indexes[("atspro", name)]]
        assert fields == [["user_id", "created_us", "id"], ["expires_us"]]


async def test_queries_carry_values_only_as_bind_variables(fake: FakeArango) -> None:
    store = await _open(fake)
    user = f"u-{uuid.uuid4().hex}"
    try:
        await store.put(kind="resume", user_id=user, doc_id="r'; REMOVE", data={"x": 1})
        await store.list(kind="resume", user_id=user, filters={"status": "ready"})
    finally:
        await store.close()
    assert fake.state.queries
    assert all(user not in query and "r'; REMOVE" not in query for query in fake.state.queries)
    assert {"user_id": user}.items() <= fake.state.bind_vars[-1].items()


def test_document_key_is_a_valid_arango_key_per_user() -> None:
    key = document_key("alice", "../weird id/with slashes")
    assert len(key) == 40 and all(c in "0123456789abcdef" for c in key)
    assert document_key("alice", "x") != document_key("bob", "x")
    # The separator keeps ("ab", "c") and ("a", "bc") apart.
    assert document_key("ab", "c") != document_key("a", "bc")


async def test_server_going_away_is_service_unavailable_then_recovers(fake: FakeArango) -> None:
    store = await _open(fake)
    user = f"u-{uuid.uuid4().hex}"
    try:
        await store.put(kind="job", user_id=user, doc_id="j", data={"v": 1})
        await store.ping()
        await fake.stop()
        with pytest.raises(ServiceUnavailable):
            await store.ping()
        with pytest.raises(ServiceUnavailable):
            await store.get(kind="job", user_id=user, doc_id="j")
        with pytest.raises(ServiceUnavailable):
            await store.list(kind="job", user_id=user)
        await fake.start()
        assert (await store.get(kind="job", user_id=user, doc_id="j")).data == {"v": 1}
    finally:
        await store.close()


async def test_ping_fails_when_the_collections_are_gone(fake: FakeArango) -> None:
    store = await _open(fake)
    try:
        await store.ping()
        fake.state.hide_collections = True
        with pytest.raises(ServiceUnavailable, match="no collection"):
            await store.ping()
    finally:
        fake.state.hide_collections = False
        await store.close()


async def test_server_errors_are_service_unavailable(fake: FakeArango) -> None:
    store = await _open(fake)
    try:
        fake.state.fail_status = 503
        with pytest.raises(ServiceUnavailable):
            await store.put(kind="job", user_id="u", doc_id="j", data={})
        with pytest.raises(ServiceUnavailable):
            await store.delete_blob(user_id="u", blob_id="b")
    finally:
        fake.state.fail_status = None
        await store.close()


async def test_client_errors_are_translated(fake: FakeArango) -> None:
    store = await _open(fake)
    try:
        fake.state.fail_status = 400
        with pytest.raises(ATSProError) as caught:
            await store.get_blob(user_id="u", blob_id="b")
        assert not isinstance(caught.value, ServiceUnavailable)
        assert "400" in caught.value.message
    finally:
        fake.state.fail_status = None
        await store.close()


async def test_wrong_password_fails_clearly(fake: FakeArango) -> None:
    with pytest.raises(ATSProError) as caught:
        await _open(fake, password="wrong")
    assert "401" in caught.value.message


async def test_unreachable_server_fails_to_open(fake: FakeArango) -> None:
    await fake.stop()
    with pytest.raises(ServiceUnavailable):
        await _open(fake)


async def test_open_without_database_api_access_uses_existing_database(
    fake: FakeArango,
) -> None:
    fake.state.databases["atspro"] = {}
    fake.state.forbid_database_api = True
    store = await _open(fake)
    await store.close()
    assert BLOB_COLLECTION in fake.state.databases["atspro"]


async def test_open_tolerates_collections_created_concurrently(fake: FakeArango) -> None:
    await (await _open(fake)).close()
    fake.state.hide_collections = True  # every "exists?" says no; every create collides
    store = await _open(fake)
    await store.close()


async def test_put_retries_a_lost_write_race(fake: FakeArango) -> None:
    store = await _open(fake)
    try:
        fake.state.conflicts = 2
        stored = await store.put(kind="match", user_id="u", doc_id="m", data={"v": 1})
        assert stored.data == {"v": 1}
        fake.state.conflicts = 3
        with pytest.raises(ATSProError) as caught:
            await store.put(kind="match", user_id="u", doc_id="m", data={"v": 2})
        assert "1200" in caught.value.message
        assert (await store.get(kind="match", user_id="u", doc_id="m")).data == {"v": 1}
        fake.state.conflicts = 1  # reads are not retried
        with pytest.raises(ATSProError):
            await store.list(kind="match", user_id="u")
    finally:
        fake.state.conflicts = 0
        await store.close()
