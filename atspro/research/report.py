"""The company research report, built offline from the posting, the resume and site text."""

from __future__ import annotations

import re
from datetime import date

from pydantic import BaseModel, Field

from atspro.jobs.model import Job, WorkplaceType
from atspro.matching import MatchResult, score_match
from atspro.matching.phrases import split_sentences
from atspro.research.questions import build_questions, build_topics
from atspro.research.redflags import RedFlag, detect_red_flags
from atspro.resume.model import Resume

_ABOUT = re.compile(
    r"\b(we are|we're|our mission|we build|we help|founded|headquartered|leader in|about us|our (?:team|company|customers|product))\b",
    re.I,
)
_OVERVIEW_SENTENCES = 4


class ResearchReport(BaseModel):
    """The research report: Markdown plus its structured parts."""

    markdown: str
    company: str
    overview: list[str] = Field(default_factory=list)
    role: list[str] = Field(default_factory=list)
    fit: list[str] = Field(default_factory=list)
    interview_topics: list[str] = Field(default_factory=list)
    questions: list[str] = Field(default_factory=list)
    red_flags: list[RedFlag] = Field(default_factory=list)
    match: MatchResult
    sources: list[str] = Field(default_factory=list)


def _overview(job: Job, site_text: str | None) -> list[str]:
    name = job.company.strip()
    lines: list[str] = []
    pools = [split_sentences(job.description)]
    if site_text:
        pools.insert(0, split_sentences(site_text))
    for pool in pools:
        for sentence in pool:
            words = len(sentence.split())
            about = _ABOUT.search(sentence) or (name and name.lower() in sentence.lower())
            if about and 4 <= words <= 60 and sentence not in lines:
                lines.append(sentence)
            if len(lines) >= _OVERVIEW_SENTENCES:
                return lines
    return lines


def _role(job: Job) -> list[str]:
    facts: list[str] = []
    kind = ", ".join(
        p
        for p in (
            job.seniority,
            job.employment_type.replace("_", " "),
            ""
            if job.workplace_type == WorkplaceType.UNKNOWN
            else job.workplace_type.value.replace("_", "-"),
        )
        if p
    )
    facts.append(
        f"{job.title or 'Role'}"
        + (f" ({kind})" if kind else "")
        + (f" in {', '.join(job.location)}" if job.location else "")
        + "."
    )
    if job.salary.min is not None or job.salary.max is not None or job.salary.text:
        facts.append(
            f"Pay: {job.salary.text or f'{job.salary.min}-{job.salary.max} {job.salary.currency}/{job.salary.period}'}."
        )
    facts.extend(f"Duty: {duty}" for duty in job.responsibilities[:5])
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


def _bullets(items: list[str]) -> list[str]:
    return [f"- {item}" for item in items] or ["- Nothing found in the posting."]


def build_research_report(
    resume: Resume, job: Job, *, site_text: str | None = None, today: date | None = None
) -> ResearchReport:
    """Research a company and role offline from the posting, the resume and optional site text."""
    match = score_match(resume, job, today=today)
    flags = detect_red_flags(job)
    company = job.company.strip() or "The company"
    overview = _overview(job, site_text)
    role = _role(job)
    fit = _fit(match)
    topics = build_topics(job, match)
    questions = build_questions(job, match, flags)
    sources = ["the job posting", "your resume"] + (
        ["the company's website (fetched text)"] if site_text else []
    )
    md = [f"# {company}: {job.title or 'role'} research", ""]
    md += ["## Company overview", "", *_bullets(overview), ""]
    md += ["## The role", "", *_bullets(role), ""]
    md += ["## How you fit", "", *_bullets(fit), ""]
    md += ["## Likely interview topics", "", *_bullets(topics), ""]
    md += ["## Questions to ask", "", *(f"{i}. {q}" for i, q in enumerate(questions, 1)), ""]
    md += [
        "## Red flags",
        "",
        *_bullets([f"{f.message}" + (f' ("{f.evidence}")' if f.evidence else "") for f in flags]),
        "",
    ]
    md += ["## Sources", "", *_bullets(sources)]
    return ResearchReport(
        markdown="\n".join(md) + "\n",
        company=job.company,
        overview=overview,
        role=role,
        fit=fit,
        interview_topics=topics,
        questions=questions,
        red_flags=flags,
        match=match,
        sources=sources,
    )
