"""The ``atspro eval match`` harness end to end, on a Resume-Matcher-like folder made here."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest

from atspro.evaluation.match import (
    Outcome,
    load_jobs,
    load_resumes,
    main,
    report_same_role,
)
from tests.evaluation.builders import Person, Role, School, job_pdf, resume_pdf

PM = Person(
    name="Alma Planner",
    email="alma@example.org",
    phone="(555) 010-1000",
    location="Austin, TX",
    summary="Product manager who ships B2B analytics with roadmaps and customer discovery.",
    roles=(
        Role(
            "Senior Product Manager",
            "Northwind Analytics",
            "Jan 2020 - Present",
            (
                "Owned the product roadmap and backlog for a SaaS analytics suite",
                "Ran A/B testing with Amplitude and SQL to set quarterly OKRs",
            ),
        ),
        Role(
            "Product Manager",
            "Globex",
            "Jun 2016 - Dec 2019",
            ("Wrote PRDs and ran stakeholder management across sales and engineering",),
        ),
    ),
    schools=(School("MBA", "University of Texas", "2014 - 2016"),),
    skills=("Product Roadmap", "Agile", "SQL", "Amplitude", "Jira", "Stakeholder Management"),
)
FE = Person(
    name="Bo Pixel",
    email="bo@example.org",
    phone="(555) 010-2000",
    location="Denver, CO",
    summary="Front-end engineer building accessible web apps in React and TypeScript.",
    roles=(
        Role(
            "Front End Engineer",
            "Initech",
            "Mar 2019 - Present",
            (
                "Built React and TypeScript components used across the web app",
                "Wrote Jest tests and cut bundle size with Webpack",
            ),
        ),
    ),
    schools=(School("BSc Computer Science", "Colorado State University", "2015 - 2019"),),
    skills=("JavaScript", "TypeScript", "React", "CSS", "HTML", "Jest", "Webpack"),
)
PM_JOB = [
    "Senior Product Manager",
    "4+ years | Northwind Labs | Remote",
    "Responsibilities:",
    "- Own the product roadmap and prioritise the backlog",
    "- Run customer discovery and A/B testing",
    "Requirements:",
    "- 4+ years of product management experience",
    "- Experience with SQL, Amplitude and Jira",
    "- Excellent stakeholder management skills",
]
FE_JOB = [
    "Front End Engineer",
    "3+ years | Pixel Works | Denver, CO",
    "Responsibilities:",
    "- Build user interfaces in React and TypeScript",
    "Requirements:",
    "- 3+ years of experience with JavaScript, TypeScript and React",
    "- Strong CSS and HTML skills",
    "- Experience with Jest, Webpack and GraphQL",
]
PM_TEXT = """Product Manager, Growth

Requirements:
- 3+ years of product management experience
- Experience with SQL, Mixpanel and Looker
- Agile delivery with Jira
"""
BACKEND_TEXT = """Backend Engineer

Requirements:
- 5+ years of experience with Java, Spring Boot and Kubernetes
- Experience with PostgreSQL and Kafka
"""
ORIGINAL: dict[str, Any] = {
    "personalInfo": {"name": "Cal Lead", "email": "cal@example.org", "location": "Austin, TX"},
    "summary": "Engineer who builds services.",
    "workExperience": [
        {
            "title": "Software Engineer",
            "company": "Acme",
            "years": "Jan 2020 - Present",
            "description": ["Built payment services in Python", "Ran the on-call rota"],
        }
    ],
    "education": [{"institution": "MIT", "degree": "BSc Computer Science", "years": "2015 - 2019"}],
    "additional": {"technicalSkills": ["Python", "Docker", "PostgreSQL"]},
}
GOLDEN = {
    "name": "backend",
    "original": ORIGINAL,
    "job_description": (
        "Backend Engineer\n\nRequirements:\n- 3+ years of experience with Python and PostgreSQL\n"
        "- Experience with Docker\n"
    ),
    "jd_keywords": ["Python", "PostgreSQL", "Docker"],
    "tailored_good": {
        **ORIGINAL,
        "summary": "Backend engineer who builds Python services on PostgreSQL and Docker.",
    },
    "tailored_bad": {
        **ORIGINAL,
        "personalInfo": {"name": "Someone Else", "email": "x@example.org"},
        "workExperience": [
            *ORIGINAL["workExperience"],
            {"title": "CTO", "company": "Google", "years": "2010 - 2019", "description": ["Led"]},
        ],
    },
}


@pytest.fixture(scope="module")
def data_dir(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """``resumes/resume-matcher``, ``jobs/resume-matcher`` and ``tailoring`` as the data has."""
    root = tmp_path_factory.mktemp("match-data")
    resumes = root / "resumes" / "resume-matcher"
    jobs = root / "jobs" / "resume-matcher"
    resumes.mkdir(parents=True)
    jobs.mkdir(parents=True)
    (resumes / "alma_planner_pm.pdf").write_bytes(resume_pdf(PM))
    (resumes / "bo_pixel_fe.pdf").write_bytes(resume_pdf(FE))
    (resumes / "notes.json").write_text("{}", encoding="utf-8")
    (jobs / "job_desc_product_manager.pdf").write_bytes(job_pdf(PM_JOB))
    (jobs / "job_desc_front_end_engineer.pdf").write_bytes(job_pdf(FE_JOB))
    (jobs / "product-manager.txt").write_text(PM_TEXT, encoding="utf-8")
    (jobs / "backend-eng.txt").write_text(BACKEND_TEXT, encoding="utf-8")
    (jobs / "README.md").write_text("not a job", encoding="utf-8")
    (root / "tailoring").mkdir()
    (root / "tailoring" / "golden_cases.json").write_text(json.dumps([GOLDEN]), encoding="utf-8")
    return root


def test_loaders_parse_pdfs_and_text_and_skip_the_rest(data_dir: Path) -> None:
    resumes = load_resumes(data_dir / "resumes" / "resume-matcher")
    assert list(resumes) == ["alma_planner_pm.pdf", "bo_pixel_fe.pdf"]
    assert resumes["alma_planner_pm.pdf"].contact_info.full_name == "Alma Planner"
    assert [w.company for w in resumes["bo_pixel_fe.pdf"].work_experience] == ["Initech"]
    jobs = load_jobs(data_dir / "jobs" / "resume-matcher")
    assert sorted(jobs) == [
        "backend-eng.txt",
        "job_desc_front_end_engineer.pdf",
        "job_desc_product_manager.pdf",
        "product-manager.txt",
    ]
    assert jobs["job_desc_front_end_engineer.pdf"].title == "Front End Engineer"
    required = {s.lower() for s in jobs["backend-eng.txt"].required_skills}
    assert {"java", "kubernetes"} <= required


def test_harness_passes_on_a_well_paired_folder(
    data_dir: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    code = main([str(data_dir)])
    out = capsys.readouterr().out
    assert "pairing: 2/2 resumes rank every paired job above every unpaired one" in out
    assert "  ok   alma_planner_pm.pdf: paired min" in out
    # product-manager.txt is the PM's role but not its pair: reported, never checked.
    assert "info alma_planner_pm.pdf: same-role product-manager.txt" in out
    assert "monotonicity: " in out and "additions of a missing required skill" in out
    assert "backend: good tailoring accepted" in out
    assert "backend: bad tailoring rejected" in out
    assert "backend: expected keywords in summary+experience: " in out
    assert out.rstrip().endswith("PASSED: 0 failing checks"), out
    assert code == 0


def test_harness_fails_without_golden_cases(
    data_dir: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    for part in ("resumes", "jobs"):
        (tmp_path / part).symlink_to(data_dir / part, target_is_directory=True)
    assert main([str(tmp_path)]) == 1
    out = capsys.readouterr().out
    assert f"FAIL missing {tmp_path / 'tailoring' / 'golden_cases.json'}" in out
    assert "FAILED: 1 failing checks" in out


def test_harness_reports_unreadable_data(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    folder = tmp_path / "resumes" / "resume-matcher"
    folder.mkdir(parents=True)
    (folder / "broken_pm.pdf").write_bytes(b"%PDF-1.4 not really")
    assert main([str(tmp_path)]) == 1
    assert "could not parse the data: " in capsys.readouterr().out


def test_same_role_report_says_when_a_posting_does_not_rank_first() -> None:
    out = Outcome()
    scores = {
        "a_fe.pdf": {
            "frontend-eng.txt": 40,
            "backend-eng.txt": 55,
            "job_desc_front_end_engineer.pdf": 90,
        },
        "b_mle.pdf": {"ml-eng.txt": 70},
    }
    report_same_role(scores, out)
    assert out.lines == [
        "  info a_fe.pdf: same-role frontend-eng.txt 40 NOT above other-role max 55 (backend-eng.txt)"
    ]
