"""The per-request GraphQL context: the runtime and the caller."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from starlette.requests import Request
from starlette.responses import Response
from starlette.websockets import WebSocket

from atspro.auth import Principal, bearer_token
from atspro.errors import AuthError
from atspro.runtime import Runtime
from atspro.sockets import LiveSocket


@dataclass
class Context:
    """Reaches resolvers as ``info.context``."""

    runtime: Runtime
    request: Request | WebSocket
    response: Response | None = None
    # Set by the WebSocket protocols from the connection_init payload.
    connection_params: dict[str, Any] | None = None
    principal: Principal | None = field(default=None)
    # The registry's record of this WebSocket (set by atspro.ws_protocols).
    live_socket: LiveSocket | None = None

    async def user_id(self) -> str:
        """The caller's user id; raises AuthError without a valid token."""
        if self.principal is None:
            header: str | None
            if self.connection_params is not None:
                header = _param_header(self.connection_params)
                if header is None:
                    raise AuthError(
                        "no token in connection_init: send its payload as "
                        '{"Authorization": "Bearer <token>"}'
                    )
            else:
                header = self.request.headers.get("authorization")
            token = bearer_token(header)
            self.principal = await self.runtime.authenticate(token)
        return self.principal.user_id


def _param_header(params: dict[str, Any]) -> str | None:
    """The Authorization value from a WebSocket connection_init payload.

    Clients send it as ``{"Authorization": "Bearer ..."}`` (Apollo, urql, GraphiQL), some
    nested under ``headers``, some as a bare ``token``.
    """
    for source in (params, params.get("headers") or {}):
        if not isinstance(source, dict):
            continue
        for key, value in source.items():
            if key.lower() == "authorization" and isinstance(value, str):
                return value
    token = params.get("token") or params.get("authToken")
    if isinstance(token, str) and token:
        return f"Bearer {token}"
    return None


__all__ = ["Context"]
