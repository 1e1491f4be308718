"""Automatic persisted queries as Apollo sends them, over POST and GET, and the store's bound."""

from __future__ import annotations

import hashlib
import json
from typing import Any

import pytest

from atspro.persisted_queries import PersistedQueries, PersistedQuery, PersistedQueryError

from .conftest import Api

STATS = "query Stats { queueStats { running } }"


def extension(query: str, version: int = 1) -> dict[str, Any]:
    digest = hashlib.sha256(query.encode()).hexdigest()
    return {"persistedQuery": {"version": version, "sha256Hash": digest}}


def codes(body: dict[str, Any]) -> list[str]:
    return [e["extensions"]["code"] for e in body.get("errors", [])]


async def post(api: Api, token: str, payload: dict[str, Any]) -> dict[str, Any]:
    r = await api.client.post(
        "/graphql", json=payload, headers={"Authorization": f"Bearer {token}"}
    )
    assert r.status_code == 200, r.text
    body: dict[str, Any] = r.json()
    return body


async def get(api: Api, token: str, params: dict[str, str]) -> dict[str, Any]:
    r = await api.client.get(
        "/graphql",
        params=params,
        headers={"Authorization": f"Bearer {token}", "Accept": "application/json"},
    )
    assert r.status_code == 200, r.text
    body: dict[str, Any] = r.json()
    return body


async def test_unknown_hash_then_full_query_then_hash_alone_over_post_and_get(api: Api) -> None:
    token = await api.token("apq")
    ext = extension(STATS)
    missed = await post(api, token, {"extensions": ext, "operationName": "Stats"})
    assert missed["errors"][0]["message"] == "PersistedQueryNotFound"
    assert codes(missed) == ["PERSISTED_QUERY_NOT_FOUND"] and missed["data"] is None

    registered = await post(api, token, {"query": STATS, "extensions": ext})
    assert isinstance(registered["data"]["queueStats"]["running"], int)
    by_post = await post(api, token, {"extensions": ext})
    assert by_post["data"] == registered["data"]
    by_get = await get(api, token, {"extensions": json.dumps(ext), "operationName": "Stats"})
    assert by_get["data"] == registered["data"]


async def test_a_hash_not_of_the_query_and_a_refused_query_are_not_stored(api: Api) -> None:
    token = await api.token("apq-bad")
    wrong = {"persistedQuery": {"version": 1, "sha256Hash": "0" * 64}}
    body = await post(api, token, {"query": STATS, "extensions": wrong})
    assert codes(body) == ["PERSISTED_QUERY_HASH_MISMATCH"] and body["data"] is None
    assert codes(await post(api, token, {"extensions": wrong})) == ["PERSISTED_QUERY_NOT_FOUND"]

    # Kept only once it parses (and passes the limits): a query that does not is forgotten.
    invalid = "{ queueStats { running }"
    refused = await post(api, token, {"query": invalid, "extensions": extension(invalid)})
    assert refused["data"] is None and "Syntax Error" in refused["errors"][0]["message"]
    again = await get(api, token, {"extensions": json.dumps(extension(invalid))})
    assert codes(again) == ["PERSISTED_QUERY_NOT_FOUND"]

    future = await post(api, token, {"query": STATS, "extensions": extension(STATS, version=2)})
    assert codes(future) == ["PERSISTED_QUERY_NOT_SUPPORTED"]


def test_the_store_keeps_the_most_recently_used_queries() -> None:
    store = PersistedQueries(max_entries=2)
    queries = ["{ a }", "{ b }", "{ c }"]
    for query in queries[:2]:
        resolved = store.resolve(query, extension(query))
        assert resolved == PersistedQuery(
            query=query, sha256_hash=extension(query)["persistedQuery"]["sha256Hash"], register=True
        )
        store.store(resolved)
    # Reading "{ a }" makes "{ b }" the least recently used, so "{ c }" pushes it out.
    hit = store.resolve(None, extension("{ a }"))
    assert hit is not None and hit.query == "{ a }" and not hit.register
    store.store(hit)
    c = store.resolve("{ c }", extension("{ c }"))
    assert c is not None
    store.store(c)
    assert len(store) == 2
    with pytest.raises(PersistedQueryError) as missing:
        store.resolve(None, extension("{ b }"))
    assert missing.value.code == "PERSISTED_QUERY_NOT_FOUND"
    assert store.resolve(None, extension("{ a }")) is not None


@pytest.mark.parametrize(
    ("extensions", "code"),
    [
        ({"persistedQuery": "abc"}, "PERSISTED_QUERY_INVALID"),
        ({"persistedQuery": {"version": 1}}, "PERSISTED_QUERY_INVALID"),
        ({"persistedQuery": {"version": 1, "sha256Hash": 5}}, "PERSISTED_QUERY_INVALID"),
        ({"persistedQuery": {"sha256Hash": "ab"}}, "PERSISTED_QUERY_NOT_SUPPORTED"),
    ],
)
def test_malformed_extensions_are_refused(extensions: dict[str, Any], code: str) -> None:
    with pytest.raises(PersistedQueryError) as refused:
        PersistedQueries().resolve("{ a }", extensions)
    assert refused.value.code == code


def test_requests_without_the_extension_pass_through() -> None:
    store = PersistedQueries()
    assert store.resolve("{ a }", None) is None
    assert store.resolve("{ a }", {"other": 1, "persistedQuery": None}) is None
