"""The document store contract: what every backend (PostgreSQL, ArangoDB) provides.

A stored document belongs to one user. Every read, list and delete is scoped by
``user_id``, and another user's id behaves exactly like an unknown one: documents are
keyed by ``(user_id, kind, doc_id)``, so ``put`` of the same ``(kind, doc_id)`` by the
same user overwrites (a re-run task replaces its own result) and never touches anyone
else's.
"""

from __future__ import annotations

import base64
import binascii
from collections.abc import Mapping
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from typing import Any, Protocol

import orjson

from atspro.errors import DocumentError, InputError

#: The kinds of document the store keeps (uploads live apart, as blobs).
KINDS: frozenset[str] = frozenset({"resume", "job", "match", "document", "ranking"})
#: The largest page ``list`` returns.
MAX_PAGE_SIZE = 1000
#: The top-level ``meta`` key that, when set, makes ``delete_expired`` remove a document.
EXPIRES_AT = "expires_at"

_EPOCH = datetime(1970, 1, 1, tzinfo=UTC)


@dataclass(frozen=True, slots=True)
class StoredDocument:
    """One stored JSON document with its owner and timestamps."""

    id: str
    kind: str
    user_id: str
    data: dict[str, Any]
    meta: dict[str, Any]
    created_at: datetime
    updated_at: datetime


@dataclass(frozen=True, slots=True)
class DocumentPage:
    """One page of ``list``, newest first; pass ``end_cursor`` as ``after`` for the next."""

    items: list[StoredDocument]
    end_cursor: str | None
    has_next_page: bool


@dataclass(frozen=True, slots=True)
class Blob:
    """The raw bytes of an upload, kept so a task can be retried after a crash."""

    id: str
    user_id: str
    data: bytes
    filename: str
    media_type: str
    size: int
    created_at: datetime


class DocumentStore(Protocol):
    """User-scoped storage of JSON documents and upload blobs."""

    async def put(
        self,
        *,
        kind: str,
        user_id: str,
        doc_id: str,
        data: dict[str, Any],
        meta: dict[str, Any] | None = None,
    ) -> StoredDocument:
        """Insert or overwrite the caller's document ``(kind, doc_id)``."""
        ...

    async def get(self, *, kind: str, user_id: str, doc_id: str) -> StoredDocument:
        """Return the caller's document; NotFoundError when absent."""
        ...

    async def list(
        self,
        *,
        kind: str,
        user_id: str,
        first: int = 20,
        after: str | None = None,
        filters: dict[str, str] | None = None,
    ) -> DocumentPage:
        """A page of the caller's documents of ``kind``, newest first."""
        ...

    async def delete(self, *, kind: str, user_id: str, doc_id: str) -> None:
        """Remove the caller's document; NotFoundError when absent."""
        ...

    async def count(self, *, user_id: str) -> int:
        """How many documents of every kind the caller holds (for the stored-documents quota)."""
        ...

    async def delete_expired(self, *, now: datetime) -> int:
        """Remove documents and blobs whose expiry is at or before ``now``; returns the count."""
        ...

    async def put_blob(
        self,
        *,
        user_id: str,
        blob_id: str,
        data: bytes,
        filename: str,
        media_type: str,
        expires_at: datetime | None = None,
    ) -> None:
        """Store (or overwrite) the caller's upload bytes; DocumentError when too large."""
        ...

    async def get_blob(self, *, user_id: str, blob_id: str) -> Blob:
        """Return the caller's upload; NotFoundError when absent."""
        ...

    async def delete_blob(self, *, user_id: str, blob_id: str) -> None:
        """Remove the caller's upload; NotFoundError when absent."""
        ...

    async def ping(self) -> None:
        """Return when the store answers; ServiceUnavailable (or ATSProError) when not."""
        ...

    async def close(self) -> None:
        """Release what the store opened itself (never a pool it was given)."""
        ...


def check_kind(kind: str) -> None:
    """Reject a kind the store does not keep."""
    if kind not in KINDS:
        raise InputError(f"unknown document kind {kind!r}", field="kind")


def check_id(value: str, *, field: str) -> None:
    """Reject empty or absurdly long ids before they reach a backend."""
    if not value or len(value) > 200:
        raise InputError(f"{field} must be 1 to 200 characters", field=field)


def check_page(first: int, filters: Mapping[str, str] | None) -> None:
    """Validate the page size and the meta filters of ``list``."""
    if not 0 <= first <= MAX_PAGE_SIZE:
        raise InputError(f"first must be between 0 and {MAX_PAGE_SIZE}", field="first")
    for key, value in (filters or {}).items():
        if not isinstance(key, str) or not isinstance(value, str):
            raise InputError("filters must map meta keys to strings", field="filters")


def check_blob_size(data: bytes, *, max_bytes: int) -> None:
    """Refuse an upload over the size limit (a permanent failure for the task)."""
    if len(data) > max_bytes:
        raise DocumentError(
            f"the file is {len(data)} bytes; the limit is {max_bytes} bytes",
            reason="too_large",
        )


def split_expiry(meta: Mapping[str, Any] | None) -> tuple[dict[str, Any], datetime | None]:
    """Copy ``meta`` with ``expires_at`` normalised to ISO 8601 UTC; also return it parsed."""
    clean = dict(meta or {})
    raw = clean.get(EXPIRES_AT)
    if raw is None:
        return clean, None
    if isinstance(raw, str):
        try:
            raw = datetime.fromisoformat(raw)
        except ValueError as exc:
            raise InputError(f"{EXPIRES_AT} is not an ISO 8601 time", field=EXPIRES_AT) from exc
    if not isinstance(raw, datetime) or raw.tzinfo is None:
        raise InputError(f"{EXPIRES_AT} must be a time with a time zone", field=EXPIRES_AT)
    expires = raw.astimezone(UTC)
    clean[EXPIRES_AT] = expires.isoformat()
    return clean, expires


def check_aware(moment: datetime | None, *, field: str) -> None:
    """Reject a naive time: stored times are absolute."""
    if moment is not None and moment.tzinfo is None:
        raise InputError(f"{field} must be a time with a time zone", field=field)


def to_micros(moment: datetime) -> int:
    """Microseconds since the Unix epoch (exact, unlike float timestamps)."""
    return (moment - _EPOCH) // timedelta(microseconds=1)


def from_micros(micros: int) -> datetime:
    """The UTC time ``micros`` microseconds after the Unix epoch."""
    return _EPOCH + timedelta(microseconds=micros)


def encode_cursor(created_at: datetime, doc_id: str) -> str:
    """An opaque cursor naming the position just after this document."""
    raw = orjson.dumps([to_micros(created_at), doc_id])
    return base64.urlsafe_b64encode(raw).decode().rstrip("=")


def decode_cursor(cursor: str) -> tuple[datetime, str]:
    """Read a cursor made by ``encode_cursor``; InputError for anything else."""
    try:
        raw = base64.urlsafe_b64decode(cursor + "=" * (-len(cursor) % 4))
        micros, doc_id = orjson.loads(raw)
        if isinstance(micros, int) and isinstance(doc_id, str):
            return from_micros(micros), doc_id
    except (binascii.Error, orjson.JSONDecodeError, ValueError, TypeError, OverflowError):
        pass
    raise InputError("the cursor is not valid", field="after")


def make_page(rows: list[StoredDocument], first: int) -> DocumentPage:
    """Build a page from up to ``first + 1`` rows (the extra row only signals a next page)."""
    items = rows[:first]
    end = encode_cursor(items[-1].created_at, items[-1].id) if items else None
    return DocumentPage(items=items, end_cursor=end, has_next_page=len(rows) > first)
