"""Fixtures for extraction tests: the shared sample data and default limits."""

from __future__ import annotations

from pathlib import Path

import pytest

from atspro.extraction import ExtractionLimits

SHARED_DATA = Path(__file__).resolve().parents[2] / ".." / "shared" / "data"


@pytest.fixture(scope="session")
def shared_data() -> Path:
    """The read-only sample data folder next to the project, or skip when it is absent."""
    if not SHARED_DATA.is_dir():
        pytest.skip(f"shared sample data not found at {SHARED_DATA}")
    return SHARED_DATA


@pytest.fixture(scope="session")
def limits() -> ExtractionLimits:
    return ExtractionLimits()
