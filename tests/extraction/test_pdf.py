"""PDF extraction on real resumes (reading order, columns, noise) and generated edge cases."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from atspro.errors import DocumentError, PermanentError
from atspro.extraction import ExtractedDocument, ExtractionLimits, extract_document
from tests.extraction import builders

OFFLINECV = "resumes/offlinecv"


def _extract(path: Path, limits: ExtractionLimits) -> ExtractedDocument:
    return extract_document(path.read_bytes(), limits=limits, filename=path.name)


def _index(doc: ExtractedDocument, text: str) -> int:
    """Position of the first line containing ``text``."""
    for i, line in enumerate(doc.lines):
        if text in line.text:
            return i
    raise AssertionError(f"{text!r} not found in:\n{doc.text}")


def _follows(doc: ExtractedDocument, first: str, second: str) -> bool:
    return _index(doc, second) == _index(doc, first) + 1


# Two-column files: a sidebar heading must come after ALL of the main column's text (or
# before all of it), never between two lines of one column. Picked by looking at the PDFs.
TWO_COLUMN_CASES = [
    # (file, last line of the first column, heading that opens the second column, pair of
    # consecutive lines inside a column that must stay adjacent)
    (
        "google-docs/google-docs-skia-proxy-two-column.pdf",
        "Acme Innovation Prize, 2023",
        "EXPERIENCE",
        ("Go, Rust, Python, TypeScript", "Kubernetes, Docker, Terraform"),
    ),
    (
        "latex/deedy-resume-openfonts.pdf",
        "AS3 • iOS • Android • MySQL",
        "EXPERIENCE",
        ("Advanced Machine Learning", "Open Source Software Engineering"),
    ),
    (
        "unknown/chromium-asymmetric-sidebar.pdf",
        "Owned the build and release tooling",
        "STRENGTHS",
        ("Backend and platform engineer", "stay reliable under load"),
    ),
]


@pytest.mark.parametrize(("name", "column_end", "next_heading", "pair"), TWO_COLUMN_CASES)
def test_two_column_reading_order(
    shared_data: Path,
    limits: ExtractionLimits,
    name: str,
    column_end: str,
    next_heading: str,
    pair: tuple[str, str],
) -> None:
    doc = _extract(shared_data / OFFLINECV / name, limits)
    assert doc.columns_per_page[0] == 2
    assert _index(doc, next_heading) > _index(doc, column_end)
    assert _follows(doc, *pair)
    assert {line.column for line in doc.lines if line.page == 0} == {0, 1}


def test_two_column_files_are_detected(shared_data: Path, limits: ExtractionLimits) -> None:
    """Every OfflineCV file marked two-column upstream has a two-column page, others none."""
    marked = 0
    for path in sorted((shared_data / OFFLINECV).glob("*/*.pdf")):
        expected = path.with_name(path.stem + ".expected.json").read_text()
        two_column = '"two_column"' in expected
        marked += two_column
        doc = _extract(path, limits)
        assert (max(doc.columns_per_page) == 2) == two_column, path.name
    assert marked >= 5


def test_flush_right_dates_stay_on_their_line(shared_data: Path, limits: ExtractionLimits) -> None:
    doc = _extract(shared_data / OFFLINECV / "word/openresume-laverne-word-quartz.pdf", limits)
    assert doc.columns_per_page == [1]
    line = doc.lines[_index(doc, "University of La Verne")]
    assert "Expected Graduation: June 2016" in line.text
    assert line.spans[0].bold and not line.spans[-1].bold


def test_letter_spaced_name_is_joined(shared_data: Path, limits: ExtractionLimits) -> None:
    doc = _extract(shared_data / OFFLINECV / "unknown/letter-spaced-name-heading.pdf", limits)
    first = doc.lines[0]
    assert re.fullmatch(r"[A-Z]+ [A-Z]+", first.text), first.text
    assert first.bold and first.font_size > 20


def test_icon_font_noise_is_dropped(shared_data: Path, limits: ExtractionLimits) -> None:
    doc = _extract(shared_data / "resumes/resume-matcher/alfred_pennyworth_pm.pdf", limits)
    contact = [line.text for line in doc.lines[:8]]
    assert "alfred.pennyworth@email.com" in contact
    assert not any(re.search(r"[#§ð]", text) for text in contact), contact


def test_side_by_side_header_is_read_block_by_block(
    shared_data: Path, limits: ExtractionLimits
) -> None:
    doc = _extract(shared_data / "resumes/resume-matcher/alfred_pennyworth_pm.pdf", limits)
    assert doc.lines[0].text == "Alfred Pennyworth"
    assert _follows(doc, "Alfred Pennyworth", "Product Manager")


def test_icon_glyphs_carrying_text_are_kept(shared_data: Path, limits: ExtractionLimits) -> None:
    doc = _extract(shared_data / OFFLINECV / "latex/awesome-cv-resume.pdf", limits)
    assert "312-555-0123" in doc.text


def test_no_private_use_or_control_characters(shared_data: Path, limits: ExtractionLimits) -> None:
    for path in sorted((shared_data / "resumes").rglob("*.pdf")):
        text = _extract(path, limits).text
        bad = [c for c in text if "\ue000" <= c <= "\uf8ff" or (c < " " and c != "\n")]
        assert not bad, (path.name, bad[:5])
        assert "\ufb01" not in text and "\ufb02" not in text


def test_every_shared_resume_has_text_and_pages(
    shared_data: Path, limits: ExtractionLimits
) -> None:
    for path in sorted((shared_data / "resumes").rglob("*.pdf")):
        doc = _extract(path, limits)
        assert doc.media_type == "application/pdf"
        assert len(doc.columns_per_page) == doc.page_count
        assert len(doc.text) > 300, path.name
        assert all(line.text for line in doc.lines)


def test_generated_resume_keeps_bold_sizes_and_dates(limits: ExtractionLimits) -> None:
    doc = extract_document(builders.resume_pdf(), limits=limits)
    name = doc.lines[0]
    assert name.text == "Avery Example 1" and name.bold
    assert name.font_size == pytest.approx(18, abs=0.5)
    heading = doc.lines[_index(doc, "EXPERIENCE")]
    assert heading.bold and heading.font_size == pytest.approx(12, abs=0.5)
    body = doc.lines[_index(doc, "Shipped feature 0")]
    assert not body.bold and body.font_size == pytest.approx(10, abs=0.5)
    title = doc.lines[_index(doc, "Engineer 1, Northwind Experience")]
    assert title.text == "Engineer 1, Northwind Experience Jan 2011 - Mar 2021"
    assert title.spans[0].bold and not title.spans[-1].bold
    assert doc.columns_per_page == [1]
    assert doc.page_width == pytest.approx(612)
    assert 0 < body.top < 792 and body.x0 == pytest.approx(84, abs=1)


def test_generated_two_column_reading_order(limits: ExtractionLimits) -> None:
    doc = extract_document(builders.two_column_pdf(), limits=limits)
    texts = [line.text for line in doc.lines]
    assert texts[0] == "Robin Sidebar"
    assert texts.index("EXPERIENCE") > texts.index("German")
    assert texts.index("LANGUAGES") == texts.index("Kafka") + 1
    assert doc.columns_per_page == [2]
    assert doc.lines[texts.index("EXPERIENCE")].column == 1
    assert doc.lines[texts.index("Python")].column == 0


def test_multi_page_lines_carry_page_numbers(limits: ExtractionLimits) -> None:
    doc = extract_document(builders.resume_pdf(pages=3), limits=limits)
    assert doc.page_count == 3
    assert [line.page for line in doc.lines if line.text.startswith("Avery Example")] == [0, 1, 2]
    assert doc.text.count("\n\n") == 2


def _reason(data: bytes, limits: ExtractionLimits) -> str:
    with pytest.raises(DocumentError) as info:
        extract_document(data, limits=limits)
    assert isinstance(info.value, PermanentError)
    assert info.value.message
    return info.value.reason


def test_scanned_pdf_is_rejected_with_advice(limits: ExtractionLimits) -> None:
    with pytest.raises(DocumentError, match="no text layer") as info:
        extract_document(builders.scanned_pdf(), limits=limits)
    assert info.value.reason == "no_text"


def test_blank_pdf_is_empty(limits: ExtractionLimits) -> None:
    assert _reason(builders.blank_pdf(), limits) == "empty"


def test_encrypted_pdf_is_rejected(limits: ExtractionLimits) -> None:
    assert _reason(builders.encrypted_pdf(), limits) == "encrypted"


@pytest.mark.parametrize("keep", [0.2, 0.6, 0.95])
def test_truncated_pdf_is_malformed(limits: ExtractionLimits, keep: float) -> None:
    data = builders.resume_pdf()
    assert _reason(data[: int(len(data) * keep)], limits) == "malformed"


def test_garbage_after_pdf_header_is_malformed(limits: ExtractionLimits) -> None:
    assert _reason(b"%PDF-1.7\n" + bytes(range(256)) * 20, limits) == "malformed"


def test_too_many_pages(limits: ExtractionLimits) -> None:
    data = builders.text_pdf([["page one"], ["page two"], ["page three"]])
    small = ExtractionLimits(max_pages=2)
    with pytest.raises(DocumentError, match="3 pages; the limit is 2") as info:
        extract_document(data, limits=small)
    assert info.value.reason == "too_many_pages"
    assert extract_document(data, limits=ExtractionLimits(max_pages=3)).page_count == 3


def test_oversize_is_checked_before_anything_else() -> None:
    tiny = ExtractionLimits(max_bytes=100)
    with pytest.raises(DocumentError, match="limit is") as info:
        extract_document(b"\x00garbage" * 50, limits=tiny)
    assert info.value.reason == "too_large"
