"""Resume and posting dates: normalise to ISO year-month, and find every date a text mentions.

Both sides of a grounding check go through the same functions, so "Jan. 2020", "01/2020",
"2020-01" and "January 15, 2020" all become ``2020-01`` whichever form the model copied.
Ambiguous all-numeric day/month dates are read month first (US) unless the first number
cannot be a month.
"""

from __future__ import annotations

import re

# English plus the common European languages resumes arrive in; keys are lower-case.
_MONTH_NAMES: dict[int, tuple[str, ...]] = {
    1: (
        "january",
        "jan",
        "januar",
        "janvier",
        "janv",
        "enero",
        "ene",
        "janeiro",
        "gennaio",
        "gen",
        "januari",
    ),
    2: (
        "february",
        "feb",
        "februar",
        "février",
        "fevrier",
        "févr",
        "fevr",
        "febrero",
        "fevereiro",
        "fev",
        "febbraio",
        "februari",
    ),
    3: ("march", "mar", "märz", "maerz", "mars", "marzo", "março", "marco", "maart"),
    4: ("april", "apr", "avril", "avr", "abril", "abr", "aprile"),
    5: ("may", "mai", "mayo", "maio", "maggio", "mag", "mei"),
    6: ("june", "jun", "juni", "juin", "junio", "junho", "giugno", "giu"),
    7: ("july", "jul", "juli", "juillet", "juil", "julio", "julho", "luglio", "lug"),
    8: ("august", "aug", "août", "aout", "agosto", "ago", "augustus"),
    9: ("september", "sep", "sept", "septembre", "septiembre", "setembro", "set", "settembre"),
    10: (
        "october",
        "oct",
        "oktober",
        "okt",
        "octobre",
        "octubre",
        "outubro",
        "out",
        "ottobre",
        "ott",
    ),
    11: ("november", "nov", "novembre", "noviembre", "novembro"),
    12: (
        "december",
        "dec",
        "dezember",
        "dez",
        "décembre",
        "decembre",
        "déc",
        "diciembre",
        "dic",
        "dezembro",
        "dicembre",
    ),
}
MONTHS: dict[str, int] = {name: num for num, names in _MONTH_NAMES.items() for name in names}

PRESENT_WORDS = (
    "present", "current", "currently", "now", "today", "ongoing", "to date",
    "heute", "aktuell", "actuel", "aujourd'hui", "presente", "actualidad", "hoy", "atual",
)  # fmt: skip

_YEAR = r"(?:19|20)\d{2}"
_DATE = re.compile(
    rf"""
    \b(?P<name>[^\W\d_]{{3,10}})\.?,?[\s/-]*(?:\d{{1,2}}(?:st|nd|rd|th)?,?\s+)?(?P<ny>{_YEAR}|'\d{{2}})\b
    | \b(?P<iy>{_YEAR})[-/.](?P<im>\d{{1,2}})(?:[-/.]\d{{1,2}})?\b
    | \b(?P<a>\d{{1,2}})[-/.](?P<b>\d{{1,2}})[-/.](?P<dy>{_YEAR})\b
    | \b(?P<mm>\d{{1,2}})(?:[-/.](?P<my>{_YEAR})|/(?P<my2>\d{{2}}))\b
    | \b(?P<y>{_YEAR})\b
    """,
    re.VERBOSE | re.IGNORECASE,
)


def _year(text: str) -> int:
    digits = text.lstrip("'")
    if len(digits) == 2:
        short = int(digits)
        return 2000 + short if short <= 50 else 1900 + short
    return int(digits)


def _iso(year: int, month: int | None) -> str:
    if month is None or not 1 <= month <= 12:
        return f"{year:04d}"
    return f"{year:04d}-{month:02d}"


def _from_match(match: re.Match[str]) -> str | None:
    """The ISO form of one regex match, or None when it is not a date after all."""
    if match["name"] is not None:
        month = MONTHS.get(match["name"].lower())
        if month is None:
            # "Summer 2020", "since 2019": the word is no month, the year still counts.
            return _iso(_year(match["ny"]), None) if not match["ny"].startswith("'") else None
        return _iso(_year(match["ny"]), month)
    if match["iy"] is not None:
        return _iso(int(match["iy"]), int(match["im"]))
    if match["dy"] is not None:
        first, second = int(match["a"]), int(match["b"])
        month = second if first > 12 else first
        return _iso(int(match["dy"]), month)
    if match["mm"] is not None:
        month = int(match["mm"])
        if match["my"] is not None:
            return _iso(int(match["my"]), month)  # a bad month still leaves the year
        return _iso(_year(match["my2"]), month) if 1 <= month <= 12 else None
    return _iso(int(match["y"]), None)


def is_present(text: str) -> bool:
    """True when ``text`` is a word for "until now" ("Present", "current", "heute"...)."""
    return text.strip().strip(".").lower() in PRESENT_WORDS


def normalise_date(text: str) -> str:
    """ISO ``YYYY-MM`` or ``YYYY`` for a date; "" for "Present"; the stripped text otherwise."""
    stripped = text.strip()
    if not stripped or is_present(stripped):
        return ""
    match = _DATE.search(stripped)
    iso = _from_match(match) if match else None
    return iso if iso is not None else stripped


def find_dates(text: str) -> set[str]:
    """Every date ``text`` mentions, as ISO ``YYYY-MM`` and ``YYYY`` (each month adds its year)."""
    found: set[str] = set()
    for match in _DATE.finditer(text):
        iso = _from_match(match)
        if iso is not None:
            found.add(iso)
            found.add(iso[:4])
    return found


def is_iso_date(value: str) -> bool:
    """True for ``YYYY`` and ``YYYY-MM``."""
    return re.fullmatch(r"\d{4}(?:-\d{2})?", value) is not None
