"""Resumes and job descriptions written in the test run, for the quality harnesses."""

from __future__ import annotations

from dataclasses import dataclass, field

from tests.extraction.builders import new_pdf


@dataclass(frozen=True)
class Role:
    """One job of a built resume."""

    title: str
    company: str
    dates: str
    bullets: tuple[str, ...] = ()


@dataclass(frozen=True)
class School:
    """One education entry of a built resume."""

    degree: str
    institution: str
    dates: str


@dataclass(frozen=True)
class Person:
    """What a built resume says; also the ground truth the harness compares against."""

    name: str
    email: str
    phone: str
    location: str
    summary: str = ""
    roles: tuple[Role, ...] = ()
    schools: tuple[School, ...] = ()
    skills: tuple[str, ...] = field(default=())


def resume_pdf(person: Person) -> bytes:
    """A one-column resume: bold headings, titles with flush-right dates, bullets."""
    pdf = new_pdf()
    pdf.add_page()
    y = 60.0

    def line(text: str, *, x: float = 72, size: float = 10, bold: bool = False) -> None:
        pdf.set_font("Helvetica", "B" if bold else "", size)
        pdf.text(x, y, text)

    def heading(text: str) -> None:
        nonlocal y
        y += 26
        line(text, size=12, bold=True)

    line(person.name, size=18, bold=True)
    y += 20
    line(f"{person.email} | {person.phone} | {person.location}")
    if person.summary:
        heading("SUMMARY")
        y += 15
        line(person.summary)
    heading("EXPERIENCE")
    for role in person.roles:
        y += 18
        line(role.title, bold=True)
        line(role.dates, x=460)
        y += 13
        line(role.company)
        for bullet in role.bullets:
            y += 13
            line(f"- {bullet}", x=84)
    heading("EDUCATION")
    for school in person.schools:
        y += 18
        line(school.degree, bold=True)
        line(school.dates, x=460)
        y += 13
        line(school.institution)
    if person.skills:
        heading("SKILLS")
        y += 15
        line(", ".join(person.skills))
    return bytes(pdf.output())


def job_pdf(lines: list[str]) -> bytes:
    """A job description: a bold title line, then plain lines."""
    pdf = new_pdf()
    pdf.add_page()
    y = 60.0
    for index, text in enumerate(lines):
        pdf.set_font("Helvetica", "B" if index == 0 else "", 14 if index == 0 else 10)
        pdf.text(72, y, text)
        y += 20 if index == 0 else 14
    return bytes(pdf.output())
