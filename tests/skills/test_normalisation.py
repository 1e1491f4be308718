"""canonical_skill, skill_kind and related_skills."""

from __future__ import annotations

import pytest

from atspro.skills import canonical_skill, related_skills, skill_kind
from atspro.skills.lexicon import RELATIONS
from atspro.skills.normalisation import singular
from atspro.skills.taxonomy import Taxonomy


@pytest.mark.parametrize(
    ("written", "canonical"),
    [
        ("ML", "machine learning"),
        ("Machine Learning", "machine learning"),
        ("JS", "javascript"),
        ("JavaScript", "javascript"),
        ("k8s", "kubernetes"),
        ("Kubernetes", "kubernetes"),
        ("Postgres", "postgresql"),
        ("PostgreSQL", "postgresql"),
        ("React.js", "react"),
        ("ReactJS", "react"),
        ("react", "react"),
        ("Node . js", "node.js"),
        ("NodeJS", "node.js"),
        (". NET", ".net"),
        (".NET Core", ".net"),
        ("C #", "c#"),
        ("C++", "c++"),
        ("Front-End", "front end"),
        ("frontend", "front end"),
        ("CI/CD", "ci/cd"),
        ("Python 3", "python"),
        ("python3", "python"),
        ("Java 8", "java"),
        ("Angular 2+", "angular"),
        ("HTML5", "html"),
        ("Micro-services", "microservices"),
        ("Data Visualisation", "data visualization"),
        ("  PYTHON  ", "python"),
    ],
)
def test_canonical_skill_folds_spelling_variants(written: str, canonical: str) -> None:
    assert canonical_skill(written) == canonical


def test_canonical_skill_folds_plurals_of_unknown_names() -> None:
    assert canonical_skill("Widget Pipelines") == canonical_skill("widget pipeline")
    assert canonical_skill("Gizmo Factories") == "gizmo factory"
    assert canonical_skill("QQLs") == canonical_skill("QQL") == "qql"


def test_canonical_skill_of_unknown_names_is_stable_and_idempotent() -> None:
    first = canonical_skill("Frobnicator Toolkit (Beta)")
    assert first == "frobnicator toolkit"
    assert canonical_skill(first) == first


@pytest.mark.parametrize(
    ("word", "expected"),
    [
        ("databases", "database"),
        ("libraries", "library"),
        ("services", "service"),
        ("classes", "class"),
        ("boxes", "box"),
        ("branches", "branch"),
        ("tools", "tool"),
        ("analytics", "analytics"),
        ("status", "status"),
        ("analysis", "analysis"),
        ("aws", "aws"),
        ("css", "css"),
        ("ios", "ios"),
        ("s3", "s3"),
    ],
)
def test_singular(word: str, expected: str) -> None:
    assert singular(word) == expected


def test_skill_kind() -> None:
    assert skill_kind("Python") == "hard"
    assert skill_kind("k8s") == "hard"
    assert skill_kind("Teamwork") == "soft"
    assert skill_kind("problem-solving") == "soft"
    assert skill_kind("communication skills") == "soft"
    assert skill_kind("frobnicating widgets") is None


def test_related_skills_go_both_ways() -> None:
    assert {"javascript", "front end"} <= related_skills("react")
    assert "react" in related_skills("javascript")
    assert "python" in related_skills(canonical_skill("Django"))
    # A non-canonical spelling is normalised first.
    assert "javascript" in related_skills("React.js")
    assert related_skills("frobnicating widgets") == frozenset()


def test_related_skills_include_taxonomy_subcategories(package_taxonomy: Taxonomy) -> None:
    concept = package_taxonomy.surfaces["kubernetes"]
    assert concept.related - RELATIONS["kubernetes"]  # the Lightcast subcategory it sits in
    assert related_skills("kubernetes") >= concept.related | {"docker"}


def test_taxonomy_names_resolve_through_qualifiers(package_taxonomy: Taxonomy) -> None:
    del package_taxonomy
    assert canonical_skill("Python (Programming Language)") == "python"
    assert canonical_skill("Docker (Software)") == "docker"
    assert canonical_skill("Leadership") == "leadership"
    assert skill_kind("Leadership") == "soft"


def test_unknown_product_names_keep_their_letters_but_lose_versions() -> None:
    assert canonical_skill("WhyLogs") == "whylogs"
    assert canonical_skill("ZorbDB 2.1") == "zorbdb"
    assert canonical_skill("Blorp 365") == "blorp 365"  # a product number, not a version
