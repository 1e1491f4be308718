"""The ranking's short form agrees with the full score, and orders best first."""

from __future__ import annotations

from atspro.evaluation.fit_pairs import SPECS, build_resume, posting_text
from atspro.evaluation.match import FIT_TODAY
from atspro.jobs.service import parse_job_from_text
from atspro.matching import prepare_job, score_match
from atspro.matching.ranking import order_entries, rank_chunk


def test_entries_carry_the_match_scores_and_rank_by_fit() -> None:
    spec = SPECS[0]
    job = parse_job_from_text(posting_text(spec))
    resumes = {level: build_resume(spec, level, 1) for level in ("poor", "strong", "partial")}
    pairs = [(level, r.model_dump(mode="json")) for level, r in resumes.items()]
    entries = rank_chunk(prepare_job(job), pairs, today=FIT_TODAY)
    assert [e["resume_id"] for e in entries] == ["poor", "strong", "partial"]  # input order
    for entry in entries:
        full = score_match(resumes[entry["resume_id"]], job, today=FIT_TODAY)
        assert entry["overall_score"] == full.overall_score
        assert entry["skills_score"] == full.skills_score
        assert entry["career_score"] == full.career_score
        missing = full.missing_keywords(required_only=True)
        assert set(entry["missing_skills"]) <= set(missing)
        assert entry["reason"].startswith(f"{full.overall_score}/100: ")
    assert [e["resume_id"] for e in order_entries(entries)] == ["strong", "partial", "poor"]


def test_ties_keep_input_order_after_the_skills_score() -> None:
    rows = [
        {"resume_id": "a", "overall_score": 50, "skills_score": None},
        {"resume_id": "b", "overall_score": 50, "skills_score": 60},
        {"resume_id": "c", "overall_score": 70, "skills_score": 10},
        {"resume_id": "d", "overall_score": 50, "skills_score": 60},
    ]
    assert [e["resume_id"] for e in order_entries(rows)] == ["c", "b", "d", "a"]
