"""What every extractor returns: lines of positioned text spans in reading order.

Coordinates are in points with the origin at the top-left of the page (``top`` grows
downwards). Formats without layout (TXT, Markdown, HTML, DOCX) fill positions with a
synthetic grid: one line per row, ``x0`` from indentation, and ``bold``/``font_size`` from
markup where the format has it (Markdown ``#``/``**``, HTML ``<h1>``/``<b>``, DOCX runs).
"""

from __future__ import annotations

from dataclasses import dataclass, field


@dataclass(frozen=True, slots=True)
class TextSpan:
    """A run of text with one font on one line."""

    text: str
    x0: float
    top: float
    x1: float
    bottom: float
    font_size: float = 10.0
    bold: bool = False
    italic: bool = False
    font_name: str = ""


@dataclass(frozen=True, slots=True)
class TextLine:
    """A visual line: spans that share a baseline within one column, left to right."""

    spans: tuple[TextSpan, ...]
    page: int = 0
    column: int = 0
    # Heading level from markup (1 = biggest), 0 when the format has none.
    heading_level: int = 0
    # List item from markup (Markdown "-", HTML <li>, DOCX list paragraph).
    is_list_item: bool = False

    @property
    def text(self) -> str:
        """The line's text, spans joined by single spaces where they are apart."""
        parts: list[str] = []
        prev: TextSpan | None = None
        for span in self.spans:
            if prev is not None and span.x0 - prev.x1 > 0.15 * max(span.font_size, 1.0):
                parts.append(" ")
            parts.append(span.text)
            prev = span
        return "".join(parts).strip()

    @property
    def x0(self) -> float:
        return min(s.x0 for s in self.spans) if self.spans else 0.0

    @property
    def x1(self) -> float:
        return max(s.x1 for s in self.spans) if self.spans else 0.0

    @property
    def top(self) -> float:
        return min(s.top for s in self.spans) if self.spans else 0.0

    @property
    def bottom(self) -> float:
        return max(s.bottom for s in self.spans) if self.spans else 0.0

    @property
    def font_size(self) -> float:
        """The size of most of the line's characters."""
        if not self.spans:
            return 0.0
        weights: dict[float, int] = {}
        for s in self.spans:
            weights[s.font_size] = weights.get(s.font_size, 0) + len(s.text)
        return max(weights, key=lambda k: weights[k])

    @property
    def bold(self) -> bool:
        """True when most of the line's letters are bold."""
        total = sum(len(s.text.strip()) for s in self.spans)
        bold = sum(len(s.text.strip()) for s in self.spans if s.bold)
        return total > 0 and bold * 2 > total


@dataclass(slots=True)
class ExtractedDocument:
    """The text of a document in reading order, with layout kept per line."""

    media_type: str
    lines: list[TextLine] = field(default_factory=list)
    page_count: int = 1
    page_width: float = 612.0
    # Number of text columns detected per page (1 for single-column and flow formats).
    columns_per_page: list[int] = field(default_factory=list)
    metadata: dict[str, str] = field(default_factory=dict)

    @property
    def text(self) -> str:
        """Plain text, one line per line, blank line between pages."""
        out: list[str] = []
        page = 0
        for line in self.lines:
            if line.page != page:
                out.append("")
                page = line.page
            out.append(line.text)
        return "\n".join(out)
