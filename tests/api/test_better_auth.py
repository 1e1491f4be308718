"""better-auth sessions over real HTTP and WebSocket, when BETTER_AUTH_ENABLED is set."""

from __future__ import annotations

import json
from collections.abc import AsyncIterator
from datetime import timedelta

import pytest
from websockets.asyncio.client import connect

from tests.fresh_database import fresh_database
from tests.test_auth import BETTER_AUTH_TABLES, add_better_auth_session

from .conftest import ApiFactory

PING = "mutation { pingTask(wait: 10) { __typename ... on Task { id status } } }"
MY_TASKS = "{ tasks(first: 10) { nodes { id } } }"


@pytest.fixture
async def own_database(service_urls: tuple[str, str]) -> AsyncIterator[str]:
    async with fresh_database(service_urls[1]) as dsn:
        yield dsn


async def test_session_tokens_work_only_while_valid_and_only_when_enabled(
    api_factory: ApiFactory, own_database: str
) -> None:
    async with api_factory(database_url=own_database, better_auth_enabled=True) as api:
        pool = api.runtime.pool
        await pool.execute(BETTER_AUTH_TABLES)
        valid = await add_better_auth_session(pool, user_id="ba_1", expires_in=timedelta(hours=1))
        expired = await add_better_auth_session(
            pool, user_id="ba_1", expires_in=timedelta(minutes=-5)
        )
        other = await add_better_auth_session(pool, user_id="ba_2", expires_in=timedelta(hours=1))

        done = await api.gql(PING, token=valid)
        assert done["data"]["pingTask"]["status"] == "COMPLETED", done
        owner = await pool.fetchval(
            "SELECT user_id FROM tasks WHERE id = $1::uuid", done["data"]["pingTask"]["id"]
        )
        assert owner == "ba_1"
        # The session's user sees the task; another session's user does not.
        assert len((await api.gql(MY_TASKS, token=valid))["data"]["tasks"]["nodes"]) == 1
        assert (await api.gql(MY_TASKS, token=other))["data"]["tasks"]["nodes"] == []

        refused = await api.gql(PING, token=expired)
        assert refused.get("data") is None
        assert refused["errors"][0]["extensions"]["code"] == "UNAUTHENTICATED"

        # WebSocket: the session token in connection_init is accepted the same way.
        async with connect(api.ws_url, subprotocols=["graphql-transport-ws"]) as ws:  # type: ignore[list-item]
            await ws.send(json.dumps({"type": "connection_init", "payload": {"token": valid}}))
            assert json.loads(await ws.recv())["type"] == "connection_ack"

    async with api_factory(database_url=own_database, better_auth_enabled=False) as api:
        off = await api.gql(PING, token=valid)
        assert off["errors"][0]["extensions"]["code"] == "UNAUTHENTICATED"
