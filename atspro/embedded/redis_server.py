"""An embedded redis-server, a child process under ``data_dir/redis``.

Persistence: append-only file (``appendfsync everysec``) under ``data_dir/redis`` and no RDB
snapshots, so queued work survives a restart of ``atspro serve`` at the cost of at most one
second of writes after a crash. It listens on 127.0.0.1 only, on a port picked at start, and
records its pid and port in ``data_dir/redis/server.json`` so that another atspro process on the
same data directory uses it rather than starting a second server on the same files.
"""

from __future__ import annotations

import asyncio
import json
import logging
import signal
import subprocess
from pathlib import Path

import psutil

from atspro.embedded.binaries import find_redis_server
from atspro.embedded.errors import EmbeddedServiceError
from atspro.embedded.process import (
    exclusive_lock,
    pick_free_port,
    process_serves,
    read_tail,
    spawn,
    stop_process,
)

logger = logging.getLogger(__name__)

START_ATTEMPTS = 3
STATE_FILE = "server.json"  # pid and port of the running server, for other processes
PROBE_TIMEOUT_S = 0.5


class EmbeddedRedis:
    """Start and stop a private redis-server; ``start()`` returns its ``redis://`` URL."""

    def __init__(
        self,
        data_dir: Path,
        *,
        binary: Path | None = None,
        start_timeout_s: float = 10.0,
        stop_timeout_s: float = 5.0,
    ) -> None:
        self.data_dir = Path(data_dir)
        self.binary = binary
        self.start_timeout_s = start_timeout_s
        self.stop_timeout_s = stop_timeout_s
        self.port: int | None = None
        self._proc: subprocess.Popen[bytes] | None = None
        self._attached_pid: int | None = None

    @property
    def pid(self) -> int | None:
        """The server's process id while it runs (ours, or the one we attached to)."""
        if self._proc is not None:
            return self._proc.pid if self._proc.poll() is None else None
        if self._attached_pid is not None and psutil.pid_exists(self._attached_pid):
            return self._attached_pid
        return None

    @property
    def log_path(self) -> Path:
        """Where the server's output goes."""
        return self.data_dir / "logs" / "redis.log"

    @property
    def url(self) -> str:
        """The server's URL (database 0); only valid after ``start()``."""
        if self.port is None:
            raise EmbeddedServiceError("embedded Redis is not started")
        return f"redis://127.0.0.1:{self.port}/0"

    async def start(self) -> str:
        """Start the server (no-op if running) and return ``redis://127.0.0.1:PORT/0``.

        When another process already runs the server of this directory, use that one instead
        (``stop()`` then leaves it running); a lock file serialises concurrent starters.
        """
        if self.pid is not None:
            return self.url
        binary = self.binary or find_redis_server()
        workdir = self.data_dir / "redis"
        workdir.mkdir(parents=True, exist_ok=True, mode=0o700)
        self.log_path.parent.mkdir(parents=True, exist_ok=True)
        async with exclusive_lock(self.data_dir / "redis.lock"):
            live = _live_server(workdir)
            if live is not None and await _answers_ping(live[1]):
                self._attached_pid, self.port = live
                logger.info("using embedded Redis pid %s on port %s", *live)
                return self.url
            await self._run_server(binary, workdir)
        return self.url

    async def _run_server(self, binary: Path, workdir: Path) -> None:
        for _ in range(START_ATTEMPTS):
            port = pick_free_port()
            with self.log_path.open("ab") as log:
                proc = spawn(self._argv(binary, port, workdir), log=log)
            if await self._wait_ready(proc, port):
                self._proc, self.port = proc, port
                (workdir / STATE_FILE).write_text(json.dumps({"pid": proc.pid, "port": port}))
                logger.info("embedded Redis pid %s listening on 127.0.0.1:%s", proc.pid, port)
                return
            if proc.poll() is None:  # alive but never answered: give up, do not retry
                await stop_process(proc, signals=(signal.SIGKILL,), timeout_s=2)
                break
        raise EmbeddedServiceError(
            f"embedded Redis ({binary}) did not start", log_tail=read_tail(self.log_path)
        )

    async def stop(self) -> None:
        """Stop the server: SIGTERM (flushes the AOF), SIGKILL after the timeout.

        A server this object only attached to is left to the process that started it.
        """
        self._attached_pid = None
        proc, self._proc = self._proc, None
        if proc is not None:
            await stop_process(proc, signals=(signal.SIGTERM,), timeout_s=self.stop_timeout_s)
            logger.info("embedded Redis stopped (exit %s)", proc.returncode)

    @staticmethod
    def _argv(binary: Path, port: int, workdir: Path) -> list[str]:
        return [
            str(binary),
            "--port", str(port),
            "--bind", "127.0.0.1",
            "--protected-mode", "yes",
            "--daemonize", "no",
            "--dir", str(workdir),
            "--save", "",
            "--appendonly", "yes",
            "--appendfsync", "everysec",
            "--logfile", "",
        ]  # fmt: skip

    async def _wait_ready(self, proc: subprocess.Popen[bytes], port: int) -> bool:
        loop = asyncio.get_running_loop()
        deadline = loop.time() + self.start_timeout_s
        while loop.time() < deadline:
            if proc.poll() is not None:
                return False  # e.g. the port was taken meanwhile; the caller retries
            if await _answers_ping(port):
                return True
            await asyncio.sleep(0.005)
        return False


def _live_server(workdir: Path) -> tuple[int, int] | None:
    """(pid, port) from the state file when that redis-server still runs in ``workdir``."""
    try:
        state = json.loads((workdir / STATE_FILE).read_text())
        pid, port = int(state["pid"]), int(state["port"])
    except (OSError, ValueError, KeyError, TypeError):
        return None
    return (pid, port) if process_serves(pid, name="redis", cwd=workdir) else None


async def _answers_ping(port: int) -> bool:
    """True once the server answers PING with PONG (not -LOADING while it reads the AOF)."""
    try:
        async with asyncio.timeout(PROBE_TIMEOUT_S):
            reader, writer = await asyncio.open_connection("127.0.0.1", port)
            try:
                writer.write(b"PING\r\n")
                await writer.drain()
                line = await reader.readline()
            finally:
                writer.close()
                await writer.wait_closed()
    except (OSError, TimeoutError):
        return False
    return line.startswith(b"+PONG")
