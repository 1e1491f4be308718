"""Markdown to a standalone HTML page (CommonMark with tables)."""

from __future__ import annotations

import html

from markdown_it import MarkdownIt


def _parser() -> MarkdownIt:
    # Raw HTML in the source is escaped: tailored text is user content.
    return MarkdownIt("commonmark", {"html": False}).enable("table")


def markdown_body(md: str) -> str:
    """The HTML fragment for ``md``."""
    return str(_parser().render(md))


def markdown_to_html(md: str, *, title: str = "Resume") -> str:
    """A complete UTF-8 HTML document for ``md``."""
    return (
        '<!DOCTYPE html>\n<html>\n<head>\n<meta charset="utf-8">\n'
        f"<title>{html.escape(title)}</title>\n</head>\n<body>\n"
        f"{markdown_body(md)}</body>\n</html>\n"
    )
