"""parse_job_with_model through the real openai package, the fake server and grounding."""

from __future__ import annotations

from typing import Any

import pytest

from atspro.errors import DocumentError
from atspro.jobs.model import WorkplaceType
from atspro.llm.client import LLMClient
from atspro.llm.jobs import JobDraft, SalaryDraft, parse_job_with_model
from tests.fakes.openai_server import FakeOpenAIServer, Reply
from tests.shared_data import shared_file

NO_SALARY = SalaryDraft(text=None, min=None, max=None, currency=None, period=None)


def job_draft(**fields: Any) -> JobDraft:
    base: dict[str, Any] = dict(
        company=None,
        title=None,
        description=None,
        salary=NO_SALARY,
        responsibilities=[],
        qualifications=[],
        preferred_qualifications=[],
        logistics=[],
        benefits=[],
        location=[],
        additional_info=[],
        employment_type=None,
        seniority=None,
        workplace_type=None,
        date_posted=None,
        years_experience_min=None,
        education_level=None,
        required_skills=[],
        preferred_skills=[],
        soft_skills=[],
    )
    return JobDraft(**(base | fields))


async def test_real_posting_keeps_copied_fields_and_drops_inventions(
    openai_server: FakeOpenAIServer, llm_client: LLMClient
) -> None:
    text = shared_file("jobs/resume-matcher/backend-eng.txt").read_text()
    overview = text.split(". ")[0] + "."
    draft = job_draft(
        company="Initech",  # the posting names no company
        title="Senior Backend Engineer",
        description=overview,
        salary=SalaryDraft(text=None, min=180_000, max=None, currency="USD", period="year"),
        qualifications=[
            "4+ years of professional Python experience",
            "deep knowledge of async programming with asyncio",
            "10+ years of Rust in safety-critical avionics",
        ],
        location=["Berlin"],
        employment_type="full_time",
        seniority="senior",
        workplace_type="remote",
        years_experience_min=4,
        education_level="master",
        required_skills=["Python", "FastAPI", "Kafka", "PostgreSQL", "Redis", "Erlang"],
        soft_skills=["ownership"],
    )
    openai_server.enqueue(Reply.structured(draft))

    job = await parse_job_with_model(text, client=llm_client)

    assert job.title == "Senior Backend Engineer"
    assert job.description == overview
    assert job.company == ""
    assert job.salary.min is None and job.salary.currency == "" and job.salary.period == ""
    assert job.qualifications == draft.qualifications[:2]
    assert job.location == []
    assert job.employment_type == ""  # "full-time" is not said
    assert job.seniority == "senior"
    assert job.workplace_type is WorkplaceType.UNKNOWN
    assert job.years_experience_min == 4
    assert job.education_level == ""
    assert job.required_skills == ["Python", "FastAPI", "Kafka", "PostgreSQL", "Redis"]
    assert job.soft_skills == ["ownership"]
    (sent,) = openai_server.requests
    assert sent.schema_name == "JobDraft"
    assert "Senior Backend Engineer" in sent.messages[1]["content"]


async def test_salary_dates_and_invented_description(
    openai_server: FakeOpenAIServer, llm_client: LLMClient
) -> None:
    text = (
        "Data Analyst - Globex (Hybrid, Lisbon)\nPosted 3 March 2024. Contract, 6 months.\n"
        "Pay: EUR 45,000 - 55,000 per annum.\nBachelor's degree in statistics required."
    )
    draft = job_draft(
        company="Globex",
        title="Data Analyst",
        description="A world-leading unicorn changing everything about analytics forever.",
        salary=SalaryDraft(
            text="EUR 45,000 - 55,000 per annum",
            min=45_000,
            max=55_000,
            currency="eur",
            period="year",
        ),
        location=["Lisbon"],
        employment_type="contract",
        workplace_type="hybrid",
        date_posted="3 March 2024",
        education_level="bachelor",
    )
    openai_server.enqueue(Reply.structured(draft))
    job = await parse_job_with_model(text, client=llm_client)
    assert job.description == text  # the model's overview is not in the text
    assert (job.salary.min, job.salary.max, job.salary.currency) == (45_000, 55_000, "EUR")
    assert job.salary.period == "year"
    assert job.employment_type == "contract"
    assert job.workplace_type is WorkplaceType.HYBRID
    assert job.date_posted == "2024-03"
    assert job.education_level == "bachelor"
    assert job.location == ["Lisbon"]


async def test_empty_posting_is_a_document_error(llm_client: LLMClient) -> None:
    with pytest.raises(DocumentError, match="no text"):
        await parse_job_with_model("   ", client=llm_client)
