"""Tokens the database has confirmed, kept in memory until PostgreSQL says they changed.

Checking the token table on every request cost one database round trip per request (a
third of the server's time on a ``task(id)`` query). This cache saves it without letting a
revoked token live on:

* an entry is added only after the database confirmed the token, never for a refusal;
* every change to a token row fires a NOTIFY (migration 0004's trigger, whoever makes
  the change); a LISTEN connection of this process drops the entry within milliseconds;
* while that connection is down (or not yet up) the cache is bypassed: every request
  checks the database again, so a notification that could not arrive cannot be missed;
* a token's own expiry is kept with the entry, and every entry ages out after ``ttl_s``
  in case a connection stalls without breaking.

better-auth sessions are not cached: their table belongs to better-auth, which signs
users out by deleting rows that fire nothing here.

The same notifications reach ``on_change`` listeners (the registry of open WebSockets),
with the token hash, or None when any token may have changed (a TRUNCATE, or LISTEN came
back after a gap in which notifications could have been missed).
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
import time
from collections import OrderedDict
from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime

import asyncpg

log = logging.getLogger(__name__)

CHANNEL = "atspro_api_tokens"
APPLICATION_NAME = "atspro-token-cache"  # how the listening connection shows in pg_stat_activity
_FLUSH = "*"


@dataclass(frozen=True, slots=True)
class _Entry:
    user_id: str
    expires_at: datetime | None  # the token's own expiry, as the database said
    until: float  # time.monotonic() after which the entry is stale


class TokenCache:
    """Token hash -> user id, invalidated by PostgreSQL notifications."""

    _KEEPALIVE_S = 1.0

    def __init__(self, dsn: str, *, ttl_s: float, max_entries: int = 10_000) -> None:
        self._dsn = dsn
        self._ttl_s = ttl_s
        self._max_entries = max_entries
        self._entries: OrderedDict[str, _Entry] = OrderedDict()
        # Bumped by every invalidation: a lookup that began before one may not store
        # what it read (the token may have been revoked after the read).
        self._generation = 0
        self._conn: asyncpg.Connection | None = None
        self._listening = asyncio.Event()
        self._task: asyncio.Task[None] | None = None
        self._listeners: list[Callable[[str | None], None]] = []

    @property
    def live(self) -> bool:
        """Whether notifications arrive now (otherwise nothing is served from memory)."""
        return self._listening.is_set()

    @property
    def generation(self) -> int:
        """Pass to ``put``: the state of invalidations when a database lookup began."""
        return self._generation

    async def start(self, *, wait_s: float = 5.0) -> None:
        """Start listening; waits up to ``wait_s`` for the first connection."""
        self._task = asyncio.create_task(self._listen_loop(), name="atspro-token-cache")
        with contextlib.suppress(TimeoutError):
            await asyncio.wait_for(self._listening.wait(), wait_s)

    async def close(self) -> None:
        """Stop listening and forget every entry."""
        if self._task is not None:
            self._task.cancel()
            with contextlib.suppress(asyncio.CancelledError):
                await self._task
        await self._disconnect()
        self._invalidate_all()

    def on_change(self, listener: Callable[[str | None], None]) -> None:
        """Call ``listener(token_hash)`` on every token change (None: any token may have)."""
        self._listeners.append(listener)

    def get(self, token_hash: str) -> str | None:
        """The user of a confirmed, unexpired token, or None (ask the database)."""
        found = self.lookup(token_hash)
        return None if found is None else found[0]

    def lookup(self, token_hash: str) -> tuple[str, datetime | None] | None:
        """(user, token expiry) of a confirmed, unexpired token, or None (ask the database)."""
        if not self._listening.is_set():
            return None
        entry = self._entries.get(token_hash)
        if entry is None:
            return None
        if time.monotonic() >= entry.until:
            del self._entries[token_hash]
            return None
        return entry.user_id, entry.expires_at

    def put(
        self,
        token_hash: str,
        user_id: str,
        *,
        expires_at: datetime | None,
        generation: int,
    ) -> None:
        """Remember a token the database just confirmed (in a lookup begun at ``generation``)."""
        if self._ttl_s <= 0 or not self._listening.is_set() or generation != self._generation:
            return
        until = time.monotonic() + self._ttl_s
        if expires_at is not None:
            until = min(until, time.monotonic() + (expires_at.timestamp() - time.time()))
        self._entries[token_hash] = _Entry(user_id, expires_at, until)
        self._entries.move_to_end(token_hash)
        while len(self._entries) > self._max_entries:
            self._entries.popitem(last=False)

    # -- notifications -------------------------------------------------------------------

    def _on_notify(self, conn: asyncpg.Connection, pid: int, channel: str, payload: object) -> None:
        if payload == _FLUSH:
            self._invalidate_all()
            self._tell(None)
        else:
            self._generation += 1
            self._entries.pop(str(payload), None)
            self._tell(str(payload))

    def _tell(self, token_hash: str | None) -> None:
        for listener in self._listeners:
            try:
                listener(token_hash)
            except Exception:
                # A listener's bug must not stop the cache from invalidating.
                log.exception("token change listener failed")

    def _on_lost(self, conn: asyncpg.Connection) -> None:
        # From here until LISTEN is back, notifications may be missed: serve nothing.
        self._listening.clear()
        self._invalidate_all()

    def _invalidate_all(self) -> None:
        self._generation += 1
        self._entries.clear()

    async def _listen_loop(self) -> None:
        delay = 0.1
        while True:
            try:
                conn = await asyncpg.connect(
                    self._dsn, timeout=5.0, server_settings={"application_name": APPLICATION_NAME}
                )
            except (OSError, asyncpg.PostgresError, TimeoutError) as exc:
                log.warning("token cache: cannot listen (%s); retrying in %.1fs", exc, delay)
                await asyncio.sleep(delay)
                delay = min(delay * 2, 5.0)
                continue
            self._conn = conn
            try:
                conn.add_termination_listener(self._on_lost)
                await conn.add_listener(CHANNEL, self._on_notify)
            except (OSError, asyncpg.PostgresError, asyncpg.InterfaceError) as exc:
                log.warning("token cache: LISTEN failed (%s)", exc)
                await self._disconnect()
                await asyncio.sleep(delay)
                continue
            delay = 0.1
            self._invalidate_all()
            self._listening.set()
            # Whatever changed while nobody listened is unknown: listeners re-check it all.
            self._tell(None)
            # A connection that stalls without breaking would hold back notifications
            # silently: a cheap query every second proves it is alive, or ends it.
            try:
                while not conn.is_closed():
                    await asyncio.sleep(self._KEEPALIVE_S)
                    await conn.execute("SELECT 1", timeout=self._KEEPALIVE_S * 5)
            except (OSError, asyncpg.PostgresError, asyncpg.InterfaceError) as exc:
                log.warning("token cache: listening connection lost (%s)", exc)
            self._on_lost(conn)
            await self._disconnect()

    async def _disconnect(self) -> None:
        conn, self._conn = self._conn, None
        self._listening.clear()
        if conn is not None and not conn.is_closed():
            with contextlib.suppress(Exception):
                await conn.close(timeout=2.0)
