"""Scoring without the skills taxonomy still works on plain phrases."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import date

import pytest

from atspro.jobs.model import Job
from atspro.matching import score_match, vocabulary
from atspro.matching.titles import posting_title
from atspro.resume.model import Resume

_CACHED = (
    vocabulary.canonical_term,
    vocabulary.related_terms,
    vocabulary.find_mentions,
    vocabulary.kind_of,
)


@pytest.fixture
def no_taxonomy(monkeypatch: pytest.MonkeyPatch) -> Iterator[None]:
    for cached in _CACHED:
        cached.cache_clear()
    monkeypatch.setattr(vocabulary, "_skills", lambda: None)
    yield
    for cached in _CACHED:
        cached.cache_clear()


@pytest.mark.usefixtures("no_taxonomy")
def test_plain_phrases_match_without_taxonomy() -> None:
    assert vocabulary.canonical_term("Machine-Learning.") == "machine learning"
    assert vocabulary.find_mentions("Python") == ()
    assert vocabulary.related_terms("python") == frozenset()
    assert vocabulary.kind_of("Python") is None
    job = Job(title="Engineer", description="x", required_skills=["Machine Learning", "Rust"])
    result = score_match(Resume(skills=["machine learning"]), job, today=date(2025, 1, 1))
    assert [m.keyword for m in result.keywords.hard_skills.matched] == ["Machine Learning"]
    assert result.skills_score == 50


def test_real_taxonomy_is_used_when_installed() -> None:
    assert vocabulary.canonical_term("k8s") == "kubernetes"
    assert vocabulary.kind_of("Python") == "hard"


def test_posting_title_recovers_from_sentence_titles() -> None:
    text = "We are hiring a Senior Frontend Engineer to lead our web team."
    assert posting_title("4+ years of React; strong TypeScript", text) == "Senior Frontend Engineer"
    assert posting_title("Data Engineer", text) == "Data Engineer"
    assert posting_title("", "Come work with us.") == ""
    assert posting_title("Requirements: a lot; of things", "No hint here.") == ""
