"""`atspro eval jobs [DIR]`: field extraction from job postings against hand-written truth.

Each posting in DIR has a ``<name>.truth.json`` beside it. The file's form picks the engine
entry point the task handler uses for that source:

- ``.html``/``.htm``: a fetched page (``parse_job_from_html``: JSON-LD, microdata, then text),
  fetched from the truth's optional ``page_url``;
- ``.txt``: pasted text (``parse_job_from_text``);
- ``.md`` and ``.pdf``: an uploaded document (``extract_document`` + ``parse_job_from_document``);
- ``.pdf.txt``: text laid out as a PDF with fpdf2 in the run, then read as an uploaded PDF.

Scalars (company, title, seniority, workplace, employment type, salary, link) are compared
exactly after normalisation; a truth value may be a list of accepted spellings. Skills and
locations are sets scored by precision, recall and F1; a truth entry ``"A|B"`` accepts either
spelling. Requirement precision is the share of extracted required skills that are in
``required_skills``, ``preferred_skills`` or ``acceptable_skills``; forbidden hits count
extracted skills that are a ``forbidden_skills`` term (EEO, legal, benefit, company or
product words; a term ending in ``*`` also forbids skills that contain it). Files named ``t-*`` form the tuning half, ``h-*`` the held-out half.
"""

from __future__ import annotations

import argparse
import json
import re
import sys
import unicodedata
from collections.abc import Iterable, Iterator, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from fpdf import FPDF

from atspro.errors import ATSProError
from atspro.extraction import ExtractionLimits, extract_document
from atspro.jobs.model import Job
from atspro.jobs.service import parse_job_from_document, parse_job_from_html, parse_job_from_text

DEFAULT_DIR = Path("tests/data/jobs_eval")
TRUTH_SUFFIX = ".truth.json"
PDF_SOURCE_SUFFIX = ".pdf.txt"
POSTING_SUFFIXES = (PDF_SOURCE_SUFFIX, ".html", ".htm", ".txt", ".md", ".pdf")
HALVES = {"t-": "tuning", "h-": "held-out"}
# Issue 18's target for requirement precision; forbidden terms among required skills: none.
REQUIREMENT_PRECISION_TARGET = 0.90

SCALAR_FIELDS = (
    "company",
    "title",
    "seniority",
    "workplace",
    "employment_type",
    "salary",
    "link",
)
SET_FIELDS = ("locations", "required_skills", "preferred_skills")
REQUIRED_KEYS = frozenset({*SCALAR_FIELDS, *SET_FIELDS, "acceptable_skills", "forbidden_skills"})
_PDF_HEADING = "## "
_LIMITS = ExtractionLimits()


class TruthError(ValueError):
    """A truth file that is not valid JSON or lacks a required key."""


@dataclass(slots=True)
class SetTally:
    """Precision counts predicted items that match; recall counts truth entries found."""

    predicted: int = 0
    predicted_right: int = 0
    expected: int = 0
    expected_found: int = 0

    @property
    def precision(self) -> float:
        """Share of predicted items that are right (1.0 when nothing was predicted)."""
        return self.predicted_right / self.predicted if self.predicted else 1.0

    @property
    def recall(self) -> float:
        """Share of truth entries found (1.0 when there were none)."""
        return self.expected_found / self.expected if self.expected else 1.0

    @property
    def f1(self) -> float:
        """Harmonic mean of precision and recall."""
        p, r = self.precision, self.recall
        return 2 * p * r / (p + r) if p + r else 0.0


@dataclass(slots=True)
class Report:
    """Figures over one half of the set (or all of it), and why files fell short."""

    name: str
    files: int = 0
    scalar_right: dict[str, int] = field(default_factory=lambda: dict.fromkeys(SCALAR_FIELDS, 0))
    sets: dict[str, SetTally] = field(default_factory=lambda: {f: SetTally() for f in SET_FIELDS})
    required_extracted: int = 0
    required_accepted: int = 0
    forbidden_required: int = 0
    forbidden_preferred: int = 0
    failures: list[str] = field(default_factory=list)

    def accuracy(self, name: str) -> float:
        """Share of files whose scalar field matches the truth."""
        return self.scalar_right[name] / self.files if self.files else 0.0

    @property
    def requirement_precision(self) -> float:
        """Share of extracted required skills a recruiter would accept."""
        return self.required_accepted / self.required_extracted if self.required_extracted else 1.0


def normalize_text(text: str) -> str:
    """Case, punctuation and spacing removed for comparison; '&' read as 'and'."""
    text = unicodedata.normalize("NFKC", text).casefold().replace("&", " and ")
    text = re.sub(r"[^\w\s+#]", " ", text)
    return " ".join(text.split())


def normalize_location(text: str) -> str:
    """A location without parenthesised notes ("(Hybrid)") or punctuation."""
    return normalize_text(re.sub(r"\([^)]*\)", " ", text))


def _alternatives(entry: str, normalize: Any = normalize_text) -> frozenset[str]:
    return frozenset(normalize(part) for part in entry.split("|")) - {""}


def _city(location: str) -> str:
    return normalize_location(location.split(",")[0])


def location_matches(predicted: str, entry: str) -> bool:
    """Equal after normalisation, or the same city (the part before the first comma)."""
    got = normalize_location(predicted)
    for alternative in entry.split("|"):
        if got == normalize_location(alternative) or (_city(predicted) == _city(alternative)):
            return bool(got)
    return False


def skill_matches(predicted: str, entry: str) -> bool:
    """Equal to one of the entry's spellings after normalisation."""
    return normalize_text(predicted) in _alternatives(entry)


def is_forbidden(skill: str, term: str) -> bool:
    """Whether ``skill`` is the forbidden ``term``; a term ending in ``*`` (a company or
    product name) also forbids every skill that holds it as whole words."""
    words = normalize_text(skill)
    if term.endswith("*"):
        needle = normalize_text(term[:-1])
        return bool(needle) and re.search(rf"(?<!\w){re.escape(needle)}(?!\w)", words) is not None
    return words in _alternatives(term)


def score_set(
    predicted: Sequence[str], truth: Sequence[str], match: Any
) -> tuple[SetTally, list[str], list[str]]:
    """Counts for one file's set field, with the extra and the missed items."""
    predicted = list(dict.fromkeys(predicted))
    extra = [p for p in predicted if not any(match(p, t) for t in truth)]
    missed = [t for t in truth if not any(match(p, t) for p in predicted)]
    tally = SetTally(
        predicted=len(predicted),
        predicted_right=len(predicted) - len(extra),
        expected=len(truth),
        expected_found=len(truth) - len(missed),
    )
    return tally, extra, missed


def read_truth(path: Path) -> dict[str, Any]:
    """A truth file, checked for the keys the harness reads."""
    try:
        data = json.loads(path.read_text(encoding="utf-8"))
    except (OSError, UnicodeDecodeError, json.JSONDecodeError) as exc:
        raise TruthError(f"{path.name}: not readable JSON ({exc})") from exc
    if not isinstance(data, dict):
        raise TruthError(f"{path.name}: not a JSON object")
    missing = sorted(REQUIRED_KEYS - data.keys())
    if missing:
        raise TruthError(f"{path.name}: missing keys {', '.join(missing)}")
    for key in (*SET_FIELDS, "acceptable_skills", "forbidden_skills"):
        if not isinstance(data[key], list) or not all(isinstance(v, str) for v in data[key]):
            raise TruthError(f"{path.name}: {key} must be a list of strings")
    return data


def _salary_key(value: Any) -> tuple[float | None, float | None, str, str]:
    salary = value or {}
    low, high = salary.get("min"), salary.get("max")
    return (
        None if low is None else float(low),
        None if high is None else float(high),
        str(salary.get("currency") or "").upper(),
        str(salary.get("period") or "").lower(),
    )


def _scalar(name: str, value: str) -> str:
    if name == "link":
        return value.strip().rstrip("/")
    if name == "workplace":
        value = "" if value == "unknown" else value
        return normalize_text(value).replace(" ", "_")
    return normalize_text(value)


def predicted_scalars(job: Job) -> dict[str, Any]:
    """The scored scalar fields of a parsed posting, normalised."""
    return {
        "company": _scalar("company", job.company),
        "title": _scalar("title", job.title),
        "seniority": _scalar("seniority", job.seniority),
        "workplace": _scalar("workplace", str(job.workplace_type.value)),
        "employment_type": _scalar("employment_type", job.employment_type),
        "salary": _salary_key(job.salary.model_dump()),
        "link": _scalar("link", job.link),
    }


def scalar_right(name: str, got: Any, want: Any) -> bool:
    """Whether a predicted scalar equals the truth value (or one of its listed spellings)."""
    if name == "salary":
        return bool(got == _salary_key(want))
    spellings = want if isinstance(want, list) else [want]
    return any(got == _scalar(name, str(s or "")) for s in spellings)


def text_pdf(text: str) -> bytes:
    """Letter pages of wrapped Helvetica text; lines starting with '## ' become bold headings."""
    pdf = FPDF(unit="pt", format="letter")
    pdf.set_margins(54, 54, 54)
    pdf.set_auto_page_break(True, margin=54)
    pdf.add_page()
    for line in text.splitlines():
        heading = line.startswith(_PDF_HEADING)
        pdf.set_font("Helvetica", "B" if heading else "", 12 if heading else 10)
        body = line.removeprefix(_PDF_HEADING) if heading else line
        if not body.strip():
            pdf.ln(8)
            continue
        pdf.multi_cell(0, 13, body, new_x="LMARGIN", new_y="NEXT")
    return bytes(pdf.output())


def parse_posting(path: Path, *, page_url: str = "") -> Job:
    """Parse one posting file through the engine entry point its form calls for.

    ``page_url`` is the address an HTML page would have been fetched from.
    """
    name = path.name.lower()
    if name.endswith(PDF_SOURCE_SUFFIX):
        data = text_pdf(path.read_text(encoding="utf-8"))
        return parse_job_from_document(extract_document(data, limits=_LIMITS, filename="a.pdf"))
    if name.endswith((".html", ".htm")):
        return parse_job_from_html(path.read_text(encoding="utf-8"), url=page_url)
    if name.endswith(".txt"):
        return parse_job_from_text(path.read_text(encoding="utf-8"))
    document = extract_document(path.read_bytes(), limits=_LIMITS, filename=path.name)
    return parse_job_from_document(document)


def posting_files(directory: Path) -> list[tuple[Path, Path]]:
    """(posting, truth) pairs in ``directory``, by name; postings without truth are skipped."""
    pairs: list[tuple[Path, Path]] = []
    for truth in sorted(directory.glob(f"*{TRUTH_SUFFIX}")):
        stem = truth.name.removesuffix(TRUTH_SUFFIX)
        for suffix in POSTING_SUFFIXES:
            posting = truth.with_name(stem + suffix)
            if posting.is_file():
                pairs.append((posting, truth))
                break
    return pairs


def half_of(name: str) -> str:
    """The half a file belongs to by its name's prefix ("other" when it has none)."""
    return next((half for prefix, half in HALVES.items() if name.startswith(prefix)), "other")


def score_posting(job: Job, truth: dict[str, Any], report: Report, name: str) -> None:
    """Add one posting's comparison to the report."""
    problems: list[str] = []
    report.files += 1
    scalars = predicted_scalars(job)
    for key in SCALAR_FIELDS:
        if scalar_right(key, scalars[key], truth[key]):
            report.scalar_right[key] += 1
        else:
            problems.append(f"{key}: got {scalars[key]!r}, want {truth[key]!r}")
    predicted_sets = {
        "locations": job.location,
        "required_skills": job.required_skills,
        "preferred_skills": job.preferred_skills,
    }
    for key in SET_FIELDS:
        match = location_matches if key == "locations" else skill_matches
        tally, extra, missed = score_set(predicted_sets[key], truth[key], match)
        total = report.sets[key]
        total.predicted += tally.predicted
        total.predicted_right += tally.predicted_right
        total.expected += tally.expected
        total.expected_found += tally.expected_found
        if extra or missed:
            problems.append(f"{key}: extra {extra}, missed {missed}")
    accepted = [*truth["required_skills"], *truth["preferred_skills"], *truth["acceptable_skills"]]
    required = list(dict.fromkeys(job.required_skills))
    rejected = [s for s in required if not any(skill_matches(s, a) for a in accepted)]
    report.required_extracted += len(required)
    report.required_accepted += len(required) - len(rejected)
    if rejected:
        problems.append(f"required skills a recruiter would reject: {rejected}")
    for key, skills in (("required", required), ("preferred", job.preferred_skills)):
        hits = [s for s in skills if any(is_forbidden(s, t) for t in truth["forbidden_skills"])]
        if key == "required":
            report.forbidden_required += len(hits)
        else:
            report.forbidden_preferred += len(hits)
        if hits:
            problems.append(f"FORBIDDEN among {key} skills: {hits}")
    if problems:
        report.failures.append(f"{name}: " + "; ".join(problems))


def evaluate(directory: Path) -> dict[str, Report]:
    """Parse and score every posting with truth in ``directory``: per half, then all.

    Raises TruthError when a truth file is invalid.
    """
    reports = {half: Report(half) for half in (*HALVES.values(), "other", "all")}
    for posting, truth_path in posting_files(directory):
        truth = read_truth(truth_path)
        try:
            job = parse_posting(posting, page_url=str(truth.get("page_url", "")))
        except ATSProError as exc:
            job = Job(description="")
            reports["all"].failures.append(f"{posting.name}: not parsed ({exc.message})")
        for half in (half_of(posting.name), "all"):
            score_posting(job, truth, reports[half], posting.name)
    return {name: report for name, report in reports.items() if report.files}


def format_reports(reports: dict[str, Report], *, failures: bool = True) -> Iterator[str]:
    """A table of figures per half, the target beside it, then the failing files."""
    names = list(reports)
    yield f"{'':<28}" + "".join(f"{n:>12}" for n in names)
    yield f"{'postings':<28}" + "".join(f"{reports[n].files:>12}" for n in names)
    for key in SCALAR_FIELDS:
        row = "".join(f"{reports[n].accuracy(key):>12.3f}" for n in names)
        yield f"{key + ' accuracy':<28}{row}"
    for key in SET_FIELDS:
        for measure in ("precision", "recall", "f1"):
            row = "".join(f"{getattr(reports[n].sets[key], measure):>12.3f}" for n in names)
            yield f"{key + ' ' + measure:<28}{row}"
    row = "".join(f"{reports[n].requirement_precision:>12.3f}" for n in names)
    yield f"{'requirement precision':<28}{row}   (target >= {REQUIREMENT_PRECISION_TARGET:.2f})"
    row = "".join(
        f"{f'{reports[n].required_accepted}/{reports[n].required_extracted}':>12}" for n in names
    )
    yield f"{'  accepted/extracted':<28}{row}"
    row = "".join(f"{reports[n].forbidden_required:>12}" for n in names)
    yield f"{'forbidden in required':<28}{row}   (target 0)"
    row = "".join(f"{reports[n].forbidden_preferred:>12}" for n in names)
    yield f"{'forbidden in preferred':<28}{row}"
    if failures and "all" in reports and reports["all"].failures:
        yield "failures:"
        yield from (f"  {line}" for line in reports["all"].failures)


def figures(reports: dict[str, Report]) -> dict[str, dict[str, Any]]:
    """The figures as plain data, for ``--json``."""
    return {
        name: {
            "postings": r.files,
            "accuracy": {k: r.accuracy(k) for k in SCALAR_FIELDS},
            "sets": {
                k: {"precision": t.precision, "recall": t.recall, "f1": t.f1}
                for k, t in r.sets.items()
            },
            "requirement_precision": r.requirement_precision,
            "forbidden_required": r.forbidden_required,
            "forbidden_preferred": r.forbidden_preferred,
        }
        for name, r in reports.items()
    }


def _print(lines: Iterable[str]) -> None:
    for line in lines:
        print(line)


def main(argv: list[str]) -> int:
    """CLI entry: print the figures; exit 2 when DIR is missing, empty or holds invalid truth."""
    parser = argparse.ArgumentParser(prog="atspro eval jobs", description=__doc__)
    parser.add_argument("directory", nargs="?", type=Path, default=DEFAULT_DIR)
    parser.add_argument("--json", action="store_true", help="print the figures as JSON")
    parser.add_argument("--quiet", action="store_true", help="leave out the per-file failures")
    args = parser.parse_args(argv)
    directory: Path = args.directory
    if not directory.is_dir():
        print(f"not a directory: {directory}", file=sys.stderr)
        return 2
    try:
        reports = evaluate(directory)
    except TruthError as exc:
        print(f"invalid truth: {exc}", file=sys.stderr)
        return 2
    if not reports:
        print(f"no postings with a {TRUTH_SUFFIX} in {directory}", file=sys.stderr)
        return 2
    if args.json:
        print(json.dumps(figures(reports), indent=2))
    else:
        _print(format_reports(reports, failures=not args.quiet))
    return 0


if __name__ == "__main__":  # pragma: no cover
    raise SystemExit(main(sys.argv[1:]))
