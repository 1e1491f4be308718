"""Child process for the platform benchmark: one uvicorn server.

Run: python benchmarks/_platform_serve.py {bare|atspro} --port N

``bare`` is a Strawberry app with one trivial in-memory resolver per operation (and the
same parser/validation caches as ours); ``atspro`` is our app as ``atspro serve
--no-workers`` builds it, with settings from the environment the parent sets. Both get
identical uvicorn settings.
"""

from __future__ import annotations

import sys
from pathlib import Path

# Keep this directory last on sys.path so no module here can shadow the standard library.
_HERE = str(Path(__file__).resolve().parent)
if sys.path and sys.path[0] == _HERE:
    sys.path.append(sys.path.pop(0))

import argparse  # noqa: E402
import logging  # noqa: E402
import uuid  # noqa: E402
from typing import Annotated  # noqa: E402

import strawberry  # noqa: E402
import uvicorn  # noqa: E402
from starlette.applications import Starlette  # noqa: E402
from starlette.requests import Request  # noqa: E402
from starlette.responses import JSONResponse  # noqa: E402
from starlette.routing import Route  # noqa: E402
from strawberry.asgi import GraphQL  # noqa: E402
from strawberry.extensions import ParserCache, ValidationCache  # noqa: E402

UVICORN_OPTIONS: dict[str, object] = {
    "loop": "uvloop",
    "http": "httptools",
    "ws": "websockets",
    "log_level": "warning",
    "access_log": False,
    "lifespan": "on",
}


@strawberry.type
class Task:
    id: strawberry.ID
    status: str
    progress: int


@strawberry.type
class NotFoundError:
    message: str


BareResult = Annotated[Task | NotFoundError, strawberry.union("TaskResult")]
_TASK = Task(id=strawberry.ID(str(uuid.uuid4())), status="PENDING", progress=0)


@strawberry.type
class Query:
    @strawberry.field
    def task(self, id: strawberry.ID) -> Task:
        return Task(id=id, status=_TASK.status, progress=_TASK.progress)


@strawberry.type
class Mutation:
    @strawberry.mutation
    def ping_task(self) -> BareResult:
        return Task(id=strawberry.ID(str(uuid.uuid4())), status="PENDING", progress=0)


def bare_app() -> Starlette:
    """The reference: Strawberry on Starlette, in-memory resolvers, parser/validation caches."""
    schema = strawberry.Schema(
        query=Query,
        mutation=Mutation,
        extensions=[lambda: ParserCache(maxsize=512), lambda: ValidationCache(maxsize=512)],
    )

    async def healthz(request: Request) -> JSONResponse:
        return JSONResponse({"status": "ok"})

    graphql: GraphQL[None, None] = GraphQL(schema)
    return Starlette(
        routes=[Route("/healthz", healthz), Route("/graphql", graphql, methods=["GET", "POST"])]
    )


def atspro_app() -> Starlette:
    """Our app as `atspro serve --no-workers` builds it."""
    from atspro.app import create_app
    from atspro.settings import Settings

    return create_app(Settings(_env_file=None), run_workers=False)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("role", choices=["bare", "atspro"])
    parser.add_argument("--port", type=int, required=True)
    args = parser.parse_args()
    logging.basicConfig(level=logging.WARNING)
    app = bare_app() if args.role == "bare" else atspro_app()
    uvicorn.run(app, host="127.0.0.1", port=args.port, **UVICORN_OPTIONS)  # type: ignore[arg-type]


if __name__ == "__main__":
    main()
