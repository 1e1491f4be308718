"""Tailoring that helps and never lies: evidence-backed wording, human dates, order, scores."""

from __future__ import annotations

from datetime import date

from atspro.evaluation.fit_pairs import SPECS, fit_pairs, posting_text
from atspro.jobs.model import Job
from atspro.jobs.service import parse_job_from_text
from atspro.resume.model import ContactInfo, Resume, WorkExperience
from atspro.tailoring import check_tailoring, tailor_resume
from atspro.tailoring.markdown import human_date

TODAY = date(2025, 7, 1)
CI_JOB = Job(
    title="Platform Engineer",
    company="Zed",
    description="Platform Engineer at Zed.",
    qualifications=["Experience with CI/CD and Python", "Kubernetes required"],
    required_skills=["CI/CD", "Python", "Kubernetes"],
)


def _engineer(bullet: str, skills: list[str]) -> Resume:
    return Resume(
        contact_info=ContactInfo(full_name="Sam Lee", email="sam@example.org"),
        summary="Software Engineer with 6 years of experience.",
        work_experience=[
            WorkExperience(
                company="Acme",
                position="Software Engineer",
                start_date="2019-03",
                is_current=True,
                responsibilities=[
                    "Kept the docs tidy",
                    bullet,
                    "Ran Python services on Kubernetes",
                ],
            )
        ],
        skills=skills,
    )


def test_true_evidence_is_said_in_the_postings_words() -> None:
    resume = _engineer("Built GitHub Actions CI pipelines for 40 services", ["GitHub Actions"])
    result = tailor_resume(resume, CI_JOB, today=TODAY)
    bullets = result.resume.work_experience[0].responsibilities
    assert "Built GitHub Actions CI/CD pipelines for 40 services" in bullets
    change = next(c for c in result.term_changes if c.term == "CI/CD" and "bullet" in c.where)
    assert change.before == "Built GitHub Actions CI pipelines for 40 services"
    assert change.after == "Built GitHub Actions CI/CD pipelines for 40 services"
    assert "GitHub Actions" in change.evidence
    assert result.after_score > result.before_score
    assert check_tailoring(resume, result.resume, CI_JOB) == []


def test_without_evidence_the_term_never_appears() -> None:
    resume = _engineer("Wrote release notes for 40 services", ["Python"])
    result = tailor_resume(resume, CI_JOB, today=TODAY)
    assert "CI/CD" not in result.markdown
    assert all(c.term != "CI/CD" for c in result.term_changes)
    assert "CI/CD" in result.missing_keywords


def test_a_neighbouring_tool_is_no_proof() -> None:
    job = CI_JOB.model_copy(update={"required_skills": ["Docker"], "qualifications": ["Docker"]})
    resume = _engineer("Ran services on Kubernetes", ["Kubernetes"])
    assert "Docker" not in tailor_resume(resume, job, today=TODAY).markdown


def test_dates_read_the_way_people_write_them() -> None:
    assert human_date("2021-03") == "Mar 2021"
    assert human_date("2021") == "2021"
    markdown = tailor_resume(_engineer("Built APIs", []), CI_JOB, today=TODAY).markdown
    assert "*Mar 2019 \u2013 Present*" in markdown and "2019-03" not in markdown


def test_leads_with_what_the_posting_asks() -> None:
    resume = _engineer("Built GitHub Actions CI pipelines", ["Excel", "GitHub Actions", "Python"])
    result = tailor_resume(resume, CI_JOB, today=TODAY)
    assert result.resume.skills[-1] == "Excel"
    assert result.resume.work_experience[0].responsibilities[-1] == "Kept the docs tidy"
    assert result.section_order[:2] == ["summary", "skills"]


def test_summary_replaces_a_bare_restatement_and_names_no_field_of_study() -> None:
    result = tailor_resume(_engineer("Built APIs", ["Python"]), CI_JOB, today=TODAY)
    summary = result.resume.summary
    assert summary.startswith("Software Engineer with 6 years of experience in ")
    assert summary.count("years of experience") == 1
    assert "computer science" not in summary.lower()


def test_tailored_scores_above_original_where_the_resume_proves_more() -> None:
    """On generated partial fits, tailoring never lowers a score and raises it wherever the
    resume proves a posting term it does not yet name; the rest have nothing true to add."""
    jobs = {spec.occupation: parse_job_from_text(posting_text(spec)) for spec in SPECS}
    raised = 0
    for pair in fit_pairs():
        if pair.level != "partial":
            continue
        job = jobs[pair.spec.occupation]
        result = tailor_resume(pair.resume, job, today=TODAY)
        assert result.after_score >= result.before_score, pair.spec.occupation
        assert check_tailoring(pair.resume, result.resume, job) == []
        named_by_proof = any(" is a kind of " in c.evidence for c in result.term_changes)
        if named_by_proof:
            assert result.after_score > result.before_score, pair.spec.occupation
        raised += result.after_score > result.before_score
    assert raised >= 4
