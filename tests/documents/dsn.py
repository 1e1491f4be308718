"""PostgreSQL connection strings for the document-store tests."""

from __future__ import annotations

from urllib.parse import urlsplit, urlunsplit

DEFAULT_DATABASE_URL = "postgresql://postgres@127.0.0.1:5432/test"


def with_database(dsn: str, name: str) -> str:
    """The same server and credentials as ``dsn``, another database."""
    return urlunsplit(urlsplit(dsn)._replace(path=f"/{name}"))
