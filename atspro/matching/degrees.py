"""Degree levels: what a resume holds and what a posting asks for."""

from __future__ import annotations

import re

LEVELS = ("none", "high_school", "associate", "bachelor", "master", "phd")
LEVEL_NAMES = {
    "high_school": "high school diploma",
    "associate": "associate degree",
    "bachelor": "bachelor's degree",
    "master": "master's degree",
    "phd": "doctorate (PhD)",
}
_PATTERNS: tuple[tuple[str, re.Pattern[str]], ...] = (
    ("phd", re.compile(r"\b(ph\.?\s?d|doctorate|doctoral|doctor of|d\.?phil|dr\.?\s?rer)\b", re.I)),
    (
        "master",
        re.compile(
            r"\b(master'?s?|mba|m\.?\s?sc|m\.?\s?eng|m\.?\s?tech|m\.?\s?phil|m\.?\s?s\.?|m\.?\s?a\.|"
            r"ma|mse|meng|msc|graduate degree|postgraduate)\b",
            re.I,
        ),
    ),
    (
        "bachelor",
        re.compile(
            r"\b(bachelor'?s?|b\.?\s?sc|b\.?\s?eng|b\.?\s?tech|b\.?\s?s\.?|b\.?\s?a\.|ba|bs|bse|"
            r"beng|bsc|btech|licence|licenciatura|undergraduate degree|college degree|"
            r"university degree|4-year degree)\b",
            re.I,
        ),
    ),
    (
        "associate",
        re.compile(r"\b(associate'?s? degree|associate of|a\.?\s?a\.?\s?s\.?|aas)\b", re.I),
    ),
    (
        "high_school",
        re.compile(r"\b(high school|secondary school|ged|a-levels?|baccalaureate)\b", re.I),
    ),
)
# "Degree in Computer Science" without a level usually means a bachelor's.
_BARE_DEGREE = re.compile(r"\bdegree\b", re.I)


def level_rank(level: str) -> int:
    """The ordinal of a level name (0 for unknown or none)."""
    return LEVELS.index(level) if level in LEVELS else 0


def degree_level(text: str) -> str:
    """The highest degree level named in a resume's degree text ("none" if unclear)."""
    for level, pattern in _PATTERNS:
        if pattern.search(text):
            return level
    return "bachelor" if _BARE_DEGREE.search(text) else "none"


def asked_level(text: str) -> str:
    """The lowest degree level a posting's text accepts ("BS/MS" -> bachelor), or ""."""
    found = [level for level, pattern in _PATTERNS if pattern.search(text)]
    if not found:
        return "bachelor" if _BARE_DEGREE.search(text) else ""
    return min(found, key=level_rank)
