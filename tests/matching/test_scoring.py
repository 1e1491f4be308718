"""Behaviour of the match score: it moves the right way when the resume changes."""

from __future__ import annotations

from datetime import date

from atspro.jobs.model import Job
from atspro.matching import (
    MatchResult,
    match_facts,
    prepare_job,
    prepare_resume,
    rank_resumes,
    score_match,
    score_profiles,
)
from atspro.resume.model import Education, Resume, WorkExperience


def _hard(result: MatchResult) -> tuple[set[str], set[str]]:
    group = result.keywords.hard_skills
    return {m.keyword for m in group.matched}, {m.keyword for m in group.missing}


def test_scores_are_bounded_ints_with_facts(
    backend_resume: Resume, backend_job: Job, today: date
) -> None:
    result = score_match(backend_resume, backend_job, today=today)
    for value in (
        result.overall_score,
        result.skills_score,
        result.experience_score,
        result.education_score,
        result.keywords_score,
        result.career_score,
    ):
        assert isinstance(value, int)
        assert 0 <= value <= 100
    assert result.rationale.startswith(f"Overall {result.overall_score}/100")
    assert result.strengths and result.gaps and result.recommendations
    assert match_facts(result)["overall_score"] == result.overall_score


def test_adding_a_missing_required_skill_raises_the_score(
    backend_resume: Resume, backend_job: Job, today: date
) -> None:
    before = score_match(backend_resume, backend_job, today=today)
    assert "Kubernetes" in _hard(before)[1]
    grown = backend_resume.model_copy(deep=True)
    grown.skills.append("Kubernetes")
    after = score_match(grown, backend_job, today=today)
    assert "Kubernetes" in _hard(after)[0]
    assert after.skills_score > before.skills_score
    assert after.overall_score >= before.overall_score


def test_removing_a_matched_skill_lowers_the_score(
    backend_resume: Resume, backend_job: Job, today: date
) -> None:
    before = score_match(backend_resume, backend_job, today=today)
    shrunk = backend_resume.model_copy(deep=True)
    shrunk.skills = [s for s in shrunk.skills if s != "Docker"]
    shrunk.work_experience[1].responsibilities = ["Ran services"]
    after = score_match(shrunk, backend_job, today=today)
    assert "Docker" in _hard(after)[1]
    assert after.skills_score < before.skills_score


def test_abbreviation_matches_the_full_name(today: date) -> None:
    job = Job(
        title="Frontend Engineer", description="x", required_skills=["JavaScript", "PostgreSQL"]
    )
    resume = Resume(skills=["JS", "Postgres"])
    result = score_match(resume, job, today=today)
    matched = {m.keyword: m for m in result.keywords.hard_skills.matched}
    assert set(matched) == {"JavaScript", "PostgreSQL"}
    assert matched["JavaScript"].match_type == "synonym"
    assert matched["JavaScript"].found_in[0].text == "JS"
    assert any("'JS' -> 'JavaScript'" in tip for tip in result.recommendations)


def test_required_skills_weigh_more_than_preferred(today: date) -> None:
    job = Job(
        title="Engineer", description="x", required_skills=["Python"], preferred_skills=["Rust"]
    )
    has_required = score_match(Resume(skills=["Python"]), job, today=today)
    has_preferred = score_match(Resume(skills=["Rust"]), job, today=today)
    assert has_required.skills_score > has_preferred.skills_score > 0


def test_related_skill_earns_partial_credit_but_stays_missing(today: date) -> None:
    job = Job(title="Engineer", description="x", required_skills=["Kubernetes"])
    related = score_match(Resume(skills=["Docker"]), job, today=today)
    nothing = score_match(Resume(skills=["Excel"]), job, today=today)
    exact = score_match(Resume(skills=["Kubernetes"]), job, today=today)
    assert nothing.skills_score < related.skills_score < exact.skills_score
    assert related.keywords.hard_skills.missing[0].match_type == "related"


def test_alternatives_are_satisfied_by_any_one(
    backend_resume: Resume, backend_job: Job, today: date
) -> None:
    without = score_match(backend_resume, backend_job, today=today)
    assert "React / Vue / Angular" in _hard(without)[1]
    grown = backend_resume.model_copy(deep=True)
    grown.skills.append("Vue")
    assert "React / Vue / Angular" in _hard(score_match(grown, backend_job, today=today))[0]


def test_keyword_locations_name_section_and_snippet(
    backend_resume: Resume, backend_job: Job, today: date
) -> None:
    result = score_match(backend_resume, backend_job, today=today)
    fastapi = next(m for m in result.keywords.hard_skills.matched if m.keyword == "FastAPI")
    sections = {loc.section for loc in fastapi.found_in}
    assert {"experience", "skills"} <= sections
    snippet = next(loc.snippet for loc in fastapi.found_in if loc.section == "experience")
    assert "FastAPI serving 50K" in snippet


def test_multiword_keyword_found_in_other_word_forms(today: date) -> None:
    job = Job(title="Data Engineer", description="x", required_skills=["data modeling"])
    resume = Resume(
        work_experience=[WorkExperience(responsibilities=["Cleaned and modeled survey data"])]
    )
    match = score_match(resume, job, today=today).keywords.hard_skills.matched[0]
    assert match.match_type == "variant"
    assert match.found_in[0].text == "modeled survey data"


def test_more_years_raise_experience_up_to_the_ask(
    backend_resume: Resume, backend_job: Job, today: date
) -> None:
    short = backend_resume.model_copy(deep=True)
    short.work_experience = short.work_experience[:1]
    short.work_experience[0].start_date = "2023-06"
    low = score_match(short, backend_job, today=today)
    high = score_match(backend_resume, backend_job, today=today)
    assert low.experience_score < high.experience_score == 100
    assert low.required_years == 5
    assert any("against 5+ years asked" in gap for gap in low.gaps)


def test_overlapping_roles_count_once(today: date) -> None:
    roles = [
        WorkExperience(company="A", position="Engineer", start_date="2020-01", end_date="2022-01"),
        WorkExperience(company="B", position="Engineer", start_date="2021-01", end_date="2023-01"),
    ]
    result = score_match(
        Resume(work_experience=roles), Job(title="Engineer", description="x"), today=today
    )
    assert result.candidate_years == 3.0


def test_degree_level_against_the_ask(today: date) -> None:
    job = Job(
        title="Analyst", description="x", qualifications=["Master's degree in Statistics required"]
    )
    master = Resume(education=[Education(degree="MSc", field_of_study="Statistics")])
    bachelor = Resume(education=[Education(degree="BSc", field_of_study="Statistics")])
    none = Resume()
    scores = [score_match(r, job, today=today).education_score for r in (master, bachelor, none)]
    assert scores[0] == 100
    assert scores[0] > scores[1] > scores[2]


def test_or_equivalent_softens_a_missing_degree(today: date) -> None:
    strict = Job(title="Engineer", description="x", qualifications=["Bachelor's degree required"])
    soft = Job(
        title="Engineer",
        description="x",
        qualifications=["Bachelor's degree or equivalent experience"],
    )
    resume = Resume()
    assert (
        score_match(resume, soft, today=today).education_score
        > score_match(resume, strict, today=today).education_score
    )


def test_title_similarity_drives_career_score(today: date) -> None:
    job = Job(title="Front-End Developer", description="x")
    close = Resume(
        work_experience=[
            WorkExperience(position="Frontend Engineer", start_date="2020-01", is_current=True)
        ]
    )
    far = Resume(
        work_experience=[
            WorkExperience(position="Product Manager", start_date="2020-01", is_current=True)
        ]
    )
    near = score_match(close, job, today=today)
    assert near.career_score > score_match(far, job, today=today).career_score
    assert near.keywords.job_title.matched and near.best_matching_title == "Frontend Engineer"


def test_unasked_components_are_not_assessed(today: date) -> None:
    result = score_match(
        Resume(skills=["Python"]),
        Job(description="Python", required_skills=["Python"]),
        today=today,
    )
    assert {"experience", "education"} <= set(result.not_assessed)
    assert result.overall_score == result.skills_score == 100


def test_rank_reuses_the_prepared_job(
    backend_resume: Resume, backend_job: Job, today: date
) -> None:
    weak = Resume(skills=["Excel"])
    strong = backend_resume.model_copy(deep=True)
    strong.skills += ["Kubernetes", "PostgreSQL", "Terraform"]
    profiles = [prepare_resume(r, today=today) for r in (weak, backend_resume, strong)]
    prepared = prepare_job(backend_job)
    ranked = rank_resumes(profiles, prepared)
    assert [index for index, _ in ranked] == [2, 1, 0]
    assert ranked == rank_resumes(profiles, backend_job)
    expected = score_match(strong, backend_job, today=today).overall_score
    assert ranked[0][1] == expected == score_profiles(prepared, profiles[2])


def test_score_is_deterministic(backend_resume: Resume, backend_job: Job, today: date) -> None:
    first = score_match(backend_resume, backend_job, today=today)
    second = score_match(
        backend_resume.model_copy(deep=True), backend_job.model_copy(deep=True), today=today
    )
    assert first == second
