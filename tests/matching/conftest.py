"""Hand-built resumes and jobs for the matching tests (the parsers are tested elsewhere)."""

from __future__ import annotations

from datetime import date

import pytest

from atspro.jobs.model import Job
from atspro.resume.model import ContactInfo, Education, Resume, WorkExperience

TODAY = date(2025, 6, 1)


@pytest.fixture
def today() -> date:
    return TODAY


@pytest.fixture
def backend_job() -> Job:
    return Job(
        title="Senior Backend Engineer",
        company="TechCorp",
        description="We are looking for a Senior Backend Engineer to join our platform team.",
        qualifications=[
            "5+ years of backend development experience",
            "Strong Python and FastAPI skills",
            "Experience with Docker, Kubernetes and PostgreSQL",
            "Familiarity with React, Vue, or Angular",
            "Bachelor's degree in Computer Science or equivalent",
        ],
        preferred_qualifications=["Terraform experience is a plus"],
        responsibilities=["Design and build scalable APIs", "Mentor junior engineers"],
        required_skills=["Python", "FastAPI", "Docker", "Kubernetes", "PostgreSQL"],
        preferred_skills=["Terraform"],
    )


@pytest.fixture
def backend_resume() -> Resume:
    return Resume(
        contact_info=ContactInfo(
            full_name="Jane Doe", email="jane@example.com", phone="+1 555 0100"
        ),
        summary="Backend engineer building Python services.",
        work_experience=[
            WorkExperience(
                company="Acme Corp",
                position="Backend Engineer",
                start_date="2021-01",
                is_current=True,
                responsibilities=[
                    "Mentored two interns",
                    "Built REST APIs in Python and FastAPI serving 50K requests a day",
                ],
            ),
            WorkExperience(
                company="StartupCo",
                position="Software Developer",
                start_date="2018-06",
                end_date="2020-12",
                responsibilities=["Ran services on Docker"],
            ),
        ],
        education=[Education(institution="MIT", degree="B.S.", field_of_study="Computer Science")],
        skills=["Python", "FastAPI", "Docker", "Git"],
    )
