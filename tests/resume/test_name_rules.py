"""The name is never a section heading, even when the heading is set bigger than the name."""

from __future__ import annotations

from atspro.extraction.document import ExtractedDocument, TextLine, TextSpan
from atspro.resume.parser import parse_resume_document


def line(text: str, top: float, size: float, bold: bool = False) -> TextLine:
    width = len(text) * size * 0.5
    return TextLine(spans=(TextSpan(text, 72, top, 72 + width, top + size, size, bold),))


def test_bigger_heading_below_a_small_bold_name_is_not_the_name() -> None:
    doc = ExtractedDocument(
        media_type="application/pdf",
        lines=[
            line("ROSA MARTINEZ", 60, 10, bold=True),
            line("rosa.martinez@example.com | (555) 201-3344", 74, 10),
            line("PROFESSIONAL SUMMARY", 100, 14, bold=True),
            line("Data engineer with six years of experience building pipelines.", 120, 10),
            line("WORK EXPERIENCE", 150, 14, bold=True),
            line("Data Engineer, Riverbank Systems, March 2019 - Present", 170, 10, bold=True),
        ],
    )
    resume = parse_resume_document(doc)
    assert resume.contact_info.full_name == "ROSA MARTINEZ"
    assert resume.contact_info.email == "rosa.martinez@example.com"
