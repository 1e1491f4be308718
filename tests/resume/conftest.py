"""Fixtures for the resume tests: the shared sample data and a document builder."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

import pytest

from atspro.extraction import ExtractedDocument, ExtractionLimits, extract_document
from atspro.extraction.document import TextLine, TextSpan

# One row of a built document: text, then optional style/position overrides.
RowSpec = str | tuple[str, dict[str, object]]


def build_doc(rows: list[RowSpec], *, page_width: float = 612.0) -> ExtractedDocument:
    """An ExtractedDocument laid out like a PDF: one line per row, 14 pt apart.

    Options per row: size, bold, x0, column, page, bullet, top, right (a flush-right span).
    """
    lines: list[TextLine] = []
    top = 40.0
    for spec in rows:
        text, opts = (spec, {}) if isinstance(spec, str) else spec
        size = float(opts.get("size", 10.0))  # type: ignore[arg-type]
        x0 = float(opts.get("x0", 54.0))  # type: ignore[arg-type]
        top = float(opts.get("top", top))  # type: ignore[arg-type]
        bold = bool(opts.get("bold", False))
        width = 0.5 * size * len(text)
        spans = [TextSpan(text, x0, top, x0 + width, top + size, size, bold)]
        right = opts.get("right")
        if isinstance(right, str):
            rx = page_width - 54 - 0.5 * size * len(right)
            spans.append(TextSpan(right, rx, top, page_width - 54, top + size, size, bold))
        lines.append(
            TextLine(
                spans=tuple(spans),
                page=int(opts.get("page", 0)),  # type: ignore[call-overload]
                column=int(opts.get("column", 0)),  # type: ignore[call-overload]
                is_list_item=bool(opts.get("bullet", False)),
            )
        )
        top += size * 1.5
    return ExtractedDocument(media_type="application/pdf", lines=lines, page_width=page_width)


@pytest.fixture
def make_doc() -> Callable[..., ExtractedDocument]:
    """The document builder, as a fixture."""
    return build_doc


def read_document(path: Path) -> ExtractedDocument:
    """Extract a real file with the default limits."""
    return extract_document(path.read_bytes(), limits=ExtractionLimits(), filename=path.name)
