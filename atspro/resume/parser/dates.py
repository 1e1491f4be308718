"""Dates as resumes write them, normalised to ISO ``YYYY-MM`` or ``YYYY``.

Understands month names in several languages ("Mar. 2020", "März 2020", "janv. 2019"),
numeric months ("03/2020", "2020-03"), seasons ("Summer 2022"), bare years, two-digit
years ("Jan '21") and ranges joined by dashes or words ("2019 – Present", "2018 to 2020").
"""

# ruff: noqa: RUF001, RUF002 - typographic dashes, quotes and bullets are data here.

from __future__ import annotations

import re
from dataclasses import dataclass

# Month names and common abbreviations: English, French, German, Spanish, Italian,
# Portuguese and Dutch. Ambiguous short forms that are also words ("mar", "mai") are
# safe here because a year must follow.
_MONTH_NAMES: dict[int, tuple[str, ...]] = {
    1: (
        "january",
        "jan",
        "janvier",
        "janv",
        "januar",
        "jänner",
        "enero",
        "ene",
        "gennaio",
        "gen",
        "janeiro",
        "januari",
    ),
    2: (
        "february",
        "feb",
        "febr",
        "février",
        "fevrier",
        "févr",
        "fevr",
        "februar",
        "febrero",
        "febbraio",
        "fevereiro",
        "fev",
        "februari",
    ),
    3: ("march", "mar", "mars", "märz", "marz", "maerz", "marzo", "março", "marco", "maart", "mrt"),
    4: ("april", "apr", "avril", "avr", "abril", "abr", "aprile"),
    5: ("may", "mai", "mayo", "maggio", "maio", "mei", "mag"),
    6: ("june", "jun", "juin", "juni", "junio", "giugno", "giu", "junho"),
    7: ("july", "jul", "juillet", "juil", "juli", "julio", "luglio", "lug", "julho"),
    8: ("august", "aug", "août", "aout", "agosto", "ago", "augustus"),
    9: ("september", "sep", "sept", "septembre", "septiembre", "set", "settembre", "setembro"),
    10: (
        "october",
        "oct",
        "octobre",
        "oktober",
        "okt",
        "octubre",
        "ottobre",
        "ott",
        "outubro",
        "out",
    ),
    11: ("november", "nov", "novembre", "noviembre", "novembro"),
    12: (
        "december",
        "dec",
        "décembre",
        "decembre",
        "déc",
        "dezember",
        "dez",
        "diciembre",
        "dic",
        "dicembre",
        "dezembro",
    ),
}
MONTHS: dict[str, int] = {name: num for num, names in _MONTH_NAMES.items() for name in names}

# A season maps to the month it usually starts in.
SEASONS: dict[str, int] = {
    "spring": 3,
    "summer": 6,
    "fall": 9,
    "autumn": 9,
    "winter": 1,
    "printemps": 3,
    "été": 6,
    "automne": 9,
    "hiver": 1,
    "frühling": 3,
    "sommer": 6,
    "herbst": 9,
    "primavera": 3,
    "verano": 6,
    "otoño": 9,
    "invierno": 1,
}

PRESENT_WORDS = (
    "present",
    "current",
    "currently",
    "now",
    "today",
    "ongoing",
    "till date",
    "to date",
    "date",
    "heute",
    "aktuell",
    "jetzt",
    "actuel",
    "aujourd'hui",
    "présent",
    "presente",
    "actualidad",
    "actual",
    "atual",
    "oggi",
    "heden",
    "nu",
)

_MONTH_RE = "|".join(sorted((re.escape(m) for m in MONTHS), key=len, reverse=True))
_SEASON_RE = "|".join(sorted((re.escape(s) for s in SEASONS), key=len, reverse=True))
_PRESENT_RE = "|".join(sorted((re.escape(p) for p in PRESENT_WORDS), key=len, reverse=True))
_YEAR = r"(?:19|20)\d{2}"

# One date, most specific forms first. Named groups tell the forms apart.
_DATE = (
    rf"(?:(?:\d{{1,2}}(?:st|nd|rd|th)?\.?\s*)?(?P<{{p}}mon>{_MONTH_RE})\.?,?\s*"
    rf"(?P<{{p}}myear>{_YEAR}|['’]\d{{2}})"
    rf"|(?P<{{p}}season>{_SEASON_RE})\s*,?\s*(?P<{{p}}syear>{_YEAR})"
    rf"|(?P<{{p}}nmon>0?[1-9]|1[0-2])\s*[/.\-]\s*(?P<{{p}}nyear>{_YEAR})"
    rf"|(?P<{{p}}iyear>{_YEAR})[/\-.](?P<{{p}}imon>0[1-9]|1[0-2])(?![\d/.\-])"
    rf"|(?P<{{p}}year>{_YEAR}))"
)
_SEP = r"\s*(?:-{1,2}|[\u00ad\u2010-\u2015\u2212]|~|to|until|till|through|thru|bis|au|à|a|al|hasta|até|fino a|tot)\s*"
_START = _DATE.replace("{p}", "s_")
_END = _DATE.replace("{p}", "e_")
_RANGE_RE = re.compile(
    rf"(?<![\w/.])(?P<since>since\s+|seit\s+|depuis\s+|desde\s+)?(?:from\s+)?{_START}"
    rf"(?:{_SEP}(?:{_END}|(?P<present>{_PRESENT_RE})\b)|\s*[-–—]\s*(?=$|[|,·•]))?"
    r"(?![\w%+])",
    re.IGNORECASE,
)


@dataclass(frozen=True, slots=True)
class DateMatch:
    """A date or date range found in a text, with where it was found."""

    start: str
    end: str
    is_current: bool
    is_range: bool
    begin: int
    finish: int


def _expand_year(text: str) -> str:
    digits = text.lstrip("'’")
    if len(digits) == 2:
        return ("19" if int(digits) > 50 else "20") + digits
    return digits


def _iso(match: re.Match[str], prefix: str) -> str:
    groups = match.groupdict()

    def grp(name: str) -> str | None:
        return groups.get(prefix + name)

    if (mon := grp("mon")) is not None and (year := grp("myear")) is not None:
        return f"{_expand_year(year)}-{MONTHS[mon.lower()]:02d}"
    if (season := grp("season")) is not None and (year := grp("syear")) is not None:
        return f"{year}-{SEASONS[season.lower()]:02d}"
    if (nmon := grp("nmon")) is not None and (year := grp("nyear")) is not None:
        return f"{year}-{int(nmon):02d}"
    if (imon := grp("imon")) is not None and (year := grp("iyear")) is not None:
        return f"{year}-{int(imon):02d}"
    return grp("year") or ""


def find_dates(text: str) -> list[DateMatch]:
    """Every date or date range in ``text``, left to right."""
    found: list[DateMatch] = []
    for match in _RANGE_RE.finditer(text):
        start = _iso(match, "s_")
        if not start:
            continue
        end = _iso(match, "e_") if match.group("e_year") or match.group("e_myear") else ""
        if not end and any(match.group(f"e_{g}") for g in ("syear", "nyear", "iyear")):
            end = _iso(match, "e_")
        present = match.group("present") is not None or match.group("since") is not None
        open_ended = not end and not present and match.group(0).rstrip().endswith(("-", "–", "—"))
        is_range = bool(end) or present or open_ended
        if is_range and end and end < start:
            # "2020 - 2019" is not a range anyone means; keep the first date only.
            end = ""
        found.append(
            DateMatch(
                start=start,
                end=end,
                is_current=present or open_ended,
                is_range=is_range,
                begin=match.start(),
                finish=match.end(),
            )
        )
    return found


def find_date_range(text: str) -> DateMatch | None:
    """The first date range in ``text``, else its first single date, else None."""
    dates = find_dates(text)
    for date in dates:
        if date.is_range:
            return date
    return dates[0] if dates else None


def normalize_date(text: str) -> str:
    """One date as ISO ``YYYY-MM``/``YYYY``, ``"present"`` for present words, else ``""``."""
    stripped = text.strip().lower()
    if stripped in PRESENT_WORDS:
        return "present"
    match = find_date_range(text)
    return match.start if match else ""


def remove_span(text: str, begin: int, finish: int) -> str:
    """``text`` without ``[begin, finish)``, tidied of the separators left behind."""
    rest = f"{text[:begin]} {text[finish:]}"
    rest = re.sub(r"\s*(?:[|·•,;]\s*)+$", "", rest.strip())
    rest = re.sub(r"^(?:[|·•,;–—-]\s*)+", "", rest)
    rest = re.sub(r"\(\s*\)", "", rest)
    rest = re.sub(r"(?:\s*[|·•]){2,}\s*", " | ", rest)
    return re.sub(r"\s{2,}", " ", rest).strip(" -–—|·•,")
