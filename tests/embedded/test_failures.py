"""Start failures give a clear error with the server's own last words, and leave nothing running."""

from __future__ import annotations

import os
import stat
from pathlib import Path

import pytest

from atspro.embedded import EmbeddedPostgres, EmbeddedRedis, EmbeddedServiceError
from atspro.embedded.postgres_server import START_ATTEMPTS
from tests.embedded.test_binaries import make_program

FAKE_INITDB = 'd="$2"; mkdir -p "$d" && echo 15 > "$d/PG_VERSION"'


def fake_bindir(root: Path, *, postgres: str, initdb: str = FAKE_INITDB) -> Path:
    """A bindir whose programs are shell scripts; readable by the unprivileged PG account."""
    bindir = root / "fakebin"
    make_program(bindir / "initdb", initdb)
    make_program(bindir / "postgres", postgres)
    for directory in (root, bindir):
        directory.chmod(directory.stat().st_mode | stat.S_IXOTH | stat.S_IROTH)
    return bindir


async def test_redis_that_exits_reports_its_output(made_data_dir: Path) -> None:
    data_dir = made_data_dir
    binary = make_program(data_dir / "redis-server", "echo boom-from-redis; exit 1")
    with pytest.raises(EmbeddedServiceError, match="boom-from-redis") as caught:
        await EmbeddedRedis(data_dir, binary=binary).start()
    assert "did not start" in str(caught.value) and "boom-from-redis" in caught.value.log_tail


async def test_redis_that_never_answers_is_killed(made_data_dir: Path) -> None:
    data_dir = made_data_dir
    pid_file = data_dir / "fake.pid"
    binary = make_program(data_dir / "redis-server", f"echo $$ > {pid_file}; exec sleep 60")
    server = EmbeddedRedis(data_dir, binary=binary, start_timeout_s=0.5)
    with pytest.raises(EmbeddedServiceError, match="did not start"):
        await server.start()
    pid = int(pid_file.read_text())
    with pytest.raises(ProcessLookupError):
        os.kill(pid, 0)
    assert server.pid is None


async def test_failing_initdb_leaves_no_half_made_cluster(made_data_dir: Path) -> None:
    data_dir = made_data_dir
    bindir = fake_bindir(data_dir.parent, postgres="exit 0", initdb="echo initdb-broke; exit 2")
    with pytest.raises(EmbeddedServiceError, match="initdb failed with exit code 2") as caught:
        await EmbeddedPostgres(data_dir, bindir=bindir).start()
    assert "initdb-broke" in caught.value.log_tail
    assert not (data_dir / "pg").exists() and not (data_dir / "pg.init").exists()


async def test_postgres_fatal_error_is_not_retried(data_dir: Path) -> None:
    bindir = fake_bindir(data_dir.parent, postgres="echo 'FATAL: bad setting'; exit 1")
    with pytest.raises(EmbeddedServiceError, match="bad setting"):
        await EmbeddedPostgres(data_dir, bindir=bindir).start()
    log = (data_dir / "logs" / "postgres.log").read_text()
    assert log.count("bad setting") == 1


async def test_postgres_port_clash_is_retried_on_new_ports(data_dir: Path) -> None:
    script = "echo 'LOG: could not bind IPv4 address: Address already in use'; exit 1"
    bindir = fake_bindir(data_dir.parent, postgres=script)
    with pytest.raises(EmbeddedServiceError, match="did not start"):
        await EmbeddedPostgres(data_dir, bindir=bindir).start()
    log = (data_dir / "logs" / "postgres.log").read_text()
    assert log.count("Address already in use") == START_ATTEMPTS


async def test_postgres_that_hangs_at_start_is_stopped(data_dir: Path) -> None:
    bindir = fake_bindir(data_dir.parent, postgres="exec sleep 60")
    server = EmbeddedPostgres(data_dir, bindir=bindir, start_timeout_s=0.5)
    with pytest.raises(EmbeddedServiceError, match="did not start"):
        await server.start()
    assert server.pid is None


async def test_missing_program_in_bindir_is_a_clear_error(data_dir: Path) -> None:
    empty = data_dir.parent / "empty-bin"
    empty.mkdir()
    with pytest.raises(EmbeddedServiceError, match=r"cannot run .*initdb"):
        await EmbeddedPostgres(data_dir, bindir=empty).start()


async def test_database_creation_failure_stops_the_server(initialised_data_dir: Path) -> None:
    data_dir = initialised_data_dir  # its cluster's only role is "atspro"
    stranger = EmbeddedPostgres(data_dir, user="no_such_role")
    with pytest.raises(EmbeddedServiceError, match="could not be created"):
        await stranger.start()
    assert stranger.pid is None
