"""Child-process handling: escalation to SIGKILL, one-shot timeouts, log tails, free ports."""

from __future__ import annotations

import os
import signal
import socket
import time
from pathlib import Path

import psutil
import pytest

from atspro.embedded import EmbeddedServiceError, embedded_services
from atspro.embedded.process import (
    child_env,
    pick_free_port,
    read_tail,
    run_to_end,
    spawn,
    stop_process,
    wait_exit,
)
from tests.embedded.test_services import is_gone


async def test_stubborn_child_is_killed_after_the_grace_period(tmp_path: Path) -> None:
    with (tmp_path / "log").open("ab") as log:
        proc = spawn(["sh", "-c", "trap '' TERM INT; echo ready; exec sleep 60"], log=log)
    for _ in range(200):
        if "ready" in read_tail(tmp_path / "log"):
            break
        await wait_exit(proc, 0.01)
    started = time.monotonic()
    await stop_process(
        proc, signals=(signal.SIGTERM, signal.SIGINT), timeout_s=0.2, kill_after_s=0.2
    )
    assert proc.returncode == -signal.SIGKILL
    assert time.monotonic() - started < 3


async def test_one_shot_program_past_its_timeout_is_killed(tmp_path: Path) -> None:
    with (tmp_path / "log").open("ab") as log:
        assert await run_to_end(["sleep", "60"], log=log, account=None, timeout_s=0.2) == -9
        assert await run_to_end(["sh", "-c", "exit 4"], log=log, account=None, timeout_s=5) == 4


def test_child_environment_drops_libpq_variables(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("PGDATA", "/elsewhere")
    monkeypatch.setenv("PGPORT", "1")
    env = child_env({"EXTRA": "1"})
    assert "PGDATA" not in env and "PGPORT" not in env
    assert env["EXTRA"] == "1" and env["LC_ALL"] == "C"


def test_read_tail_keeps_the_last_lines(tmp_path: Path) -> None:
    log = tmp_path / "x.log"
    log.write_text("".join(f"line {i}\n" for i in range(100)))
    assert read_tail(log, lines=3) == "line 97\nline 98\nline 99"
    assert read_tail(tmp_path / "absent.log") == ""


def test_picked_port_is_free_to_bind() -> None:
    port = pick_free_port()
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", port))


async def test_failed_start_stops_the_server_that_did_start(
    initialised_data_dir: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    data_dir = initialised_data_dir
    monkeypatch.setenv("PATH", "")  # redis-server cannot be found; PostgreSQL still can
    before = {p.pid for p in psutil.Process(os.getpid()).children()}
    with pytest.raises(EmbeddedServiceError, match="redis-server"):
        async with embedded_services(data_dir, redis=True, postgres=True):
            pytest.fail("must not get here")
    left = [p.pid for p in psutil.Process(os.getpid()).children() if p.pid not in before]
    assert all(is_gone(pid) for pid in left)
    assert (data_dir / "logs" / "postgres.log").exists()  # PostgreSQL did start meanwhile
