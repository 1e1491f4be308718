"""Education: school, degree, field, graduation date, GPA, honours and courses."""

# ruff: noqa: RUF001 - typographic dashes, quotes and bullets are data here.

from __future__ import annotations

import re

from atspro.resume.model import Education
from atspro.resume.parser.dates import find_date_range
from atspro.resume.parser.entries import Entry, body_paragraphs, header_pieces, split_entries
from atspro.resume.parser.layout import Row
from atspro.resume.parser.vocab import find_degree, is_location, is_school, split_location

_SCORE = r"([0-9]+(?:[.,][0-9]+)?(?:\s*/\s*[0-9]+(?:[.,][0-9]+)?)?)"
_GPA_RE = re.compile(
    rf"\b(?:c?gpa|grade point average|grade|note)\b\s*[:=]?\s*{_SCORE}|{_SCORE}\s*c?gpa\b",
    re.I,
)
_HONORS_RE = re.compile(
    r"\b(?:summa|magna)?\s*cum laude\b|\bwith (?:high(?:est)? )?(?:honou?rs|distinction)\b"
    r"|\bdean['’]?s list\b|\bfirst class\b|\bhonou?rs\b|\bdistinction\b|\bvaledictorian\b",
    re.I,
)
_COURSES_RE = re.compile(r"^(?:relevant\s+)?(?:course\s*work|courses|modules)\s*[:\-–]\s*", re.I)


def _split_degree(text: str) -> tuple[str, str]:
    """ "Bachelor of Science in Computer Science" -> ("Bachelor of Science", "Computer Science")."""
    if " in " in text:
        degree, field = text.split(" in ", 1)
        return degree.strip(" ,"), field.strip(" ,")
    match = find_degree(text)
    if match and match.start() == 0:
        degree = match.group(0)
        rest = text[match.end() :]
        # "Bachelor of Science" keeps its "of ..." part when no field follows.
        if re.match(r"\s+of\s+\w+\s*$", rest):
            return text.strip(), ""
        of_match = re.match(
            r"\s+of\s+(?:Arts|Science|Sciences|Engineering|Laws|Business|Fine Arts|Music|Education|Philosophy|Technology)\b",
            rest,
        )
        if of_match:
            degree += of_match.group(0)
            rest = rest[of_match.end() :]
        return degree.strip(" ,"), rest.strip(" ,.-–—:")
    return text.strip(), ""


_MAJOR_RE = re.compile(r"^(?:double\s+)?(?:major|minor|concentration|specialization)s?\b", re.I)


def _is_degree(piece: str) -> bool:
    """A degree of its own: not a school, a place ("Boston, MA") or a "Major in X" line."""
    return bool(
        find_degree(piece)
        and not is_school(piece)
        and not is_location(piece)
        and not _MAJOR_RE.match(piece)
    )


def _starts_new(entry: Entry, row: Row) -> bool:
    """A second degree or a second school in one entry starts the next entry."""
    pieces = header_pieces(row)
    has_degree = any(_is_degree(p) for p in pieces)
    has_school = any(is_school(p) for p in pieces)
    seen_degree = any(_is_degree(p) for r in entry.header for p in header_pieces(r))
    seen_school = any(is_school(p) for r in entry.header for p in header_pieces(r))
    return (has_degree and seen_degree) or (has_school and seen_school and not has_degree)


def _is_detail(row: Row) -> bool:
    """A GPA, honours or coursework line: it describes the entry above it."""
    text = row.text
    if _COURSES_RE.match(text):
        return True
    if is_school(text) or _is_degree(text):
        return False
    if _HONORS_RE.search(text):
        return True
    # "Jan 2014 | GPA: 4.0" carries the entry's date: a header row, not a detail.
    return bool(_GPA_RE.search(text)) and find_date_range(text) is None


def _education_from(entry: Entry) -> Education | None:
    pieces: list[tuple[str, Row]] = []
    rows = list(entry.header)
    if not any(find_degree(r.text) for r in rows):
        # A long degree line can read as prose; take it back from the body.
        rows += [
            r for r in entry.body[:2] if find_degree(r.text) and not _COURSES_RE.match(r.text)
        ][:1]
    for row in rows:
        for text in header_pieces(row):
            if is_location(text) or re.fullmatch(r"(?i)graduated|expected|grad\.?", text):
                continue
            rest, place = split_location(text)
            pieces.append((rest if place and rest else text, row))
    # "B.S. Computer Science, State University, GPA 3.8" arrives as one piece.
    split: list[tuple[str, Row]] = []
    for text, row in pieces:
        split.extend((part, row) for part in _comma_parts(text))
    degree_text = ""
    institution = ""
    gpa = ""
    honors: list[str] = []
    leftovers: list[tuple[str, Row]] = []
    for text, row in split:
        gpa_match = _GPA_RE.search(text)
        if gpa_match:
            gpa = gpa or gpa_match.group(1) or gpa_match.group(2)
            continue
        if _HONORS_RE.search(text) and not is_school(text) and len(text.split()) <= 6:
            honors.append(text)
            continue
        if (
            not institution
            and is_school(text)
            and not (find_degree(text) and not degree_text and not _school_first(text))
        ):
            institution = text
            continue
        if not degree_text and find_degree(text):
            degree_text = text
            continue
        leftovers.append((text, row))
    if not institution:
        bold = [t for t, r in leftovers if (r.bold or r.is_caps) and t != degree_text]
        pick = bold[0] if bold else (leftovers[0][0] if leftovers and degree_text else "")
        institution = pick
        leftovers = [(t, r) for t, r in leftovers if t != pick]
    if not degree_text and leftovers and institution:
        degree_text = leftovers[0][0]
    degree, field = _split_degree(degree_text) if degree_text else ("", "")
    if degree and not field and leftovers:
        others = [t for t, _ in leftovers if t not in (degree_text, institution)]
        if others and len(others[0].split()) <= 5 and not find_degree(others[0]):
            field = others[0]
    courses: list[str] = []
    for text, _ in body_paragraphs(entry.body):
        gpa_match = _GPA_RE.search(text)
        if gpa_match and not gpa:
            gpa = gpa_match.group(1) or gpa_match.group(2)
        if _COURSES_RE.match(text):
            courses.extend(
                c.strip(" .") for c in re.split(r"[,;]", _COURSES_RE.sub("", text)) if c.strip(" .")
            )
        elif _HONORS_RE.search(text) and len(text.split()) <= 10:
            honors.append(text)
    if not (degree or institution):
        return None
    date = entry.date
    graduation = ""
    if date is not None:
        graduation = date.end or ("" if date.is_current else date.start)
    return Education(
        institution=institution,
        degree=degree,
        field_of_study=field,
        graduation_date=graduation,
        gpa=gpa,
        honors=honors,
        relevant_courses=courses,
    )


def _comma_parts(text: str) -> list[str]:
    """Comma-separated fields, keeping "University of California, Berkeley" whole."""
    parts = [p.strip() for p in text.split(",") if p.strip()]
    out: list[str] = []
    for part in parts:
        if (
            out
            and is_school(out[-1])
            and len(part.split()) <= 2
            and not (find_degree(part) or _GPA_RE.search(part) or _HONORS_RE.search(part))
            and not is_location(part)
        ):
            out[-1] = f"{out[-1]}, {part}"
        else:
            out.append(part)
    return out


def _school_first(text: str) -> bool:
    """ "University of X" leads with the school even when a degree word follows."""
    match = find_degree(text)
    return match is not None and is_school(text[: match.start()])


def parse_education(rows: list[Row]) -> list[Education]:
    """Schools and degrees in an education section, in order."""
    out: list[Education] = []
    for entry in split_entries(rows, _starts_new, _is_detail):
        item = _education_from(entry)
        if item is not None:
            out.append(item)
        elif out and entry.date is not None and not out[-1].graduation_date:
            out[-1].graduation_date = entry.date.end or entry.date.start
    return out
