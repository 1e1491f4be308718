"""JSON Resume export and the JSON readers, on documents written in the test."""

from __future__ import annotations

from typing import Any

from atspro.resume.export import (
    from_json_resume,
    from_resume_matcher,
    to_json_resume,
    to_markdown,
)
from atspro.resume.model import (
    Certification,
    ContactInfo,
    Education,
    Link,
    Project,
    Resume,
    WorkExperience,
)

FULL = Resume(
    contact_info=ContactInfo(
        full_name="Quinn Builder",
        email="quinn@example.org",
        phone="+44 20 7946 0001",
        address="Leeds, UK",
        links=[
            Link(name="GitHub", url="github.com/quinn"),
            Link(name="", url="https://quinn.example"),
        ],
    ),
    summary="Platform engineer.",
    work_experience=[
        WorkExperience(
            company="Northwind",
            position="Staff Engineer",
            location="Remote",
            start_date="2021-04",
            end_date="",
            is_current=True,
            description="Owns the build system.",
            responsibilities=["Cut CI time by half", "Ran the Kafka migration"],
        ),
        WorkExperience(company="Globex", position="Engineer", start_date="2017", end_date="2021"),
    ],
    education=[
        Education(
            institution="University of Leeds",
            degree="BSc",
            field_of_study="Computer Science",
            graduation_date="2017-06",
            gpa="3.9",
            relevant_courses=["Compilers", "Databases"],
        )
    ],
    certifications=[
        Certification(name="CKA", issuer="CNCF", date_obtained="2022-01"),
        Certification(name="AWS SAA"),
    ],
    projects=[
        Project(name="kiln", description="A build cache.", url="kiln.dev", skills=["Rust"]),
        Project(name="notes"),
    ],
    skills=["Python", "Go"],
    languages=["English", "Welsh"],
)


def test_export_writes_every_section_in_json_resume_shape() -> None:
    out = to_json_resume(FULL)
    assert out["basics"] == {
        "name": "Quinn Builder",
        "email": "quinn@example.org",
        "phone": "+44 20 7946 0001",
        "summary": "Platform engineer.",
        "location": {"address": "Leeds, UK"},
        "profiles": [
            {"network": "GitHub", "url": "https://github.com/quinn"},
            {"network": "Website", "url": "https://quinn.example"},
        ],
    }
    assert out["work"] == [
        {
            "name": "Northwind",
            "position": "Staff Engineer",
            "location": "Remote",
            "startDate": "2021-04",
            "summary": "Owns the build system.",
            "highlights": ["Cut CI time by half", "Ran the Kafka migration"],
        },
        {"name": "Globex", "position": "Engineer", "startDate": "2017", "endDate": "2021"},
    ]
    assert out["education"] == [
        {
            "institution": "University of Leeds",
            "studyType": "BSc",
            "area": "Computer Science",
            "endDate": "2017-06",
            "score": "3.9",
            "courses": ["Compilers", "Databases"],
        }
    ]
    assert out["certificates"] == [
        {"name": "CKA", "issuer": "CNCF", "date": "2022-01"},
        {"name": "AWS SAA"},
    ]
    assert out["skills"] == [{"name": "Python"}, {"name": "Go"}]
    assert out["languages"] == [{"language": "English"}, {"language": "Welsh"}]
    assert out["projects"] == [
        {
            "name": "kiln",
            "description": "A build cache.",
            "url": "https://kiln.dev",
            "keywords": ["Rust"],
        },
        {"name": "notes"},
    ]


def test_export_leaves_out_empty_sections() -> None:
    assert to_json_resume(Resume()) == {"basics": {}}
    only_name = to_json_resume(Resume(contact_info=ContactInfo(full_name="A")))
    assert only_name == {"basics": {"name": "A"}}


def test_export_then_read_back_keeps_the_resume() -> None:
    back = from_json_resume(to_json_resume(FULL))
    links = [
        Link(name="GitHub", url="https://github.com/quinn"),
        Link(name="Website", url="https://quinn.example"),
    ]
    projects = [
        p.model_copy(update={"url": "https://kiln.dev" if p.url else ""}) for p in FULL.projects
    ]
    assert back == FULL.model_copy(
        update={
            "contact_info": FULL.contact_info.model_copy(update={"links": links}),
            "projects": projects,
        }
    )


def test_json_resume_reader_takes_the_other_spellings() -> None:
    data: dict[str, Any] = {
        "basics": {
            "name": "R",
            "url": "https://r.example",
            "location": {"city": "Oslo", "region": "Oslo", "countryCode": "NO"},
            "profiles": [
                {"network": "Mastodon", "username": "@r"},
                {"network": "Empty"},
            ],
        },
        "work": [
            {"company": "Initech", "startDate": "March 2019", "endDate": "2020-02-15"},
            {"name": "Undated"},
        ],
        "certificates": [{"name": ""}, {"name": "PMP", "date": "no date here"}],
        "projects": [{"description": "nameless"}, {"name": "P"}],
        "skills": [{"name": "Web", "keywords": ["HTML", "CSS", "HTML"]}, {"name": "Go"}],
    }
    resume = from_json_resume(data)
    assert [(link.name, link.url) for link in resume.contact_info.links] == [
        ("Website", "https://r.example"),
        ("Mastodon", "@r"),
    ]
    assert resume.contact_info.address == "Oslo, Oslo, NO"
    first, second = resume.work_experience
    assert (first.company, first.start_date, first.end_date, first.is_current) == (
        "Initech",
        "2019-03",
        "2020-02",
        False,
    )
    assert (second.company, second.start_date, second.is_current) == ("Undated", "", False)
    assert [(c.name, c.date_obtained) for c in resume.certifications] == [("PMP", "")]
    assert [p.name for p in resume.projects] == ["P"]
    assert resume.skills == ["HTML", "CSS", "Go"]
    assert from_json_resume({"basics": {"location": 7}}).contact_info.address == ""
    assert from_json_resume({"basics": {"location": "Bergen"}}).contact_info.address == "Bergen"


def test_resume_matcher_reader_maps_every_section() -> None:
    resume = from_resume_matcher(
        {
            "personalInfo": {
                "name": "Jo Sample",
                "email": "jo@example.org",
                "phone": "+1-555-0100",
                "location": "Austin, TX",
                "website": "https://jo.example",
                "linkedin": "linkedin.com/in/jo",
                "github": "",
            },
            "summary": "Backend engineer.",
            "workExperience": [
                {
                    "title": "Senior Engineer",
                    "company": "Acme",
                    "location": "Austin, TX",
                    "years": "Jan 2021 - Present",
                    "description": ["Built APIs", "", "Led a migration"],
                },
                {
                    "title": "Engineer",
                    "company": "StartCo",
                    "years": "Jun 2018 - Dec 2020",
                    "description": "One line",
                },
                {"title": "Intern", "company": "Lab", "years": "summer"},
            ],
            "education": [
                {
                    "institution": "MIT",
                    "degree": "B.S. in Computer Science",
                    "years": "2014 - 2018",
                },
                {"institution": "Night School", "degree": "Certificate", "years": "2012"},
            ],
            "personalProjects": [
                {"name": "gen", "description": ["CLI tool.", "500 stars."]},
                {"description": ["no name"]},
            ],
            "additional": {
                "technicalSkills": ["Python", "Redis"],
                "languages": "English",
                "certificationsTraining": ["CKA"],
            },
        }
    )
    contact = resume.contact_info
    assert (contact.full_name, contact.email, contact.phone, contact.address) == (
        "Jo Sample",
        "jo@example.org",
        "+1-555-0100",
        "Austin, TX",
    )
    assert [(link.name, link.url) for link in contact.links] == [
        ("Website", "https://jo.example"),
        ("LinkedIn", "linkedin.com/in/jo"),
    ]
    acme, startco, lab = resume.work_experience
    assert (acme.start_date, acme.end_date, acme.is_current) == ("2021-01", "", True)
    assert acme.responsibilities == ["Built APIs", "Led a migration"]
    assert (startco.start_date, startco.end_date, startco.is_current) == (
        "2018-06",
        "2020-12",
        False,
    )
    assert startco.responsibilities == ["One line"]
    assert (lab.start_date, lab.end_date, lab.responsibilities) == ("", "", [])
    mit, night = resume.education
    assert (mit.degree, mit.field_of_study, mit.graduation_date) == (
        "B.S.",
        "Computer Science",
        "2018",
    )
    assert (night.degree, night.field_of_study, night.graduation_date) == (
        "Certificate",
        "",
        "2012",
    )
    assert [(p.name, p.description) for p in resume.projects] == [("gen", "CLI tool. 500 stars.")]
    assert resume.skills == ["Python", "Redis"]
    assert resume.languages == ["English"]
    assert [c.name for c in resume.certifications] == ["CKA"]
    assert from_resume_matcher({}) == Resume()


def test_markdown_of_a_full_resume() -> None:
    md = to_markdown(FULL)
    lines = md.splitlines()
    assert lines[0] == "# Quinn Builder"
    assert lines[2] == (
        "quinn@example.org | +44 20 7946 0001 | Leeds, UK | github.com/quinn | https://quinn.example"
    )
    assert "### Staff Engineer | Northwind" in lines
    assert "Apr 2021 \u2013 Present | Remote" in lines
    assert "Owns the build system." in lines
    assert "2017 \u2013 2021" in lines
    assert "### BSc in Computer Science | University of Leeds" in lines
    assert "Jun 2017 | GPA: 3.9" in lines
    assert "Relevant coursework: Compilers, Databases" in lines
    assert "kiln.dev" in lines and "### notes" in lines
    assert "- CKA | CNCF | Jan 2022" in lines and "- AWS SAA" in lines
    assert md.endswith("## Languages\n\nEnglish, Welsh\n")
    assert to_markdown(Resume()) == "# Resume\n"
