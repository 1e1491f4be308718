"""Commands started without DATABASE_URL join the running ``atspro serve`` through
``DATA_DIR/endpoints.json``, or fail saying what to set; they never start a second PostgreSQL."""

from __future__ import annotations

import asyncio
import json
import os
import subprocess
import sys
import uuid
from collections.abc import Awaitable, Callable
from pathlib import Path
from typing import Any

import pytest

from atspro.cli import main
from atspro.endpoints import NoRunningService, join_running_service, write_endpoints
from atspro.errors import AuthError
from atspro.runtime import open_runtime
from atspro.settings import Settings
from atspro.workers.registry import HandlerRegistry
from tests.redis_prefix import unique_prefix

_SETTINGS_ENV = ("DATABASE_URL", "REDIS_URL", "DATA_DIR", "REDIS_QUEUE_PREFIX", "OPENAI_API_KEY")


@pytest.fixture
def data_dir(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> Path:
    """DATA_DIR set, no service URL in the environment, no ``.env`` in the working directory."""
    monkeypatch.chdir(tmp_path)
    for name in _SETTINGS_ENV:
        monkeypatch.delenv(name, raising=False)
    path = tmp_path / "data"
    monkeypatch.setenv("DATA_DIR", str(path))
    return path


def _settings(data_dir: Path, **values: Any) -> Settings:
    return Settings(_env_file=None, data_dir=data_dir, **values)


async def test_token_create_joins_the_running_service_and_its_token_is_accepted(
    database_url: str,
    redis_url: str,
    data_dir: Path,
    capsys: pytest.CaptureFixture[str],
    cleanup_redis: Callable[[str], Awaitable[None]],
) -> None:
    prefix = unique_prefix("endpoints")
    await cleanup_redis(prefix)
    served = _settings(
        data_dir,
        database_url=database_url,
        redis_url=redis_url,
        redis_queue_prefix=prefix,
        auth_cache_ttl_s=0,  # every check asks the database, so a revocation shows at once
    )
    async with open_runtime(served, registry=HandlerRegistry(), run_workers=False) as server:
        write_endpoints(server.settings)  # what `atspro serve` does once it is up
        user = f"cli-{uuid.uuid4().hex[:8]}"
        # The command runs its own event loop, as from a shell.
        assert await asyncio.to_thread(main, ["token", "create", "--user", user]) == 0
        token = capsys.readouterr().out.strip().splitlines()[-1]
        assert (await server.authenticate(token)).user_id == user

        assert await asyncio.to_thread(main, ["token", "revoke", "--user", user]) == 0
        assert capsys.readouterr().out.strip() == "revoked 1 tokens"
        with pytest.raises(AuthError):
            await server.authenticate(token)
    # It joined the running database: no embedded PostgreSQL was made under DATA_DIR.
    assert sorted(os.listdir(data_dir)) == ["endpoints.json"]


@pytest.mark.parametrize("argv", [["token", "create", "--user", "x"], ["migrate"]])
def test_without_a_running_service_the_command_says_what_to_set(
    argv: list[str], data_dir: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    assert main(argv) == 2
    said = capsys.readouterr().err
    for name in ("DATABASE_URL", "DATA_DIR", "`atspro serve`", str(data_dir / "endpoints.json")):
        assert name in said, said
    assert not data_dir.exists()  # nothing embedded was started


def test_endpoints_of_a_stopped_server_are_not_joined(
    data_dir: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    gone = subprocess.run([sys.executable, "-c", "import os; print(os.getpid())"], check=True,
                          capture_output=True, text=True)  # fmt: skip
    data_dir.mkdir()
    (data_dir / "endpoints.json").write_text(
        json.dumps(
            {
                "redis_url": "redis://127.0.0.1:1/0",
                "database_url": "postgresql://nobody@127.0.0.1:1/none",
                "pid": int(gone.stdout),
            }
        )
    )
    assert main(["token", "create", "--user", "x"]) == 2
    said = capsys.readouterr().err
    assert "has stopped" in said and "`atspro serve`" in said and "DATABASE_URL" in said
    assert sorted(p.name for p in data_dir.iterdir()) == ["endpoints.json"]


def test_configured_urls_win_and_unreadable_endpoints_are_explained(tmp_path: Path) -> None:
    given = _settings(tmp_path, database_url="postgresql://db/x")
    assert join_running_service(given, command="atspro token", redis=False) is given
    (tmp_path / "endpoints.json").write_text("[1, 2]")
    with pytest.raises(NoRunningService, match="does not name the services; set REDIS_URL"):
        join_running_service(given, command="atspro worker")
    (tmp_path / "endpoints.json").write_text("{not json")
    with pytest.raises(NoRunningService, match="cannot be read"):
        join_running_service(_settings(tmp_path), command="atspro migrate", redis=False)


def test_a_recorded_file_fills_only_the_blank_urls(tmp_path: Path) -> None:
    write_endpoints(_settings(tmp_path, redis_url="redis://r/0", database_url="postgresql://p/d"))
    joined = join_running_service(
        _settings(tmp_path, redis_url="redis://mine/1"), command="atspro worker"
    )
    assert (joined.redis_url, joined.database_url) == ("redis://mine/1", "postgresql://p/d")
