"""Browsers on other origins (CORS, the WebSocket origin check) and other GraphQL clients."""

from __future__ import annotations

import contextlib
import json
import logging
from collections.abc import AsyncIterator, Iterator
from typing import Any

import pytest
from gql import Client, GraphQLRequest
from gql.transport.websockets import WebsocketsTransport
from pydantic import ValidationError
from websockets.asyncio.client import connect
from websockets.exceptions import ConnectionClosed
from websockets.typing import Origin, Subprotocol

from atspro.settings import Settings

from .conftest import Api, ApiFactory
from .test_graphql_ws import PING, SUB_ALL, SUB_ONE, recv

APP = "https://app.example.com"
OTHER = "https://evil.example"
PROTOCOLS = ["graphql-transport-ws", "graphql-ws"]


@pytest.fixture
async def cors_api(api_factory: ApiFactory) -> AsyncIterator[Api]:
    async with api_factory(cors_allow_origins=[APP]) as api:
        yield api


@pytest.fixture
def server_log(caplog: pytest.LogCaptureFixture) -> Iterator[pytest.LogCaptureFixture]:
    """Every log record of the in-process server, uvicorn's own included."""
    # uvicorn's loggers do not propagate to the root logger that caplog listens on.
    uvicorn_log = logging.getLogger("uvicorn")
    uvicorn_log.addHandler(caplog.handler)
    caplog.set_level(logging.WARNING)
    try:
        yield caplog
    finally:
        uvicorn_log.removeHandler(caplog.handler)


def assert_no_errors(log: pytest.LogCaptureFixture) -> None:
    bad = [r for r in log.records if r.levelno >= logging.ERROR or r.exc_info]
    assert not bad, [r.getMessage() for r in bad]


def preflight(origin: str, method: str = "POST") -> dict[str, str]:
    return {
        "Origin": origin,
        "Access-Control-Request-Method": method,
        "Access-Control-Request-Headers": "authorization, content-type, apollo-require-preflight",
    }


async def test_preflight_from_an_allowed_origin_is_answered(cors_api: Api) -> None:
    r = await cors_api.client.options("/graphql", headers=preflight(APP))
    assert r.status_code == 200
    assert r.headers["access-control-allow-origin"] == APP
    allowed = r.headers["access-control-allow-headers"].lower()
    for header in ("authorization", "content-type", "apollo-require-preflight"):
        assert header in allowed
    assert "POST" in r.headers["access-control-allow-methods"]
    # The request that follows is answered with the header the browser checks.
    token = await cors_api.token("alice")
    r = await cors_api.client.post(
        "/graphql",
        json={"query": "{ queueStats { running } }"},
        headers={"Origin": APP, "Authorization": f"Bearer {token}"},
    )
    assert r.status_code == 200 and "errors" not in r.json()
    assert r.headers["access-control-allow-origin"] == APP
    # The download route too, and its file name is readable by the page.
    r = await cors_api.client.options("/documents/some-id/download", headers=preflight(APP, "GET"))
    assert r.status_code == 200
    r = await cors_api.client.get(
        "/documents/some-id/download", headers={"Origin": APP, "Authorization": f"Bearer {token}"}
    )
    assert r.headers["access-control-allow-origin"] == APP
    assert "content-disposition" in r.headers["access-control-expose-headers"].lower()


async def test_other_origins_get_no_cors_headers(cors_api: Api, api: Api) -> None:
    for server, origin in ((cors_api, OTHER), (api, APP)):  # `api`: nothing configured
        r = await server.client.options("/graphql", headers=preflight(origin))
        assert "access-control-allow-origin" not in r.headers
        r = await server.client.post(
            "/graphql", json={"query": "{ queueStats { running } }"}, headers={"Origin": origin}
        )
        assert "access-control-allow-origin" not in r.headers
    # A page served by the API itself (GraphiQL) is same-origin: nothing changes for it.
    token = await api.token("alice")
    r = await api.client.post(
        "/graphql",
        json={"query": "{ queueStats { running } }"},
        headers={"Origin": api.url, "Authorization": f"Bearer {token}"},
    )
    assert r.status_code == 200 and r.json()["data"]["queueStats"] is not None


@pytest.mark.parametrize("protocol", PROTOCOLS)
async def test_websocket_from_another_origin_is_closed_with_4403(
    cors_api: Api, protocol: str, server_log: pytest.LogCaptureFixture
) -> None:
    token = await cors_api.token("alice")
    init = json.dumps({"type": "connection_init", "payload": {"Authorization": f"Bearer {token}"}})
    async with connect(
        cors_api.ws_url, origin=Origin(OTHER), subprotocols=[Subprotocol(protocol)]
    ) as ws:
        with pytest.raises(ConnectionClosed) as info:
            await ws.send(init)
            await recv(ws)
        assert info.value.rcvd is not None
        assert info.value.rcvd.code == 4403
        assert info.value.rcvd.reason.startswith("Forbidden: origin https://evil.example")
    # The configured origin, the server's own and non-browser clients (no Origin) get in.
    for origin in (APP, cors_api.url, None):
        async with connect(
            cors_api.ws_url,
            origin=Origin(origin) if origin else None,
            subprotocols=[Subprotocol(protocol)],
        ) as ws:
            await ws.send(init)
            assert (await recv(ws))["type"] == "connection_ack"
    assert_no_errors(server_log)


@pytest.mark.parametrize("protocol", PROTOCOLS)
async def test_websocket_without_a_valid_token_is_closed_with_4401(
    api: Api, protocol: str, server_log: pytest.LogCaptureFixture
) -> None:
    for payload in ({}, {"Authorization": "Bearer atspro_wrong"}):
        async with connect(api.ws_url, subprotocols=[Subprotocol(protocol)]) as ws:
            await ws.send(json.dumps({"type": "connection_init", "payload": payload}))
            with pytest.raises(ConnectionClosed) as info:
                msg = await recv(ws)
                # Legacy clients read the protocol's own refusal before the close.
                assert protocol == "graphql-ws" and msg["type"] == "connection_error", msg
                assert msg["payload"]["code"] == "UNAUTHENTICATED"
                await recv(ws)
            assert info.value.rcvd is not None
            assert info.value.rcvd.code == 4401
            assert info.value.rcvd.reason.startswith("Unauthorized: ")
            # Each says what is wrong: no token where a WebSocket carries one, or a bad one.
            said = "no token in connection_init" if not payload else "invalid or expired"
            assert said in info.value.rcvd.reason
    assert_no_errors(server_log)


@pytest.mark.parametrize("subprotocols", [None, [WebsocketsTransport.GRAPHQLWS_SUBPROTOCOL]])
async def test_gql_runs_queries_mutations_and_subscriptions(
    api: Api, subprotocols: list[str] | None, server_log: pytest.LogCaptureFixture
) -> None:
    """Python's gql client; by default its transport negotiates legacy graphql-ws."""
    token = await api.token("erin")
    transport = WebsocketsTransport(
        url=api.ws_url,
        init_payload={"Authorization": f"Bearer {token}"},
        subprotocols=subprotocols,
    )
    async with Client(transport=transport) as session:
        expected = "graphql-ws" if subprotocols is None else "graphql-transport-ws"
        assert transport.subprotocol == expected
        stats = await session.execute(GraphQLRequest("{ queueStats { running } }"))
        assert isinstance(stats["queueStats"]["running"], int)
        ping = await session.execute(GraphQLRequest(PING, variable_values={"wait": 10}))
        task = ping["pingTask"]
        assert task["status"] == "COMPLETED"
        sub = GraphQLRequest(SUB_ONE, variable_values={"id": task["id"], "after": "0-0"})
        statuses = [e["taskUpdated"]["status"] async for e in session.subscribe(sub)]
        assert statuses[0] == "PENDING" and statuses[-1] == "COMPLETED"
    assert_no_errors(server_log)


async def test_legacy_protocol_mistakes_are_warnings(
    api: Api, server_log: pytest.LogCaptureFixture
) -> None:
    token = await api.token("frank")
    async with connect(api.ws_url, subprotocols=[Subprotocol("graphql-ws")]) as ws:
        await ws.send(json.dumps({"type": "connection_init", "payload": {"authToken": token}}))
        assert (await recv(ws))["type"] == "connection_ack"
        mistakes: list[tuple[Any, str]] = [
            ([], "a message must be a JSON object"),
            ({"type": "subscribe", "id": "1"}, "unknown message type 'subscribe'"),
            ({"type": "start", "id": "2"}, "a start message needs a payload with a query"),
            ({"type": "stop"}, "a stop message needs a string id"),
        ]
        for message, problem in mistakes:
            await ws.send(json.dumps(message))
            reply = await recv(ws)
            assert reply["type"] == "error" and reply["payload"]["message"] == problem
        await ws.send(json.dumps({"id": "5", "type": "start", "payload": {"query": "{ nope }"}}))
        reply = await recv(ws)
        assert reply["type"] == "error" and reply["id"] == "5"
        assert "nope" in reply["payload"]["message"]
        await ws.send("{not json")
        # The connection still works after all of them.
        await ws.send(
            json.dumps(
                {"id": "3", "type": "start", "payload": {"query": "{ queueStats { running } }"}}
            )
        )
        reply = await recv(ws)
        assert reply["type"] == "data" and reply["id"] == "3", reply
        assert (await recv(ws)) == {"type": "complete", "id": "3"}
        # A live subscription stopped by the client completes.
        await ws.send(
            json.dumps({"id": "4", "type": "start", "payload": {"query": SUB_ALL, "variables": {}}})
        )
        while True:  # live once it delivers an event
            await api.gql(PING, {}, token=token)
            with contextlib.suppress(TimeoutError):
                if (await recv(ws, within_s=0.5))["type"] == "data":
                    break
        await ws.send(json.dumps({"id": "4", "type": "stop"}))
        while (reply := await recv(ws))["type"] == "data":
            pass
        assert reply == {"type": "complete", "id": "4"}
        # A binary frame is no GraphQL message: closed with the reason.
        await ws.send(b"\x00")
        with pytest.raises(ConnectionClosed) as info:
            await recv(ws)
        assert info.value.rcvd is not None
        assert (info.value.rcvd.code, info.value.rcvd.reason) == (
            1002,
            "WebSocket message type must be text",
        )
    warnings = [r.getMessage() for r in server_log.records if r.levelno == logging.WARNING]
    assert len(warnings) == len(mistakes) + 1, warnings
    assert_no_errors(server_log)


async def test_transport_protocol_mistakes_close_with_a_reason(
    api: Api, server_log: pytest.LogCaptureFixture
) -> None:
    for frame, reason in (
        (json.dumps({"type": "start"}), "Unknown message type: start"),
        ("{not json", "WebSocket message must be valid JSON"),
    ):
        async with connect(api.ws_url, subprotocols=[Subprotocol("graphql-transport-ws")]) as ws:
            await ws.send(frame)
            with pytest.raises(ConnectionClosed) as info:
                await recv(ws)
            assert info.value.rcvd is not None
            assert (info.value.rcvd.code, info.value.rcvd.reason) == (4400, reason)
    assert len(server_log.records) == 2
    assert_no_errors(server_log)


async def test_root_redirects_to_the_dashboard(api: Api) -> None:
    r = await api.client.get("/", headers={"Accept": "text/html"})
    assert r.status_code == 307 and r.headers["location"] == "/dashboard/"
    r = await api.client.get("/", headers={"Accept": "text/html"}, follow_redirects=True)
    assert r.status_code == 200 and "<title>ATSPro dashboard</title>" in r.text
    assert (await api.client.get("/dashboard/dashboard.js")).status_code == 200
    r = await api.client.get("/graphql", headers={"Accept": "text/html"})
    assert r.status_code == 200 and "graphiql" in r.text.lower()


def test_allowed_origins_are_stored_as_browsers_send_them() -> None:
    settings = Settings(
        cors_allow_origins=["https://App.Example.com:443/", "http://localhost:5173"]
    )
    assert settings.cors_allow_origins == [APP, "http://localhost:5173"]
    for bad in ("app.example.com", "https://app.example.com/path", "ftp://app.example.com"):
        with pytest.raises(ValidationError):
            Settings(cors_allow_origins=[bad])
