"""The company research report, built offline from the posting, the resume and site text."""

from __future__ import annotations

from collections.abc import Callable, Sequence
from datetime import date

from pydantic import BaseModel, Field

from atspro.jobs.model import Job, WorkplaceType
from atspro.matching import MatchResult, score_match
from atspro.research.about import POSTING, CompanyFact, posting_facts, site_facts, values_of
from atspro.research.phrasing import join_words, lower_first, sentence, tidy
from atspro.research.questions import build_questions, build_topics
from atspro.research.redflags import RedFlag, detect_red_flags
from atspro.research.site import SitePage
from atspro.resume.model import Resume

_OVERVIEW_SENTENCES = 4
_GLANCE = (
    ("founded", "Founded"),
    ("size", "Size"),
    ("locations", "Locations"),
)


class ResearchReport(BaseModel):
    """The research report: Markdown plus its structured parts.

    ``facts`` are what the report states about the company, each with its source
    ("the job posting" or a page URL); ``sources`` lists every source the report cites.
    """

    markdown: str
    company: str
    overview: list[str] = Field(default_factory=list)
    facts: list[CompanyFact] = Field(default_factory=list)
    role: list[str] = Field(default_factory=list)
    fit: list[str] = Field(default_factory=list)
    interview_topics: list[str] = Field(default_factory=list)
    questions: list[str] = Field(default_factory=list)
    red_flags: list[RedFlag] = Field(default_factory=list)
    match: MatchResult
    sources: list[str] = Field(default_factory=list)


def _company_facts(job: Job, site: Sequence[SitePage]) -> list[CompanyFact]:
    """The posting's facts, then the site's that the posting does not already state."""
    facts = posting_facts(job)
    seen = {(f.kind, f.text.lower()) for f in facts}
    for page in site:
        for fact in site_facts(page.url, page.paragraphs, job):
            if (fact.kind, fact.text.lower()) not in seen:
                seen.add((fact.kind, fact.text.lower()))
                facts.append(fact)
    return facts


def _overview(facts: Sequence[CompanyFact]) -> list[CompanyFact]:
    """Up to four sentences per source: what the company does, its mission and values."""
    taken: dict[str, int] = {}
    out: list[CompanyFact] = []
    for fact in facts:
        told = taken.get(fact.source, 0)
        if (
            fact.kind in ("description", "products", "mission", "values")
            and told < _OVERVIEW_SENTENCES
        ):
            taken[fact.source] = told + 1
            out.append(fact)
    return out


def _glance(facts: Sequence[CompanyFact], cite: Callable[[str], str]) -> list[str]:
    lines: list[str] = []
    for kind, label in _GLANCE:
        for fact in facts:
            if fact.kind == kind:
                lines.append(f"{label}: {fact.text} {cite(fact.source)}")
                break
    values = [f for f in facts if f.kind == "values"]
    if values and (named := values_of(values)):
        lines.append(f"Values: {join_words(named)} {cite(values[0].source)}")
    benefits = [f for f in facts if f.kind == "benefits"]
    if benefits:
        listed = "; ".join(lower_first(f.text) for f in benefits[:6])
        lines.append(f"Benefits: {listed} {cite(benefits[0].source)}")
    return lines


def _pay(job: Job) -> str:
    salary = job.salary
    low, high = salary.min, salary.max
    if low is None and high is None:
        return salary.text.strip()
    numbers = sorted({v for v in (low, high) if v is not None})
    amount = "-".join(f"{v:,.0f}" for v in numbers)
    money = f"{salary.currency} {amount}".strip()
    return f"{money} per {salary.period}" if salary.period else money


def _role(job: Job) -> list[str]:
    title = job.title or "The role"
    level = job.seniority if job.seniority.lower() not in title.lower() else ""
    workplace = (
        "" if job.workplace_type == WorkplaceType.UNKNOWN else job.workplace_type.value
    ).replace("_", "-")
    # Said once: a location such as "Berlin (Hybrid)" already names the workplace.
    if workplace and workplace.lower() in " ".join(job.location).lower():
        workplace = ""
    kind = ", ".join(p for p in (level, job.employment_type.replace("_", " "), workplace) if p)
    facts = [
        sentence(
            title
            + (f" ({kind})" if kind else "")
            + (f" in {join_words(job.location)}" if job.location else "")
        )
    ]
    if pay := _pay(job):
        facts.append(f"Pay: {pay}.")
    facts.extend(f"Duty: {sentence(tidy(duty, 160))}" for duty in job.responsibilities[:5])
    return facts


def _components(match: MatchResult) -> str:
    parts = (
        ("skills", match.skills_score),
        ("experience", match.experience_score),
        ("education", match.education_score),
        ("keywords", match.keywords_score),
        ("career", match.career_score),
    )
    # Components the posting gave no basis for are null; say so rather than print "None".
    return ", ".join(
        f"{name} {'not assessed' if value is None else value}" for name, value in parts
    )


def _fit(match: MatchResult) -> list[str]:
    return [
        f"Match score {match.overall_score}/100 ({_components(match)}).",
        *match.strengths,
        *match.gaps,
    ]


def _bullets(items: Sequence[str], empty: str) -> list[str]:
    return [f"- {item}" for item in items] or [f"- {empty}"]


def build_research_report(
    resume: Resume,
    job: Job,
    *,
    site: Sequence[SitePage] = (),
    today: date | None = None,
) -> ResearchReport:
    """Research a company and role offline from the posting, the resume and the site's pages.

    Every statement about the company cites its source: the posting or a page of ``site``.
    """
    match = score_match(resume, job, today=today)
    flags = detect_red_flags(job)
    company = job.company.strip() or "The company"
    facts = _company_facts(job, site)
    cited = list(dict.fromkeys([POSTING, *(f.source for f in facts)]))

    def cite(source: str) -> str:
        return f"[{cited.index(source) + 1}]"

    overview = _overview(facts)
    glance = _glance(facts, cite)
    role = _role(job)
    fit = _fit(match)
    topics = build_topics(job, match)
    questions = build_questions(job, match, flags, facts)
    sources = [*cited, "your resume"]
    md = [f"# {company}: {job.title or 'role'} research", ""]
    md += [
        "## Company overview",
        "",
        *_bullets(
            [f"{f.text} {cite(f.source)}" for f in overview],
            "The posting says nothing about the company itself; read its website and recent news before the interview.",
        ),
        "",
    ]
    if glance:
        md += ["### At a glance", "", *_bullets(glance, ""), ""]
    md += ["## The role", "", *_bullets(role, ""), ""]
    md += ["## How you fit", "", *_bullets(fit, ""), ""]
    md += ["## Likely interview topics", "", *_bullets(topics, ""), ""]
    md += ["## Questions to ask", "", *(f"{i}. {q}" for i, q in enumerate(questions, 1)), ""]
    md += [
        "## Red flags",
        "",
        *_bullets(
            [_flag_line(f) for f in flags],
            "No warning signs found: the pay, the level and the requirements look consistent.",
        ),
        "",
    ]
    md += [
        "## Sources",
        "",
        *(f"{i}. {_source_name(s)}" for i, s in enumerate(cited, 1)),
        "",
        "The fit section compares the posting with your resume.",
    ]
    return ResearchReport(
        markdown="\n".join(md) + "\n",
        company=job.company,
        overview=[f.text for f in overview],
        facts=facts,
        role=role,
        fit=fit,
        interview_topics=topics,
        questions=questions,
        red_flags=flags,
        match=match,
        sources=sources,
    )


def _flag_line(flag: RedFlag) -> str:
    if not flag.evidence:
        return flag.message
    return f'{flag.message.rstrip(".")} (the posting says "{flag.evidence}").'


def _source_name(source: str) -> str:
    return "The job posting" if source == POSTING else source
