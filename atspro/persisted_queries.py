"""Automatic persisted queries (APQ), as Apollo Client's persisted-query link sends them.

A client sends ``extensions.persistedQuery = {"version": 1, "sha256Hash": "<hex>"}`` with no
query; an unknown hash is answered with the error ``PersistedQueryNotFound`` (code
``PERSISTED_QUERY_NOT_FOUND``), and the client sends again with the full query and the hash.
The hash must be the SHA-256 of that query; the query is kept once it parsed and passed our
limits, so later requests (GET or POST) send the hash alone.

The store is a bounded LRU per process, not Redis: a miss costs the client one round trip,
after which that process knows the query, so replicas need not share; a hit costs no network
call; and no client can grow a shared Redis with queries of its own making.
"""

from __future__ import annotations

import hashlib
from collections import OrderedDict
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

NOT_FOUND_MESSAGE = "PersistedQueryNotFound"
NOT_FOUND_CODE = "PERSISTED_QUERY_NOT_FOUND"
DEFAULT_MAX_ENTRIES = 2000
SUPPORTED_VERSION = 1


class PersistedQueryError(Exception):
    """A persisted-query request that cannot run: ``message`` and ``code`` for the client."""

    def __init__(self, message: str, code: str) -> None:
        super().__init__(message)
        self.message = message
        self.code = code


@dataclass(frozen=True, slots=True)
class PersistedQuery:
    """The query a request runs, and the hash to store it under once it proved valid."""

    query: str
    sha256_hash: str
    # True when the request carried the full query: store it after it prepared cleanly.
    register: bool


class PersistedQueries:
    """Queries by SHA-256 hash, at most ``max_entries``, the least recently used dropped first."""

    def __init__(self, *, max_entries: int = DEFAULT_MAX_ENTRIES) -> None:
        self._max_entries = max_entries
        self._queries: OrderedDict[str, str] = OrderedDict()

    def __len__(self) -> int:
        return len(self._queries)

    def resolve(
        self, query: str | None, extensions: Mapping[str, Any] | None
    ) -> PersistedQuery | None:
        """The query to run for a request with a persistedQuery extension; None without one.

        Raises PersistedQueryError for an unknown hash (the client then sends the query), a
        hash that is not the query's, or an extension this server does not understand.
        """
        if not extensions or extensions.get("persistedQuery") is None:
            return None
        persisted = extensions["persistedQuery"]
        if not isinstance(persisted, Mapping):
            raise PersistedQueryError(
                "extensions.persistedQuery must be an object", "PERSISTED_QUERY_INVALID"
            )
        if persisted.get("version") != SUPPORTED_VERSION:
            raise PersistedQueryError(
                "Unsupported persisted query version (this server supports version 1)",
                "PERSISTED_QUERY_NOT_SUPPORTED",
            )
        sha256_hash = persisted.get("sha256Hash")
        if not isinstance(sha256_hash, str) or not sha256_hash:
            raise PersistedQueryError(
                "extensions.persistedQuery.sha256Hash must be a string", "PERSISTED_QUERY_INVALID"
            )
        sha256_hash = sha256_hash.lower()
        if query is None:
            known = self._queries.get(sha256_hash)
            if known is None:
                raise PersistedQueryError(NOT_FOUND_MESSAGE, NOT_FOUND_CODE)
            self._queries.move_to_end(sha256_hash)
            return PersistedQuery(query=known, sha256_hash=sha256_hash, register=False)
        if hashlib.sha256(query.encode()).hexdigest() != sha256_hash:
            raise PersistedQueryError(
                "provided sha does not match query", "PERSISTED_QUERY_HASH_MISMATCH"
            )
        return PersistedQuery(query=query, sha256_hash=sha256_hash, register=True)

    def store(self, persisted: PersistedQuery) -> None:
        """Keep a query that carried its hash (call once it parsed and passed the limits)."""
        if not persisted.register:
            return
        self._queries[persisted.sha256_hash] = persisted.query
        self._queries.move_to_end(persisted.sha256_hash)
        while len(self._queries) > self._max_entries:
            self._queries.popitem(last=False)
