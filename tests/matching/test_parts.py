"""The building blocks: dates, degrees, titles, requirements and phrases."""

from __future__ import annotations

from datetime import date

import pytest

from atspro.jobs.model import Job, Salary
from atspro.matching.degrees import asked_level, degree_level
from atspro.matching.experience import merged_years, parse_month, role_interval
from atspro.matching.phrases import find_stems_near, iter_phrases, snippet_around, stem_words
from atspro.matching.requirements import (
    certification_requirements,
    education_asked,
    skill_requirements,
    years_asked,
)
from atspro.matching.titles import normalize_title, title_seniority, title_similarity


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("2021-03", 2021 * 12 + 2),
        ("03/2021", 2021 * 12 + 2),
        ("Mar. 2021", 2021 * 12 + 2),
        ("septembre 2019", 2019 * 12 + 8),
        ("2019", 2019 * 12),
        ("Present", None),
        ("13/2021", 2021 * 12),
    ],
)
def test_parse_month(text: str, expected: int | None) -> None:
    assert parse_month(text) == expected


def test_role_interval_current_and_bad_ranges() -> None:
    today = date(2024, 1, 15)
    assert role_interval("2023-01", "", is_current=True, today=today) == (2023 * 12, 2024 * 12)
    assert role_interval("2023-01", "Present", is_current=False, today=today) == (
        2023 * 12,
        2024 * 12,
    )
    assert role_interval("2022-01", "2021-01", is_current=False, today=today) is None
    assert role_interval("", "2021-01", is_current=False, today=today) is None
    assert role_interval("2023-01", "2030-01", is_current=False, today=today) == (
        2023 * 12,
        2024 * 12,
    )
    assert role_interval("2020-01", "someday", is_current=False, today=today) is None


def test_merged_years_counts_overlaps_once() -> None:
    assert merged_years([(0, 24), (12, 36), (48, 60)]) == 4.0
    assert merged_years([]) == 0.0


@pytest.mark.parametrize(
    ("degree", "level"),
    [
        ("Ph.D. in Physics", "phd"),
        ("MBA", "master"),
        ("M.Sc. Data Science", "master"),
        ("B.Tech, Computer Science", "bachelor"),
        ("Bachelor of Arts", "bachelor"),
        ("Associate of Applied Science", "associate"),
        ("High School Diploma", "high_school"),
        ("Degree in Design", "bachelor"),
        ("Bootcamp", "none"),
    ],
)
def test_degree_level(degree: str, level: str) -> None:
    assert degree_level(degree) == level


def test_asked_level_takes_the_lowest_accepted() -> None:
    assert asked_level("BS/MS degree in Computer Science") == "bachelor"
    assert asked_level("Bachelor's degree (MBA preferred)") == "bachelor"
    assert asked_level("PhD in Machine Learning") == "phd"
    assert asked_level("no formal requirement") == ""


def test_titles_fold_synonyms_and_seniority() -> None:
    assert normalize_title("Sr. Front-End Developer (5 Years of Experience)") == "frontend engineer"
    assert title_similarity("Frontend Engineer", "Front End Developer") == 100
    assert title_similarity("Software Engineer (Front-End)", "Frontend Engineer") >= 70
    assert title_similarity("Product Manager", "Software Engineer") == 0
    assert title_similarity("", "Engineer") == 0
    assert title_seniority("Senior Staff Engineer") == "lead"
    assert title_seniority("Engineer") == ""


def test_requirement_groups_and_preferences() -> None:
    job = Job(
        description="x",
        qualifications=[
            "Experience with React, Vue, or Angular",
            "Server-side languages such as Python, Ruby and Java",
            "Docker and Kubernetes",
            "Terraform is a plus",
        ],
    )
    found = {r.label: r for r in skill_requirements(job)}
    assert "React / Vue / Angular" in found
    assert "Python / Ruby / Java" in found
    assert {"Docker", "Kubernetes"} <= set(found)
    assert found["Docker"].required and not found["Terraform"].required


def test_prose_postings_mark_required_and_preferred_sentences() -> None:
    job = Job(description="Experience with Docker is required. GraphQL experience is a plus.")
    found = {r.label: r.required for r in skill_requirements(job)}
    assert found == {"Docker": True, "GraphQL": False}


def test_years_education_and_certifications_asked() -> None:
    job = Job(
        title="Data Engineer",
        description="We want 3-5 years of experience. AWS Certified Solutions Architect preferred. PMP a plus.",
        qualifications=["Degree in CS or a related field"],
        salary=Salary(),
    )
    assert years_asked(job) == 3
    assert years_asked(Job(description="x", years_experience_min=2)) == 2
    assert years_asked(Job(description="no numbers")) is None
    level, flexible, field = education_asked(job)
    assert (level, field) == ("bachelor", "CS")
    assert not flexible
    labels = {r.label for r in certification_requirements(job)}
    assert {"AWS Certified Solutions Architect", "PMP"} <= labels


def test_phrases_keep_tech_names_and_stop_at_punctuation() -> None:
    texts = {p.text for p in iter_phrases("Used C++, Node.js and CI/CD daily")}
    assert {"C++", "Node.js", "CI/CD", "CI", "CD", "Node.js and CI/CD"} <= texts
    assert "C++, Node.js" not in texts


def test_stems_find_reworded_keywords_and_snippets_are_short() -> None:
    words = stem_words("Cleaned and modeled the survey data weekly")
    assert find_stems_near(("data", "model"), words) is not None
    assert find_stems_near(("data", "warehous"), words) is None
    assert find_stems_near((), words) is None
    long = "word " * 100 + "Python" + " word" * 100
    start = long.index("Python")
    cut = snippet_around(long, start, start + 6)
    assert "Python" in cut and len(cut) < 160 and cut.startswith("…") and cut.endswith("…")
