"""Offline resume parsing performance: CPU time per parse, a 50-page PDF, memory over many parses.

Run: .venv/bin/python benchmarks/resume_parse.py [--parses 1000]
Each figure is printed with its target beside it.
"""

from __future__ import annotations

import argparse
import gc
import statistics
import sys
import time
from pathlib import Path

import psutil

from atspro.extraction import ExtractionLimits, extract_document
from atspro.render.pdf import markdown_to_pdf
from atspro.resume.export import to_markdown
from atspro.resume.model import ContactInfo, Education, Resume, WorkExperience
from atspro.resume.parser import parse_resume_document

SHARED = Path(__file__).resolve().parents[1].parent / "shared" / "data" / "resumes"
LIMITS = ExtractionLimits()


def parse_bytes(data: bytes) -> Resume:
    """Extraction plus parsing, the whole offline path."""
    return parse_resume_document(extract_document(data, limits=LIMITS, filename="resume.pdf"))


def cpu_ms(data: bytes) -> float:
    """CPU time of one parse in milliseconds."""
    start = time.process_time()
    parse_bytes(data)
    return (time.process_time() - start) * 1000


def short_pdfs() -> list[bytes]:
    """The shared 1-2 page resume PDFs."""
    files = []
    for path in sorted(SHARED.rglob("*.pdf")):
        data = path.read_bytes()
        if extract_document(data, limits=LIMITS, filename=path.name).page_count <= 2:
            files.append(data)
    return files


def long_pdf(pages: int = 50) -> bytes:
    """A generated resume PDF of exactly ``pages`` pages (within the 50-page cap)."""
    jobs = 10
    while True:
        resume = Resume(
            contact_info=ContactInfo(full_name="Bench Mark", email="bench@example.com"),
            work_experience=[
                WorkExperience(
                    company=f"Company {i} Inc",
                    position="Senior Software Engineer",
                    start_date=f"{1980 + i % 40}-0{1 + i % 9}",
                    end_date=f"{1981 + i % 40}-0{1 + i % 9}",
                    responsibilities=[
                        f"Delivered project {i}.{j} across several teams" for j in range(6)
                    ],
                )
                for i in range(jobs)
            ],
            education=[
                Education(institution="State University", degree="BS", graduation_date="1979")
            ],
        )
        data = markdown_to_pdf(to_markdown(resume))
        count = extract_document(
            data, limits=ExtractionLimits(max_pages=500), filename="x.pdf"
        ).page_count
        if count >= pages:
            return data if count == pages else _trim(resume, jobs, pages)
        jobs = int(jobs * pages / max(count, 1)) + 1


def _trim(resume: Resume, jobs: int, pages: int) -> bytes:
    while jobs > 1:
        jobs -= 1
        data = markdown_to_pdf(
            to_markdown(
                resume.model_copy(update={"work_experience": resume.work_experience[:jobs]})
            )
        )
        if (
            extract_document(
                data, limits=ExtractionLimits(max_pages=500), filename="x.pdf"
            ).page_count
            <= pages
        ):
            return data
    raise RuntimeError("could not size the long PDF")


def rss_mb() -> float:
    """Resident memory of this process in MiB."""
    return float(psutil.Process().memory_info().rss) / (1024 * 1024)


def main(argv: list[str]) -> int:
    """Print the figures with their targets."""
    parser = argparse.ArgumentParser()
    parser.add_argument("--parses", type=int, default=1000)
    args = parser.parse_args(argv)
    if not SHARED.is_dir():
        print(f"shared data not found at {SHARED}")
        return 1
    files = short_pdfs()
    for data in files:  # warm caches and lazy imports
        parse_bytes(data)
    times = sorted(cpu_ms(data) for _ in range(3) for data in files)
    p50 = statistics.median(times)
    p95 = times[int(0.95 * (len(times) - 1))]
    print(
        f"1-2 page PDFs ({len(files)} files x 3): CPU p50 {p50:.1f} ms (target <= 100 ms), p95 {p95:.1f} ms"
    )

    big = long_pdf()
    big_ms = min(cpu_ms(big) for _ in range(2))
    print(f"50-page generated PDF: CPU {big_ms / 1000:.2f} s (target <= 3 s)")

    gc.collect()
    after_100 = 0.0
    for i in range(args.parses):
        parse_bytes(files[i % len(files)])
        if i + 1 == 100:
            gc.collect()
            after_100 = rss_mb()
    gc.collect()
    after_all = rss_mb()
    growth = (after_all - after_100) / after_100 * 100
    print(
        f"RSS after 100 parses {after_100:.1f} MiB, after {args.parses} {after_all:.1f} MiB: "
        f"{growth:+.1f}% (target: flat, within 10%)"
    )
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
