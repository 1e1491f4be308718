"""The offline resume parser on documents built in the test: wrapped and indented body
text, education details, list wraps, Word headings, and PDFs in one and two columns."""

# ruff: noqa: RUF001 - typographic dashes are the input under test.

from __future__ import annotations

import io
from collections.abc import Callable

import docx
import pytest

from atspro.extraction import ExtractedDocument, ExtractionLimits, extract_document
from atspro.resume.model import Resume
from atspro.resume.parser import parse_resume_document
from atspro.resume.parser.contact import find_phone
from tests.extraction.builders import two_column_pdf
from tests.extraction.test_layout_selfmade import ROLES, date_rail_pdf

Build = Callable[..., ExtractedDocument]
H = {"bold": True, "size": 12.0}
NAME = {"bold": True, "size": 18.0}
# Long enough to run to the column's right edge, so the next row carries on its sentence.
LONG = (
    "Designed and shipped the event pipeline that moved every order, refund and payout through the"
)


def test_body_rows_wrap_indent_and_hyphenate_into_sentences(make_doc: Build) -> None:
    doc = make_doc(
        [
            ("Ada Stone", NAME),
            "ada@example.org | (555) 010-1000 | Chicago, IL",
            ("Experience", H),
            ("Senior Engineer", {"bold": True, "right": "Jan 2020 – Present"}),
            "Globex",
            LONG,
            "Payments Platform",
            "Led the rollout across web, mobile web,",
            "Android And iOS",
            ("Mentored Four Engineers", {"x0": 70}),
            ("Rewrote the billing service as multi-", {"bullet": True}),
            "threaded workers. Cut costs by half.",
            ("Engineer", {"bold": True, "right": "2016 – 2019"}),
            "Initech",
            ("Kept the lights on", {"bullet": True}),
        ]
    )
    resume = parse_resume_document(doc)
    contact = resume.contact_info
    assert (contact.full_name, contact.email, contact.phone, contact.address) == (
        "Ada Stone",
        "ada@example.org",
        "(555) 010-1000",
        "Chicago, IL",
    )
    first, second = resume.work_experience
    assert (first.position, first.company, first.start_date, first.is_current) == (
        "Senior Engineer",
        "Globex",
        "2020-01",
        True,
    )
    assert first.description == (
        f"{LONG} Payments Platform Led the rollout across web, mobile web, Android And iOS "
        "Mentored Four Engineers"
    )
    assert first.responsibilities == [
        "Rewrote the billing service as multi-threaded workers. Cut costs by half."
    ]
    assert (second.position, second.company, second.start_date, second.end_date) == (
        "Engineer",
        "Initech",
        "2016",
        "2019",
    )
    assert second.responsibilities == ["Kept the lights on"]


def test_education_details_skills_wrap_and_coursework(make_doc: Build) -> None:
    doc = make_doc(
        [
            ("Ben Ortiz", NAME),
            "ben@example.org",
            ("Education", H),
            "Coursework in algorithms, data structures and databases was part of it all.",
            ("Bachelor of Science", {"bold": True, "right": "2012 – 2016"}),
            "University of California, Berkeley",
            "Mathematics",
            "GPA: 3.8",
            ("Dean's List", {"bullet": True}),
            ("2011", {"right": "2011"}),
            ("Skills", H),
            "Python, Go, PostgreSQL, Kafka, Kubernetes, Terraform, Docker, Redis, Airflow, Spark,",
            "Snowflake",
            ("Coursework", H),
            "Compilers, Operating Systems",
        ]
    )
    resume = parse_resume_document(doc)
    (school,) = resume.education
    assert (school.degree, school.field_of_study, school.institution) == (
        "Bachelor of Science",
        "Mathematics",
        "University of California, Berkeley",
    )
    assert (school.graduation_date, school.gpa) == ("2016", "3.8")
    assert school.honors == ["Dean's List"]
    assert school.relevant_courses == ["Compilers", "Operating Systems"]
    assert resume.skills == [
        "Python", "Go", "PostgreSQL", "Kafka", "Kubernetes", "Terraform", "Docker", "Redis",
        "Airflow", "Spark", "Snowflake",
    ]  # fmt: skip


def test_schools_written_other_ways(make_doc: Build) -> None:
    doc = make_doc(
        [
            ("Cara Diaz", NAME),
            "cara@example.org",
            ("Education", H),
            ("University of Chicago, BSc Physics", {"bold": True, "right": "2010 – 2014"}),
            ("Hartwell Academy", {"bold": True}),
            "Foundation Year",
            ("2010", {"right": "2010"}),
            ("Kestrel Institute", {"bold": True, "right": "2008"}),
            "Diploma",
        ]
    )
    schools = parse_resume_document(doc).education
    assert [(s.institution, s.degree, s.field_of_study, s.graduation_date) for s in schools] == [
        ("University of Chicago", "BSc", "Physics", "2014"),
        ("Hartwell Academy", "Foundation Year", "", "2010"),
        ("Kestrel Institute", "Diploma", "", "2008"),
    ]


def word_resume() -> bytes:
    """A Word resume whose sections are marked with heading styles, not by looks."""
    document = docx.Document()
    document.add_heading("Gale Porter", level=1)
    document.add_paragraph("gale@example.org | +44 20 7946 0002 | Bristol, UK")
    document.add_heading("Work History", level=2)
    document.add_paragraph("Site Reliability Engineer, Hooli").runs[0].bold = True
    document.add_paragraph("Mar 2019 – Present")
    document.add_paragraph("Ran the on-call rota for forty services", style="List Bullet")
    document.add_heading("Education", level=2)
    document.add_paragraph("MSc Computer Science, University of Bristol, 2018")
    document.add_heading("Skills", level=2)
    document.add_paragraph("Go, Terraform, Prometheus")
    # A heading of the main level that names no known section still ends the one above.
    document.add_heading("Side Quests", level=2)
    document.add_paragraph("Juggling and long walks")
    buf = io.BytesIO()
    document.save(buf)
    return buf.getvalue()


def test_word_heading_styles_mark_the_sections() -> None:
    doc = extract_document(word_resume(), limits=ExtractionLimits(), filename="gale.docx")
    resume = parse_resume_document(doc)
    contact = resume.contact_info
    assert (contact.full_name, contact.phone, contact.address) == (
        "Gale Porter",
        "+44 20 7946 0002",
        "Bristol, UK",
    )
    (role,) = resume.work_experience
    assert (role.position, role.company, role.start_date, role.is_current) == (
        "Site Reliability Engineer",
        "Hooli",
        "2019-03",
        True,
    )
    assert role.responsibilities == ["Ran the on-call rota for forty services"]
    (school,) = resume.education
    assert (school.degree, school.field_of_study, school.institution, school.graduation_date) == (
        "MSc",
        "Computer Science",
        "University of Bristol",
        "2018",
    )
    assert resume.skills == ["Go", "Terraform", "Prometheus"]


def _parse_pdf(data: bytes) -> Resume:
    return parse_resume_document(
        extract_document(data, limits=ExtractionLimits(), filename="built.pdf")
    )


def test_two_column_pdf_keeps_sidebar_lists_apart_from_roles() -> None:
    resume = _parse_pdf(two_column_pdf())
    contact = resume.contact_info
    assert (contact.full_name, contact.email, contact.phone) == (
        "Robin Sidebar",
        "robin@example.org",
        "(555) 010-2030",
    )
    assert resume.skills == [
        "Python",
        "Kubernetes",
        "PostgreSQL",
        "Terraform",
        "Go",
        "Rust",
        "Kafka",
    ]
    assert resume.languages == ["English", "Spanish", "German"]
    assert [(w.position, w.company) for w in resume.work_experience] == [
        (f"Platform Engineer {job}", "Globex") for job in range(4)
    ]
    assert resume.work_experience[2].description.startswith("Reduced deploy time for team 2")


def test_date_rail_pdf_keeps_every_role_and_its_bullets() -> None:
    resume = _parse_pdf(date_rail_pdf())
    contact = resume.contact_info
    assert (contact.full_name, contact.phone, contact.address) == (
        "Dana Rail",
        "(555) 010-3030",
        "Boston, MA",
    )
    assert [f"{w.position}, {w.company}" for w in resume.work_experience] == [r for _, r in ROLES]
    for role in resume.work_experience:
        assert role.responsibilities == [
            f"Delivered project {bullet} for the platform team on time" for bullet in range(2)
        ]


@pytest.mark.parametrize(
    ("text", "phone"),
    [
        # The last four digits read like a year; the number is still a phone number.
        ("robin@example.org - (555) 010-2030 - Springfield", "(555) 010-2030"),
        ("+44 20 7946 2019", "+44 20 7946 2019"),
        # Dates and date ranges are never phone numbers.
        ("2019 - 2021", ""),
        ("06.2020 - 08.2021", ""),
        ("12.2019", ""),
    ],
)
def test_numbers_ending_like_a_year_are_phones_dates_are_not(text: str, phone: str) -> None:
    assert find_phone([text]) == phone


def test_lone_place_rows_make_no_role_and_hanging_skill_lines_rejoin(make_doc: Build) -> None:
    doc = make_doc(
        [
            ("Eve Park", NAME),
            "eve@example.org",
            ("Experience", H),
            ("Analyst", {"bold": True, "right": "2019 – 2021"}),
            "Initech",
            ("Wrote reports", {"bullet": True}),
            ("Volunteer", {"bold": True, "right": "2015 – 2016"}),
            "Red Cross",
            ("Ran the shop", {"bullet": True}),
            # A place on its own names no role.
            ("Austin, TX", {"bold": True}),
            ("Skills", H),
            ("Excel", {"bullet": True}),
            ("Electronic Health", {"bullet": True}),
            # The bullet's second line, indented under its text.
            ("Records", {"x0": 66}),
        ]
    )
    resume = parse_resume_document(doc)
    assert [(w.position, w.company, w.start_date, w.end_date) for w in resume.work_experience] == [
        ("Analyst", "Initech", "2019", "2021"),
        ("Volunteer", "Red Cross", "2015", "2016"),
    ]
    assert resume.skills == ["Excel", "Electronic Health Records"]
