"""How many page fetches may run at once, per process and per user.

A fetch holds a connection and up to ``FETCH_MAX_BYTES`` of body, so the process cap
bounds both; the per-user cap keeps one user's batch of URLs (or of slow-loris pages)
from taking every slot. A fetch over either cap waits for a slot, at most ``wait_s``
(one fetch deadline, the longest a slot can be held), then fails with ``FetchBusy``,
which the task layer retries after that delay like any rate limit.

Handlers build a ``PageFetcher`` per task, so the slots must outlive a fetcher:
``shared_slots`` keeps one ``FetchSlots`` per event loop (one loop per process in the
service), created on first use; nothing is created at import.
"""

from __future__ import annotations

import asyncio
import contextlib
import weakref
from collections.abc import AsyncIterator, Iterator
from dataclasses import dataclass

from atspro.jobs.errors import FetchBusy


@dataclass(slots=True)
class _UserSlots:
    semaphore: asyncio.Semaphore
    users: int = 0  # fetches holding or waiting for this user's slots


class FetchSlots:
    """Semaphores for the process and for each user; ``hold`` takes one of each."""

    def __init__(self, *, per_process: int, per_user: int, wait_s: float) -> None:
        if per_process < 1 or per_user < 1:
            raise ValueError("fetch concurrency caps must be at least 1")
        self.per_process = per_process
        self.per_user = per_user
        self.wait_s = wait_s
        self._process = asyncio.Semaphore(per_process)
        self._users: dict[str, _UserSlots] = {}
        self._running = 0

    @property
    def running(self) -> int:
        """Fetches holding a process slot now."""
        return self._running

    @contextlib.asynccontextmanager
    async def hold(self, user_id: str = "") -> AsyncIterator[None]:
        """Hold a slot for ``user_id`` ("" counts against the process cap only)."""
        deadline = asyncio.get_running_loop().time() + self.wait_s
        async with contextlib.AsyncExitStack() as stack:
            if user_id:
                # The user's own slot first: a user over the cap must not sit on a process
                # slot while waiting for one of their own.
                stack.enter_context(self._user_entry(user_id))
                semaphore = self._users[user_id].semaphore
                await self._acquire(semaphore, deadline, per_user=True)
                stack.callback(semaphore.release)
            await self._acquire(self._process, deadline, per_user=False)
            stack.callback(self._process.release)
            self._running += 1
            try:
                yield
            finally:
                self._running -= 1

    @contextlib.contextmanager
    def _user_entry(self, user_id: str) -> Iterator[None]:
        # Entries live only while a fetch holds or waits for them: no growth with users.
        entry = self._users.setdefault(user_id, _UserSlots(asyncio.Semaphore(self.per_user)))
        entry.users += 1
        try:
            yield
        finally:
            entry.users -= 1
            if entry.users == 0:
                del self._users[user_id]

    async def _acquire(
        self, semaphore: asyncio.Semaphore, deadline: float, *, per_user: bool
    ) -> None:
        try:
            async with asyncio.timeout_at(deadline):
                await semaphore.acquire()
        except TimeoutError as exc:
            limit = self.per_user if per_user else self.per_process
            raise FetchBusy(per_user=per_user, limit=limit, retry_after_s=self.wait_s) from exc


_SHARED: weakref.WeakKeyDictionary[
    asyncio.AbstractEventLoop, dict[tuple[int, int, float], FetchSlots]
] = weakref.WeakKeyDictionary()


def shared_slots(*, per_process: int, per_user: int, wait_s: float) -> FetchSlots:
    """The running loop's slots for these caps (one set per process in the service)."""
    by_caps = _SHARED.setdefault(asyncio.get_running_loop(), {})
    key = (per_process, per_user, wait_s)
    if key not in by_caps:
        by_caps[key] = FetchSlots(per_process=per_process, per_user=per_user, wait_s=wait_s)
    return by_caps[key]
