"""Questions a candidate can ask, and topics to prepare, specific to one posting."""

from __future__ import annotations

import re
from collections.abc import Sequence

from atspro.jobs.model import Job, WorkplaceType
from atspro.matching import MatchResult
from atspro.research.about import CompanyFact, mission_of, product_of
from atspro.research.phrasing import (
    duty_clause,
    join_words,
    lower_first,
    possessive,
    strip_lead_in,
    tidy,
)
from atspro.research.redflags import RedFlag

_TEAM = re.compile(r"\b(?:join|joining) (?:our|the) ([A-Za-z][\w&/ -]{2,40}?) team\b", re.I)
_ON_CALL = re.compile(r"\bon[- ]call\b", re.I)
_TRAVEL = re.compile(r"\btravel\b", re.I)
_MAX_QUESTIONS = 10


def _required(match: MatchResult) -> list[str]:
    groups = match.keywords.hard_skills
    return [m.keyword for m in (*groups.matched, *groups.missing) if m.required]


def _them(items: list[str]) -> str:
    return "them" if len(items) > 1 else "it"


def _specific(
    job: Job, match: MatchResult, flags: Sequence[RedFlag], facts: Sequence[CompanyFact]
) -> list[str]:
    """Questions only this posting prompts, most telling first."""
    role = job.title or "this role"
    company = job.company.strip()
    text = "\n".join([job.description, *job.responsibilities, *job.qualifications, *job.logistics])
    codes = {f.code: f for f in flags}
    out: list[str] = []
    if "unpaid_work" in codes:
        out.append(
            f'The posting mentions "{codes["unpaid_work"].evidence}": is every hour of it paid, and how long does it last?'
        )
    if "contradictory_seniority" in codes:
        out.append(
            f"The posting reads as {codes['contradictory_seniority'].evidence}: which level is the role, and how is it paid?"
        )
    if job.responsibilities:
        out.append(
            f'What would success look like in the first 90 days for "{lower_first(tidy(strip_lead_in(job.responsibilities[0]), 90))}"?'
        )
    if len(job.responsibilities) > 1:
        out.append(
            f'What is the hardest part today of "{lower_first(tidy(strip_lead_in(job.responsibilities[1]), 90))}"?'
        )
    if required := _required(match):
        out.append(f"How are {join_words(required[:3])} used day to day on the team?")
    missing = [m.keyword for m in match.keywords.hard_skills.missing if m.required]
    if missing:
        out.append(
            f"How much ramp-up time would there be for {join_words(missing[:2])}, and what support is there to learn {_them(missing[:2])}?"
        )
    team = _TEAM.search(text)
    unit = f"the {team.group(1).strip()} team" if team else f"the team behind the {role} role"
    if mission := mission_of(facts):
        out.append(f"How does the work of {unit} serve the mission {mission}?")
    elif (product := product_of(facts)) and company:
        out.append(f"How does the work of {unit} shape the {product} {company} offers?")
    out.append(f"How is {unit} organised, and who would I work with most?")
    if _ON_CALL.search(text):
        out.append(
            "How is the on-call rotation organised, and how often is someone paged out of hours?"
        )
    if _TRAVEL.search(text):
        out.append("How much travel does the role involve in a typical quarter?")
    if "excessive_requirements" in codes:
        out.append(
            "Which of the listed requirements are must-haves on day one, and which can be learned on the job?"
        )
    if "vague_pay" in codes or (job.salary.min is None and job.salary.max is None):
        out.append(f"What is the salary range for the {role} position, and how is it reviewed?")
    if job.workplace_type == WorkplaceType.UNKNOWN:
        out.append("Is the role remote, hybrid or on-site, and how flexible is that?")
    elif job.workplace_type == WorkplaceType.HYBRID:
        out.append("How many days a week are expected in the office, and which ones?")
    places = [f.text for f in facts if f.kind == "locations"]
    if places and "," in places[0]:
        out.append(f"How does the team work across {join_words(places[0].split(', '))}?")
    benefits = [f.text for f in facts if f.kind == "benefits"]
    if benefits:
        out.append(f'How do people on the team make use of "{lower_first(tidy(benefits[0], 70))}"?')
    preferred = [
        m.keyword
        for m in (*match.keywords.hard_skills.matched, *match.keywords.hard_skills.missing)
        if not m.required
    ]
    if preferred:
        out.append(
            f"How much do the nice-to-haves ({join_words(preferred[:3])}) matter compared with the requirements?"
        )
    return out


def build_questions(
    job: Job,
    match: MatchResult,
    flags: Sequence[RedFlag],
    facts: Sequence[CompanyFact] = (),
) -> list[str]:
    """8-10 questions to ask the employer, the posting's own specifics first."""
    role = job.title or "this role"
    company = job.company.strip()
    about = possessive(company) if company else "the company's"
    general = [
        f"What growth path do people in the {role} role usually take"
        + (f" at {company}?" if company else "?"),
        f"What are {about} priorities for the next year, and how does this role contribute?",
        "What does the interview process look like from here, and when could I expect to hear back?",
        "Why is this position open, and how long has it been open?",
        f"What does a typical week look like for the {role}?",
        f"How is performance measured for the {role} in the first year?",
        "Which tools and processes does the team use to plan and ship work?",
        "What do people who do well here have in common?",
    ]
    # At most eight specific ones, so growth and the company's plans are always asked; the
    # general list is long enough to reach eight questions for the thinnest posting.
    questions = list(dict.fromkeys(_specific(job, match, flags, facts)))[: _MAX_QUESTIONS - 2]
    questions += [q for q in general if q not in questions]
    return questions[:_MAX_QUESTIONS]


def build_topics(job: Job, match: MatchResult) -> list[str]:
    """Likely interview topics: the skills asked, the duties, and this candidate's gaps."""
    topics: list[str] = []
    if required := _required(match):
        topics.append(f"Technical depth in {join_words(required[:6])}.")
    for duty in job.responsibilities[:3]:
        clause = duty_clause(duty)
        if clause is not None:
            topics.append(f"Past work that shows you can {clause}.")
        else:
            # Not a verb we know: quote the duty rather than bend it into a wrong clause.
            topics.append(f'Past work that matches "{tidy(duty)}".')
    soft = [
        m.keyword
        for m in (*match.keywords.soft_skills.matched, *match.keywords.soft_skills.missing)
    ]
    if soft:
        topics.append(f"Behavioural questions on {join_words(soft[:4])} (prepare STAR stories).")
    if job.seniority in ("senior", "lead", "principal", "executive"):
        topics.append(
            "Leadership and ownership: decisions you drove, people you mentored, trade-offs you made."
        )
    gaps = [m.keyword for m in match.keywords.hard_skills.missing if m.required]
    if gaps:
        topics.append(
            f"Be ready for questions on {join_words(gaps[:4])}: say honestly what you know and how you would learn it."
        )
    if match.required_years and match.candidate_years < match.required_years:
        topics.append(
            f"Your {match.candidate_years:g} years against the {match.required_years:g}+ asked: show the depth of what you did."
        )
    if not topics:
        topics.append(
            f"Why {job.company.strip() or 'this company'}, and why the {job.title or 'role'} now."
        )
    return topics
