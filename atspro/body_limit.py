"""Request bodies capped while they arrive: 413 before an oversized body is read or spooled.

Starlette reads a JSON body whole into memory and spools multipart files to disk before the
application sees them, so a size check in a resolver comes after the cost. This middleware
answers 413 when ``Content-Length`` says the body is too large, without reading it, and stops
a body without one (chunked) at the first chunk past the cap.
"""

from __future__ import annotations

import logging

import orjson
from starlette.types import ASGIApp, Message, Receive, Scope, Send

log = logging.getLogger(__name__)


class _BodyTooLarge(Exception):
    """Raised out of ``receive`` to unwind the application reading an oversized body."""


class BodyLimit:
    """Pure ASGI middleware: JSON (and other) bodies up to ``max_bytes``, multipart up to
    ``max_multipart_bytes``."""

    def __init__(self, app: ASGIApp, *, max_bytes: int, max_multipart_bytes: int) -> None:
        self.app = app
        self.max_bytes = max_bytes
        self.max_multipart_bytes = max_multipart_bytes

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        headers = dict(scope["headers"])
        content_type = headers.get(b"content-type", b"").lower()
        multipart = content_type.startswith(b"multipart/")
        cap = self.max_multipart_bytes if multipart else self.max_bytes
        declared = headers.get(b"content-length")
        if declared is not None and (not declared.isdigit() or int(declared) > cap):
            await _refuse(send, cap)
            return

        received = 0
        started = False

        async def capped_receive() -> Message:
            nonlocal received
            message = await receive()
            if message["type"] == "http.request":
                received += len(message.get("body", b""))
                if received > cap:
                    raise _BodyTooLarge
            return message

        async def tracked_send(message: Message) -> None:
            nonlocal started
            started = started or message["type"] == "http.response.start"
            await send(message)

        try:
            await self.app(scope, capped_receive, tracked_send)
        except _BodyTooLarge:
            if started:
                raise
            await _refuse(send, cap)


async def _refuse(send: Send, cap: int) -> None:
    # Logged as a warning: a client's mistake or an attack, not an error of the service.
    log.warning("refused a request body over %d bytes with 413", cap)
    body = orjson.dumps(
        {
            "data": None,
            "errors": [
                {
                    "message": f"The request body is larger than {cap} bytes.",
                    "extensions": {"code": "PAYLOAD_TOO_LARGE"},
                }
            ],
        }
    )
    await send(
        {
            "type": "http.response.start",
            "status": 413,
            "headers": [
                (b"content-type", b"application/json"),
                (b"content-length", str(len(body)).encode()),
                # The rest of the body is never read: the connection cannot be reused.
                (b"connection", b"close"),
            ],
        }
    )
    await send({"type": "http.response.body", "body": body})
