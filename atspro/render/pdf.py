"""Markdown to PDF with fpdf2: a Unicode font when one is installed, else core fonts."""

from __future__ import annotations

from pathlib import Path

from anyascii import anyascii
from fpdf import FPDF

from atspro.render.fonts import find_unicode_font
from atspro.render.html import markdown_body

_FAMILY = "ResumeSans"


def _latin1(text: str) -> str:
    """Core PDF fonts only cover Latin-1: keep what fits, transliterate the rest."""
    return "".join(c if ord(c) < 256 else anyascii(c) for c in text)


def markdown_to_pdf(md: str, *, font_dirs: tuple[Path, ...] | None = None) -> bytes:
    """Render ``md`` to an A4-ish letter PDF and return its bytes."""
    font = find_unicode_font(font_dirs) if font_dirs is not None else find_unicode_font()
    pdf = FPDF(format="letter")
    pdf.set_margins(54, 54, 54)
    pdf.set_auto_page_break(auto=True, margin=54)
    if font is not None:
        pdf.add_font(_FAMILY, "", str(font.regular))
        pdf.add_font(_FAMILY, "B", str(font.bold))
        pdf.add_font(_FAMILY, "I", str(font.italic))
        pdf.add_font(_FAMILY, "BI", str(font.bold_italic))
        family = _FAMILY
        body = markdown_body(md)
    else:
        family = "helvetica"
        body = markdown_body(_latin1(md))
    pdf.add_page()
    pdf.set_font(family, size=10)
    pdf.write_html(
        body,
        font_family=family,
        li_prefix_color=(0, 0, 0),
        ul_bullet_char="\u2022" if font else "-",
    )
    return bytes(pdf.output())
