"""Grounding: values the source supports stay, everything else is dropped."""

from __future__ import annotations

import pytest
from pydantic import BaseModel

from atspro.jobs.model import Job, Salary, WorkplaceType
from atspro.llm.grounding import (
    Check,
    Evidence,
    Rule,
    SourceText,
    compact_form,
    ground,
    spaced_form,
)
from atspro.llm.jobs import ground_job
from atspro.llm.resume import ground_resume
from atspro.resume.model import (
    Certification,
    ContactInfo,
    Education,
    Link,
    Project,
    Resume,
    WorkExperience,
)

RESUME_TEXT = """\
Jane Q. Smith
jane.smith@Example.com | +1 (555) 123-4567 | linkedin.com/in/janesmith | Springfield, IL
SUMMARY
Backend engineer who builds reliable data platforms for payments teams.
EXPERIENCE
Senior Front-End Engineer, Acme Corp.        Jan 2019 - Present
- Built React apps; cut load time by 40% for 2M users
Software Dev., Globex & Sons                 06/2016 - 12/2018
EDUCATION
B.S. in Computer Science, Univ. of Somewhere, 2015, GPA 3.8/4.0, Magna Cum Laude
CERTIFICATIONS
AWS Certified Developer (Amazon), 2020
Skills: C++, C#, Node.js, ML, PostgreSQL, Go
"""


@pytest.fixture(scope="module")
def source() -> SourceText:
    return SourceText(RESUME_TEXT)


@pytest.mark.parametrize(
    ("value", "check"),
    [
        ("Jane Smith", Check.PHRASE),  # middle initial left out
        ("Smith, Jane", Check.PHRASE),  # word order within one line
        ("Corp, Acme", Check.PHRASE),  # reordered, mid-line
        ("JANE.SMITH@example.com", Check.EMAIL),
        ("mailto:jane.smith@example.com", Check.EMAIL),
        ("555-123-4567", Check.PHONE),  # no country code
        ("+1 555 123 4567", Check.PHONE),
        ("https://www.linkedin.com/in/janesmith/", Check.URL),
        ("Sr. Frontend Engineer", Check.PHRASE),  # abbreviation and joined word
        ("Acme Corporation", Check.PHRASE),
        ("Globex and Sons", Check.PHRASE),
        ("Bachelor of Science in Computer Science", Check.PHRASE),
        ("BS Computer Science", Check.PHRASE),
        ("University of Somewhere", Check.PHRASE),
        ("C++", Check.PHRASE),
        ("C#", Check.PHRASE),
        ("Machine Learning", Check.PHRASE),
        ("Postgres", Check.PHRASE),
        ("node.js", Check.PHRASE),
        ("3.8", Check.PHRASE),
        ("2019-01", Check.DATE),
        ("2018-12", Check.DATE),
        ("2015", Check.DATE),
        ("Jan 2019", Check.DATE),  # not ISO: must occur as written
        ("Built React apps, cutting load time by 40% for 2M users", Check.PROSE),
        ("Built React apps", Check.PROSE),
        (40, Check.NUMBER),
        (2_000_000.0, Check.NUMBER),
        ("anything", Check.SKIP),
    ],
)
def test_supported_values(source: SourceText, value: object, check: Check) -> None:
    assert source.supports(value, check)


@pytest.mark.parametrize(
    ("value", "check"),
    [
        ("John Doe", Check.PHRASE),
        ("jane@example.com", Check.EMAIL),
        ("not an email", Check.EMAIL),
        ("555-123-9999", Check.PHONE),
        ("12345", Check.PHONE),
        ("github.com/janesmith", Check.URL),
        ("a.b", Check.URL),
        ("Staff Engineer", Check.PHRASE),
        ("Senior Engineer", Check.PHRASE),  # a dropped word changes the title
        ("Jane Smith Jr", Check.PHRASE),
        ("Master of Science", Check.PHRASE),
        ("C", Check.PHRASE),  # "C++" is not "C"
        ("Java", Check.PHRASE),  # nor is "JavaScript"-like prefixing allowed
        ("---", Check.PHRASE),
        ("of the", Check.PHRASE),
        ("2019-02", Check.DATE),
        ("2014", Check.DATE),
        ("Built React apps, cutting load time by 60% for 2M users", Check.PROSE),
        ("Led a team of engineers shipping Kubernetes migrations worldwide", Check.PROSE),
        (41, Check.NUMBER),
        ("forty", Check.NUMBER),
    ],
)
def test_unsupported_values(source: SourceText, value: object, check: Check) -> None:
    assert not source.supports(value, check)


def test_phone_glued_to_a_date_by_the_layout() -> None:
    source = SourceText("Call 555-123-4567 2019 - Present")
    assert source.has_phone("(555) 123-4567")
    assert not source.has_phone("555-123-4568")


def test_forms() -> None:
    assert spaced_form("B.S. & Ph.D.") == "b s and ph d"
    assert compact_form("B.S. & Ph.D.") == "bs and phd"
    assert spaced_form("Senior Vice President, 5+ years") == "sr vp 5 years"


def test_numbers_in_many_forms() -> None:
    source = SourceText("Pay: $120,000 - 150k, or 3,5 days; bonus 1.200.000; five years")
    for number in (120_000, 150_000, 3.5, 1_200_000, 5):
        assert source.has_number(number)
    assert not source.has_number(121_000)


def test_evidence_matches_words_and_symbols() -> None:
    source = SourceText("Full-time role, paid in € per/yr, hybrid")
    assert source.says_any(("full time",))
    assert source.says_any(("€",))
    assert source.says_any(("/yr",))
    assert not source.says_any(("$", "remote"))


def test_ground_resume_drops_invented_fields_and_keeps_supported(source: SourceText) -> None:
    resume = Resume(
        contact_info=ContactInfo(
            full_name="Jane Smith",
            email="jane.smith@example.com",
            phone="+1 555 123 4567",
            address="Springfield, IL",
            links=[
                Link(name="LinkedIn", url="https://linkedin.com/in/janesmith"),
                Link(name="GitHub", url="https://github.com/janesmith"),
            ],
        ),
        summary="Backend engineer who builds reliable data platforms for payments teams.",
        work_experience=[
            WorkExperience(
                company="Acme Corp",
                position="Senior Front-End Engineer",
                start_date="2019-01",
                is_current=True,
                responsibilities=[
                    "Built React apps; cut load time by 40% for 2M users",
                    "Managed a $5M budget across three continents",
                ],
                skills=["React", "Rust"],
            ),
            WorkExperience(
                company="Globex & Sons",
                position="Chief Technology Officer",  # invented title
                start_date="2016-06",
                end_date="2018-11",  # wrong month
            ),
            WorkExperience(company="Initech", position="Staff Engineer"),  # invented role
        ],
        education=[
            Education(
                institution="University of Somewhere",
                degree="Bachelor of Science",
                field_of_study="Computer Science",
                graduation_date="2015",
                gpa="3.8",
                honors=["Magna Cum Laude", "Dean's List"],
            ),
            Education(institution="MIT", degree="PhD"),
        ],
        certifications=[
            Certification(name="AWS Certified Developer", issuer="Amazon", date_obtained="2020"),
            Certification(name="CISSP", issuer="ISC2"),
        ],
        projects=[Project(name="Moonshot", description="A rocket")],
        skills=["C++", "Node.js", "PostgreSQL", "Haskell", "ML", "c++", ""],
        languages=["Klingon"],
    )
    grounded = ground_resume(resume, source)
    got = grounded.value

    assert got.contact_info.full_name == "Jane Smith"
    assert got.contact_info.email == "jane.smith@example.com"
    assert got.contact_info.phone == "+1 555 123 4567"
    assert got.contact_info.address == "Springfield, IL"
    assert [link.url for link in got.contact_info.links] == ["https://linkedin.com/in/janesmith"]
    assert got.summary == resume.summary

    first, second = got.work_experience
    assert (first.company, first.position, first.start_date, first.is_current) == (
        "Acme Corp",
        "Senior Front-End Engineer",
        "2019-01",
        True,
    )
    assert first.responsibilities == ["Built React apps; cut load time by 40% for 2M users"]
    assert first.skills == ["React"]
    assert (second.company, second.position, second.start_date, second.end_date) == (
        "Globex & Sons",
        "",
        "2016-06",
        "",
    )

    (school,) = got.education
    assert school.degree == "Bachelor of Science"
    assert school.gpa == "3.8"
    assert school.honors == ["Magna Cum Laude"]
    assert [c.name for c in got.certifications] == ["AWS Certified Developer"]
    assert got.projects == []
    assert got.skills == ["C++", "Node.js", "PostgreSQL", "ML"]
    assert got.languages == []
    assert "work_experience[1].position" in grounded.dropped
    assert "work_experience[2]" in grounded.dropped
    assert "contact_info.links[1]" in grounded.dropped
    assert "skills[3]" in grounded.dropped


def test_ground_keeps_the_same_object_when_all_is_supported(source: SourceText) -> None:
    resume = Resume(skills=["C++", "Go"])
    grounded = ground_resume(resume, source)
    assert grounded.value.skills is resume.skills
    assert grounded.dropped == []


def test_ground_job_checks_classifications_by_evidence() -> None:
    text = (
        "Senior Data Engineer at Initech. Full-time, hybrid (Austin, TX). "
        "Salary $140,000 - $170,000 per year. 5+ years of Python required."
    )
    job = Job(
        company="Initech",
        title="Senior Data Engineer",
        description="x",
        salary=Salary(
            text="$140,000 - $170,000 per year",
            min=140_000,
            max=175_000,
            currency="USD",
            period="year",
        ),
        location=["Austin, TX", "Remote"],
        employment_type="full_time",
        seniority="principal",
        workplace_type=WorkplaceType.HYBRID,
        years_experience_min=5,
        education_level="phd",
        required_skills=["Python", "Scala"],
    )
    got = ground_job(job, text).value
    assert got.salary.min == 140_000 and got.salary.max is None
    assert (got.salary.currency, got.salary.period) == ("USD", "year")
    assert got.location == ["Austin, TX"]
    assert got.employment_type == "full_time"
    assert got.seniority == ""
    assert got.workplace_type is WorkplaceType.HYBRID
    assert got.years_experience_min == 5
    assert got.education_level == ""
    assert got.required_skills == ["Python"]


def test_ground_job_drops_remote_and_currency_without_words() -> None:
    job = Job(
        description="x",
        workplace_type=WorkplaceType.REMOTE,
        salary=Salary(currency="EUR", period="hour"),
    )
    got = ground_job(job, "Office job in Paris, 40k").value
    assert got.workplace_type is WorkplaceType.UNKNOWN
    assert (got.salary.currency, got.salary.period) == ("", "")


class Item(BaseModel):
    name: str
    note: str = ""


class Box(BaseModel):
    label: str
    items: list[Item] = []
    flag: bool = False
    size: int = 0


def test_generic_model_defaults_by_type_and_required_fields() -> None:
    box = Box(
        label="Crate",
        items=[Item(name="apple", note="red"), Item(name="pear", note="green")],
        flag=True,
        size=12,
    )
    grounded = ground(box, "Crate of apple (red), 12 kg", rules={})
    assert grounded.value.items == [Item(name="apple", note="red")]
    assert grounded.value.flag is True  # booleans are not checked unless a rule says so
    assert grounded.value.size == 12
    assert grounded.dropped == ["items[1].name", "items[1]"]


def test_top_level_required_field_cannot_be_dropped() -> None:
    with pytest.raises(ValueError, match="required field label"):
        ground(Box(label="Barrel"), "Crate", rules={})


def test_rules_override_type_defaults() -> None:
    box = Box(label="Crate", flag=True, size=7)
    rules: dict[str, Rule] = {"flag": Evidence({"true": ("fragile",)}), "size": Check.SKIP}
    got = ground(box, "Crate", rules=rules).value
    assert (got.flag, got.size) == (False, 7)


def test_dropped_field_inside_a_list_item_is_reset() -> None:
    box = Box(label="Crate", items=[Item(name="apple", note="blue")])
    grounded = ground(box, "Crate of apple (red)", rules={})
    assert grounded.value.items == [Item(name="apple", note="")]
    assert grounded.dropped == ["items[0].note"]
