"""The offline posting parser and its parts: salary, headings, facets, sections."""

from __future__ import annotations

import pytest

from atspro.jobs.facets import (
    education_level,
    employment_type,
    iso_date,
    schema_employment_type,
    seniority_from_text,
    seniority_from_title,
    workplace_type,
    years_experience,
)
from atspro.jobs.headings import Section, classify_heading, split_inline_heading
from atspro.jobs.model import WorkplaceType
from atspro.jobs.parser import PostingHints, lines_from_text, parse_text
from atspro.jobs.salary import parse_salary

POSTING = """\
**Senior Data Engineer (m/w/d)**
Globex · Munich, Germany · Full-time · Remote
Posted on March 3, 2024

## About Globex
Globex builds logistics software used by 2,000 companies.

## What you'll do
- Build batch and streaming pipelines with Spark and Airflow
- Model data in Snowflake
- Mentor two junior engineers

## Requirements
- 6+ years of experience in data engineering
- Excellent Python and SQL
- Master's degree in Computer Science, Statistics or a related field
- Experience with Kafka is a plus

## Nice to have
- Terraform, dbt

## Benefits
- €85k\u2013€105k per year plus bonus
- 30 days of vacation

## How to apply
Send your CV by 30 April.
"""


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("Salary: $120,000 - $150,000 per year", (120000, 150000, "USD", "year")),
        ("Pay: $120k-150k", (120000, 150000, "USD", "year")),
        ("€70.000 - €90.000 brutto pro Jahr", (70000, 90000, "EUR", "year")),
        ("USD 100,000 to 130,000 annually", (100000, 130000, "USD", "year")),
        ("£45 per hour", (45, 45, "GBP", "hour")),
        ("We pay 55-65/hour", (55, 65, "", "hour")),
        ("Compensation: 85K-95K EUR", (85000, 95000, "EUR", "year")),
        ("$25.50/hr", (25.5, 25.5, "USD", "hour")),
        ("salary of 4,500 € monthly", (4500, 4500, "EUR", "month")),
        ("CHF 120 000 - 140 000", (120000, 140000, "CHF", "year")),
        ("Rate: 600 EUR per day", (600, 600, "EUR", "day")),
        ("Stipend 1.200,50 € a week", (1200.5, 1200.5, "EUR", "week")),
        ("Salary 2,500.75 USD", (2500.75, 2500.75, "USD", "")),
        ("salary: 60,000 p.a.", (60000, 60000, "", "year")),
        ("Salary: 1.5M JPY", (1500000, 1500000, "JPY", "year")),
        ("$150,000 - 90,000", (150000, 150000, "USD", "year")),
    ],
)
def test_salary(text: str, expected: tuple[float, float, str, str]) -> None:
    found = parse_salary(text)
    assert found is not None
    assert (found.min, found.max, found.currency, found.period) == expected


@pytest.mark.parametrize(
    "text",
    ["5+ years of experience", "Our team of 300 people", "Join the 2024 cohort, salary competitive",
     "Salary: 5", "We have 12 offices", "No numbers here"],
)  # fmt: skip
def test_not_salary(text: str) -> None:
    assert parse_salary(text) is None


def test_salary_bare_number_needs_label() -> None:
    assert parse_salary("100000") is None
    found = parse_salary("100000", labelled=True)
    assert found is not None and found.period == "year"


@pytest.mark.parametrize(
    ("heading", "section"),
    [
        ("Responsibilities", Section.RESPONSIBILITIES), ("What you'll do:", Section.RESPONSIBILITIES),
        ("## What we're looking for", Section.REQUIRED), ("Minimum Qualifications", Section.REQUIRED),
        ("Who you are", Section.REQUIRED), ("What You Bring", Section.REQUIRED),
        ("Preferred Qualifications", Section.PREFERRED), ("Nice to have", Section.PREFERRED),
        ("Bonus points", Section.PREFERRED), ("BENEFITS", Section.BENEFITS),
        ("Perks & Benefits", Section.BENEFITS), ("Why join us?", Section.BENEFITS),
        ("How to apply", Section.LOGISTICS), ("Location", Section.LOGISTICS),
        ("About Acme", Section.COMPANY), ("Equal Opportunity Employer", Section.ADDITIONAL),
        ("About the role", Section.SUMMARY), ("Job Description", Section.SUMMARY),
    ],
)  # fmt: skip
def test_headings(heading: str, section: Section) -> None:
    assert classify_heading(heading) is section


@pytest.mark.parametrize(
    "text", ["We are looking for a Senior Engineer to join", "", "x" * 90, "Build pipelines"]
)
def test_not_headings(text: str) -> None:
    assert classify_heading(text) is None


def test_inline_heading() -> None:
    assert split_inline_heading("Requirements: 4+ years; SQL") == (
        Section.REQUIRED,
        "4+ years; SQL",
    )
    assert split_inline_heading("Note that: nothing") is None
    assert split_inline_heading("Requirements:") is None
    assert split_inline_heading("No colon here") is None


def test_facets() -> None:
    assert employment_type("Contract-to-hire role") == "contract"
    assert employment_type("Werkstudent (20h)") == "internship"
    assert employment_type("a part-time job") == "part_time"
    assert employment_type("seasonal temporary help") == "temporary"
    assert employment_type("no words") == ""
    assert schema_employment_type(["VOLUNTEER", "PART_TIME"]) == "part_time"
    assert schema_employment_type("FullTime") == "full_time"
    assert schema_employment_type("Permanent Full Time") == "full_time"
    assert schema_employment_type([3, "??"]) == ""
    assert seniority_from_title("Principal Engineer") == "principal"
    assert seniority_from_title("VP of Engineering") == "executive"
    assert seniority_from_title("Junior Analyst") == "junior"
    assert seniority_from_title("Software Engineering Intern") == "intern"
    assert seniority_from_title("Staff Engineer") == "lead"
    assert seniority_from_text("open to recent graduates", None) == "junior"
    assert seniority_from_text("nothing", 1) == "junior"
    assert seniority_from_text("nothing", 3) == "mid"
    assert seniority_from_text("nothing", 7) == "senior"
    assert seniority_from_text("nothing", None) == ""
    assert workplace_type("3 days a week in the office") is WorkplaceType.HYBRID
    assert workplace_type("This is not a remote role") is WorkplaceType.ON_SITE
    assert workplace_type("On-site in Austin") is WorkplaceType.ON_SITE
    assert workplace_type("Work from home anywhere") is WorkplaceType.REMOTE
    assert workplace_type("Austin") is WorkplaceType.UNKNOWN


def test_years_and_education() -> None:
    assert years_experience("3-5 years experience") == 3.0
    assert years_experience("at least three years of experience") == 3.0
    assert years_experience("Experience: 2 yrs") == 2.0
    assert years_experience("founded 20 years ago") is None
    assert years_experience("a 2 year warranty of experience") is None
    assert years_experience("for 50 years of experience") is None
    assert education_level("BS/MS in CS") == "bachelor"
    assert education_level("PhD in physics. Bachelor's in math.") == "phd"
    assert education_level("High school diploma or GED") == "high_school"
    assert education_level("Associate's degree") == "associate"
    assert education_level("nothing") == ""
    assert education_level("A degree in economics") == "bachelor"


def test_dates() -> None:
    assert iso_date("Posted July 10, 2024") == "2024-07-10"
    assert iso_date("10 Sept 2024") == "2024-09-10"
    assert iso_date("2024-07") == "2024-07"
    assert iso_date("2024-07-10T15:00:00Z") == "2024-07-10"
    assert iso_date("13/02/2024") == "2024-02-13"
    assert iso_date("02/13/2024") == "2024-02-13"
    assert iso_date("1720000000") == "2024-07-03"
    assert iso_date("31 Feb 2024") == ""
    assert iso_date("99/99/2024") == ""
    assert iso_date("yesterday") == ""


def test_full_posting() -> None:
    job = parse_text(POSTING)
    assert job.title == "Senior Data Engineer"
    assert job.company == "Globex"
    assert job.location == ["Munich, Germany"]
    assert (job.employment_type, job.workplace_type, job.seniority) == (
        "full_time",
        WorkplaceType.REMOTE,
        "senior",
    )
    assert job.date_posted == "2024-03-03"
    assert job.responsibilities[0] == "Build batch and streaming pipelines with Spark and Airflow"
    assert len(job.responsibilities) == 3
    assert "Experience with Kafka is a plus" in job.preferred_qualifications
    assert "Terraform, dbt" in job.preferred_qualifications
    assert "Excellent Python and SQL" in job.qualifications
    assert job.years_experience_min == 6.0 and job.education_level == "master"
    assert (job.salary.min, job.salary.max, job.salary.currency) == (85000, 105000, "EUR")
    assert job.benefits[1] == "30 days of vacation"
    assert job.logistics and "Send your CV by 30 April" in job.logistics
    assert any("logistics software" in item for item in job.additional_info)
    assert {"python", "sql"} <= set(job.required_skills)
    assert {"kafka", "terraform"} <= set(job.preferred_skills)
    assert not set(job.preferred_skills) & set(job.required_skills)
    assert job.source == "text" and "Spark" in job.description


def test_labels_and_hints() -> None:
    text = (
        "Job title: Account Executive\nCompany: Initech\nLocation: Austin, TX; Remote\n"
        "Salary: 70000\nJob type: Contract\nDate posted: 05/06/2024\nExperience level: Entry level\n\n"
        "You will sell our software to mid-market customers. Strong negotiation skills."
    )
    job = parse_text(text)
    assert (job.title, job.company) == ("Account Executive", "Initech")
    assert job.location == ["Austin, TX", "Remote"]
    assert job.salary.min == 70000 and job.employment_type == "contract"
    assert job.date_posted == "2024-06-05" and job.seniority == "junior"
    hinted = parse_text("We sell things.", hints=PostingHints(title="Buyer", company="Hooli"))
    assert (hinted.title, hinted.company) == ("Buyer", "Hooli")


def test_title_from_hiring_sentence_and_page_title() -> None:
    job = parse_text("We are seeking a talented Machine Learning Engineer to join our team.")
    assert job.title == "Machine Learning Engineer"
    titled = parse_text(
        "Lots of text.", hints=PostingHints(page_title="Careers | Product Designer at Umbrella")
    )
    assert (titled.title, titled.company) == ("Product Designer", "Umbrella")
    sited = parse_text("Lots of text here.", hints=PostingHints(site_name="Wayne Enterprises"))
    assert sited.company == "Wayne Enterprises"


def test_wrapped_lines_join_and_dehyphenate() -> None:
    text = (
        "Responsibilities\n"
        "Develop new user-facing features using modern frameworks like React.js, Vue.js, or Angu-\n"
        "lar.js and keep the code base healthy for the whole team every single day.\n"
    )
    job = parse_text(text)
    assert any("Angular.js" in r for r in job.responsibilities)
    lines = lines_from_text("# Title\n\n* item\n__Bold heading__")
    assert [(line.heading_level, line.is_list_item, line.bold) for line in lines] == [
        (1, False, False), (0, True, False), (0, False, True),
    ]  # fmt: skip
    assert lines[1].gap_before
