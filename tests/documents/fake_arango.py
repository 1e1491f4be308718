"""A FAKE ArangoDB HTTP server, for tests only.

The real ArangoDB server cannot run on this machine (no registry we can reach ships one:
Debian has no arangodb package, and PyPI/npm only carry drivers), so this Starlette app
implements just the REST endpoints ``ArangoDocumentStore`` calls: database, collection and
index creation, document get/insert/delete, and ``/_api/cursor`` for exactly the AQL
shapes the store sends (anything else is answered with a parse error). Data lives in
memory. The same contract suite also runs against a real server when TEST_ARANGO_URL
is set.
"""

from __future__ import annotations

import asyncio
import base64
import contextlib
import itertools
import socket
from collections.abc import Iterator
from dataclasses import dataclass, field
from typing import Any

import uvicorn
from starlette.applications import Starlette
from starlette.requests import Request
from starlette.responses import JSONResponse
from starlette.routing import Route

from atspro.documents.arango import COUNT_AQL, DELETE_EXPIRED_AQL, LIST_AQL, UPSERT_AQL

_ERR_COLLECTION_NOT_FOUND = 1203
_ERR_DOCUMENT_NOT_FOUND = 1202
_ERR_DUPLICATE_NAME = 1207
_ERR_DATABASE_NOT_FOUND = 1228
_ERR_QUERY_PARSE = 1501


def _squash(aql: str) -> str:
    return " ".join(aql.split())


def _error(status: int, num: int, message: str) -> JSONResponse:
    body = {"error": True, "code": status, "errorNum": num, "errorMessage": message}
    return JSONResponse(body, status_code=status)


@dataclass
class FakeArangoState:
    """Everything the fake keeps: ``databases[db][collection][key] = document``."""

    username: str
    password: str
    databases: dict[str, dict[str, dict[str, dict[str, Any]]]] = field(
        default_factory=lambda: {"_system": {}}
    )
    indexes: dict[tuple[str, str], list[dict[str, Any]]] = field(default_factory=dict)
    revisions: itertools.count[int] = field(default_factory=itertools.count)
    queries: list[str] = field(default_factory=list)
    bind_vars: list[dict[str, Any]] = field(default_factory=list)
    # Fault switches for tests: answer every request with this status; refuse the
    # database API (as for a user without access to _system); pretend collections are
    # missing (as when another process creates them at the same moment).
    fail_status: int | None = None
    forbid_database_api: bool = False
    hide_collections: bool = False
    # The next this-many queries fail with a write-write conflict (ERR 1200).
    conflicts: int = 0


def build_app(state: FakeArangoState) -> Starlette:
    """The Starlette app serving the fake's endpoints over ``state``."""
    shapes = {
        _squash(UPSERT_AQL): _run_upsert,
        _squash(LIST_AQL): _run_list,
        _squash(DELETE_EXPIRED_AQL): _run_delete_expired,
        _squash(COUNT_AQL): _run_count,
    }

    def authorised(request: Request) -> bool:
        header = request.headers.get("authorization", "")
        expected = base64.b64encode(f"{state.username}:{state.password}".encode()).decode()
        return header == f"Basic {expected}"

    def database(request: Request) -> dict[str, dict[str, dict[str, Any]]]:
        # Only called after ``guard`` has checked that the database exists.
        return state.databases[request.path_params["db"]]

    async def guard(request: Request) -> JSONResponse | None:
        if state.fail_status is not None:
            return _error(state.fail_status, 503, "the fake was told to fail")
        if not authorised(request):
            return _error(401, 11, "not authorized to execute this request")
        if request.path_params["db"] not in state.databases:
            return _error(404, _ERR_DATABASE_NOT_FOUND, "database not found")
        return None

    async def list_databases(request: Request) -> JSONResponse:
        if (denied := await guard(request)) is not None:
            return denied
        if state.forbid_database_api:
            return _error(403, 11, "forbidden")
        return JSONResponse({"error": False, "code": 200, "result": list(state.databases)})

    async def create_database(request: Request) -> JSONResponse:
        if (denied := await guard(request)) is not None:
            return denied
        name = (await request.json())["name"]
        if name in state.databases:
            return _error(409, _ERR_DUPLICATE_NAME, "duplicate database name")
        state.databases[name] = {}
        return JSONResponse({"error": False, "code": 201, "result": True}, status_code=201)

    async def get_collection(request: Request) -> JSONResponse:
        if (denied := await guard(request)) is not None:
            return denied
        name = request.path_params["name"]
        if state.hide_collections or name not in database(request):
            return _error(404, _ERR_COLLECTION_NOT_FOUND, "collection or view not found")
        return JSONResponse({"error": False, "code": 200, "name": name, "type": 2})

    async def create_collection(request: Request) -> JSONResponse:
        if (denied := await guard(request)) is not None:
            return denied
        db = database(request)
        name = (await request.json())["name"]
        if name in db:
            return _error(409, _ERR_DUPLICATE_NAME, "duplicate name")
        db[name] = {}
        return JSONResponse({"error": False, "code": 200, "name": name, "type": 2})

    async def create_index(request: Request) -> JSONResponse:
        if (denied := await guard(request)) is not None:
            return denied
        name = request.query_params.get("collection", "")
        if name not in database(request):
            return _error(404, _ERR_COLLECTION_NOT_FOUND, "collection or view not found")
        spec = await request.json()
        known = state.indexes.setdefault((request.path_params["db"], name), [])
        for index in known:
            if index["fields"] == spec["fields"] and index["type"] == spec["type"]:
                return JSONResponse({**index, "isNewlyCreated": False}, status_code=200)
        index = {**spec, "id": f"{name}/{len(known) + 1}", "isNewlyCreated": True}
        known.append(index)
        return JSONResponse(index, status_code=201)

    def collection_of(request: Request) -> dict[str, dict[str, Any]] | None:
        return database(request).get(request.path_params["col"])

    async def get_document(request: Request) -> JSONResponse:
        if (denied := await guard(request)) is not None:
            return denied
        docs = collection_of(request)
        if docs is None:
            return _error(404, _ERR_COLLECTION_NOT_FOUND, "collection or view not found")
        doc = docs.get(request.path_params["key"])
        if doc is None:
            return _error(404, _ERR_DOCUMENT_NOT_FOUND, "document not found")
        return JSONResponse(doc)

    async def insert_document(request: Request) -> JSONResponse:
        if (denied := await guard(request)) is not None:
            return denied
        docs = collection_of(request)
        if docs is None:
            return _error(404, _ERR_COLLECTION_NOT_FOUND, "collection or view not found")
        body = await request.json()
        key = body["_key"]
        if key in docs and request.query_params.get("overwriteMode") != "replace":
            return _error(409, 1210, "unique constraint violated")
        col = request.path_params["col"]
        docs[key] = {**body, "_id": f"{col}/{key}", "_rev": str(next(state.revisions))}
        meta = {"_key": key, "_id": docs[key]["_id"], "_rev": docs[key]["_rev"]}
        silent = request.query_params.get("silent") == "true"
        return JSONResponse({} if silent else meta, status_code=201)

    async def delete_document(request: Request) -> JSONResponse:
        if (denied := await guard(request)) is not None:
            return denied
        docs = collection_of(request)
        if docs is None:
            return _error(404, _ERR_COLLECTION_NOT_FOUND, "collection or view not found")
        doc = docs.pop(request.path_params["key"], None)
        if doc is None:
            return _error(404, _ERR_DOCUMENT_NOT_FOUND, "document not found")
        silent = request.query_params.get("silent") == "true"
        return JSONResponse({} if silent else {"_key": doc["_key"]}, status_code=200)

    async def cursor(request: Request) -> JSONResponse:
        if (denied := await guard(request)) is not None:
            return denied
        if state.conflicts > 0:
            state.conflicts -= 1
            return _error(409, 1200, "write-write conflict")
        body = await request.json()
        state.queries.append(body["query"])
        state.bind_vars.append(body.get("bindVars", {}))
        run = shapes.get(_squash(body["query"]))
        if run is None:
            return _error(400, _ERR_QUERY_PARSE, "the fake does not know this AQL shape")
        bind: dict[str, Any] = dict(body.get("bindVars", {}))
        docs = database(request).get(bind.pop("@collection"))
        if docs is None:
            return _error(404, _ERR_COLLECTION_NOT_FOUND, "collection or view not found")
        result = run(state, docs, bind)
        payload = {"error": False, "code": 201, "result": result, "hasMore": False}
        return JSONResponse({**payload, "cached": False, "extra": {}}, status_code=201)

    prefix = "/_db/{db}/_api"
    return Starlette(
        routes=[
            Route(f"{prefix}/database", list_databases, methods=["GET"]),
            Route(f"{prefix}/database", create_database, methods=["POST"]),
            Route(f"{prefix}/collection/{{name}}", get_collection, methods=["GET"]),
            Route(f"{prefix}/collection", create_collection, methods=["POST"]),
            Route(f"{prefix}/index", create_index, methods=["POST"]),
            Route(f"{prefix}/document/{{col}}/{{key}}", get_document, methods=["GET"]),
            Route(f"{prefix}/document/{{col}}/{{key}}", delete_document, methods=["DELETE"]),
            Route(f"{prefix}/document/{{col}}", insert_document, methods=["POST"]),
            Route(f"{prefix}/cursor", cursor, methods=["POST"]),
        ]
    )


def _run_upsert(
    state: FakeArangoState, docs: dict[str, dict[str, Any]], bind: dict[str, Any]
) -> list[dict[str, Any]]:
    key = bind["key"]
    old = docs.get(key)
    new = {
        "_key": key,
        "id": bind["id"],
        "user_id": bind["user_id"],
        "data": bind["data"],
        "meta": bind["meta"],
        "created_us": bind["now_us"] if old is None else old["created_us"],
        "updated_us": bind["now_us"],
        "expires_us": bind["expires_us"],
        "_rev": str(next(state.revisions)),
    }
    docs[key] = new
    return [new]


def _run_list(
    state: FakeArangoState, docs: dict[str, dict[str, Any]], bind: dict[str, Any]
) -> list[dict[str, Any]]:
    after = None if bind["after_us"] is None else (bind["after_us"], bind["after_id"])
    filters: dict[str, Any] = bind["filters"]
    rows = [
        d
        for d in docs.values()
        if d["user_id"] == bind["user_id"]
        and (after is None or (d["created_us"], d["id"]) < after)
        and all(d["meta"].get(k) == v for k, v in filters.items())
    ]
    rows.sort(key=lambda d: (d["created_us"], d["id"]), reverse=True)
    return rows[: bind["limit"]]


def _run_count(
    state: FakeArangoState, docs: dict[str, dict[str, Any]], bind: dict[str, Any]
) -> list[int]:
    return [sum(1 for d in docs.values() if d["user_id"] == bind["user_id"])]


def _run_delete_expired(
    state: FakeArangoState, docs: dict[str, dict[str, Any]], bind: dict[str, Any]
) -> list[int]:
    gone = [
        key
        for key, d in docs.items()
        if d.get("expires_us") is not None and d["expires_us"] <= bind["now_us"]
    ]
    for key in gone:
        del docs[key]
    return [len(gone)]


class _NoSignalServer(uvicorn.Server):
    """uvicorn without its SIGINT/SIGTERM capture: inside pytest the signals stay pytest's."""

    @contextlib.contextmanager
    def capture_signals(self) -> Iterator[None]:
        yield


class FakeArango:
    """The fake served by uvicorn on 127.0.0.1; ``stop``/``start`` simulate an outage."""

    def __init__(self, *, username: str = "root", password: str = "fake-secret") -> None:
        self.state = FakeArangoState(username=username, password=password)
        self.port = _free_port()
        self._server: uvicorn.Server | None = None
        self._task: asyncio.Task[None] | None = None

    @property
    def url(self) -> str:
        """The base URL a driver connects to."""
        return f"http://127.0.0.1:{self.port}"

    async def start(self) -> None:
        """Serve on ``self.port`` until ``stop``."""
        config = uvicorn.Config(
            build_app(self.state),
            host="127.0.0.1",
            port=self.port,
            lifespan="off",
            ws="none",
            log_level="warning",
            access_log=False,
        )
        self._server = _NoSignalServer(config)
        self._task = asyncio.create_task(self._server.serve())
        while not self._server.started:
            if self._task.done():
                self._task.result()
            await asyncio.sleep(0.01)

    async def stop(self) -> None:
        """Shut the server down and wait for it (open connections are closed)."""
        if self._server is not None and self._task is not None:
            self._server.should_exit = True
            await self._task
        self._server = None
        self._task = None


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        port: int = sock.getsockname()[1]
        return port
