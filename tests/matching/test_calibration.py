"""Calibration: strong fits score high, poor fits low, levels in order, nulls left out."""

from __future__ import annotations

from datetime import date

import pytest

from atspro.evaluation.fit_pairs import HELD_OUT, LEVELS, SPECS, build_resume
from atspro.evaluation.match import LevelScore, auc, score_fit_pairs
from atspro.jobs.model import Job
from atspro.matching import score_match
from atspro.matching.titles import title_role, title_similarity
from atspro.resume.model import ContactInfo, Education, Resume, WorkExperience

CLEAN_STACK = [
    "Python",
    "Go",
    "PostgreSQL",
    "Redis",
    "Kafka",
    "Docker",
    "Kubernetes",
    "AWS",
    "Terraform",
    "GitHub Actions",
]


@pytest.fixture(scope="module")
def fit_scores() -> list[LevelScore]:
    return score_fit_pairs()


def _clean_backend_resume() -> Resume:
    """The issue's user: exactly the posting's stack, 9.4 years, a software engineer title."""
    return Resume(
        contact_info=ContactInfo(full_name="Sam Lee", email="sam@example.org"),
        summary="Backend engineer building Python and Go services.",
        work_experience=[
            WorkExperience(
                company="Streamly",
                position="Senior Software Engineer",
                start_date="2019-01",
                is_current=True,
                responsibilities=[
                    "Built Python and Go services on PostgreSQL and Redis",
                    "Ran Kafka event pipelines on Kubernetes in AWS",
                    "Wrote Terraform modules and GitHub Actions pipelines",
                ],
            ),
            WorkExperience(
                company="Shopline",
                position="Software Engineer",
                start_date="2016-01",
                end_date="2018-12",
                responsibilities=["Built Python APIs on PostgreSQL, shipped in Docker"],
            ),
        ],
        education=[Education(institution="UT Austin", degree="BSc", field_of_study="CS")],
        skills=list(CLEAN_STACK),
    )


def _backend_posting() -> Job:
    return Job(
        title="Senior Backend Engineer",
        company="TechCorp",
        description="We are hiring a Senior Backend Engineer for our payments platform.",
        qualifications=[
            "7+ years of backend development experience",
            "Python and Go; PostgreSQL and Redis",
            "Kafka, Docker and Kubernetes on AWS with Terraform",
            "CI with GitHub Actions",
        ],
        required_skills=list(CLEAN_STACK),
    )


def test_clean_backend_resume_scores_as_a_strong_fit() -> None:
    result = score_match(_clean_backend_resume(), _backend_posting(), today=date(2025, 6, 1))
    assert result.overall_score >= 75, result.rationale
    assert result.title_similarity >= 80
    matched = {m.keyword for m in result.keywords.hard_skills.matched}
    assert set(CLEAN_STACK) <= matched


def test_unassessed_components_are_null_and_left_out() -> None:
    job = Job(title="Backend Engineer", description="Python", required_skills=["Python"])
    result = score_match(Resume(skills=["Python"]), job, today=date(2025, 6, 1))
    assert result.experience_score is None and result.education_score is None
    assert result.not_assessed == ["experience", "education"]
    reasons = {r.component: r.reason for r in result.not_assessed_reasons}
    assert set(reasons) == {"experience", "education"} and all(reasons.values())
    assert "not assessed: experience, education" in result.rationale
    # Left out, not counted as 100: the overall is what skills, keywords and career give.
    with_years = job.model_copy(update={"years_experience_min": 3.0})
    assert score_match(Resume(skills=["Python"]), with_years).experience_score == 0
    assert result.overall_score < 100


def test_title_similarity_knows_families_and_seniority() -> None:
    assert title_similarity("Senior Software Engineer", "Senior Backend Engineer") >= 80
    assert title_similarity("Platform Engineer", "Backend Developer") >= 80
    assert title_similarity("Program Manager", "Senior Product Manager") >= 70
    assert title_similarity("Data Scientist", "Data Analyst") >= 70
    assert title_similarity("Senior Software Engineer", "Registered Nurse") <= 15
    assert title_similarity("Product Designer", "Product Manager") <= 40
    junior = title_similarity("Junior Backend Engineer", "Senior Backend Engineer")
    assert junior < title_similarity("Backend Engineer", "Senior Backend Engineer") == 100
    assert title_role("Charge Nurse") == ("nursing", "registered nurse")
    assert title_role("FP&A Analyst") == ("finance", "financial analyst")
    assert title_role("Astronaut") == ("", "")


def test_generator_controls_overlap() -> None:
    spec = SPECS[0]
    strong = build_resume(spec, "strong", 0)
    partial = build_resume(spec, "partial", 0)
    poor = build_resume(spec, "poor", 0)
    assert len(set(strong.skills) & set(spec.required)) >= len(spec.required) - 2
    assert len(set(partial.skills) & set(spec.required)) == (len(spec.required) + 1) // 2
    assert not set(poor.skills) & set(spec.required)
    assert strong == build_resume(spec, "strong", 0)


def test_auc_counts_ties_half() -> None:
    assert auc([3, 2], [1, 1]) == 1.0
    assert auc([1], [1]) == 0.5


def _check_targets(rows: list[LevelScore]) -> None:
    by_posting: dict[str, dict[str, list[int]]] = {}
    for row in rows:
        by_posting.setdefault(row.occupation, {lv: [] for lv in LEVELS})[row.level].append(
            row.score
        )
    for occupation, levels in by_posting.items():
        assert min(levels["strong"]) >= 75, (occupation, levels)
        assert max(levels["poor"]) <= 35, (occupation, levels)
        assert min(levels["strong"]) > max(levels["partial"]), (occupation, levels)
        assert min(levels["partial"]) > max(levels["poor"]), (occupation, levels)


def test_levels_are_ordered_on_the_tuning_occupations(fit_scores: list[LevelScore]) -> None:
    tuning = [r for r in fit_scores if r.occupation not in HELD_OUT]
    assert len({r.occupation for r in tuning}) >= 6
    _check_targets(tuning)


def test_levels_are_ordered_on_the_held_out_occupations(fit_scores: list[LevelScore]) -> None:
    held = [r for r in fit_scores if r.occupation in HELD_OUT]
    assert {r.occupation for r in held} == HELD_OUT
    _check_targets(held)


def test_a_field_of_study_is_not_offered_as_a_related_skill() -> None:
    job = Job(title="Engineer", description="x", required_skills=["Kubernetes"])
    schooled = Resume(education=[Education(degree="BSc", field_of_study="Docker")])
    listed = Resume(skills=["Docker"])
    assert not any(
        "name them explicitly" in tip for tip in score_match(schooled, job).recommendations
    )
    assert any(
        "Kubernetes (you list Docker)" in tip for tip in score_match(listed, job).recommendations
    )


def test_an_employers_name_is_no_evidence_of_a_skill() -> None:
    resume = Resume(
        work_experience=[
            WorkExperience(
                company="Acme Analytics",
                position="Backend Engineer",
                start_date="2020-01",
                responsibilities=["Built Python services"],
            )
        ],
        skills=["Python"],
    )
    job = Job(
        title="Backend Engineer", description="Python", required_skills=["Python", "analytics"]
    )
    result = score_match(resume, job, today=date(2025, 6, 1))
    matched = {m.keyword for m in result.keywords.hard_skills.matched}
    missing = {m.keyword for m in result.keywords.hard_skills.missing}
    assert "Python" in matched
    assert "analytics" not in matched and "analytics" in missing
