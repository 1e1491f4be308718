"""A real HTTP server on 127.0.0.1 for job-page tests, and the shared sample data."""

from __future__ import annotations

import threading
import time
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

import pytest


@dataclass
class Reply:
    """What the server answers for one path."""

    body: bytes = b""
    status: int = 200
    headers: dict[str, str] = field(default_factory=lambda: {"Content-Type": "text/html"})
    delay_s: float = 0.0


Route = Reply | Callable[[str], Reply]


class PageServer:
    """ThreadingHTTPServer serving ``routes``; ``hits`` records every request path."""

    def __init__(self, host: str = "127.0.0.1") -> None:
        self.routes: dict[str, Route] = {}
        self.hits: list[str] = []
        self.user_agents: list[str] = []
        self.accept_encodings: list[str] = []
        server = self

        class Handler(BaseHTTPRequestHandler):
            def do_GET(self) -> None:
                server.hits.append(self.path)
                server.user_agents.append(self.headers.get("User-Agent", ""))
                server.accept_encodings.append(self.headers.get("Accept-Encoding", ""))
                route = server.routes.get(self.path) or server.routes.get(self.path.split("?")[0])
                reply = (route(self.path) if callable(route) else route) or Reply(
                    b"not found", 404, {"Content-Type": "text/plain"}
                )
                if reply.delay_s:
                    time.sleep(reply.delay_s)
                try:
                    self.send_response(reply.status)
                    headers = dict(reply.headers)
                    if not headers.pop("X-No-Length", ""):
                        headers.setdefault("Content-Length", str(len(reply.body)))
                    headers.pop("X-No-Type", None)
                    for name, value in headers.items():
                        self.send_header(name, value)
                    self.end_headers()
                    self.wfile.write(reply.body)
                except (BrokenPipeError, ConnectionResetError):
                    pass

            def log_message(self, format: str, *args: object) -> None:
                del format, args

        self._httpd = ThreadingHTTPServer((host, 0), Handler)
        self._httpd.daemon_threads = True
        self.host = host
        self.port = self._httpd.server_address[1]
        self._thread = threading.Thread(
            target=self._httpd.serve_forever, kwargs={"poll_interval": 0.02}, daemon=True
        )

    def url(self, path: str, host: str | None = None) -> str:
        """The absolute URL of ``path`` on this server."""
        return f"http://{host or self.host}:{self.port}{path}"

    def start(self) -> None:
        self._thread.start()

    def stop(self) -> None:
        self._httpd.shutdown()
        self._httpd.server_close()


@pytest.fixture
def server() -> Iterator[PageServer]:
    """An allowed page server on 127.0.0.1."""
    srv = PageServer()
    srv.start()
    yield srv
    srv.stop()
