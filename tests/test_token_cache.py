"""The token cache: served from memory only what PostgreSQL confirmed and has not changed since.

Every test runs against a real PostgreSQL database of its own, with the real NOTIFY trigger.
"""

from __future__ import annotations

import asyncio
import time
from collections.abc import AsyncIterator, Awaitable, Callable
from datetime import UTC, datetime, timedelta

import asyncpg
import pytest

from atspro.auth import authenticate, hash_token, issue_token, revoke_tokens
from atspro.db.pool import create_pool
from atspro.errors import AuthError
from atspro.token_cache import APPLICATION_NAME, TokenCache
from tests.fresh_database import fresh_database, migrated_pool


@pytest.fixture
async def dsn(service_urls: tuple[str, str]) -> AsyncIterator[str]:
    async with fresh_database(service_urls[1]) as name:
        yield name


@pytest.fixture
async def pool(dsn: str) -> AsyncIterator[asyncpg.Pool]:
    async with migrated_pool(dsn) as opened:
        yield opened


@pytest.fixture
async def cache(dsn: str, pool: asyncpg.Pool) -> AsyncIterator[TokenCache]:
    # A TTL far longer than any test: whatever drops an entry here is a notification.
    tokens = TokenCache(dsn, ttl_s=3600)
    await tokens.start()
    assert tokens.live
    try:
        yield tokens
    finally:
        await tokens.close()


async def eventually(check: Callable[[], Awaitable[bool]] | Callable[[], bool]) -> float:
    """Seconds until ``check`` holds (fails after 5 s)."""
    started = time.monotonic()
    while time.monotonic() - started < 5:
        outcome = check()
        if outcome if isinstance(outcome, bool) else await outcome:
            return time.monotonic() - started
        await asyncio.sleep(0.005)
    pytest.fail("condition not reached within 5 s")


async def closed_pool(dsn: str) -> asyncpg.Pool:
    """A pool that fails any query: proves an answer came from memory."""
    unusable = await create_pool(dsn, min_size=1, max_size=1)
    await unusable.close()
    return unusable


async def test_a_confirmed_token_is_then_answered_from_memory(
    dsn: str, pool: asyncpg.Pool, cache: TokenCache
) -> None:
    token = await issue_token(pool, user_id="ann")
    assert (await authenticate(pool, token, better_auth=False, cache=cache)).user_id == "ann"
    assert cache.get(hash_token(token)) == "ann"
    offline = await closed_pool(dsn)
    assert (await authenticate(offline, token, better_auth=False, cache=cache)).user_id == "ann"


async def test_a_refused_token_is_never_remembered(pool: asyncpg.Pool, cache: TokenCache) -> None:
    with pytest.raises(AuthError):
        await authenticate(pool, "atspro_not-a-token", better_auth=False, cache=cache)
    assert cache.get(hash_token("atspro_not-a-token")) is None


@pytest.mark.parametrize(
    "change",
    [
        pytest.param(lambda pool: revoke_tokens(pool, user_id="bob"), id="revoke_tokens"),
        pytest.param(lambda pool: pool.execute("DELETE FROM api_tokens"), id="sql-delete"),
        pytest.param(lambda pool: pool.execute("TRUNCATE api_tokens"), id="sql-truncate"),
        pytest.param(
            lambda pool: pool.execute("UPDATE api_tokens SET expires_at = now()"), id="sql-expire"
        ),
    ],
)
async def test_any_change_to_the_token_row_reaches_the_cache_at_once(
    pool: asyncpg.Pool,
    cache: TokenCache,
    change: Callable[[asyncpg.Pool], Awaitable[object]],
) -> None:
    token = await issue_token(pool, user_id="bob")
    await authenticate(pool, token, better_auth=False, cache=cache)
    await change(pool)
    waited = await eventually(lambda: cache.get(hash_token(token)) is None)
    assert waited < 2
    with pytest.raises(AuthError):
        await authenticate(pool, token, better_auth=False, cache=cache)


async def test_a_lookup_that_raced_an_invalidation_is_not_stored(
    pool: asyncpg.Pool, cache: TokenCache
) -> None:
    token = await issue_token(pool, user_id="cat")
    other = await issue_token(pool, user_id="dan")
    began = cache.generation
    await revoke_tokens(pool, user_id="dan")  # any invalidation after the read began
    await eventually(lambda: cache.generation != began)
    cache.put(hash_token(token), "cat", expires_at=None, generation=began)
    assert cache.get(hash_token(token)) is None
    assert cache.get(hash_token(other)) is None


async def test_an_entry_ends_with_its_token_expiry(pool: asyncpg.Pool, cache: TokenCache) -> None:
    soon = datetime.now(UTC) + timedelta(milliseconds=300)
    token = await issue_token(pool, user_id="eve", expires_at=soon)
    await authenticate(pool, token, better_auth=False, cache=cache)
    assert cache.get(hash_token(token)) == "eve"
    await eventually(lambda: cache.get(hash_token(token)) is None)
    with pytest.raises(AuthError):
        await authenticate(pool, token, better_auth=False, cache=cache)


async def test_entries_age_out_after_the_ttl(dsn: str, pool: asyncpg.Pool) -> None:
    tokens = TokenCache(dsn, ttl_s=0.2)
    await tokens.start()
    try:
        token = await issue_token(pool, user_id="fay")
        await authenticate(pool, token, better_auth=False, cache=tokens)
        assert tokens.get(hash_token(token)) == "fay"
        await asyncio.sleep(0.25)
        assert tokens.get(hash_token(token)) is None
    finally:
        await tokens.close()


async def test_the_oldest_entries_make_room_beyond_the_size_bound(dsn: str) -> None:
    tokens = TokenCache(dsn, ttl_s=60, max_entries=2)
    await tokens.start()
    try:
        for name in ("a", "b", "c"):
            tokens.put(name, name, expires_at=None, generation=tokens.generation)
        assert [tokens.get(n) for n in ("a", "b", "c")] == [None, "b", "c"]
    finally:
        await tokens.close()


async def test_without_its_listening_connection_the_cache_serves_nothing_until_back(
    pool: asyncpg.Pool, cache: TokenCache
) -> None:
    token = await issue_token(pool, user_id="gus")
    await authenticate(pool, token, better_auth=False, cache=cache)
    killed = await pool.fetchval(
        "SELECT count(pg_terminate_backend(pid)) FROM pg_stat_activity "
        "WHERE datname = current_database() AND application_name = $1",
        APPLICATION_NAME,
    )
    assert killed == 1
    await eventually(lambda: not cache.live)
    # Down: nothing from memory; a revocation now must still be seen.
    assert cache.get(hash_token(token)) is None
    await revoke_tokens(pool, user_id="gus")
    with pytest.raises(AuthError):
        await authenticate(pool, token, better_auth=False, cache=cache)
    # Back by itself, empty, and caching again.
    await eventually(lambda: cache.live)
    fresh = await issue_token(pool, user_id="gus")
    await authenticate(pool, fresh, better_auth=False, cache=cache)
    assert cache.get(hash_token(fresh)) == "gus"
    assert cache.get(hash_token(token)) is None


async def test_it_keeps_retrying_while_postgresql_cannot_be_reached() -> None:
    tokens = TokenCache("postgresql://postgres@127.0.0.1:1/none", ttl_s=60)
    await tokens.start(wait_s=0.3)
    try:
        assert not tokens.live
        tokens.put("h", "u", expires_at=None, generation=tokens.generation)
        assert tokens.get("h") is None
    finally:
        await tokens.close()
