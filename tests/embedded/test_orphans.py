"""Servers must not outlive a parent that is killed without a chance to stop them."""

from __future__ import annotations

import asyncio
import json
import os
import signal
import subprocess
import sys
from pathlib import Path

import psutil

from atspro.embedded import EmbeddedPostgres
from tests.embedded.test_services import is_gone

PROJECT_ROOT = Path(__file__).resolve().parents[2]


async def test_children_die_when_parent_is_sigkilled(initialised_data_dir: Path) -> None:
    data_dir = initialised_data_dir
    script = Path(__file__).with_name("orphan_parent.py")
    env = {**os.environ, "PYTHONPATH": str(PROJECT_ROOT)}
    parent = await asyncio.create_subprocess_exec(
        sys.executable, str(script), str(data_dir), stdout=subprocess.PIPE, env=env
    )
    assert parent.stdout is not None
    line = await asyncio.wait_for(parent.stdout.readline(), timeout=60)
    pids = json.loads(line)
    # Every process below the parent: both servers and PostgreSQL's own workers.
    descendants = [p.pid for p in psutil.Process(parent.pid).children(recursive=True)]
    assert {pids["redis"], pids["postgres"]} <= set(descendants)
    assert len(descendants) > 2

    parent.send_signal(signal.SIGKILL)
    await parent.wait()
    for _ in range(100):  # up to 5 s
        if all(is_gone(pid) for pid in descendants):
            break
        await asyncio.sleep(0.05)
    assert [pid for pid in descendants if not is_gone(pid)] == []

    # And the data directory is usable again right away.
    server = EmbeddedPostgres(data_dir)
    try:
        await server.start()
    finally:
        await server.stop()
