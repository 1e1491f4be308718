"""Where the shared evaluation data lives, and skipping when a clone has none.

``<project root>/../shared/data`` by default; ``ATSPRO_SHARED_DATA`` names another folder
(CI sets it to a missing one for its second pass, proving the suite passes without it).
"""

from __future__ import annotations

import os
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
DATA = Path(os.environ.get("ATSPRO_SHARED_DATA") or ROOT.parent / "shared" / "data")


def shared_file(relative: str = "") -> Path:
    """The shared file or folder at ``relative``, or skip the test when it is not here."""
    path = DATA / relative
    if not path.exists():
        pytest.skip(f"shared data not found at {path} (it lives beside the project)")
    return path


def shared_files(pattern: str) -> list[Path]:
    """Shared files matching ``pattern`` (empty when the data is absent; tests then skip)."""
    return sorted(DATA.glob(pattern)) if DATA.is_dir() else []
