"""Fixtures for the embedded-server tests: a fresh, empty data directory per test."""

from __future__ import annotations

import tempfile
from collections.abc import Iterator
from pathlib import Path

import pytest


@pytest.fixture
def data_dir() -> Iterator[Path]:
    """An empty directory directly under the system temp dir.

    Not pytest's tmp_path: its 0700 parents would have to be opened up for the unprivileged
    PostgreSQL user when the suite runs as root.
    """
    with tempfile.TemporaryDirectory(prefix="atspro-embedded-") as name:
        yield Path(name) / "data"


@pytest.fixture
def made_data_dir(data_dir: Path) -> Path:
    """The same directory, already created."""
    data_dir.mkdir(parents=True)
    return data_dir
