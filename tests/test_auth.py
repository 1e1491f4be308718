"""Who is calling: issued API tokens and better-auth sessions, checked against PostgreSQL."""

from __future__ import annotations

import secrets
from collections.abc import AsyncIterator
from datetime import UTC, datetime, timedelta

import asyncpg
import pytest

from atspro.auth import (
    TOKEN_PREFIX,
    authenticate,
    bearer_token,
    count_tokens,
    hash_token,
    issue_token,
    revoke_tokens,
    validate_user_name,
)
from atspro.db.pool import create_pool
from atspro.errors import AuthError, InputError, ServiceUnavailable
from tests.fresh_database import fresh_database, migrated_pool

# The tables better-auth's CLI creates on PostgreSQL (`npx @better-auth/cli migrate`),
# trimmed to the columns a session lookup touches plus their NOT NULL companions.
BETTER_AUTH_TABLES = """
create table "user" ("id" text not null primary key, "name" text not null,
    "email" text not null unique, "emailVerified" boolean not null, "image" text,
    "createdAt" timestamptz default CURRENT_TIMESTAMP not null,
    "updatedAt" timestamptz default CURRENT_TIMESTAMP not null);
create table "session" ("id" text not null primary key, "expiresAt" timestamptz not null,
    "token" text not null unique, "createdAt" timestamptz default CURRENT_TIMESTAMP not null,
    "updatedAt" timestamptz not null, "ipAddress" text, "userAgent" text,
    "userId" text not null references "user" ("id") on delete cascade);
create index "session_userId_idx" on "session" ("userId");
"""


async def add_better_auth_session(
    pool: asyncpg.Pool, *, user_id: str, expires_in: timedelta
) -> str:
    """Insert a user (once) and a session as better-auth does; returns the session token."""
    now = datetime.now(UTC)
    await pool.execute(
        """insert into "user" ("id", "name", "email", "emailVerified") values ($1, $1, $2, true)
           on conflict ("id") do nothing""",
        user_id,
        f"{user_id}@example.org",
    )
    token = secrets.token_urlsafe(24)
    await pool.execute(
        """insert into "session" ("id", "expiresAt", "token", "updatedAt", "userId")
           values ($1, $2, $3, $4, $5)""",
        secrets.token_hex(8),
        now + expires_in,
        token,
        now,
        user_id,
    )
    return token


@pytest.fixture
async def pool(service_urls: tuple[str, str]) -> AsyncIterator[asyncpg.Pool]:
    """A migrated database of its own (tokens counted here are only this test's)."""
    async with fresh_database(service_urls[1]) as dsn, migrated_pool(dsn) as opened:
        yield opened


@pytest.fixture
async def better_auth_pool(pool: asyncpg.Pool) -> asyncpg.Pool:
    await pool.execute(BETTER_AUTH_TABLES)
    return pool


async def test_issued_token_authenticates_and_only_its_hash_is_stored(pool: asyncpg.Pool) -> None:
    token = await issue_token(pool, user_id="  ann  ", name="laptop")
    assert token.startswith(TOKEN_PREFIX)
    assert (await authenticate(pool, token, better_auth=False)).user_id == "ann"
    stored = await pool.fetch("SELECT user_id, name, token_hash FROM api_tokens")
    assert [tuple(r) for r in stored] == [("ann", "laptop", hash_token(token))]
    assert token not in hash_token(token)


async def test_unknown_expired_and_revoked_tokens_are_refused(pool: asyncpg.Pool) -> None:
    expired = await issue_token(
        pool, user_id="bob", expires_at=datetime.now(UTC) - timedelta(seconds=1)
    )
    live = await issue_token(pool, user_id="bob")
    other = await issue_token(pool, user_id="cy")
    for bad in (expired, live + "x", "", "a" * 600):
        with pytest.raises(AuthError):
            await authenticate(pool, bad, better_auth=False)
    assert await count_tokens(pool) == 3

    assert await revoke_tokens(pool, user_id="bob") == 2
    assert await revoke_tokens(pool, user_id="bob") == 0
    with pytest.raises(AuthError):
        await authenticate(pool, live, better_auth=False)
    # Revoking one user leaves the others alone.
    assert (await authenticate(pool, other, better_auth=False)).user_id == "cy"
    assert await count_tokens(pool) == 1


async def test_valid_better_auth_session_authenticates_and_expired_one_does_not(
    better_auth_pool: asyncpg.Pool,
) -> None:
    valid = await add_better_auth_session(
        better_auth_pool, user_id="usr_1", expires_in=timedelta(hours=1)
    )
    expired = await add_better_auth_session(
        better_auth_pool, user_id="usr_1", expires_in=timedelta(seconds=-1)
    )
    assert (await authenticate(better_auth_pool, valid, better_auth=True)).user_id == "usr_1"
    with pytest.raises(AuthError):
        await authenticate(better_auth_pool, expired, better_auth=True)
    # Sessions count only when better-auth is turned on.
    with pytest.raises(AuthError):
        await authenticate(better_auth_pool, valid, better_auth=False)
    # A session whose user was deleted is gone with it.
    await better_auth_pool.execute('delete from "user" where id = $1', "usr_1")
    with pytest.raises(AuthError):
        await authenticate(better_auth_pool, valid, better_auth=True)


async def test_better_auth_without_its_tables_refuses_instead_of_failing(
    pool: asyncpg.Pool,
) -> None:
    with pytest.raises(AuthError):
        await authenticate(pool, "some-session-token", better_auth=True)
    token = await issue_token(pool, user_id="dee")
    assert (await authenticate(pool, token, better_auth=True)).user_id == "dee"


async def test_database_gone_is_service_unavailable(service_urls: tuple[str, str]) -> None:
    async with fresh_database(service_urls[1]) as dsn:
        closed = await create_pool(dsn, min_size=1, max_size=1)
        await closed.close()
    with pytest.raises(ServiceUnavailable):
        await authenticate(closed, "atspro_whatever", better_auth=False)
    with pytest.raises(ServiceUnavailable):
        await issue_token(closed, user_id="eve")


@pytest.mark.parametrize(
    ("header", "token"),
    [("Bearer abc", "abc"), ("bearer   abc  ", "abc"), ("  BEARER abc", "abc")],
)
def test_bearer_header_gives_its_token(header: str, token: str) -> None:
    assert bearer_token(header) == token


@pytest.mark.parametrize("header", [None, "", "abc", "Basic abc", "Bearer", "Bearer    "])
def test_malformed_authorization_headers_are_refused(header: str | None) -> None:
    with pytest.raises(AuthError):
        bearer_token(header)


@pytest.mark.parametrize("name", ["", "   ", "a" * 201, "a:b", "tab\there"])
def test_bad_user_names_are_input_errors(name: str) -> None:
    with pytest.raises(InputError) as caught:
        validate_user_name(name)
    assert caught.value.field == "user"


def test_user_names_are_trimmed() -> None:
    assert validate_user_name("  zoë  ") == "zoë"
