"""The ``atspro eval match`` harness, on the shared data when present."""

from __future__ import annotations

import json
from datetime import date
from pathlib import Path

import pytest

from atspro.evaluation.match import (
    LevelScore,
    Outcome,
    check_golden,
    check_levels,
    check_monotonic,
    check_pairing,
    covered_keywords,
    is_pair,
    main,
    resume_from_matcher,
    same_role,
)
from tests.shared_data import DATA


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
    assert out.count("rank-1: a strong resume tops") == 2
    assert "fit levels, held-out (finance, marketing, nursing):" in out
    assert "monotonicity:" in out and "FAIL" not in out
    cases = json.loads((DATA / "tailoring" / "golden_cases.json").read_text(encoding="utf-8"))
    assert out.count("good tailoring accepted") == out.count("bad tailoring rejected") == len(cases)
    assert code == 0, out


def test_pairing_check_reports_a_rival() -> None:
    out = Outcome()
    scores = {
        "a_pm.pdf": {"job_desc_product_manager.pdf": 50, "job_desc_java_developer.pdf": 60},
        "b_fe.pdf": {"job_desc_front_end_engineer.pdf": 70, "job_desc_java_developer.pdf": 40},
        "c_mle.pdf": {"job_desc_java_developer.pdf": 10},
    }
    check_pairing(scores, out)
    assert out.failures == ["a_pm.pdf: paired min 50 <= job_desc_java_developer.pdf 60"]
    assert out.lines[-1] == "pairing: 1/2 resumes rank every paired job above every unpaired one"


def test_monotonic_check_needs_something_to_try() -> None:
    out = Outcome()
    check_monotonic({}, {}, date(2025, 1, 1), out)
    assert out.failures == ["monotonicity: no missing required skills to try"]


def test_golden_check_fails_when_the_checker_is_fooled(tmp_path: Path) -> None:
    case = {
        "name": "same",
        "original": {"personalInfo": {"name": "A"}, "summary": "Python developer."},
        "job_description": "Python developer at X",
        "jd_keywords": ["Python"],
        "tailored_good": {"personalInfo": {"name": "B"}, "summary": "Python developer."},
        "tailored_bad": {"personalInfo": {"name": "A"}, "summary": "Python developer."},
    }
    path = tmp_path / "golden.json"
    path.write_text(json.dumps([case]), encoding="utf-8")
    out = Outcome()
    check_golden(path, date(2025, 1, 1), out)
    assert any("rejects the good tailoring" in f for f in out.failures)
    assert any("accepts the bad tailoring" in f for f in out.failures)
    assert any("no more expected keywords" in f for f in out.failures)


def test_level_check_fails_on_overlap_and_missed_targets() -> None:
    out = Outcome()
    rows = [
        LevelScore("a", "strong", 80),
        LevelScore("a", "strong", 70),
        LevelScore("a", "partial", 72),
        LevelScore("a", "poor", 40),
    ]
    check_levels(rows, "tuning", out)
    assert out.failures == [
        "tuning: a: levels not ordered",
        "tuning: 1 strong fits under 75",
        "tuning: 1 poor fits over 35",
    ]
    assert "  rank-1: a strong resume tops 1/1 postings" in out.lines
    assert (
        "  AUC within postings: strong>partial 0.500, partial>poor 1.000, strong>poor 1.000"
        in out.lines
    )
