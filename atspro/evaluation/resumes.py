"""Quality harness for the offline resume parser: ``atspro eval resumes DIR``.

Parses every ``*.pdf`` under DIR. Where a ``*.truth.json`` sits beside it, scores
precision/recall/F1 per field (exact match after normalisation for name, email, phone
and location; unordered sets for titles, companies, dates, degrees, institutions and
skills) and macro-F1. Where a ``*.expected.json`` sits beside it, checks the experience
and education counts. Prints why each failing file fails.
"""

from __future__ import annotations

import argparse
import json
import re
import unicodedata
from collections.abc import Iterable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from atspro.errors import ATSProError
from atspro.extraction import ExtractionLimits, extract_document
from atspro.resume.model import Resume
from atspro.resume.parser import parse_resume_document
from atspro.resume.parser.dates import find_date_range

SCALAR_FIELDS = ("name", "email", "phone", "location")
SET_FIELDS = ("job titles", "companies", "dates", "degrees", "institutions", "skills")
FIELDS = SCALAR_FIELDS + SET_FIELDS


@dataclass(slots=True)
class Tally:
    """True positives, false positives and false negatives of one field."""

    tp: int = 0
    fp: int = 0
    fn: int = 0

    @property
    def precision(self) -> float:
        """Share of predicted values that are right (1.0 when nothing was predicted)."""
        return self.tp / (self.tp + self.fp) if self.tp + self.fp else 1.0

    @property
    def recall(self) -> float:
        """Share of true values that were found (1.0 when there were none)."""
        return self.tp / (self.tp + self.fn) if self.tp + self.fn else 1.0

    @property
    def f1(self) -> float:
        """Harmonic mean of precision and recall."""
        p, r = self.precision, self.recall
        return 2 * p * r / (p + r) if p + r else 0.0


@dataclass(slots=True)
class Report:
    """Scores over a folder, and the reasons files failed."""

    tallies: dict[str, Tally] = field(default_factory=lambda: {f: Tally() for f in FIELDS})
    failures: list[str] = field(default_factory=list)
    truth_files: int = 0
    count_files: int = 0
    counts_right: int = 0

    @property
    def macro_f1(self) -> float:
        """Mean F1 over the fields."""
        return sum(t.f1 for t in self.tallies.values()) / len(self.tallies)


def normalize_text(text: str) -> str:
    """Case, accents of form, punctuation and spacing removed for comparison."""
    text = unicodedata.normalize("NFKC", text).casefold().replace("&", " and ")
    text = re.sub(r"[^\w\s]", " ", text)
    return " ".join(text.split())


def normalize_phone(text: str) -> str:
    """Digits only, without a North American leading 1 or an international 00."""
    digits = re.sub(r"\D", "", text)
    digits = digits.removeprefix("00")
    return digits[-10:] if len(digits) >= 10 else digits


def normalize_degree(text: str) -> str:
    """A degree with its field, without connector words ("B.S. in CS" == "BS CS")."""
    return " ".join(
        w for w in normalize_text(text.replace(".", "")).split() if w not in {"in", "of", "and"}
    )


def normalize_dates(text: str) -> str:
    """A written date range as "start|end" in ISO form ("present" for current)."""
    found = find_date_range(text)
    if found is None:
        return ""
    return f"{found.start}|{found.end or ('present' if found.is_current else '')}"


def _job_dates(start: str, end: str, current: bool) -> str:
    return f"{start}|{end or ('present' if current else '')}" if start else ""


def predicted_values(resume: Resume) -> dict[str, Any]:
    """The evaluated fields of a parsed resume, normalised."""
    contact = resume.contact_info
    return {
        "name": normalize_text(contact.full_name),
        "email": contact.email.strip().lower(),
        "phone": normalize_phone(contact.phone),
        "location": normalize_text(contact.address),
        "job titles": {normalize_text(w.position) for w in resume.work_experience} - {""},
        "companies": {normalize_text(w.company) for w in resume.work_experience} - {""},
        "dates": {
            _job_dates(w.start_date, w.end_date, w.is_current) for w in resume.work_experience
        }
        - {""},
        "degrees": {
            normalize_degree(
                e.degree
                if not e.field_of_study or e.field_of_study in e.degree
                else f"{e.degree} {e.field_of_study}"
            )
            for e in resume.education
        }
        - {""},
        "institutions": {normalize_text(e.institution) for e in resume.education} - {""},
        "skills": {normalize_text(s) for s in resume.skills} - {""},
    }


def truth_values(truth: dict[str, Any]) -> dict[str, Any]:
    """The evaluated fields of a ``*.truth.json``, normalised the same way."""
    contact = truth.get("contact", {})
    experience = truth.get("experience", [])
    education = truth.get("education", [])
    return {
        "name": normalize_text(contact.get("full_name", "")),
        "email": contact.get("email", "").strip().lower(),
        "phone": normalize_phone(contact.get("phone", "")),
        "location": normalize_text(contact.get("location", "")),
        "job titles": {normalize_text(e.get("title", "")) for e in experience} - {""},
        "companies": {normalize_text(e.get("company", "")) for e in experience} - {""},
        "dates": {normalize_dates(e.get("dates", "")) for e in experience} - {""},
        "degrees": {normalize_degree(e.get("degree", "")) for e in education} - {""},
        "institutions": {normalize_text(e.get("institution", "")) for e in education} - {""},
        "skills": {normalize_text(s) for s in truth.get("skills", [])} - {""},
    }


def score_resume(
    predicted: dict[str, Any], truth: dict[str, Any], report: Report, name: str
) -> None:
    """Add one file's comparison to the report's tallies and failures."""
    problems: list[str] = []
    for key in SCALAR_FIELDS:
        got, want = predicted[key], truth[key]
        tally = report.tallies[key]
        if want and got == want:
            tally.tp += 1
            continue
        if got:
            tally.fp += 1
        if want:
            tally.fn += 1
        if got or want:
            problems.append(f"{key}: got {got!r}, want {want!r}")
    for key in SET_FIELDS:
        got_set, want_set = predicted[key], truth[key]
        tally = report.tallies[key]
        tally.tp += len(got_set & want_set)
        tally.fp += len(got_set - want_set)
        tally.fn += len(want_set - got_set)
        if got_set != want_set:
            extra = sorted(got_set - want_set)
            missed = sorted(want_set - got_set)
            problems.append(f"{key}: extra {extra}, missed {missed}")
    if problems:
        report.failures.append(f"{name}: " + "; ".join(problems))


def expected_counts(data: dict[str, Any]) -> tuple[int, int] | None:
    """(experience, education) counts from an OfflineCV or OpenResume expectation file."""
    cascade = data.get("cascade")
    if isinstance(cascade, dict) and "experienceCount" in cascade:
        return int(cascade["experienceCount"]), int(cascade.get("educationCount", 0))
    if "workExperiences" in data:
        return len(data["workExperiences"]), len(data.get("educations", []))
    return None


def parse_pdf(path: Path) -> Resume:
    """Extract and parse one file with the default limits."""
    doc = extract_document(path.read_bytes(), limits=ExtractionLimits(), filename=path.name)
    return parse_resume_document(doc)


def _sibling(pdf: Path, suffix: str) -> Path:
    return pdf.with_name(pdf.name.removesuffix(".pdf") + suffix)


def evaluate(directory: Path) -> Report:
    """Parse and score every labelled PDF under ``directory``."""
    report = Report()
    for pdf in sorted(directory.rglob("*.pdf")):
        truth_path = _sibling(pdf, ".truth.json")
        expected_path = _sibling(pdf, ".expected.json")
        if not truth_path.exists() and not expected_path.exists():
            continue
        name = str(pdf.relative_to(directory))
        try:
            resume = parse_pdf(pdf)
        except ATSProError as exc:
            report.failures.append(f"{name}: could not be read ({exc.message})")
            resume = Resume()
        if truth_path.exists():
            report.truth_files += 1
            truth = json.loads(truth_path.read_text(encoding="utf-8"))
            score_resume(predicted_values(resume), truth_values(truth), report, name)
        if expected_path.exists():
            counts = expected_counts(json.loads(expected_path.read_text(encoding="utf-8")))
            if counts is None:
                continue
            report.count_files += 1
            got = (len(resume.work_experience), len(resume.education))
            if got == counts:
                report.counts_right += 1
            else:
                report.failures.append(
                    f"{name}: counts (experience, education) got {got}, want {counts}"
                )
    return report


def format_report(report: Report) -> Iterable[str]:
    """Human-readable lines: per-field table, macro-F1, count share, failures."""
    yield f"labelled files: {report.truth_files}   count files: {report.count_files}"
    yield f"{'field':<14}{'precision':>10}{'recall':>10}{'F1':>8}"
    for key, tally in report.tallies.items():
        yield f"{key:<14}{tally.precision:>10.3f}{tally.recall:>10.3f}{tally.f1:>8.3f}"
    yield f"{'macro-F1':<14}{'':>20}{report.macro_f1:>8.3f}   (target >= 0.90)"
    share = report.counts_right / report.count_files if report.count_files else 0.0
    yield (
        f"experience+education counts right: {report.counts_right}/{report.count_files}"
        f" = {share:.1%}   (target >= 90%)"
    )
    if report.failures:
        yield "failures:"
        yield from (f"  {line}" for line in report.failures)


def main(argv: list[str]) -> int:
    """CLI entry: ``eval resumes DIR``; returns a process exit code."""
    parser = argparse.ArgumentParser(prog="atspro eval resumes")
    parser.add_argument("directory", type=Path)
    args = parser.parse_args(argv)
    directory: Path = args.directory
    if not directory.is_dir():
        print(f"not a directory: {directory}")
        return 2
    report = evaluate(directory)
    if not report.truth_files and not report.count_files:
        print(f"no labelled PDFs under {directory}")
        return 1
    for line in format_report(report):
        print(line)
    return 0
