"""The posting parser on a PDF-style header and inline-heading paragraphs written here."""

from __future__ import annotations

from atspro.jobs.service import parse_job_from_text

POSTING = """Java Developer
3+ years
Tech Solutions Inc, San Francisco, CA, USA

We are looking for a Java developer to build our payment platform.

Responsibilities: Design and build REST services in Java and Spring Boot; review code and \
mentor juniors; run the services on Kubernetes.

Requirements: 3+ years of experience with Java; experience with PostgreSQL and Kafka; a degree \
in Computer Science.
"""


def test_company_and_place_line_under_the_title() -> None:
    job = parse_job_from_text(POSTING)
    assert (job.title, job.company) == ("Java Developer", "Tech Solutions Inc")
    assert job.location == ["San Francisco, CA, USA"]
    assert job.logistics == ["Tech Solutions Inc, San Francisco, CA, USA"]


def test_inline_headings_open_sections_and_split_on_semicolons() -> None:
    job = parse_job_from_text(POSTING)
    assert job.responsibilities == [
        "Design and build REST services in Java and Spring Boot",
        "review code and mentor juniors",
        "run the services on Kubernetes",
    ]
    assert job.qualifications == [
        "3+ years of experience with Java",
        "experience with PostgreSQL and Kafka",
        "a degree in Computer Science",
    ]
    assert (job.years_experience_min, job.education_level) == (3.0, "bachelor")
    assert {"java", "spring boot", "kubernetes", "postgresql", "kafka"} <= set(job.required_skills)
    assert job.preferred_skills == []
