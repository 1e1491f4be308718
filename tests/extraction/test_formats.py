"""Flow formats: structure from markup (headings, bold, lists) and the ZIP bomb guard."""

from __future__ import annotations

import io
import random
import zipfile

import pytest

from atspro.errors import DocumentError
from atspro.extraction import (
    ExtractedDocument,
    ExtractionLimits,
    TextLine,
    detection,
    extract_document,
)
from tests.extraction import builders


def _line(doc: ExtractedDocument, text: str) -> TextLine:
    for line in doc.lines:
        if line.text == text:
            return line
    raise AssertionError(f"{text!r} not in {[line.text for line in doc.lines]}")


def test_docx_structure() -> None:
    doc = extract_document(builders.docx_bytes(), limits=ExtractionLimits())
    texts = [line.text for line in doc.lines]
    assert texts[0] == "Casey Header"  # header text comes first
    assert texts[-1] == "Page footer"
    assert texts.index("Left cell") + 1 == texts.index("Right cell")
    assert texts.index("Right cell") + 1 == texts.index("After the table")
    assert _line(doc, "Casey Word").heading_level == 1
    assert _line(doc, "Experience").heading_level == 2
    email = _line(doc, "Email: casey@example.org")
    assert [s.bold for s in email.spans] == [False, True]
    bullet, nested = _line(doc, "Built the billing service"), _line(doc, "Tuned its queries")
    assert bullet.is_list_item and nested.is_list_item
    assert nested.x0 > bullet.x0
    assert not _line(doc, "After the table").is_list_item
    assert doc.columns_per_page == [1] and doc.page_count == 1
    # The synthetic grid: one line per row, growing downwards.
    tops = [line.top for line in doc.lines]
    assert tops == sorted(tops) and len(set(tops)) == len(tops)


def test_odt_structure() -> None:
    doc = extract_document(builders.odt_bytes(), limits=ExtractionLimits())
    assert doc.media_type == detection.ODT
    assert _line(doc, "Morgan Odt").heading_level == 1
    assert _line(doc, "Experience").heading_level == 2
    link = _line(doc, "Reach me at my site (https://example.org/morgan)")
    assert not link.bold
    acme = _line(doc, "Acme platform engineer")
    assert acme.spans[0].bold and not acme.spans[-1].bold
    assert _line(doc, "2019 - 2023").top > acme.top  # line break -> next row
    item, nested = _line(doc, "Ran the migration"), _line(doc, "Nested detail")
    assert item.is_list_item and nested.is_list_item and nested.x0 > item.x0
    assert [line.text for line in doc.lines][-2:] == ["Cell A", "Cell B"]


def test_odt_with_broken_xml_is_malformed() -> None:
    data = builders.odt_bytes("<office:document-content><unclosed>")
    with pytest.raises(DocumentError) as info:
        extract_document(data, limits=ExtractionLimits())
    assert info.value.reason == "malformed"


def test_odt_without_text_body_is_malformed() -> None:
    data = builders.odt_bytes('<?xml version="1.0"?><x/>')
    with pytest.raises(DocumentError, match="no text body"):
        extract_document(data, limits=ExtractionLimits())


def test_odt_entities_are_not_expanded() -> None:
    content = (
        '<?xml version="1.0"?><!DOCTYPE x [<!ENTITY e "EXPANDED">]>'
        '<office:document-content xmlns:office="urn:oasis:names:tc:opendocument:xmlns:office:1.0"'
        ' xmlns:text="urn:oasis:names:tc:opendocument:xmlns:text:1.0"><office:body>'
        "<office:text><text:p>Kept &e; here</text:p></office:text></office:body>"
        "</office:document-content>"
    )
    doc = extract_document(builders.odt_bytes(content), limits=ExtractionLimits())
    assert "EXPANDED" not in doc.text and "Kept" in doc.text


def test_rtf_text_and_escapes() -> None:
    rtf = (
        r"{\rtf1\ansi\ansicpg1252{\fonttbl\f0\fswiss Helvetica;}\f0\pard"
        r"{\b Jos\'e9 Rtf}\par Engineer at Acme\par\u8226? shipped the thing\par}"
    )
    doc = extract_document(rtf.encode("ascii"), limits=ExtractionLimits())
    assert doc.media_type == detection.RTF
    assert [line.text for line in doc.lines] == [
        "José Rtf",
        "Engineer at Acme",
        "\u2022 shipped the thing",
    ]
    assert doc.lines[2].is_list_item


def test_html_structure_and_dropped_elements() -> None:
    html = (
        "<html><head><title>Jo's CV</title><style>p{color:red}</style></head><body>"
        "<nav>Home | Blog</nav><script>track()</script>"
        "<h1>Jo <em>Html</em></h1><h3>Skills</h3>"
        "<p>Contact: <a href='mailto:jo@example.org'>write</a><br>Phone 555 0100</p>"
        "<!-- hidden -->loose tail<ul><li>Go and <strong>Rust</strong></li>"
        "<li>Ops<ol><li>Nested</li></ol></li></ul>"
        "<p><span style='font-weight: 700'>Styled bold</span></p>"
        "<table><tr><th>Year</th><td>2020</td></tr></table></body></html>"
    )
    doc = extract_document(html.encode("utf-16"), limits=ExtractionLimits())
    assert doc.media_type == detection.HTML
    assert doc.metadata == {"title": "Jo's CV"}
    texts = [line.text for line in doc.lines]
    assert "Home | Blog" not in doc.text and "track" not in doc.text and "color" not in doc.text
    assert texts[:2] == ["Jo Html", "Skills"]
    assert _line(doc, "Jo Html").heading_level == 1
    assert _line(doc, "Skills").heading_level == 3
    assert "Contact: write (jo@example.org)" in texts and "Phone 555 0100" in texts
    assert "loose tail" in texts
    rust = _line(doc, "Go and Rust")
    assert rust.is_list_item and rust.spans[-1].bold and not rust.spans[0].bold
    assert _line(doc, "Nested").x0 > rust.x0
    assert _line(doc, "Styled bold").bold
    assert _line(doc, "Year").bold and not _line(doc, "2020").bold


def test_markdown_structure() -> None:
    md = (
        "# Lee Markdown\nlee@example.org\n+44 20 7946 0000\n\n## Experience\n"
        "- **Acme** engineer\n  - nested [site](https://lee.test)\n\n"
        "| Year | Award |\n|---|---|\n| 2021 | Best |\n\n```\ncode line\n```\n"
    )
    doc = extract_document(md.encode("latin-1", "replace"), limits=ExtractionLimits())
    assert doc.media_type == detection.MARKDOWN
    texts = [line.text for line in doc.lines]
    assert texts[:3] == ["Lee Markdown", "lee@example.org", "+44 20 7946 0000"]
    assert _line(doc, "Lee Markdown").heading_level == 1
    assert _line(doc, "Experience").heading_level == 2
    acme = _line(doc, "Acme engineer")
    assert acme.is_list_item and acme.spans[0].bold and not acme.spans[1].bold
    nested = _line(doc, "nested site (https://lee.test)")
    assert nested.is_list_item and nested.x0 > acme.x0
    assert "Year | Award" in texts and "2021 | Best" in texts and "code line" in texts


def test_plain_text_layout() -> None:
    text = "Kim Plain\n\n  Engineer\n\u2022 Built it\n- Ran it\nplain line\n"
    doc = extract_document(text.encode(), limits=ExtractionLimits())
    assert [line.text for line in doc.lines] == [
        "Kim Plain",
        "Engineer",
        "\u2022 Built it",
        "- Ran it",
        "plain line",
    ]
    assert [line.is_list_item for line in doc.lines] == [False, False, True, True, False]
    assert _line(doc, "Engineer").x0 > _line(doc, "Kim Plain").x0


def test_whitespace_only_markup_is_empty() -> None:
    with pytest.raises(DocumentError) as info:
        extract_document(
            b"<html><body><p> </p><script>x()</script></body></html>", limits=ExtractionLimits()
        )
    assert info.value.reason == "empty"


def test_docx_zip_bomb_by_ratio() -> None:
    data = builders.add_member(builders.docx_bytes(), "word/media/pad.bin", bytes(4 * 1024 * 1024))
    with pytest.raises(DocumentError, match="expands") as info:
        extract_document(data, limits=ExtractionLimits())
    assert info.value.reason == "archive_bomb"


def test_odt_zip_bomb_by_total_size() -> None:
    payload = random.Random(7).randbytes(2 * 1024 * 1024)  # incompressible: no ratio alarm
    data = builders.add_member(builders.odt_bytes(), "Pictures/big.bin", payload)
    small = ExtractionLimits(max_decompressed_bytes=1024 * 1024)
    with pytest.raises(DocumentError, match="limit 1 MB") as info:
        extract_document(data, limits=small)
    assert info.value.reason == "archive_bomb"
    assert extract_document(data, limits=ExtractionLimits()).media_type == detection.ODT


def test_zip_with_too_many_members() -> None:
    members = {"word/document.xml": b"<w/>"} | {f"junk/{i}": b"" for i in range(10_001)}
    with pytest.raises(DocumentError, match="holds") as info:
        extract_document(builders.zip_bytes(members, compress=False), limits=ExtractionLimits())
    assert info.value.reason == "archive_bomb"


def test_member_inflating_past_declared_size_is_rejected() -> None:
    data = bytearray(builders.odt_bytes())
    declared = zipfile.ZipFile(io.BytesIO(bytes(data))).getinfo("content.xml").file_size
    # Shrink content.xml's declared size in the central directory; its data overflows it.
    pos = data.find(b"PK\x01\x02")
    patched = 0
    while pos != -1:
        name_len = int.from_bytes(data[pos + 28 : pos + 30], "little")
        if data[pos + 46 : pos + 46 + name_len] == b"content.xml":
            data[pos + 24 : pos + 28] = (declared // 4).to_bytes(4, "little")
            patched += 1
        pos = data.find(b"PK\x01\x02", pos + 4)
    assert patched == 1
    with pytest.raises(DocumentError, match=r"content\.xml") as err:
        extract_document(bytes(data), limits=ExtractionLimits())
    assert err.value.reason == "malformed"


def test_encrypted_zip_member() -> None:
    data = bytearray(builders.zip_bytes({"word/document.xml": b"<w/>"}))
    pos = data.find(b"PK\x01\x02")
    data[pos + 8] |= 0x1  # general purpose flag: encrypted
    with pytest.raises(DocumentError) as info:
        extract_document(bytes(data), limits=ExtractionLimits())
    assert info.value.reason == "encrypted"


def test_docx_that_is_not_a_word_package_is_malformed() -> None:
    data = builders.zip_bytes({"word/document.xml": b"not xml at all"})
    with pytest.raises(DocumentError) as info:
        extract_document(data, limits=ExtractionLimits())
    assert info.value.reason == "malformed"


def test_docx_links_text_boxes_and_styles() -> None:
    doc = extract_document(builders.docx_rich_bytes(), limits=ExtractionLimits())
    texts = [line.text for line in doc.lines]
    assert texts[0] == "First Page Name"
    assert "Site: portfolio (https://dana.example/cv)" in texts
    assert texts.count("Sidebar box") == 1
    assert _line(doc, "Styled loud").bold
    assert _line(doc, "Outline Heading").heading_level == 2
    assert texts.count("Merged cell") == 1
    assert texts.index("Last cell") == texts.index("Merged cell") + 1
    assert doc.metadata == {"title": "Dana CV"}


def test_limits_from_settings() -> None:
    from atspro.settings import Settings

    settings = Settings(
        max_upload_bytes=1234, max_pages=7, max_decompressed_bytes=5678, max_compression_ratio=9.5
    )
    assert ExtractionLimits.from_settings(settings) == ExtractionLimits(
        max_bytes=1234, max_pages=7, max_decompressed_bytes=5678, max_compression_ratio=9.5
    )


async def test_concurrent_extraction_in_threads() -> None:
    """The platform runs extraction in threads; PDFium is serialised, results stay exact."""
    import asyncio

    data = [builders.resume_pdf(), builders.two_column_pdf()] * 4
    limits = ExtractionLimits()
    expected = [extract_document(d, limits=limits).text for d in data]
    results = await asyncio.gather(
        *(asyncio.to_thread(extract_document, d, limits=limits) for d in data)
    )
    assert [r.text for r in results] == expected
