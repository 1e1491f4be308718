"""The main content of an ordinary web page.

A page that marks its content (one ``<main>``, ``<article>`` or ``role="main"``) is read
whole, so short header lines (company, location, job type) survive. Otherwise trafilatura
(offline, fast mode) finds the content. It was chosen over readability-lxml: both take
~10-20 ms on a 100 KB page, but trafilatura keeps headings and lists, which the section
parser needs, and drops navigation, footers and cookie banners more reliably.
"""

from __future__ import annotations

import lxml.html
import trafilatura

from atspro.extraction import ExtractionLimits, extract_document
from atspro.jobs.parser import SourceLine, lines_from_document

_LIMITS = ExtractionLimits()
_MIN_CONTENT = 200  # characters: less than this in <main> means a shell, not the content


def _lines(fragment_html: bytes) -> list[SourceLine]:
    document = extract_document(fragment_html, limits=_LIMITS, filename="content.html")
    return lines_from_document(document.lines, wraps=False)


def _marked_content(tree: lxml.html.HtmlElement) -> lxml.html.HtmlElement | None:
    for query in ("//main", '//*[@role="main"]', "//article"):
        found = tree.xpath(query)
        if len(found) == 1 and len(found[0].text_content().strip()) >= _MIN_CONTENT:
            element: lxml.html.HtmlElement = found[0]
            return element
    return None


def main_content_lines(
    page_html: str, *, tree: lxml.html.HtmlElement | None = None, url: str = ""
) -> list[SourceLine]:
    """Lines of the page's main content (headings and list items kept); [] when none."""
    if tree is not None:
        marked = _marked_content(tree)
        if marked is not None:
            return _lines(b"<html><body>" + lxml.html.tostring(marked) + b"</body></html>")
    extracted = trafilatura.extract(
        page_html,
        url=url or None,
        output_format="html",
        fast=True,
        include_tables=True,
        include_links=False,
        include_images=False,
        include_comments=False,
        deduplicate=False,
    )
    return _lines(extracted.encode()) if extracted else []
