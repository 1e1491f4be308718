"""Compiling the vocabulary from taxonomy files and from our own lexicon."""

from __future__ import annotations

import importlib.metadata
import logging
from pathlib import Path

import pytest

from atspro.skills import lexicon, taxonomy
from atspro.skills.taxonomy import build_taxonomy, strip_qualifier


def test_lightcast_rows_become_concepts_with_acronyms_and_subcategories(taxonomy_dir: Path) -> None:
    built = build_taxonomy(taxonomy_dir)
    zql = built.surfaces["zebra query language"]
    assert zql.kind == "hard"
    assert "programming languages" in zql.related
    # The acronym in parentheses names the same concept; the qualifier "(Software)" is dropped.
    assert built.surfaces["zql"] is zql
    assert built.surfaces["quokka"].canonical == "quokka"
    # Categories and subcategories are hierarchy rows, not skills.
    assert "information technology" not in built.surfaces


def test_soft_kind_comes_from_personal_categories_and_transversal_codes(taxonomy_dir: Path) -> None:
    built = build_taxonomy(taxonomy_dir)
    assert built.surfaces["calm under pressure"].kind == "soft"
    assert built.surfaces["lateral thinking"].kind == "soft"
    assert built.surfaces["sideways thinking"].canonical == "lateral thinking"
    assert built.surfaces["welsh"].kind == "hard"


def test_esco_alternatives_join_their_preferred_concept(taxonomy_dir: Path) -> None:
    built = build_taxonomy(taxonomy_dir)
    # ESCO's "Zebra Query Language" meets Lightcast's concept of the same name.
    assert built.surfaces["zql 2"] is built.surfaces["zebra query language"]
    # An everyday word as an alternative label would mislabel every "design".
    assert "design" not in built.surfaces
    # A lower-case one-word alternative must be a spelling of the preferred name.
    assert built.surfaces["zebraql"] is built.surfaces["zebra query language"]
    assert "stripes" not in built.surfaces
    # Task phrases of the S pillar and alternatives without a preferred label stay out.
    assert "herd goats" not in built.surfaces
    assert "orphan alt" not in built.surfaces


def test_everyday_words_and_capitals_are_recorded(taxonomy_dir: Path) -> None:
    built = build_taxonomy(taxonomy_dir)
    assert "form" in built.ambiguous
    assert "quokka" not in built.ambiguous
    assert "welsh" in built.proper
    assert "spring" in built.ambiguous  # from our own tech list
    assert "to" not in built.surfaces
    assert "spring framework" in built.surfaces
    assert "spring" in built.prefixes


def test_vendor_products_are_registered_without_their_vendor(taxonomy_dir: Path) -> None:
    with (taxonomy_dir / taxonomy.LIGHTCAST_FILE).open("a", encoding="utf-8") as handle:
        handle.write("KS8,Microsoft Outlook,,skill\nKS9,SAP Manufacturing,,skill\n")
        handle.write("KS10,Oracle Fi,,skill\nKS11,Adobe Form,,skill\n")
        handle.write("KS12,Microsoft Dynamics CRM,,skill\n")
    built = build_taxonomy(taxonomy_dir)
    outlook = built.surfaces["microsoft outlook"]
    assert built.surfaces["outlook"] is outlook
    assert "outlook" in built.products
    assert built.surfaces["ms outlook"] is outlook  # "MS" abbreviates Microsoft
    # Generic words, two-letter codes and surfaces of their own stay what they were.
    assert "manufacturing" not in built.surfaces
    assert "fi" not in built.surfaces
    assert built.surfaces["form"].canonical == "form"
    assert "form" not in built.products
    # Several words make a product name too.
    assert built.surfaces["dynamics crm"] is built.surfaces["microsoft dynamics crm"]
    assert "dynamics crm" in built.products


def test_lexicon_entries_win_over_taxonomy_rows(taxonomy_dir: Path) -> None:
    built = build_taxonomy(taxonomy_dir)
    assert built.surfaces["k8s"].canonical == "kubernetes"
    assert built.surfaces["react.js"].canonical == "react"
    assert built.surfaces["teamwork"].kind == "soft"
    assert "javascript" in built.surfaces["react"].related
    assert "react" in built.narrower["javascript"]


def test_without_the_package_the_lexicon_alone_is_used(caplog: pytest.LogCaptureFixture) -> None:
    with caplog.at_level(logging.WARNING, logger="atspro.skills.taxonomy"):
        built = build_taxonomy(None)
    assert "not installed" in caplog.text
    assert built.surfaces["postgres"].canonical == "postgresql"
    assert set(lexicon.TECH_NAMES) <= {c for c in built.concepts} | set(lexicon.ALIASES)
    # The lexicon's own vendor names give their products too.
    assert built.surfaces["office"] is built.surfaces["microsoft office"]


def test_strip_qualifier_keeps_acronyms_only() -> None:
    assert strip_qualifier("Python (Programming Language)") == ("Python", None)
    assert strip_qualifier("Identity And Access Management (IAM)") == (
        "Identity And Access Management",
        "IAM",
    )
    assert strip_qualifier("SQL") == ("SQL", None)


def test_locate_data_dir_without_the_distribution(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(taxonomy, "TAXONOMY_DISTRIBUTION", "atspro-no-such-distribution")
    assert taxonomy.locate_data_dir() is None


def test_locate_data_dir_with_a_distribution_lacking_the_files(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    installed = importlib.metadata.distribution("pytest").metadata["Name"]
    monkeypatch.setattr(taxonomy, "TAXONOMY_DISTRIBUTION", installed)
    monkeypatch.setattr(taxonomy, "_DATA_FOLDER", "atspro_no_such_folder")
    assert taxonomy.locate_data_dir() is None


def test_installed_package_gives_a_large_vocabulary(package_taxonomy: taxonomy.Taxonomy) -> None:
    assert len(package_taxonomy.surfaces) > 30_000
    assert package_taxonomy.surfaces["python"].kind == "hard"
    assert package_taxonomy.surfaces["leadership"].kind == "soft"
    assert package_taxonomy.surfaces["problem solving"].kind == "soft"
