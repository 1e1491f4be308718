"""Reference renders for people to look at: sample documents as PDF pages in PNG, plus the
HTML and DOCX files, written into a folder.

Samples: a one-page resume (Letter), a longer one (Letter and A4), one with accents and other
scripts, and a research report. Nothing is committed from here: run it and open the folder.

Run: .venv/bin/python scripts/render_samples.py OUT_DIR [--dpi 110]
"""

from __future__ import annotations

import argparse
from pathlib import Path

import pypdfium2 as pdfium

from atspro.render.formats import render_document
from atspro.render.pdf import Paper
from atspro.resume.model import ContactInfo, Education, Link, Project, Resume, WorkExperience
from atspro.tailoring.markdown import render_markdown

_BULLETS = (
    "Cut p99 checkout latency from 480 ms to 120 ms by moving order writes to Kafka and "
    "batching PostgreSQL commits",
    "Led the migration of 40 services from EC2 to Kubernetes (EKS) with Terraform and "
    "GitHub Actions pipelines, with no customer-visible downtime",
    "Built the Redis-backed rate limiter now guarding every public API (2M requests a day)",
    "Mentored four engineers; two were promoted to senior within eighteen months",
    "Wrote the on-call runbooks and cut the pager load by half",
    "Designed the event schema registry used by nine teams",
)


def sample_resume(roles: int, name: str = "Jordan Avery") -> Resume:
    """A backend engineer with ``roles`` jobs (3 fits one page, 8 runs onto two)."""
    companies = ("Northwind Traders", "Contoso", "Fabrikam", "Tailspin Toys", "Litware")
    return Resume(
        contact_info=ContactInfo(
            full_name=name,
            email="jordan.avery@example.com",
            phone="+1 555 010 0199",
            address="Portland, OR",
            links=[Link(name="GitHub", url="https://github.com/javery")],
        ),
        summary=(
            "Backend engineer with nine years building Python and Go services on PostgreSQL, "
            "Redis and Kafka, shipped with Docker and Kubernetes on AWS. Known for calm "
            "migrations and fast, boring systems."
        ),
        work_experience=[
            WorkExperience(
                company=companies[i % len(companies)],
                position=("Senior Software Engineer", "Software Engineer", "Backend Engineer")[
                    min(i, 2)
                ],
                start_date=f"Mar {2021 - 2 * i}",
                end_date=f"Feb {2023 - 2 * i}",
                is_current=i == 0,
                location="Remote" if i == 0 else "Portland, OR",
                responsibilities=list(_BULLETS[: 4 if i < 2 else 3]),
            )
            for i in range(roles)
        ],
        projects=[
            Project(
                name="pgqueue",
                url="https://github.com/javery/pgqueue",
                description="A job queue on PostgreSQL SKIP LOCKED; 1.2k stars.",
            )
        ],
        education=[
            Education(
                institution="Oregon State University",
                degree="BS",
                field_of_study="Computer Science",
                graduation_date="Jun 2015",
            )
        ],
        skills=[
            "Python",
            "Go",
            "PostgreSQL",
            "Redis",
            "Kafka",
            "Docker",
            "Kubernetes",
            "AWS",
            "Terraform",
            "GitHub Actions",
        ],
        languages=["English (native)", "Spanish (professional)"],
    )


RESEARCH = """# Northwind Traders: Senior Backend Engineer research

## Company overview

- Northwind Traders sells specialty foods to 3,000 independent grocers in North America.
- Offices in Portland and Toronto; about 400 people.

## Questions to ask

1. How is the order pipeline split between the Kafka consumers and the batch jobs?
2. What does on-call look like for the platform team?

## Red flags

- None found in the posting.
"""


def samples() -> dict[str, tuple[str, Paper]]:
    """Name to (Markdown, paper)."""
    return {
        "resume-one-page": (render_markdown(sample_resume(3)), "letter"),
        "resume-long-letter": (render_markdown(sample_resume(8)), "letter"),
        "resume-long-a4": (render_markdown(sample_resume(8)), "a4"),
        "resume-unicode": (render_markdown(sample_resume(2, "Zoë Łukasz-Ødegård 王小明")), "a4"),
        "research": (RESEARCH, "letter"),
    }


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("out", type=Path, help="folder to write into (created)")
    parser.add_argument("--dpi", type=float, default=110.0)
    args = parser.parse_args()
    out: Path = args.out
    out.mkdir(parents=True, exist_ok=True)
    for name, (markdown, paper) in samples().items():
        data = render_document(markdown, "pdf", name, paper=paper)
        (out / f"{name}.pdf").write_bytes(data)
        (out / f"{name}.html").write_bytes(render_document(markdown, "html", name))
        (out / f"{name}.docx").write_bytes(render_document(markdown, "docx", name))
        pdf = pdfium.PdfDocument(data)
        try:
            for number, page in enumerate(pdf, 1):
                image = page.render(scale=args.dpi / 72).to_pil()
                image.save(out / f"{name}-p{number}.png", optimize=True)
            print(f"{name}: {len(pdf)} page(s), {paper}")
        finally:
            pdf.close()


if __name__ == "__main__":
    main()
