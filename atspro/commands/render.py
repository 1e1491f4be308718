"""Engine results as the commands print them: JSON with the API's names, or Markdown."""

from __future__ import annotations

from typing import Any

from atspro.jobs.model import Job
from atspro.matching.result import KeywordGroup, MatchResult
from atspro.resume.export import to_markdown
from atspro.resume.model import Resume
from atspro.schema.scalars import camel_keys
from atspro.tailoring import TailoredResume

# What the optimize handler stores as the tailored document (the order is internal).
_TAILORED_FIELDS = {
    "markdown",
    "resume",
    "before_score",
    "after_score",
    "missing_keywords",
    "changes",
}


Result = Resume | Job | MatchResult | TailoredResume


def as_json(result: Result) -> Any:
    """The model's JSON with the camelCase field names the GraphQL API exposes."""
    include = _TAILORED_FIELDS if isinstance(result, TailoredResume) else None
    return camel_keys(result.model_dump(mode="json", include=include))


def as_markdown(result: Result) -> str:
    """A readable Markdown page for a resume, job, match result or tailored resume."""
    if isinstance(result, Resume):
        return to_markdown(result)
    if isinstance(result, Job):
        return job_markdown(result)
    if isinstance(result, MatchResult):
        return match_markdown(result)
    return result.markdown


def _bullets(heading: str, items: list[str]) -> list[str]:
    return [f"## {heading}", "", *(f"- {item}" for item in items), ""] if items else []


def job_markdown(job: Job) -> str:
    """The posting: title, facts on one line, then its sections as lists."""
    title = job.title or "Job posting"
    out = [f"# {title} at {job.company}" if job.company else f"# {title}", ""]
    facts = [", ".join(job.location), job.employment_type, job.seniority, job.salary.text]
    if job.years_experience_min is not None:
        facts.append(f"{job.years_experience_min:g}+ years")
    facts = [fact for fact in facts if fact]
    if facts:
        out += [" | ".join(facts), ""]
    if job.link:
        out += [job.link, ""]
    out += _bullets("Required skills", job.required_skills)
    out += _bullets("Preferred skills", job.preferred_skills)
    out += _bullets("Responsibilities", job.responsibilities)
    out += _bullets("Requirements", job.qualifications)
    out += _bullets("Nice to have", job.preferred_qualifications)
    out += _bullets("Benefits", job.benefits)
    return "\n".join(out)


def _keywords(name: str, group: KeywordGroup) -> list[str]:
    if not group.matched and not group.missing:
        return []
    matched = ", ".join(m.keyword for m in group.matched) or "none"
    missing = ", ".join(m.keyword for m in group.missing) or "none"
    return [f"- {name}: matched {matched}; missing {missing}"]


def match_markdown(result: MatchResult) -> str:
    """The scores, the keyword view an ATS shows, and the explanation."""
    scores = (
        ("Skills", result.skills_score),
        ("Experience", result.experience_score),
        ("Education", result.education_score),
        ("Keywords", result.keywords_score),
        ("Career", result.career_score),
    )
    out = [f"# Match score: {result.overall_score}/100", ""]
    out += [f"- {name}: {'not assessed' if value is None else value}" for name, value in scores] + [
        ""
    ]
    if result.rationale:
        out += [result.rationale, ""]
    groups = result.keywords
    lines = [
        *_keywords("Hard skills", groups.hard_skills),
        *_keywords("Soft skills", groups.soft_skills),
        *_keywords("Job title", groups.job_title),
        *_keywords("Education", groups.education),
        *_keywords("Certifications", groups.certifications),
    ]
    out += ["## Keywords", "", *lines, ""] if lines else []
    out += _bullets("Strengths", result.strengths)
    out += _bullets("Gaps", result.gaps)
    out += _bullets("Recommendations", result.recommendations)
    return "\n".join(out)
