"""Requests without a confirmed token wait in one line; a made-up token does not skip it.

An anonymous request whose body trickles in holds the line. Meanwhile a request carrying a
token the database never issued must wait behind it, and a request with a real token must
not. (The checks are about order, not speed: a slow machine can only make the "still
waiting" check pass when it should fail, never fail a correct server.)
"""

from __future__ import annotations

import asyncio

import httpx
import pytest

from tests.api import conftest as api_fixtures
from tests.api.conftest import Api

api = api_fixtures.api
api_factory = api_fixtures.api_factory

QUERY = b'{"query": "{ __typename }"}'


async def _hold_the_anonymous_line(api: Api) -> tuple[asyncio.StreamWriter, asyncio.Task[bytes]]:
    """Start an anonymous POST and send only part of its body."""
    port = int(api.url.rsplit(":", 1)[1])
    reader, writer = await asyncio.open_connection("127.0.0.1", port)
    head = (
        f"POST /graphql HTTP/1.1\r\nHost: 127.0.0.1:{port}\r\n"
        f"Content-Type: application/json\r\nContent-Length: {len(QUERY)}\r\n\r\n"
    )
    writer.write(head.encode() + QUERY[:5])
    await writer.drain()
    return writer, asyncio.create_task(reader.read(65536))


@pytest.mark.timeout(120)
async def test_a_made_up_token_waits_in_the_anonymous_line(api: Api) -> None:
    token = await api.token("lane")
    writer, held_answer = await _hold_the_anonymous_line(api)
    try:
        await asyncio.sleep(0.5)  # let the server take the held request into the line
        body = {"query": "{ __typename }"}
        made_up = asyncio.create_task(
            api.client.post("/graphql", json=body, headers={"Authorization": "Bearer atspro_x"})
        )
        real = await api.client.post(
            "/graphql", json=body, headers={"Authorization": f"Bearer {token}"}
        )
        assert real.json() == {"data": {"__typename": "Query"}}
        await asyncio.sleep(1.0)
        assert not made_up.done(), "a made-up token skipped the line of anonymous requests"
        writer.write(QUERY[5:])
        await writer.drain()
        assert b"__typename" in await asyncio.wait_for(held_answer, 30)
        answer: httpx.Response = await asyncio.wait_for(made_up, 30)
        # Once its turn comes it runs as an anonymous request: introspection stays open.
        assert answer.json() == {"data": {"__typename": "Query"}}
    finally:
        writer.close()
        await writer.wait_closed()
        held_answer.cancel()
