"""What the engine commands read: resumes from files, postings from files, URLs or stdin.

Each goes through the entry point the task handler uses for the same source: an upload is
extracted and parsed as a document, pasted text as text, a URL through the guarded fetcher.
"""

from __future__ import annotations

import asyncio
from pathlib import Path
from typing import TextIO

from atspro import cpu_pool
from atspro.errors import InputError
from atspro.extraction import ExtractedDocument, ExtractionLimits, extract_document
from atspro.jobs.fetch import PageFetcher
from atspro.jobs.model import Job
from atspro.jobs.service import parse_job_from_document, parse_job_from_text, parse_job_from_url
from atspro.resume.model import Resume
from atspro.resume.parser import parse_resume_document
from atspro.settings import Settings

STDIN = "-"
# A folder run takes these; the type is still read from the bytes, as for an upload.
SUPPORTED_SUFFIXES = frozenset(
    {".pdf", ".docx", ".odt", ".rtf", ".html", ".htm", ".md", ".markdown", ".txt", ".text"}
)


def is_url(source: str) -> bool:
    """Whether a job source names a web page rather than a file."""
    return source.startswith(("http://", "https://"))


def supported_files(folder: Path) -> list[Path]:
    """The folder's documents of a supported kind, by name; hidden files and subfolders skipped."""
    return sorted(
        path
        for path in folder.iterdir()
        if path.is_file()
        and not path.name.startswith(".")
        and path.suffix.lower() in SUPPORTED_SUFFIXES
    )


def read_document(path: Path, *, settings: Settings) -> ExtractedDocument:
    """The file's text, under the upload limits; InputError or DocumentError if unreadable."""
    try:
        data = path.read_bytes()
    except OSError as exc:  # missing, a folder, no permission: the system's words say which
        raise InputError(f"cannot be read: {exc.strerror or exc}", field="file") from exc
    limits = ExtractionLimits.from_settings(settings)
    return extract_document(data, limits=limits, filename=path.name)


def read_resume(path: Path, *, settings: Settings) -> Resume:
    """A resume file parsed by the offline parser, as ``parse_resume`` does for an upload."""
    return parse_resume_document(read_document(path, settings=settings))


def read_job(source: str, *, settings: Settings, stdin: TextIO) -> Job:
    """A posting from a file, a URL, or text on ``stdin`` (``-``), parsed offline."""
    if source == STDIN:
        return parse_job_from_text(stdin.read())
    if is_url(source):
        return fetch_job(source, settings=settings)
    return parse_job_from_document(read_document(Path(source), settings=settings))


def fetch_job(url: str, *, settings: Settings) -> Job:
    """Fetch and parse a posting through the SSRF guard, with the settings' fetch limits."""

    async def fetch() -> Job:
        async with PageFetcher.from_settings(settings) as fetcher:
            return await parse_job_from_url(url, fetcher=fetcher)

    try:
        return asyncio.run(fetch())
    finally:
        # parse_job_from_url parses in the CPU worker process; a command must not leave it behind.
        cpu_pool.shut_down()
