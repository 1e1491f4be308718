"""The offline research report: overview, role, fit, topics, questions and red flags."""

from __future__ import annotations

from datetime import date

import pytest

from atspro.jobs.model import Job, Salary, WorkplaceType
from atspro.research import SitePage, build_research_report, detect_red_flags
from atspro.resume.model import Resume, WorkExperience

TODAY = date(2025, 6, 1)


@pytest.fixture
def job() -> Job:
    return Job(
        title="Senior Data Engineer",
        company="Riverbank",
        description=(
            "Riverbank is a cooperative bank serving 2 million members. "
            "We are looking for a Senior Data Engineer to join our analytics platform team. "
            "You will be part of the on-call rotation."
        ),
        responsibilities=[
            "Build batch and streaming pipelines",
            "Own the data warehouse models",
            "Mentor analysts",
        ],
        qualifications=["5+ years with Python and SQL", "Experience with Airflow or Dagster"],
        preferred_qualifications=["dbt is a plus"],
        required_skills=["Python", "SQL", "Spark"],
        preferred_skills=["dbt"],
        seniority="senior",
        workplace_type=WorkplaceType.HYBRID,
        salary=Salary(text="Competitive salary"),
    )


@pytest.fixture
def resume() -> Resume:
    return Resume(
        summary="Data engineer.",
        work_experience=[
            WorkExperience(
                company="Shopco",
                position="Data Engineer",
                start_date="2019-01",
                is_current=True,
                responsibilities=["Built Airflow pipelines in Python and SQL"],
            ),
        ],
        skills=["Python", "SQL", "Airflow"],
    )


def test_report_has_every_section(resume: Resume, job: Job) -> None:
    report = build_research_report(resume, job, today=TODAY)
    for heading in (
        "## Company overview",
        "## The role",
        "## How you fit",
        "## Likely interview topics",
        "## Questions to ask",
        "## Red flags",
        "## Sources",
    ):
        assert heading in report.markdown
    assert report.markdown.startswith("# Riverbank: Senior Data Engineer research")
    assert report.match.overall_score == int(report.fit[0].split("Match score ")[1].split("/")[0])


def test_overview_comes_from_posting_and_site(resume: Resume, job: Job) -> None:
    plain = build_research_report(resume, job, today=TODAY)
    assert plain.overview == ["Riverbank is a cooperative bank serving 2 million members."]
    url = "https://riverbank.example/about"
    site = [SitePage(url, ("Riverbank was founded in 1921 in Porto by fishermen.", "Contact us"))]
    with_site = build_research_report(resume, job, site=site, today=TODAY)
    assert "Riverbank was founded in 1921 in Porto by fishermen." in with_site.overview
    assert url in with_site.sources
    assert "- Founded: 1921 [2]" in with_site.markdown
    assert f"2. {url}" in with_site.markdown


def test_questions_are_specific_and_eight_to_ten(resume: Resume, job: Job) -> None:
    questions = build_research_report(resume, job, today=TODAY).questions
    assert 8 <= len(questions) <= 10
    text = "\n".join(questions)
    assert "build batch and streaming pipelines" in text  # first duty
    assert "Spark" in text  # a missing required skill
    assert "analytics platform team" in text
    assert "salary range" in text and "on-call" in text and "days a week" in text


def test_thin_posting_still_gets_eight_questions(resume: Resume) -> None:
    report = build_research_report(resume, Job(description="Come work with us."), today=TODAY)
    assert 8 <= len(report.questions) <= 10
    assert len(set(report.questions)) == len(report.questions)
    assert {f.code for f in report.red_flags} == {"anonymous_employer"}
    assert any("salary range" in q for q in report.questions)


def test_topics_cover_skills_duties_and_gaps(resume: Resume, job: Job) -> None:
    topics = build_research_report(resume, job, today=TODAY).interview_topics
    joined = " ".join(topics)
    assert "Python" in joined and "own the data warehouse models" in joined
    assert any(t.startswith("Be ready for questions on") and "Spark" in t for t in topics)
    assert any("Leadership" in t for t in topics)


@pytest.mark.parametrize(
    ("change", "code"),
    [
        ({"description": "We need a coding ninja!"}, "hype_language"),
        ({"description": "First a two-week unpaid trial project."}, "unpaid_work"),
        ({"description": "We work hard, play hard."}, "pressure_culture"),
        ({"description": "Your own uniform: a $40 training fee applies."}, "fee_to_start"),
        ({"qualifications": [f"Skill {i}" for i in range(20)]}, "excessive_requirements"),
        ({"title": "Junior Developer", "years_experience_min": 5.0}, "contradictory_seniority"),
        (
            {"title": "Senior Engineer", "description": "No experience required."},
            "contradictory_seniority",
        ),
        ({"salary": Salary(text="Competitive salary")}, "vague_pay"),
        ({"salary": Salary(min=40000, max=120000)}, "vague_pay"),
        ({"title": "Junior Analyst", "education_level": "phd"}, "unrealistic_education"),
        ({"company": ""}, "anonymous_employer"),
    ],
)
def test_red_flags(change: dict[str, object], code: str) -> None:
    base = {
        "title": "Engineer",
        "company": "Acme",
        "description": "A role.",
        "salary": Salary(min=50000, max=60000),
    }
    job = Job.model_validate({**base, **change})
    assert code in {f.code for f in detect_red_flags(job)}


def test_clean_posting_has_no_red_flags() -> None:
    job = Job(
        title="Engineer",
        company="Acme",
        description="Build things.",
        salary=Salary(min=50000, max=60000),
    )
    assert detect_red_flags(job) == []
    vague = detect_red_flags(Job(title="Engineer", company="Acme", description="Salary DOE."))
    assert vague[0].code == "vague_pay" and vague[0].evidence == "DOE"
    # Saying nothing about pay is a question to ask, not a warning sign.
    assert (
        detect_red_flags(Job(title="Engineer", company="Acme", description="Build things.")) == []
    )
