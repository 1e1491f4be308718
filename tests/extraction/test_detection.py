"""Type detection from bytes, with misleading names, encodings and unsupported types."""

from __future__ import annotations

import pytest

from atspro.errors import DocumentError
from atspro.extraction import ExtractionLimits, detect_media_type, detection, extract_document
from atspro.extraction.detection import decode_text, sniff
from tests.extraction import builders

MD = "# Sam Markdown\n\n**Engineer** at [Acme](https://acme.test)\n\n- shipped things\n"
HTML = "<!DOCTYPE html><html><body><h1>Sam Html</h1><p>Engineer</p></body></html>"


@pytest.mark.parametrize(
    ("data", "expected"),
    [
        (builders.text_pdf([["Sam Pdf"]]), detection.PDF),
        (b"\r\n  %PDF-1.4 junk before the header is allowed", detection.PDF),
        (builders.docx_bytes(), detection.DOCX),
        (builders.odt_bytes(), detection.ODT),
        (b"{\\rtf1\\ansi Sam Rtf\\par}", detection.RTF),
        (HTML.encode(), detection.HTML),
        (b"<!-- saved page --><div>Sam</div>", detection.HTML),
        (
            b'<?xml version="1.0"?><html xmlns="http://www.w3.org/1999/xhtml"><p>x</p></html>',
            detection.HTML,
        ),
        (MD.encode(), detection.MARKDOWN),
        (b"Sam Plain\nEngineer at Acme\n- shipped things\n", detection.TEXT),
        (b"BMW mechanic, 10 years\nMZ Motors foreman\n", detection.TEXT),
        (b"\x89PNG\r\n\x1a\n" + bytes(64), "image/png"),
        (b"\xff\xd8\xff\xe0" + bytes(64), "image/jpeg"),
        (b"\x1f\x8b\x08\x00" + bytes(64), "application/gzip"),
        (b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + bytes(512), detection.OLE2),
        (b"RIFF\x00\x00\x00\x00WEBPVP8 ", "image/webp"),
        (bytes(range(256)) * 4, detection.BINARY),
        (
            builders.zip_bytes({"xl/workbook.xml": b"<w/>"}),
            "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
        ),
        (
            builders.zip_bytes({"ppt/presentation.xml": b"<p/>"}),
            "application/vnd.openxmlformats-officedocument.presentationml.presentation",
        ),
        (builders.zip_bytes({"notes.txt": b"hello"}), detection.ZIP),
        (b'<?xml version="1.0"?><feed><entry/></feed>', "application/xml"),
    ],
)
def test_detect_media_type(data: bytes, expected: str) -> None:
    assert detect_media_type(data) == expected


@pytest.mark.parametrize(
    ("data", "filename", "media_type"),
    [
        (builders.text_pdf([["Sam Pdf"]]), "resume.docx", detection.PDF),
        (builders.docx_bytes(), "resume.pdf", detection.DOCX),
        (HTML.encode(), "resume.txt", detection.HTML),
        (MD.encode(), "resume.txt", detection.MARKDOWN),
        (b"Sam Plain\nEngineer\n", "resume.pdf", detection.TEXT),
        (b"Sam Plain\nEngineer\n", "resume.md", detection.TEXT),
    ],
)
def test_file_name_never_overrides_content(data: bytes, filename: str, media_type: str) -> None:
    doc = extract_document(data, limits=ExtractionLimits(), filename=filename)
    assert doc.media_type == media_type
    assert "Sam" in doc.text or "Casey" in doc.text


def test_name_breaks_only_a_markdown_tie() -> None:
    tie = b"# Sam Tie\nEngineer at Acme\n"
    assert sniff(tie, "cv.md").media_type == detection.MARKDOWN
    assert sniff(tie, "cv.txt").media_type == detection.TEXT
    assert sniff(tie).media_type == detection.TEXT


@pytest.mark.parametrize(
    "encoded",
    [
        "José Müller — Ingeniero\n".encode(),
        "José Müller — Ingeniero\n".encode("utf-8-sig"),
        "José Müller — Ingeniero\n".encode("utf-16"),
        "José Müller — Ingeniero\n".encode("utf-16-le"),
        "José Müller — Ingeniero\n".encode("utf-16-be"),
        "José Müller — Ingeniero\n".encode("utf-32"),
        "José Müller — Ingeniero\n".encode("cp1252"),
    ],
)
def test_text_encodings(encoded: bytes) -> None:
    doc = extract_document(encoded, limits=ExtractionLimits())
    assert doc.media_type == detection.TEXT
    assert doc.text == "José Müller — Ingeniero"


def test_latin1_bytes_outside_cp1252_still_decode() -> None:
    assert decode_text(b"Caf\xe9 \x81") == "Café \x81"


def test_bad_bom_payload_is_binary() -> None:
    assert detect_media_type(b"\xff\xfe\x00\xd8") == detection.BINARY


@pytest.mark.parametrize(
    ("data", "named"),
    [
        (b"\x89PNG\r\n\x1a\n" + bytes(64), "PNG image"),
        (builders.zip_bytes({"xl/workbook.xml": b"<w/>"}), "Excel workbook"),
        (b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + bytes(512), "legacy Microsoft Office"),
        (bytes(range(256)) * 4, "binary data"),
        (b'<?xml version="1.0"?><feed/>', "XML document"),
    ],
)
def test_unsupported_types_are_named(data: bytes, named: str) -> None:
    with pytest.raises(DocumentError, match=named) as info:
        extract_document(data, limits=ExtractionLimits())
    assert info.value.reason == "unsupported_type"


def test_encrypted_office_document() -> None:
    ole = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + bytes(64) + "EncryptedPackage".encode("utf-16-le")
    with pytest.raises(DocumentError, match="password") as info:
        extract_document(ole + bytes(256), limits=ExtractionLimits())
    assert info.value.reason == "encrypted"


@pytest.mark.parametrize("data", [b"", b"   \n\t  ", "\ufeff\n".encode()])
def test_empty_files(data: bytes) -> None:
    with pytest.raises(DocumentError) as info:
        extract_document(data, limits=ExtractionLimits())
    assert info.value.reason == "empty"


def test_truncated_zip_is_malformed() -> None:
    data = builders.docx_bytes()
    with pytest.raises(DocumentError) as info:
        extract_document(data[: len(data) // 2], limits=ExtractionLimits())
    assert info.value.reason == "malformed"
