"""The real ``atspro`` command in child processes: serve from nothing, token, migrate."""

from __future__ import annotations

import re
import signal
import tempfile
from pathlib import Path

import httpx
import psutil

from atspro.auth import authenticate
from atspro.db.migrate import list_migrations
from atspro.db.pool import create_pool
from tests.api.conftest import free_port

from .probes import wait_for, wait_until
from .processes import ATSPRO, Child, settings_env

PING = "mutation { pingTask(wait: 10) { __typename ... on Task { id status result } } }"


def _gone(pid: int) -> bool:
    try:
        return bool(psutil.Process(pid).status() == psutil.STATUS_ZOMBIE)
    except psutil.NoSuchProcess:
        return True


async def test_serve_starts_from_an_empty_data_directory(tmp_path: Path) -> None:
    port = free_port()
    # Not under pytest's 0700 tmp_path: an unprivileged PostgreSQL account must reach it.
    with tempfile.TemporaryDirectory(prefix="atspro-fault-serve-") as name:
        data_dir = Path(name) / "data"
        env = settings_env(DATA_DIR=str(data_dir), SHUTDOWN_GRACE_S="2")
        server = Child(
            [str(ATSPRO), "serve", "--port", str(port)],
            env=env,
            log_path=tmp_path / "serve.log",
            cwd=Path(name),  # no .env there
        )
        try:
            async with httpx.AsyncClient(base_url=f"http://127.0.0.1:{port}", timeout=15) as http:

                async def ready() -> bool:
                    if server.proc.poll() is not None:
                        raise AssertionError("serve exited:\n" + server.output()[-4000:])
                    try:
                        return (await http.get("/readyz")).status_code == 200
                    except httpx.TransportError:
                        return False

                # The banner first: it proves the server answering on the port is ours.
                banner = await server.wait_for_line("    Open http", timeout_s=60)
                assert f":{port}/graphql" in banner
                found = re.search(r"Authorization: Bearer (\S+)", banner)
                assert found, server.output()[-3000:]
                token = found[1]
                await wait_until(ready, timeout_s=20, what="/readyz", every_s=0.1)

                reply = await http.post(
                    "/graphql", json={"query": PING}, headers={"Authorization": f"Bearer {token}"}
                )
                task = reply.json()["data"]["pingTask"]
                assert task["__typename"] == "Task" and task["status"] == "COMPLETED", reply.text
                refused = await http.post("/graphql", json={"query": PING})
                assert "data" not in refused.json() or refused.json()["data"] is None

            children = psutil.Process(server.pid).children(recursive=True)
            names = {c.name() for c in children}
            assert any("redis" in n for n in names) and "postgres" in names, names
            assert (data_dir / "pg" / "PG_VERSION").is_file()

            server.send(signal.SIGTERM)
            # uvicorn re-raises SIGTERM after a clean shutdown, so -15 is a clean exit too.
            code = await server.wait_exit(timeout_s=20)
            assert code in (0, -signal.SIGTERM), server.output()[-3000:]
            assert "Application shutdown complete" in server.output()
            await wait_for(
                lambda: all(_gone(c.pid) for c in children),
                timeout_s=10,
                what="embedded servers to stop",
            )
        finally:
            server.kill()


async def test_token_create_and_migrate_against_a_database(
    fresh_database: str, tmp_path: Path
) -> None:
    # No REDIS_URL: these commands need only PostgreSQL and must not start a Redis.
    data_dir = tmp_path / "data"
    env = settings_env(DATABASE_URL=fresh_database, DATA_DIR=str(data_dir))

    def run(*args: str, log: str) -> Child:
        return Child([str(ATSPRO), *args], env=env, log_path=tmp_path / log, cwd=tmp_path)

    # Two migrators at once on an empty database: the advisory lock serialises them.
    first, second = run("migrate", log="m1.log"), run("migrate", log="m2.log")
    assert await first.wait_exit(timeout_s=60) == 0, first.output()
    assert await second.wait_exit(timeout_s=60) == 0, second.output()
    reports = sorted(_applied_line(c.output()) for c in (first, second))
    names = ", ".join(m.name for m in list_migrations())
    assert reports == sorted([f"applied: {names}", "applied: nothing (up to date)"])

    again = run("migrate", log="m3.log")
    assert await again.wait_exit(timeout_s=60) == 0
    assert _applied_line(again.output()) == "applied: nothing (up to date)"

    issuer = run("token", "create", "--user", "x", log="token.log")
    assert await issuer.wait_exit(timeout_s=60) == 0, issuer.output()
    token = issuer.output().strip().splitlines()[-1]
    pool = await create_pool(fresh_database, min_size=1, max_size=1)
    try:
        principal = await authenticate(pool, token, better_auth=False)
        assert principal.user_id == "x"
        stored = await pool.fetchval("SELECT count(*) FROM api_tokens")
        assert stored == 1
    finally:
        await pool.close()
    assert not data_dir.exists(), sorted(p.name for p in data_dir.iterdir())


def _applied_line(output: str) -> str:
    return next(line for line in output.splitlines() if line.startswith("applied:"))
