"""Child processes for the fault tests: worker processes and the real ``atspro`` CLI."""

from __future__ import annotations

import asyncio
import json
import os
import signal
import subprocess
import sys
import time
from pathlib import Path
from typing import Any

from atspro.settings import Settings

ROOT = Path(__file__).resolve().parents[2]
ATSPRO = Path(sys.executable).with_name("atspro")


def settings_env(settings: Settings | None = None, **extra: str) -> dict[str, str]:
    """This process's environment without any setting, plus ``settings`` as variables."""
    names = {name.upper() for name in Settings.model_fields}
    env = {k: v for k, v in os.environ.items() if k.upper() not in names}
    if settings is not None:
        for name, value in settings.model_dump().items():
            env[name.upper()] = _env_value(value)
    env.update(extra)
    env["PYTHONPATH"] = str(ROOT)
    return env


def _env_value(value: Any) -> str:
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, list | dict):
        return json.dumps(value)
    return str(value)


class Child:
    """A child process with its output in a log file."""

    def __init__(self, argv: list[str], *, env: dict[str, str], log_path: Path, cwd: Path) -> None:
        self.log_path = log_path
        with log_path.open("ab") as log:
            self.proc = subprocess.Popen(
                argv,
                env=env,
                cwd=cwd,
                stdout=log,
                stderr=subprocess.STDOUT,
                stdin=subprocess.DEVNULL,
            )

    @property
    def pid(self) -> int:
        return self.proc.pid

    def output(self) -> str:
        return self.log_path.read_text(errors="replace")

    async def wait_for_line(self, prefix: str, *, timeout_s: float) -> str:
        """The first output line starting with ``prefix``; fails if the child exits first."""
        deadline = time.monotonic() + timeout_s
        while time.monotonic() < deadline:
            for line in self.output().splitlines():
                if line.startswith(prefix):
                    return line
            if self.proc.poll() is not None:
                raise AssertionError(
                    f"child exited ({self.proc.returncode}) before printing {prefix!r}:\n"
                    + self.output()[-4000:]
                )
            await asyncio.sleep(0.05)
        raise AssertionError(f"no {prefix!r} line within {timeout_s}s:\n" + self.output()[-4000:])

    def send(self, sig: signal.Signals) -> None:
        if self.proc.poll() is None:
            self.proc.send_signal(sig)

    async def wait_exit(self, *, timeout_s: float) -> int | None:
        """The exit code, or None if still running after ``timeout_s``."""
        try:
            return await asyncio.to_thread(self.proc.wait, timeout_s)
        except subprocess.TimeoutExpired:
            return None

    def kill(self) -> None:
        """SIGKILL and reap (teardown of a child a test left running)."""
        if self.proc.poll() is None:
            self.proc.kill()
        self.proc.wait(timeout=10)


class WorkerProcess(Child):
    """``tests.faults.worker_process``: a WorkerPool process with the test handlers."""

    consumer: str = ""

    async def wait_ready(self, *, timeout_s: float = 30.0) -> None:
        line = await self.wait_for_line("ready ", timeout_s=timeout_s)
        self.consumer = line.split()[2]
