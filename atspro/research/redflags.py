"""Warning signs in a job posting, each with the words that raised it.

Only signals a job seeker should act on: unpaid or paid-to-start work, vague pay, a
title and an ask that contradict each other, pressure language, and a requirement list
too long to be real — counted from the requirements themselves, not from every skill
word the parser saw in the duties or the company blurb.
"""

from __future__ import annotations

import re

from pydantic import BaseModel

from atspro.jobs.facets import seniority_from_title
from atspro.jobs.model import Job
from atspro.matching.requirements import skill_requirements, years_asked
from atspro.matching.vocabulary import find_mentions

_HYPE = re.compile(
    r"\b(rock\s?stars?|ninjas?|gurus?|wizards?|unicorns?|superstars?|jedis?)\b", re.I
)
_UNPAID = re.compile(
    r"\b(unpaid (?:trial|test|internship|project|work|shift|probation)"
    r"(?: (?:day|week|shift|period|project|task|assignment)s?)?|"
    r"(?:trial|test) (?:day|week|shift|period|project|task|assignment)s? (?:is |are |will be )?"
    r"(?:unpaid|not paid|without pay)|without (?:pay|compensation)|commission[- ]only|"
    r"free trial work|no (?:salary|pay) (?:during|for) the (?:trial|first \w+)|"
    r"volunteer basis|(?:work|paid) for exposure)\b",
    re.I,
)
_FEE = re.compile(
    r"\b((?:training|registration|application|onboarding|starter[- ]kit|equipment|"
    r"background[- ]check) fee|(?:pay|purchase|buy) (?:for )?(?:your own |a )?"
    r"(?:training|starter kit|equipment|uniform) (?:up ?front|before))\b",
    re.I,
)
_PRESSURE = re.compile(
    r"\b(like a family|work hard,? play hard|24/7|nights and weekends|whatever it takes|"
    r"unlimited overtime|always on|unpaid overtime|available around the clock)\b",
    re.I,
)
_VAGUE_PAY = re.compile(
    r"\b(competitive (?:salary|pay|compensation|package|rates?)|attractive (?:salary|package)|"
    r"DOE|depending on experience|commensurate with experience|negotiable|salary: ?tbd)\b",
    re.I,
)
_PAY_NUMBER = re.compile(r"[$€£]\s?\d|\b\d[\d,.]*\s?(?:k|USD|EUR|GBP|per hour|an hour|/h)\b", re.I)
_ENTRY = re.compile(r"\b(entry[- ]level|junior|graduate|intern(?:ship)?|jr\.?|trainee)\b", re.I)
_NO_EXPERIENCE = re.compile(
    r"\b(no (?:prior |previous )?experience (?:is )?(?:required|needed|necessary)|entry[- ]level|"
    r"recent graduates? welcome|fresh graduates?)\b",
    re.I,
)
_SENIOR_TITLES = frozenset({"senior", "lead", "principal", "executive"})
# Beyond these a list is a wish list, or several roles in one.
_MAX_REQUIREMENTS = 12
_MAX_REQUIRED_SKILLS = 15
# An entry-level title asking for this many years contradicts itself.
_ENTRY_MAX_YEARS = 3.0
# A range whose top is this many times its bottom says little about the pay.
_WIDE_RANGE = 2.0


class RedFlag(BaseModel):
    """One warning sign: a stable code, a message for the job seeker, and the evidence."""

    code: str
    message: str
    evidence: str = ""


def _posting_text(job: Job) -> str:
    parts = [job.title, job.description, *job.responsibilities, *job.qualifications]
    parts += [*job.preferred_qualifications, *job.benefits, *job.logistics, *job.additional_info]
    parts.append(job.salary.text)
    return "\n".join(p for p in parts if p)


def required_skill_count(job: Job) -> int:
    """Hard skills the requirement lines ask for (alternatives counted once).

    Only skills named in the requirements themselves count: the parser's skill list also
    holds words from the duties and the company blurb ("tooling", "front end").
    """
    named = {
        m.canonical
        for line in job.qualifications
        for m in find_mentions(line)
        if m.kind == "hard" and any(c.isalpha() for c in m.canonical)
    }
    return sum(
        1
        for r in skill_requirements(job)
        if r.required and r.category == "hard_skills" and named.intersection(r.alternatives)
    )


def _pay_flag(job: Job, text: str) -> RedFlag | None:
    salary = job.salary
    low, high = salary.min, salary.max
    if low is not None and high is not None and low > 0 and high / low > _WIDE_RANGE:
        return RedFlag(
            code="vague_pay",
            evidence=salary.text or f"{low:g}-{high:g}",
            message="The pay range is so wide that it says little; ask where in it the offer would fall.",
        )
    if low is not None or high is not None or _PAY_NUMBER.search(salary.text):
        return None
    if vague := _VAGUE_PAY.search(text):
        return RedFlag(
            code="vague_pay",
            evidence=vague.group(0),
            message="Pay is described only as a promise, with no figure; ask for the range early.",
        )
    return None


def _seniority_flags(job: Job, text: str) -> list[RedFlag]:
    flags: list[RedFlag] = []
    title = job.title or ""
    entry = bool(_ENTRY.search(title)) or seniority_from_title(title) in ("intern", "junior")
    years = years_asked(job)
    title_level = seniority_from_title(title)
    if entry and years is not None and years >= _ENTRY_MAX_YEARS:
        flags.append(
            RedFlag(
                code="contradictory_seniority",
                evidence=f"{title}, {years:g}+ years",
                message="An entry-level title that asks for years of experience: "
                "expect senior work at junior pay, or ask which level the role really is.",
            )
        )
    elif title_level in _SENIOR_TITLES and (m := _NO_EXPERIENCE.search(text)):
        flags.append(
            RedFlag(
                code="contradictory_seniority",
                evidence=f"{title}, {m.group(0)}",
                message="A senior title on an entry-level ask: ask what the level and pay really are.",
            )
        )
    if entry and job.education_level == "phd":
        flags.append(
            RedFlag(
                code="unrealistic_education",
                evidence=f"{title}, doctorate",
                message="A junior role that asks for a doctorate.",
            )
        )
    return flags


def detect_red_flags(job: Job) -> list[RedFlag]:
    """Red flags of a posting from real signals; a clean posting has none."""
    text = _posting_text(job)
    flags: list[RedFlag] = []
    if m := _UNPAID.search(text):
        flags.append(
            RedFlag(
                code="unpaid_work",
                evidence=m.group(0),
                message="The posting mentions unpaid or commission-only work; "
                "ask whether every hour, trial included, is paid.",
            )
        )
    if m := _FEE.search(text):
        flags.append(
            RedFlag(
                code="fee_to_start",
                evidence=m.group(0),
                message="The posting asks you to pay to start; legitimate employers do not.",
            )
        )
    if flag := _pay_flag(job, text):
        flags.append(flag)
    flags += _seniority_flags(job, text)
    requirements = [q for q in job.qualifications if q.strip()]
    skills = required_skill_count(job)
    if len(requirements) > _MAX_REQUIREMENTS or skills > _MAX_REQUIRED_SKILLS:
        flags.append(
            RedFlag(
                code="excessive_requirements",
                evidence=f"{len(requirements)} requirements naming {skills} required skills",
                message="A very long requirement list: likely a wish list, or several roles in one.",
            )
        )
    if m := _PRESSURE.search(text):
        flags.append(
            RedFlag(
                code="pressure_culture",
                evidence=m.group(0),
                message=f'"{m.group(0)}" can mean blurred boundaries or chronic overwork; ask about hours.',
            )
        )
    if m := _HYPE.search(text):
        flags.append(
            RedFlag(
                code="hype_language",
                evidence=m.group(0),
                message=f'"{m.group(0)}" language often hides unclear expectations; ask what the job involves week to week.',
            )
        )
    if not job.company.strip():
        flags.append(
            RedFlag(
                code="anonymous_employer",
                message="The employer is not named; ask who it is before you share personal details.",
            )
        )
    return flags
