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


# Role families: (family, role, pattern over a normalised title). The first match wins, so
# specific roles come before the generic role of their family, and every generic role
# ("...manager", "operations") comes after all specific ones.
_ROLES: tuple[tuple[str, str, str], ...] = (
    ("data", "ml engineer", r"machine learning|artificial intelligence engineer|mlops"),
    ("data", "data engineer", r"data engineer|analytics engineer|etl engineer|data platform"),
    ("data", "data scientist", r"data scientist|research scientist|statistician"),
    (
        "data",
        "data analyst",
        r"data analyst|business intelligence|bi (?:analyst|engineer)|analytics (?:analyst|lead)|"
        r"reporting (?:analyst|specialist)|insights analyst",
    ),
    ("software", "engineering manager", r"engineering manager|head of engineering|cto"),
    ("software", "frontend", r"frontend|ui engineer|web engineer"),
    ("software", "fullstack", r"fullstack|\b(?:mern|mean|lamp) stack"),
    ("software", "backend", r"backend|api engineer|server engineer"),
    (
        "software",
        "platform",
        r"platform engineer|infrastructure engineer|site reliability|\bsre\b|devops|"
        r"cloud engineer|systems engineer",
    ),
    ("software", "mobile", r"mobile|\bios\b|android"),
    ("software", "qa", r"\bqa\b|test engineer|quality assurance|sdet|automation engineer"),
    (
        "software",
        "software engineer",
        r"software|(?:java|python|golang|go|ruby|net|c\+\+|c#|php|node|nodejs|javascript|"
        r"typescript|scala|rust|application|applications) engineer",
    ),
    ("product", "product manager", r"product manager|product lead|head of product|product owner"),
    ("product", "program manager", r"program manager|technical program"),
    (
        "product",
        "project manager",
        r"project manager|project coordinator|scrum master|delivery manager",
    ),
    ("product", "business analyst", r"business analyst|business systems analyst"),
    (
        "design",
        "ux designer",
        r"\bux\b|user experience|interaction designer|product designer|(?:ux|user) researcher",
    ),
    (
        "design",
        "visual designer",
        r"\bui designer|visual designer|graphic designer|brand designer|motion designer|"
        r"art director|illustrator",
    ),
    (
        "sales",
        "sales development",
        r"sales development|business development representative|\bsdr\b|\bbdr\b",
    ),
    ("sales", "account manager", r"account manager|key account|customer success"),
    (
        "sales",
        "account executive",
        r"account executive|sales executive|sales representative|sales rep\b|inside sales|"
        r"outside sales|sales associate|sales consultant|territory",
    ),
    ("sales", "sales manager", r"sales manager|head of sales|sales director|business development"),
    ("nursing", "nurse practitioner", r"nurse practitioner|\bnp\b"),
    ("nursing", "practical nurse", r"practical nurse|vocational nurse|\blpn\b|\blvn\b"),
    (
        "nursing",
        "care assistant",
        r"nursing assistant|\bcna\b|patient care tech|medical assistant|caregiver|care assistant",
    ),
    (
        "nursing",
        "registered nurse",
        r"registered nurse|staff nurse|charge nurse|clinical nurse|\brn\b|icu nurse|er nurse",
    ),
    (
        "finance",
        "financial analyst",
        r"financial analyst|fp a|finance analyst|investment analyst|credit analyst",
    ),
    (
        "finance",
        "accountant",
        r"accountant|accounting|bookkeep|auditor|accounts (?:payable|receivable)|payroll",
    ),
    ("finance", "finance manager", r"controller|finance manager|treasur|cfo|head of finance"),
    ("marketing", "content", r"content|copywriter|social media|communications|public relations"),
    (
        "marketing",
        "marketing manager",
        r"marketing|growth marketer|growth manager|\bseo\b|\bsem\b|brand manager",
    ),
    ("people", "recruiter", r"recruit|talent acquisition|sourcer"),
    ("people", "hr", r"human resources|\bhr\b|people operations|people partner|hrbp"),
    (
        "admin",
        "administrator",
        r"administrative|office manager|office administrator|receptionist|executive assistant",
    ),
    (
        "operations",
        "logistics",
        r"logistics|supply chain|warehouse|distribution|fulfil+ment|inventory|procurement|"
        r"purchasing|buyer",
    ),
    (
        "operations",
        "operations coordinator",
        r"operations (?:coordinator|analyst|specialist|associate)|shift supervisor|dispatcher",
    ),
    (
        "operations",
        "operations manager",
        r"operations manager|operations director|head of operations|\bcoo\b|general manager|"
        r"plant manager",
    ),
    # Generic roles of a family.
    ("software", "engineer", r"engineer"),
    ("design", "designer", r"design"),
    ("sales", "sales", r"sales"),
    ("nursing", "nurse", r"nurse|nursing"),
    ("finance", "finance", r"financ"),
    ("operations", "operations", r"operations"),
    ("people", "hr", r"people"),
)
_ROLE_PATTERNS = tuple(
    (family, role, re.compile(rf"(?:{pattern})")) for family, role, pattern in _ROLES
)
# Roles of one family that do nearly the same work.
_CLOSE_ROLES = frozenset(
    frozenset(pair)
    for pair in (
        ("backend", "platform"),
        ("backend", "fullstack"),
        ("frontend", "fullstack"),
        ("platform", "engineering manager"),
        ("backend", "engineering manager"),
        ("product manager", "program manager"),
        ("program manager", "project manager"),
        ("data analyst", "data scientist"),
        ("data scientist", "ml engineer"),
        ("data engineer", "ml engineer"),
        ("data engineer", "data analyst"),
        ("account executive", "account manager"),
        ("account executive", "sales manager"),
        ("registered nurse", "nurse practitioner"),
        ("financial analyst", "finance manager"),
        ("accountant", "finance manager"),
        ("logistics", "operations manager"),
        ("hr", "recruiter"),
    )
)
# Families whose people often move between them.
_RELATED_FAMILIES = frozenset(
    frozenset(pair)
    for pair in (
        ("software", "data"),
        ("product", "design"),
        ("product", "data"),
        ("sales", "marketing"),
        ("finance", "data"),
        ("operations", "product"),
        ("people", "admin"),
        ("operations", "admin"),
    )
)
_GENERIC = frozenset({"software engineer", "engineer", "designer", "sales", "nurse", "finance"})
_SENIORITY_STEP = {0: 1.0, 1: 0.92, 2: 0.8}


@lru_cache(maxsize=4096)
def title_role(title: str) -> tuple[str, str]:
    """(family, role) a title belongs to, or ("", "") when the table does not know it."""
    text = normalize_title(title)
    for family, role, pattern in _ROLE_PATTERNS:
        if pattern.search(text):
            return family, role
    return "", ""


def _word_overlap(a: str, b: str) -> float:
    """Word overlap (Dice) of two normalised titles; words match when nearly equal."""
    left, right = a.split(), b.split()
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


def _function_similarity(a: str, b: str) -> float:
    left, right = normalize_title(a), normalize_title(b)
    if not left or not right:
        return 0.0
    overlap = _word_overlap(left, right)
    (family_a, role_a), (family_b, role_b) = title_role(a), title_role(b)
    if not family_a or not family_b:
        return overlap
    if family_a != family_b:
        # Shared words across families mislead ("Product Designer" vs "Product Manager").
        related = frozenset((family_a, family_b)) in _RELATED_FAMILIES
        return 35.0 if related else min(overlap, 15.0)
    if role_a == role_b:
        return max(overlap, 100.0 if left == right or role_a not in _GENERIC else 90.0)
    if role_a in _GENERIC or role_b in _GENERIC:
        return max(overlap, 85.0)
    return max(overlap, 80.0 if frozenset((role_a, role_b)) in _CLOSE_ROLES else 60.0)


@lru_cache(maxsize=16384)
def title_similarity(a: str, b: str) -> float:
    """Similarity 0-100 of two titles by role family, then seniority when both state one.

    Same role 100 ("Backend Developer" ~ "Back-End Engineer"), a family's generic role 85-90
    ("Software Engineer" ~ "Backend Engineer"), close roles 80, other roles of the family 60,
    related families 35, unrelated families at most 15. Titles the family table does not
    know fall back to word overlap; whole-string fuzzy ratios rate "frontend engineer" close
    to "fullstack engineer" on shared letters, so words it is.
    """
    similarity = _function_similarity(a, b)
    stated_a, stated_b = title_seniority(a), title_seniority(b)
    if stated_a and stated_b:
        gap = abs(seniority_rank(stated_a) - seniority_rank(stated_b))
        similarity *= _SENIORITY_STEP.get(gap, 0.7)
    return similarity


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
