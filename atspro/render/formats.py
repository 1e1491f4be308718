"""One entry point per download format, for the rendering worker process."""

from __future__ import annotations

from atspro.render.docx import markdown_to_docx
from atspro.render.html import markdown_to_html
from atspro.render.pdf import Paper, markdown_to_pdf


def render_document(markdown: str, fmt: str, title: str, *, paper: Paper = "letter") -> bytes:
    """``markdown`` as ``fmt`` (md, html, docx or pdf); ``paper`` sizes the PDF's pages."""
    if fmt == "md":
        return markdown.encode()
    if fmt == "html":
        return markdown_to_html(markdown, title=title).encode()
    if fmt == "docx":
        return markdown_to_docx(markdown)
    if fmt == "pdf":
        return markdown_to_pdf(markdown, paper=paper)
    raise ValueError(f"unknown format {fmt!r}")
