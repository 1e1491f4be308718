"""ZIP containers (DOCX, ODT) opened only after their central directory passes the limits.

Declared sizes are checked before anything is decompressed; reads are then capped again,
because a hostile archive can declare one size and inflate to another.
"""

from __future__ import annotations

import io
import zipfile

from atspro.errors import DocumentError
from atspro.extraction.limits import ExtractionLimits

# Small members compress extremely well (repetitive XML); the ratio test starts above this.
_RATIO_FLOOR_BYTES = 1024 * 1024
_MAX_MEMBERS = 10_000
_CHUNK = 64 * 1024


def _bomb(message: str) -> DocumentError:
    return DocumentError(
        f"The document was rejected as a possible ZIP bomb: {message}.", reason="archive_bomb"
    )


def check_archive(archive: zipfile.ZipFile, limits: ExtractionLimits) -> None:
    """Reject an archive whose central directory declares too much data or a wild ratio."""
    members = archive.infolist()
    if len(members) > _MAX_MEMBERS:
        raise _bomb(f"it holds {len(members)} files (limit {_MAX_MEMBERS})")
    total = 0
    for info in members:
        if info.flag_bits & 0x1:
            raise DocumentError(
                "This document is password-protected; upload a copy without a password.",
                reason="encrypted",
            )
        total += info.file_size
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
    except (zipfile.BadZipFile, OSError, EOFError, ValueError) as exc:
        # zipfile stops at the declared size and then fails the CRC check.
        raise DocumentError(
            f"This document is damaged: {name} cannot be read.", reason="malformed"
        ) from exc
    return bytes(out)
