"""End to end: postings served by a local HTTP server, parsed through every source."""

from __future__ import annotations

import html
import json
from collections.abc import AsyncIterator
from pathlib import Path
from typing import Any

import pytest

from atspro.errors import InputError
from atspro.extraction import ExtractedDocument
from atspro.jobs.errors import NoPostingFound
from atspro.jobs.fetch import PageFetcher
from atspro.jobs.model import Job, WorkplaceType
from atspro.jobs.service import (
    merge_jobs,
    parse_fetched_page,
    parse_job_from_document,
    parse_job_from_html,
    parse_job_from_text,
    parse_job_from_url,
)
from tests.jobs.conftest import PageServer, Reply

COMPARED = (
    "title", "company", "location", "employment_type", "workplace_type", "date_posted",
    "responsibilities", "qualifications", "years_experience_min", "education_level", "seniority",
)  # fmt: skip


@pytest.fixture
def sample(shared_data: Path) -> dict[str, Any]:
    data: dict[str, Any] = json.loads((shared_data / "schemas" / "sample.job.json").read_text())
    return data


@pytest.fixture
async def fetcher(server: PageServer) -> AsyncIterator[PageFetcher]:
    async with PageFetcher(allowed_hosts=[f"127.0.0.1:{server.port}"], timeout_s=10.0) as f:
        yield f


def _body(sample: dict[str, Any]) -> str:
    """The posting body both pages share: summary, sections and skills."""
    items = "".join
    skills = "".join(
        f"<li>{html.escape(s['name'])}: {', '.join(s['keywords'])}</li>" for s in sample["skills"]
    )
    return (
        f"<p>{html.escape(sample['description'])}</p>"
        f"<p>This is a {sample['remote'].lower()} role. Experience level: {sample['experience']}.</p>"
        "<h3>Responsibilities</h3><ul>"
        + items(f"<li>{html.escape(r)}</li>" for r in sample["responsibilities"])
        + "</ul><h3>Qualifications</h3><ul>"
        + items(f"<li>{html.escape(q)}</li>" for q in sample["qualifications"])
        + f"</ul><h3>Skills</h3><ul>{skills}</ul>"
    )


def json_ld_page(sample: dict[str, Any]) -> bytes:
    location = sample["location"]
    posting = {
        "@type": "JobPosting",
        "title": sample["title"],
        "hiringOrganization": {"@type": "Organization", "name": sample["company"]},
        "employmentType": sample["type"].upper().replace("-", "_"),
        "datePosted": sample["date"],
        "jobLocation": {
            "@type": "Place",
            "address": {
                "@type": "PostalAddress",
                "streetAddress": location["address"],
                "addressLocality": location["city"],
                "addressRegion": location["region"],
                "postalCode": location["postalCode"],
                "addressCountry": location["countryCode"],
            },
        },
        "baseSalary": {
            "@type": "MonetaryAmount",
            "value": {
                "@type": "QuantitativeValue",
                "value": int(sample["salary"]),
                "unitText": "YEAR",
            },
        },
        "description": _body(sample),
        "url": sample["meta"]["canonical"],
    }
    graph = {
        "@context": "https://schema.org",
        "@graph": [{"@type": "WebPage", "name": "Careers"}, posting],
    }
    return (
        "<!doctype html><html><head><title>Careers</title>"
        f'<script type="application/ld+json">{json.dumps(graph)}</script>'
        "</head><body><div id='app'>Loading…</div></body></html>"
    ).encode()


def plain_page(sample: dict[str, Any]) -> bytes:
    location = sample["location"]
    nav = "".join(f"<li><a href='/p{i}'>Section {i}</a></li>" for i in range(30))
    return (
        f"<!doctype html><html><head><title>{sample['title']} - {sample['company']}</title>"
        f'<meta property="og:site_name" content="{sample["company"]}"></head><body>'
        f"<nav><ul>{nav}</ul></nav><main><h1>{sample['title']}</h1>"
        f"<p>{sample['company']} · {location['city']}, {location['countryCode']} · {sample['type']} · {sample['remote']}</p>"
        f"<p>Posted: {sample['date']}</p><p>Salary: {sample['salary']}</p>"
        f"{_body(sample)}</main><footer><p>© {sample['company']} · Privacy · Terms</p></footer></body></html>"
    ).encode()


def _fields(job: Job) -> dict[str, Any]:
    return {name: getattr(job, name) for name in COMPARED}


async def test_json_ld_and_plain_page_agree(
    server: PageServer, fetcher: PageFetcher, sample: dict[str, Any]
) -> None:
    server.routes["/ld"] = Reply(json_ld_page(sample))
    server.routes["/plain"] = Reply(plain_page(sample))
    structured = await parse_job_from_url(server.url("/ld"), fetcher=fetcher)
    plain = await parse_job_from_url(server.url("/plain"), fetcher=fetcher)
    assert structured.source == "json-ld" and plain.source == "html"
    assert _fields(structured) == _fields(plain)
    # The URL path parses in the worker process; the same pages parsed here agree with it.
    assert parse_job_from_html(json_ld_page(sample).decode(), url=server.url("/ld")) == structured
    assert parse_job_from_html(plain_page(sample).decode(), url=server.url("/plain")) == plain
    assert set(structured.required_skills) == set(plain.required_skills)
    assert (structured.salary.min, structured.salary.period) == (
        plain.salary.min,
        plain.salary.period,
    )
    # And both match the sample itself.
    assert structured.title == sample["title"] and structured.company == sample["company"]
    assert structured.responsibilities == sample["responsibilities"]
    # The "Skills" section counts as requirements too.
    assert structured.qualifications[: len(sample["qualifications"])] == sample["qualifications"]
    assert structured.location == ["Berlin, DE"]
    assert structured.employment_type == "full_time"
    assert structured.workplace_type is WorkplaceType.HYBRID
    assert structured.salary.min == float(sample["salary"])
    assert structured.years_experience_min == 3.0
    assert structured.education_level == "bachelor"
    assert structured.seniority == "mid"
    keywords = {k.lower() for s in sample["skills"] for k in s["keywords"]}
    found = {s.lower() for s in structured.required_skills}
    assert len(keywords & found) >= 6, found


async def test_microdata_page(
    server: PageServer, fetcher: PageFetcher, sample: dict[str, Any]
) -> None:
    page = (
        '<html><body><div itemscope itemtype="https://schema.org/JobPosting">'
        f'<h1 itemprop="title">{sample["title"]}</h1>'
        '<div itemprop="hiringOrganization" itemscope itemtype="https://schema.org/Organization">'
        f'<span itemprop="name">{sample["company"]}</span></div>'
        '<span itemprop="employmentType">FULL_TIME</span>'
        f'<meta itemprop="datePosted" content="{sample["date"]}">'
        f'<div itemprop="description">{_body(sample)}</div></div></body></html>'
    ).encode()
    server.routes["/micro"] = Reply(page)
    job = await parse_job_from_url(server.url("/micro"), fetcher=fetcher)
    assert job.source == "microdata"
    assert (job.title, job.company, job.employment_type) == (
        sample["title"],
        sample["company"],
        "full_time",
    )
    assert job.date_posted == sample["date"]
    assert job.responsibilities == sample["responsibilities"]


@pytest.mark.parametrize(
    "name", ["backend-eng.txt", "frontend-eng.txt", "ml-eng.txt", "product-manager.txt"]
)
async def test_text_job_as_page_and_as_text(
    server: PageServer, fetcher: PageFetcher, shared_data: Path, name: str
) -> None:
    text = (shared_data / "jobs" / "resume-matcher" / name).read_text()
    paragraphs = "".join(f"<p>{html.escape(' '.join(p.split()))}</p>" for p in text.split("\n\n"))
    server.routes["/job"] = Reply(
        f"<html><body><article>{paragraphs}</article></body></html>".encode()
    )
    server.routes["/job.txt"] = Reply(
        text.encode(), headers={"Content-Type": "text/plain; charset=utf-8"}
    )
    from_text = parse_job_from_text(text)
    from_page = await parse_job_from_url(server.url("/job"), fetcher=fetcher)
    from_txt_url = await parse_job_from_url(server.url("/job.txt"), fetcher=fetcher)
    # The URL path parses in the worker process; parsed here, the fetched body agrees.
    fetched = await fetcher.fetch(server.url("/job.txt"))
    assert parse_fetched_page(fetched, server.url("/job.txt")) == from_txt_url
    assert from_text.title and from_text.title.split()[-1] in {"Engineer", "Manager"}
    assert from_text.title in text
    assert from_text.years_experience_min is not None
    assert len(from_text.required_skills) >= 3
    assert from_text.qualifications
    for other in (from_page, from_txt_url):
        assert other.title == from_text.title
        assert other.years_experience_min == from_text.years_experience_min
        assert set(other.required_skills) == set(from_text.required_skills)
        assert other.link


async def test_pdf_posting_by_url(
    server: PageServer, fetcher: PageFetcher, shared_data: Path
) -> None:
    pdf = (shared_data / "jobs" / "resume-matcher" / "job_desc_java_developer.pdf").read_bytes()
    server.routes["/job.pdf"] = Reply(pdf, headers={"Content-Type": "application/pdf"})
    progress: list[tuple[int, str]] = []

    async def record(percent: int, message: str) -> None:
        progress.append((percent, message))

    job = await parse_job_from_url(server.url("/job.pdf"), fetcher=fetcher, progress=record)
    fetched = await fetcher.fetch(server.url("/job.pdf"))
    assert parse_fetched_page(fetched, server.url("/job.pdf")) == job
    assert job.source == "document" and job.link == server.url("/job.pdf")
    assert job.title == "Java Developer"
    assert job.company == "Tech Solutions"
    assert job.location == ["San Francisco, CA, USA"]
    assert job.years_experience_min == 3.0
    assert "java" in job.required_skills
    assert len(job.responsibilities) >= 5 and len(job.qualifications) >= 5
    assert [p for p, _ in progress] == [5, 50, 100]


async def test_page_without_posting(server: PageServer, fetcher: PageFetcher) -> None:
    article = (
        "<p>" + "The weather was lovely and we went for a long walk by the river. " * 20 + "</p>"
    )
    server.routes["/blog"] = Reply(
        f"<html><body><article><h1>Our day out</h1>{article}</article></body></html>".encode()
    )
    server.routes["/shell"] = Reply(
        b"<html><body><div id='root'>x</div><script>app()</script></body></html>"
    )
    for path in ("/blog", "/shell"):
        with pytest.raises(NoPostingFound) as info:
            await parse_job_from_url(server.url(path), fetcher=fetcher)
        assert info.value.reason == "no_posting"
        with pytest.raises(NoPostingFound):
            parse_fetched_page(await fetcher.fetch(server.url(path)), server.url(path))


GREENHOUSE = {
    "id": 123, "title": "Platform Engineer", "company_name": "Acme",
    "location": {"name": "Remote - US"}, "absolute_url": "https://boards.greenhouse.io/acme/jobs/123",
    "first_published": "2024-05-01T10:00:00-04:00",
    "content": html.escape(
        "<p>Acme builds payroll software.</p><h3>What you'll do</h3><ul><li>Run Kubernetes clusters</li>"
        "<li>Automate deployments with Terraform</li></ul><h3>What you'll need</h3><ul>"
        "<li>5+ years of experience with Go or Python</li><li>Experience with AWS</li></ul>"
        "<h3>Nice to have</h3><ul><li>Experience with Rust</li></ul><p>Full-time, remote role.</p>"
    ),
}  # fmt: skip
LEVER = {
    "id": "0b0d3bd7-3e8c-4b0a-a5a5-5d4c6a6f7e01", "text": "Data Analyst",
    "categories": {"commitment": "Full-time", "location": "London", "allLocations": ["London", "Remote UK"]},
    "description": "<div>We turn data into decisions.</div>",
    "lists": [{"text": "Requirements", "content": "<li>2+ years with SQL and Tableau</li>"},
              {"text": "Responsibilities", "content": "<li>Build dashboards for finance</li>"}],
    "additional": "<div>We offer private health insurance.</div>",
    "hostedUrl": "https://jobs.lever.co/globex/0b0d3bd7-3e8c-4b0a-a5a5-5d4c6a6f7e01",
    "createdAt": 1714560000000, "workplaceType": "hybrid",
    "salaryRange": {"min": 45000, "max": 55000, "currency": "GBP", "interval": "per-year-salary"},
}  # fmt: skip
ASHBY = {
    "apiVersion": "1",
    "jobs": [
        {"id": "11111111-2222-3333-4444-555555555555", "title": "Other"},
        {
            "id": "8f0c4d2e-9b1a-4c3d-8e7f-6a5b4c3d2e1f", "title": "Product Designer",
            "employmentType": "FullTime", "location": "Berlin", "workplaceType": "OnSite",
            "secondaryLocations": [{"location": "Munich"}], "publishedAt": "2024-06-03T09:00:00.000+00:00",
            "descriptionHtml": "<p>Initech designs tools.</p><h2>Requirements</h2><ul><li>3 years of Figma experience</li></ul>",
            "jobUrl": "https://jobs.ashbyhq.com/initech/8f0c4d2e-9b1a-4c3d-8e7f-6a5b4c3d2e1f",
            "compensation": {"compensationTierSummary": "€60K - €75K", "summaryComponents": [
                {"compensationType": "Salary", "interval": "1 YEAR", "currencyCode": "EUR",
                 "minValue": 60000, "maxValue": 75000}]},
        },
    ],
}  # fmt: skip


def _json(data: object) -> Reply:
    return Reply(json.dumps(data).encode(), headers={"Content-Type": "application/json"})


async def test_board_apis(server: PageServer, fetcher: PageFetcher) -> None:
    server.routes["/gh/acme/jobs/123"] = _json(GREENHOUSE)
    server.routes[f"/lever/globex/{LEVER['id']}"] = _json(LEVER)
    server.routes["/ashby/initech"] = _json(ASHBY)
    apis = {
        "greenhouse_api": server.url("/gh"), "lever_api": server.url("/lever"),
        "lever_eu_api": server.url("/lever"), "ashby_api": server.url("/ashby"),
    }  # fmt: skip

    gh = await parse_job_from_url(
        "https://boards.greenhouse.io/acme/jobs/123", fetcher=fetcher, **apis
    )
    assert (gh.source, gh.title, gh.company, gh.location) == (
        "greenhouse",
        "Platform Engineer",
        "Acme",
        ["Remote - US"],
    )
    assert gh.date_posted == "2024-05-01" and gh.employment_type == "full_time"
    assert gh.workplace_type is WorkplaceType.REMOTE and gh.years_experience_min == 5.0
    assert gh.responsibilities == ["Run Kubernetes clusters", "Automate deployments with Terraform"]
    assert {"kubernetes", "terraform", "python"} <= set(gh.required_skills)
    assert "rust" in gh.preferred_skills and "rust" not in gh.required_skills

    lever = await parse_job_from_url(LEVER["hostedUrl"], fetcher=fetcher, **apis)  # type: ignore[arg-type]
    assert (lever.source, lever.title, lever.location) == (
        "lever",
        "Data Analyst",
        ["London", "Remote UK"],
    )
    assert (lever.salary.min, lever.salary.max, lever.salary.currency, lever.salary.period) == (
        45000,
        55000,
        "GBP",
        "year",
    )
    assert lever.workplace_type is WorkplaceType.HYBRID and lever.date_posted == "2024-05-01"
    assert lever.qualifications == ["2+ years with SQL and Tableau"]
    assert lever.responsibilities == ["Build dashboards for finance"]

    ashby = await parse_job_from_url(ASHBY["jobs"][1]["jobUrl"], fetcher=fetcher, **apis)  # type: ignore[index]
    assert (ashby.source, ashby.title, ashby.location) == (
        "ashby",
        "Product Designer",
        ["Berlin", "Munich"],
    )
    assert ashby.employment_type == "full_time" and ashby.workplace_type is WorkplaceType.ON_SITE
    assert (ashby.salary.min, ashby.salary.max, ashby.salary.currency) == (60000, 75000, "EUR")
    assert ashby.years_experience_min == 3.0 and "figma" in ashby.required_skills
    assert server.hits == [
        "/gh/acme/jobs/123",
        f"/lever/globex/{LEVER['id']}?mode=json",
        "/ashby/initech?includeCompensation=true",
    ]


def test_text_and_document_entry_points() -> None:
    with pytest.raises(InputError):
        parse_job_from_text("  \n ")
    with pytest.raises(NoPostingFound):
        parse_job_from_document(ExtractedDocument(media_type="text/plain"))
    with pytest.raises(NoPostingFound):
        parse_job_from_html("", url="http://x/")


def test_merge_prefers_structured_fields() -> None:
    structured = Job(title="A", description="", required_skills=["python"])
    parsed = Job(
        title="B",
        company="C",
        description="text",
        required_skills=["sql", "python"],
        preferred_skills=["python", "go"],
    )
    merged = merge_jobs(structured, parsed)
    assert (merged.title, merged.company, merged.description) == ("A", "C", "text")
    assert merged.required_skills == ["python", "sql"] and merged.preferred_skills == ["go"]
