"""How a synthetic candidate is written down: the style choices and the resume's lines.

A ``Style`` is drawn at random per resume (heading words and case, date format, the order
and shape of entry headers, bullets or prose, contact and skills layout, page layout), and
``compose`` turns a person into sections of ``Line``s that the renderers in
``heldout_render`` draw as PDF, DOCX, HTML, Markdown or plain text.
"""

# ruff: noqa: RUF001 - typographic dashes and bullets are part of the styles.

from __future__ import annotations

import random
from dataclasses import dataclass, field

from heldout_people import Job, Person, School

HEADINGS: dict[str, dict[str, tuple[str, ...]]] = {
    "en": {
        "summary": (
            "Summary",
            "Profile",
            "Professional Summary",
            "About Me",
            "Objective",
            "Career Objective",
        ),
        "experience": (
            "Experience",
            "Work Experience",
            "Professional Experience",
            "Employment History",
            "Career History",
            "Work History",
            "Relevant Experience",
            "Employment",
        ),
        "education": (
            "Education",
            "Academic Background",
            "Education & Training",
            "Qualifications",
            "Academic History",
        ),
        "skills": (
            "Skills",
            "Technical Skills",
            "Core Competencies",
            "Key Skills",
            "Skills & Tools",
            "Areas of Expertise",
            "Toolbox",
        ),
        "languages": ("Languages",),
        "contact": ("Contact", "Details", "Personal Details"),
    },
    "de": {
        "summary": ("Profil", "Zusammenfassung", "Über mich"),
        "experience": ("Berufserfahrung", "Beruflicher Werdegang", "Praxiserfahrung"),
        "education": ("Ausbildung", "Bildungsweg", "Studium"),
        "skills": ("Kenntnisse", "Fähigkeiten", "IT-Kenntnisse"),
        "languages": ("Sprachen",),
        "contact": ("Kontakt",),
    },
    "fr": {
        "summary": ("Profil", "À propos"),
        "experience": ("Expérience professionnelle", "Expériences"),
        "education": ("Formation", "Diplômes et formation"),
        "skills": ("Compétences", "Compétences techniques"),
        "languages": ("Langues",),
        "contact": ("Contact", "Coordonnées"),
    },
    "es": {
        "summary": ("Perfil", "Resumen", "Perfil profesional"),
        "experience": ("Experiencia laboral", "Experiencia profesional", "Experiencia"),
        "education": ("Educación", "Formación académica", "Formación"),
        "skills": ("Habilidades", "Competencias", "Conocimientos"),
        "languages": ("Idiomas",),
        "contact": ("Contacto", "Datos personales"),
    },
}
MONTHS = {
    "en": (
        "January",
        "February",
        "March",
        "April",
        "May",
        "June",
        "July",
        "August",
        "September",
        "October",
        "November",
        "December",
    ),
    "de": (
        "Januar",
        "Februar",
        "März",
        "April",
        "Mai",
        "Juni",
        "Juli",
        "August",
        "September",
        "Oktober",
        "November",
        "Dezember",
    ),
    "fr": (
        "janvier",
        "février",
        "mars",
        "avril",
        "mai",
        "juin",
        "juillet",
        "août",
        "septembre",
        "octobre",
        "novembre",
        "décembre",
    ),
    "es": (
        "enero",
        "febrero",
        "marzo",
        "abril",
        "mayo",
        "junio",
        "julio",
        "agosto",
        "septiembre",
        "octubre",
        "noviembre",
        "diciembre",
    ),
}
PRESENT = {
    "en": ("Present", "Current", "Now", "present"),
    "de": ("heute", "Heute", "aktuell"),
    "fr": ("aujourd'hui", "présent"),
    "es": ("actualidad", "presente"),
}
DATE_FORMATS = ("mon", "mon.", "month", "mm/yyyy", "yyyy-mm", "mm.yyyy", "local")
DASHES = (" – ", " - ", " — ", " to ", "–", " -- ")
HEADER_SHAPES = (
    "pipe",
    "company_then_title",
    "title_then_company",
    "at",
    "company_dash_title",
    "inline_dates",
    "dates_first",
)
SKILL_SHAPES = ("comma", "labelled", "bullets", "dots", "grid")
CONTACT_SHAPES = ("pipe", "stacked", "labelled", "two_lines")
LAYOUTS = {
    "pdf": ("single", "single", "sidebar_left", "sidebar_right", "date_rail"),
    "docx": ("single", "single", "table_sidebar"),
    "html": ("single", "single", "table_sidebar"),
    "md": ("single",),
    "txt": ("single",),
}


@dataclass(slots=True)
class Line:
    """One printed line: text on the left, optional flush-right text, and its role."""

    left: str
    right: str = ""
    role: str = "body"  # name, headline, contact, entry, sub, body, bullet, item
    bold: bool = False
    italic: bool = False
    # Text for a left date rail (the date_rail layout); elsewhere it moves to ``right``.
    rail: str = ""


@dataclass(slots=True)
class Part:
    """A section: its heading (empty for the name block) and lines; side parts go to the
    sidebar in two-column layouts."""

    key: str
    title: str
    lines: list[Line] = field(default_factory=list)
    side: bool = False


@dataclass(slots=True)
class Style:
    """Every presentation choice of one resume."""

    fmt: str
    layout: str
    language: str
    headings: dict[str, str]
    heading_case: str
    heading_colon: bool
    date_format: str
    dash: str
    present: str
    header_shape: str
    prose: bool
    bullet: str
    contact: str
    skills: str
    name_upper: bool
    education_first: bool
    show_summary: bool
    size: float


def draw_style(rng: random.Random, fmt: str, person: Person) -> Style:
    """Random presentation choices for one resume in ``fmt``."""
    language = person.language
    names = HEADINGS[language]
    return Style(
        fmt=fmt,
        layout=rng.choice(LAYOUTS[fmt]),
        language=language,
        headings={key: rng.choice(options) for key, options in names.items()},
        heading_case=rng.choice(("upper", "title", "title", "upper")),
        heading_colon=rng.random() < 0.15,
        date_format=rng.choice(DATE_FORMATS if language != "en" else DATE_FORMATS[:-1]),
        dash=rng.choice(DASHES),
        present=rng.choice(PRESENT[language]),
        header_shape=rng.choice(HEADER_SHAPES),
        prose=rng.random() < 0.2,
        bullet=rng.choice(("•", "-", "*", "▪", "●", "–")),
        contact=rng.choice(CONTACT_SHAPES),
        skills=rng.choice(SKILL_SHAPES),
        name_upper=rng.random() < 0.3,
        education_first=rng.random() < 0.25,
        show_summary=rng.random() < 0.7,
        size=rng.choice((9.5, 10.0, 10.5, 11.0)),
    )


def format_date(date: tuple[int, int] | None, style: Style, years_only: bool) -> str:
    """One date as the style writes it."""
    if date is None:
        return style.present
    year, month = date
    if years_only:
        return str(year)
    fmt = style.date_format
    english = MONTHS["en"][month - 1]
    if fmt == "mon":
        return f"{english[:3]} {year}"
    if fmt == "mon.":
        return f"{english[:3]}{'.' if len(english) > 3 else ''} {year}"
    if fmt == "month":
        return f"{english} {year}"
    if fmt == "mm/yyyy":
        return f"{month:02d}/{year}"
    if fmt == "yyyy-mm":
        return f"{year}-{month:02d}"
    if fmt == "mm.yyyy":
        return f"{month:02d}.{year}"
    return f"{MONTHS[style.language][month - 1]} {year}"


def date_range(start: tuple[int, int], end: tuple[int, int] | None, style: Style, y: bool) -> str:
    """A start-end range as the style writes it."""
    return f"{format_date(start, style, y)}{style.dash}{format_date(end, style, y)}"


def _heading(key: str, style: Style) -> str:
    text = style.headings[key]
    text = text.upper() if style.heading_case == "upper" else text
    return f"{text}:" if style.heading_colon else text


def _job_lines(job: Job, style: Style, years_only: bool) -> list[Line]:
    dates = date_range(job.start, job.end, style, years_only)
    shape = style.header_shape
    title, company, place = job.title, job.company, job.location
    if shape == "pipe":
        head = [Line(f"{title} | {company}", dates, "entry", bold=True)]
    elif shape == "company_then_title":
        head = [
            Line(company, place, "entry", bold=True),
            Line(title, dates, "sub", italic=True),
        ]
    elif shape == "title_then_company":
        head = [Line(title, dates, "entry", bold=True), Line(f"{company}, {place}", "", "sub")]
    elif shape == "at":
        head = [Line(f"{title} at {company}", dates, "entry", bold=True)]
    elif shape == "company_dash_title":
        head = [Line(f"{company} — {title}", dates, "entry", bold=True)]
    elif shape == "inline_dates":
        head = [Line(f"{title}, {company} ({dates})", "", "entry", bold=True)]
    else:
        head = [
            Line(title, "", "entry", bold=True, rail=dates),
            Line(company, place, "sub", italic=True),
        ]
    if style.layout != "date_rail" or shape == "dates_first":
        for line in head:
            if line.rail and style.layout != "date_rail":
                line.right, line.rail = line.rail, ""
    else:
        first = head[0]
        if first.right and any(ch.isdigit() for ch in first.right):
            first.rail, first.right = first.right, ""
        elif len(head) > 1 and head[1].right:
            head[1].rail, head[1].right = head[1].right, ""
    if style.prose:
        body = [Line(" ".join(f"{b.strip()}." for b in job.bullets), role="body")]
    else:
        body = [Line(b, role="bullet") for b in job.bullets]
    return head + body


def _school_lines(school: School, style: Style, years_only: bool, side: bool) -> list[Line]:
    dates = date_range(school.start, school.end, style, years_only)
    if side:
        lines = [
            Line(school.degree, role="entry", bold=True),
            Line(school.institution, role="sub"),
            Line(dates, role="sub"),
        ]
    elif style.header_shape in ("company_then_title", "dates_first", "pipe"):
        lines = [
            Line(school.institution, school.location, "entry", bold=True),
            Line(school.degree, dates, "sub", italic=True),
        ]
    elif style.header_shape in ("title_then_company", "at"):
        lines = [
            Line(school.degree, dates, "entry", bold=True),
            Line(f"{school.institution}, {school.location}", role="sub"),
        ]
    else:
        lines = [Line(f"{school.degree}, {school.institution}", dates, "entry", bold=True)]
    if style.layout == "date_rail" and not side:
        for line in lines:
            if line.right and any(ch.isdigit() for ch in line.right):
                line.rail, line.right = line.right, ""
    if school.gpa:
        lines.append(Line(f"GPA: {school.gpa}", role="body"))
    return lines


def _skill_lines(skills: list[str], style: Style, side: bool) -> list[Line]:
    shape = "bullets" if side else style.skills
    if shape == "comma":
        return [Line(", ".join(skills), role="item")]
    if shape == "labelled":
        half = max(1, len(skills) // 2)
        labels = ("Tools", "Other") if style.language == "en" else ("IT", "Software")
        return [
            Line(f"{labels[0]}: {', '.join(skills[:half])}", role="item"),
            Line(f"{labels[1]}: {', '.join(skills[half:])}", role="item"),
        ]
    if shape == "bullets":
        return [Line(s, role="bullet") for s in skills]
    if shape == "dots":
        return [Line(" · ".join(skills), role="item")]
    return [Line(" | ".join(skills[i : i + 3]), role="item") for i in range(0, len(skills), 3)]


def _contact_lines(person: Person, style: Style, side: bool) -> list[Line]:
    links = person.links
    if side or style.contact == "stacked":
        return [Line(t, role="contact") for t in [person.email, person.phone, person.location]]
    if style.contact == "labelled":
        lines = [
            Line(f"Email: {person.email}", role="contact"),
            Line(f"Phone: {person.phone}", role="contact"),
            Line(f"Address: {person.location}", role="contact"),
        ]
        return lines + [Line(link, role="contact") for link in links]
    if style.contact == "two_lines":
        return [
            Line(f"{person.location} | {person.phone}", role="contact"),
            Line(" | ".join([person.email, *links]), role="contact"),
        ]
    return [Line(" | ".join([person.email, person.phone, person.location, *links]), role="contact")]


def compose(person: Person, style: Style) -> list[Part]:
    """The resume's sections, in order, with the lines each one prints."""
    two_col = style.layout in ("sidebar_left", "sidebar_right", "table_sidebar")
    years = person.years_only
    name = person.name.upper() if style.name_upper else person.name
    top = Part("name", "", [Line(name, role="name", bold=True)])
    if style.size >= 10.0:
        top.lines.append(Line(person.headline, role="headline"))
    parts = [top]
    contact = Part("contact", _heading("contact", style) if two_col else "", side=two_col)
    contact.lines = _contact_lines(person, style, two_col)
    if two_col:
        contact.lines += [Line(link, role="contact") for link in person.links]
    if two_col:
        parts.append(contact)
    else:
        top.lines.extend(contact.lines)
    if style.show_summary:
        parts.append(Part("summary", _heading("summary", style), [Line(person.summary)]))
    work = Part("experience", _heading("experience", style))
    for job in person.jobs:
        work.lines.extend(_job_lines(job, style, years))
    school = Part("education", _heading("education", style), side=two_col)
    for item in person.schools:
        school.lines.extend(_school_lines(item, style, years, two_col))
    skills = Part("skills", _heading("skills", style), side=two_col)
    skills.lines = _skill_lines(person.skills, style, two_col)
    spoken = Part("languages", _heading("languages", style), side=two_col)
    spoken.lines = [Line(", ".join(person.spoken), role="item")]
    parts.extend([school, work] if style.education_first else [work, school])
    parts.extend([skills, spoken])
    return parts
