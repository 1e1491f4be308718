"""Strengths, gaps, recommendations and rationale written from the computed facts."""

from __future__ import annotations

from atspro.matching.degrees import LEVEL_NAMES
from atspro.matching.profile import JobProfile, ResumeProfile
from atspro.matching.result import (
    KeywordBreakdown,
    KeywordGroup,
    KeywordLocation,
    KeywordMatch,
    MatchResult,
    NotAssessed,
)
from atspro.matching.scoring import REASONS, Assessment, RequirementCheck

_LIST_LIMIT = 6


def _join(items: list[str]) -> str:
    shown = items[:_LIST_LIMIT]
    more = len(items) - len(shown)
    text = ", ".join(shown)
    return f"{text} and {more} more" if more > 0 else text


def _as_match(check: RequirementCheck) -> KeywordMatch:
    return KeywordMatch(
        keyword=check.requirement.label,
        category=check.requirement.category,
        required=check.requirement.required,
        match_type=check.match_type,
        found_in=[
            KeywordLocation(section=e.section, text=e.surface, snippet=e.snippet)
            for e in check.evidence
        ],
    )


def build_breakdown(assessment: Assessment, job: JobProfile) -> KeywordBreakdown:
    """The ATS view: keywords by category, matched (with locations) and missing."""
    breakdown = KeywordBreakdown()
    for check in assessment.checks:
        group: KeywordGroup = getattr(breakdown, check.requirement.category)
        # Related skills help the score but an ATS would still report the keyword missing.
        if check.match_type in ("exact", "synonym", "variant"):
            group.matched.append(_as_match(check))
        else:
            group.missing.append(_as_match(check))
    if job.title:
        hit = assessment.title_similarity >= 70.0
        match = KeywordMatch(
            keyword=job.title,
            category="job_title",
            required=True,
            match_type="exact"
            if hit and assessment.title_similarity >= 99.0
            else ("synonym" if hit else "none"),
            found_in=[
                KeywordLocation(section=e.section, text=e.surface, snippet=e.snippet)
                for e in assessment.title_evidence
            ]
            if hit
            else [],
        )
        (breakdown.job_title.matched if hit else breakdown.job_title.missing).append(match)
    return breakdown


def _strengths_and_gaps(
    a: Assessment, job: JobProfile, resume: ResumeProfile
) -> tuple[list[str], list[str]]:
    strengths: list[str] = []
    gaps: list[str] = []
    hard = [c for c in a.checks if c.requirement.category == "hard_skills"]
    required = [c for c in hard if c.requirement.required]
    have = [c.requirement.label for c in required if c.credit >= 1.0]
    lack = [c.requirement.label for c in required if c.credit < 1.0]
    if have:
        strengths.append(f"Has {len(have)} of {len(required)} required skills: {_join(have)}.")
    if lack:
        gaps.append(f"Missing required skills: {_join(lack)}.")
    preferred_have = [
        c.requirement.label for c in hard if not c.requirement.required and c.credit >= 1.0
    ]
    if preferred_have:
        strengths.append(f"Also has preferred skills: {_join(preferred_have)}.")
    if job.years_min is not None and job.years_min > 0:
        text = f"{resume.total_years:g} years of experience ({a.relevant_years:g} in related roles)"
        if a.experience is not None and a.experience >= 100.0:
            strengths.append(f"{text}, meeting the {job.years_min:g}+ years asked.")
        else:
            gaps.append(f"{text}, against {job.years_min:g}+ years asked.")
    if job.education_level:
        asked = LEVEL_NAMES.get(job.education_level, job.education_level)
        if a.education is not None and a.education >= 80.0:
            strengths.append(
                f"Education meets the {asked} asked ({resume.degree_text or resume.degree_level})."
            )
        else:
            held = resume.degree_text or "no degree listed"
            gaps.append(f"The posting asks for a {asked}; the resume shows {held}.")
    if job.title:
        if a.title_similarity >= 70.0:
            strengths.append(f"Title '{a.best_title}' is close to '{job.title}'.")
        else:
            nearest = f" (closest: '{a.best_title}')" if a.best_title else ""
            gaps.append(f"No past title close to '{job.title}'{nearest}.")
    return strengths, gaps


def _recommendations(a: Assessment) -> list[str]:
    tips: list[str] = []
    hard = [c for c in a.checks if c.requirement.category in ("hard_skills", "certifications")]
    respell = [
        f"'{c.evidence[0].surface}' -> '{c.requirement.label}'"
        for c in hard
        if c.match_type == "synonym" and c.evidence and " / " not in c.requirement.label
    ]
    if respell:
        tips.append(f"Use the posting's wording for skills you have: {_join(respell)}.")
    # A field of study is no hint of a tool: "indexing (you list Computer Science)" misleads.
    related = [
        f"{c.requirement.label} (you list {c.evidence[0].surface})"
        for c in hard
        if c.match_type == "related" and any(e.section != "education" for e in c.evidence)
    ]
    if related:
        tips.append(f"If you have used these, name them explicitly: {_join(related)}.")
    only_listed = [
        c.requirement.label
        for c in hard
        if c.credit >= 1.0
        and c.evidence
        and all(e.section in ("skills", "languages") for e in c.evidence)
    ]
    if only_listed:
        tips.append(
            f"Show these skills in a role or project, not only the skills list: {_join(only_listed)}."
        )
    missing = [
        c.requirement.label for c in hard if c.match_type == "none" and c.requirement.required
    ]
    if missing:
        tips.append(f"Add only if true — required keywords the resume lacks: {_join(missing)}.")
    soft = [
        c.requirement.label
        for c in a.checks
        if c.requirement.category == "soft_skills" and c.credit == 0
    ]
    if soft:
        tips.append(f"Give an example that shows: {_join(soft)}.")
    return tips


def _rationale(a: Assessment, overall: int, scores: dict[str, int | None], job: JobProfile) -> str:
    parts = [f"Overall {overall}/100"]
    hard = [c for c in a.checks if c.requirement.category == "hard_skills"]
    if hard:
        matched = sum(1 for c in hard if c.credit >= 1.0)
        parts.append(f"{matched} of {len(hard)} skills asked are on the resume")
    for name in ("experience", "education"):
        if scores[name] is not None:
            parts.append(f"{name} {scores[name]}/100")
    if job.title:
        parts.append(f"title similarity {round(a.title_similarity)}/100")
    skipped = [name for name, value in scores.items() if value is None]
    if skipped:
        parts.append(f"not assessed: {', '.join(skipped)} (nothing asked)")
    return "; ".join(parts) + "."


def build_result(a: Assessment, job: JobProfile, resume: ResumeProfile) -> MatchResult:
    """Turn an assessment into the MatchResult users and the API see."""

    def score(value: float | None) -> int | None:
        return None if value is None else max(0, min(100, round(value)))

    components = {
        "skills": a.skills,
        "experience": a.experience,
        "education": a.education,
        "keywords": a.keywords,
        "career": a.career,
    }
    scores = {name: score(value) for name, value in components.items()}
    overall = max(0, min(100, round(a.overall)))
    strengths, gaps = _strengths_and_gaps(a, job, resume)
    not_assessed = [name for name, value in components.items() if value is None]
    return MatchResult(
        overall_score=overall,
        skills_score=scores["skills"],
        experience_score=scores["experience"],
        education_score=scores["education"],
        keywords_score=scores["keywords"],
        career_score=scores["career"],
        strengths=strengths,
        gaps=gaps,
        recommendations=_recommendations(a),
        rationale=_rationale(a, overall, scores, job),
        keywords=build_breakdown(a, job),
        candidate_years=resume.total_years,
        relevant_years=a.relevant_years,
        required_years=job.years_min,
        candidate_education=resume.degree_level,
        required_education=job.education_level,
        title_similarity=round(a.title_similarity),
        best_matching_title=a.best_title,
        not_assessed=not_assessed,
        not_assessed_reasons=[
            NotAssessed(component=name, reason=REASONS[name]) for name in not_assessed
        ],
    )


def match_facts(result: MatchResult) -> dict[str, object]:
    """The computed facts a language model may write the rationale over (numbers fixed)."""
    facts = result.model_dump(exclude={"strengths", "gaps", "recommendations", "rationale"})
    facts["missing_required"] = result.missing_keywords(required_only=True)
    return facts
