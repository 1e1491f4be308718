"""The parser on the shared, hand-labelled resume PDFs (measured, never copied into code)."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from atspro.evaluation.resumes import expected_counts, normalize_phone, normalize_text
from atspro.resume.parser import parse_resume_document
from tests.resume.conftest import read_document
from tests.shared_data import shared_files

TRUTH = shared_files("resumes/**/*.truth.json")


@pytest.mark.parametrize("truth_path", TRUTH, ids=lambda p: p.name.removesuffix(".truth.json"))
def test_contact_and_roles_match_hand_labels(shared_data: Path, truth_path: Path) -> None:
    truth = json.loads(truth_path.read_text(encoding="utf-8"))
    pdf = truth_path.with_name(truth_path.name.replace(".truth.json", ".pdf"))
    resume = parse_resume_document(read_document(pdf))
    contact = truth["contact"]
    assert normalize_text(resume.contact_info.full_name) == normalize_text(contact["full_name"])
    assert resume.contact_info.email == contact["email"]
    assert normalize_phone(resume.contact_info.phone) == normalize_phone(contact["phone"])
    assert len(resume.work_experience) == len(truth["experience"])
    assert {normalize_text(w.position) for w in resume.work_experience} == {
        normalize_text(e["title"]) for e in truth["experience"]
    }


def test_openresume_sample_matches_its_source_data(shared_data: Path) -> None:
    folder = shared_data / "resumes" / "open-resume"
    data = json.loads((folder / "openresume-resume.expected.json").read_text(encoding="utf-8"))
    resume = parse_resume_document(read_document(folder / "openresume-resume.pdf"))
    profile = data["profile"]
    assert resume.contact_info.full_name == profile["name"]
    assert resume.contact_info.email == profile["email"]
    assert resume.contact_info.address == profile["location"]
    assert (len(resume.work_experience), len(resume.education)) == expected_counts(data)
    assert [w.company for w in resume.work_experience] == [
        w["company"] for w in data["workExperiences"]
    ]
    assert resume.education[0].gpa == data["educations"][0]["gpa"]


def test_most_offlinecv_counts_are_right(shared_data: Path) -> None:
    files = sorted((shared_data / "resumes" / "offlinecv").rglob("*.expected.json"))
    right = 0
    for path in files:
        counts = expected_counts(json.loads(path.read_text(encoding="utf-8")))
        pdf = path.with_name(path.name.replace(".expected.json", ".pdf"))
        resume = parse_resume_document(read_document(pdf))
        right += (len(resume.work_experience), len(resume.education)) == counts
    # The target is 90 %; this guards against regressions below the current level.
    assert right / len(files) >= 0.75
