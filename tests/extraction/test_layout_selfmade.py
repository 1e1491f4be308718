"""PDF reading order on layouts drawn in the test: a date rail, a side-by-side header,
letter-spaced names, mixed fonts on one line, icon fonts and line-end hyphens."""

from __future__ import annotations

import pytest

from atspro.extraction import ExtractedDocument, ExtractionLimits, extract_document
from tests.extraction.builders import new_pdf


def _extract(data: bytes) -> ExtractedDocument:
    return extract_document(data, limits=ExtractionLimits(), filename="built.pdf")


def _rows(doc: ExtractedDocument) -> list[tuple[int, str]]:
    return [(line.column, line.text) for line in doc.lines]


ROLES = (
    ("2021 - Present", "Staff Engineer, Northwind"),
    ("2018 - 2021", "Senior Engineer, Globex"),
    ("2015 - 2018", "Engineer, Initech"),
)


def date_rail_pdf() -> bytes:
    """Dates in a narrow left column, each beside the role it belongs to."""
    pdf = new_pdf()
    pdf.add_page()
    pdf.set_font("Helvetica", "B", 18)
    pdf.text(40, 50, "Dana Rail")
    pdf.set_font("Helvetica", size=10)
    pdf.text(40, 68, "dana@example.org | (555) 010-3030 | Boston, MA")
    y = 100.0
    pdf.set_font("Helvetica", "B", 12)
    pdf.text(150, y, "EXPERIENCE")
    for dates, role in ROLES:
        y += 20
        pdf.set_font("Helvetica", size=10)
        pdf.text(40, y, dates)
        pdf.set_font("Helvetica", "B", 10)
        pdf.text(150, y, role)
        pdf.set_font("Helvetica", size=10)
        for bullet in range(2):
            y += 13
            pdf.text(150, y, f"- Delivered project {bullet} for the platform team on time")
    return bytes(pdf.output())


def test_date_rail_labels_come_just_before_their_rows() -> None:
    doc = _extract(date_rail_pdf())
    assert doc.columns_per_page == [1]
    rows = _rows(doc)
    assert rows[:3] == [
        (0, "Dana Rail"),
        (0, "dana@example.org | (555) 010-3030 | Boston, MA"),
        (1, "EXPERIENCE"),
    ]
    for dates, role in ROLES:
        at = rows.index((0, dates))
        assert rows[at + 1] == (1, role)
        assert rows[at + 2][1].startswith("- Delivered project 0")


def test_name_beside_a_stack_of_contacts_is_read_block_by_block() -> None:
    pdf = new_pdf()
    pdf.add_page()
    pdf.set_font("Helvetica", "B", 22)
    pdf.text(40, 62, "Eli Side")
    pdf.set_font("Helvetica", size=9)
    for row, text in enumerate(("eli@example.org", "(555) 010-4040", "Portland, OR")):
        pdf.text(420, 46 + row * 12, text)
    pdf.set_font("Helvetica", "B", 12)
    pdf.text(40, 110, "EXPERIENCE")
    pdf.set_font("Helvetica", size=10)
    for row in range(4):
        pdf.text(
            40,
            124 + row * 14,
            f"Line {row} of a long paragraph that spans the whole width of the page body text, edge to edge",
        )
    doc = _extract(bytes(pdf.output()))
    assert doc.columns_per_page == [1]
    assert _rows(doc)[:5] == [
        (0, "Eli Side"),
        (1, "eli@example.org"),
        (1, "(555) 010-4040"),
        (1, "Portland, OR"),
        (0, "EXPERIENCE"),
    ]


def test_a_gutter_crossed_by_full_width_lines_is_no_column_break() -> None:
    pdf = new_pdf()
    pdf.add_page()
    pdf.set_font("Helvetica", size=10)

    def fill(prefix: str, width: float) -> str:
        text = prefix
        while pdf.get_string_width(text + " word") < width:
            text += " word"
        return text

    y = 60.0
    for row in range(4):
        pdf.text(40, y, fill(f"Left item {row}", 255))
        pdf.text(330, y, fill(f"Right item {row}", 240))
        y += 14
        pdf.text(40, y, fill(f"Full-width line {row}", 530))
        y += 14
    doc = _extract(bytes(pdf.output()))
    assert doc.columns_per_page == [1]
    heads = [(line.spans[0].text.split(" word")[0], len(line.spans)) for line in doc.lines]
    assert heads == [
        item
        for row in range(4)
        for item in ((f"Left item {row}", 2), (f"Full-width line {row}", 1))
    ]
    assert doc.lines[0].spans[1].text.startswith("Right item 0")


@pytest.mark.parametrize(("letter_gap", "word_gap"), [(5, 12), (3, 9)])
def test_letter_spaced_name_is_joined_into_words(letter_gap: float, word_gap: float) -> None:
    pdf = new_pdf()
    pdf.add_page()
    pdf.set_font("Helvetica", "B", 24)
    x = 72.0
    for word in ("ANNA", "SMITH"):
        for char in word:
            pdf.text(x, 60, char)
            x += pdf.get_string_width(char) + letter_gap
        x += word_gap
    doc = _extract(bytes(pdf.output()))
    (line,) = doc.lines
    assert line.text == "ANNA SMITH"
    assert line.bold and line.font_size == 24


def test_fonts_changing_inside_a_line_make_spans_with_one_space() -> None:
    pdf = new_pdf()
    pdf.add_page()
    pdf.set_font("Helvetica", size=10)
    pdf.text(72, 90, "Email: ")
    left = 72 + pdf.get_string_width("Email: ")
    pdf.set_font("Helvetica", "B", 10)
    pdf.text(left, 90, "john@example.org")
    pdf.set_font("Helvetica", size=10)
    pdf.text(72, 104, "Designed the data pipe-")
    pdf.text(72, 117, "line")
    doc = _extract(bytes(pdf.output()))
    first, second, third = doc.lines
    assert [(span.text, span.bold) for span in first.spans] == [
        ("Email:", False),
        ("john@example.org", True),
    ]
    assert first.text == "Email: john@example.org"
    # pdfium reports a hyphen that ends a line as a soft hyphen (0x02); it reads as "-".
    assert (second.text, third.text) == ("Designed the data pipe-", "line")


def test_icon_font_noise_is_dropped_and_icon_text_kept() -> None:
    pdf = new_pdf()
    pdf.add_page()
    pdf.set_font("Helvetica", size=10)
    pdf.text(72, 60, "Fay Icon")
    pdf.set_font("Courier", size=10)
    pdf.text(72, 80, "#")
    pdf.set_font("Helvetica", size=10)
    pdf.text(84, 80, "fay@example.org")
    pdf.set_font("Courier", size=10)
    pdf.text(72, 94, "tel:5550100")
    data = bytes(pdf.output())
    # Rename the font to an icon font's name; same length, so the xref stays right.
    assert data.count(b"/BaseFont /Courier") == 1
    data = data.replace(b"/BaseFont /Courier", b"/BaseFont /Icons-X")
    doc = _extract(data)
    assert [line.text for line in doc.lines] == ["Fay Icon", "fay@example.org", "tel:5550100"]
