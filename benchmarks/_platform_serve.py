"""Child process for the platform benchmark: one uvicorn server.

Run: python benchmarks/_platform_serve.py {bare|bare-io|atspro} --port N

``bare`` is a Strawberry app with one trivial in-memory resolver per operation (and the
same parser/validation caches as ours); ``bare-io`` is the same app whose resolvers make
the I/O ours must (the submit inserts the row with ATSPro's statement and runs its event
script to announce and enqueue it; the query reads the row), with bare asyncpg and
redis-py and no auth, batching or other ATSPro code; ``atspro`` is our app as ``atspro
serve --no-workers`` builds it. Settings come from the environment the parent sets; all
get identical uvicorn settings.
"""

from __future__ import annotations

import sys
from pathlib import Path

# Keep this directory last on sys.path so no module here can shadow the standard library.
_HERE = str(Path(__file__).resolve().parent)
if sys.path and sys.path[0] == _HERE:
    sys.path.append(sys.path.pop(0))

import argparse  # noqa: E402
import contextlib  # noqa: E402
import logging  # noqa: E402
import os  # noqa: E402
import uuid  # noqa: E402
from collections.abc import AsyncIterator  # noqa: E402
from typing import Annotated, Any  # noqa: E402

import redis.asyncio as aioredis  # noqa: E402
import strawberry  # noqa: E402
import uvicorn  # noqa: E402
from _platform_floor import FloorKeys, connect_pool, submit_task  # noqa: E402
from starlette.applications import Starlette  # noqa: E402
from starlette.requests import Request  # noqa: E402
from starlette.responses import JSONResponse  # noqa: E402
from starlette.routing import Route  # noqa: E402
from strawberry.asgi import GraphQL  # noqa: E402
from strawberry.extensions import ParserCache, ValidationCache  # noqa: E402

from atspro.db.queries import load_queries  # noqa: E402

TASK_SQL = load_queries("tasks.sql")

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


def _caches() -> list[Any]:
    return [lambda: ParserCache(maxsize=512), lambda: ValidationCache(maxsize=512)]


async def healthz(request: Request) -> JSONResponse:
    return JSONResponse({"status": "ok"})


def bare_app() -> Starlette:
    """The reference: Strawberry on Starlette, in-memory resolvers, parser/validation caches."""
    schema = strawberry.Schema(query=Query, mutation=Mutation, extensions=_caches())
    graphql: GraphQL[None, None] = GraphQL(schema)
    return Starlette(
        routes=[Route("/healthz", healthz), Route("/graphql", graphql, methods=["GET", "POST"])]
    )


def bare_io_app() -> Starlette:
    """The reference plus the I/O each operation needs, made by bare clients."""
    clients: dict[str, Any] = {}
    keys = FloorKeys.under(os.environ.get("REDIS_QUEUE_PREFIX", "atspro") + ":bare-io")

    @strawberry.type
    class IoQuery:
        @strawberry.field
        async def task(self, id: strawberry.ID) -> Task:
            row = await clients["pool"].fetchrow(TASK_SQL["get_task_by_id"], uuid.UUID(id))
            return Task(id=id, status=row["status"].upper(), progress=row["progress"])

    @strawberry.type
    class IoMutation:
        @strawberry.mutation
        async def ping_task(self) -> BareResult:
            task_id = uuid.uuid4()
            await submit_task("statements", clients["pool"], clients["redis"], keys, task_id)
            return Task(id=strawberry.ID(str(task_id)), status="PENDING", progress=0)

    @contextlib.asynccontextmanager
    async def lifespan(app: Starlette) -> AsyncIterator[None]:
        clients["pool"] = await connect_pool(os.environ["DATABASE_URL"], max_size=10)
        clients["redis"] = aioredis.Redis.from_url(os.environ["REDIS_URL"])
        yield
        await clients["redis"].aclose()
        await clients["pool"].close()

    schema = strawberry.Schema(query=IoQuery, mutation=IoMutation, extensions=_caches())
    graphql: GraphQL[None, None] = GraphQL(schema)
    return Starlette(
        routes=[Route("/healthz", healthz), Route("/graphql", graphql, methods=["GET", "POST"])],
        lifespan=lifespan,
    )


def atspro_app() -> Starlette:
    """Our app as `atspro serve --no-workers` builds it."""
    from atspro.app import create_app
    from atspro.settings import Settings

    return create_app(Settings(_env_file=None), run_workers=False)


APPS = {"bare": bare_app, "bare-io": bare_io_app, "atspro": atspro_app}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("role", choices=list(APPS))
    parser.add_argument("--port", type=int, required=True)
    args = parser.parse_args()
    logging.basicConfig(level=logging.WARNING)
    app = APPS[args.role]()
    uvicorn.run(app, host="127.0.0.1", port=args.port, **UVICORN_OPTIONS)  # type: ignore[arg-type]


if __name__ == "__main__":
    main()
