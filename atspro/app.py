"""The ASGI application: GraphQL (HTTP, WebSocket, multipart uploads), GraphiQL, health."""

from __future__ import annotations

import asyncio
import contextlib
import dataclasses
import gc
import logging
import sys
from collections.abc import AsyncIterator
from pathlib import Path
from typing import Any

import orjson
from cross_web import AsyncHTTPRequestAdapter, HTTPException
from graphql import GraphQLError, OperationType, get_operation_ast
from starlette.applications import Starlette
from starlette.datastructures import UploadFile
from starlette.middleware import Middleware
from starlette.middleware.cors import CORSMiddleware
from starlette.requests import Request
from starlette.responses import HTMLResponse, JSONResponse, RedirectResponse, Response
from starlette.routing import Mount, Route, WebSocketRoute
from starlette.staticfiles import StaticFiles
from starlette.types import Receive, Scope, Send
from starlette.websockets import WebSocket
from strawberry.asgi import GraphQL
from strawberry.http import GraphQLRequestData
from strawberry.http.parse_content_type import parse_content_type
from strawberry.subscriptions import GRAPHQL_TRANSPORT_WS_PROTOCOL, GRAPHQL_WS_PROTOCOL
from strawberry.types import ExecutionResult

from atspro import graphiql
from atspro.auth import Principal, bearer_token
from atspro.body_limit import BodyLimit
from atspro.db.migrate import pending_migrations
from atspro.downloads import render_download
from atspro.errors import ATSProError, AuthError
from atspro.persisted_queries import PersistedQueries, PersistedQueryError
from atspro.runtime import Runtime, open_runtime
from atspro.schema import ATSProSchema, build_schema
from atspro.schema.context import Context
from atspro.settings import Settings
from atspro.workers.handlers import default_registry
from atspro.workers.registry import HandlerRegistry
from atspro.ws_protocols import (
    ConnectionRefused,
    LegacyWSHandler,
    TransportWSHandler,
    WebSocketAdapter,
    close_reason,
)

log = logging.getLogger(__name__)

GRAPHQL_PATH = "/graphql"
# Where a request's confirmed caller waits for its GraphQL context (scope["state"]).
PRINCIPAL_STATE = "atspro.principal"
ASSETS_PATH = "/graphiql-assets"
DASHBOARD_PATH = "/dashboard"
DASHBOARD_DIR = Path(__file__).parent / "static" / "dashboard"

# What browser apps send: Apollo adds the last two to uploads (CSRF prevention).
CORS_HEADERS = [
    "Authorization",
    "Content-Type",
    "Apollo-Require-Preflight",
    "X-Apollo-Operation-Name",
]


class GraphQLApp(GraphQL[Context, None]):
    """Strawberry's ASGI view with our context, WebSocket auth and offline GraphiQL.

    Cross-origin WebSocket handshakes are checked against ``allowed_origins`` by Strawberry;
    requests without an Origin (not a browser) and same-origin pages always pass.
    """

    websocket_adapter_class = WebSocketAdapter
    graphql_transport_ws_handler_class = TransportWSHandler
    graphql_ws_handler_class = LegacyWSHandler

    def __init__(self, holder: dict[str, Runtime], *, schema: ATSProSchema, **kwargs: Any) -> None:
        super().__init__(schema=schema, **kwargs)
        self._holder = holder
        self._documents = schema.documents
        self._persisted = PersistedQueries()
        # HTTP requests without a confirmed token (no Authorization header, or one the
        # database does not know: introspection, GraphiQL, any attacker) run one at a time,
        # their bodies unread while they wait, so any number of such clients costs the event
        # loop and the parse thread what one costs. A made-up header does not skip the line.
        self._anonymous = asyncio.Semaphore(1)

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        """Strawberry's view, with its refusals (400, 405 ...) as GraphQL-shaped JSON."""
        if scope["type"] != "http":
            await super().__call__(scope, receive, send)
            return
        if await self._confirmed(scope) is None:
            async with self._anonymous:
                await self._answer(scope, receive, send)
            return
        await self._answer(scope, receive, send)

    async def _confirmed(self, scope: Scope) -> Principal | None:
        """The caller of a request whose bearer token the database confirmed, else None.

        Kept in the request's state, so the resolvers' own check reuses it. A bad token is
        not refused here: the request then runs as an anonymous one and its resolvers answer
        as they would (introspection stays open).
        """
        header = next((v for k, v in scope["headers"] if k == b"authorization"), None)
        runtime = self._holder.get("runtime")
        if header is None or runtime is None:
            return None
        try:
            principal = await runtime.authenticate(bearer_token(header.decode("latin-1")))
        except ATSProError:
            return None
        scope.setdefault("state", {})[PRINCIPAL_STATE] = principal
        return principal

    async def _answer(self, scope: Scope, receive: Receive, send: Send) -> None:
        try:
            response = await self.run(Request(scope=scope, receive=receive))
        except HTTPException as exc:
            # The client's fault, answered in words: one line in the log, no traceback.
            log.warning("refused a GraphQL request with %d: %s", exc.status_code, exc.reason)
            error = {"message": exc.reason, "extensions": {"code": "BAD_REQUEST"}}
            response = JSONResponse({"data": None, "errors": [error]}, exc.status_code)
        await response(scope, receive, send)

    async def parse_http_body(
        self, request: AsyncHTTPRequestAdapter
    ) -> GraphQLRequestData | list[GraphQLRequestData]:
        content_type, _ = parse_content_type(request.content_type or "")
        if request.method == "POST" and "application/json" in content_type:
            body = (await request.get_body()).lstrip()
            # Strawberry takes any JSON value and fails on null or a number with a 500; an
            # object (or a batch list) starts with a brace, so only the rest is decoded here.
            if not body.startswith((b"{", b"[")):
                self.parse_json(body)
                raise HTTPException(
                    400, 'The request body must be a JSON object like {"query": "{ ... }"}.'
                )
        return await super().parse_http_body(request)

    async def execute_single(
        self,
        request: Request,
        request_adapter: AsyncHTTPRequestAdapter,
        sub_response: Response,
        context: Context,
        root_value: None,
        request_data: GraphQLRequestData,
    ) -> ExecutionResult:
        """Prepares the query first (off the loop when long): refusals never reach the schema.

        A request with Apollo's ``persistedQuery`` extension runs the query stored under its
        hash, or registers the query it carries (atspro/persisted_queries.py).
        """
        query = request_data.query
        try:
            persisted = self._persisted.resolve(query, request_data.extensions)
        except PersistedQueryError as exc:
            # Apollo's upload after an unknown hash: the file comes again with the query.
            await _close_uploads(request_data.variables)
            error = GraphQLError(exc.message, extensions={"code": exc.code})
            return ExecutionResult(data=None, errors=[error])
        if persisted is not None:
            query = persisted.query
            request_data = dataclasses.replace(request_data, query=query)
        if isinstance(query, str):
            prepared = await self._documents.prepare(query)
            if prepared.document is None:
                await _close_uploads(request_data.variables)
                return ExecutionResult(data=None, errors=list(prepared.errors))
            if persisted is not None:
                self._persisted.store(persisted)
            operation = _operation(prepared.document, request_data.operation_name)
            if operation is OperationType.SUBSCRIPTION:
                raise HTTPException(
                    400,
                    "Subscriptions run over WebSocket (graphql-transport-ws or graphql-ws) "
                    f"at {GRAPHQL_PATH}, not over HTTP.",
                )
        return await super().execute_single(
            request, request_adapter, sub_response, context, root_value, request_data
        )

    async def get_context(
        self, request: Request | WebSocket, response: Response | WebSocket | None = None
    ) -> Context:
        return Context(
            runtime=self._holder["runtime"],
            request=request,
            response=response if isinstance(response, Response) else None,
            principal=request.scope.get("state", {}).get(PRINCIPAL_STATE),
        )

    # orjson instead of the json module: a tenth of the time on every request and message.
    def decode_json(self, data: str | bytes) -> object:
        return orjson.loads(data)

    def encode_json(self, data: object) -> str:
        # Text, not bytes: Strawberry sends bytes over a WebSocket as binary frames, which
        # GraphQL WebSocket clients do not read.
        return orjson.dumps(data).decode()

    async def on_ws_connect(self, context: Context) -> dict[str, object] | None:
        """Authenticate the WebSocket from its connection_init payload."""
        try:
            await context.user_id()
        except AuthError as exc:
            payload = {"message": exc.message, "code": exc.code}
            raise ConnectionRefused(4401, f"Unauthorized: {exc.message}", payload) from exc
        except ATSProError as exc:
            # PostgreSQL down: 1013 "try again later", not the client's fault.
            payload = {"message": exc.message, "code": exc.code}
            raise ConnectionRefused(1013, exc.message, payload) from exc
        return None

    async def reject_websocket(self, request: WebSocket) -> WebSocket:
        """Close a handshake from a disallowed origin with 4403 and the reason.

        Accepted first: a page sees only the close code and reason, never the HTTP status
        of a refused handshake (a bare 1006). Nothing is read from the socket.
        """
        await request.accept(subprotocol=await self.pick_websocket_subprotocol(request))
        origin = request.headers.get("origin", "")
        reason = close_reason(f"Forbidden: origin {origin} is not in CORS_ALLOW_ORIGINS")
        await request.close(code=4403, reason=reason)
        return request

    async def render_graphql_ide(self, request: Request) -> HTMLResponse:
        return HTMLResponse(
            graphiql.graphiql_html(graphql_path=GRAPHQL_PATH, assets_path=ASSETS_PATH)
        )


async def _close_uploads(value: object) -> None:
    """Closes the uploaded files of a request refused before any resolver (which closes them)."""
    if isinstance(value, UploadFile):
        await value.close()
    elif isinstance(value, dict):
        for item in value.values():
            await _close_uploads(item)
    elif isinstance(value, list):
        for item in value:
            await _close_uploads(item)


def _operation(document: Any, operation_name: str | None) -> OperationType | None:
    """The type of the operation the request selects, when there is exactly one."""
    try:
        operation = get_operation_ast(document, operation_name)
    except GraphQLError:
        return None
    return operation.operation if operation is not None else None


def create_app(
    settings: Settings,
    *,
    registry: HandlerRegistry | None = None,
    run_workers: bool | None = None,
) -> Starlette:
    """The application; connections open in its lifespan and close on shutdown."""
    holder: dict[str, Runtime] = {}
    registry = registry or default_registry()
    workers = settings.run_workers_in_api if run_workers is None else run_workers

    @contextlib.asynccontextmanager
    async def lifespan(app: Starlette) -> AsyncIterator[None]:
        async with open_runtime(settings, registry=registry, run_workers=workers) as runtime:
            holder["runtime"] = runtime
            app.state.runtime = runtime
            # Startup objects (modules, schema, vocabularies) live for the whole process:
            # out of the collector's sight, a full collection takes ~0 ms instead of ~80 ms
            # (which was the p99 of every request).
            gc.freeze()
            # Long documents are parsed in a thread; the event loop gets the interpreter back
            # from it within 1 ms instead of 5 (each I/O wait of a request pays that delay).
            sys.setswitchinterval(0.001)
            yield
            holder.pop("runtime", None)

    graphql_app = GraphQLApp(
        holder,
        schema=build_schema(settings),
        subscription_protocols=(GRAPHQL_TRANSPORT_WS_PROTOCOL, GRAPHQL_WS_PROTOCOL),
        multipart_uploads_enabled=True,
        allowed_origins=settings.cors_allow_origins,
    )

    async def healthz(request: Request) -> JSONResponse:
        """The process is up."""
        return JSONResponse({"status": "ok"})

    async def readyz(request: Request) -> JSONResponse:
        """Redis, PostgreSQL and the document store in use answer; the schema is up to date."""
        runtime = holder.get("runtime")
        checks: dict[str, str] = {}
        if runtime is None:
            return JSONResponse({"status": "starting"}, status_code=503)
        try:
            await runtime.redis.ping()
            checks["redis"] = "ok"
        except Exception as exc:
            checks["redis"] = f"unreachable: {type(exc).__name__}"
        try:
            pending = await pending_migrations(runtime.pool)
            checks["postgres"] = "ok"
            checks["migrations"] = "ok" if not pending else f"pending: {', '.join(pending)}"
        except Exception as exc:
            checks["postgres"] = f"unreachable: {type(exc).__name__}"
        store = f"documents ({runtime.settings.document_store})"
        try:
            await runtime.documents.ping()
            checks[store] = "ok"
        except Exception as exc:
            checks[store] = f"unreachable: {type(exc).__name__}"
        try:
            # A Redis that restarted without its data has none until a worker's next read.
            missing = await runtime.queue.missing_groups()
            checks["queue groups"] = (
                "ok" if not missing else "missing: " + ", ".join(p.label for p in missing)
            )
        except Exception as exc:
            checks["queue groups"] = f"unreachable: {type(exc).__name__}"
        ready = all(v == "ok" for v in checks.values()) and len(checks) == 5
        return JSONResponse(
            {"status": "ready" if ready else "not ready", "checks": checks},
            status_code=200 if ready else 503,
        )

    async def download(request: Request) -> Response:
        """A generated document as Markdown, HTML, DOCX or PDF (same Bearer token)."""
        runtime = holder["runtime"]
        return await render_download(runtime, request)

    async def home(request: Request) -> RedirectResponse:
        """Browsers landing on the root get the dashboard (GraphiQL is linked from it)."""
        return RedirectResponse(DASHBOARD_PATH + "/")

    return Starlette(
        routes=[
            # The API first: Starlette tries routes in order on every request.
            Route(GRAPHQL_PATH, graphql_app, methods=["GET", "POST"]),
            WebSocketRoute(GRAPHQL_PATH, graphql_app),
            Route("/documents/{doc_id}/download", download),
            Route("/healthz", healthz),
            Route("/readyz", readyz),
            Route("/", home),
            Mount(ASSETS_PATH, app=graphiql.assets_app()),
            # Static files only (ES modules, no build step); it calls /graphql like any client.
            Mount(DASHBOARD_PATH, app=StaticFiles(directory=DASHBOARD_DIR, html=True)),
        ],
        middleware=[
            # Outermost: an oversized body is refused before anything reads it.
            Middleware(
                BodyLimit,
                max_bytes=settings.max_request_bytes,
                max_multipart_bytes=settings.max_upload_bytes + settings.max_request_bytes,
            ),
            # Only origins listed may call the API from a browser (preflight answered);
            # tokens travel in a header, so no credentials mode. Same-origin is untouched.
            Middleware(
                CORSMiddleware,
                allow_origins=settings.cors_allow_origins,
                allow_methods=["GET", "POST"],
                allow_headers=CORS_HEADERS,
                expose_headers=["Content-Disposition"],
            ),
        ],
        lifespan=lifespan,
    )
