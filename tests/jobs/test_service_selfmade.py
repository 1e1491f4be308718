"""Posting pages, JSON-LD bodies, text and PDF postings written in the test, parsed the way
the worker parses fetched pages (``parse_fetched_page``, ``parse_job_from_html``)."""

from __future__ import annotations

import json
from typing import Any

import pytest

from atspro.jobs.errors import NoPostingFound
from atspro.jobs.fetch import FetchedPage
from atspro.jobs.model import Job, WorkplaceType
from atspro.jobs.service import parse_fetched_page, parse_job_from_html
from tests.extraction.builders import text_pdf

TITLE, COMPANY = "Senior Data Engineer", "Northwind Freight"
RESPONSIBILITIES = [
    "Build batch and streaming pipelines with Spark and Airflow",
    "Model the warehouse in Snowflake",
    "Mentor two junior engineers",
]
QUALIFICATIONS = [
    "5+ years of experience in data engineering",
    "Excellent Python and SQL",
    "Bachelor's degree in Computer Science or a related field",
]
BODY = (
    "<p>Northwind Freight moves parcels across Europe and needs a data engineer.</p>"
    "<p>This is a hybrid role based in Berlin.</p><h3>Responsibilities</h3><ul>"
    + "".join(f"<li>{r}</li>" for r in RESPONSIBILITIES)
    + "</ul><h3>Qualifications</h3><ul>"
    + "".join(f"<li>{q}</li>" for q in QUALIFICATIONS)
    + "</ul><h3>Benefits</h3><ul><li>30 days of vacation</li></ul>"
)
POSTING: dict[str, Any] = {
    "@context": "https://schema.org",
    "@type": "JobPosting",
    "title": TITLE,
    "hiringOrganization": {"@type": "Organization", "name": COMPANY},
    "employmentType": "FULL_TIME",
    "datePosted": "2024-03-04",
    "jobLocation": {
        "@type": "Place",
        "address": {"@type": "PostalAddress", "addressLocality": "Berlin", "addressCountry": "DE"},
    },
    "baseSalary": {
        "@type": "MonetaryAmount",
        "currency": "EUR",
        "value": {
            "@type": "QuantitativeValue",
            "minValue": 80000,
            "maxValue": 95000,
            "unitText": "YEAR",
        },
    },
    "description": BODY,
}
PLAIN_PAGE = (
    f"<!doctype html><html><head><title>{TITLE} - {COMPANY}</title>"
    f'<meta property="og:site_name" content="{COMPANY}"></head><body>'
    + "<nav><ul>" + "".join(f"<li><a href='/p{i}'>Section {i}</a></li>" for i in range(20)) + "</ul></nav>"
    f"<main><h1>{TITLE}</h1><p>{COMPANY} · Berlin, DE · Full-time · Hybrid</p>"
    f"<p>Salary: €80,000 - €95,000 per year</p>{BODY}</main></body></html>"
)  # fmt: skip
TEXT = "\n".join(
    [
        TITLE,
        f"{COMPANY} · Berlin, Germany · Full-time",
        "",
        "Responsibilities:",
        *(f"- {r}" for r in RESPONSIBILITIES),
        "",
        "Requirements:",
        *(f"- {q}" for q in QUALIFICATIONS),
    ]
)


def _page(
    content_type: str, body: str | bytes, url: str = "https://jobs.example/p/1"
) -> FetchedPage:
    data = body.encode() if isinstance(body, str) else body
    text = body if isinstance(body, str) else ""
    return FetchedPage(
        url=url, final_url=url, status=200, content_type=content_type, text=text, data=data
    )


def _html_with_ld(posting: dict[str, Any]) -> str:
    return (
        "<!doctype html><html><head><title>Careers</title>"
        f'<script type="application/ld+json">{json.dumps(posting)}</script>'
        "</head><body><div id='app'>Loading…</div></body></html>"
    )


def _check_posting(job: Job) -> None:
    assert (job.title, job.company) == (TITLE, COMPANY)
    assert job.responsibilities == RESPONSIBILITIES
    assert job.qualifications[:3] == QUALIFICATIONS
    assert job.years_experience_min == 5.0
    assert job.education_level == "bachelor"
    assert {"python", "sql", "spark", "airflow", "snowflake"} <= set(job.required_skills)


def test_json_ld_page_and_plain_page_agree() -> None:
    url = "https://jobs.example/p/1"
    structured = parse_fetched_page(_page("text/html", _html_with_ld(POSTING)), url)
    plain = parse_job_from_html(PLAIN_PAGE, url=url)
    assert (structured.source, plain.source) == ("json-ld", "html")
    _check_posting(structured)
    _check_posting(plain)
    assert structured.link == plain.link == url
    assert structured.location == ["Berlin, DE"]
    assert structured.date_posted == "2024-03-04"
    assert structured.employment_type == plain.employment_type == "full_time"
    assert structured.workplace_type is plain.workplace_type is WorkplaceType.HYBRID
    salary = (structured.salary.min, structured.salary.max, structured.salary.currency)
    assert salary == (80000, 95000, "EUR")
    assert (plain.salary.min, plain.salary.max, plain.salary.currency) == salary
    assert set(structured.required_skills) == set(plain.required_skills)


def test_json_ld_without_description_falls_back_to_the_page_text() -> None:
    posting = {k: v for k, v in POSTING.items() if k != "description"}
    page = PLAIN_PAGE.replace(
        "</head>", f'<script type="application/ld+json">{json.dumps(posting)}</script></head>'
    )
    job = parse_job_from_html(page, url="https://jobs.example/p/2")
    assert job.source == "html" and job.link == "https://jobs.example/p/2"
    _check_posting(job)


def test_json_body_is_read_as_json_ld() -> None:
    url = "https://api.example/jobs/1.json"
    job = parse_fetched_page(_page("application/ld+json", json.dumps(POSTING)), url)
    assert job.source == "json-ld" and job.link == url
    _check_posting(job)
    with pytest.raises(NoPostingFound):
        parse_fetched_page(_page("application/json", json.dumps({"@type": "Person"})), url)


def test_text_and_pdf_bodies() -> None:
    from_text = parse_fetched_page(_page("text/plain", TEXT), "https://jobs.example/p.txt")
    assert from_text.link == "https://jobs.example/p.txt"
    _check_posting(from_text)
    pdf = text_pdf([TEXT.splitlines()])
    from_pdf = parse_fetched_page(_page("application/pdf", pdf), "https://jobs.example/p.pdf")
    assert from_pdf.source == "document" and from_pdf.link == "https://jobs.example/p.pdf"
    _check_posting(from_pdf)


def test_page_without_posting_signals_is_refused() -> None:
    # A page with text but only a title-like heading: not enough to call it a posting.
    page = (
        "<html><body><main><h1>About us</h1><p>"
        + "We like boats. " * 40
        + "</p></main></body></html>"
    )
    with pytest.raises(NoPostingFound):
        parse_job_from_html(page, url="https://jobs.example/about")
