"""Prepared forms of a job and a resume, so one job can be scored against many resumes fast."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date

from atspro.jobs.model import Job
from atspro.matching.degrees import LEVELS, degree_level, level_rank
from atspro.matching.experience import Interval, merged_years, role_interval
from atspro.matching.phrases import (
    StemmedWord,
    iter_phrases,
    keyword_stems,
    snippet_around,
    split_sentences,
    stem_words,
)
from atspro.matching.requirements import (
    Requirement,
    certification_requirements,
    education_asked,
    education_requirements,
    skill_requirements,
    years_asked,
)
from atspro.matching.titles import (
    SENIORITY,
    posting_title,
    seniority_from_years,
    title_seniority,
)
from atspro.matching.vocabulary import canonical_term, find_mentions, related_terms
from atspro.resume.model import Resume

# Typical minimum years per seniority, used when a posting states a level but no years.
_YEARS_BY_SENIORITY = {
    "intern": 0.0,
    "junior": 1.0,
    "mid": 3.0,
    "senior": 5.0,
    "lead": 7.0,
    "principal": 8.0,
    "executive": 10.0,
}
_MAX_EVIDENCE = 3
_LIST_ITEM_CHARS = 60


@dataclass(frozen=True, slots=True)
class Evidence:
    """Where a keyword was found in a resume: section, the words used, and an excerpt."""

    section: str
    surface: str
    snippet: str


@dataclass(frozen=True, slots=True)
class RoleFacts:
    """One dated role: its title, month interval and the skill keys its text mentions."""

    title: str
    company: str
    interval: Interval | None
    keys: frozenset[str]


@dataclass(slots=True)
class ResumeProfile:
    """A resume prepared for scoring: keyword evidence, roles, years and degree level."""

    resume: Resume
    evidence: dict[str, list[Evidence]]
    roles: tuple[RoleFacts, ...]
    total_years: float
    degree_level: str
    degree_text: str
    seniority: str
    # (section, text, stemmed words) of every piece, for multi-word keywords said differently.
    chunks: tuple[tuple[str, str, tuple[StemmedWord, ...]], ...] = ()


@dataclass(slots=True)
class JobProfile:
    """A job prepared for scoring: weighted requirements and the asks for years and degree."""

    job: Job
    title: str
    requirements: tuple[Requirement, ...]
    related: tuple[frozenset[str], ...]
    variants: tuple[tuple[tuple[str, ...], ...], ...]
    years_min: float | None
    education_level: str
    education_flexible: bool
    education_field: str
    seniority: str
    hard_keys: frozenset[str] = field(default_factory=frozenset)


def _chunks(resume: Resume) -> list[tuple[str, str, int]]:
    """(section, text, role index or -1) pieces of a resume, in the order an ATS shows them."""
    out: list[tuple[str, str, int]] = []
    out.extend(("summary", s, -1) for s in split_sentences(resume.summary))
    for index, role in enumerate(resume.work_experience):
        # The title is evidence; the employer's name is not ("Acme Analytics" proves no
        # analytics), so it never reaches the skill keys.
        if role.position:
            out.append(("experience", role.position, index))
        out.extend(("experience", s, index) for s in split_sentences(role.description))
        out.extend(("experience", item, index) for item in role.responsibilities if item.strip())
        out.extend(("experience", item, index) for item in role.skills if item.strip())
    for project in resume.projects:
        out.append(("projects", project.name, -1))
        out.extend(("projects", s, -1) for s in split_sentences(project.description))
        out.extend(("projects", item, -1) for item in project.skills if item.strip())
    for school in resume.education:
        head = ", ".join(p for p in (school.degree, school.field_of_study, school.institution) if p)
        if head:
            out.append(("education", head, -1))
        extra = [*school.relevant_courses, *school.honors, *school.skills]
        out.extend(("education", item, -1) for item in extra if item.strip())
    for cert in resume.certifications:
        out.append(("certifications", " ".join(p for p in (cert.name, cert.issuer) if p), -1))
    out.extend(("skills", item, -1) for item in resume.skills if item.strip())
    out.extend(("languages", item, -1) for item in resume.languages if item.strip())
    return out


def text_keys(text: str) -> frozenset[str]:
    """Canonical keys of every skill-like phrase in ``text``."""
    return frozenset(key for key, _, _ in _phrase_keys(text))


def _phrase_keys(text: str, *, max_words: int = 4) -> list[tuple[str, int, int]]:
    """(canonical key, start, end) for every phrase and skill mention in ``text``."""
    keys: list[tuple[str, int, int]] = []
    for phrase in iter_phrases(text, max_words=max_words):
        # Lower-case one- and two-letter words ("go", "r", "c") are ordinary words, not skills.
        if phrase.size == 1 and len(phrase.text) <= 2 and phrase.text.islower():
            continue
        key = canonical_term(phrase.text)
        if key:
            keys.append((key, phrase.start, phrase.end))
    keys.extend((m.canonical, m.start, m.end) for m in find_mentions(text))
    return keys


def prepare_resume(resume: Resume, *, today: date | None = None) -> ResumeProfile:
    """Index a resume's keywords, roles, years and degree once, for scoring against many jobs."""
    today = today or date.today()
    evidence: dict[str, list[Evidence]] = {}
    role_keys: dict[int, set[str]] = {}
    pieces = _chunks(resume)
    for section, text, role_index in pieces:
        # Long phrases in prose are found by the skill extractor; looking up every 3- and
        # 4-word n-gram of every sentence too would cost most of the 20 ms budget.
        prose = len(text) > _LIST_ITEM_CHARS
        for key, start, end in _phrase_keys(text, max_words=2 if prose else 4):
            if role_index >= 0:
                role_keys.setdefault(role_index, set()).add(key)
            hits = evidence.setdefault(key, [])
            if len(hits) < _MAX_EVIDENCE and all(hit.section != section for hit in hits):
                hits.append(Evidence(section, text[start:end], snippet_around(text, start, end)))
    roles = tuple(
        RoleFacts(
            role.position,
            role.company,
            role_interval(role.start_date, role.end_date, is_current=role.is_current, today=today),
            frozenset(role_keys.get(index, ())),
        )
        for index, role in enumerate(resume.work_experience)
    )
    total = merged_years(r.interval for r in roles if r.interval is not None)
    best_level, best_text = "none", ""
    for school in resume.education:
        text = " ".join(p for p in (school.degree, school.field_of_study) if p)
        level = degree_level(text)
        if level_rank(level) > level_rank(best_level):
            best_level, best_text = level, school.degree or text
    # A degree also satisfies every lower level an ATS might ask for.
    for level in LEVELS[1 : level_rank(best_level) + 1]:
        evidence.setdefault(f"degree:{level}", []).append(
            Evidence("education", best_text, best_text)
        )
    stated = title_seniority(resume.work_experience[0].position) if resume.work_experience else ""
    seniority = stated or seniority_from_years(total)
    chunks = tuple((section, text, stem_words(text)) for section, text, _ in pieces)
    return ResumeProfile(resume, evidence, roles, total, best_level, best_text, seniority, chunks)


def prepare_job(job: Job) -> JobProfile:
    """Turn a posting into weighted requirements and asks, reused across many resumes."""
    level, flexible, field_of_study = education_asked(job)
    requirements = (
        *skill_requirements(job),
        *education_requirements(level, field_of_study),
        *certification_requirements(job),
    )
    related = tuple(
        frozenset().union(*(related_terms(key) for key in r.alternatives)) - set(r.alternatives)
        if r.category == "hard_skills"
        else frozenset()
        for r in requirements
    )
    variants = tuple(
        tuple(stems for key in r.alternatives if (stems := keyword_stems(key)))
        if r.category in ("hard_skills", "soft_skills")
        else ()
        for r in requirements
    )
    title = posting_title(job.title, job.description)
    seniority = job.seniority if job.seniority in SENIORITY else title_seniority(title)
    years = years_asked(job)
    if years is None and seniority:
        years = _YEARS_BY_SENIORITY[seniority]
    hard = frozenset(k for r in requirements if r.category == "hard_skills" for k in r.alternatives)
    return JobProfile(
        job=job,
        title=title,
        requirements=requirements,
        related=related,
        variants=variants,
        years_min=years,
        education_level=level,
        education_flexible=flexible,
        education_field=field_of_study,
        seniority=seniority,
        hard_keys=hard,
    )
