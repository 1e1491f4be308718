"""``atspro serve``: uvicorn running the app, with a first-run token printed like Jupyter's URL."""

from __future__ import annotations

import contextlib
import logging
from collections.abc import AsyncIterator

import uvicorn
from starlette.applications import Starlette

from atspro import cpu_pool
from atspro.app import create_app
from atspro.auth import count_tokens, issue_token
from atspro.endpoints import write_endpoints
from atspro.runtime import Runtime
from atspro.settings import Settings

log = logging.getLogger(__name__)

LOCAL_USER = "local"


async def announce_first_token(runtime: Runtime, *, url: str) -> str | None:
    """On a database without tokens, issue one for the local user and print it."""
    if await count_tokens(runtime.pool):
        # A restart prints no token; say how to get one, on this data directory.
        log.info(
            "API tokens exist, so none is printed; issue one with: "
            "DATA_DIR=%s atspro token create --user NAME",
            runtime.settings.data_dir.resolve(),
        )
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


def serve(settings: Settings, *, host: str | None, port: int | None, workers: bool) -> int:
    """Run the API until interrupted; SIGTERM shuts down gracefully."""
    host = host or settings.host
    port = port or settings.port
    app = create_app(settings, run_workers=workers)
    inner = app.router.lifespan_context

    @contextlib.asynccontextmanager
    async def lifespan(a: Starlette) -> AsyncIterator[None]:
        # Downloads render in the API process; tasks' CPU work only with workers here.
        processes = (cpu_pool.RENDERING, cpu_pool.TASKS) if workers else (cpu_pool.RENDERING,)
        cpu_pool.configure(settings)
        # Entered first so it closes last: the worker pool's own grace and hand-back run
        # while the processes still work, and what still runs after that is killed.
        async with (
            cpu_pool.started_in_background(*processes, grace_s=settings.shutdown_grace_s),
            inner(a),
        ):
            runtime: Runtime = a.state.runtime
            # For `atspro worker`/`token`/`migrate` started without URLs.
            write_endpoints(runtime.settings)
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
