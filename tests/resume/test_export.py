"""JSON Resume and Markdown export, and the JSON readers."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import jsonschema

from atspro.resume.export import (
    display_period,
    from_json_resume,
    from_resume_matcher,
    to_json_resume,
    to_markdown,
)
from atspro.resume.model import Resume


def _schema(shared: Path) -> dict[str, Any]:
    return dict(json.loads((shared / "schemas" / "schema.json").read_text(encoding="utf-8")))


def _sample(shared: Path) -> dict[str, Any]:
    return dict(json.loads((shared / "schemas" / "sample.resume.json").read_text(encoding="utf-8")))


def test_sample_reads_and_exports_valid_json_resume(shared_data: Path) -> None:
    sample = _sample(shared_data)
    resume = from_json_resume(sample)
    assert resume.contact_info.full_name == sample["basics"]["name"]
    assert [w.company for w in resume.work_experience] == [w["name"] for w in sample["work"]]
    assert resume.work_experience[0].start_date == sample["work"][0]["startDate"][:7]
    assert resume.education[0].field_of_study == sample["education"][0]["area"]
    keywords = [k for group in sample["skills"] for k in group["keywords"]]
    assert resume.skills == keywords
    exported = to_json_resume(resume)
    jsonschema.validate(exported, _schema(shared_data))
    assert from_json_resume(exported) == resume.model_copy(
        update={
            "contact_info": resume.contact_info.model_copy(update={"links": _with_scheme(resume)})
        }
    )


def _with_scheme(resume: Resume) -> list[Any]:
    # Export makes every URL absolute; the rest survives unchanged.
    return [
        link.model_copy(update={"url": link.url if "://" in link.url else f"https://{link.url}"})
        for link in resume.contact_info.links
    ]


def test_resume_matcher_json_reads_every_section(shared_data: Path) -> None:
    data = json.loads((shared_data / "resumes" / "resume-matcher" / "master.json").read_text())
    resume = from_resume_matcher(data)
    info = data["personalInfo"]
    assert (resume.contact_info.full_name, resume.contact_info.email) == (
        info["name"],
        info["email"],
    )
    assert [(w.position, w.company) for w in resume.work_experience] == [
        (w["title"], w["company"]) for w in data["workExperience"]
    ]
    assert all(w.start_date for w in resume.work_experience)
    assert resume.work_experience[0].is_current
    assert resume.skills == data["additional"]["technicalSkills"]
    assert [c.name for c in resume.certifications] == data["additional"]["certificationsTraining"]
    jsonschema.validate(to_json_resume(resume), _schema(shared_data))


def test_markdown_has_every_section_and_escapes_markup() -> None:
    resume = from_json_resume(
        {
            "basics": {
                "name": "Zoë *Star*",
                "email": "z@example.com",
                "summary": "Builds [things].",
            },
            "work": [
                {
                    "name": "Acme",
                    "position": "Engineer",
                    "startDate": "2020-03-01",
                    "highlights": ["Shipped v2"],
                }
            ],
            "education": [
                {"institution": "MIT", "studyType": "B.S.", "area": "Physics", "endDate": "2019"}
            ],
            "skills": [{"name": "Go"}],
            "projects": [{"name": "Tool", "description": "A tool", "url": "https://x.example"}],
            "certificates": [{"name": "CKA", "issuer": "CNCF", "date": "2021-05"}],
            "languages": [{"language": "French"}],
        }
    )
    md = to_markdown(resume)
    assert md.startswith("# Zoë \\*Star\\*\n")
    assert "Builds \\[things\\]." in md
    assert "### Engineer | Acme" in md and "Mar 2020 \u2013 Present" in md
    assert "- Shipped v2" in md
    assert "### B.S. in Physics | MIT" in md
    for heading in ("Skills", "Projects", "Certifications", "Languages"):
        assert f"## {heading}" in md
    assert "- CKA | CNCF | May 2021" in md


def test_display_period_forms() -> None:
    assert display_period("2019", "2021-12", False) == "2019 \u2013 Dec 2021"
    assert display_period("", "2021", False) == "2021"
    assert display_period("", "", True) == "Present"
