"""A resume and a job for tailoring tests, plus the golden cases when the shared data is there."""

from __future__ import annotations

import json
from datetime import date
from typing import Any

import pytest

from atspro.jobs.model import Job
from atspro.resume.model import (
    Certification,
    ContactInfo,
    Education,
    Link,
    Project,
    Resume,
    WorkExperience,
)
from tests.shared_data import shared_file

TODAY = date(2025, 6, 1)


@pytest.fixture
def today() -> date:
    return TODAY


@pytest.fixture
def resume() -> Resume:
    return Resume(
        contact_info=ContactInfo(
            full_name="Ana Silva",
            email="ana@example.org",
            phone="+351 912 345 678",
            address="Lisbon, Portugal",
            links=[Link(name="GitHub", url="github.com/anasilva")],
        ),
        summary="Frontend developer who ships accessible web apps.",
        work_experience=[
            WorkExperience(
                company="Webly",
                position="Frontend Developer",
                start_date="2021-02",
                is_current=True,
                location="Lisbon",
                responsibilities=[
                    "Mentored 2 new hires",
                    "Rebuilt the checkout in JS and React, lifting conversion by 12%",
                ],
            ),
            WorkExperience(
                company="Agency One",
                position="Web Developer",
                start_date="2018-09",
                end_date="2021-01",
                responsibilities=["Built 30 marketing sites", "Wrote unit tests with Jest"],
            ),
        ],
        education=[
            Education(
                institution="Universidade de Lisboa",
                degree="BSc",
                field_of_study="Informatics",
                graduation_date="2018",
            )
        ],
        certifications=[Certification(name="Professional Scrum Master I", issuer="Scrum.org")],
        projects=[
            Project(name="Recipe box", description="A recipe app."),
            Project(
                name="Design tokens",
                description="A token library for React apps.",
                skills=["TypeScript"],
            ),
        ],
        skills=["Figma", "JS", "React", "CSS", "TypeScript"],
        languages=["Portuguese", "English"],
    )


@pytest.fixture
def job() -> Job:
    return Job(
        title="Senior Frontend Engineer",
        company="Shopline",
        description="Join our storefront team.",
        qualifications=[
            "4+ years building web apps with JavaScript and React",
            "TypeScript and GraphQL experience",
            "Testing with Jest or Playwright",
        ],
        required_skills=["JavaScript", "React", "TypeScript", "GraphQL"],
        preferred_skills=["Playwright"],
    )


@pytest.fixture
def golden_cases() -> list[dict[str, Any]]:
    golden = shared_file("tailoring/golden_cases.json")
    cases: list[dict[str, Any]] = json.loads(golden.read_text(encoding="utf-8"))
    return cases
