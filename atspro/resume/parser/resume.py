"""The offline parser's entry point: an extracted document in, a Resume out."""

from __future__ import annotations

from atspro.extraction.document import ExtractedDocument
from atspro.resume.model import Resume, WorkExperience
from atspro.resume.parser.contact import EMAIL_RE, URL_RE, extract_contact, find_phone
from atspro.resume.parser.education import parse_education
from atspro.resume.parser.entries import is_prose, split_entries
from atspro.resume.parser.experience import parse_experience
from atspro.resume.parser.headings import Kind
from atspro.resume.parser.layout import Row, build_rows
from atspro.resume.parser.lists import (
    parse_certifications,
    parse_languages,
    parse_projects,
    parse_skills,
)
from atspro.resume.parser.sections import Section, split_sections
from atspro.resume.parser.vocab import has_title_word


def _rows_of(sections: list[Section], kind: Kind) -> list[list[Row]]:
    return [s.rows for s in sections if s.kind is kind and s.rows]


def _summary(sections: list[Section]) -> str:
    for section in sections:
        if section.kind is Kind.SUMMARY and section.rows:
            return " ".join(r.text for r in section.rows)
    # No summary heading: a paragraph in the profile block reads as one.
    profile = next((s for s in sections if s.kind is Kind.PROFILE), None)
    if profile is not None:
        prose = [r.text for r in profile.rows if is_prose(r) and not EMAIL_RE.search(r.text)]
        return " ".join(prose)
    return ""


def _work_experience(sections: list[Section]) -> list[WorkExperience]:
    """Roles of experience sections, and dated roles held in activity sections."""
    work: list[WorkExperience] = []
    for section in sections:
        if section.kind is Kind.EXPERIENCE:
            work.extend(parse_experience(section.rows))
        elif section.kind is Kind.ACTIVITIES:
            # "Head of Events, Finance Society, 2017 - Present" is a position held, as an
            # ATS counts it; an undated club or a one-off event is not.
            work.extend(
                job
                for job in parse_experience(section.rows)
                if (job.end_date or job.is_current) and has_title_word(job.position)
            )
    return work


def _headerless_experience(sections: list[Section]) -> list[Row]:
    """Dated entries outside any named section, when the resume has no experience heading."""
    rows: list[Row] = []
    for section in sections:
        if section.kind not in (Kind.PROFILE, Kind.OTHER):
            continue
        candidates = section.rows
        if section.kind is Kind.PROFILE:
            # The name and contact lines head the profile; roles come after them.
            contact = [i for i, r in enumerate(candidates[:8]) if _is_contact(r)]
            candidates = candidates[(contact[-1] + 1 if contact else 1) :]
        for entry in split_entries(candidates):
            if (
                entry.date is not None
                and entry.date.is_range
                and any(has_title_word(r.text) for r in entry.header)
            ):
                rows.extend(entry.header + entry.body)
    return rows


def _is_contact(row: Row) -> bool:
    return bool(EMAIL_RE.search(row.text) or URL_RE.search(row.text) or find_phone([row.text]))


def parse_resume_document(doc: ExtractedDocument) -> Resume:
    """Parse an extracted resume into the structured model, without any model or network."""
    rows = build_rows(doc)
    sections = split_sections(rows)
    profile = next((s.rows for s in sections if s.kind is Kind.PROFILE), [])
    work = _work_experience(sections)
    if not work:
        work = parse_experience(_headerless_experience(sections))
    skills: list[str] = []
    for section_rows in _rows_of(sections, Kind.SKILLS):
        skills.extend(s for s in parse_skills(section_rows) if s not in skills)
    education = [e for rs in _rows_of(sections, Kind.EDUCATION) for e in parse_education(rs)]
    courses = [c for rs in _rows_of(sections, Kind.COURSEWORK) for c in parse_skills(rs)]
    if courses and education and not education[0].relevant_courses:
        education[0].relevant_courses = courses
    return Resume(
        contact_info=extract_contact(
            profile, rows, [r for rs in _rows_of(sections, Kind.CONTACT) for r in rs]
        ),
        summary=_summary(sections),
        work_experience=work,
        education=education,
        certifications=[
            c for rs in _rows_of(sections, Kind.CERTIFICATIONS) for c in parse_certifications(rs)
        ],
        projects=[p for rs in _rows_of(sections, Kind.PROJECTS) for p in parse_projects(rs)],
        skills=skills,
        languages=[
            lang for rs in _rows_of(sections, Kind.LANGUAGES) for lang in parse_languages(rs)
        ],
    )
