"""Fixtures for extraction tests: the shared sample data and default limits."""

from __future__ import annotations

import pytest

from atspro.extraction import ExtractionLimits


@pytest.fixture(scope="session")
def limits() -> ExtractionLimits:
    return ExtractionLimits()
