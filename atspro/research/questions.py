"""Questions a candidate can ask, and topics to prepare, specific to one posting."""

from __future__ import annotations

import re

from atspro.jobs.model import Job, WorkplaceType
from atspro.matching import MatchResult
from atspro.research.redflags import RedFlag

_TEAM = re.compile(r"\b(?:join|joining) (?:our|the) ([A-Za-z][\w&/ -]{2,40}?) team\b", re.I)
_ON_CALL = re.compile(r"\bon[- ]call\b", re.I)
_TRAVEL = re.compile(r"\btravel\b", re.I)
_MAX_QUESTIONS = 10
_MIN_QUESTIONS = 8


def _short(text: str, limit: int = 90) -> str:
    """A duty as a clause: trimmed, first letter lower-cased unless it is an acronym."""
    text = " ".join(text.split()).rstrip(".;")
    if len(text) > limit:
        text = text[:limit].rsplit(" ", 1)[0] + "…"
    first = text.split(" ", 1)[0]
    return text if first.isupper() else text[:1].lower() + text[1:]


def build_questions(job: Job, match: MatchResult, flags: list[RedFlag]) -> list[str]:
    """8-10 questions to ask the employer, drawn from this posting and this match."""
    role = job.title or "this role"
    company = job.company or "the company"
    text = "\n".join([job.description, *job.responsibilities, *job.qualifications, *job.logistics])
    out: list[str] = []
    if job.responsibilities:
        out.append(
            f'What would success look like in the first 90 days for "{_short(job.responsibilities[0])}"?'
        )
    if len(job.responsibilities) > 1:
        out.append(f'What is the hardest part today of "{_short(job.responsibilities[1])}"?')
    required = [m.keyword for m in match.keywords.hard_skills.matched if m.required]
    required += [m.keyword for m in match.keywords.hard_skills.missing if m.required]
    if required:
        out.append(f"How are {', '.join(required[:3])} used day to day on the team?")
    missing = [m.keyword for m in match.keywords.hard_skills.missing if m.required]
    if missing:
        out.append(
            f"How much ramp-up time would there be for {', '.join(missing[:2])}, and what support is there to learn it?"
        )
    preferred = [
        m.keyword
        for m in (*match.keywords.hard_skills.matched, *match.keywords.hard_skills.missing)
        if not m.required
    ]
    if preferred:
        out.append(
            f"How much do the nice-to-haves ({', '.join(preferred[:3])}) matter compared with the requirements?"
        )
    if team := _TEAM.search(text):
        out.append(
            f"How is the {team.group(1).strip()} team organised, and who would I work with most?"
        )
    else:
        out.append(
            f"How is the team behind the {role} role organised, and who would I work with most?"
        )
    if any(f.code == "vague_salary" for f in flags):
        out.append(f"What is the salary range for the {role} position, and how is it reviewed?")
    if job.workplace_type == WorkplaceType.UNKNOWN:
        out.append("Is the role remote, hybrid or on-site, and how flexible is that?")
    elif job.workplace_type == WorkplaceType.HYBRID:
        out.append("How many days a week are expected in the office, and which ones?")
    if _ON_CALL.search(text):
        out.append(
            "How is the on-call rotation organised, and how often is someone paged out of hours?"
        )
    if _TRAVEL.search(text):
        out.append("How much travel does the role involve in a typical quarter?")
    out.append(f"What growth path do people in the {role} role usually take at {company}?")
    out.append(
        f"What are {company}'s priorities for the next year, and how does this role contribute?"
    )
    out.append(
        "What does the interview process look like from here, and when could I expect to hear back?"
    )
    out.append("Why is this position open, and how long has it been open?")
    # Fillers keep the list at 8 or more even for a thin posting; specific questions come first.
    fillers = [
        f"What does a typical week look like for the {role}?",
        f"How is performance measured for the {role} in the first year?",
        "Which tools and processes does the team use to plan and ship work?",
    ]
    questions = _dedupe(out)
    questions += [q for q in fillers if len(questions) < _MIN_QUESTIONS and q not in questions]
    return questions[:_MAX_QUESTIONS]


def _dedupe(items: list[str]) -> list[str]:
    return list(dict.fromkeys(items))


def build_topics(job: Job, match: MatchResult) -> list[str]:
    """Likely interview topics: the skills asked, the duties, and this candidate's gaps."""
    topics: list[str] = []
    required = [
        m.keyword
        for m in (*match.keywords.hard_skills.matched, *match.keywords.hard_skills.missing)
        if m.required
    ]
    if required:
        topics.append(f"Technical depth in {', '.join(required[:6])}.")
    for duty in job.responsibilities[:3]:
        topics.append(f"Past work that shows you can {_short(duty, 110)}.")
    soft = [
        m.keyword
        for m in (*match.keywords.soft_skills.matched, *match.keywords.soft_skills.missing)
    ]
    if soft:
        topics.append(f"Behavioural questions on {', '.join(soft[:4])} (prepare STAR stories).")
    if job.seniority in ("senior", "lead", "principal", "executive"):
        topics.append(
            "Leadership and ownership: decisions you drove, people you mentored, trade-offs you made."
        )
    gaps = [m.keyword for m in match.keywords.hard_skills.missing if m.required]
    if gaps:
        topics.append(
            f"Be ready for questions on {', '.join(gaps[:4])}: say honestly what you know and how you would learn it."
        )
    if match.required_years and match.candidate_years < match.required_years:
        topics.append(
            f"Your {match.candidate_years:g} years against the {match.required_years:g}+ asked: show the depth of what you did."
        )
    if not topics:
        topics.append(
            f"Why {job.company or 'this company'}, and why the {job.title or 'role'} now."
        )
    return topics
