"""An embedded PostgreSQL cluster in ``data_dir/pg``, run as a child ``postgres`` process.

The cluster is created once with initdb (into ``pg.init``, renamed when complete, so a crash
during initdb never leaves a half-made cluster) and reused on later starts. The server listens
on 127.0.0.1 only, on a port picked at start, with its unix socket in the cluster directory and
``trust`` auth for the superuser ``atspro``. ``postgres`` is started directly rather than with
``pg_ctl start`` so it stays our child and dies with us. A ``postmaster.pid`` left by a crash
is removed; if a live postgres still serves this very directory (another atspro process on the
same data directory), we use that server instead of starting a second one.
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
import os
import shutil
import signal
import subprocess
from pathlib import Path

import asyncpg
import psutil

from atspro.embedded.account import Account, chown_tree, grant_search, service_account
from atspro.embedded.binaries import find_postgres_bindir
from atspro.embedded.errors import EmbeddedServiceError
from atspro.embedded.process import (
    exclusive_lock,
    pick_free_port,
    process_serves,
    read_tail,
    run_to_end,
    spawn,
    stop_process,
)

logger = logging.getLogger(__name__)

START_ATTEMPTS = 5
# Linux's limit for a unix socket path is 108 bytes including ".s.PGSQL.NNNNN" and a NUL.
MAX_SOCKET_DIR_LEN = 90
RETRYABLE_START_FAILURES = (
    "could not bind",
    "Address already in use",
    "could not create any TCP/IP sockets",
    "pre-existing shared memory block",  # a killed server's children are still exiting
    "lock file",
)


class EmbeddedPostgres:
    """Start and stop a private PostgreSQL; ``start()`` returns its ``postgresql://`` URL."""

    def __init__(
        self,
        data_dir: Path,
        *,
        bindir: Path | None = None,
        database: str = "atspro",
        user: str = "atspro",
        start_timeout_s: float = 30.0,
        stop_timeout_s: float = 10.0,
    ) -> None:
        self.data_dir = Path(data_dir)
        self.bindir = bindir
        self.database = database
        self.user = user
        self.start_timeout_s = start_timeout_s
        self.stop_timeout_s = stop_timeout_s
        self.port: int | None = None
        self._proc: subprocess.Popen[bytes] | None = None
        self._attached_pid: int | None = None

    @property
    def pgdata(self) -> Path:
        """The cluster directory."""
        return self.data_dir / "pg"

    @property
    def log_path(self) -> Path:
        """Where initdb's and the server's output goes."""
        return self.data_dir / "logs" / "postgres.log"

    @property
    def pid(self) -> int | None:
        """The postmaster's process id while it runs (ours, or the one we attached to)."""
        if self._proc is not None:
            return self._proc.pid if self._proc.poll() is None else None
        if self._attached_pid is not None and psutil.pid_exists(self._attached_pid):
            return self._attached_pid
        return None

    @property
    def url(self) -> str:
        """The database URL; only valid after ``start()``."""
        if self.port is None:
            raise EmbeddedServiceError("embedded PostgreSQL is not started")
        return f"postgresql://{self.user}@127.0.0.1:{self.port}/{self.database}"

    async def start(self) -> str:
        """Create the cluster if needed, start the server, create the database; return its URL.

        When another process already runs a server on this directory, use that one instead
        (``stop()`` then leaves it running); a lock file serialises concurrent starters.
        """
        if self.pid is not None:
            return self.url
        bindir = self.bindir or find_postgres_bindir()
        account = service_account()
        self.data_dir.mkdir(parents=True, exist_ok=True)
        self.log_path.parent.mkdir(parents=True, exist_ok=True)
        async with exclusive_lock(self.data_dir / "pg.lock"):
            if account is not None:
                grant_search(self.pgdata, account, quiet_under=self.data_dir.resolve())
                grant_search(bindir / "postgres", account)
            if not (self.pgdata / "PG_VERSION").is_file():
                await self._initdb(bindir, account)
            elif account is not None:
                chown_tree(self.pgdata, account)
            live = self._live_server()
            if live is not None:
                self._attached_pid, self.port = live
                logger.info("using embedded PostgreSQL pid %s on port %s", *live)
            else:
                self._clear_stale_pidfile()
                await self._run_server(bindir, account)
            await self._ensure_database()
        return self.url

    async def stop(self) -> None:
        """Fast shutdown (SIGINT), then immediate (SIGQUIT), then SIGKILL after timeouts.

        A server this object only attached to is left to the process that started it.
        """
        self._attached_pid = None
        proc, self._proc = self._proc, None
        if proc is not None:
            await stop_process(
                proc, signals=(signal.SIGINT, signal.SIGQUIT), timeout_s=self.stop_timeout_s
            )
            logger.info("embedded PostgreSQL stopped (exit %s)", proc.returncode)

    async def _initdb(self, bindir: Path, account: Account | None) -> None:
        staging = self.data_dir / "pg.init"
        shutil.rmtree(staging, ignore_errors=True)
        staging.mkdir(mode=0o700)
        if account is not None:
            chown_tree(staging, account)
        argv = [
            str(bindir / "initdb"),
            "-D", str(staging),
            "-U", self.user,
            "--auth=trust",
            "--encoding=UTF8",
            "--locale=C",
            "--no-sync",  # the rename below happens after an explicit sync instead
        ]  # fmt: skip
        with self.log_path.open("ab") as log:
            code = await run_to_end(argv, log=log, account=account, timeout_s=120)
        if code != 0:
            shutil.rmtree(staging, ignore_errors=True)
            raise EmbeddedServiceError(
                f"initdb failed with exit code {code}", log_tail=read_tail(self.log_path)
            )
        await asyncio.to_thread(_sync_filesystem)
        shutil.rmtree(self.pgdata, ignore_errors=True)  # an empty or partial leftover
        staging.rename(self.pgdata)
        logger.info("created PostgreSQL cluster in %s", self.pgdata)

    def _live_server(self) -> tuple[int, int] | None:
        """(pid, port) of a ready postgres already serving this directory, if any."""
        try:
            lines = (self.pgdata / "postmaster.pid").read_text().split("\n")
        except FileNotFoundError:
            return None
        pid = int(lines[0]) if lines[0].strip().isdigit() else 0
        if not pid or not process_serves(pid, name="postgres", cwd=self.pgdata):
            return None
        if len(lines) < 8 or lines[7].strip() != "ready" or not lines[3].strip().isdigit():
            raise EmbeddedServiceError(
                f"PostgreSQL pid {pid} on {self.pgdata} is running but not ready (starting or "
                "stopping); try again in a moment"
            )
        return pid, int(lines[3])

    def _clear_stale_pidfile(self) -> None:
        pidfile = self.pgdata / "postmaster.pid"
        with contextlib.suppress(FileNotFoundError):
            pidfile.unlink()
            logger.info("removed stale %s left by a server that is gone", pidfile)

    def _argv(self, bindir: Path, port: int) -> list[str]:
        socket_dir = str(self.pgdata.resolve())
        if len(socket_dir) > MAX_SOCKET_DIR_LEN:
            socket_dir = ""  # TCP only: the path would not fit in a socket address
        return [
            str(bindir / "postgres"),
            "-D", str(self.pgdata),
            "-c", "listen_addresses=127.0.0.1",
            "-c", f"port={port}",
            "-c", f"unix_socket_directories={socket_dir}",
            "-c", "logging_collector=off",
        ]  # fmt: skip

    async def _run_server(self, bindir: Path, account: Account | None) -> None:
        loop = asyncio.get_running_loop()
        deadline = loop.time() + self.start_timeout_s
        for _ in range(START_ATTEMPTS):
            port = pick_free_port()
            log_size = self.log_path.stat().st_size if self.log_path.exists() else 0
            with self.log_path.open("ab") as log:
                proc = spawn(self._argv(bindir, port), log=log, account=account)
            if await self._wait_ready(proc, deadline):
                self._proc, self.port = proc, port
                logger.info("embedded PostgreSQL pid %s on 127.0.0.1:%s", proc.pid, port)
                return
            if proc.poll() is None:  # still starting at the deadline (or hung)
                await stop_process(proc, signals=(signal.SIGQUIT,), timeout_s=2)
                break
            if not _says_retryable(self.log_path, log_size) or loop.time() >= deadline:
                break
            await asyncio.sleep(0.2)
        raise EmbeddedServiceError(
            f"embedded PostgreSQL ({bindir}) did not start", log_tail=read_tail(self.log_path)
        )

    async def _wait_ready(self, proc: subprocess.Popen[bytes], deadline: float) -> bool:
        loop = asyncio.get_running_loop()
        pidfile = self.pgdata / "postmaster.pid"
        while loop.time() < deadline:
            if proc.poll() is not None:
                return False
            if _pidfile_ready(pidfile, proc.pid):
                return True
            await asyncio.sleep(0.005)
        return False

    async def _ensure_database(self) -> None:
        try:
            conn = await asyncpg.connect(
                host="127.0.0.1", port=self.port, user=self.user, database="postgres", timeout=10
            )
            try:
                exists = await conn.fetchval(
                    "SELECT 1 FROM pg_database WHERE datname = $1", self.database
                )
                if not exists:
                    name = self.database.replace('"', '""')
                    await conn.execute(f'CREATE DATABASE "{name}"')
            finally:
                await conn.close()
        except (OSError, asyncpg.PostgresError) as exc:
            await self.stop()
            raise EmbeddedServiceError(
                f"embedded PostgreSQL started but database {self.database!r} could not be "
                f"created: {exc}",
                log_tail=read_tail(self.log_path),
            ) from exc


def _pidfile_ready(pidfile: Path, pid: int) -> bool:
    """postmaster.pid names our process and its status line (line 8) says "ready"."""
    try:
        lines = pidfile.read_text().split("\n")
    except OSError:
        return False
    return len(lines) >= 8 and lines[0].strip() == str(pid) and lines[7].strip() == "ready"


def _says_retryable(log_path: Path, offset: int) -> bool:
    try:
        with log_path.open("rb") as handle:
            handle.seek(offset)
            text = handle.read().decode("utf-8", "replace")
    except OSError:
        return False
    return any(marker in text for marker in RETRYABLE_START_FAILURES)


def _sync_filesystem() -> None:
    # One sync() (~0.1 s here) instead of initdb's per-file fsyncs (~2 s here).
    os.sync()
