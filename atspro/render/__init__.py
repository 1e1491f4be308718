"""Renderers: Markdown to HTML, DOCX and PDF, and a resume to plain text."""

from atspro.render.docx import markdown_to_docx
from atspro.render.html import markdown_to_html
from atspro.render.pdf import markdown_to_pdf
from atspro.render.text import resume_to_text

__all__ = ["markdown_to_docx", "markdown_to_html", "markdown_to_pdf", "resume_to_text"]
