"""The open WebSockets of this process: how many each user and address holds, and whose
credentials stopped holding.

A socket is added when accepted (counted against its client address) and bound to its
principal once connection_init authenticated it (counted against the user). Bound sockets
are re-checked, and closed with 4401 when their token or session no longer authenticates:

* at once when the token cache reports a change to their token (the revocation NOTIFY);
* within a second of their token's or session's expiry (a local check, no query);
* every ``recheck_s`` when a change would fire nothing: better-auth sessions (signing out
  deletes a row better-auth owns), and every socket while notifications are down.
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
import time
from collections.abc import Awaitable, Callable, Iterable
from dataclasses import dataclass
from datetime import UTC, datetime

from atspro.auth import Principal
from atspro.errors import ATSProError, AuthError, QuotaExceeded

log = logging.getLogger(__name__)

CLOSE_UNAUTHORIZED = 4401
CLOSE_TOO_MANY = 4429

_TICK_S = 1.0
# Re-checks that run at once (each may be a database query).
_RECHECK_BATCH = 50


@dataclass(eq=False)
class LiveSocket:
    """One accepted WebSocket, as the registry sees it."""

    address: str
    # Authenticates the socket's credentials again; raises AuthError when they fail.
    recheck: Callable[[], Awaitable[Principal]]
    # Closes the socket (and ends its operations) with a code and a reason.
    close: Callable[[int, str], Awaitable[None]]
    principal: Principal | None = None
    closing: bool = False


class SocketRegistry:
    """Live sockets by address and user; closes those whose credentials were revoked."""

    def __init__(
        self,
        *,
        max_per_user: int,
        max_per_address: int,
        recheck_s: float,
        notifications_live: Callable[[], bool] = lambda: False,
    ) -> None:
        self._max_per_user = max_per_user
        self._max_per_address = max_per_address
        self._recheck_s = recheck_s
        self._notifications_live = notifications_live
        self._sockets: set[LiveSocket] = set()
        self._by_address: dict[str, int] = {}
        self._by_user: dict[str, int] = {}
        self._loop_task: asyncio.Task[None] | None = None
        # Re-checks started from a notification callback: kept so they are not collected.
        self._pending: set[asyncio.Task[None]] = set()

    def __len__(self) -> int:
        return len(self._sockets)

    async def start(self) -> None:
        """Start the periodic expiry and re-check loop."""
        self._loop_task = asyncio.create_task(self._loop(), name="atspro-socket-registry")

    async def close(self) -> None:
        """Stop the loop and any re-check in flight (the sockets close with the server)."""
        tasks = [t for t in (self._loop_task, *self._pending) if t is not None]
        for task in tasks:
            task.cancel()
        for task in tasks:
            with contextlib.suppress(asyncio.CancelledError):
                await task

    def add(self, sock: LiveSocket) -> None:
        """Count a newly accepted socket; QuotaExceeded when its address holds too many."""
        held = self._by_address.get(sock.address, 0)
        if held >= self._max_per_address:
            raise QuotaExceeded(
                f"too many WebSockets from {sock.address} ({held} open)",
                setting="ws_max_connections_per_address",
            )
        self._by_address[sock.address] = held + 1
        self._sockets.add(sock)

    def bind(self, sock: LiveSocket, principal: Principal) -> None:
        """Attach the authenticated caller; QuotaExceeded when the user holds too many."""
        if sock not in self._sockets:
            return  # closed meanwhile
        if sock.principal is None:
            held = self._by_user.get(principal.user_id, 0)
            if held >= self._max_per_user:
                raise QuotaExceeded(
                    f"too many WebSockets for this user ({held} open)",
                    setting="ws_max_connections_per_user",
                )
            self._by_user[principal.user_id] = held + 1
        sock.principal = principal

    def remove(self, sock: LiveSocket) -> None:
        """Forget a socket that ended."""
        if sock not in self._sockets:
            return
        self._sockets.discard(sock)
        _decrement(self._by_address, sock.address)
        if sock.principal is not None:
            _decrement(self._by_user, sock.principal.user_id)

    def token_changed(self, token_hash: str | None) -> None:
        """The token cache's listener: re-check the sockets of ``token_hash`` (None: all).

        Any change to a token row notifies, not only a revocation: the socket is closed only
        if its token no longer authenticates.
        """
        socks = [
            s
            for s in self._sockets
            if s.principal is not None
            and (token_hash is None or s.principal.token_hash == token_hash)
        ]
        if not socks:
            return
        task = asyncio.get_running_loop().create_task(self.recheck(socks))
        self._pending.add(task)
        task.add_done_callback(self._pending.discard)

    async def recheck(self, socks: Iterable[LiveSocket]) -> None:
        """Authenticate each socket again; close those that fail with 4401."""
        batch = [s for s in socks if not s.closing]
        for start in range(0, len(batch), _RECHECK_BATCH):
            await asyncio.gather(
                *(self._recheck_one(s) for s in batch[start : start + _RECHECK_BATCH])
            )

    async def _recheck_one(self, sock: LiveSocket) -> None:
        try:
            sock.principal = await sock.recheck()
        except AuthError as exc:
            await self.close_socket(sock, CLOSE_UNAUTHORIZED, f"Unauthorized: {exc.message}")
        except ATSProError as exc:
            # The database is away: an outage is not a revocation; the next check decides.
            log.warning("cannot re-check a WebSocket's token (%s); kept open", exc.message)

    async def close_socket(self, sock: LiveSocket, code: int, reason: str) -> None:
        """Close ``sock`` once, whatever asks first."""
        if sock.closing:
            return
        sock.closing = True
        who = sock.principal.user_id if sock.principal else "?"
        log.info("closing WebSocket of user %s from %s: %d %s", who, sock.address, code, reason)
        try:
            await sock.close(code, reason)
        except Exception:
            # Already gone on the wire: its handler ends and removes it anyway.
            log.debug("closing a WebSocket failed", exc_info=True)

    async def _loop(self) -> None:
        last_full = time.monotonic()
        while True:
            await asyncio.sleep(_TICK_S)
            now = datetime.now(UTC)
            full = time.monotonic() - last_full >= self._recheck_s
            if full:
                last_full = time.monotonic()
            live = self._notifications_live()
            due = [
                s
                for s in self._sockets
                if s.principal is not None
                and (
                    (s.principal.expires_at is not None and s.principal.expires_at <= now)
                    or (full and (s.principal.session or not live))
                )
            ]
            try:
                if due:
                    await self.recheck(due)
            except Exception:
                # One bad re-check must not end the loop that closes revoked sockets.
                log.exception("WebSocket re-check failed")


def _decrement(counts: dict[str, int], key: str) -> None:
    left = counts.get(key, 0) - 1
    if left > 0:
        counts[key] = left
    else:
        counts.pop(key, None)
