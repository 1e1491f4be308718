"""Document extraction: bytes of an upload in, positioned lines in reading order out."""

from atspro.extraction.detection import detect_media_type
from atspro.extraction.document import ExtractedDocument, TextLine, TextSpan
from atspro.extraction.limits import ExtractionLimits
from atspro.extraction.pipeline import extract_document

__all__ = [
    "ExtractedDocument",
    "ExtractionLimits",
    "TextLine",
    "TextSpan",
    "detect_media_type",
    "extract_document",
]
