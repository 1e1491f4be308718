"""``atspro serve``: uvicorn running the app, with a first-run token printed like Jupyter's URL."""

from __future__ import annotations

import contextlib
import json
import logging
from collections.abc import AsyncIterator

import uvicorn
from starlette.applications import Starlette

from atspro import cpu_pool
from atspro.app import create_app
from atspro.auth import count_tokens, issue_token
from atspro.runtime import Runtime
from atspro.settings import Settings

log = logging.getLogger(__name__)

LOCAL_USER = "local"


async def announce_first_token(runtime: Runtime, *, url: str) -> str | None:
    """On a database without tokens, issue one for the local user and print it."""
    if await count_tokens(runtime.pool):
        return None
    token = await issue_token(runtime.pool, user_id=LOCAL_USER, name="first run")
    banner = (
        "\n    No API token existed, so one was issued for user 'local':\n"
        f"        {token}\n"
        f"    Open {url} and send the header  Authorization: Bearer {token}\n"
        "    More tokens: atspro token create --user NAME\n"
    )
    print(banner, flush=True)
    return token


def write_endpoints(runtime: Runtime) -> None:
    """Record where the (possibly embedded) services listen, for `atspro worker`."""
    path = runtime.settings.data_dir / "endpoints.json"
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(
        json.dumps(
            {"redis_url": runtime.settings.redis_url, "database_url": runtime.settings.database_url}
        )
    )


def serve(settings: Settings, *, host: str | None, port: int | None, workers: bool) -> int:
    """Run the API until interrupted; SIGTERM shuts down gracefully."""
    host = host or settings.host
    port = port or settings.port
    app = create_app(settings, run_workers=workers)
    inner = app.router.lifespan_context

    @contextlib.asynccontextmanager
    async def lifespan(a: Starlette) -> AsyncIterator[None]:
        async with inner(a), contextlib.AsyncExitStack() as stack:
            runtime: Runtime = a.state.runtime
            # Downloads render in the API process; tasks' CPU work only with workers here.
            processes = (cpu_pool.RENDERING, cpu_pool.TASKS) if workers else (cpu_pool.RENDERING,)
            await stack.enter_async_context(cpu_pool.started_in_background(*processes))
            write_endpoints(runtime)
            await announce_first_token(runtime, url=f"http://{host}:{port}/graphql")
            yield

    app.router.lifespan_context = lifespan
    config = uvicorn.Config(
        app,
        host=host,
        port=port,
        lifespan="on",
        log_level="info",
        timeout_graceful_shutdown=int(settings.shutdown_grace_s) + 5,
    )
    uvicorn.Server(config).run()
    return 0
