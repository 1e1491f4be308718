"""Job titles: normalisation, similarity and seniority."""

from __future__ import annotations

import re
from functools import lru_cache

from rapidfuzz import fuzz

SENIORITY = ("intern", "junior", "mid", "senior", "lead", "principal", "executive")
_SENIORITY_WORDS = {
    "intern": "intern",
    "internship": "intern",
    "trainee": "intern",
    "apprentice": "intern",
    "junior": "junior",
    "jr": "junior",
    "entry": "junior",
    "graduate": "junior",
    "associate": "junior",
    "i": "junior",
    "ii": "mid",
    "mid": "mid",
    "intermediate": "mid",
    "senior": "senior",
    "sr": "senior",
    "iii": "senior",
    "experienced": "senior",
    "lead": "lead",
    "staff": "lead",
    "iv": "lead",
    "principal": "principal",
    "architect": "principal",
    "distinguished": "principal",
    "head": "executive",
    "director": "executive",
    "vp": "executive",
    "chief": "executive",
    "cto": "executive",
    "ceo": "executive",
}
# Role words that say the same thing; folded so "Front-End Developer" ~ "Frontend Engineer".
_REWRITES: tuple[tuple[re.Pattern[str], str], ...] = (
    # "(5+ Years of Experience)", also when a line break cut the closing parenthesis.
    (re.compile(r"\(([^)]*\byears?\b[^)]*)(?:\)|$)"), " "),
    (re.compile(r"\bjob description\b|\bjob title\b"), " "),
    (re.compile(r"\bfront[\s-]?end\b"), "frontend"),
    (re.compile(r"\bback[\s-]?end\b"), "backend"),
    (re.compile(r"\bfull[\s-]?stack\b"), "fullstack"),
    (re.compile(r"\bsoftware development engineer\b|\bswe\b|\bsde\b"), "software engineer"),
    (re.compile(r"\b(developer|programmer|dev)\b"), "engineer"),
    (re.compile(r"\bmgr\b"), "manager"),
    (re.compile(r"\bml\b"), "machine learning"),
    (re.compile(r"\bai\b"), "artificial intelligence"),
)
_DROP = frozenset(
    {
        "senior",
        "sr",
        "junior",
        "jr",
        "lead",
        "staff",
        "principal",
        "i",
        "ii",
        "iii",
        "iv",
        "intern",
        "mid",
        "level",
        "the",
        "a",
        "an",
        "of",
        "and",
        "for",
        "at",
        "with",
        "in",
    }
)


@lru_cache(maxsize=4096)
def normalize_title(title: str) -> str:
    """Fold a job title to comparable words (no seniority words, role synonyms unified)."""
    text = title.lower()
    for pattern, repl in _REWRITES:
        text = pattern.sub(repl, text)
    words = re.findall(r"[a-z0-9+#]+", text)
    return " ".join(word for word in words if word not in _DROP)


@lru_cache(maxsize=16384)
def title_similarity(a: str, b: str) -> float:
    """Similarity 0-100 of two titles: word overlap (Dice) after normalisation.

    Words match when nearly equal (plurals, typos). Whole-string fuzzy ratios rate
    "frontend engineer" close to "fullstack engineer" on shared letters, so words it is.
    """
    left, right = normalize_title(a).split(), normalize_title(b).split()
    if not left or not right:
        return 0.0
    unused = list(right)
    matched = 0
    for word in left:
        for index, other in enumerate(unused):
            if word == other or fuzz.ratio(word, other) >= 85:
                matched += 1
                del unused[index]
                break
    return 200.0 * matched / (len(left) + len(right))


def title_seniority(title: str) -> str:
    """The seniority a title states ("" when it states none)."""
    best = ""
    for word in re.findall(r"[a-z]+", title.lower()):
        level = _SENIORITY_WORDS.get(word, "")
        if level and (not best or SENIORITY.index(level) > SENIORITY.index(best)):
            best = level
    return best


def seniority_rank(level: str) -> int:
    """Ordinal of a seniority level; unknown counts as mid."""
    return SENIORITY.index(level) if level in SENIORITY else SENIORITY.index("mid")


def seniority_from_years(years: float) -> str:
    """The seniority years of experience usually buy."""
    if years < 1:
        return "intern"
    if years < 3:
        return "junior"
    if years < 5:
        return "mid"
    if years < 8:
        return "senior"
    return "lead"


_HIRING = re.compile(
    r"\b(?:hiring|looking for|seeking|searching for|recruiting|need)\s+(?:an?|the|our)\s+"
    r"((?:[A-Z][\w+#/&.-]*\s+){0,5}[A-Z][\w+#/&.-]*)"
)


def posting_title(title: str, description: str) -> str:
    """The job title; taken from "we are hiring a X" when the parsed title reads like a sentence."""
    sentence_like = len(title.split()) > 7 or any(mark in title for mark in ";:!?")
    if title.strip() and not sentence_like:
        return title.strip()
    if match := _HIRING.search(description):
        return match.group(1).strip()
    return "" if sentence_like else title.strip()
