"""ZIP containers (DOCX, ODT) opened only after their central directory passes the limits.

Declared sizes are checked before anything is decompressed; reads are then capped again,
because a hostile archive can declare one size and inflate to another. Then the XML parts
(what the parsers build trees from) are measured: their total size and element count set
the time and memory of the parse, so both are capped before any parser sees them.
"""

from __future__ import annotations

import io
import zipfile
import zlib

from atspro.errors import DocumentError
from atspro.extraction.limits import ExtractionLimits

# Small members compress extremely well (repetitive XML); the ratio test starts above this.
_RATIO_FLOOR_BYTES = 1024 * 1024
_CHUNK = 64 * 1024
_XML_SUFFIXES = (".xml", ".rels")


def _bomb(message: str) -> DocumentError:
    return DocumentError(
        f"The document was rejected as a possible ZIP bomb: {message}.", reason="archive_bomb"
    )


def _over(what: str, found: str, limit: str, setting: str, *, reason: str) -> DocumentError:
    return DocumentError(
        f"The document is too complex to read: {what} {found}, over the limit of {limit} "
        f"(setting {setting}).",
        reason=reason,
    )


def check_archive(archive: zipfile.ZipFile, limits: ExtractionLimits) -> None:
    """Reject an archive whose central directory declares too much data or a wild ratio."""
    members = archive.infolist()
    if len(members) > limits.max_archive_entries:
        raise _bomb(
            f"it holds {len(members)} files "
            f"(limit {limits.max_archive_entries}, setting MAX_ARCHIVE_ENTRIES)"
        )
    total = 0
    xml = 0
    for info in members:
        if info.flag_bits & 0x1:
            raise DocumentError(
                "This document is password-protected; upload a copy without a password.",
                reason="encrypted",
            )
        total += info.file_size
        if info.filename.lower().endswith(_XML_SUFFIXES):
            xml += info.file_size
        ratio = info.file_size / max(info.compress_size, 1)
        if info.file_size > _RATIO_FLOOR_BYTES and ratio > limits.max_compression_ratio:
            raise _bomb(
                f"{info.filename} expands {ratio:.0f}x (limit {limits.max_compression_ratio:.0f}x)"
            )
    if total > limits.max_decompressed_bytes:
        raise _bomb(
            f"it expands to {total / 1_048_576:.0f} MB "
            f"(limit {limits.max_decompressed_bytes / 1_048_576:.0f} MB)"
        )
    if xml > limits.max_xml_bytes:
        raise _over(
            "its XML is",
            f"{xml / 1_048_576:.1f} MB",
            f"{limits.max_xml_bytes / 1_048_576:.1f} MB",
            "MAX_XML_BYTES",
            reason="xml_too_large",
        )


def check_xml(archive: zipfile.ZipFile, limits: ExtractionLimits) -> None:
    """Count the elements of every XML part (inflating at most ``max_xml_bytes``)."""
    elements = 0
    for info in archive.infolist():
        if not info.filename.lower().endswith(_XML_SUFFIXES):
            continue
        data = read_member(archive, info.filename, limits)
        # Every element opens with "<" not followed by "/", "?" or "!": a byte count,
        # far cheaper than the parse it protects (and an upper bound on elements).
        elements += data.count(b"<") - data.count(b"</") - data.count(b"<?") - data.count(b"<!")
        if elements > limits.max_xml_elements:
            raise DocumentError(
                "The document is too complex to read: its XML has more than "
                f"{limits.max_xml_elements} elements (setting MAX_XML_ELEMENTS).",
                reason="too_many_elements",
            )


def open_archive(data: bytes, limits: ExtractionLimits) -> zipfile.ZipFile:
    """Open a ZIP document and check it; the caller closes it."""
    try:
        archive = zipfile.ZipFile(io.BytesIO(data))
    except (zipfile.BadZipFile, OSError, ValueError) as exc:
        raise DocumentError(
            "This document is damaged or incomplete and cannot be read.", reason="malformed"
        ) from exc
    try:
        check_archive(archive, limits)
        check_xml(archive, limits)
    except DocumentError:
        archive.close()
        raise
    return archive


def read_member(archive: zipfile.ZipFile, name: str, limits: ExtractionLimits) -> bytes:
    """Read one member, stopping as soon as it inflates past its declared size or the cap."""
    info = archive.getinfo(name)
    cap = min(info.file_size, limits.max_decompressed_bytes)
    out = bytearray()
    try:
        with archive.open(info) as member:
            while chunk := member.read(_CHUNK):
                out += chunk
                if len(out) > cap:
                    raise _bomb(f"{name} inflates past its declared size")
    except (zipfile.BadZipFile, OSError, EOFError, ValueError, zlib.error) as exc:
        # zipfile stops at the declared size and then fails the CRC check; zlib fails on
        # corrupt deflated bytes before that.
        raise DocumentError(
            f"This document is damaged: {name} cannot be read.", reason="malformed"
        ) from exc
    return bytes(out)
