"""Turn positioned glyphs of one page into text lines in reading order.

Glyphs arrive in content-stream order. They are chained into *segments* (runs on one
baseline without a wide gap), segments are split into columns when a vertical gutter
separates two independently flowing blocks of text, and each column is cut into rows.
A narrow "label rail" (section labels left of the content they head) is not a column:
its labels are emitted just before the rows they sit beside.
"""

from __future__ import annotations

import itertools
import math
import statistics
from dataclasses import dataclass, field

from atspro.extraction.document import TextLine, TextSpan

# A gap wider than this many ems ends a segment (tab stops, gutters, flush-right dates).
_SEGMENT_GAP_EM = 1.2
# A gap wider than this many ems between glyphs is a word break even without a space glyph.
_WORD_GAP_EM = 0.15
# This many single-letter words in a row is letter-spaced text ("J O H N").
_LETTER_SPACED_RUN = 4


@dataclass(frozen=True, slots=True)
class FontStyle:
    """What a glyph's font says about emphasis."""

    name: str = ""
    bold: bool = False
    italic: bool = False
    # A pictogram font (Font Awesome and the like): its glyphs are not text.
    icon: bool = False


@dataclass(frozen=True, slots=True)
class Glyph:
    """One character with its box (top-left origin, points) and font."""

    char: str
    x0: float
    top: float
    x1: float
    bottom: float
    size: float
    style: FontStyle
    # A space glyph came before this one in the content stream.
    space_before: bool = False


@dataclass(slots=True)
class Segment:
    """Glyphs on one baseline with no wide gap, left to right."""

    glyphs: list[Glyph] = field(default_factory=list)
    x0: float = math.inf
    x1: float = -math.inf
    top: float = math.inf
    bottom: float = -math.inf

    def add(self, glyph: Glyph) -> None:
        self.glyphs.append(glyph)
        self.x0 = min(self.x0, glyph.x0)
        self.x1 = max(self.x1, glyph.x1)
        self.top = min(self.top, glyph.top)
        self.bottom = max(self.bottom, glyph.bottom)

    @property
    def size(self) -> float:
        return statistics.median(g.size for g in self.glyphs)

    @property
    def height(self) -> float:
        return self.bottom - self.top


def _same_row(a_top: float, a_bottom: float, b_top: float, b_bottom: float) -> bool:
    overlap = min(a_bottom, b_bottom) - max(a_top, b_top)
    smaller = min(a_bottom - a_top, b_bottom - b_top)
    return overlap >= 0.5 * max(smaller, 0.1)


def build_segments(glyphs: list[Glyph]) -> list[Segment]:
    """Chain glyphs, in stream order, into segments broken at line changes and wide gaps."""
    segments: list[Segment] = []
    current: Segment | None = None
    prev: Glyph | None = None
    for glyph in glyphs:
        if current is not None and prev is not None:
            em = max(glyph.size, prev.size, 1.0)
            gap = glyph.x0 - prev.x1
            if (
                _same_row(prev.top, prev.bottom, glyph.top, glyph.bottom)
                and -0.5 * em <= gap <= _SEGMENT_GAP_EM * em
            ):
                current.add(glyph)
                prev = glyph
                continue
        current = Segment()
        current.add(glyph)
        segments.append(current)
        prev = glyph
    return segments


def _word_breaks(glyphs: list[Glyph]) -> list[bool]:
    """For each glyph, whether a word break comes before it (first glyph: False)."""
    breaks = [False] * len(glyphs)
    for i in range(1, len(glyphs)):
        prev, cur = glyphs[i - 1], glyphs[i]
        gap = cur.x0 - prev.x1
        breaks[i] = cur.space_before or gap > _WORD_GAP_EM * max(cur.size, prev.size, 1.0)
    _join_letter_spacing(glyphs, breaks)
    return breaks


def _join_letter_spacing(glyphs: list[Glyph], breaks: list[bool]) -> None:
    """Re-cut runs of single-letter words ("J O H N  D O E") at their wide gaps only."""
    starts = [i for i, b in enumerate(breaks) if b or i == 0]
    lengths = [
        (starts[k + 1] if k + 1 < len(starts) else len(glyphs)) - s for k, s in enumerate(starts)
    ]
    k = 0
    while k < len(starts):
        end = k
        while end < len(starts) and lengths[end] == 1 and glyphs[starts[end]].char.isalnum():
            end += 1
        if end - k >= _LETTER_SPACED_RUN:
            run = starts[k:end]
            gaps = [glyphs[run[j]].x0 - glyphs[run[j - 1]].x1 for j in range(1, len(run))]
            usual = statistics.median(gaps)
            for j in range(1, len(run)):
                breaks[run[j]] = gaps[j - 1] > 1.6 * usual + 0.5
        k = max(end, k + 1)


def segment_spans(segment: Segment) -> list[TextSpan]:
    """Cut a segment into spans of one font each, with spaces at word breaks."""
    glyphs = sorted(segment.glyphs, key=lambda g: g.x0)
    breaks = _word_breaks(glyphs)
    spans: list[TextSpan] = []
    run: list[Glyph] = []
    text: list[str] = []

    def flush() -> None:
        if not run:
            return
        first = run[0]
        spans.append(
            TextSpan(
                text="".join(text),
                x0=min(g.x0 for g in run),
                top=min(g.top for g in run),
                x1=max(g.x1 for g in run),
                bottom=max(g.bottom for g in run),
                font_size=round(statistics.median(g.size for g in run), 2),
                bold=first.style.bold,
                italic=first.style.italic,
                font_name=first.style.name,
            )
        )
        run.clear()
        text.clear()

    for glyph, brk in zip(glyphs, breaks, strict=True):
        if run and (glyph.style != run[0].style or abs(glyph.size - run[0].size) > 0.5):
            # TextLine.text puts a space between spans that are apart; add one only if not.
            if brk and glyph.x0 - run[-1].x1 <= 0.15 * max(glyph.size, 1.0):
                text.append(" ")
            flush()
        elif brk:
            text.append(" ")
        run.append(glyph)
        text.append(glyph.char)
    flush()
    return spans


@dataclass(slots=True)
class _Row:
    segments: list[Segment]
    top: float
    bottom: float


def _rows(segments: list[Segment]) -> list[_Row]:
    """Group segments into rows by vertical overlap, top to bottom."""
    rows: list[_Row] = []
    for seg in sorted(segments, key=lambda s: (s.top, s.x0)):
        for row in reversed(rows[-3:]):
            if _same_row(row.top, row.bottom, seg.top, seg.bottom):
                row.segments.append(seg)
                row.top = min(row.top, seg.top)
                row.bottom = max(row.bottom, seg.bottom)
                break
        else:
            rows.append(_Row([seg], seg.top, seg.bottom))
    rows.sort(key=lambda r: r.top)
    return rows


def _row_line(row: _Row, page: int, column: int) -> TextLine:
    spans: list[TextSpan] = []
    for seg in sorted(row.segments, key=lambda s: s.x0):
        spans.extend(segment_spans(seg))
    return TextLine(spans=tuple(spans), page=page, column=column)


@dataclass(frozen=True, slots=True)
class _Split:
    """A vertical gutter and what lies on each side of it."""

    left: list[Segment]
    right: list[Segment]
    crossing: list[Segment]
    kind: str  # "columns" or "rail"


def _has_partner(seg: Segment, others: list[Segment]) -> bool:
    return any(_same_row(seg.top, seg.bottom, o.top, o.bottom) for o in others)


def _baseline_lone_share(side: list[Segment], other: list[Segment]) -> float:
    """Share of a side's segments with no segment on the other side on the same baseline.

    Items tied to a row (flush-right dates, cities) share their row's baseline exactly;
    independently flowing columns rarely do, even when their line pitches are close.
    """
    lone = sum(1 for s in side if not any(abs(s.bottom - o.bottom) < 1.0 for o in other))
    return lone / len(side)


def _chars(segments: list[Segment]) -> int:
    return sum(len(s.glyphs) for s in segments)


def _stacked_share(side: list[Segment]) -> float:
    """Share of a side's segments that sit in runs of three or more consecutive lines.

    Independent columns stack line after line; flush-right dates, locations and rail
    labels come one or two at a time beside the text they belong to.
    """
    ordered = sorted(side, key=lambda s: s.top)
    in_runs = 0
    run = 1
    for prev, cur in itertools.pairwise(ordered):
        if cur.top - prev.bottom < 1.0 * max(prev.size, cur.size):
            run += 1
            continue
        in_runs += run if run >= 3 else 0
        run = 1
    in_runs += run if run >= 3 else 0
    return in_runs / len(ordered)


def _classify(left: list[Segment], right: list[Segment], crossing: list[Segment]) -> str | None:
    """Decide whether two sides of a gutter are columns, a label rail, or one flow."""
    if len(left) < 3 or len(right) < 3:
        return None
    if len(crossing) > max(3, 0.08 * (len(left) + len(right))):
        return None
    left_chars, right_chars = _chars(left), _chars(right)
    minority, majority = (left, right) if left_chars <= right_chars else (right, left)
    if (
        min(left_chars, right_chars) >= 0.05 * (left_chars + right_chars)
        and _stacked_share(minority) >= 0.5
        and _baseline_lone_share(minority, majority) >= 0.4
    ):
        return "columns"
    # Labels beside their content: short left items, each sitting next to right-hand text.
    lone_left = sum(1 for s in left if not _has_partner(s, right)) / len(left)
    left_words = max(len("".join(g.char for g in s.glyphs).split()) for s in left)
    if lone_left < 0.3 and left_words <= 3 and len(left) <= 0.6 * len(right):
        return "rail"
    return None


def _gutters(segments: list[Segment], margin: float) -> tuple[int, list[float]]:
    """Least-covered x positions: (how many segments cross them, gutter middles widest first).

    ``margin`` is the share of the text width at each edge where no gutter is looked for.
    """
    lo = min(s.x0 for s in segments)
    width = max(s.x1 for s in segments) - lo
    bins = math.ceil(width) + 2
    diff = [0] * (bins + 1)
    for s in segments:
        a = max(0, math.ceil(s.x0 - lo))
        b = min(bins, math.floor(s.x1 - lo) + 1)
        if b > a:
            diff[a] += 1
            diff[b] -= 1
    coverage: list[int] = []
    running = 0
    for d in diff[:bins]:
        running += d
        coverage.append(running)
    start, stop = int(margin * width), int((1 - margin) * width)
    if width < 50 or stop <= start:
        return 0, []
    floor = min(coverage[start:stop])
    runs: list[tuple[int, int]] = []
    i = start
    while i < stop:
        if coverage[i] == floor:
            j = i
            while j < stop and coverage[j] == floor:
                j += 1
            runs.append((i, j))
            i = j
        else:
            i += 1
    min_gap = 0.6 * statistics.median(s.size for s in segments)
    wide = sorted((r for r in runs if r[1] - r[0] >= min_gap), key=lambda r: r[0] - r[1])
    return floor, [lo + (a + b) / 2 for a, b in wide]


def _sides(segments: list[Segment], mid: float) -> _Split:
    return _Split(
        left=[s for s in segments if s.x1 <= mid],
        right=[s for s in segments if s.x0 >= mid],
        crossing=[s for s in segments if s.x0 < mid < s.x1],
        kind="columns",
    )


def find_split(segments: list[Segment]) -> _Split | None:
    """Find the vertical gutter that best separates columns (or a label rail), if any."""
    if len(segments) < 6:
        return None
    for mid in _gutters(segments, 0.08)[1]:
        sides = _sides(segments, mid)
        kind = _classify(sides.left, sides.right, sides.crossing)
        if kind is not None:
            return _Split(sides.left, sides.right, sides.crossing, kind)
    return None


def _bands(segments: list[Segment]) -> list[list[Segment]]:
    """Cut a page into horizontal bands at blank vertical gaps of at least a line."""
    gap = statistics.median(s.size for s in segments)
    bands: list[list[Segment]] = []
    bottom = -math.inf
    for seg in sorted(segments, key=lambda s: s.top):
        if seg.top > bottom + gap or not bands:
            bands.append([])
        bands[-1].append(seg)
        bottom = max(bottom, seg.bottom) if len(bands[-1]) > 1 else seg.bottom
    return bands


def _local_split(band: list[Segment]) -> _Split | None:
    """A block beside another in one band (a name beside a stack of contact lines)."""
    if len(band) < 3:
        return None
    floor, middles = _gutters(band, 0.02)
    if floor:
        return None
    for mid in middles:
        sides = _sides(band, mid)
        if not sides.left or not sides.right:
            continue
        minority, majority = sorted((sides.left, sides.right), key=len)
        if len(majority) >= 2 and _baseline_lone_share(minority, majority) >= 0.5:
            return sides
    return None


def _banded_lines(segments: list[Segment], page: int) -> list[TextLine]:
    """Rows top to bottom; a band holding two side-by-side blocks is read block by block."""
    lines: list[TextLine] = []
    for band in _bands(segments):
        split = _local_split(band)
        if split is None:
            lines.extend(_row_line(r, page, 0) for r in _rows(band))
            continue
        for column, side in ((0, split.left), (1, split.right)):
            lines.extend(_row_line(r, page, column) for r in _rows(side))
    return lines


def _column_lines(split: _Split, page: int) -> list[TextLine]:
    """Header rows, then each band's left column and right column, split at full-width rows."""
    lines: list[TextLine] = []
    # Lines above where both columns have begun belong to the page header (name, contacts).
    start = max(min(s.top for s in split.left), min(s.top for s in split.right))
    header = [s for s in split.left + split.right if s.bottom <= start]
    split = _Split(
        [s for s in split.left if s.bottom > start],
        [s for s in split.right if s.bottom > start],
        split.crossing + header,
        split.kind,
    )
    crossing_rows = _rows(split.crossing)
    bounds = [r.top for r in crossing_rows] + [math.inf]
    for band, upper in enumerate(bounds):
        lower = crossing_rows[band - 1].bottom if band > 0 else -math.inf

        def in_band(seg: Segment, lower: float = lower, upper: float = upper) -> bool:
            mid = (seg.top + seg.bottom) / 2
            return lower <= mid < upper

        for column, side in ((0, split.left), (1, split.right)):
            lines.extend(_row_line(r, page, column) for r in _rows([s for s in side if in_band(s)]))
        if band < len(crossing_rows):
            lines.append(_row_line(crossing_rows[band], page, 0))
    return lines


def _rail_lines(split: _Split, page: int) -> list[TextLine]:
    """Rows of the content; each block of rail labels goes just before the row it heads."""
    blocks: list[list[Segment]] = []
    for seg in sorted(split.left, key=lambda s: s.top):
        last = blocks[-1][-1] if blocks else None
        if last is not None and seg.top - last.bottom < 0.6 * last.size:
            blocks[-1].append(seg)
        else:
            blocks.append([seg])
    rows = _rows(split.right + split.crossing)
    lines: list[TextLine] = []
    pending = sorted(blocks, key=lambda b: b[0].top)
    for row in rows:
        while pending and pending[0][0].top <= row.bottom:
            lines.extend(_row_line(r, page, 0) for r in _rows(pending.pop(0)))
        lines.append(_row_line(row, page, 1 if row.segments[0] in split.right else 0))
    for block in pending:
        lines.extend(_row_line(r, page, 0) for r in _rows(block))
    return lines


def order_page(glyphs: list[Glyph], page: int) -> tuple[list[TextLine], int]:
    """Lines of one page in reading order, and how many text columns it has."""
    segments = build_segments(glyphs)
    if not segments:
        return [], 1
    split = find_split(segments)
    if split is None:
        return _banded_lines(segments, page), 1
    if split.kind == "rail":
        return _rail_lines(split, page), 1
    return _column_lines(split, page), 2
