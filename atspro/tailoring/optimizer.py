"""The offline optimizer: surface the job's keywords the candidate already has.

It only reorders (skills, bullets, projects, sections), respells skills the candidate has
in the posting's spelling ("JS" -> "JavaScript"), and opens the summary with a sentence
built from the resume's own roles, years and matched skills. Every result is run through
``check_tailoring``; a result that breaks any rule is never returned.
"""

from __future__ import annotations

import math
import re
from datetime import date

from pydantic import BaseModel, Field

from atspro.errors import PermanentError
from atspro.jobs.model import Job
from atspro.matching import MatchResult, prepare_job, prepare_resume, score_match
from atspro.matching.profile import JobProfile, ResumeProfile, text_keys
from atspro.matching.scoring import RequirementCheck, assess
from atspro.matching.vocabulary import canonical_term, find_mentions, fold_phrase
from atspro.resume.model import Resume
from atspro.tailoring.checker import Violation, check_tailoring
from atspro.tailoring.facts import YEARS_CLAIM
from atspro.tailoring.markdown import DEFAULT_ORDER, render_markdown

_SUMMARY_SKILLS = 6
_DIGITS = re.compile(r"\d+")


class TailoringError(PermanentError):
    """The tailored resume broke a hard rule; it is withheld (``violations`` says why)."""

    code = "TAILORING_FAILED"

    def __init__(self, message: str, *, violations: list[Violation]) -> None:
        super().__init__(message)
        self.violations = violations


class TailoredResume(BaseModel):
    """A resume tailored to one job, with the scores before and after and what changed."""

    markdown: str
    resume: Resume
    before_score: int
    after_score: int
    missing_keywords: list[str] = Field(default_factory=list)
    changes: list[str] = Field(default_factory=list)
    section_order: list[str] = Field(default_factory=list)


def _spellings(checks: tuple[RequirementCheck, ...]) -> dict[str, str]:
    """canonical key -> the posting's spelling, for hard skills the resume has."""
    out: dict[str, str] = {}
    for check in checks:
        if check.requirement.category != "hard_skills" or check.match_type not in (
            "exact",
            "synonym",
        ):
            continue
        for part in check.requirement.label.split(" / "):
            key = canonical_term(part)
            if key in check.requirement.alternatives:
                out.setdefault(key, part.strip())
    return out


def _keeps_numbers(surface: str, target: str) -> bool:
    """A respelling may not add a version or number ("Python" -> "Python 3" claims more)."""
    return set(_DIGITS.findall(target)) <= set(_DIGITS.findall(surface))


def _respell(text: str, spellings: dict[str, str]) -> str:
    """Write skills of ``text`` the posting's way, only where that changes nothing else."""
    if not text.strip():
        return text
    pieces: list[str] = []
    cursor = 0
    for mention in find_mentions(text):
        target = spellings.get(mention.canonical)
        # Case-only changes would capitalise common words mid-sentence ("Backend best practices").
        surface = text[mention.start : mention.end]
        if target and surface.lower() != target.lower() and _keeps_numbers(surface, target):
            pieces.extend([text[cursor : mention.start], target])
            cursor = mention.end
    if not pieces:
        return text
    new = "".join(pieces) + text[cursor:]
    # A new spelling may merge with its neighbours into another phrase; keep the original then.
    skills_before = {m.canonical for m in find_mentions(text)}
    return new if {m.canonical for m in find_mentions(new)} <= skills_before else text


def _relevance(text: str, weights: dict[str, float]) -> float:
    return sum(weights.get(key, 0.0) for key in text_keys(text))


def _weights(checks: tuple[RequirementCheck, ...]) -> dict[str, float]:
    weights: dict[str, float] = {}
    for check in checks:
        if check.credit <= 0 or check.requirement.category not in ("hard_skills", "soft_skills"):
            continue
        weight = 2.0 if check.requirement.required else 1.0
        for key in check.requirement.alternatives:
            weights[key] = max(weights.get(key, 0.0), weight)
    return weights


def _summary_opening(
    resume: Resume, profile: ResumeProfile, checks: tuple[RequirementCheck, ...], job_title: str
) -> str:
    """One sentence from the resume's own facts: latest title, years, matched skills."""
    skills: list[str] = []
    title_words = set(fold_phrase(job_title).split())
    for check in sorted(checks, key=lambda c: not c.requirement.required):
        if set(fold_phrase(check.requirement.label).split()) <= title_words:
            continue  # words of the job title ("Backend") read oddly as skills
        if (
            check.requirement.category == "hard_skills"
            and check.credit >= 1.0
            and check.match_type != "related"
        ):
            label = (
                check.requirement.label.split(" / ")[0] if check.match_type == "variant" else None
            )
            if label is None:
                spelled = _spellings((check,))
                label = next(iter(spelled.values()), "")
            surface = check.evidence[0].surface if check.evidence else ""
            if label and not _keeps_numbers(surface, label):
                label = surface
            if label and label not in skills:
                skills.append(label)
    skills = skills[:_SUMMARY_SKILLS]
    title = resume.work_experience[0].position.strip() if resume.work_experience else ""
    # When the summary already states its years, a second (date-derived) figure would clash.
    years = 0 if YEARS_CLAIM.search(resume.summary) else math.floor(profile.total_years)
    lead = title or "Professional"
    if years >= 1:
        lead += f" with {years} years of experience"
    if skills:
        listed = ", ".join(skills[:-1]) + (f" and {skills[-1]}" if len(skills) > 1 else skills[0])
        lead += f" {'in' if years >= 1 else 'skilled in'} {listed}"
    return lead + "." if (title or skills) else ""


def _tailor(
    resume: Resume, job: JobProfile, profile: ResumeProfile, *, with_opening: bool
) -> tuple[Resume, list[str], list[str]]:
    checks = assess(job, profile).checks
    spellings = _spellings(checks)
    weights = _weights(checks)
    tailored = resume.model_copy(deep=True)
    changes: list[str] = []

    respelled: list[str] = []
    new_skills = [_respell(s, spellings) for s in tailored.skills]
    respelled += [
        f"{a!r} -> {b!r}" for a, b in zip(tailored.skills, new_skills, strict=True) if a != b
    ]
    order = sorted(range(len(new_skills)), key=lambda i: (-_relevance(new_skills[i], weights), i))
    if order != list(range(len(new_skills))):
        changes.append("Put the skills this job asks for first in the skills list.")
    tailored.skills = [new_skills[i] for i in order]

    for role in tailored.work_experience:
        before = list(role.responsibilities)
        bullets = [_respell(b, spellings) for b in before]
        respelled += [f"{a!r} -> {b!r}" for a, b in zip(before, bullets, strict=True) if a != b]
        ranked = sorted(range(len(bullets)), key=lambda i: (-_relevance(bullets[i], weights), i))
        role.responsibilities = [bullets[i] for i in ranked]
        if ranked != list(range(len(bullets))):
            where = " at ".join(p for p in (role.position, role.company) if p)
            changes.append(f"Moved the bullets that match this job to the top under {where}.")
        description = _respell(role.description, spellings)
        if description != role.description:
            respelled.append(f"description of {role.position or role.company}")
        role.description = description
        role.skills = [_respell(s, spellings) for s in role.skills]

    ranked_projects = sorted(
        range(len(tailored.projects)),
        key=lambda i: (
            -_relevance(
                " ".join([tailored.projects[i].description, *tailored.projects[i].skills]), weights
            ),
            i,
        ),
    )
    if ranked_projects != list(range(len(tailored.projects))):
        changes.append("Listed the projects most relevant to this job first.")
    tailored.projects = [tailored.projects[i] for i in ranked_projects]

    if respelled:
        changes.append(
            "Used the posting's spelling for skills you have: " + "; ".join(respelled[:8]) + "."
        )

    if with_opening:
        opening = _summary_opening(tailored, profile, checks, job.title)
        if opening:
            tailored.summary = f"{opening} {tailored.summary.strip()}".strip()
            changes.append(
                "Opened the summary with a sentence built from your own roles, years and matching skills."
            )

    section_order = list(DEFAULT_ORDER)
    if any(weights.get(k) for s in tailored.skills for k in text_keys(s)):
        section_order.remove("skills")
        section_order.insert(1, "skills")
        changes.append("Moved the skills section up, right after the summary.")
    return tailored, changes, section_order


def tailor_resume(resume: Resume, job: Job, *, today: date | None = None) -> TailoredResume:
    """Tailor ``resume`` to ``job`` without inventing anything; raises TailoringError if it would."""
    job_profile = prepare_job(job)
    profile = prepare_resume(resume, today=today)
    before: MatchResult = score_match(resume, job, today=today)
    violations: list[Violation] = []
    for with_opening in (True, False):
        tailored, changes, order = _tailor(resume, job_profile, profile, with_opening=with_opening)
        markdown = render_markdown(tailored, order=order)
        violations = check_tailoring(resume, tailored, job) + check_tailoring(resume, markdown, job)
        if not violations:
            after = score_match(tailored, job, today=today)
            return TailoredResume(
                markdown=markdown,
                resume=tailored,
                before_score=before.overall_score,
                after_score=after.overall_score,
                missing_keywords=before.missing_keywords(),
                changes=changes,
                section_order=order,
            )
    raise TailoringError(
        "The tailored resume would break a hard rule, so it was withheld: "
        + "; ".join(v.message for v in violations[:3]),
        violations=violations,
    )
