"""The ``atspro eval match`` harness, on the shared data when present."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from atspro.evaluation.match import (
    covered_keywords,
    is_pair,
    main,
    resume_from_matcher,
    same_role,
)

DATA = Path(__file__).resolve().parents[2].parent / "shared" / "data"


def test_pairing_follows_the_file_names() -> None:
    assert is_pair("alfred_pennyworth_pm.pdf", "job_desc_product_manager.pdf")
    assert not is_pair("alfred_pennyworth_pm.pdf", "product-manager.txt")
    assert is_pair("barry_allen_fe.pdf", "job_desc_front_end_engineer.pdf")
    assert not is_pair("harvey_dent_mle.pdf", "ml-eng.txt")
    assert same_role("barry_allen_fe.pdf", "frontend-eng.txt")
    assert not same_role("john_doe.pdf", "backend-eng.txt")


def test_resume_matcher_json_is_converted() -> None:
    resume = resume_from_matcher(
        {
            "personalInfo": {
                "name": "A B",
                "email": "a@b.c",
                "github": "github.com/ab",
                "website": None,
            },
            "summary": "S",
            "workExperience": [
                {"title": "T", "company": "C", "years": "Jan 2020 - Present", "description": ["x"]}
            ],
            "education": [
                {
                    "institution": "U",
                    "degree": "BSc",
                    "years": "2014 - 2018",
                    "description": "Honours",
                }
            ],
            "personalProjects": [{"name": "P", "description": ["Built it", "Shipped it."]}],
            "additional": {
                "technicalSkills": ["Go"],
                "languages": ["English"],
                "certificationsTraining": ["CKA"],
            },
        }
    )
    role = resume.work_experience[0]
    assert (role.start_date, role.end_date, role.is_current) == ("Jan 2020", "", True)
    assert resume.education[0].graduation_date == "2018"
    assert resume.projects[0].description == "Built it. Shipped it."
    assert [link.url for link in resume.contact_info.links] == ["github.com/ab"]
    assert resume.certifications[0].name == "CKA"
    assert covered_keywords(resume, ["Go", "Rust"], prose_only=False) == ["Go"]
    assert covered_keywords(resume, ["Go"], prose_only=True) == []


def test_missing_data_dir_fails(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    assert main([str(tmp_path)]) == 1
    assert "no Resume-Matcher data" in capsys.readouterr().out


def test_eval_on_shared_data_passes(capsys: pytest.CaptureFixture[str]) -> None:
    if not (DATA / "resumes" / "resume-matcher").is_dir():
        pytest.skip(f"shared data not found at {DATA}")
    code = main([str(DATA)])
    out = capsys.readouterr().out
    assert "pairing: 3/3 resumes" in out
    assert "monotonicity:" in out and "FAIL" not in out
    cases = json.loads((DATA / "tailoring" / "golden_cases.json").read_text(encoding="utf-8"))
    assert out.count("good tailoring accepted") == out.count("bad tailoring rejected") == len(cases)
    assert code == 0, out
