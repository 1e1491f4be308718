"""The ``atspro`` command in this process: migrate, token, worker and eval, against the test
servers. (tests/faults/test_cli.py runs the installed command in child processes.)"""

from __future__ import annotations

import asyncio
import json
import logging
import os
import signal
import threading
from collections.abc import AsyncIterator, Callable, Iterator
from pathlib import Path

import pytest

from atspro.auth import authenticate
from atspro.cli import main, run
from atspro.db.migrate import list_migrations
from atspro.db.pool import create_pool
from atspro.errors import AuthError
from atspro.runtime import open_runtime
from atspro.settings import Settings
from atspro.tasks.model import TaskStatus
from atspro.workers.registry import HandlerRegistry
from tests.fresh_database import fresh_database
from tests.redis_prefix import unique_prefix

# Every variable Settings reads that could leak in from the shell running the tests.
_SETTINGS_ENV = ("DATABASE_URL", "REDIS_URL", "DATA_DIR", "REDIS_QUEUE_PREFIX", "OPENAI_API_KEY")


@pytest.fixture
async def empty_database(service_urls: tuple[str, str]) -> AsyncIterator[str]:
    async with fresh_database(service_urls[1]) as dsn:
        yield dsn


@pytest.fixture
def cli_env(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> Callable[..., Path]:
    """Set the command's environment; runs in ``tmp_path`` so no ``.env`` is read."""
    monkeypatch.chdir(tmp_path)
    for name in _SETTINGS_ENV:
        monkeypatch.delenv(name, raising=False)
    data_dir = tmp_path / "data"
    monkeypatch.setenv("DATA_DIR", str(data_dir))

    def apply(**values: str) -> Path:
        for name, value in values.items():
            monkeypatch.setenv(name, value)
        return data_dir

    return apply


def token_user(dsn: str, token: str) -> str | None:
    async def look_up() -> str | None:
        pool = await create_pool(dsn, min_size=1, max_size=1)
        try:
            return (await authenticate(pool, token, better_auth=False)).user_id
        except AuthError:
            return None
        finally:
            await pool.close()

    return asyncio.run(look_up())


def test_migrate_applies_everything_once_then_nothing(
    empty_database: str, cli_env: Callable[..., Path], capsys: pytest.CaptureFixture[str]
) -> None:
    data_dir = cli_env(DATABASE_URL=empty_database)
    assert main(["migrate"]) == 0
    names = ", ".join(m.name for m in list_migrations())
    assert capsys.readouterr().out.strip().splitlines()[-1] == f"applied: {names}"
    assert main(["migrate"]) == 0
    assert capsys.readouterr().out.strip() == "applied: nothing (up to date)"
    # PostgreSQL was given, so nothing embedded was started under the data directory.
    assert not data_dir.exists()


def test_token_create_prints_a_working_token_and_revoke_disables_it(
    empty_database: str, cli_env: Callable[..., Path], capsys: pytest.CaptureFixture[str]
) -> None:
    cli_env(DATABASE_URL=empty_database)
    assert main(["token", "create", "--user", "zed", "--name", "laptop"]) == 0
    token = capsys.readouterr().out.strip().splitlines()[-1]
    assert token_user(empty_database, token) == "zed"

    assert main(["token", "revoke", "--user", "zed"]) == 0
    assert capsys.readouterr().out.strip() == "revoked 1 tokens"
    assert token_user(empty_database, token) is None


def test_token_create_refuses_a_bad_user_name(
    empty_database: str, cli_env: Callable[..., Path]
) -> None:
    cli_env(DATABASE_URL=empty_database)
    from atspro.errors import InputError

    with pytest.raises(InputError):
        main(["token", "create", "--user", "a:b"])


@pytest.mark.parametrize(
    ("suite", "code", "says"),
    [
        ("resumes", 2, "not a directory"),
        ("skills", 2, "no skill evaluation files"),
        ("match", 1, "no Resume-Matcher data"),
    ],
)
def test_eval_hands_its_arguments_to_the_named_harness(
    suite: str,
    code: int,
    says: str,
    tmp_path: Path,
    capsys: pytest.CaptureFixture[str],
) -> None:
    missing = tmp_path / "nothing-here"
    assert main(["eval", suite, str(missing)]) == code
    captured = capsys.readouterr()
    assert says in captured.out + captured.err


def test_worker_without_endpoints_explains_what_it_needs(
    cli_env: Callable[..., Path], capsys: pytest.CaptureFixture[str]
) -> None:
    data_dir = cli_env()
    assert main(["worker"]) == 2
    said = capsys.readouterr().err
    assert "REDIS_URL and DATABASE_URL" in said
    assert str(data_dir / "endpoints.json") in said


@pytest.fixture
def restore_sigterm() -> Iterator[None]:
    previous = signal.getsignal(signal.SIGTERM)
    yield
    signal.signal(signal.SIGTERM, previous)


def test_worker_joins_the_servers_serve_recorded_runs_tasks_and_stops_on_sigterm(
    database_url: str,
    redis_url: str,
    cli_env: Callable[..., Path],
    caplog: pytest.LogCaptureFixture,
    restore_sigterm: None,
) -> None:
    prefix = unique_prefix("cli")
    data_dir = cli_env(REDIS_QUEUE_PREFIX=prefix, SHUTDOWN_GRACE_S="1")
    # What `atspro serve` writes for workers started without URLs.
    data_dir.mkdir()
    (data_dir / "endpoints.json").write_text(
        json.dumps({"redis_url": redis_url, "database_url": database_url})
    )
    submitter_settings = Settings(  # type: ignore[call-arg]
        _env_file=None, database_url=database_url, redis_url=redis_url, redis_queue_prefix=prefix
    )
    outcome: dict[str, object] = {}

    async def submit_and_wait() -> None:
        registry = HandlerRegistry()
        async with open_runtime(submitter_settings, registry=registry, run_workers=False) as rt:
            task = await rt.tasks.submit(user_id="cli", task_type="noop", payload={})
            done = await rt.tasks.wait(user_id="cli", task_id=task.id, wait_s=30)
            outcome["status"] = done.status
            outcome["result"] = done.result

    def drive() -> None:
        try:
            asyncio.run(submit_and_wait())
        except BaseException as exc:  # reported by the test below
            outcome["error"] = exc
        finally:
            os.kill(os.getpid(), signal.SIGTERM)

    class StartWhenReady(logging.Handler):
        def emit(self, record: logging.LogRecord) -> None:
            if record.getMessage().endswith(" ready"):
                threading.Thread(target=drive, daemon=True).start()

    caplog.set_level(logging.INFO, logger="atspro")
    trigger = StartWhenReady()
    logging.getLogger("atspro").addHandler(trigger)
    try:
        assert main(["worker"]) == 0
    finally:
        logging.getLogger("atspro").removeHandler(trigger)
    assert "error" not in outcome, outcome.get("error")
    assert outcome == {"status": TaskStatus.COMPLETED, "result": {"ok": True}}
    assert any("shutting down" in r.getMessage() for r in caplog.records)


def test_console_entry_exits_with_the_command_status(
    empty_database: str, cli_env: Callable[..., Path], monkeypatch: pytest.MonkeyPatch
) -> None:
    cli_env(DATABASE_URL=empty_database)
    monkeypatch.setattr("sys.argv", ["atspro", "migrate"])
    with pytest.raises(SystemExit) as caught:
        run()
    assert caught.value.code == 0
