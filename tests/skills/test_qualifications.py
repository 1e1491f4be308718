"""match_qualifications on sentences written for these tests."""

from __future__ import annotations

import pytest

from atspro.skills.qualifications import match_qualifications
from atspro.skills.tokens import tokenize


def qualifications(text: str) -> list[str]:
    tokens = tokenize(text)
    return [text[tokens[a].start : tokens[b].end] for a, b in match_qualifications(tokens)]


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("A full clean driving licence is essential.", ["full clean driving licence"]),
        ("You hold a valid CSCS card.", ["valid CSCS card"]),
        ("Educated to degree level.", ["degree"]),
        ("A relevant degree or equivalent.", ["degree"]),
        ("MSc or PhD in Applied Mathematics.", ["MSc", "PhD in Applied Mathematics"]),
        (
            "Degree / HND / HNC in Mechanical Engineering",
            ["Degree / HND / HNC in Mechanical Engineering"],
        ),
        ("NVQ Level 2 and a food hygiene certificate", ["NVQ Level 2", "food hygiene certificate"]),
        ("NVQ 3 in Carpentry", ["NVQ 3 in Carpentry"]),
        ("Certified in first aid.", ["Certified in first aid"]),
        (
            "Professional accountancy qualifications preferred.",
            ["Professional accountancy qualifications"],
        ),
    ],
)
def test_credentials(text: str, expected: list[str]) -> None:
    assert qualifications(text) == expected


@pytest.mark.parametrize(
    "text",
    [
        "Please bring your card.",  # a bare card is no credential
        "Email ma or ms at the office.",  # lower-case words, not awards
        "Qualified in",  # nothing after "in"
        "We are a registered charity.",
    ],
)
def test_not_credentials(text: str) -> None:
    assert qualifications(text) == []
