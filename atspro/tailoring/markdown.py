"""A resume as Markdown, in a fixed layout the checker can read back."""

from __future__ import annotations

import re
from collections.abc import Sequence

from atspro.resume.model import Resume

SECTION_TITLES = {
    "summary": "Summary",
    "skills": "Skills",
    "work_experience": "Experience",
    "projects": "Projects",
    "education": "Education",
    "certifications": "Certifications",
    "languages": "Languages",
}
DEFAULT_ORDER = (
    "summary",
    "work_experience",
    "projects",
    "education",
    "certifications",
    "skills",
    "languages",
)


_MONTHS = ("Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec")
_ISO_MONTH = re.compile(r"((?:19|20)\d{2})-(\d{1,2})(?:-\d{1,2})?")


def human_date(value: str) -> str:
    """ "2021-03" -> "Mar 2021", the way people write dates on a resume; other forms as given."""
    m = _ISO_MONTH.fullmatch(value.strip())
    if m and 1 <= int(m.group(2)) <= 12:
        return f"{_MONTHS[int(m.group(2)) - 1]} {m.group(1)}"
    return value.strip()


def _dates(start: str, end: str, current: bool) -> str:
    start = human_date(start)
    end_text = "Present" if current else human_date(end)
    if start and end_text:
        return f"{start} \u2013 {end_text}"
    return start or end_text


def _section(resume: Resume, name: str) -> list[str]:
    lines: list[str] = []
    if name == "summary" and resume.summary.strip():
        lines.append(resume.summary.strip())
    elif name == "skills" and resume.skills:
        lines.append(", ".join(s.strip() for s in resume.skills if s.strip()))
    elif name == "work_experience":
        for role in resume.work_experience:
            head = " — ".join(p for p in (role.position, role.company) if p)
            if head:
                lines.append(f"### {head}")
            meta = " · ".join(
                p
                for p in (_dates(role.start_date, role.end_date, role.is_current), role.location)
                if p
            )
            if meta:
                lines.append(f"*{meta}*")
            lines.append("")
            if role.description.strip():
                lines.extend([role.description.strip(), ""])
            lines.extend(f"- {item.strip()}" for item in role.responsibilities if item.strip())
            if role.skills:
                lines.append(f"\nSkills: {', '.join(role.skills)}")
            lines.append("")
    elif name == "projects":
        for project in resume.projects:
            if project.name.strip():
                lines.append(f"### {project.name.strip()}")
            if project.url:
                lines.append(project.url)
            if project.description.strip():
                lines.extend(["", project.description.strip()])
            if project.skills:
                lines.append(f"\nSkills: {', '.join(project.skills)}")
            lines.append("")
    elif name == "education":
        for school in resume.education:
            degree = ", ".join(p for p in (school.degree, school.field_of_study) if p)
            head = " — ".join(p for p in (degree, school.institution) if p)
            if head:
                lines.append(f"### {head}")
            meta = " · ".join(
                p
                for p in (
                    human_date(school.graduation_date),
                    f"GPA {school.gpa}" if school.gpa else "",
                )
                if p
            )
            if meta:
                lines.append(f"*{meta}*")
            lines.extend(f"- {item}" for item in school.honors)
            if school.relevant_courses:
                lines.append(f"\nCourses: {', '.join(school.relevant_courses)}")
            lines.append("")
    elif name == "certifications":
        for cert in resume.certifications:
            extra = ", ".join(p for p in (cert.issuer, human_date(cert.date_obtained)) if p)
            lines.append(f"- {cert.name}" + (f" ({extra})" if extra else ""))
    elif name == "languages":
        lines.extend(f"- {language}" for language in resume.languages)
    return lines


def render_markdown(resume: Resume, *, order: Sequence[str] = DEFAULT_ORDER) -> str:
    """Render ``resume`` as Markdown with sections in ``order`` (unlisted sections follow)."""
    contact = resume.contact_info
    out = [f"# {contact.full_name.strip() or 'Resume'}"]
    reach = [contact.email, contact.phone, contact.address, *(link.url for link in contact.links)]
    if any(reach):
        out.append(" · ".join(p.strip() for p in reach if p.strip()))
    names = [*order, *(n for n in DEFAULT_ORDER if n not in order)]
    for name in names:
        body = _section(resume, name)
        if body:
            out.extend(["", f"## {SECTION_TITLES[name]}", "", *body])
    return "\n".join(out).rstrip() + "\n"
