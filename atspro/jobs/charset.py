"""Decoding fetched bodies: BOM, then the HTTP header, then <meta>, then detection."""

from __future__ import annotations

import charset_normalizer
from w3lib.encoding import html_to_unicode


def _detect(data: bytes) -> str | None:
    best = charset_normalizer.from_bytes(data[:65536]).best()
    return best.encoding if best is not None else None


def decode_body(data: bytes, content_type_header: str) -> tuple[str, str]:
    """Decode ``data``; return (encoding used, text)."""
    encoding, text = html_to_unicode(content_type_header, data, auto_detect_fun=_detect)
    return encoding, text
