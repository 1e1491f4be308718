"""The deterministic, explainable match score of a resume against a job."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date

from atspro.jobs.model import Job
from atspro.matching.degrees import level_rank
from atspro.matching.experience import merged_years
from atspro.matching.phrases import find_stems_near, snippet_around
from atspro.matching.profile import Evidence, JobProfile, ResumeProfile, prepare_job, prepare_resume
from atspro.matching.requirements import Requirement
from atspro.matching.result import MatchType
from atspro.matching.titles import seniority_rank, title_similarity
from atspro.matching.vocabulary import fold_phrase
from atspro.resume.model import Resume

# Share of each component in the overall score. Components the posting gives no basis for
# are left out and the rest re-weighted. Weights depend on the job only, so adding a skill
# to a resume can never lower its score.
WEIGHTS = {"skills": 0.40, "experience": 0.15, "education": 0.10, "keywords": 0.15, "career": 0.20}
# Years and degree qualify someone in the posting's line of work; they say little about a
# nurse applying to a backend job. They count in full once the skills fit reaches
# _RELEVANCE_FULL, not at all below _RELEVANCE_NONE, and in proportion between.
QUALIFIERS = ("experience", "education")
_RELEVANCE_NONE = 15.0
_RELEVANCE_FULL = 50.0
# Nobody shows every skill a posting lists (and a posting's list carries some noise): this
# share of the weighted asks counts as a full skills fit in the overall score.
_SKILLS_FULL = 0.85
_RELATED_CREDIT = 0.5
_TITLE_MATCH = 70.0
REASONS = {
    "skills": "the posting names no skills that could be read",
    "experience": "the posting states no years of experience or seniority",
    "education": "the posting asks for no degree or field of study",
    "keywords": "the posting has no keywords or title that could be read",
    "career": "the posting states no job title or seniority",
}


@dataclass(frozen=True, slots=True)
class RequirementCheck:
    """How one requirement was met."""

    requirement: Requirement
    credit: float
    match_type: MatchType
    evidence: tuple[Evidence, ...]


@dataclass(frozen=True, slots=True)
class Assessment:
    """Every computed fact behind a score (component scores 0-100, None = not assessed)."""

    checks: tuple[RequirementCheck, ...]
    skills: float | None
    keywords: float | None
    experience: float | None
    education: float | None
    career: float | None
    overall: float
    relevant_years: float
    title_similarity: float
    best_title: str
    title_evidence: tuple[Evidence, ...]


def _check(
    requirement: Requirement,
    related: frozenset[str],
    variants: tuple[tuple[str, ...], ...],
    profile: ResumeProfile,
) -> RequirementCheck:
    for key in requirement.alternatives:
        hits = profile.evidence.get(key)
        if hits:
            label = fold_phrase(requirement.label)
            exact = any(
                fold_phrase(hit.surface) in label.split(" / ") or fold_phrase(hit.surface) == label
                for hit in hits
            )
            return RequirementCheck(requirement, 1.0, "exact" if exact else "synonym", tuple(hits))
    for stems in variants:
        for section, text, words in profile.chunks:
            span = find_stems_near(stems, words)
            if span is not None:
                hit = Evidence(section, text[span[0] : span[1]], snippet_around(text, *span))
                return RequirementCheck(requirement, 1.0, "variant", (hit,))
    for key in related:
        hits = profile.evidence.get(key)
        if hits:
            return RequirementCheck(requirement, _RELATED_CREDIT, "related", tuple(hits))
    return RequirementCheck(requirement, 0.0, "none", ())


def _skills_score(checks: Sequence[RequirementCheck]) -> float | None:
    total = credit = 0.0
    for check in checks:
        category = check.requirement.category
        if category not in ("hard_skills", "soft_skills"):
            continue
        weight = 2.0 if check.requirement.required else 1.0
        if category == "soft_skills":
            weight *= 0.25
        total += weight
        credit += weight * check.credit
    return 100.0 * credit / total if total else None


def _keywords_score(checks: Sequence[RequirementCheck], title_hit: bool | None) -> float | None:
    # An ATS counts literal keyword hits: related skills earn nothing here.
    total = len(checks) + (0 if title_hit is None else 1)
    hits = sum(1 for c in checks if c.match_type in ("exact", "synonym", "variant")) + (
        1 if title_hit else 0
    )
    return 100.0 * hits / total if total else None


def _role_order(profile: ResumeProfile) -> list[int]:
    """Role indexes, most recent first (undated roles keep their listed place)."""

    def key(index: int) -> tuple[int, int]:
        interval = profile.roles[index].interval
        return (-(interval[1]) if interval else 0, index)

    dated = any(role.interval for role in profile.roles)
    return sorted(range(len(profile.roles)), key=key) if dated else list(range(len(profile.roles)))


def _title_fit(job: JobProfile, profile: ResumeProfile) -> tuple[float, str, tuple[Evidence, ...]]:
    best, best_title = 0.0, ""
    best_evidence: tuple[Evidence, ...] = ()
    for rank, index in enumerate(_role_order(profile)):
        role = profile.roles[index]
        similarity = title_similarity(role.title, job.title)
        # Older roles count less: the career is heading somewhere else now.
        weighted = similarity * max(0.6, 1.0 - 0.1 * rank)
        if weighted > best:
            snippet = " at ".join(p for p in (role.title, role.company) if p)
            best, best_title = weighted, role.title
            best_evidence = (Evidence("experience", role.title, snippet),)
    return best, best_title, best_evidence


def _experience(job: JobProfile, profile: ResumeProfile) -> tuple[float | None, float]:
    relevant_intervals = [
        role.interval
        for role in profile.roles
        if role.interval is not None
        and (
            (not job.title and not job.hard_keys)
            or title_similarity(role.title, job.title) >= _TITLE_MATCH
            or len(role.keys & job.hard_keys) >= 2
        )
    ]
    relevant = merged_years(relevant_intervals)
    if job.years_min is None:
        return None, relevant
    if job.years_min <= 0:
        return 100.0, relevant
    # Unrelated years still show working experience, at half value.
    effective = relevant + 0.5 * max(0.0, profile.total_years - relevant)
    return 100.0 * min(1.0, effective / job.years_min), relevant


def _education(
    job: JobProfile, profile: ResumeProfile, checks: Sequence[RequirementCheck]
) -> float | None:
    if not job.education_level and not job.education_field:
        return None
    level_part = 100.0
    if job.education_level:
        shortfall = level_rank(job.education_level) - level_rank(profile.degree_level)
        if shortfall > 0:
            if profile.degree_level == "none":
                level_part = 40.0 if job.education_flexible else 10.0
            elif shortfall == 1:
                level_part = 70.0 if job.education_flexible else 50.0
            else:
                level_part = 50.0 if job.education_flexible else 20.0
    if not job.education_field:
        return level_part
    field_met = any(
        c.credit >= 1.0
        for c in checks
        if c.requirement.category == "education" and c.requirement.label == job.education_field
    )
    return 0.8 * level_part + 0.2 * (100.0 if field_met else 40.0)


def _seniority_fit(job: JobProfile, profile: ResumeProfile) -> float | None:
    if not job.seniority:
        return None
    gap = seniority_rank(profile.seniority) - seniority_rank(job.seniority)
    return {0: 100.0, 1: 85.0, -1: 70.0, 2: 70.0, -2: 40.0}.get(gap, 20.0 if gap < 0 else 60.0)


def overall_score(components: dict[str, float | None]) -> float:
    """The weighted overall score (0-100) of component scores; None components are left out."""
    present = {name: value for name, value in components.items() if value is not None}
    weight = sum(WEIGHTS[name] for name in present)
    if not weight:
        return 0.0
    fit = {
        name: min(100.0, value / _SKILLS_FULL) if name == "skills" else value
        for name, value in present.items()
    }
    relevance = fit.get("skills", fit.get("career", 100.0))
    gate = min(1.0, max(0.0, (relevance - _RELEVANCE_NONE) / (_RELEVANCE_FULL - _RELEVANCE_NONE)))
    total = sum(
        WEIGHTS[name] * value * (gate if name in QUALIFIERS else 1.0) for name, value in fit.items()
    )
    return total / weight


def assess(job: JobProfile, profile: ResumeProfile) -> Assessment:
    """Compute every fact and component score of ``profile`` against ``job``."""
    checks = tuple(
        _check(r, rel, var, profile)
        for r, rel, var in zip(job.requirements, job.related, job.variants, strict=True)
    )
    title_score, best_title, title_evidence = (
        _title_fit(job, profile) if job.title else (0.0, "", ())
    )
    title_hit = (title_score >= _TITLE_MATCH) if job.title else None
    experience, relevant = _experience(job, profile)
    seniority = _seniority_fit(job, profile)
    if job.title:
        career: float | None = (
            title_score if seniority is None else 0.75 * title_score + 0.25 * seniority
        )
    else:
        career = seniority
    components = {
        "skills": _skills_score(checks),
        "experience": experience,
        "education": _education(job, profile, checks),
        "keywords": _keywords_score(checks, title_hit),
        "career": career,
    }
    overall = overall_score(components)
    return Assessment(
        checks=checks,
        skills=components["skills"],
        keywords=components["keywords"],
        experience=components["experience"],
        education=components["education"],
        career=components["career"],
        overall=overall,
        relevant_years=relevant,
        title_similarity=title_score,
        best_title=best_title,
        title_evidence=title_evidence,
    )


def score_profiles(job: JobProfile, profile: ResumeProfile) -> int:
    """The overall score (0-100) of a prepared resume against a prepared job."""
    return round(assess(job, profile).overall)


def rank_resumes(profiles: Sequence[ResumeProfile], job: Job | JobProfile) -> list[tuple[int, int]]:
    """(index, overall score) of every profile, best first (ties keep input order)."""
    prepared = job if isinstance(job, JobProfile) else prepare_job(job)
    scored = [(index, score_profiles(prepared, profile)) for index, profile in enumerate(profiles)]
    return sorted(scored, key=lambda item: (-item[1], item[0]))


def assess_match(
    resume: Resume, job: Job, *, today: date | None = None
) -> tuple[JobProfile, ResumeProfile, Assessment]:
    """Prepare both sides and assess them (for callers that want the raw facts)."""
    job_profile = prepare_job(job)
    resume_profile = prepare_resume(resume, today=today)
    return job_profile, resume_profile, assess(job_profile, resume_profile)
