"""Running the embedded PostgreSQL as an unprivileged account when we are root."""

from __future__ import annotations

import grp
import os
import pwd
import stat
import subprocess
from pathlib import Path

import pytest

from atspro.embedded import EmbeddedServiceError
from atspro.embedded.account import (
    Account,
    can_search,
    chown_tree,
    grant_search,
    service_account,
)

needs_root = pytest.mark.skipif(os.geteuid() != 0, reason="exercises the run-as-root path")


@pytest.fixture
def nobody() -> Account:
    entry = pwd.getpwnam("nobody")
    return Account(name=entry.pw_name, uid=entry.pw_uid, gid=entry.pw_gid)


def test_not_root_means_run_as_ourselves() -> None:
    assert service_account(euid=1000) is None


@needs_root
def test_root_gets_an_unprivileged_system_account() -> None:
    account = service_account()
    assert account is not None and account.uid != 0
    assert pwd.getpwuid(account.uid).pw_name == account.name


@needs_root
def test_falls_back_to_nobody_when_user_cannot_be_created(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    monkeypatch.setenv("PATH", "")  # no useradd to be found
    account = service_account(name="atspro_test_absent_user")
    assert account is not None and account.name == "nobody"


@needs_root
def test_no_usable_account_is_a_clear_error(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("PATH", "")
    monkeypatch.setattr("atspro.embedded.account.FALLBACK_USER", "atspro_test_absent_too")
    with pytest.raises(EmbeddedServiceError, match="cannot run as root"):
        service_account(name="atspro_test_absent_user")


@needs_root
def test_grant_search_opens_only_blocking_ancestors(tmp_path: Path, nobody: Account) -> None:
    base = tmp_path / "private"
    inner = base / "open" / "target"
    inner.mkdir(parents=True)
    base.chmod(0o700)
    (base / "open").chmod(0o755)
    assert not can_search(base, nobody)

    changed = grant_search(inner, nobody)
    assert base in changed and (base / "open") not in changed
    assert stat.S_IMODE(base.stat().st_mode) == 0o701  # search only, never read
    assert all(can_search(d, nobody) for d in inner.parents)
    assert grant_search(inner, nobody) == []


@needs_root
def test_can_search_honours_owner_and_group_bits(tmp_path: Path, nobody: Account) -> None:
    owned = tmp_path / "owned"
    owned.mkdir(mode=0o755)
    os.chown(owned, nobody.uid, nobody.gid)
    owned.chmod(0o655)  # owner lacks x although others have it
    assert not can_search(owned, nobody)

    grouped = tmp_path / "grouped"
    grouped.mkdir()
    os.chown(grouped, 0, nobody.gid)
    grouped.chmod(0o710)
    assert can_search(grouped, nobody)


@needs_root
def test_chown_tree_hands_over_a_whole_tree(tmp_path: Path, nobody: Account) -> None:
    root = tmp_path / "pg"
    (root / "base" / "1").mkdir(parents=True)
    (root / "base" / "1" / "file").write_text("x")
    (root / "link").symlink_to("/etc/passwd")
    chown_tree(root, nobody)
    for path in [root, root / "base", root / "base" / "1", root / "base" / "1" / "file"]:
        assert path.stat().st_uid == nobody.uid
    assert Path("/etc/passwd").stat().st_uid == 0  # symlinks are not followed
    chown_tree(root, nobody)  # already owned: a no-op


@needs_root
def test_missing_service_user_is_created_as_a_system_account() -> None:
    name = f"atspro_t{os.getpid()}"
    try:
        account = service_account(name=name)
        assert account is not None and account.name == name
        entry = pwd.getpwnam(name)
        assert entry.pw_uid < 1000 and entry.pw_shell.endswith("nologin")
    finally:
        subprocess.run(["userdel", name], capture_output=True, check=False)
    with pytest.raises(KeyError):
        pwd.getpwnam(name)


@needs_root
def test_group_without_an_entry_falls_back_to_other_bits(tmp_path: Path, nobody: Account) -> None:
    orphan_gid = 54321
    with pytest.raises(KeyError):
        grp.getgrgid(orphan_gid)
    directory = tmp_path / "orphan-group"
    directory.mkdir()
    os.chown(directory, 0, orphan_gid)
    directory.chmod(0o700)
    assert not can_search(directory, nobody)
    directory.chmod(0o701)
    assert can_search(directory, nobody)
