"""Markdown renderers: real HTML, DOCX and PDF files read back with real readers."""

from __future__ import annotations

import io
from pathlib import Path

import docx
import pypdfium2 as pdfium
import pytest

from atspro.render.docx import markdown_to_docx
from atspro.render.fonts import find_unicode_font
from atspro.render.html import markdown_to_html
from atspro.render.pdf import markdown_to_pdf
from atspro.render.text import resume_to_text
from atspro.resume.model import ContactInfo, Education, Resume, WorkExperience

MD = "# Zoë Łukasz\n\n## Experience\n\n### Engineer | Acme\n\n- Built **fast** things\n- Led *teams*\n\n1. first\n\n```\ncode\n```\n"


def _pdf_text(data: bytes) -> str:
    pdf = pdfium.PdfDocument(data)
    try:
        return "\n".join(page.get_textpage().get_text_range() for page in pdf)
    finally:
        pdf.close()


def test_html_is_a_complete_escaped_page() -> None:
    page = markdown_to_html(MD + "\n<script>x</script>\n", title="A & B")
    assert page.startswith("<!DOCTYPE html>") and '<meta charset="utf-8">' in page
    assert "<title>A &amp; B</title>" in page
    assert "<h1>Zoë Łukasz</h1>" in page and "<li>Built <strong>fast</strong> things</li>" in page
    assert "<script>" not in page


def test_docx_keeps_headings_lists_and_emphasis() -> None:
    document = docx.Document(io.BytesIO(markdown_to_docx(MD)))
    paragraphs = [(p.style.name if p.style else "", p.text) for p in document.paragraphs]
    assert ("Heading 1", "Zoë Łukasz") in paragraphs
    assert ("Heading 3", "Engineer | Acme") in paragraphs
    assert ("List Bullet", "Built fast things") in paragraphs
    assert ("List Number", "first") in paragraphs
    assert ("Normal", "code") in paragraphs
    bullet = next(p for p in document.paragraphs if p.text == "Built fast things")
    assert [r.bold for r in bullet.runs] == [None, True, None]


def test_pdf_embeds_unicode_text_with_an_installed_font() -> None:
    if find_unicode_font() is None:
        import pytest

        pytest.skip("no Unicode TTF installed (Debian fonts-dejavu-core provides one)")
    text = _pdf_text(markdown_to_pdf(MD))
    assert "Zoë Łukasz" in text
    assert "Engineer | Acme" in text


def test_pdf_falls_back_to_core_fonts_with_transliteration(tmp_path: Path) -> None:
    assert find_unicode_font((tmp_path,)) is None
    text = _pdf_text(markdown_to_pdf(MD, font_dirs=(tmp_path,)))
    assert "Zoë Lukasz" in text


def test_resume_to_text_lists_sections() -> None:
    resume = Resume(
        contact_info=ContactInfo(full_name="Ada", email="ada@example.com"),
        work_experience=[
            WorkExperience(company="Acme", position="Eng", start_date="2020", is_current=True)
        ],
        education=[Education(institution="MIT", degree="BS", graduation_date="2019-06", gpa="3.9")],
        skills=["Go", "SQL"],
    )
    text = resume_to_text(resume)
    assert text.splitlines()[:2] == ["Ada", "ada@example.com"]
    assert "EXPERIENCE\nEng | Acme\n2020 \u2013 Present\n" in text
    assert "EDUCATION\nBS | MIT\nJun 2019 | GPA: 3.9\n" in text
    assert "SKILLS\nGo, SQL\n" in text


def test_render_document_covers_every_download_format_and_refuses_others() -> None:
    from atspro.render.formats import render_document

    markdown = "# Jordan Avery\n\n- Built **Python** services\n"
    assert render_document(markdown, "md", "t") == markdown.encode()
    assert b"<strong>Python</strong>" in render_document(markdown, "html", "t")
    assert render_document(markdown, "docx", "t").startswith(b"PK")  # a zip container
    assert render_document(markdown, "pdf", "t").startswith(b"%PDF")
    with pytest.raises(ValueError, match="unknown format 'odt'"):
        render_document(markdown, "odt", "t")
