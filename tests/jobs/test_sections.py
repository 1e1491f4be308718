"""Section roles on postings written for these tests (tests/data/jobs): each unit's role,
and no legal, benefit, company or product word among the required skills."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import lxml.html
import pytest

from atspro.jobs.markup import html_lines
from atspro.jobs.parser import SourceLine, label_lines, lines_from_text
from atspro.jobs.roles import Role
from atspro.jobs.service import parse_job_from_html, parse_job_from_text
from atspro.jobs.sources.readable import main_content_lines
from atspro.jobs.sources.structured import json_ld_postings

DATA = Path(__file__).resolve().parents[1] / "data" / "jobs"
POSTINGS = sorted(p.stem for p in DATA.glob("*.json"))


def _posting(name: str) -> tuple[str, dict[str, Any]]:
    truth: dict[str, Any] = json.loads((DATA / f"{name}.json").read_text())
    suffix = ".html" if truth["format"] == "html" else ".txt"
    return (DATA / f"{name}{suffix}").read_text(), truth


def _lines(body: str, truth: dict[str, Any]) -> list[SourceLine]:
    if truth["format"] != "html":
        return lines_from_text(body)
    tree = lxml.html.fromstring(body)
    found = json_ld_postings(tree)
    if found:
        return html_lines(str(found[0].data["description"]))
    return main_content_lines(body, tree=tree)


def test_there_are_enough_varied_postings() -> None:
    formats = {_posting(name)[1]["format"] for name in POSTINGS}
    assert len(POSTINGS) >= 10 and formats == {"text", "html"}


@pytest.mark.parametrize("name", POSTINGS)
def test_section_roles(name: str) -> None:
    body, truth = _posting(name)
    units = label_lines(_lines(body, truth))
    for prefix, role in truth["roles"].items():
        found = [u for u in units if u.text.startswith(prefix)]
        assert found, f"no unit starts with {prefix!r}"
        assert found[0].role is Role(role), (prefix, found[0].role)


@pytest.mark.parametrize("name", POSTINGS)
def test_no_boilerplate_among_required_skills(name: str) -> None:
    body, truth = _posting(name)
    job = (
        parse_job_from_html(body, url="https://jobs.example.test/posting")
        if truth["format"] == "html"
        else parse_job_from_text(body)
    )
    asked = set(job.required_skills) | set(job.preferred_skills)
    assert not asked & set(truth["required_skills_exclude"])
    assert job.company.lower() not in asked
    assert set(truth["required_skills_contain"]) <= set(job.required_skills)
