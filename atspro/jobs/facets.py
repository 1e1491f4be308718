"""Normalised facets of a posting: employment type, seniority, workplace, years, education, dates."""

from __future__ import annotations

import datetime as dt
import re

from atspro.jobs.model import WorkplaceType

_EMPLOYMENT = (
    (
        "internship",
        r"\b(?:internship|intern|werkstudent(?:in)?|working student|co-?op|trainee(?:ship)?|apprenticeship)\b",
    ),
    ("part_time", r"\bpart[- ]?time\b|\bteilzeit\b"),
    (
        "contract",
        r"\b(?:contract(?:or)?|freelance(?:r)?|fixed[- ]term|contract[- ]to[- ]hire|1099|c2c)\b",
    ),
    ("temporary", r"\b(?:temporary|temp|seasonal|interim)\b"),
    ("full_time", r"\bfull[- ]?time\b|\bpermanent\b|\bvollzeit\b|\bfte\b|\bfulltime\b"),
)
_SCHEMA_EMPLOYMENT = {
    "FULL_TIME": "full_time", "FULLTIME": "full_time", "PART_TIME": "part_time", "PARTTIME": "part_time",
    "CONTRACTOR": "contract", "CONTRACT": "contract", "TEMPORARY": "temporary", "INTERN": "internship",
    "INTERNSHIP": "internship", "PER_DIEM": "temporary", "VOLUNTEER": "", "OTHER": "",
}  # fmt: skip
_SENIORITY_TITLE = (
    ("intern", r"\b(?:intern|internship|werkstudent|working student|trainee|apprentice)\b"),
    ("executive", r"\b(?:chief|c[etoif]o|vp|vice president|head of|director|svp|evp|president)\b"),
    ("principal", r"\b(?:principal|distinguished|fellow|architect)\b"),
    ("lead", r"\b(?:lead|staff|team lead|tech lead|engineering manager|group manager)\b"),
    ("senior", r"\b(?:senior|sr\.?|snr|experienced|expert)\b|\biii\b|\biv\b"),
    ("junior", r"\b(?:junior|jr\.?|entry[- ]level|graduate|grad|associate|new grad)\b|\bi\b"),
    ("mid", r"\b(?:mid[- ]?level|mid|intermediate|ii)\b"),
)
_SENIORITY_TEXT = (
    ("intern", r"\binternship\b"),
    ("junior", r"\bentry[- ]level\b|\bjunior\b|\bnew grad(?:uate)?s?\b|\brecent graduates?\b"),
    ("mid", r"\bmid[- ]level\b|\bmid[- ]senior\b|\bintermediate\b"),
    ("senior", r"\bsenior[- ]level\b"),
)
_REMOTE = re.compile(
    r"\b(?:fully[- ]remote|100\s?% remote|remote[- ](?:first|only|friendly|position|role|job|work)|"
    r"work (?:from|from) (?:home|anywhere)|wfh|telecommut\w*|remote)\b",
    re.IGNORECASE,
)
_NOT_REMOTE = re.compile(r"\b(?:not (?:a )?remote|no remote|non[- ]remote)\b", re.IGNORECASE)
_HYBRID = re.compile(
    r"\bhybrid\b|\b\d (?:days?|x) (?:a|per) week (?:in|at) (?:the )?office\b", re.IGNORECASE
)
_ONSITE = re.compile(
    r"\bon[- ]?site\b|\bin[- ]office\b|\bin[- ]person\b|\boffice[- ]based\b", re.IGNORECASE
)
_WORDS = {"one": 1, "two": 2, "three": 3, "four": 4, "five": 5, "six": 6, "seven": 7, "eight": 8,
          "nine": 9, "ten": 10, "eleven": 11, "twelve": 12, "fifteen": 15, "twenty": 20}  # fmt: skip
_NUM = r"(\d{1,2}(?:\.\d)?|" + "|".join(_WORDS) + r")"
_YEARS = re.compile(
    rf"(?:(?:at least|minimum(?: of)?|min\.?|over|more than|\bover)\s+)?{_NUM}\s*(?:\+|plus)?\s*"
    rf"(?:(?:-|\u2013|to)\s*{_NUM}\s*\+?\s*)?(?:years?|yrs?)\b(?:'|\u2019)?",
    re.IGNORECASE,
)
_YEARS_CONTEXT = re.compile(
    r"experience|background|working|professional|industry|building|developing|in (?:a|the)\b|of\b|with\b|as\b",
    re.IGNORECASE,
)
_EDUCATION = (
    ("phd", r"\b(?:ph\.?\s?d|doctorate|doctoral|dphil)\b"),
    (
        "master",
        r"\b(?:master'?s?|m\.?sc?\.?|mba|m\.?eng|m\.?a\.?|graduate degree|advanced degree)\b",
    ),
    (
        "bachelor",
        r"\b(?:bachelor'?s?|b\.?sc?\.?|b\.?a\.?|b\.?eng|b\.?tech|undergraduate degree|(?:university|college|4-year|four-year) degree)\b",
    ),
    ("associate", r"\bassociate'?s? degree\b"),
    ("high_school", r"\b(?:high school|secondary school|ged|a-levels?|abitur)\b"),
)
_EDUCATION_RANK = {"high_school": 1, "associate": 2, "bachelor": 3, "master": 4, "phd": 5}
_MONTHS = "jan|feb|mar|apr|may|jun|jul|aug|sept|sep|oct|nov|dec"
_MONTH_NUMBERS = {
    name: number
    for number, name in enumerate(
        ["jan", "feb", "mar", "apr", "may", "jun", "jul", "aug", "sep", "oct", "nov", "dec"], 1
    )
}


def employment_type(text: str) -> str:
    """The employment type a text names ("" when none)."""
    for name, pattern in _EMPLOYMENT:
        if re.search(pattern, text, re.IGNORECASE):
            return name
    return ""


def schema_employment_type(value: object) -> str:
    """Map schema.org/ATS employment-type values (FULL_TIME, FullTime...) to ours."""
    values = value if isinstance(value, list) else [value]
    for item in values:
        if not isinstance(item, str):
            continue
        key = re.sub(r"[\s-]", "_", item.strip()).upper()
        if _SCHEMA_EMPLOYMENT.get(key):
            return _SCHEMA_EMPLOYMENT[key]
        found = employment_type(re.sub(r"(?<=[a-z])(?=[A-Z])", " ", item))
        if found:
            return found
    return ""


def seniority_from_title(title: str) -> str:
    """The seniority a job title states ("" when none)."""
    for name, pattern in _SENIORITY_TITLE:
        if re.search(pattern, title, re.IGNORECASE):
            return name
    return ""


def seniority_from_text(text: str, years: float | None) -> str:
    """The seniority a body text states, else one implied by the years asked for."""
    for name, pattern in _SENIORITY_TEXT:
        if re.search(pattern, text, re.IGNORECASE):
            return name
    if years is None:
        return ""
    if years < 2:
        return "junior"
    if years < 5:
        return "mid"
    return "senior"


def workplace_type(text: str) -> WorkplaceType:
    """Remote, hybrid or on-site as the text says; hybrid wins over the others."""
    if _HYBRID.search(text):
        return WorkplaceType.HYBRID
    if _REMOTE.search(text) and not _NOT_REMOTE.search(text):
        return WorkplaceType.REMOTE
    if _ONSITE.search(text) or _NOT_REMOTE.search(text):
        return WorkplaceType.ON_SITE
    return WorkplaceType.UNKNOWN


def _number(token: str) -> float:
    return float(_WORDS.get(token.lower(), 0) or token)


def years_experience(text: str) -> float | None:
    """The smallest minimum of years of experience the text asks for."""
    found: list[float] = []
    for match in _YEARS.finditer(text):
        after = text[match.end() : match.end() + 60]
        before = text[max(0, match.start() - 30) : match.start()]
        if not _YEARS_CONTEXT.search(after) and "experience" not in before.lower():
            continue
        if re.search(r"\b(?:old|ago|age|warranty|history|anniversary)\b", after[:20], re.I):
            continue
        value = _number(match.group(1))
        if 0 < value <= 30:
            found.append(value)
    return min(found) if found else None


def education_level(text: str) -> str:
    """The highest education level the text asks for ("" when none)."""
    best = ""
    # Alternatives in one sentence ("BS/MS", "bachelor's or master's") ask for the lower one.
    for sentence in re.split(r"(?<=[.;!?])\s+|\n", text):
        levels = [
            name for name, pattern in _EDUCATION if re.search(pattern, sentence, re.IGNORECASE)
        ]
        if not levels and re.search(r"\bdegree in\b", sentence, re.IGNORECASE):
            levels = ["bachelor"]  # "a degree in X" with no level named
        if not levels:
            continue
        lowest = min(levels, key=_EDUCATION_RANK.__getitem__)
        if _EDUCATION_RANK[lowest] > _EDUCATION_RANK.get(best, 0):
            best = lowest
    return best


def iso_date(value: str) -> str:
    """An ISO date (or year-month) from common date spellings; "" when none is found."""
    value = value.strip()
    match = re.search(r"\b(\d{4})-(\d{2})(?:-(\d{2}))?", value)
    if match:
        year, month, day = match.groups()
        return f"{year}-{month}-{day}" if day else f"{year}-{month}"
    match = re.search(rf"\b(\d{{1,2}})\.?\s+({_MONTHS})\w*\.?,?\s+(\d{{4}})", value, re.I)
    if match:
        return _format(match.group(3), match.group(2), match.group(1))
    match = re.search(
        rf"\b({_MONTHS})\w*\.?\s+(\d{{1,2}})(?:st|nd|rd|th)?,?\s+(\d{{4}})", value, re.I
    )
    if match:
        return _format(match.group(3), match.group(1), match.group(2))
    match = re.search(r"\b(\d{1,2})[./](\d{1,2})[./](\d{4})\b", value)
    if match:
        return _numeric_date(*match.groups())
    if re.fullmatch(r"\d{10,13}", value):
        stamp = int(value) / (1000 if len(value) == 13 else 1)
        return dt.datetime.fromtimestamp(stamp, dt.UTC).date().isoformat()
    return ""


def _format(year: str, month: str, day: str) -> str:
    number = _MONTH_NUMBERS[month[:3].lower()]
    try:
        return dt.date(int(year), number, int(day)).isoformat()
    except ValueError:
        return ""


def _numeric_date(first: str, second: str, year: str) -> str:
    # 13/02/2024 is day-first; 02/13/2024 month-first; ambiguous ones read day-first (ISO 8601 world).
    a, b = int(first), int(second)
    day, month = (b, a) if b > 12 else (a, b)
    try:
        return dt.date(int(year), month, day).isoformat()
    except ValueError:
        return ""
