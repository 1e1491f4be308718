"""Hard rules every tailored resume must keep, checked by code on every result.

Errors break a hard rule: a populated section dropped; an employer, title, date, degree,
school, certification, project or number that the original does not state; contact
details changed. Warnings flag skill claims the original does not evidence; a posting
keyword the candidate lacks must be listed for the user, not written in as a claim.
``blocking(violations)`` gives the errors; the offline optimizer accepts neither kind.
"""

from __future__ import annotations

import re
from typing import Literal

from pydantic import BaseModel

from atspro.jobs.model import Job
from atspro.matching.vocabulary import canonical_term, find_mentions
from atspro.resume.model import Resume
from atspro.tailoring.facts import DATE_TOKEN, NUMBER, OriginalFacts, all_text, same_name

Severity = Literal["error", "warning"]

SECTIONS = (
    "summary",
    "work_experience",
    "education",
    "certifications",
    "projects",
    "skills",
    "languages",
)
_HEADINGS = {
    "summary": r"summary|profile|about|objective|overview|introduction",
    "work_experience": r"experience|employment|work history|career|positions",
    "education": r"education|academic|qualifications|degrees?",
    "certifications": r"certifications?|certificates?|licen[cs]es?|credentials",
    "projects": r"projects?|portfolio",
    "skills": r"skills|technologies|competencies|expertise|tools|tech stack",
    "languages": r"languages?",
}
_HEADING = re.compile(r"^(#{1,6})\s+(.+?)\s*#*\s*$")
_PART_SPLIT = re.compile(r"\s+[\u2014\u2013|@-]\s+|\s+at\s+|\s*\|\s*|,\s+|\s+·\s+")
_EMAIL = re.compile(r"[\w.+-]+@[\w-]+(?:\.[\w-]+)+")


class Violation(BaseModel):
    """One broken rule: a stable ``rule`` code, severity, and a message for the user."""

    rule: str
    severity: Severity
    message: str
    path: str = ""


def blocking(violations: list[Violation]) -> list[Violation]:
    """The violations that make a tailoring unacceptable (errors)."""
    return [v for v in violations if v.severity == "error"]


def _populated(resume: Resume, section: str) -> bool:
    value = getattr(resume, section)
    return bool(value.strip()) if isinstance(value, str) else bool(value)


def _norm(text: str) -> str:
    return " ".join(text.split()).casefold()


def _check_contact(original: Resume, tailored: Resume) -> list[Violation]:
    out: list[Violation] = []
    before, after = original.contact_info, tailored.contact_info
    for field in ("full_name", "email", "phone", "address"):
        if _norm(getattr(before, field)) != _norm(getattr(after, field)):
            out.append(
                Violation(
                    rule="contact_changed",
                    severity="error",
                    path=f"contact_info.{field}",
                    message=f"Contact {field.replace('_', ' ')} changed from {getattr(before, field)!r} "
                    f"to {getattr(after, field)!r}.",
                )
            )
    if sorted(_norm(x.url) for x in before.links) != sorted(_norm(x.url) for x in after.links):
        out.append(
            Violation(
                rule="contact_changed",
                severity="error",
                path="contact_info.links",
                message="Contact links changed.",
            )
        )
    return out


def _check_sections(original: Resume, present: set[str]) -> list[Violation]:
    return [
        Violation(
            rule="section_dropped",
            severity="error",
            path=section,
            message=f"The {section.replace('_', ' ')} section of the original was dropped.",
        )
        for section in SECTIONS
        if _populated(original, section) and section not in present
    ]


def _check_roles(facts: OriginalFacts, tailored: Resume) -> list[Violation]:
    out: list[Violation] = []
    originals = facts.resume.work_experience
    for index, role in enumerate(tailored.work_experience):
        path = f"work_experience[{index}]"
        same_company = [o for o in originals if same_name(o.company, role.company)]
        if role.company and not same_company:
            out.append(
                Violation(
                    rule="employer_invented",
                    severity="error",
                    path=f"{path}.company",
                    message=f"Employer {role.company!r} is not in the original resume.",
                )
            )
            continue
        candidates = same_company or originals
        same_title = [o for o in candidates if same_name(o.position, role.position)]
        if role.position and not same_title:
            out.append(
                Violation(
                    rule="title_invented",
                    severity="error",
                    path=f"{path}.position",
                    message=f"Title {role.position!r} at {role.company or 'this role'} is not in the original.",
                )
            )
            continue
        # The same title at the same employer may appear twice (a return); any dates may match.
        pool = same_title or candidates
        if pool and not any(
            _norm(match.start_date) == _norm(role.start_date)
            and _norm(match.end_date) == _norm(role.end_date)
            and match.is_current == role.is_current
            for match in pool
        ):
            out.append(
                Violation(
                    rule="date_changed",
                    severity="error",
                    path=f"{path}.dates",
                    message=f"Dates of {role.position or role.company!r} differ from the original.",
                )
            )
    kept = {(_norm(r.company), _norm(r.position)) for r in tailored.work_experience}
    for role in originals:
        if (_norm(role.company), _norm(role.position)) not in kept:
            out.append(
                Violation(
                    rule="entry_dropped",
                    severity="warning",
                    path="work_experience",
                    message=f"Role {role.position!r} at {role.company!r} was left out.",
                )
            )
    return out


def _check_entries(facts: OriginalFacts, tailored: Resume) -> list[Violation]:
    out: list[Violation] = []
    schools = facts.resume.education
    for index, school in enumerate(tailored.education):
        path = f"education[{index}]"
        if school.degree and not any(same_name(s.degree, school.degree) for s in schools):
            out.append(
                Violation(
                    rule="degree_invented",
                    severity="error",
                    path=f"{path}.degree",
                    message=f"Degree {school.degree!r} is not in the original resume.",
                )
            )
        if school.institution and not any(
            same_name(s.institution, school.institution) for s in schools
        ):
            out.append(
                Violation(
                    rule="school_invented",
                    severity="error",
                    path=f"{path}.institution",
                    message=f"School {school.institution!r} is not in the original resume.",
                )
            )
        twin = next(
            (
                s
                for s in schools
                if same_name(s.degree, school.degree)
                and same_name(s.institution, school.institution)
            ),
            None,
        )
        if twin is not None and _norm(twin.graduation_date) != _norm(school.graduation_date):
            out.append(
                Violation(
                    rule="date_changed",
                    severity="error",
                    path=f"{path}.graduation_date",
                    message=f"Graduation date of {school.degree!r} differs from the original.",
                )
            )
    for index, cert in enumerate(tailored.certifications):
        if not any(same_name(c.name, cert.name) for c in facts.resume.certifications):
            out.append(
                Violation(
                    rule="certification_invented",
                    severity="error",
                    path=f"certifications[{index}]",
                    message=f"Certification {cert.name!r} is not in the original resume.",
                )
            )
    for index, project in enumerate(tailored.projects):
        if not any(same_name(p.name, project.name) for p in facts.resume.projects):
            out.append(
                Violation(
                    rule="project_invented",
                    severity="error",
                    path=f"projects[{index}]",
                    message=f"Project {project.name!r} is not in the original resume.",
                )
            )
    return out


def _check_claims(
    facts: OriginalFacts, texts: list[tuple[str, str]], job: Job | None
) -> list[Violation]:
    """Skills, numbers and dates stated in free text must come from the original."""
    out: list[Violation] = []
    asked = set()
    if job is not None:
        asked = {canonical_term(s) for s in (*job.required_skills, *job.preferred_skills)}
    flagged: set[str] = set()
    for path, text in texts:
        for mention in find_mentions(text):
            key = mention.canonical
            if key in flagged or facts.has_skill(key):
                continue
            flagged.add(key)
            said = text[mention.start : mention.end]
            why = " (a posting keyword: list it as missing instead)" if key in asked else ""
            out.append(
                Violation(
                    rule="skill_unsupported",
                    severity="warning",
                    path=path,
                    message=f"Skill {said!r} is not evidenced in the original resume{why}.",
                )
            )
        for token in DATE_TOKEN.finditer(text):
            if not facts.date_known(token.group()):
                out.append(
                    Violation(
                        rule="date_invented",
                        severity="error",
                        path=path,
                        message=f"Date {token.group()!r} is not in the original resume.",
                    )
                )
        plain = DATE_TOKEN.sub(" ", text)
        for number in NUMBER.finditer(plain):
            if not facts.number_known(number.group(), plain[number.end() : number.end() + 12]):
                out.append(
                    Violation(
                        rule="number_invented",
                        severity="error",
                        path=path,
                        message=f"The number {number.group()!r} is not in the original resume.",
                    )
                )
    return out


def check_claims(
    original: Resume, texts: list[tuple[str, str]], job: Job | None = None
) -> list[Violation]:
    """Skill, number and date claims of free ``(path, text)`` pieces against ``original``."""
    return _check_claims(OriginalFacts(original), texts, job)


def _resume_texts(resume: Resume) -> list[tuple[str, str]]:
    texts = [("summary", resume.summary), ("skills", ", ".join(resume.skills))]
    for i, role in enumerate(resume.work_experience):
        texts.append((f"work_experience[{i}].description", role.description))
        texts.extend((f"work_experience[{i}].responsibilities", b) for b in role.responsibilities)
        texts.append((f"work_experience[{i}].skills", ", ".join(role.skills)))
    for i, project in enumerate(resume.projects):
        texts.append((f"projects[{i}]", " ".join([project.description, *project.skills])))
    for i, school in enumerate(resume.education):
        texts.append(
            (
                f"education[{i}]",
                " ".join([*school.honors, *school.relevant_courses, *school.skills]),
            )
        )
    return [(p, t) for p, t in texts if t.strip()]


def _check_resume(facts: OriginalFacts, tailored: Resume, job: Job | None) -> list[Violation]:
    present = {s for s in SECTIONS if _populated(tailored, s)}
    return [
        *_check_contact(facts.resume, tailored),
        *_check_sections(facts.resume, present),
        *_check_roles(facts, tailored),
        *_check_entries(facts, tailored),
        *_check_claims(facts, _resume_texts(tailored), job),
    ]


def _check_markdown(facts: OriginalFacts, markdown: str, job: Job | None) -> list[Violation]:
    out: list[Violation] = []
    lines = markdown.splitlines()
    first_section = next(
        (i for i, line in enumerate(lines) if re.match(r"^#{2,6}\s", line)), len(lines)
    )
    head, body = "\n".join(lines[:first_section]), lines[first_section:]
    contact = facts.resume.contact_info
    wanted = [
        contact.full_name,
        contact.email,
        contact.phone,
        contact.address,
        *(x.url for x in contact.links),
    ]
    for value in wanted:
        if value.strip() and _norm(value) not in _norm(head):
            out.append(
                Violation(
                    rule="contact_changed",
                    severity="error",
                    path="contact",
                    message=f"Contact detail {value!r} is missing or changed.",
                )
            )
    for email in _EMAIL.findall(markdown):
        if _norm(email) != _norm(contact.email):
            out.append(
                Violation(
                    rule="contact_changed",
                    severity="error",
                    path="contact",
                    message=f"Email {email!r} is not the candidate's.",
                )
            )
    present: set[str] = set()
    texts: list[tuple[str, str]] = []
    for number, line in enumerate(body, start=first_section + 1):
        heading = _HEADING.match(line)
        if heading and len(heading.group(1)) == 2:
            present.update(
                s for s, pattern in _HEADINGS.items() if re.search(pattern, heading.group(2), re.I)
            )
            continue
        if heading:
            for part in _PART_SPLIT.split(heading.group(2).strip("*_ ")):
                if (
                    part.strip()
                    and not DATE_TOKEN.fullmatch(part.strip())
                    and not facts.known_name(part)
                ):
                    out.append(
                        Violation(
                            rule="entry_invented",
                            severity="error",
                            path=f"line {number}",
                            message=f"{part.strip()!r} (in {heading.group(2)!r}) is not an employer, "
                            "title, school, degree or project of the original.",
                        )
                    )
            continue
        texts.append((f"line {number}", line))
    out.extend(_check_sections(facts.resume, present))
    out.extend(_check_claims(facts, texts, job))
    lowered = _norm(markdown)
    for role in facts.resume.work_experience:
        if role.company.strip() and _norm(role.company) not in lowered:
            out.append(
                Violation(
                    rule="entry_dropped",
                    severity="warning",
                    path="work_experience",
                    message=f"Role at {role.company!r} was left out.",
                )
            )
    return out


def check_tailoring(
    original: Resume, tailored: Resume | str, job: Job | None = None
) -> list[Violation]:
    """Every hard-rule violation of ``tailored`` (a Resume or Markdown) against ``original``."""
    facts = OriginalFacts(original)
    if isinstance(tailored, str):
        return _check_markdown(facts, tailored, job)
    return _check_resume(facts, tailored, job)


__all__ = ["Violation", "all_text", "blocking", "check_claims", "check_tailoring"]
