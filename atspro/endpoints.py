"""``DATA_DIR/endpoints.json``: where a running ``atspro serve`` says its Redis and PostgreSQL are.

``atspro serve`` writes it once its services are up. Commands started without
``REDIS_URL``/``DATABASE_URL`` (worker, token, migrate) join those services instead of starting
embedded ones of their own: a second embedded PostgreSQL would be a different database, so a
token issued there is one the running server rejects.
"""

from __future__ import annotations

import json
import os
from pathlib import Path

import psutil

from atspro.errors import ATSProError
from atspro.settings import Settings

FILENAME = "endpoints.json"


class NoRunningService(ATSProError):
    """A command needs the running service's endpoints and none were found."""

    code = "NO_RUNNING_SERVICE"


def endpoints_path(settings: Settings) -> Path:
    """The file ``atspro serve`` writes under the data directory."""
    return settings.data_dir / FILENAME


def write_endpoints(settings: Settings) -> None:
    """Record the services' URLs and this process's id (so a stale file can be told apart)."""
    path = endpoints_path(settings)
    path.parent.mkdir(parents=True, exist_ok=True)
    record = {
        "redis_url": settings.redis_url,
        "database_url": settings.database_url,
        "pid": os.getpid(),
    }
    path.write_text(json.dumps(record))


def join_running_service(settings: Settings, *, command: str, redis: bool = True) -> Settings:
    """``settings`` with blank service URLs filled from the running service's endpoints.

    Raises NoRunningService, naming what to set, when no ``atspro serve`` on this data
    directory is running. ``redis=False`` is for commands that use only PostgreSQL.
    """
    if settings.database_url and (settings.redis_url or not redis):
        return settings
    path = endpoints_path(settings)
    needed = "REDIS_URL and DATABASE_URL" if redis else "DATABASE_URL"
    try:
        found = json.loads(path.read_text())
    except FileNotFoundError:
        raise NoRunningService(
            f"{command} needs {needed}, or a running `atspro serve` that wrote {path}; "
            "start `atspro serve`, or set DATA_DIR to the data directory of the one running, "
            f"or set {needed}"
        ) from None
    except (OSError, ValueError) as exc:
        raise NoRunningService(f"{path} cannot be read ({exc}); set {needed}") from exc
    if not isinstance(found, dict) or not {"redis_url", "database_url"} <= found.keys():
        raise NoRunningService(f"{path} does not name the services; set {needed}")
    pid = found.get("pid")
    if isinstance(pid, int) and not psutil.pid_exists(pid):
        raise NoRunningService(
            f"{command} needs {needed}, or a running `atspro serve`: the one that wrote "
            f"{path} (pid {pid}) has stopped; start `atspro serve` again, or set {needed}"
        )
    return settings.model_copy(
        update={
            "redis_url": settings.redis_url or found["redis_url"],
            "database_url": settings.database_url or found["database_url"],
        }
    )
