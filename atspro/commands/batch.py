"""A folder of files in, one JSON line per file out; a progress counter when stderr is a terminal.

A file that fails gives an error line and the run goes on: one bad file in a thousand must not
cost the other 999.
"""

from __future__ import annotations

import json
import logging
from collections.abc import Callable, Sequence
from pathlib import Path
from typing import Any, TextIO

from atspro.errors import ATSProError

log = logging.getLogger(__name__)


def error_json(exc: BaseException) -> dict[str, str]:
    """An error as the commands print it: its type and the message meant for the user."""
    message = exc.message if isinstance(exc, ATSProError) else str(exc)
    return {"type": type(exc).__name__, "message": message}


def run_batch(
    files: Sequence[Path], work: Callable[[Path], Any], *, out: TextIO, err: TextIO
) -> int:
    """Write ``{"file", "result"}`` or ``{"file", "error"}`` per file; 1 if any failed, else 0."""
    progress = err.isatty()
    failed = 0
    for number, path in enumerate(files, 1):
        if progress:
            err.write(f"\r\x1b[K[{number}/{len(files)}] {path.name}")
            err.flush()
        line: dict[str, Any] = {"file": str(path)}
        try:
            line["result"] = work(path)
        except ATSProError as exc:
            failed += 1
            line["error"] = error_json(exc)
        except Exception as exc:  # an engine bug on one file: reported, the run goes on
            log.exception("%s failed", path)
            failed += 1
            line["error"] = error_json(exc)
        if progress:
            err.write("\r\x1b[K")  # the counter's line is cleared before output may share it
            err.flush()
        out.write(json.dumps(line, ensure_ascii=False) + "\n")
        out.flush()
    return 1 if failed else 0
