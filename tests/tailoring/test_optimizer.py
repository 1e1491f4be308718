"""The offline optimizer: surfaces what the candidate has, never what they lack."""

from __future__ import annotations

from datetime import date
from typing import Any

import pytest

from atspro.evaluation.match import covered_keywords, resume_from_matcher
from atspro.jobs.model import Job
from atspro.matching import score_match
from atspro.resume.model import Resume
from atspro.tailoring import TailoringError, check_tailoring, tailor_resume
from atspro.tailoring import optimizer as optimizer_module


def test_output_passes_the_checker_and_keeps_facts(resume: Resume, job: Job, today: date) -> None:
    result = tailor_resume(resume, job, today=today)
    assert check_tailoring(resume, result.resume, job) == []
    assert check_tailoring(resume, result.markdown, job) == []
    assert result.resume.contact_info == resume.contact_info
    assert [(r.company, r.position, r.start_date) for r in result.resume.work_experience] == [
        (r.company, r.position, r.start_date) for r in resume.work_experience
    ]


def test_respells_skills_the_posting_way(resume: Resume, job: Job, today: date) -> None:
    result = tailor_resume(resume, job, today=today)
    assert "JavaScript" in result.resume.skills and "JS" not in result.resume.skills
    assert (
        "Rebuilt the checkout in JavaScript and React, lifting conversion by 12%" in result.markdown
    )
    assert any(
        (c.term, c.evidence)
        == ("JavaScript", "'JS' is the same skill as the posting's 'JavaScript'")
        for c in result.term_changes
    )


def test_reorders_skills_bullets_and_projects(resume: Resume, job: Job, today: date) -> None:
    result = tailor_resume(resume, job, today=today)
    assert result.resume.skills[:3] == ["JavaScript", "React", "TypeScript"]
    assert result.resume.skills[3:] == ["Figma", "CSS"]  # the rest keep their order
    assert result.resume.work_experience[0].responsibilities[0].startswith("Rebuilt the checkout")
    assert result.resume.projects[0].name == "Design tokens"
    assert result.section_order[:2] == ["summary", "skills"]
    assert result.markdown.index("## Skills") < result.markdown.index("## Experience")


def test_summary_opens_with_own_facts(resume: Resume, job: Job, today: date) -> None:
    summary = tailor_resume(resume, job, today=today).resume.summary
    assert summary.startswith("Frontend Developer with 6 years of experience in JavaScript, React")
    assert summary.endswith(resume.summary)
    assert "GraphQL" not in summary


def test_missing_keywords_are_listed_not_claimed(resume: Resume, job: Job, today: date) -> None:
    result = tailor_resume(resume, job, today=today)
    assert "GraphQL" in result.missing_keywords
    assert "GraphQL" not in result.markdown
    assert (
        result.after_score
        >= result.before_score
        == score_match(resume, job, today=today).overall_score
    )


def test_a_result_that_breaks_a_rule_is_withheld(
    resume: Resume, job: Job, today: date, monkeypatch: pytest.MonkeyPatch
) -> None:
    real = optimizer_module.render_markdown

    def leaky(tailored: Resume, *, order: Any) -> str:
        return real(tailored, order=order) + "\n### Staff Engineer — Globex\n"

    monkeypatch.setattr(optimizer_module, "render_markdown", leaky)
    with pytest.raises(TailoringError) as caught:
        tailor_resume(resume, job, today=today)
    assert {v.rule for v in caught.value.violations} == {"entry_invented"}
    assert caught.value.kind == "permanent"


def test_golden_outputs_pass_and_surface_more_keywords(
    golden_cases: list[dict[str, Any]], today: date
) -> None:
    for case in golden_cases:
        original = resume_from_matcher(case["original"])
        job = Job(
            title=case["job_description"].splitlines()[0].split(" at ")[0],
            description=case["job_description"],
        )
        result = tailor_resume(original, job, today=today)
        assert check_tailoring(original, result.markdown, job) == []
        expected = case["jd_keywords"]
        before = covered_keywords(original, expected, prose_only=True)
        after = covered_keywords(result.resume, expected, prose_only=True)
        assert len(after) > len(before), case["name"]
