"""Visual rows of a resume, built from the extractor's lines.

A row keeps what the field rules need: its text, the pieces of it separated by wide gaps
(``segments``: "Staff Engineer" and a flush-right "Jan 2020 - Present"), its style and
position, and whether it is a bullet.
"""

# ruff: noqa: RUF001 - typographic dashes, quotes and bullets are data here.

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass, field

from atspro.extraction.document import ExtractedDocument, TextLine, TextSpan
from atspro.resume.parser.dates import find_date_range
from atspro.resume.parser.furniture import drop_page_furniture
from atspro.resume.parser.vocab import is_location, is_school

BULLET_CHARS = "•●○◦▪▫■□►▸▹‣⁃∙·*-–—✓✔➢➤➔→❖◆◇♦"
_BULLET_RE = re.compile(rf"^\s*[{re.escape(BULLET_CHARS)}]\s*(?=\S)")
# Private-use glyphs are icon fonts (phone, envelope...) that extract as noise.
_ICON_RE = re.compile("[\ue000-\uf8ff\U000f0000-\U000fffff\u2600-\u27bf\U0001f300-\U0001faff]")


@dataclass(slots=True)
class Row:
    """One visual line of the resume, possibly several spans apart on one baseline."""

    text: str
    segments: list[str]
    x0: float
    x1: float
    top: float
    bottom: float
    size: float
    bold: bool
    page: int
    column: int
    heading_level: int = 0
    bullet: bool = False
    index: int = 0
    seg_x0: list[float] = field(default_factory=list)
    # The right edge of the text in this row's column: wrapped lines reach it.
    edge: float = 0.0

    @property
    def words(self) -> int:
        """How many words the row has."""
        return len(self.text.split())

    @property
    def is_caps(self) -> bool:
        """True when every letter is upper case (and there are some)."""
        letters = [c for c in self.text if c.isalpha()]
        return len(letters) >= 2 and all(c.isupper() for c in letters)


def clean_text(text: str) -> str:
    """NFKC-normalise, drop icon glyphs and soft hyphens' oddities, collapse spaces."""
    text = unicodedata.normalize("NFKC", text)
    text = text.replace("\u00ad", "-").replace("\u2010", "-").replace("\u2011", "-")
    text = _ICON_RE.sub(" ", text)
    return re.sub(r"[ \t\u00a0\u2000-\u200b]+", " ", text).strip()


def _segments(line: TextLine) -> tuple[list[str], list[float]]:
    """Split a line's spans where they are far apart (a wide gap means a new field)."""
    groups: list[list[TextSpan]] = []
    for span in line.spans:
        if groups:
            prev = groups[-1][-1]
            if span.x0 - prev.x1 <= 1.6 * max(span.font_size, 4.0):
                groups[-1].append(span)
                continue
        groups.append([span])
    texts: list[str] = []
    starts: list[float] = []
    for group in groups:
        raw = TextLine(spans=tuple(group)).text
        # Runs of spaces inside one span also separate fields.
        for part in re.split(r"\s{3,}|\t", raw):
            part = _join_letter_spacing(clean_text(part))
            if part:
                texts.append(part)
                starts.append(group[0].x0)
    return texts, starts


_SPACED_RE = re.compile(r"(?:\w ){3,}\w")


def _join_letter_spacing(text: str) -> str:
    """ "J O R D A N" -> "JORDAN": letter-spaced headings read back as words."""
    if _SPACED_RE.fullmatch(text):
        return text.replace(" ", "")
    return text


def _row_from(line: TextLine) -> Row | None:
    segments, starts = _segments(line)
    text = clean_text(" ".join(segments)) if segments else ""
    if not text:
        return None
    return Row(
        text=text,
        segments=segments,
        seg_x0=starts,
        x0=line.x0,
        x1=line.x1,
        top=line.top,
        bottom=line.bottom,
        size=round(line.font_size, 1),
        bold=line.bold,
        page=line.page,
        column=line.column,
        heading_level=line.heading_level,
        bullet=line.is_list_item,
    )


def _strip_bullet(row: Row) -> None:
    match = _BULLET_RE.match(row.text)
    # A leading hyphen only counts as a bullet when a space follows ("- Built", not "-3%").
    if match and not (row.text[0] in "-–—" and not row.text[1:2].isspace()):
        row.bullet = True
        row.text = row.text[match.end() :].strip()
        if row.segments:
            first = _BULLET_RE.sub("", row.segments[0], count=1).strip()
            row.segments = ([first] if first else []) + row.segments[1:]
            if not first:
                row.seg_x0 = row.seg_x0[1:]


def _is_lone_glyph(row: Row) -> bool:
    return len(row.text) <= 2 and all(c in BULLET_CHARS or c.isspace() for c in row.text)


def _merge_into(target: Row, row: Row) -> None:
    """Put ``row``'s segments beside ``target``'s, left to right."""
    pairs = sorted(
        zip(target.seg_x0 + row.seg_x0, target.segments + row.segments, strict=True),
        key=lambda p: p[0],
    )
    target.seg_x0 = [p[0] for p in pairs]
    target.segments = [p[1] for p in pairs]
    target.text = " ".join(target.segments)
    target.x0 = min(target.x0, row.x0)
    target.x1 = max(target.x1, row.x1)


def _same_baseline(a: Row, b: Row) -> bool:
    return (
        a.page == b.page
        and a.column == b.column
        and abs(a.top - b.top) < 0.45 * max(a.size, b.size)
        and (b.x0 >= a.x1 - 1 or b.x1 <= a.x0 + 1)
    )


def _is_side_note(row: Row) -> bool:
    """A short flush-right piece (dates, a place) that belongs to another row."""
    return find_date_range(row.text) is not None or (row.words <= 4 and not row.bullet)


def build_rows(doc: ExtractedDocument) -> list[Row]:
    """The document's rows in reading order, flush-right pieces joined to their row."""
    rows: list[Row] = []
    pending_bullet = False
    for line in doc.lines:
        row = _row_from(line)
        if row is None:
            continue
        if _is_lone_glyph(row):
            # Some generators draw the bullet as its own text object.
            pending_bullet = True
            continue
        _strip_bullet(row)
        if pending_bullet:
            row.bullet = True
            pending_bullet = False
        if _is_side_note(row) and not row.bullet:
            target = next(
                (r for r in reversed(rows[-80:]) if _same_baseline(r, row) and row.x0 > r.x0),
                None,
            )
            if target is not None:
                _merge_into(target, row)
                continue
        rows.append(row)
    rows = _join_wrapped_names(_join_wrapped_cells(drop_page_furniture(rows)))
    edges = _column_edges(rows, doc.page_width)
    for i, row in enumerate(rows):
        row.index = i
        row.edge = edges[row.column]
    return rows


def _wraps_date(upper: Row, lower: Row) -> bool:
    """``lower`` finishes the date range that ``upper``'s last cell began ("May 2023 - June"
    over "2024"): a header row whose cells both wrapped onto a second line."""
    if (
        len(upper.segments) < 2
        or len(lower.segments) != len(upper.segments)
        or upper.page != lower.page
        or upper.column != lower.column
        or upper.bold != lower.bold
        or lower.top - upper.bottom > 0.6 * upper.size
    ):
        return False
    tail, below = upper.segments[-1], lower.segments[-1]
    alone = [find_date_range(t) for t in (tail, below)]
    if any(d is not None and d.is_range for d in alone):
        return False
    joined = find_date_range(f"{tail} {below}")
    return joined is not None and joined.is_range


def _join_wrapped_cells(rows: list[Row]) -> list[Row]:
    """Rows whose cells wrapped together are put back into one row, cell by cell."""
    out: list[Row] = []
    for row in rows:
        if out and _wraps_date(out[-1], row):
            upper = out[-1]
            upper.segments = [f"{a} {b}" for a, b in zip(upper.segments, row.segments, strict=True)]
            upper.text = " ".join(upper.segments)
            upper.x1 = max(upper.x1, row.x1)
            upper.bottom = row.bottom
            continue
        out.append(row)
    return out


# A line that stops on a comma or a joining word has not finished what it was saying.
OPEN_END_RE = re.compile(
    r"(?:[,;\-–—(&]|\b(?:and|or|of|the|to|with|for|in|on|a|an|by|from|as|at|into|across"
    r"|de|del|la|di|du|van|von|der|und|et|y|e))$",
    re.IGNORECASE,
)


def _wrap_joiner(upper: Row, lower: Row) -> str | None:
    """How ``lower``, the wrapped end of ``upper``'s field, joins it (a space, or nothing
    inside an address), or None when ``lower`` is a line of its own. Wraps seen in narrow
    columns: "Institute of" / "Technology", "Jensenchester State" / "University",
    "September 2011 - May" / "2014", "jane.doe@mail." / "com", "Lyon," / "France"."""
    if (
        lower.bullet
        or len(lower.segments) != 1
        or lower.words > 4
        or upper.page != lower.page
        or upper.column != lower.column
        or abs(upper.size - lower.size) > 0.2
        or not 0 <= lower.top - upper.bottom < 0.6 * upper.size
        or abs(lower.x0 - (upper.seg_x0[0] if upper.seg_x0 else upper.x0)) > 2
    ):
        return None
    head = upper.segments[0] if upper.segments else upper.text
    tail, text = head.rstrip(), lower.text
    single = len(upper.segments) <= 1
    if single and "@" in tail and tail.endswith((".", "-", "_", "@")) and " " not in text:
        return ""
    lower_date = find_date_range(text)
    if single and lower_date is not None:
        alone = find_date_range(tail)
        joined = find_date_range(f"{tail} {text}")
        wraps = joined is not None and joined.is_range and not (alone and alone.is_range)
        return " " if wraps else None
    if lower_date is not None:
        return None
    if OPEN_END_RE.search(tail):
        return " " if text[:1].isupper() else None
    if upper.bold != lower.bold or not single:
        return None
    joined_text = f"{tail} {text}"
    if is_school(joined_text) and not is_school(tail) and lower.words <= 2:
        return " "
    if "," in tail and is_location(joined_text) and not is_location(tail):
        return " "
    return None


def _join_wrapped_names(rows: list[Row]) -> list[Row]:
    """A field that wrapped onto the next line is joined back to its first line."""
    out: list[Row] = []
    for row in rows:
        joiner = _wrap_joiner(out[-1], row) if out else None
        if joiner is not None:
            upper = out[-1]
            if upper.segments:
                upper.segments[0] = f"{upper.segments[0]}{joiner}{row.text}"
            upper.text = " ".join(upper.segments) if upper.segments else row.text
            upper.x1 = max(upper.x1, row.x1)
            upper.bottom = row.bottom
            continue
        out.append(row)
    return out


def _column_edges(rows: list[Row], page_width: float) -> dict[int, float]:
    """Each column's right text edge, when rows really wrap there (else infinity)."""
    edges: dict[int, float] = {}
    left = min((r.x0 for r in rows), default=0.0)
    columns = {r.column for r in rows}
    for column in columns:
        mine = [r for r in rows if r.column == column]
        edge = max(r.x1 for r in mine)
        near = sum(1 for r in mine if r.x1 >= edge - 1.5 * r.size) if len(columns) > 1 else 0
        # Several rows ending at one right margin, or the page's own margin, mark a
        # wrapping edge; one long bullet alone does not.
        at_margin = edge >= page_width - left - 3 * max(r.size for r in mine)
        edges[column] = edge if near >= 4 or at_margin else float("inf")
    return edges


def reaches_edge(row: Row, following: Row | None = None) -> bool:
    """True when the row runs so near its column's right edge that ``following``'s first
    word would not have fitted after it (so ``following`` may continue it)."""
    slack = max(3 * row.size, 0.05 * (row.edge - row.x0))
    if following is not None and following.text:
        # Average glyphs are about half an em wide; one space plus the word.
        slack = max(slack, 0.55 * following.size * (len(following.text.split()[0]) + 1))
    return row.x1 >= row.edge - slack


def body_size(rows: list[Row]) -> float:
    """The font size of most of the text."""
    weights: dict[float, int] = {}
    for row in rows:
        weights[row.size] = weights.get(row.size, 0) + len(row.text)
    return max(weights, key=lambda k: weights[k]) if weights else 10.0
