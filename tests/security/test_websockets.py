"""WebSockets over the real app: revoked credentials close open sockets, every operation
re-checks them, silent sockets time out, and users and addresses have connection limits."""

from __future__ import annotations

import asyncio
import json
from collections.abc import AsyncIterator, Awaitable, Callable
from contextlib import asynccontextmanager
from datetime import timedelta
from typing import Any

import pytest
from websockets.asyncio.client import ClientConnection, connect
from websockets.exceptions import ConnectionClosed

from atspro.auth import revoke_tokens
from atspro.settings import Settings
from atspro.workers.handlers import default_registry
from tests.api.conftest import Api, ApiFactory, run_server
from tests.fresh_database import fresh_database
from tests.test_auth import BETTER_AUTH_TABLES, add_better_auth_session

SUB_ALL = "subscription { taskUpdates { taskId status } }"
PING = "mutation { pingTask { ... on Task { id } } }"
# A generous wait on two shared cores; the service promises about a second.
CLOSE_WITHIN_S = 10.0
PROTOCOLS = ["graphql-transport-ws", "graphql-ws"]


@pytest.fixture
def start_api(
    make_settings: Callable[..., Settings], cleanup_redis: Callable[[str], Awaitable[None]]
) -> ApiFactory:
    """Starts the real app on loopback with settings changed for the test."""

    @asynccontextmanager
    async def factory(**overrides: Any) -> AsyncIterator[Api]:
        settings = make_settings(**overrides)
        await cleanup_redis(settings.redis_queue_prefix)
        async with run_server(settings, default_registry()) as api:
            yield api

    return factory


@asynccontextmanager
async def socket(api: Api, protocol: str) -> AsyncIterator[ClientConnection]:
    async with connect(api.ws_url, subprotocols=[protocol]) as ws:  # type: ignore[list-item]
        yield ws


async def init(ws: ClientConnection, token: str) -> dict[str, Any]:
    """Send connection_init with the token; the server's first answer."""
    await ws.send(
        json.dumps({"type": "connection_init", "payload": {"Authorization": f"Bearer {token}"}})
    )
    return await recv(ws)


async def recv(ws: ClientConnection) -> dict[str, Any]:
    while True:
        message: dict[str, Any] = json.loads(await asyncio.wait_for(ws.recv(), CLOSE_WITHIN_S))
        if message["type"] != "ka":  # graphql-ws keep-alives
            return message


async def start(ws: ClientConnection, protocol: str, op_id: str, query: str) -> None:
    kind = "subscribe" if protocol == "graphql-transport-ws" else "start"
    await ws.send(json.dumps({"id": op_id, "type": kind, "payload": {"query": query}}))


async def closed_with(ws: ClientConnection) -> tuple[int | None, str]:
    """Read until the server closes the socket; its close code and reason."""
    with pytest.raises(ConnectionClosed):
        while True:
            await recv(ws)
    assert ws.close_code is not None
    return ws.close_code, ws.close_reason or ""


@pytest.mark.parametrize("protocol", PROTOCOLS)
async def test_revoking_a_token_closes_its_open_socket(
    start_api: ApiFactory, protocol: str
) -> None:
    async with start_api() as api:
        token = await api.token("rita")
        async with socket(api, protocol) as ws:
            assert (await init(ws, token))["type"] == "connection_ack"
            await start(ws, protocol, "1", SUB_ALL)
            await asyncio.sleep(0.2)  # the subscription is in place
            assert await revoke_tokens(api.runtime.pool, user_id=api.user("rita")) == 1
            # Events of the user's other clients must not reach the revoked socket.
            other = await api.token("rita")
            assert "errors" not in await api.gql(PING, token=other)
            code, reason = await closed_with(ws)
        assert code == 4401
        assert reason.startswith("Unauthorized")


async def test_revocation_closes_sockets_even_without_a_token_cache(
    start_api: ApiFactory,
) -> None:
    async with start_api(auth_cache_ttl_s=0) as api:
        token = await api.token("sam")
        async with socket(api, "graphql-transport-ws") as ws:
            assert (await init(ws, token))["type"] == "connection_ack"
            await revoke_tokens(api.runtime.pool, user_id=api.user("sam"))
            code, _ = await closed_with(ws)
        assert code == 4401


@pytest.mark.parametrize("protocol", PROTOCOLS)
async def test_every_operation_rechecks_the_socket_credentials(
    start_api: ApiFactory, service_urls: tuple[str, str], protocol: str
) -> None:
    # A better-auth session: signing out deletes its row and notifies nothing, so only the
    # check before each operation can notice (the periodic re-check is pushed out of reach).
    async with (
        fresh_database(service_urls[1]) as dsn,
        start_api(database_url=dsn, better_auth_enabled=True, ws_auth_recheck_s=3600) as api,
    ):
        await api.runtime.pool.execute(BETTER_AUTH_TABLES)
        session = await add_better_auth_session(
            api.runtime.pool, user_id="usr_ws", expires_in=timedelta(hours=1)
        )
        async with socket(api, protocol) as ws:
            assert (await init(ws, session))["type"] == "connection_ack"
            await start(ws, protocol, "1", PING)
            first = await recv(ws)
            assert first["type"] in ("next", "data"), first
            await api.runtime.pool.execute('delete from "session" where token = $1', session)
            await start(ws, protocol, "2", PING)
            code, reason = await closed_with(ws)
        assert code == 4401
        assert "Unauthorized" in reason
        tasks = await api.runtime.pool.fetchval(
            "select count(*) from tasks where user_id = 'usr_ws'"
        )
        assert tasks == 1  # the second pingTask never ran


@pytest.mark.parametrize("protocol", PROTOCOLS)
async def test_a_socket_that_never_sends_connection_init_is_closed(
    start_api: ApiFactory, protocol: str
) -> None:
    async with start_api(ws_init_timeout_s=0.5) as api, socket(api, protocol) as ws:
        code, reason = await closed_with(ws)
    assert code == 4408
    assert "initialisation timeout" in reason


async def test_a_user_over_the_connection_limit_is_refused_with_the_setting(
    start_api: ApiFactory,
) -> None:
    async with start_api(ws_max_connections_per_user=2) as api:
        token = await api.token("uma")
        async with (
            socket(api, "graphql-transport-ws") as one,
            socket(api, "graphql-ws") as two,
        ):
            assert (await init(one, token))["type"] == "connection_ack"
            assert (await init(two, token))["type"] == "connection_ack"
            async with socket(api, "graphql-transport-ws") as three:
                await three.send(
                    json.dumps(
                        {"type": "connection_init", "payload": {"token": token}},
                    )
                )
                code, reason = await closed_with(three)
            assert code == 4429
            assert "WS_MAX_CONNECTIONS_PER_USER" in reason
            # Another user is not affected.
            async with socket(api, "graphql-transport-ws") as other:
                assert (await init(other, await api.token("vic")))["type"] == "connection_ack"
        # Closed sockets free their places.
        async with socket(api, "graphql-transport-ws") as again:
            assert (await init(again, token))["type"] == "connection_ack"


async def test_an_address_over_the_connection_limit_is_refused_with_the_setting(
    start_api: ApiFactory,
) -> None:
    async with (
        start_api(ws_max_connections_per_address=2) as api,
        socket(api, "graphql-ws") as one,
        socket(api, "graphql-transport-ws") as two,
    ):
        async with socket(api, "graphql-ws") as three:
            code, reason = await closed_with(three)
        assert code == 4429
        assert "WS_MAX_CONNECTIONS_PER_ADDRESS" in reason
        await one.close()
        await two.close()
        await asyncio.sleep(0.2)  # the server saw them end
        token = await api.token("wes")
        async with socket(api, "graphql-transport-ws") as again:
            assert (await init(again, token))["type"] == "connection_ack"
