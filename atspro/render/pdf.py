"""Markdown to a one-column resume PDF with fpdf2: a Unicode font when one is installed, else
core fonts; text the font has no glyphs for is transliterated (anyascii).

The layout is computed here rather than by fpdf2's HTML renderer, which gives no control over
page breaks: blocks (``blocks``) become lines of styled fragments, the lines become boxes that
``paginate`` splits into pages, then the boxes are drawn. When a small step down in size saves
a page (a resume a few lines over one page), the smaller size is used.
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Literal

from anyascii import anyascii
from fpdf import FPDF
from fpdf.fonts import TTFFont

from atspro.render.blocks import Block, Kind, Run, markdown_blocks
from atspro.render.fonts import find_unicode_font
from atspro.render.paginate import Box, paginate

Paper = Literal["letter", "a4"]

_FAMILY = "ResumeSans"
_PAPER: dict[str, tuple[float, float]] = {"letter": (612.0, 792.0), "a4": (595.28, 841.89)}
# Side margins 0.75 in, top and bottom 0.6 in: inside the usual 0.5-1 in on either paper.
_SIDE = 54.0
_TOP = _BOTTOM = 43.2
# Tried in order when the first does not fit the fewest pages; 0.9 keeps body text at 9 pt.
_SCALES = (1.0, 0.95, 0.9)
_INK = (33, 33, 33)
_ACCENT = (31, 61, 107)
_MUTED = (90, 90, 90)
_RULE = (170, 178, 190)
_INDENT = 13.0


@dataclass(frozen=True, slots=True)
class _Style:
    size: float
    bold: bool = False
    italic: bool = False
    color: tuple[int, int, int] = _INK
    leading: float = 1.3
    space_before: float = 0.0
    centered: bool = False
    upper: bool = False
    keep: bool = False  # a heading: stays with what follows


_STYLES: dict[Kind, _Style] = {
    "title": _Style(21, bold=True, leading=1.2, centered=True, keep=True),
    "contact": _Style(9, color=_MUTED, space_before=2, centered=True, keep=True),
    "section": _Style(10.5, bold=True, color=_ACCENT, space_before=11, upper=True, keep=True),
    "role": _Style(10.5, space_before=8, keep=True),  # runs bold the title
    "meta": _Style(9.5, italic=True, color=_MUTED, keep=True),
    "subhead": _Style(10, bold=True, space_before=5, keep=True),
    "para": _Style(10, space_before=3),
    "item": _Style(10, space_before=1.5),
    "code": _Style(9, color=_MUTED),
    "rule": _Style(10, space_before=4),
}


@dataclass(frozen=True, slots=True)
class _Frag:
    x: float
    text: str
    style: str  # fpdf2 emphasis: "", "B", "I" or "BI"
    size: float
    color: tuple[int, int, int]
    width: float
    href: str = ""


@dataclass(slots=True)
class _Line:
    """What one box draws: text fragments and maybe a rule under them, or a rule alone."""

    frags: list[_Frag] = field(default_factory=list)
    size: float = 10.0
    rule_below: bool = False
    rule_only: bool = False


class _Measure:
    """The font's view of text: what it can draw, and string widths per emphasis (cached at
    1 pt, as widths scale linearly)."""

    def __init__(self, pdf: FPDF, family: str) -> None:
        self._pdf = pdf
        self._family = family
        pdf.set_font(family)
        font = pdf.current_font
        # Core fonts only cover Latin-1; a TrueType font what its character map lists.
        self.core = not isinstance(font, TTFFont)
        self._chars = font.cmap if isinstance(font, TTFFont) else None
        self._cache: dict[tuple[str, str], float] = {}

    def drawable(self, text: str) -> str:
        """``text`` with what the font has no glyph for transliterated (王 -> Wang), so a
        name in another script still shows instead of blank boxes."""
        chars = self._chars
        if chars is None:
            return "".join(c if ord(c) < 256 else anyascii(c) for c in text)
        return "".join(c if ord(c) in chars or c in " \t\n" else anyascii(c) for c in text)

    def width(self, text: str, style: str, size: float) -> float:
        key = (style, text)
        unit = self._cache.get(key)
        if unit is None:
            self._pdf.set_font(self._family, style, 100)
            unit = self._pdf.get_string_width(text) / 100
            self._cache[key] = unit
        return unit * size


def _emphasis(bold: bool, italic: bool) -> str:
    return ("B" if bold else "") + ("I" if italic else "")


def _words(runs: tuple[Run, ...], style: _Style, measure: _Measure) -> Iterator[tuple[str, Run]]:
    """Words and the spaces between them, each with its run; ``\\n`` for a hard break."""
    for run in runs:
        text = measure.drawable(run.text)
        text = text.upper() if style.upper else text
        start = 0
        for i, char in enumerate(text):
            if char in " \t\n":
                if i > start:
                    yield text[start:i], run
                yield ("\n" if char == "\n" else " "), run
                start = i + 1
        if start < len(text):
            yield text[start:], run


def _wrap(
    runs: tuple[Run, ...], style: _Style, width: float, x0: float, measure: _Measure
) -> list[list[_Frag]]:
    """Greedy line breaking of styled words into lines no wider than ``width``."""
    lines: list[list[_Frag]] = [[]]
    used = 0.0
    pending: _Frag | None = None
    for word, run in _words(runs, style, measure):
        emphasis = _emphasis(style.bold or run.bold, style.italic or run.italic)
        if word == "\n":
            lines.append([])
            used, pending = 0.0, None
            continue
        w = measure.width(word, emphasis, style.size)
        if word == " ":
            if lines[-1]:
                pending = _Frag(0, " ", emphasis, style.size, style.color, w, run.href)
            continue
        gap = pending.width if pending else 0.0
        if lines[-1] and used + gap + w > width:
            lines.append([])
            used, pending = 0.0, None
        elif pending:
            lines[-1].append(_at(pending, x0 + used))
            used += pending.width
            pending = None
        for piece, piece_w in _split_long(word, emphasis, style.size, w, width, measure):
            if lines[-1] and used + piece_w > width:
                lines.append([])
                used = 0.0
            frag = _Frag(x0 + used, piece, emphasis, style.size, style.color, piece_w, run.href)
            lines[-1].append(frag)
            used += piece_w
    return [_merge(line) for line in lines if line] or [[]]


def _at(frag: _Frag, x: float) -> _Frag:
    return _Frag(x, frag.text, frag.style, frag.size, frag.color, frag.width, frag.href)


def _split_long(
    word: str, emphasis: str, size: float, w: float, width: float, measure: _Measure
) -> Iterator[tuple[str, float]]:
    """A word wider than the column (a long URL) in pieces that fit."""
    if w <= width:
        yield word, w
        return
    piece = ""
    for char in word:
        if piece and measure.width(piece + char, emphasis, size) > width:
            yield piece, measure.width(piece, emphasis, size)
            piece = ""
        piece += char
    if piece:
        yield piece, measure.width(piece, emphasis, size)


def _merge(line: list[_Frag]) -> list[_Frag]:
    """Adjacent fragments of one style as one (fewer text operators, cleaner extraction)."""
    out: list[_Frag] = []
    for frag in line:
        last = out[-1] if out else None
        if last and (last.style, last.color, last.href, last.size) == (
            frag.style,
            frag.color,
            frag.href,
            frag.size,
        ):
            out[-1] = _Frag(
                last.x, last.text + frag.text, last.style, last.size, last.color,
                last.width + frag.width, last.href,
            )  # fmt: skip
        else:
            out.append(frag)
    return out


def _scaled(style: _Style, scale: float) -> _Style:
    return _Style(
        style.size * scale,
        style.bold,
        style.italic,
        style.color,
        style.leading,
        style.space_before * scale,
        style.centered,
        style.upper,
        style.keep,
    )


def _shift(line: list[_Frag], dx: float) -> list[_Frag]:
    return [_at(f, f.x + dx) for f in line]


def _layout(
    blocks: list[Block], measure: _Measure, left: float, width: float, scale: float
) -> tuple[list[Box], list[_Line]]:
    """Boxes (for page breaks) and what each draws, in order."""
    boxes: list[Box] = []
    lines: list[_Line] = []
    content_since_heading = 2
    i = 0
    while i < len(blocks):
        block = blocks[i]
        style = _scaled(_STYLES[block.kind], scale)
        height = style.size * style.leading
        if block.kind == "rule":
            boxes.append(Box(6 * scale, style.space_before))
            lines.append(_Line(rule_only=True))
            i += 1
            continue
        indent = (block.depth + (block.kind == "item")) * _INDENT * scale
        x0 = left + indent
        wrapped = _wrap(block.runs, style, width - indent, x0, measure)
        meta = blocks[i + 1] if i + 1 < len(blocks) and blocks[i + 1].kind == "meta" else None
        if block.kind == "role" and meta is not None and len(wrapped) == 1:
            # Dates and place right-aligned on the role's line when both fit on it.
            meta_style = _scaled(_STYLES["meta"], scale)
            meta_line = _wrap(meta.runs, meta_style, width, left, measure)
            used = sum(f.width for f in wrapped[0])
            room = width - used - 12 * scale
            if len(meta_line) == 1 and sum(f.width for f in meta_line[0]) <= room:
                extra = sum(f.width for f in meta_line[0])
                wrapped[0] += _shift(meta_line[0], width - extra)
                i += 1
        for n, frags in enumerate(wrapped):
            if style.centered:
                frags = _shift(frags, (width - indent - sum(f.width for f in frags)) / 2)
            line = _Line(frags, style.size)
            if n == 0 and block.marker:
                # A glyph, not a drawn dot: text extraction (and so ATS parsers) sees the list.
                mark = "-" if measure.core and block.marker == "\u2022" else block.marker
                mark_w = measure.width(mark, "", style.size)
                x = x0 - mark_w - 5 * scale
                line.frags = [_Frag(x, mark, "", style.size, style.color, mark_w), *frags]
            keep = style.keep or (n == 0 < len(wrapped) - 1) or (n == len(wrapped) - 2 > 0)
            if not style.keep:
                keep = keep or content_since_heading < 1
                content_since_heading += 1
            else:
                content_since_heading = 0
            extra_h = 0.0
            if block.kind == "section":
                line.rule_below = True
                extra_h = 4 * scale
            boxes.append(Box(height + extra_h, style.space_before if n == 0 else 0.0, keep))
            lines.append(line)
        i += 1
    if len(boxes) >= 2:
        # The document's last page holds at least two lines.
        last = boxes[-2]
        boxes[-2] = Box(last.height, last.space_before, True)
    return boxes, lines


def _draw(pdf: FPDF, family: str, line: _Line, y: float, height: float, left: float, width: float) -> None:  # fmt: skip
    if line.rule_only:
        pdf.set_draw_color(*_RULE)
        pdf.set_line_width(0.6)
        pdf.line(left, y + height / 2, left + width, y + height / 2)
        return
    text_h = line.size * 1.3 if line.rule_below else height
    # Baseline that centres DejaVu's ascent (0.93 em) and descent (0.24 em) in the line.
    baseline = y + text_h / 2 + 0.345 * line.size
    for frag in line.frags:
        pdf.set_font(family, frag.style, frag.size)
        pdf.set_text_color(*frag.color)
        pdf.text(frag.x, baseline, frag.text)
        if frag.href:
            pdf.link(frag.x, y, frag.width, text_h, frag.href)
    if line.rule_below:
        pdf.set_draw_color(*_RULE)
        pdf.set_line_width(0.6)
        rule_y = baseline + 0.3 * line.size + 1.5
        pdf.line(left, rule_y, left + width, rule_y)


def _emphases(blocks: list[Block]) -> set[str]:
    """The fpdf2 styles the blocks are drawn in (regular always: markers use it)."""
    used = {""}
    for block in blocks:
        style = _STYLES[block.kind]
        for run in block.runs:
            used.add(_emphasis(style.bold or run.bold, style.italic or run.italic))
    return used


def markdown_to_pdf(
    md: str, *, paper: Paper = "letter", font_dirs: tuple[Path, ...] | None = None
) -> bytes:
    """Render ``md`` on Letter or A4 paper and return the PDF's bytes."""
    font = find_unicode_font(font_dirs) if font_dirs is not None else find_unicode_font()
    page_w, page_h = _PAPER[paper]
    pdf = FPDF(unit="pt", format=(page_w, page_h))
    pdf.set_margins(_SIDE, _TOP, _SIDE)
    pdf.set_auto_page_break(auto=False)
    blocks = markdown_blocks(md)
    if font is not None:
        files = {"": font.regular, "B": font.bold, "I": font.italic, "BI": font.bold_italic}
        # Loading a TrueType file is most of a render's time: only the styles drawn.
        for emphasis in sorted(_emphases(blocks)):
            pdf.add_font(_FAMILY, emphasis, str(files[emphasis]))
        family = _FAMILY
    else:
        family = "helvetica"
    measure = _Measure(pdf, family)
    width = page_w - 2 * _SIDE
    available = page_h - _TOP - _BOTTOM
    best: tuple[list[Box], list[_Line], list[range]] | None = None
    for scale in _SCALES:
        boxes, lines = _layout(blocks, measure, _SIDE, width, scale)
        pages = paginate(boxes, available)
        if best is None or len(pages) < len(best[2]):
            best = (boxes, lines, pages)
        if len(pages) == 1:
            break
    assert best is not None
    boxes, lines, pages = best
    for page in pages:
        pdf.add_page()
        y = _TOP
        for i in page:
            if i > page.start:
                y += boxes[i].space_before
            _draw(pdf, family, lines[i], y, boxes[i].height, _SIDE, width)
            y += boxes[i].height
    return bytes(pdf.output())
