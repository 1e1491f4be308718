"""The real server (tests/api's fixtures) and the Node client package installed from its lock."""

from __future__ import annotations

import hashlib
import shutil
import subprocess
from pathlib import Path

import pytest

from tests.api.conftest import Api, ApiFactory, api, api_factory

__all__ = ["CLIENTS", "Api", "ApiFactory", "api", "api_factory", "node_clients"]

CLIENTS = Path(__file__).resolve().parents[2] / "clients"
# Written after a clean install: the lock it came from, so a session with the same lock and
# an intact node_modules skips the reinstall.
MARKER = CLIENTS / "node_modules" / ".atspro-installed-lock"


@pytest.fixture(scope="session")
def node_clients() -> Path:
    """clients/ with node_modules installed by ``npm ci`` from clients/package-lock.json."""
    npm, node = shutil.which("npm"), shutil.which("node")
    if npm is None or node is None:
        pytest.skip("Node.js with npm is not installed: the real-client tests need it (CI has it)")
    lock = hashlib.sha256((CLIENTS / "package-lock.json").read_bytes()).hexdigest()
    if MARKER.is_file() and MARKER.read_text() == lock:
        return CLIENTS
    done = subprocess.run(
        [npm, "ci", "--ignore-scripts", "--no-audit", "--no-fund", "--loglevel=error"],
        cwd=CLIENTS,
        capture_output=True,
        text=True,
        timeout=300,
        check=False,
    )
    assert done.returncode == 0, f"npm ci in clients/ failed:\n{done.stdout}\n{done.stderr}"
    MARKER.write_text(lock)
    return CLIENTS
