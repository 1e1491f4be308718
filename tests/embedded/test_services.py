"""Embedded Redis and PostgreSQL started for real from an empty data directory."""

from __future__ import annotations

import asyncio
import os
import signal
from pathlib import Path

import asyncpg
import psutil
import pytest
import redis.asyncio as aioredis

from atspro.embedded import (
    EmbeddedPostgres,
    EmbeddedRedis,
    EmbeddedServiceError,
    EmbeddedUrls,
    embedded_services,
)


def is_gone(pid: int) -> bool:
    """True when the process no longer exists or is a zombie awaiting its reaper."""
    try:
        return psutil.Process(pid).status() == psutil.STATUS_ZOMBIE
    except psutil.NoSuchProcess:
        return True


async def test_both_start_from_empty_dir_serve_and_stop(data_dir: Path) -> None:
    async with embedded_services(data_dir, redis=True, postgres=True) as urls:
        assert urls.redis_url and urls.redis_url.startswith("redis://127.0.0.1:")
        assert urls.database_url and urls.database_url.startswith("postgresql://atspro@127.0.0.1:")
        assert urls.database_url.endswith("/atspro")

        conn = await asyncpg.connect(urls.database_url)
        try:
            await conn.execute("CREATE TABLE t (id int PRIMARY KEY, body jsonb)")
            await conn.execute("INSERT INTO t VALUES (1, '{\"a\": 2}')")
            assert await conn.fetchval("SELECT body->>'a' FROM t WHERE id = 1") == "2"
            assert await conn.fetchval("SHOW listen_addresses") == "127.0.0.1"
            socket_dir = await conn.fetchval("SHOW unix_socket_directories")
            backend_pid = await conn.fetchval("SELECT pg_backend_pid()")
        finally:
            await conn.close()
        assert Path(socket_dir) == (data_dir / "pg").resolve()
        assert any(name.startswith(".s.PGSQL.") for name in os.listdir(socket_dir))

        client = aioredis.from_url(urls.redis_url)
        try:
            version = (await client.info("server"))["redis_version"]
            assert tuple(int(x) for x in version.split(".")[:2]) >= (6, 2)
            await client.xgroup_create("jobs", "workers", id="0", mkstream=True)
            entry_id = await client.xadd("jobs", {"task": "t1"})
            got = await client.xreadgroup("workers", "w1", {"jobs": ">"}, count=1)
            assert got[0][1][0][0] == entry_id
            # w1 "dies"; w2 claims the pending entry after an idle time of 0 ms.
            _next, claimed, _deleted = await client.xautoclaim("jobs", "workers", "w2", 0)
            assert [c[0] for c in claimed] == [entry_id]
            assert (await client.config_get("appendonly"))["appendonly"] == "yes"
            redis_pid = (await client.info("server"))["process_id"]
        finally:
            await client.aclose()
    assert is_gone(redis_pid)
    assert is_gone(backend_pid)
    assert not (data_dir / "pg" / "postmaster.pid").exists()


async def test_only_what_is_asked_for_is_started(data_dir: Path) -> None:
    async with embedded_services(data_dir, redis=True, postgres=False) as urls:
        assert urls == EmbeddedUrls(redis_url=urls.redis_url, database_url=None)
        assert urls.redis_url is not None
    assert not (data_dir / "pg").exists()
    async with embedded_services(data_dir, redis=False, postgres=False) as none:
        assert none == EmbeddedUrls(redis_url=None, database_url=None)


async def test_restart_on_same_dir_keeps_data(initialised_data_dir: Path) -> None:
    data_dir = initialised_data_dir
    async with embedded_services(data_dir, redis=True, postgres=True) as first:
        assert first.database_url and first.redis_url
        conn = await asyncpg.connect(first.database_url)
        await conn.execute("CREATE TABLE kept (v text); INSERT INTO kept VALUES ('hello')")
        await conn.close()
        client = aioredis.from_url(first.redis_url)
        await client.xadd("atspro:queue:normal", {"task": "kept"})
        await client.aclose()
    async with embedded_services(data_dir, redis=True, postgres=True) as second:
        assert second.database_url and second.redis_url
        conn = await asyncpg.connect(second.database_url)
        assert await conn.fetchval("SELECT v FROM kept") == "hello"
        await conn.close()
        client = aioredis.from_url(second.redis_url)
        entries = await client.xrange("atspro:queue:normal")
        await client.aclose()
        assert [e[1] for e in entries] == [{b"task": b"kept"}]


async def test_start_is_idempotent_and_stop_twice_is_harmless(data_dir: Path) -> None:
    server = EmbeddedRedis(data_dir)
    url = await server.start()
    pid = server.pid
    assert await server.start() == url and server.pid == pid
    await server.stop()
    await server.stop()
    assert server.pid is None and pid is not None and is_gone(pid)


async def test_url_before_start_is_an_error(data_dir: Path) -> None:
    with pytest.raises(EmbeddedServiceError, match="not started"):
        _ = EmbeddedRedis(data_dir).url
    with pytest.raises(EmbeddedServiceError, match="not started"):
        _ = EmbeddedPostgres(data_dir).url


async def test_postgres_starts_after_a_crash(initialised_data_dir: Path) -> None:
    data_dir = initialised_data_dir
    server = EmbeddedPostgres(data_dir)
    url = await server.start()
    conn = await asyncpg.connect(url)
    await conn.execute("CREATE TABLE survived (v int); INSERT INTO survived VALUES (7)")
    await conn.close()
    assert server.pid is not None
    os.kill(server.pid, signal.SIGKILL)  # a crash: postmaster.pid and shared memory left
    assert (data_dir / "pg" / "postmaster.pid").exists()

    again = EmbeddedPostgres(data_dir)
    try:
        conn = await asyncpg.connect(await again.start())
        assert await conn.fetchval("SELECT v FROM survived") == 7
        await conn.close()
    finally:
        await again.stop()
        await server.stop()  # reaps the killed process


async def test_stale_pidfile_naming_a_live_unrelated_process_does_not_block(
    initialised_data_dir: Path,
) -> None:
    data_dir = initialised_data_dir
    server = EmbeddedPostgres(data_dir)
    # After a reboot the recorded pid may belong to anything; pid 1 is always alive.
    (data_dir / "pg" / "postmaster.pid").write_text("1\n/elsewhere\n")
    try:
        await server.start()
        assert server.pid is not None and server.pid != 1
    finally:
        await server.stop()


async def test_second_start_on_a_live_directory_uses_the_running_servers(
    initialised_data_dir: Path,
) -> None:
    data_dir = initialised_data_dir
    async with embedded_services(data_dir, redis=True, postgres=True) as first:
        # Another process (here: other objects) on the same data directory.
        async with embedded_services(data_dir, redis=True, postgres=True) as second:
            assert second == first
            assert first.database_url and first.redis_url
        # Leaving the second context must not have stopped the first one's servers.
        conn = await asyncpg.connect(first.database_url)
        assert await conn.fetchval("SELECT 1") == 1
        await conn.close()
        client = aioredis.from_url(first.redis_url)
        assert await client.ping()
        await client.aclose()


async def test_live_server_that_is_not_ready_is_reported(initialised_data_dir: Path) -> None:
    data_dir = initialised_data_dir
    first = EmbeddedPostgres(data_dir)
    await first.start()
    try:
        pidfile = data_dir / "pg" / "postmaster.pid"
        lines = pidfile.read_text().split("\n")
        lines[7] = "stopping"
        pidfile.write_text("\n".join(lines))
        with pytest.raises(EmbeddedServiceError, match="not ready"):
            await EmbeddedPostgres(data_dir).start()
    finally:
        await first.stop()


async def test_garbage_pidfile_is_removed_and_repeat_start_is_a_no_op(
    initialised_data_dir: Path,
) -> None:
    data_dir = initialised_data_dir
    (data_dir / "pg" / "postmaster.pid").write_text("not a pid\n")
    server = EmbeddedPostgres(data_dir)
    await server.stop()  # never started: nothing to do
    try:
        url = await server.start()
        pid = server.pid
        assert await server.start() == url and server.pid == pid
    finally:
        await server.stop()
    assert pid is not None and is_gone(pid)


async def test_concurrent_starters_share_one_server(made_data_dir: Path) -> None:
    first, second = EmbeddedRedis(made_data_dir), EmbeddedRedis(made_data_dir)
    try:
        urls = await asyncio.gather(first.start(), second.start())
        assert urls[0] == urls[1]
        pid = first.pid
        assert pid is not None and second.pid == pid
    finally:
        await second.stop()
        await first.stop()
    assert is_gone(pid)
