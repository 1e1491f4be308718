"""HTML with lxml: block elements become lines; headings, bold and list items are kept.

Scripts, styles, navigation and other non-content elements are dropped.
"""

from __future__ import annotations

import re

import lxml.html
from lxml import etree

from atspro.errors import DocumentError
from atspro.extraction.detection import HTML
from atspro.extraction.document import ExtractedDocument
from atspro.extraction.grid import Block, Run, layout_blocks, with_target

_DROP = frozenset(
    {
        "script", "style", "nav", "noscript", "template", "head", "svg", "iframe",
        "object", "embed", "canvas", "button", "select", "form", "input", "textarea",
    }
)  # fmt: skip
_BLOCK = frozenset(
    {
        "p", "div", "section", "article", "main", "header", "footer", "aside", "address",
        "blockquote", "pre", "ul", "ol", "li", "dl", "dt", "dd", "table", "thead", "tbody",
        "tfoot", "tr", "td", "th", "caption", "figure", "figcaption", "hr", "body", "html",
        "h1", "h2", "h3", "h4", "h5", "h6", "details", "summary", "fieldset", "legend",
    }
)  # fmt: skip
_BOLD_TAGS = frozenset({"b", "strong", "th"})
_ITALIC_TAGS = frozenset({"i", "em", "cite"})
_BOLD_STYLE = re.compile(r"font-weight\s*:\s*(?:bold|bolder|[6-9]00)", re.I)
_XML_DECLARATION = re.compile(r"^\s*<\?xml[^>]*\?>")


class _Walker:
    """Walks the tree once, cutting blocks at block-element boundaries."""

    def __init__(self) -> None:
        self.blocks: list[Block] = []
        self.current = Block()

    def flush(self) -> None:
        if any(run.text.strip() for run in self.current.runs):
            self.blocks.append(self.current)
        self.current = Block()

    def add(self, text: str | None, bold: bool, italic: bool) -> None:
        if text:
            self.current.runs.append(Run(text, bold=bold, italic=italic))

    def walk(self, el: etree._Element, *, bold: bool, italic: bool, depth: int) -> None:
        """Add an element's text and its children's; the caller adds the element's tail."""
        tag = el.tag.lower()
        bold = bold or tag in _BOLD_TAGS or bool(_BOLD_STYLE.search(el.get("style", "")))
        italic = italic or tag in _ITALIC_TAGS
        block = tag in _BLOCK
        if block:
            self.flush()
            if tag in {"h1", "h2", "h3", "h4", "h5", "h6"}:
                self.current.heading_level = int(tag[1])
            elif tag == "li":
                self.current.is_list_item = True
                self.current.indent = max(depth - 1, 0)
        if tag == "br":
            self.add("\n", bold, italic)
        elif tag == "a" and el.get("href"):
            self.add(with_target(el.text_content(), el.get("href", "")), bold, italic)
            return
        self.add(el.text, bold, italic)
        nested = depth + (1 if tag in {"ul", "ol"} else 0)
        for child in el:
            # Comments and processing instructions have no string tag; only their tail counts.
            if isinstance(child.tag, str) and child.tag.lower() not in _DROP:
                self.walk(child, bold=bold, italic=italic, depth=nested)
            self.add(child.tail, bold, italic)
        if block:
            self.flush()


def extract_html(text: str) -> ExtractedDocument:
    """Extract the visible text of an HTML page as lines with markup-derived emphasis."""
    try:
        root = lxml.html.document_fromstring(_XML_DECLARATION.sub("", text, count=1))
    except (etree.ParserError, ValueError) as exc:
        raise DocumentError("This HTML page could not be parsed.", reason="malformed") from exc
    walker = _Walker()
    walker.walk(root, bold=False, italic=False, depth=0)
    walker.flush()
    metadata: dict[str, str] = {}
    title = root.findtext(".//title")
    if title and title.strip():
        metadata["title"] = title.strip()
    return layout_blocks(walker.blocks, media_type=HTML, metadata=metadata)
