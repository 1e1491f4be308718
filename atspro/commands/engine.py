"""``atspro parse resume|job``, ``atspro score`` and ``atspro tailor`` on local inputs.

Offline only: the engine functions the task handlers run when no model is configured, with
no Redis, PostgreSQL or language model, so a run is repeatable and needs no service.
A folder in place of the resume (or of the posting, for ``parse job``) runs every supported
file in it and prints one JSON line per file.
"""

from __future__ import annotations

import json
import sys
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Literal, TextIO

from atspro.commands.batch import error_json, run_batch
from atspro.commands.inputs import read_job, read_resume, supported_files
from atspro.commands.render import Result, as_json, as_markdown
from atspro.errors import ATSProError
from atspro.matching import score_match
from atspro.settings import Settings
from atspro.tailoring import tailor_resume

Format = Literal["json", "markdown"]
# A usage mistake (argparse's code) as against an input that could not be read (1).
USAGE = 2


@dataclass(frozen=True)
class Streams:
    """Where a command reads text and writes results and messages (the process's by default)."""

    stdin: TextIO = field(default_factory=lambda: sys.stdin)
    out: TextIO = field(default_factory=lambda: sys.stdout)
    err: TextIO = field(default_factory=lambda: sys.stderr)


def parse_resume(source: str, *, settings: Settings, fmt: Format, streams: Streams) -> int:
    """Parse a resume file (or each one in a folder) into the structured resume."""
    return _run(
        source,
        lambda name: read_resume(Path(name), settings=settings),
        fmt=fmt,
        streams=streams,
    )


def parse_job(source: str, *, settings: Settings, fmt: Format, streams: Streams) -> int:
    """Parse a posting from a file, a folder of files, a URL or standard input (``-``)."""
    return _run(
        source,
        lambda name: read_job(name, settings=settings, stdin=streams.stdin),
        fmt=fmt,
        streams=streams,
    )


def score(
    resume_source: str, job_source: str, *, settings: Settings, fmt: Format, streams: Streams
) -> int:
    """Score a resume (or each resume in a folder) against one posting."""
    try:
        job = read_job(job_source, settings=settings, stdin=streams.stdin)
    except ATSProError as exc:
        return _fail(job_source, exc, streams)
    return _run(
        resume_source,
        lambda name: score_match(read_resume(Path(name), settings=settings), job),
        fmt=fmt,
        streams=streams,
    )


def tailor(
    resume_source: str, job_source: str, *, settings: Settings, fmt: Format, streams: Streams
) -> int:
    """Tailor a resume (or each resume in a folder) to one posting, inventing nothing."""
    try:
        job = read_job(job_source, settings=settings, stdin=streams.stdin)
    except ATSProError as exc:
        return _fail(job_source, exc, streams)
    return _run(
        resume_source,
        lambda name: tailor_resume(read_resume(Path(name), settings=settings), job),
        fmt=fmt,
        streams=streams,
    )


def _run(source: str, work: Callable[[str], Result], *, fmt: Format, streams: Streams) -> int:
    path = Path(source)
    if path.is_dir():
        if fmt != "json":
            streams.err.write("atspro: error: a folder gives JSON lines; drop --format\n")
            return USAGE
        files = supported_files(path)
        if not files:
            streams.err.write(
                f"atspro: error: {path} holds no PDF, DOCX, ODT, RTF, HTML, "
                "Markdown or text files\n"
            )
            return 1
        return run_batch(files, lambda p: as_json(work(str(p))), out=streams.out, err=streams.err)
    try:
        result = work(source)
    except ATSProError as exc:
        return _fail(source, exc, streams)
    if fmt == "markdown":
        streams.out.write(as_markdown(result).rstrip("\n") + "\n")
    else:
        streams.out.write(json.dumps(as_json(result), indent=2, ensure_ascii=False) + "\n")
    return 0


def _fail(source: str, exc: ATSProError, streams: Streams) -> int:
    """One input that could not be used: its name, the error type and message; status 1."""
    error = error_json(exc)
    streams.err.write(f"atspro: error: {source}: {error['message']} ({error['type']})\n")
    return 1
