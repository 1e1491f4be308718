"""Structural limits on uploads, checked before the heavy parse (issue 15, item 3).

The DOCX of the report stayed inside every size limit (10 MB, ratio 10x) and kept a
worker process busy for minutes: its XML, not its bytes, set the cost.
"""

from __future__ import annotations

import io
import random
import zipfile
from types import SimpleNamespace

import docx
import pytest

from atspro.errors import DocumentError
from atspro.extraction import ExtractionLimits, extract_document, word
from atspro.settings import Settings

WORDS = [f"skill{i}" for i in range(4000)]


def docx_with_body(body: str) -> bytes:
    """A real python-docx document whose body is replaced by ``body`` (WordprocessingML)."""
    template = io.BytesIO()
    docx.Document().save(template)
    source = zipfile.ZipFile(io.BytesIO(template.getvalue()))
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as archive:
        for info in source.infolist():
            data = source.read(info.filename)
            if info.filename == "word/document.xml":
                text = data.decode()
                start = text.index("<w:body>") + len("<w:body>")
                data = (text[:start] + body + text[start:]).encode()
            archive.writestr(info.filename, data)
    return out.getvalue()


def varied_paragraphs(count: int) -> str:
    """Paragraphs of varied words: compresses about 5x, far below the ratio limit."""
    rnd = random.Random(15)
    return "".join(
        f"<w:p><w:r><w:t>{' '.join(rnd.choices(WORDS, k=40))}</w:t></w:r></w:p>"
        for _ in range(count)
    )


@pytest.fixture
def never_parsed(monkeypatch: pytest.MonkeyPatch) -> None:
    """Fail the test if the document reaches python-docx: limits must refuse it first."""

    def refuse(*_args: object, **_kwargs: object) -> None:
        raise AssertionError("the document was parsed")

    monkeypatch.setattr(word, "docx", SimpleNamespace(Document=refuse))


def test_a_docx_with_tens_of_mb_of_xml_under_every_size_limit_is_refused(
    never_parsed: None,
) -> None:
    data = docx_with_body(varied_paragraphs(60_000))
    limits = ExtractionLimits.from_settings(Settings())
    archive = zipfile.ZipFile(io.BytesIO(data))
    xml = archive.getinfo("word/document.xml")
    # Inside the upload, total-size and ratio limits, like the report's file.
    assert len(data) < limits.max_bytes and xml.file_size > 20 * 1024 * 1024
    assert xml.file_size / xml.compress_size < limits.max_compression_ratio
    with pytest.raises(DocumentError) as info:
        extract_document(data, limits=limits, filename="cv.docx")
    assert info.value.reason == "xml_too_large"
    assert "MAX_XML_BYTES" in info.value.message


def test_a_docx_of_many_tiny_elements_is_refused(never_parsed: None) -> None:
    # Under a megabyte of XML, and hundreds of thousands of paragraphs to walk.
    data = docx_with_body("<w:p/>" * 300_000)
    with pytest.raises(DocumentError) as info:
        limits = ExtractionLimits(max_compression_ratio=1e9)
        extract_document(data, limits=limits, filename="cv.docx")
    assert info.value.reason == "too_many_elements"
    assert "MAX_XML_ELEMENTS" in info.value.message


def test_an_odt_of_many_tiny_elements_is_refused() -> None:
    content = (
        '<?xml version="1.0"?><office:document-content '
        'xmlns:office="urn:oasis:names:tc:opendocument:xmlns:office:1.0" '
        'xmlns:text="urn:oasis:names:tc:opendocument:xmlns:text:1.0">'
        "<office:body><office:text>" + "<text:p/>" * 300_000 + "</office:text></office:body>"
        "</office:document-content>"
    )
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as archive:
        archive.writestr(zipfile.ZipInfo("mimetype"), "application/vnd.oasis.opendocument.text")
        archive.writestr("content.xml", content)
    with pytest.raises(DocumentError) as info:
        # No ratio alarm: the element count is what this checks.
        limits = ExtractionLimits(max_compression_ratio=1e9)
        extract_document(out.getvalue(), limits=limits, filename="cv.odt")
    assert info.value.reason == "too_many_elements"


def test_the_limits_come_from_settings() -> None:
    settings = Settings(max_xml_bytes=1234, max_xml_elements=56, max_archive_entries=70)
    limits = ExtractionLimits.from_settings(settings)
    assert (limits.max_xml_bytes, limits.max_xml_elements, limits.max_archive_entries) == (
        1234,
        56,
        70,
    )
    with pytest.raises(DocumentError, match="MAX_XML_BYTES"):
        extract_document(docx_with_body(""), limits=limits, filename="cv.docx")


def test_a_long_plain_docx_inside_the_limits_parses_in_one_pass() -> None:
    """python-docx looked up the default style by scanning every style for each paragraph
    and run (minutes for 20,000 paragraphs); styles are now resolved once per id."""
    data = docx_with_body(
        "".join(f"<w:p><w:r><w:t>Line {i}</w:t></w:r></w:p>" for i in range(20_000))
    )
    document = extract_document(data, limits=ExtractionLimits(), filename="cv.docx")
    assert "Line 19999" in document.text
