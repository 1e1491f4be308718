"""Safety limits applied to every uploaded document before and during extraction."""

from __future__ import annotations

from dataclasses import dataclass

from atspro.settings import Settings


@dataclass(frozen=True, slots=True)
class ExtractionLimits:
    """Caps on what an extractor will read; exceeding one raises a DocumentError."""

    max_bytes: int = 10 * 1024 * 1024
    max_pages: int = 50
    max_decompressed_bytes: int = 100 * 1024 * 1024
    max_compression_ratio: float = 100.0
    max_archive_entries: int = 1000
    max_xml_bytes: int = 8 * 1024 * 1024
    max_xml_elements: int = 200_000

    @classmethod
    def from_settings(cls, settings: Settings) -> ExtractionLimits:
        """Build the limits from the upload fields of ``settings``."""
        return cls(
            max_bytes=settings.max_upload_bytes,
            max_pages=settings.max_pages,
            max_decompressed_bytes=settings.max_decompressed_bytes,
            max_compression_ratio=settings.max_compression_ratio,
            max_archive_entries=settings.max_archive_entries,
            max_xml_bytes=settings.max_xml_bytes,
            max_xml_elements=settings.max_xml_elements,
        )
