"""The two GraphQL WebSocket protocols, as Strawberry speaks them with three changes.

- Legacy ``graphql-ws`` runs queries and mutations too, not only subscriptions: it is what
  Python's ``gql`` and older Apollo clients negotiate first, and they send every operation
  over it.
- A refused connection closes with a code and a reason on both protocols (4401 with
  "Unauthorized: ..."), where Strawberry closes with 4403 "Forbidden", or 1011 and no reason.
- A client's protocol mistake is one WARNING line, never an ERROR traceback, and the client
  is told what was wrong.
- Every socket is registered with the runtime's SocketRegistry: limits per address (4429 on
  accept) and per user (4429 at connection_init, see the view's ``on_ws_connect``), its
  credentials re-checked before every operation it starts and whenever the registry asks
  (a revoked token closes it with 4401). Both protocols close a socket that sent no
  connection_init within WS_INIT_TIMEOUT_S (4408); Strawberry's legacy handler had none.
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
from collections.abc import AsyncGenerator, Mapping
from contextlib import aclosing
from datetime import timedelta
from json import JSONDecodeError
from typing import Any

from starlette.websockets import WebSocketDisconnect, WebSocketState
from strawberry.asgi import ASGIWebSocketAdapter
from strawberry.http.async_base_view import AsyncWebSocketAdapter
from strawberry.http.exceptions import NonJsonMessageReceived, NonTextMessageReceived
from strawberry.subscriptions.protocols.graphql_transport_ws.handlers import (
    BaseGraphQLTransportWSHandler,
)
from strawberry.subscriptions.protocols.graphql_transport_ws.types import (
    ConnectionInitMessage as TransportInitMessage,
)
from strawberry.subscriptions.protocols.graphql_transport_ws.types import (
    SubscribeMessage,
)
from strawberry.subscriptions.protocols.graphql_ws.handlers import BaseGraphQLWSHandler
from strawberry.subscriptions.protocols.graphql_ws.types import (
    ConnectionInitMessage,
    OperationMessage,
    StartMessage,
)
from strawberry.types.execution import ExecutionResult, PreExecutionError

from atspro.auth import Principal
from atspro.errors import ATSProError, AuthError, QuotaExceeded
from atspro.schema.context import Context
from atspro.sockets import CLOSE_TOO_MANY, CLOSE_UNAUTHORIZED, LiveSocket

log = logging.getLogger(__name__)

# RFC 6455 leaves 123 bytes for a close frame's reason.
_MAX_REASON_BYTES = 123

# Messages a graphql-ws client may send (subscriptions-transport-ws PROTOCOL.md).
_LEGACY_CLIENT_TYPES = frozenset({"connection_init", "start", "stop", "connection_terminate"})


class ConnectionRefused(Exception):
    """Raised by the view's ``on_ws_connect``: the handler closes with ``code`` and ``reason``.

    Not Strawberry's ConnectionRejectionError: its handlers catch that one themselves and
    close with a fixed code and no useful reason.
    """

    def __init__(self, code: int, reason: str, payload: Mapping[str, object]) -> None:
        super().__init__(reason)
        self.code = code
        self.reason = close_reason(reason)
        self.payload = dict(payload)


def close_reason(text: str) -> str:
    """``text`` cut to fit a close frame (a longer one makes the close itself fail)."""
    return text.encode()[:_MAX_REASON_BYTES].decode(errors="ignore")


class WebSocketAdapter(ASGIWebSocketAdapter):
    """Strawberry's adapter; a frame that is not JSON is logged before graphql-ws drops it."""

    async def iter_json(
        self, *, ignore_parsing_errors: bool = False
    ) -> AsyncGenerator[object, None]:
        # Strawberry's loop, with a warning where it skipped the frame without a word.
        try:
            while self.ws.application_state != WebSocketState.DISCONNECTED:
                try:
                    text = await self.ws.receive_text()
                    message = self.view.decode_json(text)
                except JSONDecodeError as exc:
                    if not ignore_parsing_errors:
                        raise NonJsonMessageReceived from exc
                    log.warning("graphql-ws client sent a frame that is not JSON; ignored")
                    continue
                yield message
        except KeyError as exc:
            # receive_text() on a binary frame.
            raise NonTextMessageReceived from exc
        except WebSocketDisconnect:
            pass


async def _register(context: Context, websocket: AsyncWebSocketAdapter, sock: LiveSocket) -> bool:
    """Add the socket to the registry; False (and closed with 4429) when over a limit."""
    try:
        context.runtime.sockets.add(sock)
    except QuotaExceeded as exc:
        log.warning("WebSocket refused: %s", exc.message)
        await websocket.close(code=CLOSE_TOO_MANY, reason=close_reason(exc.message))
        return False
    context.live_socket = sock
    return True


async def _bind(context: Context, websocket: AsyncWebSocketAdapter, payload: object) -> bool:
    """Authenticate from a connection_init payload and count the socket against its user.

    Runs before Strawberry's own handling (whose ``on_ws_connect`` then finds the caller
    known), so a user over the limit is refused before any connection_ack. False (and
    closed with 4429) when over it; a refused token is left to ``on_ws_connect`` to explain.
    """
    sock = context.live_socket
    if sock is None or sock.principal is not None or not isinstance(payload, dict):
        return True
    context.connection_params = payload
    try:
        await context.user_id()
        assert context.principal is not None
        context.runtime.sockets.bind(sock, context.principal)
    except QuotaExceeded as exc:
        log.warning("WebSocket refused: %s", exc.message)
        await websocket.close(code=CLOSE_TOO_MANY, reason=close_reason(exc.message))
        return False
    except ATSProError:
        pass
    return True


async def _reauthenticate(context: Context) -> Principal:
    """The socket's credentials checked again now (the token cache answers when it can)."""
    context.principal = None
    await context.user_id()
    assert context.principal is not None
    return context.principal


async def _authorized(context: Context) -> bool:
    """Re-check before an operation; close the socket with 4401 when the check fails."""
    sock = context.live_socket
    if sock is None:
        return True
    try:
        principal = await _reauthenticate(context)
    except AuthError as exc:
        await context.runtime.sockets.close_socket(
            sock, CLOSE_UNAUTHORIZED, close_reason(f"Unauthorized: {exc.message}")
        )
        return False
    except ATSProError:
        # PostgreSQL away: the operation fails on its own; an outage is not a revocation.
        return True
    sock.principal = principal
    return True


def _address(context: Context) -> str:
    client = context.request.client
    return client.host if client is not None else "unknown"


class TransportWSHandler(BaseGraphQLTransportWSHandler[Context, None]):
    """``graphql-transport-ws`` (Apollo, urql, graphql-ws): refusals and mistakes explained."""

    async def handle(self) -> None:
        self.connection_init_wait_timeout = timedelta(
            seconds=self.context.runtime.settings.ws_init_timeout_s
        )
        sock = LiveSocket(
            address=_address(self.context),
            recheck=lambda: _reauthenticate(self.context),
            close=self._close_socket,
        )
        if not await _register(self.context, self.websocket, sock):
            return
        try:
            await super().handle()
        finally:
            self.context.runtime.sockets.remove(sock)

    async def _close_socket(self, code: int, reason: str) -> None:
        # Operations first: nothing more is sent once the credentials stopped holding.
        for operation_id in list(self.operations):
            await self.cleanup_operation(operation_id)
        await self.websocket.close(code=code, reason=close_reason(reason))

    async def handle_connection_init(self, message: TransportInitMessage) -> None:
        if not self.connection_init_received and not await _bind(
            self.context, self.websocket, message.get("payload", {})
        ):
            return
        try:
            await super().handle_connection_init(message)
        except ConnectionRefused as exc:
            await self.websocket.close(code=exc.code, reason=exc.reason)

    async def handle_subscribe(self, message: SubscribeMessage) -> None:
        if self.connection_acknowledged and not await _authorized(self.context):
            return
        await super().handle_subscribe(message)

    async def handle_invalid_message(self, error_message: str) -> None:
        log.warning("graphql-transport-ws client error: %s; closing with 4400", error_message)
        await super().handle_invalid_message(close_reason(error_message))


class LegacyWSHandler(BaseGraphQLWSHandler[Context, None]):
    """Legacy ``graphql-ws``: every operation type, refusals and mistakes explained."""

    async def handle_message(self, message: OperationMessage) -> None:
        # Strawberry indexes messages blindly: a missing key was an ERROR traceback.
        problem = _legacy_message_problem(message)
        if problem is None:
            await super().handle_message(message)
            return
        log.warning("graphql-ws client error: %s", problem)
        op_id = message.get("id") if isinstance(message, dict) else None
        error: dict[str, object] = {"type": "error", "payload": {"message": problem}}
        if isinstance(op_id, str):
            error["id"] = op_id
        await self.websocket.send_json(error)

    async def handle(self) -> None:
        sock = LiveSocket(
            address=_address(self.context),
            recheck=lambda: _reauthenticate(self.context),
            close=self._close_socket,
        )
        if not await _register(self.context, self.websocket, sock):
            return
        self._init_received = False
        timeout = asyncio.create_task(self._init_timeout(), name="atspro-ws-init-timeout")
        try:
            await super().handle()
        finally:
            timeout.cancel()
            with contextlib.suppress(asyncio.CancelledError):
                await timeout
            self.context.runtime.sockets.remove(sock)

    async def _init_timeout(self) -> None:
        # Strawberry's legacy handler waits for connection_init forever: a silent client
        # would hold a socket (and a file descriptor) for as long as it likes.
        await asyncio.sleep(self.context.runtime.settings.ws_init_timeout_s)
        if not self._init_received:
            log.warning("graphql-ws client sent no connection_init in time; closing with 4408")
            with contextlib.suppress(Exception):
                await self.websocket.close(code=4408, reason="Connection initialisation timeout")

    async def _close_socket(self, code: int, reason: str) -> None:
        # Operations first: nothing more is sent once the credentials stopped holding.
        for operation_id in list(self.tasks):
            await self.cleanup_operation(operation_id)
        await self.websocket.close(code=code, reason=close_reason(reason))

    async def handle_connection_init(self, message: ConnectionInitMessage) -> None:
        self._init_received = True
        if not await _bind(self.context, self.websocket, message.get("payload")):
            return
        try:
            await super().handle_connection_init(message)
        except ConnectionRefused as exc:
            # The protocol's own refusal first (clients read it), then a close that says why.
            await self.websocket.send_json({"type": "connection_error", "payload": exc.payload})
            await self.websocket.close(code=exc.code, reason=exc.reason)

    async def handle_start(self, message: StartMessage) -> None:
        if self.connection_acknowledged and not await _authorized(self.context):
            return
        await super().handle_start(message)

    async def handle_async_results(
        self,
        operation_id: str,
        query: str,
        operation_name: str | None,
        variables: dict[str, object] | None,
    ) -> None:
        # Strawberry's method with ``schema.stream`` (any operation type) in place of
        # ``schema.subscribe``, which answers a query with "queries are not allowed".
        try:
            result_source = await self.schema.stream(
                query=query,
                variable_values=variables,
                operation_name=operation_name,
                context_value=self.context,
                root_value=self.root_value,
            )
            self.subscriptions[operation_id] = result_source
            first = True
            async with aclosing(result_source):
                async for result in result_source:
                    if not isinstance(result, ExecutionResult):  # pragma: no cover
                        # @defer/@stream frames: the schema does not enable them.
                        await self._send_error(operation_id, "incremental delivery is off")
                        return
                    if first and isinstance(result, PreExecutionError) and result.errors:
                        await self._send_error(operation_id, result.errors[0].formatted)
                        return
                    await self.send_data_message(result, operation_id)
                    first = False
            await self.send_message({"type": "complete", "id": operation_id})
        except asyncio.CancelledError:
            await self.send_message({"type": "complete", "id": operation_id})
        finally:
            self.subscriptions.pop(operation_id, None)
            self.tasks.pop(operation_id, None)

    async def _send_error(self, operation_id: str, error: Mapping[str, Any] | str) -> None:
        payload = {"message": error} if isinstance(error, str) else dict(error)
        await self.websocket.send_json({"type": "error", "id": operation_id, "payload": payload})


def _legacy_message_problem(message: object) -> str | None:
    """What is wrong with a graphql-ws client message, or None when it can be handled."""
    if not isinstance(message, dict):
        return "a message must be a JSON object"
    kind = message.get("type")
    if kind not in _LEGACY_CLIENT_TYPES:
        return f"unknown message type {kind!r}"
    if kind in ("start", "stop") and not isinstance(message.get("id"), str):
        return f"a {kind} message needs a string id"
    payload = message.get("payload")
    if kind == "start" and not (
        isinstance(payload, dict) and isinstance(payload.get("query"), str)
    ):
        return "a start message needs a payload with a query"
    return None
