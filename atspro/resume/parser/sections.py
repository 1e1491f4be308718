"""Split rows into sections: find the heading rows by keywords and by heading style."""

from __future__ import annotations

import re
from collections import Counter
from dataclasses import dataclass, field

from atspro.resume.parser.dates import find_date_range
from atspro.resume.parser.headings import Kind, heading_kind
from atspro.resume.parser.layout import Row, body_size


@dataclass(slots=True)
class Section:
    """A heading and the rows under it (the profile has no heading)."""

    kind: Kind
    title: str
    rows: list[Row] = field(default_factory=list)


Style = tuple[float, bool, bool]


def _style(row: Row) -> Style:
    return (round(row.size * 2) / 2, row.bold, row.is_caps)


_NOT_HEADING_RE = re.compile(r"\s(?:at|@|for|with)\s", re.IGNORECASE)


def _heading_shaped(row: Row) -> bool:
    text = row.text.rstrip(":").strip()
    return (
        not _NOT_HEADING_RE.search(text)
        and not row.bullet
        and 0 < len(text) <= 45
        and row.words <= 5
        and "@" not in text
        and not text.endswith((".", ","))
        and sum(c.isdigit() for c in text) <= 1
        and find_date_range(text) is None
        and any(c.isalpha() for c in text)
    )


def _split_label_rail(rows: list[Row]) -> list[Row]:
    """A section label on the left of its first content row becomes a row of its own."""
    out: list[Row] = []
    for row in rows:
        if len(row.segments) >= 2:
            kind, coverage = heading_kind(row.segments[0])
            if kind is not None and coverage >= 0.6 and len(row.segments[0].split()) <= 3:
                head = Row(
                    text=row.segments[0],
                    segments=[row.segments[0]],
                    seg_x0=row.seg_x0[:1],
                    x0=row.x0,
                    x1=row.seg_x0[1] if len(row.seg_x0) > 1 else row.x1,
                    top=row.top,
                    bottom=row.bottom,
                    size=row.size,
                    bold=row.bold,
                    page=row.page,
                    column=row.column,
                    heading_level=row.heading_level,
                )
                rest = row.segments[1:]
                row.segments = rest
                row.seg_x0 = row.seg_x0[1:]
                row.text = " ".join(rest)
                row.x0 = row.seg_x0[0] if row.seg_x0 else row.x0
                out.append(head)
        out.append(row)
    for i, row in enumerate(out):
        row.index = i
    return out


def _find_headings(rows: list[Row]) -> dict[int, Kind]:
    body = body_size(rows)
    info: list[tuple[Row, Kind | None, float]] = [(r, *heading_kind(r.text)) for r in rows]

    def styled(row: Row) -> bool:
        return row.bold or row.is_caps or row.size >= body + 1 or row.heading_level > 0

    strong = [
        r
        for r, kind, cov in info
        if kind is not None and cov >= 0.4 and _heading_shaped(r) and styled(r)
    ]
    levels = Counter(r.heading_level for r in strong if r.heading_level > 0)
    main_level = levels.most_common(1)[0][0] if levels else 0
    signature: Style | None = None
    if strong:
        signature = Counter(_style(r) for r in strong).most_common(1)[0][0]

    found: dict[int, Kind] = {}
    for row, kind, cov in info:
        if not _heading_shaped(row):
            continue
        if row.heading_level > 0:
            if kind is not None and cov >= 0.4:
                found[row.index] = kind
            elif main_level and row.heading_level <= main_level:
                found[row.index] = Kind.OTHER
            continue
        style = _style(row)
        if signature is None:
            # No styled headings at all (plain text): trust short exact keyword rows.
            if kind is not None and cov >= 0.8 and row.words <= 3:
                found[row.index] = kind
            continue
        sig_size, sig_bold, sig_caps = signature
        same_style = abs(style[0] - sig_size) <= 0.5 and style[1] == sig_bold
        if kind is not None and cov >= 0.4 and styled(row):
            if (same_style and style[2] == sig_caps) or (
                cov >= 0.7 and style[0] >= sig_size - 0.5 and (style[2] == sig_caps or row.bold)
            ):
                found[row.index] = kind
        elif (
            kind is not None
            and cov >= 0.9
            and row.words <= 2
            and style[0] >= sig_size
            # A plain "Volunteer" role line is no heading when headings are bold or caps.
            and (styled(row) or not (sig_bold or sig_caps))
        ):
            found[row.index] = kind
        elif (
            kind is None
            and same_style
            and style[2] == sig_caps
            and (sig_caps or sig_size >= body + 1)
            and row.words <= 4
            and not re.search(r"[|,;]", row.text)
        ):
            found[row.index] = Kind.OTHER
    return found


def _stacked(upper: Row, lower: Row) -> bool:
    """Two heading rows directly one above the other, as one wrapped label."""
    return (
        upper.page == lower.page
        and upper.column == lower.column
        and abs(upper.x0 - lower.x0) < 2
        and 0 <= lower.top - upper.bottom < 0.6 * upper.size
    )


def _beside(heading: Row, row: Row) -> bool:
    """``row`` sits in another column level with (or just under) the heading's top."""
    return (
        row.page == heading.page
        and row.column != heading.column
        and row.x0 >= heading.x1
        and -heading.size <= row.top - heading.top <= 2 * heading.size
    )


def split_sections(rows: list[Row]) -> list[Section]:
    """Group rows under their headings; rows before the first heading are the profile."""
    rows = _split_label_rail(rows)
    headings = _find_headings(rows)
    sections: list[Section] = [Section(Kind.PROFILE, "")]
    current = sections[0]
    last_in_column: dict[int, Section] = {}
    column = rows[0].column if rows else 0
    heading: Row | None = None
    last_line: Row | None = None
    for row in rows:
        if row.index in headings:
            if last_line is not None and not current.rows and _stacked(last_line, row):
                # "Technical" over "Skills" in a label rail: one heading on two lines.
                title = f"{current.title} {row.text.rstrip(':').strip()}"
                current.title = title
                current.kind = heading_kind(title)[0] or current.kind
                last_line = row
                continue
            current = Section(headings[row.index], row.text.rstrip(":").strip())
            sections.append(current)
            last_in_column[row.column] = current
            column = row.column
            heading = last_line = row
            continue
        if heading is not None and not current.rows and _beside(heading, row):
            # A label in a rail on the left heads the content level with it.
            last_in_column[row.column] = current
            column = row.column
        if row.column != column:
            # A new column (or the same column on the next page) resumes its last section.
            column = row.column
            resumed = last_in_column.get(column)
            if resumed is None:
                resumed = Section(Kind.OTHER if current.rows else current.kind, "")
                last_in_column[column] = resumed
                sections.append(resumed)
            current = resumed
        current.rows.append(row)
        last_in_column.setdefault(row.column, current)
    return sections
