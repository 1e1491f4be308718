"""Facts of postings written for these tests (tests/data/jobs): employer, title, seniority,
places, workplace, employment type, pay, apply link, benefits and the asks vs duties split."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest

from atspro.jobs.model import Job
from atspro.jobs.service import parse_job_from_html, parse_job_from_text

DATA = Path(__file__).resolve().parents[1] / "data" / "jobs"
POSTINGS = sorted(p.stem for p in DATA.glob("*.json"))
_SCALARS = ("company", "title", "seniority", "workplace_type", "employment_type", "link")


def _parsed(name: str) -> tuple[Job, dict[str, Any]]:
    truth: dict[str, Any] = json.loads((DATA / f"{name}.json").read_text())
    if truth["format"] == "html":
        body = (DATA / f"{name}.html").read_text()
        return parse_job_from_html(body, url="https://jobs.example.test/posting"), truth
    return parse_job_from_text((DATA / f"{name}.txt").read_text()), truth


@pytest.mark.parametrize("name", POSTINGS)
def test_scalar_facts(name: str) -> None:
    job, truth = _parsed(name)
    for field in _SCALARS:
        if field in truth:
            assert str(getattr(job, field)) == truth[field], field
    if "location" in truth:
        assert job.location == truth["location"]
    if "salary_min" in truth:
        assert (job.salary.min, job.salary.max) == (truth["salary_min"], truth["salary_max"])


@pytest.mark.parametrize("name", POSTINGS)
def test_list_facts(name: str) -> None:
    job, truth = _parsed(name)
    fields = {
        "benefits": job.benefits,
        "qualifications": job.qualifications,
        "responsibilities": job.responsibilities,
        "preferred": job.preferred_qualifications,
    }
    for field, items in fields.items():
        for expected in truth.get(f"{field}_contain", []):
            assert expected in items, (field, expected)
    for unwanted in truth.get("benefits_exclude", []):
        assert not any(item.startswith(unwanted) for item in job.benefits), unwanted


def test_seniority_read_from_the_body_when_the_title_omits_it() -> None:
    job = parse_job_from_text(
        "Research Engineer\n\nAs a Senior Research Engineer, you will train models.\n"
    )
    assert job.seniority == "senior"
