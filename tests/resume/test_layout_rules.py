"""Layout rules of the offline parser: page furniture, wrapped lines, label rails, headings."""

# ruff: noqa: RUF001 - typographic dashes are the input under test.

from __future__ import annotations

from collections.abc import Callable

from atspro.extraction import ExtractedDocument, ExtractionLimits, extract_document
from atspro.extraction.document import TextLine, TextSpan
from atspro.resume.parser import parse_resume_document
from atspro.resume.parser.furniture import drop_page_furniture
from atspro.resume.parser.headings import Kind, heading_kind
from atspro.resume.parser.layout import build_rows
from atspro.resume.parser.sections import split_sections

Build = Callable[..., ExtractedDocument]
H = {"bold": True, "size": 12.0}
NAME = {"bold": True, "size": 18.0}


def test_running_footer_and_page_numbers_are_not_content(make_doc: Build) -> None:
    footer = "June 3, 2026 · Dana Reyes · Résumé"
    doc = make_doc(
        [
            ("Dana Reyes", NAME),
            "dana@example.com",
            ("Experience", H),
            ("Site Reliability Engineer | Kasa Labs", {"bold": True, "right": "2019 – 2021"}),
            ("Kept the payment platform up", {"bullet": True}),
            (footer, {"top": 760.0, "right": "1"}),
            ("Cloud Engineer | Omnious Co.", {"bold": True, "right": "2017 – 2019", "page": 1}),
            ("Moved the stack to containers", {"bullet": True, "page": 1}),
            (footer, {"top": 760.0, "right": "2", "page": 1}),
            ("3", {"top": 20.0, "page": 2}),
            ("Education", {**H, "page": 2, "top": 60.0}),
            ("State University, B.S. Physics", {"page": 2, "right": "2017"}),
        ]
    )
    resume = parse_resume_document(doc)
    assert [(w.position, w.company) for w in resume.work_experience] == [
        ("Site Reliability Engineer", "Kasa Labs"),
        ("Cloud Engineer", "Omnious Co."),
    ]
    assert all(footer not in r.text for r in build_rows(doc))
    assert len(resume.education) == 1


def test_a_running_header_repeating_the_name_keeps_it_on_page_one(make_doc: Build) -> None:
    doc = make_doc(
        [
            ("Dana Reyes", {**NAME, "top": 30.0}),
            "dana@example.com",
            ("Skills", H),
            "Go, SQL",
            ("Dana Reyes", {**NAME, "top": 30.0, "page": 1}),
            ("Kubernetes", {"page": 1, "top": 60.0}),
        ]
    )
    texts = [r.text for r in drop_page_furniture(build_rows(doc))]
    assert texts.count("Dana Reyes") == 1
    assert parse_resume_document(doc).contact_info.full_name == "Dana Reyes"


def test_header_cells_that_wrapped_together_are_one_row(make_doc: Build) -> None:
    doc = make_doc(
        [
            ("Maya Lin", NAME),
            ("Experience", H),
            ("Docent | Community Heritage", {"bold": True, "right": "May 2023 - June"}),
            ("Museum", {"bold": True, "right": "2024"}),
            ("Led tours for visitors", {"bullet": True}),
        ]
    )
    (job,) = parse_resume_document(doc).work_experience
    assert (job.position, job.company) == ("Docent", "Community Heritage Museum")
    assert (job.start_date, job.end_date) == ("2023-05", "2024-06")


def test_names_and_dates_wrapped_in_a_narrow_column_are_joined(make_doc: Build) -> None:
    doc = make_doc(
        [
            ("Arthur Gonzales", NAME),
            "arthur.gonzales@hotmail.",
            "com",
            "Stephensonmouth, United",
            "Kingdom",
            ("Education", H),
            ("Master of Science in Information Systems", {"bold": True}),
            "Jensenchester State",
            "University",
            "September 2011 -- May",
            "2014",
            ("Experience", H),
            ("Toxicologist at Nelson, Henson and", {"bold": True, "right": "2016 – 2020"}),
            ("Brown", {"bold": True}),
            ("Ran the lab", {"bullet": True}),
        ]
    )
    resume = parse_resume_document(doc)
    assert resume.contact_info.email == "arthur.gonzales@hotmail.com"
    assert resume.contact_info.address == "Stephensonmouth, United Kingdom"
    (school,) = resume.education
    assert school.institution == "Jensenchester State University"
    assert school.graduation_date == "2014-05"
    (job,) = resume.work_experience
    assert (job.position, job.company) == ("Toxicologist", "Nelson, Henson and Brown")


def test_a_lower_line_that_is_its_own_field_is_not_joined(make_doc: Build) -> None:
    doc = make_doc(
        [
            ("Ana Ruiz", NAME),
            ("Experience", H),
            ("Analyst, Globex Corp", {"bold": True, "right": "2019 – 2021"}),
            ("Reporting for the board", {"bold": True}),
            ("2018", {}),
        ]
    )
    rows = [r.text for r in build_rows(doc)]
    assert "Reporting for the board" in rows and "2018" in rows


def test_description_line_after_a_comma_carries_on_the_sentence(make_doc: Build) -> None:
    doc = make_doc(
        [
            ("Jamie Rivera", NAME),
            ("Experience", H),
            ("Sr. Engineering Manager", {"bold": True}),
            "Northwind Systems",
            "04/2021 - Present Austin, TX",
            "Manage user-facing sign-up applications across web, mobile web,",
            "Android, and iOS.",
            ("Built a 50-member team across three sites.", {"bullet": True}),
            ("Vendor Consultant", {"bold": True}),
            "Contoso",
            "06/2003 - 03/2004 Redmond, WA",
        ]
    )
    jobs = parse_resume_document(doc).work_experience
    assert [(j.position, j.company) for j in jobs] == [
        ("Sr. Engineering Manager", "Northwind Systems"),
        ("Vendor Consultant", "Contoso"),
    ]
    assert jobs[0].description.endswith("Android, and iOS.")


def test_label_rail_headings_head_the_content_beside_them(make_doc: Build) -> None:
    rail = {"bold": True, "x0": 26.0}
    body = {"column": 1, "x0": 110.0}
    doc = make_doc(
        [
            ("Jordan Blake", NAME),
            "jordan.blake@example.com | (312) 555-0123 | Austin, TX",
            ("Technical", {**rail, "top": 82.0}),
            ("Skills", {**rail, "top": 94.0}),
            ("Java, Python, SQL", {**body, "top": 81.0}),
            ("Experience", {**rail, "top": 140.0}),
            ("Staff Engineer, Platform", {**body, "top": 141.0, "right": "Aug 2024 - Present"}),
            ("Northwind Systems", {**body, "top": 154.0, "right": "Remote"}),
            ("Led the reliability programme", {**body, "top": 169.0, "bullet": True}),
            ("Education", {**rail, "top": 290.0}),
            ("B.S. Computer Science, State University", {**body, "top": 291.0, "right": "2017"}),
        ]
    )
    sections = split_sections(build_rows(doc))
    kinds = [(s.kind, s.title) for s in sections if s.rows]
    assert (Kind.SKILLS, "Technical Skills") in kinds
    resume = parse_resume_document(doc)
    assert resume.skills == ["Java", "Python", "SQL"]
    (job,) = resume.work_experience
    assert (job.position, job.company) == ("Staff Engineer, Platform", "Northwind Systems")
    (school,) = resume.education
    assert school.institution == "State University"


def test_a_plain_role_line_is_no_heading_when_headings_are_caps(make_doc: Build) -> None:
    caps = {"size": 12.0}
    doc = make_doc(
        [
            ("Leo Leopard", NAME),
            ("OBJECTIVE", caps),
            "To obtain an on-campus position serving my fellow students.",
            ("VOLUNTEER EXPERIENCE", caps),
            ("LionLike MindState, Pomona, CA", {"bold": True, "right": "June 2012 – Present"}),
            ("Volunteer", {"size": 12.0}),
            ("Plan two yearly outreach events", {"bullet": True}),
            ("SKILLS", caps),
            "Spanish",
        ]
    )
    (job,) = parse_resume_document(doc).work_experience
    assert (job.position, job.company) == ("Volunteer", "LionLike MindState")


def test_headings_in_other_languages_and_whole_word_only_labels() -> None:
    assert heading_kind("Expérience professionnelle")[0] is Kind.EXPERIENCE
    assert heading_kind("Compétences techniques")[0] is Kind.SKILLS
    assert heading_kind("Formación académica")[0] is Kind.EDUCATION
    assert heading_kind("Academic History")[0] is Kind.EDUCATION
    assert heading_kind("Details")[0] is Kind.CONTACT
    assert heading_kind("Education Details")[0] is not Kind.CONTACT
    assert heading_kind("Project Management")[0] is None


def test_text_files_keep_padded_columns_as_separate_fields() -> None:
    text = "\n".join(
        [
            "Jake Buckley",
            "jakebuckley@gmail.com | 0131 496 0777 | Trevorburgh, UK",
            "",
            "WORK HISTORY",
            "Barlow-Richards" + " " * 40 + "Morganberg, UK",
            "Registered Nurse" + " " * 38 + "2021 - Now",
            "- Ran the night shift on a busy ward",
            "Hall, Patel and Brown\tSouth Ericberg, United Kingdom",
            "Data Analyst\t2019 - 2021",
        ]
    )
    doc = extract_document(text.encode(), limits=ExtractionLimits(), filename="cv.txt")
    assert [s.text for s in doc.lines[3].spans] == ["Barlow-Richards", "Morganberg, UK"]
    jobs = parse_resume_document(doc).work_experience
    assert [(j.position, j.company) for j in jobs] == [
        ("Registered Nurse", "Barlow-Richards"),
        ("Data Analyst", "Hall, Patel and Brown"),
    ]


def test_single_spaces_inside_a_text_line_stay_one_field() -> None:
    doc = extract_document(b"Jane Doe\nBuilt  two  things", limits=ExtractionLimits())
    assert [s.text for s in doc.lines[1].spans] == ["Built two things"]
    assert doc.lines[1] == TextLine(spans=doc.lines[1].spans)
    assert isinstance(doc.lines[1].spans[0], TextSpan)
