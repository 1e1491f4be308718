"""The two GraphQL WebSocket protocols, as Strawberry speaks them with three changes.

- Legacy ``graphql-ws`` runs queries and mutations too, not only subscriptions: it is what
  Python's ``gql`` and older Apollo clients negotiate first, and they send every operation
  over it.
- A refused connection closes with a code and a reason on both protocols (4401 with
  "Unauthorized: ..."), where Strawberry closes with 4403 "Forbidden", or 1011 and no reason.
- A client's protocol mistake is one WARNING line, never an ERROR traceback, and the client
  is told what was wrong.
"""

from __future__ import annotations

import asyncio
import logging
from collections.abc import AsyncGenerator, Mapping
from contextlib import aclosing
from json import JSONDecodeError
from typing import Any

from starlette.websockets import WebSocketDisconnect, WebSocketState
from strawberry.asgi import ASGIWebSocketAdapter
from strawberry.http.exceptions import NonJsonMessageReceived, NonTextMessageReceived
from strawberry.subscriptions.protocols.graphql_transport_ws.handlers import (
    BaseGraphQLTransportWSHandler,
)
from strawberry.subscriptions.protocols.graphql_transport_ws.types import (
    ConnectionInitMessage as TransportInitMessage,
)
from strawberry.subscriptions.protocols.graphql_ws.handlers import BaseGraphQLWSHandler
from strawberry.subscriptions.protocols.graphql_ws.types import (
    ConnectionInitMessage,
    OperationMessage,
)
from strawberry.types.execution import ExecutionResult, PreExecutionError

from atspro.schema.context import Context

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


class TransportWSHandler(BaseGraphQLTransportWSHandler[Context, None]):
    """``graphql-transport-ws`` (Apollo, urql, graphql-ws): refusals and mistakes explained."""

    async def handle_connection_init(self, message: TransportInitMessage) -> None:
        try:
            await super().handle_connection_init(message)
        except ConnectionRefused as exc:
            await self.websocket.close(code=exc.code, reason=exc.reason)

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

    async def handle_connection_init(self, message: ConnectionInitMessage) -> None:
        try:
            await super().handle_connection_init(message)
        except ConnectionRefused as exc:
            # The protocol's own refusal first (clients read it), then a close that says why.
            await self.websocket.send_json({"type": "connection_error", "payload": exc.payload})
            await self.websocket.close(code=exc.code, reason=exc.reason)

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
