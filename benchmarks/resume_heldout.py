"""Held-out evaluation of the offline resume parser on synthetic resumes nobody has seen.

Generates N resumes (default 60) with a fixed seed: Faker people in twelve locales, written
in varied styles (one/two columns, sidebars, a date rail, heading words and cases, date
formats incl. non-US, title/company in either order, bullets or prose) as PDF (fpdf2), DOCX
(python-docx), HTML, Markdown and text. Each is parsed back through extract_document and
parse_resume_document and scored with the quality harness's own scoring.

Run: .venv/bin/python benchmarks/resume_heldout.py [--count 60] [--seed 7] [--failures]
     [--dump DIR]   (writes each file and its truth.json for inspection)
"""

# ruff: noqa: E402 - the path is set before the imports it serves.

from __future__ import annotations

import sys
from pathlib import Path

# The generator lives in _heldout/; it replaces this folder on the path so that no other
# script here (a "platform.py") can shadow a standard-library module.
sys.path[0] = str(Path(__file__).resolve().parent / "_heldout")

import argparse
import json
import random
from collections import Counter

from heldout_layout import compose, draw_style
from heldout_people import make_person, truth_of
from heldout_render import RENDERERS

from atspro.errors import ATSProError
from atspro.evaluation.resumes import (
    FIELDS,
    Report,
    normalize_dates,
    predicted_values,
    score_resume,
    truth_values,
)
from atspro.extraction import ExtractionLimits, extract_document
from atspro.resume.model import Resume
from atspro.resume.parser import parse_resume_document

FORMATS = ("pdf", "pdf", "pdf", "docx", "docx", "html", "md", "txt")
TARGETS = {"name": 0.97, "email": 0.97, "phone": 0.97}
MACRO_TARGET = 0.90


def _check_truth(truth: dict[str, object]) -> None:
    """The truth's dates must read back as written, or the scoring itself is wrong."""
    for job in truth["experience"]:  # type: ignore[attr-defined]
        start, end = job["dates"].split(" - ")
        if normalize_dates(job["dates"]) != f"{start}|{end}":
            raise AssertionError(f"truth date does not normalise: {job['dates']!r}")


def run(count: int, seed: int, dump: Path | None) -> tuple[Report, dict[str, Report]]:
    """Generate, parse and score ``count`` resumes; the overall report and one per format."""
    rng = random.Random(seed)
    overall = Report()
    per_format: dict[str, Report] = {}
    for i in range(count):
        person = make_person(rng.randrange(10**9))
        fmt = rng.choice(FORMATS)
        style = draw_style(rng, fmt, person)
        data = RENDERERS[fmt](compose(person, style), style, rng)
        truth = truth_of(person)
        _check_truth(truth)
        name = f"{i:03d}-{person.locale}-{style.layout}-{style.header_shape}.{fmt}"
        if dump is not None:
            dump.mkdir(parents=True, exist_ok=True)
            (dump / name).write_bytes(data)
            (dump / f"{name}.truth.json").write_text(
                json.dumps(truth, ensure_ascii=False, indent=1)
            )
        try:
            doc = extract_document(data, limits=ExtractionLimits(), filename=name)
            resume = parse_resume_document(doc)
        except ATSProError as exc:
            overall.failures.append(f"{name}: could not be read ({exc.message})")
            resume = Resume()
        predicted, wanted = predicted_values(resume), truth_values(truth)
        score_resume(predicted, wanted, overall, name)
        score_resume(predicted, wanted, per_format.setdefault(fmt, Report()), name)
        overall.truth_files += 1
        per_format[fmt].truth_files += 1
    return overall, per_format


def main(argv: list[str]) -> int:
    """Print per-field precision/recall/F1 and macro-F1 with their targets."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0] if __doc__ else "")
    parser.add_argument("--count", type=int, default=60)
    parser.add_argument("--seed", type=int, default=7)
    parser.add_argument("--failures", action="store_true", help="print why each file failed")
    parser.add_argument("--dump", type=Path, default=None)
    args = parser.parse_args(argv)
    report, per_format = run(args.count, args.seed, args.dump)
    formats = Counter({fmt: r.truth_files for fmt, r in per_format.items()})
    print(f"held-out synthetic resumes: {report.truth_files} (seed {args.seed}) {dict(formats)}")
    print(f"{'field':<14}{'precision':>10}{'recall':>10}{'F1':>8}   target")
    for key in FIELDS:
        tally = report.tallies[key]
        target = f">= {TARGETS[key]:.2f}" if key in TARGETS else ""
        print(f"{key:<14}{tally.precision:>10.3f}{tally.recall:>10.3f}{tally.f1:>8.3f}   {target}")
    print(f"{'macro-F1':<14}{'':>20}{report.macro_f1:>8.3f}   >= {MACRO_TARGET:.2f}")
    print(
        "macro-F1 by format: " + ", ".join(f"{f} {r.macro_f1:.3f}" for f, r in per_format.items())
    )
    if args.failures:
        print("failures:")
        for line in report.failures:
            print(f"  {line}")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
