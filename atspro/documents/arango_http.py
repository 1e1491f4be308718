"""The HTTP client ``ArangoDocumentStore`` gives the ArangoDB driver.

Imported only when an ArangoDB store is opened (it needs the ``arango`` extra).
"""

from __future__ import annotations

import base64
from typing import Any

from arangoasync.http import AioHTTPClient
from arangoasync.request import Request
from arangoasync.response import Response


class HeaderAuthHTTPClient(AioHTTPClient):  # type: ignore[misc]
    """The driver's aiohttp client, sending basic auth as a plain header.

    The stock client builds ``aiohttp.BasicAuth``, deprecated since aiohttp 3.14; the
    header is what that class would have produced.
    """

    async def send_request(self, session: Any, request: Request) -> Response:
        """Move ``request.auth`` into an Authorization header, then send."""
        if request.auth is not None:
            auth = request.auth
            token = f"{auth.username}:{auth.password}".encode(auth.encoding)
            request.headers["authorization"] = "Basic " + base64.b64encode(token).decode()
            request.auth = None
        return await super().send_request(session, request)
