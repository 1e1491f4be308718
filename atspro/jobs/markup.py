"""HTML fragments (descriptions, board content) -> parser lines, via document extraction."""

from __future__ import annotations

import html
import re

from atspro.extraction import ExtractionLimits, extract_document
from atspro.jobs.parser import SourceLine, lines_from_document, lines_from_text

_HAS_TAG = re.compile(r"<(?:p|br|div|li|ul|ol|h[1-6]|strong|b|span|em|table)\b", re.IGNORECASE)
_LIMITS = ExtractionLimits()


def html_lines(fragment: str) -> list[SourceLine]:
    """Lines of an HTML fragment (headings, bold and list items kept); plain text passes through."""
    if "&lt;" in fragment and not _HAS_TAG.search(fragment):
        fragment = html.unescape(fragment)  # Greenhouse escapes its HTML once more
    if not _HAS_TAG.search(fragment):
        return lines_from_text(html.unescape(fragment))
    document = extract_document(
        f"<html><body>{fragment}</body></html>".encode(), limits=_LIMITS, filename="posting.html"
    )
    return lines_from_document(document.lines, wraps=False)


def html_to_text(fragment: str) -> str:
    """Plain text of an HTML fragment, one line per block."""
    return "\n".join(line.text for line in html_lines(fragment))
