"""The plain-text rendering of a resume with every section filled, built in the test."""

from __future__ import annotations

from atspro.render.text import resume_to_text
from atspro.resume.model import Resume
from tests.resume.test_export_selfmade import FULL


def test_every_section_in_typing_order() -> None:
    assert resume_to_text(FULL) == (
        "Quinn Builder\n"
        "quinn@example.org | +44 20 7946 0001 | Leeds, UK | github.com/quinn | https://quinn.example\n"
        "\n"
        "SUMMARY\nPlatform engineer.\n\n"
        "EXPERIENCE\n"
        "Staff Engineer | Northwind\n"
        "Apr 2021 \u2013 Present | Remote\n"
        "Owns the build system.\n"
        "- Cut CI time by half\n"
        "- Ran the Kafka migration\n"
        "\n"
        "Engineer | Globex\n"
        "2017 \u2013 2021\n"
        "\n"
        "EDUCATION\n"
        "BSc in Computer Science | University of Leeds\n"
        "Jun 2017 | GPA: 3.9\n"
        "Relevant coursework: Compilers, Databases\n"
        "\n"
        "SKILLS\nPython, Go\n\n"
        "PROJECTS\nkiln\nA build cache.\n\nnotes\n\n"
        "CERTIFICATIONS\n- CKA | CNCF\n- AWS SAA\n\n"
        "LANGUAGES\nEnglish, Welsh\n"
    )


def test_an_empty_resume_renders_as_one_empty_line() -> None:
    assert resume_to_text(Resume()) == "\n"
