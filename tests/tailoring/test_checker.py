"""The hard-rule checker: what it accepts and what it rejects, on Resume objects and Markdown."""

from __future__ import annotations

from typing import Any

import pytest

from atspro.evaluation.match import resume_from_matcher
from atspro.jobs.model import Job
from atspro.resume.model import Certification, Education, Project, Resume, WorkExperience
from atspro.tailoring import blocking, check_tailoring, render_markdown


def _rules(violations: list[Any], severity: str = "error") -> set[str]:
    return {v.rule for v in violations if v.severity == severity}


def test_an_unchanged_resume_passes_both_ways(resume: Resume, job: Job) -> None:
    assert check_tailoring(resume, resume.model_copy(deep=True), job) == []
    assert check_tailoring(resume, render_markdown(resume), job) == []


def test_golden_good_accepted_bad_rejected(golden_cases: list[dict[str, Any]]) -> None:
    for case in golden_cases:
        original = resume_from_matcher(case["original"])
        job = Job(description=case["job_description"])
        good = check_tailoring(original, resume_from_matcher(case["tailored_good"]), job)
        bad = check_tailoring(original, resume_from_matcher(case["tailored_bad"]), job)
        assert blocking(good) == [], case["name"]
        assert {"contact_changed", "employer_invented"} <= _rules(bad), case["name"]
        # The good ones add skills the original never shows: flagged, not blocked.
        assert "skill_unsupported" in _rules(good, "warning")


@pytest.mark.parametrize(
    ("change", "rule"),
    [
        (lambda r: setattr(r.contact_info, "email", "other@example.org"), "contact_changed"),
        (lambda r: r.contact_info.links.clear(), "contact_changed"),
        (lambda r: setattr(r, "languages", []), "section_dropped"),
        (lambda r: setattr(r.work_experience[0], "company", "Google"), "employer_invented"),
        (
            lambda r: setattr(r.work_experience[0], "position", "Head of Engineering"),
            "title_invented",
        ),
        (lambda r: setattr(r.work_experience[1], "start_date", "2015-01"), "date_changed"),
        (lambda r: setattr(r.education[0], "degree", "MSc"), "degree_invented"),
        (lambda r: setattr(r.education[0], "institution", "Oxford"), "school_invented"),
        (lambda r: setattr(r.education[0], "graduation_date", "2017"), "date_changed"),
        (
            lambda r: r.certifications.append(Certification(name="AWS Certified Developer")),
            "certification_invented",
        ),
        (lambda r: r.projects.append(Project(name="Rocket")), "project_invented"),
        (
            lambda r: r.work_experience[0].responsibilities.append("Cut costs by 45%"),
            "number_invented",
        ),
        (
            lambda r: setattr(r, "summary", "Frontend developer with 25 years of experience."),
            "number_invented",
        ),
        (lambda r: setattr(r, "summary", "Frontend developer since March 2012."), "date_invented"),
    ],
)
def test_each_hard_rule_is_enforced(resume: Resume, job: Job, change: Any, rule: str) -> None:
    tailored = resume.model_copy(deep=True)
    change(tailored)
    assert rule in _rules(check_tailoring(resume, tailored, job))


def test_inserted_posting_keyword_is_flagged(resume: Resume, job: Job) -> None:
    tailored = resume.model_copy(deep=True)
    tailored.skills.append("GraphQL")
    violations = check_tailoring(resume, tailored, job)
    warning = next(v for v in violations if v.rule == "skill_unsupported")
    assert warning.severity == "warning" and "posting keyword" in warning.message
    assert blocking(violations) == []


def test_allowed_rewrites_pass(resume: Resume, job: Job) -> None:
    tailored = resume.model_copy(deep=True)
    tailored.skills = ["React", "JavaScript", "TypeScript", "CSS", "Figma"]  # reorder + respell
    tailored.work_experience[0].responsibilities.reverse()
    tailored.summary = "Frontend Developer with 6 years of experience in React. " + tailored.summary
    assert check_tailoring(resume, tailored, job) == []


def test_dropping_a_role_warns(resume: Resume) -> None:
    tailored = resume.model_copy(deep=True)
    tailored.work_experience = tailored.work_experience[:1]
    assert _rules(check_tailoring(resume, tailored), "warning") == {"entry_dropped"}


def test_markdown_rules(resume: Resume, job: Job) -> None:
    base = render_markdown(resume)
    cases = {
        "entry_invented": base.replace(
            "### Web Developer — Agency One", "### Web Developer — Globex"
        ),
        "date_invented": base.replace("Sep 2018", "Sep 2016"),
        "contact_changed": base.replace("ana@example.org", "ana@evil.example"),
        "section_dropped": base.replace("## Languages", "## Other"),
        "number_invented": base.replace("Built 30 marketing sites", "Built 300 marketing sites"),
    }
    for rule, text in cases.items():
        assert rule in _rules(check_tailoring(resume, text, job)), rule
    dropped = base.replace("### Web Developer — Agency One", "")
    assert "entry_dropped" in _rules(check_tailoring(resume, dropped, job), "warning")


def test_headerless_entries_and_empty_sections_are_fine() -> None:
    original = Resume(
        work_experience=[WorkExperience(responsibilities=["Did things"])],
        education=[Education(graduation_date="2019")],
        projects=[Project(name="")],
    )
    assert check_tailoring(original, render_markdown(original)) == []
