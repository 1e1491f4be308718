"""Lay out flow-format text (DOCX, HTML, Markdown, TXT...) on a synthetic grid.

Each block becomes one line per row: ``top`` grows by a fixed line height, ``x0`` comes
from indentation, and heading level, bold and list membership come from the markup.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass, field

from atspro.errors import DocumentError
from atspro.extraction.document import ExtractedDocument, TextLine, TextSpan

BODY_SIZE = 10.0
_HEADING_SIZES = {1: 20.0, 2: 16.0, 3: 14.0, 4: 12.0, 5: 11.0, 6: 10.5}
_LEFT = 72.0
_INDENT = 18.0
_LINE_GAP = 1.4
_WHITESPACE = re.compile(r"[^\S\t]+")
# A tab or a run of three or more spaces separates fields ("Engineer      2019 - 2021"): it
# becomes a gap between spans, as a flush-right date is in a PDF.
_FIELD_GAP = re.compile(r"[^\S\n]*(?:\t|[^\S\n]{3,})[^\S\n]*")
_GAP_EMS = 4.0


@dataclass(frozen=True, slots=True)
class Run:
    """Text with one emphasis."""

    text: str
    bold: bool = False
    italic: bool = False


@dataclass(slots=True)
class Block:
    """A paragraph-like unit of a flow document (a paragraph, heading, list item, cell row)."""

    runs: list[Run] = field(default_factory=list)
    heading_level: int = 0
    is_list_item: bool = False
    indent: int = 0


def _clean(text: str) -> str:
    return _WHITESPACE.sub(" ", _FIELD_GAP.sub("\t", text.replace("\u00a0", " ")))


def _split_lines(runs: list[Run]) -> list[list[Run]]:
    """Break runs at embedded newlines (``<br>``, soft line breaks) into visual lines."""
    lines: list[list[Run]] = [[]]
    for run in runs:
        parts = run.text.split("\n")
        for i, part in enumerate(parts):
            if i:
                lines.append([])
            if part:
                lines[-1].append(Run(part, run.bold, run.italic))
    return lines


def layout_blocks(
    blocks: Iterable[Block],
    *,
    media_type: str,
    metadata: dict[str, str] | None = None,
) -> ExtractedDocument:
    """Place blocks on the grid; raise DocumentError(reason="empty") when nothing has text."""
    lines: list[TextLine] = []
    top = _LEFT
    for block in blocks:
        size = _HEADING_SIZES.get(block.heading_level, BODY_SIZE)
        for runs in _split_lines(block.runs):
            spans: list[TextSpan] = []
            x = _LEFT + _INDENT * block.indent
            for run in _merge(runs):
                for i, piece in enumerate(run.text.split("\t")):
                    if i:
                        x += _GAP_EMS * size
                    if not piece.strip():
                        continue
                    width = 0.5 * size * len(piece)
                    spans.append(
                        TextSpan(
                            text=piece,
                            x0=x,
                            top=top,
                            x1=x + width,
                            bottom=top + size,
                            font_size=size,
                            bold=run.bold or block.heading_level > 0,
                            italic=run.italic,
                        )
                    )
                    x += width
            if not spans:
                continue
            lines.append(
                TextLine(
                    spans=tuple(spans),
                    heading_level=block.heading_level,
                    is_list_item=block.is_list_item,
                )
            )
            top += size * _LINE_GAP
    if not any(line.text for line in lines):
        raise DocumentError("The document contains no text.", reason="empty")
    return ExtractedDocument(
        media_type=media_type,
        lines=[line for line in lines if line.text],
        page_count=1,
        columns_per_page=[1],
        metadata=metadata or {},
    )


def _merge(runs: list[Run]) -> list[Run]:
    """Join neighbouring runs of the same emphasis and normalise whitespace."""
    merged: list[Run] = []
    for run in runs:
        if merged and merged[-1].bold == run.bold and merged[-1].italic == run.italic:
            merged[-1] = Run(merged[-1].text + run.text, run.bold, run.italic)
        else:
            merged.append(run)
    out: list[Run] = []
    for i, run in enumerate(merged):
        text = _clean(run.text)
        if i == 0:
            text = text.lstrip()
        if i == len(merged) - 1:
            text = text.rstrip()
        if text.strip():
            out.append(Run(text, run.bold, run.italic))
        elif text and out and not out[-1].text.endswith((" ", "\t")):
            # A space-only run still separates its neighbours' words (a tab, their fields).
            gap = "\t" if "\t" in text else " "
            out[-1] = Run(out[-1].text + gap, out[-1].bold, out[-1].italic)
    return out


def with_target(text: str, target: str | None) -> str:
    """Link text with its address kept when the text does not already show it."""
    if not target:
        return text
    shown = target.removeprefix("mailto:").removeprefix("tel:")
    if target.startswith("#") or shown in text:
        return text
    return f"{text} ({shown})" if text.strip() else shown
