"""Years of experience from a resume's dated roles (overlapping roles counted once)."""

from __future__ import annotations

import re
from collections.abc import Iterable
from datetime import date

_MONTHS = {
    name: index
    for index, names in enumerate(
        [
            ("jan", "january", "janv", "enero", "januar"),
            ("feb", "february", "fev", "febrero", "februar"),
            ("mar", "march", "mars", "marzo", "marz"),
            ("apr", "april", "avr", "avril", "abril"),
            ("may", "mai", "mayo"),
            ("jun", "june", "juin", "junio", "juni"),
            ("jul", "july", "juil", "juillet", "julio", "juli"),
            ("aug", "august", "aout", "agosto"),
            ("sep", "sept", "september", "septembre", "septiembre"),
            ("oct", "october", "octobre", "octubre", "oktober"),
            ("nov", "november", "novembre", "noviembre"),
            ("dec", "december", "decembre", "diciembre", "dezember"),
        ]
    )
    for name in names
}
_ISO = re.compile(r"\b((?:19|20)\d{2})-(\d{1,2})\b")
_SLASH = re.compile(r"\b(\d{1,2})[/.]((?:19|20)\d{2})\b")
_NAMED = re.compile(r"\b([A-Za-z]{3,9})\.?,?\s+((?:19|20)\d{2})\b")
_YEAR = re.compile(r"\b((?:19|20)\d{2})\b")
_CURRENT = re.compile(r"\b(present|current|now|today|ongoing|date)\b", re.IGNORECASE)

Interval = tuple[int, int]


def parse_month(text: str) -> int | None:
    """A date string as a month index (year * 12 + month - 1), or None if it has no year."""
    if m := _ISO.search(text):
        month = int(m.group(2))
        if 1 <= month <= 12:
            return int(m.group(1)) * 12 + month - 1
    if m := _SLASH.search(text):
        month = int(m.group(1))
        if 1 <= month <= 12:
            return int(m.group(2)) * 12 + month - 1
    if (m := _NAMED.search(text)) and m.group(1).lower() in _MONTHS:
        return int(m.group(2)) * 12 + _MONTHS[m.group(1).lower()]
    if m := _YEAR.search(text):
        return int(m.group(1)) * 12
    return None


def role_interval(start: str, end: str, *, is_current: bool, today: date) -> Interval | None:
    """The [start, end) month span of one role, or None when it cannot be dated."""
    first = parse_month(start)
    if first is None:
        return None
    now = today.year * 12 + today.month - 1
    last = None if is_current or _CURRENT.search(end) else parse_month(end)
    if last is None:
        # An undated end reads as "still there" only when the role is marked current or says so.
        last = now if (is_current or _CURRENT.search(end) or not end.strip()) else None
    if last is None or last < first:
        return None
    # Future end dates (planned or typos) count only up to today.
    return first, max(first, min(last, now))


def merged_years(intervals: Iterable[Interval]) -> float:
    """Total years covered by month intervals, counting overlaps once."""
    total = 0
    current: Interval | None = None
    for lo, hi in sorted(intervals):
        if current is None or lo > current[1]:
            if current is not None:
                total += current[1] - current[0]
            current = (lo, hi)
        else:
            current = (current[0], max(current[1], hi))
    if current is not None:
        total += current[1] - current[0]
    return round(total / 12.0, 2)
