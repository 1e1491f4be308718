"""The resume quality harness: scoring rules and the CLI over real labelled files."""

from __future__ import annotations

import json
import shutil
from pathlib import Path

import pytest

from atspro.evaluation.resumes import (
    Report,
    Tally,
    expected_counts,
    main,
    normalize_dates,
    normalize_degree,
    normalize_phone,
    predicted_values,
    score_resume,
    truth_values,
)
from atspro.resume.model import ContactInfo, Education, Resume, WorkExperience
from tests.shared_data import shared_file


def test_normalisers() -> None:
    assert normalize_phone("+1 (312) 555-0123") == normalize_phone("312.555.0123") == "3125550123"
    assert normalize_degree("B.S. in Computer Science") == normalize_degree("BS Computer Science")
    assert normalize_dates("Jul 2021 - Present") == "2021-07|present"
    assert normalize_dates("2016 \u2013 2020") == "2016|2020"
    assert normalize_dates("n/a") == ""


def test_tally_scores_and_empty_cases() -> None:
    assert Tally(tp=3, fp=1, fn=2).precision == 0.75
    assert Tally(tp=3, fp=1, fn=2).recall == 0.6
    assert Tally().f1 == 1.0
    assert Tally(fp=1, fn=1).f1 == 0.0


def test_score_resume_counts_sets_and_scalars() -> None:
    truth = truth_values(
        {
            "contact": {
                "full_name": "Ada Lovelace",
                "email": "ada@x.org",
                "phone": "555 0100",
                "location": "",
            },
            "experience": [
                {"title": "Engineer", "company": "Acme", "dates": "2019 - 2021"},
                {"title": "Analyst", "company": "Globex"},
            ],
            "education": [{"degree": "B.S. in Math", "institution": "MIT"}],
            "skills": ["Go"],
        }
    )
    resume = Resume(
        contact_info=ContactInfo(full_name="ADA LOVELACE", email="other@x.org", address="Paris"),
        work_experience=[
            WorkExperience(position="Engineer", company="Acme", start_date="2019", end_date="2021")
        ],
        education=[Education(institution="MIT", degree="BS", field_of_study="Math")],
        skills=["Go", "Rust"],
    )
    report = Report()
    score_resume(predicted_values(resume), truth, report, "case")
    t = report.tallies
    assert (t["name"].tp, t["email"].fp, t["email"].fn) == (1, 1, 1)
    assert (t["phone"].fn, t["location"].fp) == (1, 1)
    assert (t["job titles"].tp, t["job titles"].fn) == (1, 1)
    assert (t["dates"].tp, t["degrees"].tp, t["institutions"].tp) == (1, 1, 1)
    assert (t["skills"].tp, t["skills"].fp) == (1, 1)
    assert report.failures and report.failures[0].startswith("case: ")


def test_expected_counts_reads_both_formats() -> None:
    assert expected_counts({"cascade": {"experienceCount": 3, "educationCount": 1}}) == (3, 1)
    assert expected_counts({"workExperiences": [{}, {}], "educations": [{}]}) == (2, 1)
    assert expected_counts({"other": 1}) is None


def test_cli_prints_scores_and_failures(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    folder = shared_file("resumes/offlinecv/unknown")
    for stem in ("mid-dot-header", "single-word-name-mononym"):
        for suffix in (".pdf", ".truth.json", ".expected.json"):
            shutil.copy(folder / f"{stem}{suffix}", tmp_path / f"{stem}{suffix}")
    # A file the harness cannot read is reported, not fatal.
    (tmp_path / "broken.pdf").write_bytes(b"%PDF-1.4 not really")
    (tmp_path / "broken.expected.json").write_text(json.dumps({"cascade": {"experienceCount": 1}}))
    assert main([str(tmp_path)]) == 0
    out = capsys.readouterr().out
    assert "labelled files: 2   count files: 3" in out
    assert "macro-F1" in out and "counts right: 2/3" in out
    assert "broken.pdf: could not be read" in out
    name_line = next(line for line in out.splitlines() if line.startswith("name "))
    assert name_line.split()[-1] == "1.000"


def test_cli_rejects_missing_or_empty_folders(tmp_path: Path) -> None:
    assert main([str(tmp_path / "nope")]) == 2
    assert main([str(tmp_path)]) == 1
