"""The offline parser on documents built line by line, one layout feature per test."""

# ruff: noqa: RUF001 - typographic dashes are the input under test.

from __future__ import annotations

from collections.abc import Callable

from atspro.extraction import ExtractedDocument
from atspro.resume.parser import parse_resume_document

Build = Callable[..., ExtractedDocument]
H = {"bold": True, "size": 12.0}
NAME = {"bold": True, "size": 18.0}


def test_single_column_resume_fills_every_section(make_doc: Build) -> None:
    doc = make_doc(
        [
            ("Ana María López", NAME),
            "ana.lopez@example.org | +44 20 7946 0958 | London, United Kingdom",
            "linkedin.com/in/ana-lopez | https://github.com/analopez",
            ("Summary", H),
            "Backend engineer who ships reliable payment systems for European banks.",
            ("Work Experience", H),
            (
                "Senior Software Engineer, Monzo Bank",
                {"bold": True, "right": "Mar. 2021 – Present"},
            ),
            ("London, UK", {}),
            ("Built the ledger service that settles 3M payments a day", {"bullet": True}),
            ("Cut p99 latency by 40% with a read-through cache", {"bullet": True}),
            (
                "Globex Consulting Ltd | Software Developer",
                {"bold": True, "right": "06/2017 - 02/2021"},
            ),
            ("Delivered integrations for twelve retail clients", {"bullet": True}),
            ("Education", H),
            ("University of Edinburgh", {"bold": True, "right": "2013 – 2017"}),
            "Bachelor of Science in Computer Science, GPA: 3.8/4.0, Magna Cum Laude",
            "Relevant Coursework: Algorithms, Databases, Operating Systems",
            ("Skills", H),
            "Languages: Python, Go, SQL",
            "Tools: Docker • Kubernetes • Terraform | PostgreSQL",
            ("Certifications", H),
            "AWS Certified Solutions Architect – Amazon Web Services (2022)",
            ("Projects", H),
            ("Ledger Lens", {"bold": True}),
            "An open source tool that visualises double-entry ledgers for auditors.",
            ("Languages", H),
            "English (Native), Spanish – fluent, German B1",
        ]
    )
    resume = parse_resume_document(doc)
    contact = resume.contact_info
    assert contact.full_name == "Ana María López"
    assert contact.email == "ana.lopez@example.org"
    assert contact.phone == "+44 20 7946 0958"
    assert contact.address == "London, United Kingdom"
    assert [link.name for link in contact.links] == ["LinkedIn", "GitHub"]
    assert resume.summary.startswith("Backend engineer")
    first, second = resume.work_experience
    assert (first.position, first.company) == ("Senior Software Engineer", "Monzo Bank")
    assert (first.start_date, first.end_date, first.is_current) == ("2021-03", "", True)
    assert first.location == "London, UK"
    assert len(first.responsibilities) == 2
    assert (second.position, second.company) == ("Software Developer", "Globex Consulting Ltd")
    assert (second.start_date, second.end_date) == ("2017-06", "2021-02")
    (school,) = resume.education
    assert school.institution == "University of Edinburgh"
    assert (school.degree, school.field_of_study) == ("Bachelor of Science", "Computer Science")
    assert school.graduation_date == "2017"
    assert school.gpa == "3.8/4.0"
    assert any("Cum Laude" in h for h in school.honors)
    assert school.relevant_courses == ["Algorithms", "Databases", "Operating Systems"]
    assert resume.skills == [
        "Python",
        "Go",
        "SQL",
        "Docker",
        "Kubernetes",
        "Terraform",
        "PostgreSQL",
    ]
    (cert,) = resume.certifications
    assert cert.name == "AWS Certified Solutions Architect"
    assert cert.issuer == "Amazon Web Services"
    assert cert.date_obtained == "2022"
    assert [p.name for p in resume.projects] == ["Ledger Lens"]
    assert resume.languages == ["English", "Spanish", "German"]


def test_two_column_sidebar_keeps_sections_apart(make_doc: Build) -> None:
    side = {"column": 1, "x0": 420.0}
    doc = make_doc(
        [
            ("Chen Wei", NAME),
            "chen.wei@example.com · +86 138 0013 8000 · Shanghai, China",
            ("EXPERIENCE", H),
            ("Data Scientist", {"bold": True}),
            "Alibaba Group · 2019 – Present",
            ("Forecast demand for 40 warehouses", {"bullet": True}),
            ("EDUCATION", H),
            ("Fudan University", {"bold": True}),
            "M.Sc. Statistics · 2019",
            ("SKILLS", {**H, **side, "top": 70.0}),
            ("Python", {**side, "top": 88.0}),
            ("Spark", {**side, "top": 102.0}),
            ("STRENGTHS", {**H, **side, "top": 130.0}),
            ("Patient mentor of junior analysts across teams", {**side, "top": 148.0}),
        ]
    )
    resume = parse_resume_document(doc)
    assert resume.contact_info.phone == "+86 138 0013 8000"
    assert resume.contact_info.address == "Shanghai, China"
    (job,) = resume.work_experience
    assert (job.position, job.company, job.start_date, job.is_current) == (
        "Data Scientist",
        "Alibaba Group",
        "2019",
        True,
    )
    (school,) = resume.education
    assert (school.institution, school.degree, school.field_of_study) == (
        "Fudan University",
        "M.Sc.",
        "Statistics",
    )
    assert resume.skills == ["Python", "Spark"]


def test_employer_banner_gives_its_name_to_every_role(make_doc: Build) -> None:
    doc = make_doc(
        [
            ("Sam Okafor", NAME),
            "sam@example.com",
            ("Experience", H),
            ("Initech Corporation", {"bold": True}),
            ("Staff Engineer, Platform", {"x0": 68.0, "right": "Aug 2022 - Present"}),
            ("Led reliability work", {"bullet": True, "x0": 80.0}),
            ("Senior Engineer, Payments", {"x0": 68.0, "right": "Jul 2019 - Aug 2022"}),
            ("Built settlement rails", {"bullet": True, "x0": 80.0}),
            ("Education", H),
            "B.S. Computer Science, State University",
        ]
    )
    jobs = parse_resume_document(doc).work_experience
    assert [(j.position, j.company) for j in jobs] == [
        ("Staff Engineer, Platform", "Initech Corporation"),
        ("Senior Engineer, Payments", "Initech Corporation"),
    ]
    assert [j.start_date for j in jobs] == ["2022-08", "2019-07"]


def test_company_first_and_title_on_next_line(make_doc: Build) -> None:
    doc = make_doc(
        [
            ("Lena Hoffmann", NAME),
            "lena.hoffmann@example.de | +49 30 12345678 | Berlin, Germany",
            ("Berufserfahrung", H),
            ("Siemens AG", {"bold": True, "right": "Jan. 2020 – heute"}),
            "Softwareentwicklerin",
            ("Entwicklung von Steuerungssoftware für Züge", {"bullet": True}),
            ("Ausbildung", H),
            ("Technische Universität München", {"bold": True}),
            "Master of Science Informatik, 2019",
        ]
    )
    resume = parse_resume_document(doc)
    assert resume.contact_info.phone == "+49 30 12345678"
    (job,) = resume.work_experience
    assert job.company == "Siemens AG"
    assert job.position == "Softwareentwicklerin"
    assert (job.start_date, job.is_current) == ("2020-01", True)
    (school,) = resume.education
    assert school.institution == "Technische Universität München"
    assert school.graduation_date == "2019"


def test_headerless_experience_is_found_from_dated_lines(make_doc: Build) -> None:
    doc = make_doc(
        [
            ("Priya Raman", NAME),
            "priya@example.in | +91 98765 43210",
            ("Software Engineer at Infosys Limited", {"bold": True}),
            "Jun 2018 - Present",
            ("Maintained billing microservices", {"bullet": True}),
            ("Intern at Wipro Technologies", {"bold": True}),
            "Jan 2018 - May 2018",
            ("Wrote test automation", {"bullet": True}),
        ]
    )
    resume = parse_resume_document(doc)
    assert resume.contact_info.phone == "+91 98765 43210"
    jobs = resume.work_experience
    assert [(j.position, j.company) for j in jobs] == [
        ("Software Engineer", "Infosys Limited"),
        ("Intern", "Wipro Technologies"),
    ]


def test_undated_roles_split_on_repeating_header_style(make_doc: Build) -> None:
    doc = make_doc(
        [
            ("Jordan Lee", NAME),
            "jordan@example.com",
            ("EXPERIENCE", H),
            ("Production Intern", {"bold": True}),
            "Example Opera Company",
            ("Supported ticketing for weekend performances", {"bullet": True}),
            ("Retail Sales Associate", {"bold": True}),
            "Example Music Store LLC",
            ("Matched customers to products", {"bullet": True}),
        ]
    )
    jobs = parse_resume_document(doc).work_experience
    assert [(j.position, j.company, j.start_date) for j in jobs] == [
        ("Production Intern", "Example Opera Company", ""),
        ("Retail Sales Associate", "Example Music Store LLC", ""),
    ]


def test_education_entries_split_on_second_degree(make_doc: Build) -> None:
    doc = make_doc(
        [
            ("Rowan Beck", NAME),
            "rowan@example.com",
            ("Education", H),
            ("MS Data Science", {"bold": True}),
            ("Ridgemont State University", {"right": "2023"}),
            ("BS Computer Science", {"bold": True}),
            ("Lakeside Institute of Technology", {"right": "2015 – 2019"}),
        ]
    )
    schools = parse_resume_document(doc).education
    assert [(s.degree, s.field_of_study, s.institution, s.graduation_date) for s in schools] == [
        ("MS", "Data Science", "Ridgemont State University", "2023"),
        ("BS", "Computer Science", "Lakeside Institute of Technology", "2019"),
    ]


def test_letter_spaced_name_and_plain_text_headings(make_doc: Build) -> None:
    doc = make_doc(
        [
            ("J O R D A N   B L A K E", {"size": 16.0}),
            "jordan.blake@example.com",
            "Experience",
            "Analyst, Contoso Bank",
            "2016 - 2020",
            "Skills",
            "Excel, SQL",
        ]
    )
    resume = parse_resume_document(doc)
    assert resume.contact_info.full_name == "JORDAN BLAKE"
    assert [(j.position, j.company) for j in resume.work_experience] == [
        ("Analyst", "Contoso Bank")
    ]
    assert resume.skills == ["Excel", "SQL"]


def test_empty_document_gives_empty_resume(make_doc: Build) -> None:
    resume = parse_resume_document(make_doc([]))
    assert resume.contact_info.full_name == ""
    assert resume.work_experience == [] and resume.education == []


def test_glyph_bullets_side_notes_and_label_rail(make_doc: Build) -> None:
    doc = make_doc(
        [
            ("Mo Diallo", NAME),
            "mo@example.com",
            ("Experience", {"top": 80.0}),
            ("Analyst, Contoso Bank", {"x0": 130.0, "top": 80.0}),
            ("2019 - 2021", {"x0": 480.0, "top": 80.0}),
            ("•", {"x0": 130.0, "top": 95.0}),
            ("Built risk dashboards", {"x0": 140.0, "top": 95.0}),
            ("- Automated monthly reports", {"x0": 130.0, "top": 110.0}),
            ("Certifications", {"x0": 54.0, "top": 130.0}),
            ("CFA Level II, CFA Institute, Credential ID: ABC-123", {"x0": 130.0, "top": 130.0}),
        ]
    )
    resume = parse_resume_document(doc)
    (job,) = resume.work_experience
    assert (job.position, job.company, job.start_date, job.end_date) == (
        "Analyst",
        "Contoso Bank",
        "2019",
        "2021",
    )
    assert job.responsibilities == ["Built risk dashboards", "Automated monthly reports"]
    (cert,) = resume.certifications
    assert (cert.name, cert.issuer, cert.credential_id) == (
        "CFA Level II",
        "CFA Institute",
        "ABC-123",
    )
