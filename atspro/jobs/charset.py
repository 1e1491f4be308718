"""Decoding fetched bodies the way a browser does: BOM, HTTP header, <meta>, UTF-8, then a guess.

w3lib (2.6+) implements the WHATWG order and, for undeclared bodies, Firefox's byte-and-TLD
guess, which is why the final URL is passed along.
"""

from __future__ import annotations

from w3lib.encoding import html_to_unicode


def decode_body(data: bytes, content_type_header: str, url: str | None = None) -> tuple[str, str]:
    """Decode ``data`` served from ``url``; return (encoding used, text)."""
    return html_to_unicode(content_type_header or None, data, url=url)
