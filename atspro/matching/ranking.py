"""Ranking many resumes against one job: a compact score, sub-scores and a reason per resume.

``rank_chunk`` is the unit of work a ranking task sends to a CPU worker process: the job is
prepared once by the caller and travels prepared; the resumes travel as their stored JSON and
are validated in the worker, so the event loop never spends time on them. Each entry is the
short form of a ``MatchResult`` (the full one, with locations and advice, is ``scoreMatch``'s).
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from datetime import date
from typing import Any

from pydantic import BaseModel, Field

from atspro.matching.profile import JobProfile, ResumeProfile, prepare_resume
from atspro.matching.scoring import Assessment, RequirementCheck, assess
from atspro.resume.model import Resume

#: How many matched and missing skills an entry names.
TOP_SKILLS = 5


class RankedResume(BaseModel):
    """One resume's place in a ranking: its scores, skills matched and missing, and why."""

    resume_id: str
    candidate_name: str
    overall_score: int
    skills_score: int | None
    experience_score: int | None
    education_score: int | None
    keywords_score: int | None
    career_score: int | None
    matched_skills: list[str] = Field(default_factory=list)
    missing_skills: list[str] = Field(default_factory=list)
    reason: str = ""


def _score(value: float | None) -> int | None:
    return None if value is None else max(0, min(100, round(value)))


def _asked(checks: Sequence[RequirementCheck]) -> list[RequirementCheck]:
    """The hard skills that decide a ranking: the required ones, or all when none is marked."""
    hard = [c for c in checks if c.requirement.category == "hard_skills"]
    return [c for c in hard if c.requirement.required] or hard


def _reason(a: Assessment, job: JobProfile, profile: ResumeProfile, overall: int) -> str:
    """One line a recruiter reads beside the score."""
    asked = _asked(a.checks)
    parts: list[str] = []
    if asked:
        have = sum(1 for c in asked if c.credit >= 1.0)
        missing = [c.requirement.label for c in asked if c.credit < 1.0]
        text = (
            f"{have} of {len(asked)} {'required ' if asked[0].requirement.required else ''}skills"
        )
        if missing:
            shown = ", ".join(missing[:3]) + (f" +{len(missing) - 3}" if len(missing) > 3 else "")
            text += f" (missing {shown})"
        parts.append(text)
    years = f"{round(profile.total_years, 1):g} years"
    if job.years_min:
        years += f" vs {job.years_min:g}+ asked"
    parts.append(years)
    if job.title and a.best_title:
        parts.append(f"'{a.best_title}' {round(a.title_similarity)}/100 like '{job.title}'")
    return f"{overall}/100: " + "; ".join(parts) + "."


def rank_entry(resume_id: str, resume: Resume, job: JobProfile, *, today: date) -> RankedResume:
    """Score one resume against a prepared job, in the ranking's short form."""
    profile = prepare_resume(resume, today=today)
    a = assess(job, profile)
    overall = max(0, min(100, round(a.overall)))
    asked = _asked(a.checks)
    return RankedResume(
        resume_id=resume_id,
        candidate_name=resume.contact_info.full_name or "",
        overall_score=overall,
        skills_score=_score(a.skills),
        experience_score=_score(a.experience),
        education_score=_score(a.education),
        keywords_score=_score(a.keywords),
        career_score=_score(a.career),
        matched_skills=[c.requirement.label for c in asked if c.credit >= 1.0][:TOP_SKILLS],
        missing_skills=[c.requirement.label for c in asked if c.credit < 1.0][:TOP_SKILLS],
        reason=_reason(a, job, profile, overall),
    )


def rank_chunk(
    job: JobProfile, resumes: Sequence[tuple[str, dict[str, Any]]], *, today: date
) -> list[dict[str, Any]]:
    """Entries (as JSON-ready dicts) for ``(resume id, stored resume JSON)`` pairs, input order.

    Dicts rather than models on the way back: they cross the process boundary by pickle and
    go straight into the stored ranking.
    """
    return [
        rank_entry(resume_id, Resume.model_validate(data), job, today=today).model_dump()
        for resume_id, data in resumes
    ]


def order_entries(entries: Iterable[dict[str, Any]]) -> list[dict[str, Any]]:
    """Best first: overall score, then skills score; ties keep their input order."""
    return sorted(entries, key=lambda e: (-e["overall_score"], -(e["skills_score"] or 0)))
