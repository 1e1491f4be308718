"""The one entry point: check limits, detect the type from the bytes, run its extractor."""

from __future__ import annotations

import logging
from collections.abc import Callable

from atspro.errors import ATSProError, DocumentError
from atspro.extraction import detection
from atspro.extraction.detection import Detection, sniff
from atspro.extraction.document import ExtractedDocument
from atspro.extraction.limits import ExtractionLimits
from atspro.extraction.markdown_text import extract_markdown
from atspro.extraction.opendocument import extract_odt
from atspro.extraction.pdf import extract_pdf
from atspro.extraction.plain_text import extract_text
from atspro.extraction.rtf import extract_rtf
from atspro.extraction.webpage import extract_html
from atspro.extraction.word import extract_docx

logger = logging.getLogger(__name__)

_OOXML_ENCRYPTED_MARK = "EncryptedPackage".encode("utf-16-le")


def _check_size(data: bytes, limits: ExtractionLimits) -> None:
    if len(data) > limits.max_bytes:
        raise DocumentError(
            f"The file is {len(data) / 1_048_576:.1f} MB; the limit is "
            f"{limits.max_bytes / 1_048_576:.1f} MB.",
            reason="too_large",
        )
    if not data.strip():
        raise DocumentError("The file is empty.", reason="empty")


def _unsupported(found: Detection) -> DocumentError:
    allowed = "PDF, DOCX, ODT, RTF, HTML, Markdown or plain text"
    return DocumentError(
        f"Unsupported file type: this looks like {found.description} "
        f"({found.media_type}); upload {allowed}.",
        reason="unsupported_type",
    )


def _extractor(found: Detection, limits: ExtractionLimits) -> Callable[[bytes], ExtractedDocument]:
    media_type = found.media_type
    text = found.text or ""
    binary: dict[str, Callable[[bytes], ExtractedDocument]] = {
        detection.PDF: lambda data: extract_pdf(data, limits=limits),
        detection.DOCX: lambda data: extract_docx(data, limits=limits),
        detection.ODT: lambda data: extract_odt(data, limits=limits),
    }
    textual: dict[str, Callable[[str], ExtractedDocument]] = {
        detection.TEXT: extract_text,
        detection.MARKDOWN: extract_markdown,
        detection.HTML: extract_html,
        detection.RTF: extract_rtf,
    }
    if media_type in binary:
        return binary[media_type]
    if media_type in textual:
        return lambda _data: textual[media_type](text)
    if media_type == detection.OLE2:
        # Word and Excel wrap a password-protected OOXML package in a compound file.
        raise DocumentError(
            "This document is password-protected; upload a copy without a password.",
            reason="encrypted",
        )
    raise _unsupported(found)


def extract_document(
    data: bytes, *, limits: ExtractionLimits, filename: str | None = None
) -> ExtractedDocument:
    """Extract the text of an uploaded document in reading order, or raise DocumentError.

    Synchronous and CPU-bound: run it in a worker thread. ``filename`` only breaks the tie
    between Markdown and plain text; the type always comes from the bytes.
    """
    _check_size(data, limits)
    found = sniff(data, filename)
    if found.media_type == detection.OLE2 and _OOXML_ENCRYPTED_MARK not in data:
        raise _unsupported(found)
    extract = _extractor(found, limits)
    try:
        return extract(data)
    except ATSProError:
        raise
    except MemoryError:
        raise  # the worker process turns it into MemoryLimitExceeded and is replaced
    except Exception as exc:
        # A library failing on hostile or corrupt input must not crash the worker.
        logger.warning("extraction of %s failed: %r", found.media_type, exc)
        raise DocumentError(
            f"This {found.description} is damaged and cannot be read.", reason="malformed"
        ) from exc
