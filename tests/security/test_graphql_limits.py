"""Abusive GraphQL documents against the real server, without a token (issue 15, item 1).

Each is refused with a GraphQL error before any resolver runs, in time linear in the
document, and the server keeps answering others meanwhile. A bounded hypothesis fuzz of the
request parser path checks that no body or query string is a 500 or an ERROR in the log
(ATSPRO_FUZZ_EXAMPLES sets how many examples; 50 by default).
"""

from __future__ import annotations

import asyncio
import logging
import os
import random
import string
from collections.abc import Iterator
from typing import Any

import httpx
import pytest
from graphql import get_introspection_query
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from tests.api import conftest as api_fixtures
from tests.api.conftest import Api, ApiFactory

# The real server over HTTP, as tests/api starts it.
api = api_fixtures.api
api_factory = api_fixtures.api_factory

LIMIT = "QUERY_TOO_COMPLEX"
FUZZ_EXAMPLES = int(os.environ.get("ATSPRO_FUZZ_EXAMPLES", "50"))


class _Collect(logging.Handler):
    def __init__(self) -> None:
        super().__init__(logging.ERROR)
        self.records: list[logging.LogRecord] = []

    def emit(self, record: logging.LogRecord) -> None:
        self.records.append(record)


@pytest.fixture
def error_records() -> Iterator[list[logging.LogRecord]]:
    """ERROR records from anywhere, uvicorn's own loggers included (they do not propagate)."""
    handler = _Collect()
    loggers = [
        logging.getLogger(),
        logging.getLogger("uvicorn"),
        logging.getLogger("uvicorn.error"),
    ]
    for logger in loggers:
        logger.addHandler(handler)
    yield handler.records
    for logger in loggers:
        logger.removeHandler(handler)


def fragment_bomb(levels: int, names: list[str] | None = None) -> str:
    """Each fragment spreads the next one twice: 2**levels fields once expanded."""
    names = names or [f"F{i}" for i in range(levels + 1)]
    parts = [f"query {{ ...{names[0]} }}"]
    for i in range(levels):
        parts.append(f"fragment {names[i]} on Query {{ ...{names[i + 1]} ...{names[i + 1]} }}")
    parts.append(f"fragment {names[levels]} on Query {{ __typename }}")
    return "\n".join(parts)


def random_names(count: int) -> list[str]:
    return ["".join(random.choices(string.ascii_letters, k=12)) for _ in range(count)]


async def post_query(api: Api, query: str, **extra: Any) -> dict[str, Any]:
    r = await api.client.post("/graphql", json={"query": query, **extra})
    assert r.status_code in (200, 400), (r.status_code, r.text[:300])
    body: dict[str, Any] = r.json()
    return body


def codes(body: dict[str, Any]) -> list[str]:
    return [e.get("extensions", {}).get("code", "") for e in body.get("errors", [])]


def messages(body: dict[str, Any]) -> str:
    return " | ".join(e["message"] for e in body.get("errors", []))


# Generous: the old validation never finished the 40-level bomb, so it fails by timing out.
@pytest.mark.timeout(60)
async def test_the_fragment_bomb_is_refused_while_health_answers(
    api: Api, error_records: list[logging.LogRecord]
) -> None:
    attack = asyncio.create_task(post_query(api, fragment_bomb(40)))
    health = await api.client.get("/healthz", timeout=20)
    assert health.json() == {"status": "ok"}
    body = await attack
    assert body["data"] is None and codes(body) == [LIMIT], body
    assert "fields once its fragments are expanded" in messages(body)
    assert not error_records


@pytest.mark.timeout(60)
async def test_renamed_fragment_bombs_are_each_refused(api: Api) -> None:
    # Fresh names every time: no cache can answer for the next one.
    for _ in range(5):
        body = await post_query(api, fragment_bomb(40, random_names(41)))
        assert codes(body) == [LIMIT], body
    # A wide bomb: each of 25 fragments spreads the next one three times.
    wide = " ".join(
        f"fragment F{i} on Query {{ ...F{i + 1} ...F{i + 1} ...F{i + 1} }}" for i in range(25)
    )
    body = await post_query(api, f"query {{ ...F0 }} {wide} fragment F25 on Query {{ id }}")
    assert codes(body) == [LIMIT], body


async def test_many_aliases_are_refused(api: Api) -> None:
    query = "{ " + " ".join(f"a{i}: __typename" for i in range(100)) + " }"
    body = await post_query(api, query)
    assert codes(body) == [LIMIT] and "aliases" in messages(body), body
    # Aliases hidden in a fragment spread many times count every time they are spread.
    spread = "{ " + " ".join(f"s{i}: queueStats {{ ...A }}" for i in range(5)) + " }"
    fragment = "fragment A on QueueStats { " + " ".join(f"r{i}: running" for i in range(8)) + " }"
    body = await post_query(api, spread + fragment)
    assert codes(body) == [LIMIT] and "aliases" in messages(body), body


async def test_one_field_repeated_is_refused(api: Api) -> None:
    body = await post_query(api, "{ " + "__typename " * 400 + "}")
    assert codes(body) == [LIMIT] and "more than 20 times" in messages(body), body


async def test_deep_nesting_is_refused(api: Api) -> None:
    deep = "{ " + "tasks { edges { node { " * 10 + "id" + " } } }" * 10 + " }"
    body = await post_query(api, deep)
    assert codes(body) == [LIMIT] and "maximum operation depth" in messages(body), body
    # Deeper than any limit allows, through fragments: refused, not a RecursionError.
    chain = "query { ...F0 } " + " ".join(
        f"fragment F{i} on Query {{ a{i}: queueStats {{ ...F{i + 1} }} }}" for i in range(45)
    )
    body = await post_query(api, chain + " fragment F45 on Query { __typename }")
    assert codes(body) == [LIMIT], body


async def test_introspection_nesting_lists_is_refused_and_the_standard_query_works(
    api: Api,
) -> None:
    nested = "{ __schema { types { fields { type { fields { type { fields { name } } } } } } } }"
    body = await post_query(api, nested)
    assert codes(body) == [LIMIT] and "Introspection" in messages(body), body
    standard = await post_query(api, get_introspection_query(descriptions=True))
    assert "errors" not in standard and standard["data"]["__schema"]["queryType"]


async def test_too_many_fragments_or_spreads_are_refused(api: Api) -> None:
    many = "query { ...F0 } " + " ".join(
        f"fragment F{i} on Query {{ __typename }}" for i in range(60)
    )
    body = await post_query(api, many)
    assert codes(body) == [LIMIT] and "Too many fragments" in messages(body), body
    spreads = "query { " + "...T " * 250 + "} fragment T on Query { __typename }"
    body = await post_query(api, spreads)
    assert codes(body) == [LIMIT] and "Too many fragment spreads" in messages(body), body


@pytest.mark.timeout(60)
async def test_too_many_tokens_or_characters_are_refused(
    api: Api, error_records: list[logging.LogRecord]
) -> None:
    body = await post_query(api, "{ " + "__typename " * 1500 + "}")
    assert "more than 1000 tokens" in messages(body), body
    # A comment of one line is one token: the character cap stops it before it is read.
    comment = "#" + "x" * 900_000 + "\n{ __typename }"
    body = await post_query(api, comment)
    assert "code points" in messages(body), body
    # Many short comments are tokens too.
    body = await post_query(api, "#\n" * 20_000 + "{ __typename }")
    assert "tokens" in messages(body), body
    assert not error_records


async def test_validation_has_a_time_budget(api_factory: ApiFactory) -> None:
    async with api_factory(query_validation_budget_s=1e-9) as api:
        query = "{ " + " ".join(f"a{i}: queueStats {{ running pending }}" for i in range(20)) + " }"
        body = await post_query(api, query)
        assert codes(body) == [LIMIT] and "Validation took longer" in messages(body), body


async def test_the_limits_follow_the_settings(api_factory: ApiFactory) -> None:
    async with api_factory(max_query_selections=3, max_query_chars=100) as api:
        body = await post_query(api, "{ queueStats { running pending depth { depth } } }")
        assert codes(body) == [LIMIT] and "more than 3 fields" in messages(body), body
        body = await post_query(api, "{ __typename }" + " " * 100)
        assert "more than 100 code points" in messages(body), body


JSON = st.recursive(
    st.none() | st.booleans() | st.integers() | st.floats(allow_nan=False) | st.text(max_size=20),
    lambda inner: (
        st.lists(inner, max_size=4) | st.dictionaries(st.text(max_size=8), inner, max_size=4)
    ),
    max_leaves=12,
)
WORDS = [
    "{",
    "}",
    "(",
    ")",
    "[",
    "]",
    ":",
    "=",
    "$x",
    "...",
    "...F",
    "fragment F on Query",
    "on",
    "query",
    "mutation",
    "subscription",
    "Query",
    "__schema",
    '__type(name: "Query")',
    "__typename",
    "types",
    "fields",
    "name",
    'task(id: "x")',
    "tasks",
    "nodes",
    "id",
    "pingTask",
    "taskUpdates",
    "queueStats",
    "running",
    "a:",
    "@include(if: true)",
    "#",
    '"',
    '"""',
    "1",
    "-1.5e3",
    "null",
    "Int!",
    ",",
    "\n",
]
QUERIES = st.lists(st.sampled_from(WORDS), max_size=40).map(" ".join) | st.text(max_size=200)
BODIES = (
    st.fixed_dictionaries(
        {},
        optional={
            "query": QUERIES | JSON,
            "variables": JSON,
            "operationName": st.none() | st.text(max_size=10) | JSON,
            "extensions": JSON,
        },
    )
    | JSON
)


@pytest.mark.timeout(600)
@settings(
    max_examples=FUZZ_EXAMPLES,
    deadline=None,
    database=None,
    derandomize="ATSPRO_FUZZ_EXAMPLES" not in os.environ,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)
@given(body=BODIES, query=QUERIES, raw=st.binary(max_size=64))
async def test_fuzz_bodies_and_queries_are_never_a_500(
    api: Api, error_records: list[logging.LogRecord], body: Any, query: str, raw: bytes
) -> None:
    answers: list[httpx.Response] = [
        await api.client.post("/graphql", json=body),
        await api.client.post("/graphql", json={"query": query}),
        await api.client.get("/graphql", params={"query": query}),
        await api.client.post(
            "/graphql", content=raw, headers={"Content-Type": "application/json"}
        ),
    ]
    for answer in answers:
        assert answer.status_code < 500, (answer.status_code, answer.text[:300])
        assert "errors" in answer.json() or "data" in answer.json()
    assert not error_records, [r.getMessage() for r in error_records]


def test_refused_documents_are_not_kept_but_good_ones_are() -> None:
    """An attacker's endless distinct refused documents must not fill the cache: kept parsed
    trees made every full garbage collection walk them (150 ms loop pauses under a flood)."""
    from atspro.schema import build_schema
    from atspro.schema.limits import DocumentLimits, DocumentPreparer
    from atspro.settings import Settings

    settings = Settings(_env_file=None)  # type: ignore[call-arg]
    preparer = DocumentPreparer(DocumentLimits.from_settings(settings))
    preparer.schema = build_schema(settings)._schema
    try:
        bomb = fragment_bomb(40, random_names(41))
        first = preparer.prepare_now(bomb)
        assert first.errors, "the bomb must be refused"
        assert preparer.prepare_now(bomb) is not first
        good = "{ __typename }"
        kept = preparer.prepare_now(good)
        assert not kept.errors and preparer.prepare_now(good) is kept
    finally:
        preparer.close()
