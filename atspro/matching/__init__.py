"""Match scoring: how well a resume matches a job, the way an ATS reads it.

``score_match(resume, job)`` is the one-shot entry point. To rank many stored resumes
against one job, prepare the job once (``prepare_job``) and the resumes once each
(``prepare_resume``), then call ``rank_resumes(profiles, job_profile)``.
"""

from __future__ import annotations

from datetime import date

from atspro.jobs.model import Job
from atspro.matching.narrative import build_result, match_facts
from atspro.matching.profile import JobProfile, ResumeProfile, prepare_job, prepare_resume
from atspro.matching.result import (
    KeywordBreakdown,
    KeywordGroup,
    KeywordLocation,
    KeywordMatch,
    MatchResult,
)
from atspro.matching.scoring import assess, rank_resumes, score_profiles
from atspro.resume.model import Resume


def score_match(resume: Resume, job: Job, *, today: date | None = None) -> MatchResult:
    """Score ``resume`` against ``job`` (deterministic for a given ``today``)."""
    job_profile = prepare_job(job)
    resume_profile = prepare_resume(resume, today=today)
    return build_result(assess(job_profile, resume_profile), job_profile, resume_profile)


__all__ = [
    "JobProfile",
    "KeywordBreakdown",
    "KeywordGroup",
    "KeywordLocation",
    "KeywordMatch",
    "MatchResult",
    "ResumeProfile",
    "match_facts",
    "prepare_job",
    "prepare_resume",
    "rank_resumes",
    "score_match",
    "score_profiles",
]
