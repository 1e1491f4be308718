"""Fixtures for the embedded-server tests: fresh data directories, empty or with a cluster."""

from __future__ import annotations

import os
import shutil
import tempfile
from collections.abc import AsyncIterator, Iterator
from pathlib import Path

import pytest

from atspro.embedded import EmbeddedPostgres

# Clusters are ~1000 files; on a busy shared disk creating, copying and deleting them costs
# seconds per test, on tmpfs milliseconds. The code under test is the same either way.
SCRATCH = "/dev/shm" if os.access("/dev/shm", os.W_OK) else None


@pytest.fixture
def data_dir() -> Iterator[Path]:
    """An empty (not yet created) data directory in a fresh directory on tmpfs (or temp dir).

    Not pytest's tmp_path: its 0700 parents would have to be opened up for the unprivileged
    PostgreSQL user when the suite runs as root.
    """
    with tempfile.TemporaryDirectory(prefix="atspro-embedded-", dir=SCRATCH) as name:
        yield Path(name) / "data"


@pytest.fixture
def made_data_dir(data_dir: Path) -> Path:
    """The same directory, already created."""
    data_dir.mkdir(parents=True)
    return data_dir


@pytest.fixture(scope="session")
async def cluster_template() -> AsyncIterator[Path]:
    """A data directory whose cluster was made (initdb, database created) once per session."""
    with tempfile.TemporaryDirectory(prefix="atspro-embedded-template-", dir=SCRATCH) as name:
        server = EmbeddedPostgres(Path(name))
        await server.start()
        await server.stop()
        yield Path(name)


@pytest.fixture
def initialised_data_dir(data_dir: Path, cluster_template: Path) -> Path:
    """A data directory holding a copy of the session's cluster (initdb costs 1-3 s each).

    The copy is owned by us, not the PostgreSQL account, so starting it also re-chowns it.
    """
    shutil.copytree(cluster_template / "pg", data_dir / "pg", symlinks=True)
    return data_dir
