"""Request bodies against the real server (issue 15, item 1): caps while they arrive, and
clear 400s for bodies and operations the HTTP transport does not take.

An oversized body is answered with 413 before it is read: the client's generator is not
drained. Malformed bodies and subscriptions over HTTP are GraphQL-shaped 400s, with nothing
logged at ERROR.
"""

from __future__ import annotations

import asyncio
import contextlib
from collections.abc import AsyncIterator
from typing import Any

import httpx
import pytest

from tests.api import conftest as api_fixtures
from tests.api.conftest import Api, ApiFactory
from tests.security import test_graphql_limits

api = api_fixtures.api
api_factory = api_fixtures.api_factory
error_records = test_graphql_limits.error_records

CHUNK = 64 * 1024


class Body:
    """A streamed body of ``total`` bytes that counts how much the client was asked for."""

    def __init__(self, total: int, head: bytes = b"", tail: bytes = b"") -> None:
        self.total = total
        self.head = head
        self.tail = tail
        self.sent = 0

    async def chunks(self) -> AsyncIterator[bytes]:
        yield self.head
        self.sent += len(self.head)
        filler = self.total - len(self.head) - len(self.tail)
        while filler > 0:
            piece = b" " * min(CHUNK, filler)
            filler -= len(piece)
            self.sent += len(piece)
            yield piece
        yield self.tail
        self.sent += len(self.tail)


async def read_until_closed(reader: asyncio.StreamReader) -> bytes:
    """Everything the server sent, also when it ends by resetting (unread body left over)."""
    received = b""
    with contextlib.suppress(ConnectionError):
        while piece := await reader.read(CHUNK):
            received += piece
    return received


async def send(api: Api, body: Body, headers: dict[str, str]) -> httpx.Response:
    """POST ``body`` over a raw socket, reading the answer while writing: the server may
    answer (and close) before the body is sent, which a client that writes first misses."""
    port = int(api.url.rsplit(":", 1)[1])
    reader, writer = await asyncio.open_connection("127.0.0.1", port)
    chunked = "Content-Length" not in headers
    lines = ["POST /graphql HTTP/1.1", f"Host: 127.0.0.1:{port}"]
    lines += [f"{name}: {value}" for name, value in headers.items()]
    if chunked:
        lines.append("Transfer-Encoding: chunked")
    writer.write(("\r\n".join(lines) + "\r\n\r\n").encode())
    answer = asyncio.create_task(read_until_closed(reader))
    try:
        async for piece in body.chunks():
            if chunked:
                piece = b"%x\r\n%s\r\n" % (len(piece), piece)
            writer.write(piece)
            drained = asyncio.create_task(writer.drain())
            await asyncio.wait({drained, answer}, return_when=asyncio.FIRST_COMPLETED)
            if answer.done():
                drained.cancel()
                break
            drained.result()
    except ConnectionError:
        pass  # The server closed the connection after answering: the answer is read below.
    raw = await answer
    writer.close()
    head, _, content = raw.partition(b"\r\n\r\n")
    status = int(head.split(b" ", 2)[1])
    return httpx.Response(status, content=content, headers={"Content-Type": "application/json"})


def assert_graphql_error(r: httpx.Response, status: int, words: str) -> None:
    assert r.status_code == status, (r.status_code, r.text[:300])
    (error,) = r.json()["errors"]
    assert words in error["message"], error


@pytest.mark.timeout(60)
async def test_a_json_body_over_the_cap_is_refused_before_it_is_read(
    api: Api, error_records: list[Any]
) -> None:
    # Content-Length says 64 MB: refused on the headers alone.
    body = Body(64 * 1024 * 1024, head=b'{"query": "#')
    headers = {"Content-Type": "application/json", "Content-Length": str(body.total)}
    r = await send(api, body, headers)
    assert_graphql_error(r, 413, "larger than 1048576 bytes")
    assert body.sent < body.total // 4, body.sent
    # No length (chunked): refused at the first chunk past the cap.
    body = Body(64 * 1024 * 1024, head=b'{"query": "#')
    r = await send(api, body, {"Content-Type": "application/json"})
    assert_graphql_error(r, 413, "larger than")
    assert body.sent < body.total // 4, body.sent
    # Just under the cap is read and answered as GraphQL.
    under = {"query": "{ __typename }", "variables": {"pad": "x" * 900_000}}
    r = await api.client.post("/graphql", json=under)
    assert r.status_code == 200 and r.json()["data"] == {"__typename": "Query"}
    assert not error_records


@pytest.mark.timeout(60)
async def test_a_multipart_upload_over_the_limit_is_refused_before_it_is_spooled(
    api_factory: ApiFactory, error_records: list[Any]
) -> None:
    async with api_factory(max_upload_bytes=256 * 1024, max_request_bytes=64 * 1024) as api:
        boundary = "xyzzy"
        head = (
            f"--{boundary}\r\n"
            'Content-Disposition: form-data; name="operations"\r\n\r\n'
            '{"query": "mutation($f: Upload!) { parseResume(file: $f) { __typename } }", '
            '"variables": {"f": null}}\r\n'
            f"--{boundary}\r\n"
            'Content-Disposition: form-data; name="map"\r\n\r\n'
            '{"0": ["variables.f"]}\r\n'
            f"--{boundary}\r\n"
            'Content-Disposition: form-data; name="0"; filename="big.pdf"\r\n'
            "Content-Type: application/pdf\r\n\r\n"
        ).encode()
        tail = f"\r\n--{boundary}--\r\n".encode()
        content_type = f"multipart/form-data; boundary={boundary}"
        for declared in (True, False):
            body = Body(32 * 1024 * 1024, head=head, tail=tail)
            headers = {"Content-Type": content_type}
            if declared:
                headers["Content-Length"] = str(body.total)
            r = await send(api, body, headers)
            assert_graphql_error(r, 413, f"larger than {256 * 1024 + 64 * 1024} bytes")
            assert body.sent < body.total // 4, (declared, body.sent)
    assert not error_records


@pytest.mark.parametrize(
    ("content", "words"),
    [
        (b"null", "must be a JSON object"),
        (b"  42", "must be a JSON object"),
        (b'"{ __typename }"', "must be a JSON object"),
        (b"true", "must be a JSON object"),
        (b"[]", "Batching is not enabled"),
        (b'{"query": 42}', "must be a string"),
        (b'{"query": ["{ __typename }"]}', "must be a string"),
        (b'{"query": "{ __typename }", "variables": [1]}', "must be an object"),
        (b"", "Unable to parse request body as JSON"),
    ],
)
async def test_bodies_that_are_not_a_graphql_request_are_a_clear_400(
    api: Api, error_records: list[Any], content: bytes, words: str
) -> None:
    r = await api.client.post(
        "/graphql", content=content, headers={"Content-Type": "application/json"}
    )
    assert_graphql_error(r, 400, words)
    assert r.json()["errors"][0]["extensions"]["code"] == "BAD_REQUEST"
    assert not error_records


async def test_a_subscription_over_http_is_a_clear_400(
    api: Api, error_records: list[Any], caplog: pytest.LogCaptureFixture
) -> None:
    token = await api.token("sub")
    subscription = "subscription { taskUpdates { __typename } }"
    auth = {"Authorization": f"Bearer {token}"}
    for call in (
        api.client.post("/graphql", json={"query": subscription}, headers=auth),
        api.client.post("/graphql", json={"query": subscription}),
        api.client.get("/graphql", params={"query": subscription}),
    ):
        r = await call
        assert_graphql_error(r, 400, "Subscriptions run over WebSocket")
    # Picked by name from a document holding a query too.
    both = "query Q { __typename } subscription S { taskUpdates { __typename } }"
    r = await api.client.post("/graphql", json={"query": both, "operationName": "S"})
    assert_graphql_error(r, 400, "Subscriptions run over WebSocket")
    r = await api.client.post("/graphql", json={"query": both, "operationName": "Q"})
    assert r.status_code == 200 and r.json()["data"] == {"__typename": "Query"}
    assert not error_records
    assert not [r for r in caplog.records if r.exc_info], "no traceback is logged"
