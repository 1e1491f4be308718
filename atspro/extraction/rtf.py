"""RTF via striprtf (plain text; RTF emphasis is not kept)."""

from __future__ import annotations

from striprtf.striprtf import rtf_to_text

from atspro.extraction.detection import RTF
from atspro.extraction.document import ExtractedDocument
from atspro.extraction.plain_text import extract_text


def extract_rtf(text: str) -> ExtractedDocument:
    """Strip RTF control words and lay the remaining text out line by line."""
    # Bytes above 0x7F were decoded as Windows-1252 by detection; RTF escapes (\\'e9, \\u233)
    # are decoded by striprtf with the same code page.
    plain: str = rtf_to_text(text, encoding="cp1252", errors="replace")  # type: ignore[no-untyped-call]
    doc = extract_text(plain)
    doc.media_type = RTF
    return doc
