"""Subscriptions over real WebSockets: both protocols, auth, isolation, resume after reconnect."""

from __future__ import annotations

import asyncio
import json
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from typing import Any

import pytest
from websockets.asyncio.client import ClientConnection, connect
from websockets.exceptions import ConnectionClosed

from atspro.workers.context import HandlerResult, TaskContext

from .conftest import Api, ApiFactory

EVENT_FIELDS = "eventId taskId status progress message"
SUB_ONE = f"subscription($id: ID!, $after: String) {{ taskUpdated(id: $id, after: $after) {{ {EVENT_FIELDS} }} }}"
SUB_ALL = f"subscription($after: String) {{ taskUpdates(after: $after) {{ {EVENT_FIELDS} type }} }}"
PING = "mutation($wait: Int) { pingTask(wait: $wait) { ... on Task { id status } } }"


@asynccontextmanager
async def transport_ws(api: Api, token: str | None) -> AsyncIterator[ClientConnection]:
    """A graphql-transport-ws connection (Apollo, urql), initialised with the token."""
    async with connect(api.ws_url, subprotocols=["graphql-transport-ws"]) as ws:  # type: ignore[list-item]
        payload = {"Authorization": f"Bearer {token}"} if token else {}
        await ws.send(json.dumps({"type": "connection_init", "payload": payload}))
        yield ws


async def recv(ws: ClientConnection, within_s: float = 10) -> dict[str, Any]:
    raw = await asyncio.wait_for(ws.recv(), within_s)
    # Both protocols send JSON in text frames; clients ignore or reject binary ones.
    assert isinstance(raw, str), f"a binary frame: {raw!r}"
    return json.loads(raw)  # type: ignore[no-any-return]


async def subscribe(
    ws: ClientConnection, sub_id: str, query: str, variables: dict[str, Any]
) -> None:
    await ws.send(
        json.dumps(
            {"id": sub_id, "type": "subscribe", "payload": {"query": query, "variables": variables}}
        )
    )


async def next_events(ws: ClientConnection, n: int) -> list[dict[str, Any]]:
    events = []
    while len(events) < n:
        msg = await recv(ws)
        assert msg["type"] == "next", msg
        data = msg["payload"]["data"]
        events.append(next(iter(data.values())))
    return events


async def test_task_updated_streams_to_completion(api_factory: ApiFactory) -> None:
    gate = asyncio.Event()

    async def gated(ctx: TaskContext) -> HandlerResult:
        await ctx.progress(50, "half way")
        await gate.wait()
        return HandlerResult(result={"done": True})

    async with api_factory({"noop": gated}) as api:
        token = await api.token("alice")
        task = (await api.gql(PING, {}, token=token))["data"]["pingTask"]
        async with transport_ws(api, token) as ws:
            assert (await recv(ws))["type"] == "connection_ack"
            await subscribe(ws, "1", SUB_ONE, {"id": task["id"], "after": "0-0"})
            first = await next_events(ws, 3)
            assert [(e["status"], e["progress"]) for e in first] == [
                ("PENDING", 0),
                ("RUNNING", 0),
                ("RUNNING", 50),
            ]
            gate.set()
            last = (await next_events(ws, 1))[0]
            assert last["status"] == "COMPLETED"
            assert (await recv(ws))["type"] == "complete"


async def test_websocket_without_valid_token_is_rejected(api: Api) -> None:
    for token in (None, "atspro_wrong"):
        async with transport_ws(api, token) as ws:
            with pytest.raises(ConnectionClosed) as info:
                await recv(ws)
            assert info.value.rcvd is not None and info.value.rcvd.code == 4401


async def test_legacy_graphql_ws_protocol(api: Api) -> None:
    token = await api.token("bob")
    task = (await api.gql(PING, {"wait": 10}, token=token))["data"]["pingTask"]
    async with connect(api.ws_url, subprotocols=["graphql-ws"]) as ws:  # type: ignore[list-item]
        await ws.send(json.dumps({"type": "connection_init", "payload": {"authToken": token}}))
        assert (await recv(ws))["type"] == "connection_ack"
        await ws.send(
            json.dumps(
                {
                    "id": "1",
                    "type": "start",
                    "payload": {"query": SUB_ONE, "variables": {"id": task["id"]}},
                }
            )
        )
        msg = await recv(ws)
        while msg["type"] == "ka":
            msg = await recv(ws)
        assert msg["type"] == "data"
        assert msg["payload"]["data"]["taskUpdated"]["status"] == "COMPLETED"
    async with connect(api.ws_url, subprotocols=["graphql-ws"]) as ws:  # type: ignore[list-item]
        await ws.send(json.dumps({"type": "connection_init", "payload": {"authToken": "nope"}}))
        assert (await recv(ws))["type"] == "connection_error"


async def test_subscriptions_are_isolated_between_users(api: Api) -> None:
    alice, bob = await api.token("alice"), await api.token("bob")
    task = (await api.gql(PING, {"wait": 10}, token=alice))["data"]["pingTask"]
    async with transport_ws(api, bob) as ws:
        assert (await recv(ws))["type"] == "connection_ack"
        await subscribe(ws, "1", SUB_ONE, {"id": task["id"]})
        msg = await recv(ws)
        assert msg["type"] == "error" or msg["payload"].get("errors")
        assert "not found" in json.dumps(msg)
        assert (await recv(ws)) == {"id": "1", "type": "complete"}
        # Bob's dashboard feed does not carry Alice's events.
        await subscribe(ws, "2", SUB_ALL, {})
        await asyncio.sleep(0.2)
        await api.gql(PING, {"wait": 10}, token=alice)
        mine = (await api.gql(PING, {"wait": 10}, token=bob))["data"]["pingTask"]
        events = await next_events(ws, 3)
        assert {e["taskId"] for e in events} == {mine["id"]}


async def test_dashboard_feed_resumes_after_reconnect(api: Api) -> None:
    token = await api.token("carol")
    async with transport_ws(api, token) as ws:
        assert (await recv(ws))["type"] == "connection_ack"
        await subscribe(ws, "1", SUB_ALL, {})
        await asyncio.sleep(0.2)
        first = (await api.gql(PING, {"wait": 10}, token=token))["data"]["pingTask"]
        seen = await next_events(ws, 3)
        assert [e["status"] for e in seen] == ["PENDING", "RUNNING", "COMPLETED"]
        last_id = seen[-1]["eventId"]
    # While disconnected, two more tasks run to completion.
    missed = [
        (await api.gql(PING, {"wait": 10}, token=token))["data"]["pingTask"]["id"] for _ in range(2)
    ]
    async with transport_ws(api, token) as ws:
        assert (await recv(ws))["type"] == "connection_ack"
        await subscribe(ws, "1", SUB_ALL, {"after": last_id})
        replay = await next_events(ws, 6)
        assert [e["taskId"] for e in replay] == [missed[0]] * 3 + [missed[1]] * 3
        assert all(e["taskId"] != first["id"] for e in replay)
        ids = [e["eventId"] for e in replay]
        assert ids == sorted(ids, key=lambda i: tuple(map(int, i.split("-"))))
        # And live events continue after the replay.
        live = (await api.gql(PING, {"wait": 10}, token=token))["data"]["pingTask"]
        assert {e["taskId"] for e in await next_events(ws, 3)} == {live["id"]}


async def test_bad_resume_id_is_an_input_error(api: Api) -> None:
    token = await api.token("dave")
    async with transport_ws(api, token) as ws:
        assert (await recv(ws))["type"] == "connection_ack"
        await subscribe(ws, "1", SUB_ALL, {"after": "yesterday"})
        msg = await recv(ws)
        assert "not a valid event id" in json.dumps(msg)
