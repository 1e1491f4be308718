"""``atspro serve``: uvicorn in this process, endpoints recorded for workers, and the
first-run token printed once (like Jupyter's URL)."""

from __future__ import annotations

import asyncio
import json
import logging
import os
import re
import signal
import threading
import time
from collections.abc import AsyncIterator, Iterator
from pathlib import Path
from typing import Any

import httpx
import pytest

from atspro.auth import authenticate, issue_token
from atspro.cli import main
from atspro.db.pool import create_pool
from atspro.endpoints import write_endpoints
from atspro.runtime import open_runtime
from atspro.server import LOCAL_USER, announce_first_token
from atspro.settings import Settings
from atspro.workers.registry import HandlerRegistry
from tests.api.conftest import free_port
from tests.fresh_database import fresh_database
from tests.redis_prefix import unique_prefix


@pytest.fixture
async def empty_database(service_urls: tuple[str, str]) -> AsyncIterator[str]:
    async with fresh_database(service_urls[1]) as dsn:
        yield dsn


def settings_for(database_url: str, redis_url: str, data_dir: Path) -> Settings:
    return Settings(  # type: ignore[call-arg]
        _env_file=None,
        database_url=database_url,
        redis_url=redis_url,
        redis_queue_prefix=unique_prefix("serve"),
        data_dir=data_dir,
    )


async def test_first_token_is_issued_and_printed_only_on_a_database_without_tokens(
    empty_database: str, redis_url: str, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    settings = settings_for(empty_database, redis_url, tmp_path / "data")
    async with open_runtime(settings, registry=HandlerRegistry(), run_workers=False) as rt:
        token = await announce_first_token(rt, url="http://127.0.0.1:9/graphql")
        printed = capsys.readouterr().out
        assert token is not None and printed.count(token) == 2
        assert "http://127.0.0.1:9/graphql" in printed
        assert (await authenticate(rt.pool, token, better_auth=False)).user_id == LOCAL_USER

        assert await announce_first_token(rt, url="http://127.0.0.1:9/graphql") is None
        assert capsys.readouterr().out == ""

        write_endpoints(rt.settings)
        recorded = json.loads((tmp_path / "data" / "endpoints.json").read_text())
        assert recorded == {
            "redis_url": redis_url,
            "database_url": empty_database,
            "pid": os.getpid(),
        }


async def test_no_first_token_when_someone_already_has_one(
    empty_database: str,
    redis_url: str,
    tmp_path: Path,
    capsys: pytest.CaptureFixture[str],
    caplog: pytest.LogCaptureFixture,
) -> None:
    settings = settings_for(empty_database, redis_url, tmp_path / "data")
    caplog.set_level(logging.INFO, logger="atspro.server")
    async with open_runtime(settings, registry=HandlerRegistry(), run_workers=False) as rt:
        await issue_token(rt.pool, user_id="owner")
        assert await announce_first_token(rt, url="http://x/graphql") is None
    assert capsys.readouterr().out == ""
    # A restart says how to get a token for this data directory.
    hint = " ".join(r.getMessage() for r in caplog.records if r.name == "atspro.server")
    assert "atspro token create --user NAME" in hint
    assert f"DATA_DIR={(tmp_path / 'data').resolve()}" in hint


@pytest.fixture
def restore_sigterm() -> Iterator[None]:
    previous = signal.getsignal(signal.SIGTERM)
    # uvicorn re-raises the SIGTERM it handled once it has shut down: let that be harmless.
    signal.signal(signal.SIGTERM, lambda *_: None)
    yield
    signal.signal(signal.SIGTERM, previous)


def test_serve_prints_a_first_token_serves_and_stops_on_sigterm(
    empty_database: str,
    redis_url: str,
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
    capsys: pytest.CaptureFixture[str],
    restore_sigterm: None,
) -> None:
    port = free_port()
    data_dir = tmp_path / "data"
    monkeypatch.chdir(tmp_path)
    for name, value in {
        "DATABASE_URL": empty_database,
        "REDIS_URL": redis_url,
        "DATA_DIR": str(data_dir),
        "REDIS_QUEUE_PREFIX": unique_prefix("serve"),
        "SHUTDOWN_GRACE_S": "1",
    }.items():
        monkeypatch.setenv(name, value)
    seen: dict[str, Any] = {}
    finished = threading.Event()

    def probe() -> None:
        base = f"http://127.0.0.1:{port}"
        try:
            deadline = time.monotonic() + 60
            with httpx.Client(base_url=base, timeout=5) as http:
                while time.monotonic() < deadline and not finished.is_set():
                    try:
                        ready = http.get("/readyz")
                        break
                    except httpx.TransportError:
                        time.sleep(0.05)
                seen["ready"] = ready.status_code
                seen["health"] = http.get("/healthz").json()
                seen["anonymous"] = http.post(
                    "/graphql", json={"query": "mutation { pingTask { __typename } }"}
                ).json()
        except BaseException as exc:  # reported by the test below
            seen["error"] = exc
        finally:
            if not finished.is_set():
                os.kill(os.getpid(), signal.SIGTERM)

    prober = threading.Thread(target=probe, daemon=True)
    prober.start()
    try:
        assert main(["--log-level", "WARNING", "serve", "--port", str(port), "--no-workers"]) == 0
    finally:
        finished.set()
        prober.join(10)

    assert "error" not in seen, seen.get("error")
    assert seen["ready"] == 200 and seen["health"] == {"status": "ok"}
    assert seen["anonymous"].get("data") is None and seen["anonymous"]["errors"]
    out = capsys.readouterr().out
    tokens = set(re.findall(r"Bearer (\S+)", out))
    assert len(tokens) == 1, out
    assert f"http://127.0.0.1:{port}/graphql" in out
    recorded = json.loads((data_dir / "endpoints.json").read_text())
    assert recorded == {"redis_url": redis_url, "database_url": empty_database, "pid": os.getpid()}

    async def owner() -> str:
        pool = await create_pool(empty_database, min_size=1, max_size=1)
        try:
            return (await authenticate(pool, tokens.pop(), better_auth=False)).user_id
        finally:
            await pool.close()

    assert asyncio.run(owner()) == LOCAL_USER
