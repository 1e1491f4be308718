"""Cut a section into entries (one job, one school, one project).

An entry is a block of header rows (title, company, dates, place) followed by body rows
(bullets and prose). A new entry starts at a header row that follows body rows, at a
second date in one header, or where the first header row's style comes round again.
"""

# ruff: noqa: RUF001, RUF002 - typographic dashes, quotes and bullets are data here.

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass, field

from atspro.resume.parser.dates import DateMatch, find_date_range
from atspro.resume.parser.layout import OPEN_END_RE, Row, reaches_edge
from atspro.resume.parser.vocab import has_title_word, is_school, org_score


@dataclass(slots=True)
class Entry:
    """Header rows and body rows of one item, with the header's date if any."""

    header: list[Row] = field(default_factory=list)
    body: list[Row] = field(default_factory=list)
    date: DateMatch | None = None
    date_row: Row | None = None


def _signature(row: Row) -> tuple[float, bool, bool, int]:
    return (round(row.size * 2) / 2, row.bold, row.is_caps, round(row.x0 / 4))


def is_prose(row: Row) -> bool:
    """A sentence rather than a label: long, mostly lower-case words, or sentence-ending."""
    words = row.text.split()
    if row.bold and len(words) < 12:
        return False
    lower = sum(1 for w in words if w[:1].islower())
    return (
        len(words) >= 11
        or (len(words) >= 5 and row.text.endswith((".", "!", ";")))
        or (len(words) >= 5 and lower >= 0.6 * len(words))
    )


_LABELLED_RE = re.compile(r"^[A-Z][\w' ]{1,30}:\s+\S+(?:\s+\S+){2,}")


def _is_body(row: Row, entry: Entry | None, previous: Row | None) -> bool:
    if row.bullet:
        return True
    if find_date_range(row.text) is not None and row.words <= 20 and not row.text.endswith("."):
        return False
    if is_prose(row) or _LABELLED_RE.match(row.text):
        return True
    if entry is None or not entry.header:
        return False
    if (
        previous is not None
        and reaches_edge(previous, row)
        and not row.bold
        and not _title_like(row)
    ):
        # The row above ran to the right edge, so this one carries on its sentence.
        return True
    if previous is not None and _open_sentence(previous.text) and not row.bold:
        # "...across web, mobile web," over "Android, and iOS.": the sentence goes on.
        return True
    first = entry.header[0]
    # Body text is often indented under the entry's header.
    if row.x0 > first.x0 + 6 and not row.bold and row.size <= first.size:
        return True
    # A wrapped line carries on the sentence above it.
    return previous is not None and not row.bold and row.text[:1].islower()


def _open_sentence(text: str) -> bool:
    """The text stops where a sentence cannot end: on a comma or a joining word."""
    return bool(OPEN_END_RE.search(text.rstrip()))


def _title_like(row: Row) -> bool:
    """Fields joined by separators, as in "Software Engineer | Acme Corp"."""
    return len(row.segments) > 1 or bool(re.search(r"\s[|·•–—]\s|\s-\s", row.text))


StartsNew = Callable[[Entry, Row], bool]
IsDetail = Callable[[Row], bool]

# A row that opens with a separator ("| Certificate, Music Business") carries on the row
# above it; it never starts an entry of its own.
_CONTINUES = tuple("|·,;/&+")


def split_entries(
    rows: list[Row], starts_new: StartsNew | None = None, is_detail: IsDetail | None = None
) -> list[Entry]:
    """Group a section's rows into entries; ``is_detail`` rows (a GPA line) are body."""
    entries: list[Entry] = []
    current: Entry | None = None
    previous_body: Row | None = None
    for row in rows:
        if _is_body(row, current, previous_body) or (
            current is not None
            and is_detail is not None
            and is_detail(row)
            # A detail row may carry the entry's only date ("2018 | Dean's List").
            and not (current.date is None and find_date_range(row.text) is not None)
        ):
            if current is None:
                current = Entry()
                entries.append(current)
            current.body.append(row)
            previous_body = row
            continue
        previous_body = None
        date = find_date_range(row.text)
        new = current is None or (
            not row.text.startswith(_CONTINUES)
            and (
                bool(current.body)
                or (date is not None and current.date is not None)
                or (starts_new is not None and starts_new(current, row))
                or _style_repeats(current, row)
            )
        )
        if new:
            current = Entry()
            entries.append(current)
        assert current is not None
        current.header.append(row)
        if date is not None and current.date is None:
            current.date = date
            current.date_row = row
    return entries


def _style_repeats(entry: Entry, row: Row) -> bool:
    """The style of the entry's first header row comes back after a different one."""
    if len(entry.header) < 2:
        return False
    first = _signature(entry.header[0])
    if _signature(row) != first:
        return False
    return any(_signature(r) != first for r in entry.header[1:])


_SEPARATORS = re.compile(r"\s+[|·•◦▪∙]\s+|\s*[|·•]\s*|\s+[–—-]\s+|\s+@\s+|\s{3,}")


def header_pieces(row: Row) -> list[str]:
    """A header row's fields without dates: its wide-gap segments, cut at | · • – — @ "at"."""
    segments = row.segments or [row.text]
    text_parts: list[str] = []
    for segment in segments:
        date = find_date_range(segment)
        while date is not None:
            segment = f"{segment[: date.begin]} | {segment[date.finish :]}"
            date = find_date_range(segment)
        for part in _SEPARATORS.split(segment):
            part = part.strip(" ,;:()[]")
            if not part or not any(c.isalnum() for c in part):
                continue
            # "Engineer at Acme" is two fields; "University of Texas at Austin" is one.
            left, at, right = part.partition(" at ")
            if at and right[:1].isupper() and _splits_at(left):
                text_parts.extend([left.strip(), right.strip()])
            else:
                text_parts.append(part)
    return text_parts


def _splits_at(left: str) -> bool:
    """Whether "<left> at <Right>" names a role at an organisation: the left side is a job
    title, or at least not itself an organisation or a school ("Bank of X at Y")."""
    return has_title_word(left) or (
        not is_school(left) and org_score(left) == 0 and len(left.split()) <= 6
    )


def body_paragraphs(body: list[Row]) -> list[tuple[str, bool]]:
    """Body rows joined back into paragraphs: (text, started with a bullet)."""
    out: list[tuple[str, bool]] = []
    for row in body:
        starts = row.bullet or not out or bool(_LABELLED_RE.match(row.text))
        if not starts and out[-1][0].endswith((".", "!", "?")) and row.text[:1].isupper():
            starts = True
        if starts:
            out.append((row.text, row.bullet))
        else:
            text, bullet = out[-1]
            joiner = "" if text.endswith("-") and row.text[:1].islower() else " "
            out[-1] = (f"{text}{joiner}{row.text}", bullet)
    return out
