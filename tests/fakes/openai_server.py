"""A fake OpenAI-compatible model server: real HTTP on 127.0.0.1, scripted replies.

A real model server (OpenAI, vLLM, Ollama, LM Studio) cannot run in the test environment, so
this stands in for one at the outermost edge: the ``openai`` package talks to it over loopback
exactly as it would to a real server (its own HTTP stack, retries, headers and parsing).

It serves ``POST /v1/chat/completions`` and ``GET /v1/models``. Each completion request takes
the next scripted :class:`Reply` from a queue; when the queue is empty the ``fallback``
callable answers (by default a 400 saying nothing was scripted, which the client does not
retry); :func:`by_schema` routes by the request's schema name and :func:`minimal_reply`
answers any structured request with the emptiest valid instance, handy for end-to-end tests
that only need *a* model. Every request is recorded as a :class:`RecordedRequest`.

The server runs in its own thread with its own event loop, so it keeps answering while the
test's loop is busy, and works from sync and async tests alike::

    with FakeOpenAIServer() as server:               # or: async with FakeOpenAIServer() ...
        server.enqueue(Reply.structured({"name": "Ada"}), Reply.error(429, retry_after="1"))
        client = AsyncOpenAI(base_url=server.base_url, api_key="test-key")
        ...
        assert server.requests[0].schema_name == "Person"
"""

from __future__ import annotations

import asyncio
import collections
import itertools
import json
import socket
import threading
import time
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from types import TracebackType
from typing import Any

import uvicorn
from pydantic import BaseModel
from starlette.applications import Starlette
from starlette.requests import Request
from starlette.responses import JSONResponse, Response
from starlette.routing import Route

MODEL_ID = "fake-model"


@dataclass(frozen=True)
class Reply:
    """One scripted answer: a completion (``content``) or an error (``status`` >= 400)."""

    status: int = 200
    content: str | None = ""
    finish_reason: str = "stop"
    refusal: str | None = None
    headers: Mapping[str, str] = field(default_factory=dict)
    body: object | None = None  # replaces the whole JSON body when set
    raw_body: str | None = None  # sent verbatim (e.g. broken JSON) when set
    delay_s: float = 0.0

    @classmethod
    def structured(cls, value: BaseModel | Mapping[str, Any] | list[Any], **kw: Any) -> Reply:
        """A completion whose content is ``value`` as JSON (what structured outputs return)."""
        text = value.model_dump_json() if isinstance(value, BaseModel) else json.dumps(value)
        return cls(content=text, **kw)

    @classmethod
    def text(cls, content: str, **kw: Any) -> Reply:
        """A completion with free text content."""
        return cls(content=content, **kw)

    @classmethod
    def error(
        cls,
        status: int,
        message: str = "scripted error",
        *,
        code: str | None = None,
        type: str = "invalid_request_error",
        retry_after: str | None = None,
        headers: Mapping[str, str] | None = None,
    ) -> Reply:
        """An OpenAI-style error body with ``status``; ``retry_after`` sets the header."""
        all_headers = dict(headers or {})
        if retry_after is not None:
            all_headers["retry-after"] = retry_after
        error = {"message": message, "type": type, "param": None, "code": code}
        return cls(status=status, body={"error": error}, headers=all_headers)

    @classmethod
    def refused(cls, reason: str) -> Reply:
        """A completion where the model refused (``message.refusal`` set, no content)."""
        return cls(content=None, refusal=reason)


@dataclass(frozen=True)
class RecordedRequest:
    """What a client sent: method, path, headers (lower-case names) and the JSON body."""

    method: str
    path: str
    headers: Mapping[str, str]
    body: Mapping[str, Any]

    @property
    def messages(self) -> list[dict[str, Any]]:
        """The chat messages sent."""
        return list(self.body.get("messages", []))

    @property
    def response_format(self) -> dict[str, Any]:
        """The ``response_format`` sent (empty when none)."""
        return dict(self.body.get("response_format") or {})

    @property
    def schema(self) -> dict[str, Any] | None:
        """The JSON schema of a ``json_schema`` response format, if any."""
        spec = self.response_format.get("json_schema")
        return dict(spec["schema"]) if spec else None

    @property
    def schema_name(self) -> str | None:
        """The name of the ``json_schema`` response format, if any."""
        spec = self.response_format.get("json_schema")
        return str(spec["name"]) if spec else None

    @property
    def authorization(self) -> str | None:
        """The ``Authorization`` header as sent."""
        return self.headers.get("authorization")


Fallback = Callable[[RecordedRequest], Reply]


def _no_script(request: RecordedRequest) -> Reply:
    del request
    return Reply.error(400, "fake OpenAI server: no scripted reply left")


def minimal_instance(schema: Mapping[str, Any], root: Mapping[str, Any] | None = None) -> Any:
    """The smallest value a JSON schema accepts: null where allowed, empty lists, "" and 0."""
    root = root if root is not None else schema
    if "$ref" in schema:
        node: Any = root
        for part in str(schema["$ref"]).removeprefix("#/").split("/"):
            node = node[part]
        return minimal_instance(node, root)
    variants = schema.get("anyOf") or schema.get("oneOf")
    if variants:
        if any(v.get("type") == "null" for v in variants):
            return None
        return minimal_instance(variants[0], root)
    if "enum" in schema:
        return schema["enum"][0]
    kind = schema.get("type")
    if isinstance(kind, list):
        kind = "null" if "null" in kind else kind[0]
    if kind == "object":
        props = schema.get("properties", {})
        return {name: minimal_instance(props[name], root) for name in props}
    defaults: dict[str, Any] = {
        "array": [], "string": "", "integer": 0, "number": 0, "boolean": False, "null": None,
    }  # fmt: skip
    return defaults.get(str(kind))


def by_schema(replies: Mapping[str, Reply], *, otherwise: Fallback = _no_script) -> Fallback:
    """A fallback answering by the request's schema name (``"ResumeDraft"`` -> a reply).

    A name mapped to nothing gets ``otherwise``; use :func:`minimal_reply` there to answer
    every structured request with the emptiest valid instance.
    """

    def answer(request: RecordedRequest) -> Reply:
        reply = replies.get(request.schema_name or "")
        return reply if reply is not None else otherwise(request)

    return answer


def minimal_reply(request: RecordedRequest) -> Reply:
    """A fallback that answers any ``json_schema`` request with its emptiest valid instance."""
    if request.schema is None:
        return Reply.text("{}")
    return Reply.structured(minimal_instance(request.schema))


class FakeOpenAIServer:
    """An OpenAI-compatible HTTP server on a free loopback port, answering from a script."""

    def __init__(self, *, fallback: Fallback = _no_script) -> None:
        self.fallback = fallback
        self._lock = threading.Lock()
        self._queue: collections.deque[Reply] = collections.deque()
        self._requests: list[RecordedRequest] = []
        self._ids = itertools.count(1)
        self._server: uvicorn.Server | None = None
        self._thread: threading.Thread | None = None
        self._socket: socket.socket | None = None
        self.port = 0

    # -- script and records ---------------------------------------------------------------

    @property
    def base_url(self) -> str:
        """The URL to give the client as ``base_url`` (ends in ``/v1``)."""
        return f"http://127.0.0.1:{self.port}/v1"

    def enqueue(self, *replies: Reply) -> None:
        """Append replies; each completion request consumes the next one."""
        with self._lock:
            self._queue.extend(replies)

    @property
    def requests(self) -> list[RecordedRequest]:
        """Completion requests received so far, oldest first."""
        with self._lock:
            return list(self._requests)

    @property
    def pending(self) -> int:
        """Scripted replies not consumed yet."""
        with self._lock:
            return len(self._queue)

    def reset(self, *, fallback: Fallback = _no_script) -> None:
        """Forget the script and the recorded requests (for a server shared between tests)."""
        with self._lock:
            self._queue.clear()
            self._requests.clear()
            self.fallback = fallback

    # -- lifecycle --------------------------------------------------------------------------

    def start(self) -> None:
        """Bind a free port on 127.0.0.1 and serve from a background thread."""
        sock = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
        sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        sock.bind(("127.0.0.1", 0))
        self._socket = sock
        self.port = sock.getsockname()[1]
        config = uvicorn.Config(
            self._app(),
            log_config=None,
            access_log=False,
            lifespan="off",
            ws="none",
            http="h11",
            timeout_graceful_shutdown=1,
        )
        self._server = uvicorn.Server(config)
        self._thread = threading.Thread(
            target=lambda: asyncio.run(self._serve(sock)), name="fake-openai", daemon=True
        )
        self._thread.start()
        deadline = time.monotonic() + 10
        while not self._server.started:
            if time.monotonic() > deadline or not self._thread.is_alive():
                raise RuntimeError("fake OpenAI server did not start")
            time.sleep(0.005)

    def stop(self) -> None:
        """Stop serving and join the thread."""
        if self._server is not None:
            self._server.should_exit = True
        if self._thread is not None:
            self._thread.join(timeout=10)
        if self._socket is not None:
            self._socket.close()
        self._server = self._thread = self._socket = None

    async def _serve(self, sock: socket.socket) -> None:
        assert self._server is not None
        await self._server.serve(sockets=[sock])

    def __enter__(self) -> FakeOpenAIServer:
        self.start()
        return self

    def __exit__(
        self, et: type[BaseException] | None, ev: BaseException | None, tb: TracebackType | None
    ) -> None:
        self.stop()

    async def __aenter__(self) -> FakeOpenAIServer:
        await asyncio.to_thread(self.start)
        return self

    async def __aexit__(
        self, et: type[BaseException] | None, ev: BaseException | None, tb: TracebackType | None
    ) -> None:
        await asyncio.to_thread(self.stop)

    # -- HTTP -------------------------------------------------------------------------------

    def _app(self) -> Starlette:
        return Starlette(
            routes=[
                Route("/v1/chat/completions", self._completions, methods=["POST"]),
                Route("/v1/models", self._models, methods=["GET"]),
            ]
        )

    async def _models(self, request: Request) -> Response:
        del request
        return JSONResponse(
            {"object": "list", "data": [{"id": MODEL_ID, "object": "model", "owned_by": "fake"}]}
        )

    async def _completions(self, request: Request) -> Response:
        try:
            body = json.loads(await request.body())
        except ValueError:
            body = {}
        recorded = RecordedRequest(
            method=request.method,
            path=request.url.path,
            headers={k.lower(): v for k, v in request.headers.items()},
            body=body,
        )
        with self._lock:
            self._requests.append(recorded)
            reply = self._queue.popleft() if self._queue else None
        if reply is None:
            reply = self.fallback(recorded)
        if reply.delay_s:
            await asyncio.sleep(reply.delay_s)
        if reply.raw_body is not None:
            return Response(
                reply.raw_body, reply.status, reply.headers, media_type="application/json"
            )
        payload = reply.body if reply.body is not None else self._completion(recorded, reply)
        return JSONResponse(payload, reply.status, dict(reply.headers))

    def _completion(self, request: RecordedRequest, reply: Reply) -> dict[str, Any]:
        return {
            "id": f"chatcmpl-fake-{next(self._ids)}",
            "object": "chat.completion",
            "created": int(time.time()),
            "model": str(request.body.get("model", MODEL_ID)),
            "choices": [
                {
                    "index": 0,
                    "finish_reason": reply.finish_reason,
                    "logprobs": None,
                    "message": {
                        "role": "assistant",
                        "content": reply.content,
                        "refusal": reply.refusal,
                    },
                }
            ],
            "usage": {"prompt_tokens": 10, "completion_tokens": 10, "total_tokens": 20},
        }
