"""Warning signs in a job posting, each with the words that raised it."""

from __future__ import annotations

import re

from pydantic import BaseModel

from atspro.jobs.model import Job
from atspro.matching.requirements import years_asked

_HYPE = re.compile(
    r"\b(rock\s?stars?|ninjas?|gurus?|wizards?|unicorns?|superstars?|jedis?|10x)\b", re.I
)
_UNPAID = re.compile(
    r"\b(unpaid (?:trial|test|internship|project|work)|(?:trial|test) (?:day|week|period|project)s? "
    r"(?:is |are )?unpaid|without (?:pay|compensation)|commission[- ]only|free trial work|"
    r"no (?:salary|pay) (?:during|for) the (?:trial|first))\b",
    re.I,
)
_PRESSURE = re.compile(
    r"\b(wear many hats|like a family|work hard,? play hard|hustle|24/7|nights and weekends|"
    r"whatever it takes|thrive under pressure|high[- ]pressure|unlimited overtime|always on)\b",
    re.I,
)
_VAGUE_PAY = re.compile(
    r"\b(competitive (?:salary|pay|compensation)|doe|depending on experience|commensurate)\b", re.I
)
_ENTRY = re.compile(r"\b(entry[- ]level|junior|graduate|intern(?:ship)?|jr\.?)\b", re.I)
_LONG_LIST = 15


class RedFlag(BaseModel):
    """One warning sign: a stable code, a message for the job seeker, and the evidence."""

    code: str
    message: str
    evidence: str = ""


def _posting_text(job: Job) -> str:
    parts = [job.title, job.description, *job.responsibilities, *job.qualifications]
    parts += [*job.preferred_qualifications, *job.benefits, *job.logistics, *job.additional_info]
    return "\n".join(p for p in parts if p)


def detect_red_flags(job: Job) -> list[RedFlag]:
    """Red flags of a posting: vague pay, hype words, unpaid trials, unrealistic asks..."""
    text = _posting_text(job)
    flags: list[RedFlag] = []
    salary = job.salary
    if salary.min is None and salary.max is None:
        vague = _VAGUE_PAY.search(text)
        flags.append(
            RedFlag(
                code="vague_salary",
                message="No salary range is given"
                + (" beyond a vague promise" if vague else "")
                + "; ask for it early.",
                evidence=vague.group(0) if vague else salary.text,
            )
        )
    if m := _HYPE.search(text):
        flags.append(
            RedFlag(
                code="hype_language",
                evidence=m.group(0),
                message=f"'{m.group(0)}' language often signals unclear expectations or long hours.",
            )
        )
    if m := _UNPAID.search(text):
        flags.append(
            RedFlag(
                code="unpaid_work",
                evidence=m.group(0),
                message="The posting mentions unpaid or commission-only work before or instead of pay.",
            )
        )
    if m := _PRESSURE.search(text):
        flags.append(
            RedFlag(
                code="pressure_culture",
                evidence=m.group(0),
                message=f"'{m.group(0)}' can mean blurred boundaries or chronic overwork; ask about hours.",
            )
        )
    asks = len(job.qualifications) + len(job.preferred_qualifications)
    skills = len(job.required_skills)
    if asks > _LONG_LIST or skills > _LONG_LIST:
        flags.append(
            RedFlag(
                code="long_requirements",
                evidence=f"{asks} requirements, {skills} required skills",
                message="A very long requirement list: likely a wish list, or several roles in one.",
            )
        )
    years = years_asked(job)
    entry = _ENTRY.search(job.title) or job.seniority in ("intern", "junior")
    if years is not None and years >= 3 and entry:
        flags.append(
            RedFlag(
                code="unrealistic_experience",
                evidence=f"{years:g}+ years for {job.title or 'an entry role'}",
                message="An entry-level title that asks for several years of experience.",
            )
        )
    if entry and job.education_level == "phd":
        flags.append(
            RedFlag(
                code="unrealistic_education",
                evidence=job.education_level,
                message="A junior role that asks for a doctorate.",
            )
        )
    if not job.company.strip():
        flags.append(
            RedFlag(code="anonymous_employer", message="The employer is not named in the posting.")
        )
    return flags
