"""The ``atspro eval resumes`` harness end to end, on labelled PDFs made in the test."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest

from atspro.evaluation.resumes import evaluate, format_report, main
from tests.evaluation.builders import Person, Role, School, resume_pdf

ADA = Person(
    name="Ada Stone",
    email="ada@example.org",
    phone="+1 (312) 555-0123",
    location="Chicago, IL",
    roles=(
        Role("Data Engineer", "Globex", "Jul 2021 - Present", ("Built Airflow pipelines",)),
        Role("Analyst", "Initech", "Jan 2018 - Jun 2021", ("Wrote SQL reports",)),
    ),
    schools=(School("B.S. in Mathematics", "University of Chicago", "2014 - 2018"),),
    skills=("Python", "SQL", "Airflow"),
)
BEN = Person(
    name="Ben Ortiz",
    email="ben@example.org",
    phone="312.555.0199",
    location="Madison, WI",
    roles=(Role("Backend Developer", "Umbrella", "2019 - 2023", ("Ran the Go services",)),),
    schools=(School("MSc Computer Science", "University of Wisconsin", "2017 - 2019"),),
    skills=("Go", "Kafka"),
)


def truth_of(person: Person) -> dict[str, Any]:
    """The ``*.truth.json`` a person would have, written by hand from their PDF."""
    return {
        "contact": {
            "full_name": person.name,
            "email": person.email,
            "phone": person.phone,
            "location": person.location,
        },
        "experience": [
            {"title": r.title, "company": r.company, "dates": r.dates} for r in person.roles
        ],
        "education": [{"degree": s.degree, "institution": s.institution} for s in person.schools],
        "skills": list(person.skills),
    }


def _write(folder: Path, stem: str, pdf: bytes, **labels: dict[str, Any]) -> None:
    folder.mkdir(parents=True, exist_ok=True)
    (folder / f"{stem}.pdf").write_bytes(pdf)
    for suffix, data in labels.items():
        (folder / f"{stem}.{suffix}.json").write_text(json.dumps(data), encoding="utf-8")


@pytest.fixture(scope="module")
def labelled(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """Two truth-labelled resumes in sub-folders, count labels in both formats, noise."""
    root = tmp_path_factory.mktemp("labelled")
    _write(
        root / "word",
        "ada",
        resume_pdf(ADA),
        truth=truth_of(ADA),
        expected={"cascade": {"experienceCount": 2, "educationCount": 1}},
    )
    _write(
        root / "latex",
        "ben",
        resume_pdf(BEN),
        truth=truth_of(BEN),
        # OpenResume's format; the count is deliberately wrong to show the failure line.
        expected={"workExperiences": [{}, {}], "educations": [{}]},
    )
    # Counts in an unknown shape are ignored; unlabelled PDFs are not parsed at all.
    _write(root, "odd", resume_pdf(BEN), expected={"profile": {}})
    _write(root, "unlabelled", b"%PDF-1.4 never read")
    return root


def test_evaluate_scores_every_field_of_the_labelled_files(labelled: Path) -> None:
    report = evaluate(labelled)
    assert (report.truth_files, report.count_files, report.counts_right) == (2, 2, 1)
    for key in ("name", "email", "phone", "location", "job titles", "companies", "dates"):
        tally = report.tallies[key]
        assert (tally.precision, tally.recall) == (1.0, 1.0), (key, tally, report.failures)
    assert report.tallies["dates"].tp == 3
    assert report.tallies["degrees"].tp == 2 and report.tallies["institutions"].tp == 2
    assert report.tallies["skills"].tp == 5
    assert report.macro_f1 == 1.0
    assert report.failures == [
        "latex/ben.pdf: counts (experience, education) got (1, 1), want (2, 1)"
    ]


def test_report_lines_and_cli(labelled: Path, capsys: pytest.CaptureFixture[str]) -> None:
    lines = list(format_report(evaluate(labelled)))
    assert lines[0] == "labelled files: 2   count files: 2"
    assert lines[2].split() == ["name", "1.000", "1.000", "1.000"]
    assert any(line.startswith("macro-F1") and "1.000" in line for line in lines)
    assert "experience+education counts right: 1/2 = 50.0%   (target >= 90%)" in lines
    assert lines[-2:] == [
        "failures:",
        "  latex/ben.pdf: counts (experience, education) got (1, 1), want (2, 1)",
    ]
    assert main([str(labelled)]) == 0
    assert capsys.readouterr().out.splitlines() == lines


def test_wrong_fields_show_in_the_failures(tmp_path: Path) -> None:
    truth = truth_of(ADA)
    truth["contact"]["email"] = "someone@else.org"
    truth["experience"][0]["company"] = "Hooli"
    _write(tmp_path, "ada", resume_pdf(ADA), truth=truth)
    # A file that cannot be read counts as an empty resume and says why.
    _write(tmp_path, "broken", b"%PDF-1.4 not really", truth=truth_of(BEN))
    report = evaluate(tmp_path)
    email, companies = report.tallies["email"], report.tallies["companies"]
    assert (email.tp, email.fp, email.fn) == (0, 1, 2)
    assert (companies.tp, companies.fp, companies.fn) == (1, 1, 2)
    assert report.macro_f1 < 1.0
    failure, unread, empty = report.failures
    assert unread.startswith("broken.pdf: could not be read (")
    assert empty.startswith("broken.pdf: name: got '', want 'ben ortiz'")
    assert report.tallies["name"].fn == 1
    assert failure.startswith("ada.pdf: email: got 'ada@example.org', want 'someone@else.org'")
    assert "companies: extra ['globex'], missed ['hooli']" in failure
