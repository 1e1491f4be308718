"""The unprivileged account the embedded PostgreSQL runs as when we are root.

initdb and postgres refuse to run as root, and this project is often run as root (containers,
CI). Then we run them as a system user ``atspro`` (created with ``useradd --system`` when
missing, else ``nobody``), chown only the cluster directory to it, and make sure it can reach
that directory: any ancestor it cannot search gets the search bit for others (``o+x``, never
read), which is narrower than pgserver's ``g+rx,o+rx`` on every ancestor.
"""

from __future__ import annotations

import grp
import logging
import os
import pwd
import shutil
import stat
import subprocess
from dataclasses import dataclass
from pathlib import Path

from atspro.embedded.errors import EmbeddedServiceError

logger = logging.getLogger(__name__)

SERVICE_USER = "atspro"
FALLBACK_USER = "nobody"


@dataclass(frozen=True)
class Account:
    """A system account to run a child process as."""

    name: str
    uid: int
    gid: int


def service_account(*, name: str = SERVICE_USER, euid: int | None = None) -> Account | None:
    """None when not root (children run as us); else the unprivileged account, created if missing."""
    if (os.geteuid() if euid is None else euid) != 0:
        return None
    entry = _lookup(name) or _create(name) or _lookup(FALLBACK_USER)
    if entry is None:
        raise EmbeddedServiceError(
            f"running as root and neither user {name!r} (useradd failed) nor "
            f"{FALLBACK_USER!r} exists; PostgreSQL cannot run as root"
        )
    return Account(name=entry.pw_name, uid=entry.pw_uid, gid=entry.pw_gid)


def _lookup(name: str) -> pwd.struct_passwd | None:
    try:
        return pwd.getpwnam(name)
    except KeyError:
        return None


def _create(name: str) -> pwd.struct_passwd | None:
    useradd = shutil.which("useradd")
    if useradd is None:
        return None
    argv = [useradd, "--system", "--user-group", "--no-create-home"]
    argv += ["--home-dir", "/nonexistent", "--shell", "/usr/sbin/nologin", name]
    result = subprocess.run(argv, capture_output=True, text=True, check=False, timeout=30)
    if result.returncode == 0:
        logger.info("created system user %r to run the embedded PostgreSQL", name)
    # Looked up again either way: another process may have created it at the same moment.
    return _lookup(name)


def can_search(directory: Path, account: Account) -> bool:
    """Whether ``account`` may traverse ``directory`` under plain POSIX permission bits."""
    st = directory.stat()
    if st.st_uid == account.uid:
        return bool(st.st_mode & stat.S_IXUSR)
    if st.st_gid == account.gid or account.name in _group_members(st.st_gid):
        return bool(st.st_mode & stat.S_IXGRP)
    return bool(st.st_mode & stat.S_IXOTH)


def _group_members(gid: int) -> list[str]:
    try:
        return list(grp.getgrgid(gid).gr_mem)
    except KeyError:
        return []


def grant_search(path: Path, account: Account, *, quiet_under: Path | None = None) -> list[Path]:
    """Give ``o+x`` to every ancestor of ``path`` that ``account`` cannot traverse.

    Returns the directories changed; changes outside ``quiet_under`` are logged as warnings.
    """
    changed: list[Path] = []
    for directory in reversed(path.resolve().parents):
        if can_search(directory, account):
            continue
        directory.chmod(directory.stat().st_mode | stat.S_IXOTH)
        changed.append(directory)
    outside = [d for d in changed if quiet_under is None or not d.is_relative_to(quiet_under)]
    if outside:
        logger.warning(
            "gave search permission (o+x) to %s so that user %r can reach %s",
            ", ".join(map(str, outside)),
            account.name,
            path,
        )
    return changed


def chown_tree(path: Path, account: Account) -> None:
    """Make ``account`` own ``path`` and everything under it (skipped when it already does)."""
    if path.stat().st_uid == account.uid:
        return
    os.chown(path, account.uid, account.gid)
    for root, dirs, files in os.walk(path):
        for name in dirs + files:
            os.chown(os.path.join(root, name), account.uid, account.gid, follow_symlinks=False)
