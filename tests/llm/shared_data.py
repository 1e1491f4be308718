"""Where the shared sample data lives (``<project root>/../shared/data``)."""

from __future__ import annotations

from pathlib import Path

import pytest

DATA = Path(__file__).resolve().parents[2].parent / "shared" / "data"


def shared_file(relative: str) -> Path:
    """The shared file at ``relative``, or skip the test when the data is not here."""
    path = DATA / relative
    if not path.exists():
        pytest.skip(f"shared sample data not found at {path}")
    return path


def shared_files(pattern: str) -> list[Path]:
    """Shared files matching ``pattern`` (empty when the data is absent; tests then skip)."""
    return sorted(DATA.glob(pattern)) if DATA.exists() else []
