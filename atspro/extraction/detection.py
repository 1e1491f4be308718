"""Recognise a document's type from its bytes: magic numbers, ZIP members, text sniffing.

The file name is never trusted; it may only break a tie between Markdown and plain text.
"""

from __future__ import annotations

import io
import re
import zipfile
import zlib
from dataclasses import dataclass

from atspro.errors import DocumentError

PDF = "application/pdf"
DOCX = "application/vnd.openxmlformats-officedocument.wordprocessingml.document"
ODT = "application/vnd.oasis.opendocument.text"
RTF = "application/rtf"
HTML = "text/html"
MARKDOWN = "text/markdown"
TEXT = "text/plain"

SUPPORTED = frozenset({PDF, DOCX, ODT, RTF, HTML, MARKDOWN, TEXT})

# A compound file (OLE2): legacy .doc/.xls, or an encrypted OOXML package.
OLE2 = "application/x-ole-storage"
ZIP = "application/zip"
BINARY = "application/octet-stream"

# Descriptions used in error messages, so users learn what we think they sent.
DESCRIPTIONS = {
    PDF: "PDF",
    DOCX: "Word document (DOCX)",
    ODT: "OpenDocument text (ODT)",
    RTF: "RTF",
    HTML: "HTML",
    MARKDOWN: "Markdown",
    TEXT: "plain text",
    OLE2: "legacy Microsoft Office file (DOC/XLS/PPT)",
    ZIP: "ZIP archive",
    BINARY: "binary data",
    "image/png": "PNG image",
    "image/jpeg": "JPEG image",
    "image/gif": "GIF image",
    "image/tiff": "TIFF image",
    "image/webp": "WebP image",
    "image/bmp": "BMP image",
    "application/gzip": "gzip archive",
    "application/x-7z-compressed": "7-Zip archive",
    "application/vnd.rar": "RAR archive",
    "application/x-executable": "executable program",
    "application/postscript": "PostScript file",
    "application/xml": "XML document",
    "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet": "Excel workbook (XLSX)",
    "application/vnd.openxmlformats-officedocument.presentationml.presentation": (
        "PowerPoint presentation (PPTX)"
    ),
    "application/epub+zip": "EPUB book",
}

_MAGIC: tuple[tuple[bytes, str], ...] = (
    (b"\x89PNG\r\n\x1a\n", "image/png"),
    (b"\xff\xd8\xff", "image/jpeg"),
    (b"GIF87a", "image/gif"),
    (b"GIF89a", "image/gif"),
    (b"II*\x00", "image/tiff"),
    (b"MM\x00*", "image/tiff"),
    (b"BM", "image/bmp"),
    (b"\x1f\x8b", "application/gzip"),
    (b"7z\xbc\xaf\x27\x1c", "application/x-7z-compressed"),
    (b"Rar!\x1a\x07", "application/vnd.rar"),
    (b"\x7fELF", "application/x-executable"),
    (b"MZ", "application/x-executable"),
    (b"%!PS", "application/postscript"),
    (b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1", OLE2),
)

_BOMS: tuple[tuple[bytes, str], ...] = (
    (b"\xef\xbb\xbf", "utf-8"),
    (b"\xff\xfe\x00\x00", "utf-32-le"),
    (b"\x00\x00\xfe\xff", "utf-32-be"),
    (b"\xff\xfe", "utf-16-le"),
    (b"\xfe\xff", "utf-16-be"),
)

# WHATWG MIME sniffing: a document whose first tag is one of these is HTML.
_HTML_START = re.compile(
    r"^(?:<!--.*?-->\s*)*<(?:!doctype\s+html|html|head|body|script|iframe|h[1-6]|div|font|table"
    r"|a|style|title|b|br|p|ul|ol|section|article|main|header|meta)[\s/>]",
    re.I | re.S,
)
_MD_STRONG = (
    re.compile(r"^#{1,6}[ \t]+\S", re.M),  # ATX heading
    re.compile(r"(\*\*|__)[^\s*_](?:[^*\n]*?[^\s*_])?\1"),  # strong emphasis
    re.compile(r"\[[^\]\n]+\]\([^)\s]+\)"),  # inline link
    re.compile(r"^(?:```|~~~)", re.M),  # code fence
    re.compile(r"^\S[^\n]*\n(?:=+|-{3,})[ \t]*$", re.M),  # setext heading
    re.compile(r"^>[ \t]+\S", re.M),  # block quote
)
_MD_LIST = re.compile(r"^[ \t]*(?:[-*+]|\d{1,2}[.)])[ \t]+\S", re.M)
_CONTROL = re.compile(r"[\x00-\x08\x0b\x0e-\x1f\x7f]")


@dataclass(frozen=True, slots=True)
class Detection:
    """A detected media type, with the decoded text for text formats."""

    media_type: str
    text: str | None = None

    @property
    def description(self) -> str:
        return DESCRIPTIONS.get(self.media_type, self.media_type)


def decode_text(data: bytes) -> str | None:
    """Decode text bytes (BOM, UTF-8, UTF-16 without BOM, then Windows-1252/Latin-1)."""
    for bom, encoding in _BOMS:
        if data.startswith(bom):
            try:
                return data[len(bom) :].decode(encoding)
            except UnicodeDecodeError:
                return None
    sample = data[:4096]
    if len(sample) >= 4 and sample.count(0) > len(sample) // 4:
        # UTF-16 without a BOM: ASCII text leaves every other byte zero.
        even_zeros = sample[0::2].count(0)
        encoding = "utf-16-be" if even_zeros > sample[1::2].count(0) else "utf-16-le"
        try:
            return data[: len(data) - len(data) % 2].decode(encoding)
        except UnicodeDecodeError:
            return None
    try:
        return data.decode("utf-8")
    except UnicodeDecodeError:
        pass
    try:
        return data.decode("cp1252")
    except UnicodeDecodeError:
        return data.decode("latin-1")


def _zip_type(data: bytes) -> str:
    try:
        with zipfile.ZipFile(io.BytesIO(data)) as archive:
            names = set(archive.namelist())
            if "mimetype" in names:
                info = archive.getinfo("mimetype")
                if info.file_size <= 256:
                    declared = archive.read("mimetype").decode("ascii", "replace").strip()
                    return declared or ZIP
            if "word/document.xml" in names:
                return DOCX
            if "xl/workbook.xml" in names:
                return "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
            if "ppt/presentation.xml" in names:
                return "application/vnd.openxmlformats-officedocument.presentationml.presentation"
            return ZIP
    # zlib.error: a member (the mimetype) whose deflated bytes are corrupt, before its CRC.
    except (
        zipfile.BadZipFile,
        zipfile.LargeZipFile,
        OSError,
        EOFError,
        ValueError,
        zlib.error,
    ) as exc:
        raise DocumentError(
            "This ZIP-based document (DOCX/ODT) is damaged or incomplete and cannot be read.",
            reason="malformed",
        ) from exc
    except NotImplementedError as exc:
        raise DocumentError(
            "This ZIP-based document uses an unsupported compression method.",
            reason="malformed",
        ) from exc


def _looks_binary(text: str) -> bool:
    sample = text[:8192]
    return bool(sample) and len(_CONTROL.findall(sample)) > 0.01 * len(sample) + 1


def _text_type(text: str, filename: str | None) -> str:
    head = text.lstrip()[:2048]
    if _HTML_START.match(head):
        return HTML
    if head.startswith("<?xml"):
        return HTML if re.search(r"<html[\s>]", head, re.I) else "application/xml"
    strong = sum(len(p.findall(text)) for p in _MD_STRONG)
    kinds = sum(1 for p in _MD_STRONG if p.search(text))
    lists = len(_MD_LIST.findall(text))
    if strong >= 3 or kinds >= 2 or (strong >= 1 and lists >= 2):
        return MARKDOWN
    if strong == 1 and filename:
        # Only a tie between Markdown and plain text may be broken by the name.
        return MARKDOWN if filename.lower().endswith((".md", ".markdown")) else TEXT
    return TEXT


def sniff(data: bytes, filename: str | None = None) -> Detection:
    """Detect the media type of ``data``; text formats come back decoded."""
    head = data[:1024]
    if b"%PDF-" in head:
        return Detection(PDF)
    if data.startswith(b"PK\x03\x04"):
        return Detection(_zip_type(data))
    if data.startswith(b"RIFF") and data[8:12] == b"WEBP":
        return Detection("image/webp")
    for magic, media_type in _MAGIC:
        # Two-byte magics also need a NUL nearby, so text starting "BM" or "MZ" stays text.
        if data.startswith(magic) and (len(magic) > 2 or b"\x00" in data[:64]):
            return Detection(media_type)
    text = decode_text(data)
    if text is None or _looks_binary(text):
        return Detection(BINARY)
    if text.lstrip().startswith("{\\rtf"):
        return Detection(RTF, text)
    return Detection(_text_type(text, filename), text)


def detect_media_type(data: bytes) -> str:
    """The media type of ``data`` judged from its content alone."""
    return sniff(data).media_type
