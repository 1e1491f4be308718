"""Structured-data and board-URL readers on hand-made inputs."""

from __future__ import annotations

import json

import lxml.html
import pytest

from atspro.jobs.model import WorkplaceType
from atspro.jobs.sources.boards import (
    BoardPosting,
    board_api_url,
    job_from_board,
    recognise_board_url,
)
from atspro.jobs.sources.structured import job_from_schema, json_ld_postings, microdata_postings


def _tree(scripts: list[str]) -> lxml.html.HtmlElement:
    body = "".join(f'<script type="application/ld+json">{s}</script>' for s in scripts)
    return lxml.html.fromstring(f"<html><head>{body}</head><body><p>x</p></body></html>")


def test_json_ld_shapes() -> None:
    posting = {"@type": "JobPosting", "title": "A"}
    scripts = [
        "{not json at all",
        json.dumps([{"@type": "Organization"}, posting]),
        json.dumps({"@graph": [{"@type": ["WebPage"], "mainEntity": {**posting, "title": "B"}}]}),
        '<!-- {"@type": "http://schema.org/JobPosting", "title": "C",} -->',
    ]
    titles = [p.data["title"] for p in json_ld_postings(_tree(scripts))]
    assert titles == ["A", "B", "C"]


def test_job_from_schema_fields() -> None:
    data = {
        "@type": "JobPosting",
        "title": "Nurse &amp; Carer",
        "hiringOrganization": "St. Mary's",
        "description": "Care for patients. Bachelor of Science in Nursing required.",
        "jobLocation": [
            {"address": {"addressLocality": "Leeds", "addressCountry": {"name": "UK"}}},
            {"name": "Clinic B"},
            "York",
        ],
        "jobLocationType": "TELECOMMUTE",
        "baseSalary": {
            "currency": "gbp",
            "value": {"minValue": "30,000", "maxValue": 35000, "unitText": "YEAR"},
        },
        "experienceRequirements": {"monthsOfExperience": 18},
        "educationRequirements": {"credentialCategory": "bachelor degree"},
        "skills": "patient care, Python; SQL",
        "responsibilities": ["<ul><li>Give medication</li><li>Keep records</li></ul>"],
        "jobBenefits": "Pension",
        "employmentType": ["PER_DIEM"],
        "datePosted": "2024-02-01T08:00:00+00:00",
    }
    job, description = job_from_schema(data, url="http://x/")
    assert job.title == "Nurse & Carer" and job.company == "St. Mary's"
    assert job.location == ["Leeds, UK", "Clinic B", "York"]
    assert job.workplace_type is WorkplaceType.REMOTE
    assert (job.salary.min, job.salary.max, job.salary.currency, job.salary.period) == (
        30000,
        35000,
        "GBP",
        "year",
    )
    assert job.years_experience_min == 1.5 and job.education_level == "bachelor"
    assert job.responsibilities == ["Give medication", "Keep records"]
    assert job.benefits == ["Pension"] and job.employment_type == "temporary"
    assert job.date_posted == "2024-02-01" and job.link == "http://x/"
    assert "python" in job.required_skills and description.startswith("Care")


@pytest.mark.parametrize(
    ("salary", "expected"),
    [
        (95000, (95000, 95000, "year")),
        ("$40/hour", (40, 40, "hour")),
        ([{"currency": "USD", "value": 50, "unitText": "HOUR"}], (50, 50, "hour")),
        ({"currency": "USD", "value": "n/a"}, (None, None, "")),
        (None, (None, None, "")),
    ],
)
def test_schema_salaries(salary: object, expected: tuple[object, object, str]) -> None:
    job, _ = job_from_schema({"title": "T", "baseSalary": salary})
    assert (job.salary.min, job.salary.max, job.salary.period) == expected


def test_remote_without_location() -> None:
    job, _ = job_from_schema(
        {"title": "T", "jobLocationType": "TELECOMMUTE", "applicantLocationRequirements": {"name": "USA"},
         "experienceRequirements": "3+ years of experience"}
    )  # fmt: skip
    assert job.location == ["Remote (USA)"] and job.years_experience_min == 3.0


def test_microdata_nested() -> None:
    page = (
        '<div itemscope itemtype="http://schema.org/JobPosting"><span itemprop="title">Chef</span>'
        '<div itemprop="jobLocation" itemscope itemtype="http://schema.org/Place">'
        '<div itemprop="address" itemscope itemtype="http://schema.org/PostalAddress">'
        '<span itemprop="addressLocality">Lyon</span></div></div>'
        '<span itemprop="skills">Cooking</span><span itemprop="skills">Baking</span></div>'
    )
    found = microdata_postings(lxml.html.fromstring(page), "http://x/")
    job, _ = job_from_schema(found[0].data, source="microdata")
    assert (job.title, job.location, job.source) == ("Chef", ["Lyon"], "microdata")


@pytest.mark.parametrize(
    ("url", "expected"),
    [
        ("https://boards.greenhouse.io/acme/jobs/42", BoardPosting("greenhouse", "acme", "42")),
        ("https://job-boards.eu.greenhouse.io/acme/jobs/42?gh_src=x", BoardPosting("greenhouse", "acme", "42")),
        ("https://boards.greenhouse.io/embed/job_app?for=acme&token=42", BoardPosting("greenhouse", "acme", "42")),
        ("https://jobs.lever.co/globex/0b0d3bd7-3e8c-4b0a-a5a5-5d4c6a6f7e01/apply",
         BoardPosting("lever", "globex", "0b0d3bd7-3e8c-4b0a-a5a5-5d4c6a6f7e01")),
        ("https://jobs.eu.lever.co/globex/0b0d3bd7-3e8c-4b0a-a5a5-5d4c6a6f7e01",
         BoardPosting("lever", "globex", "0b0d3bd7-3e8c-4b0a-a5a5-5d4c6a6f7e01", eu=True)),
        ("https://jobs.ashbyhq.com/initech/8f0c4d2e-9b1a-4c3d-8e7f-6a5b4c3d2e1f/application",
         BoardPosting("ashby", "initech", "8f0c4d2e-9b1a-4c3d-8e7f-6a5b4c3d2e1f")),
        ("https://boards.greenhouse.io/acme", None),
        ("https://jobs.lever.co/globex", None),
        ("https://jobs.ashbyhq.com/initech", None),
        ("https://example.com/jobs/42", None),
    ],
)  # fmt: skip
def test_recognise_board_url(url: str, expected: BoardPosting | None) -> None:
    assert recognise_board_url(url) == expected


def test_board_api_urls_and_missing_jobs() -> None:
    eu = BoardPosting("lever", "g", "id", eu=True)
    assert board_api_url(eu, lever_eu_api="http://eu") == "http://eu/g/id?mode=json"
    ashby = BoardPosting("ashby", "i", "missing")
    assert job_from_board(ashby, {"jobs": [{"id": "other"}]}, url="u") is None
    assert job_from_board(ashby, [], url="u") is None
    assert job_from_board(BoardPosting("greenhouse", "a", "1"), {"error": "x"}, url="u") is None
    remote = job_from_board(
        ashby, {"jobs": [{"id": "missing", "title": "T", "isRemote": True}]}, url="u"
    )
    assert remote is not None and remote[0].workplace_type is WorkplaceType.REMOTE
