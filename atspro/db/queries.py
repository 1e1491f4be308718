"""Named SQL statements loaded from the ``.sql`` files beside this module.

A file holds blocks introduced by ``-- name: some_name``; each block is one statement.
"""

from __future__ import annotations

import re
from functools import cache
from importlib import resources

_NAME = re.compile(r"^--\s*name:\s*(\w+)\s*$", re.MULTILINE)


@cache
def load_queries(filename: str) -> dict[str, str]:
    """Return ``{name: sql}`` for the named blocks of ``atspro/db/sql/<filename>``."""
    text = resources.files("atspro.db").joinpath("sql", filename).read_text(encoding="utf-8")
    parts = _NAME.split(text)
    queries: dict[str, str] = {}
    for name, body in zip(parts[1::2], parts[2::2], strict=True):
        sql = body.strip()
        if name in queries:
            raise ValueError(f"duplicate query name {name!r} in {filename}")
        queries[name] = sql
    return queries
