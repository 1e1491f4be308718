"""Who is calling: API tokens issued by the service, and optional better-auth sessions.

Tokens are random strings shown once; only their SHA-256 is stored. A token is accepted
only once the database confirmed it: there is no built-in or test token. Confirmed API
tokens may then be served from a TokenCache that PostgreSQL keeps current.
"""

from __future__ import annotations

import hashlib
import secrets
import uuid
from dataclasses import dataclass
from datetime import datetime

import asyncpg

from atspro.db.pool import guarded
from atspro.db.queries import load_queries
from atspro.errors import AuthError, InputError
from atspro.token_cache import TokenCache

Q = load_queries("auth.sql")
TOKEN_PREFIX = "atspro_"
_MAX_TOKEN_LENGTH = 512


@dataclass(frozen=True, slots=True)
class Principal:
    """An authenticated caller, and what authenticated it (open sockets are re-checked)."""

    user_id: str
    # SHA-256 of the API token, as its revocation NOTIFY names it; "" for a session.
    token_hash: str = ""
    expires_at: datetime | None = None
    session: bool = False


def hash_token(token: str) -> str:
    """The stored form of a token."""
    return hashlib.sha256(token.encode()).hexdigest()


def validate_user_name(user_id: str) -> str:
    """User names are short printable identifiers."""
    user_id = user_id.strip()
    if not user_id or len(user_id) > 200 or not user_id.isprintable() or ":" in user_id:
        raise InputError("user name must be 1-200 printable characters without ':'", field="user")
    return user_id


async def issue_token(
    pool: asyncpg.Pool, *, user_id: str, name: str = "", expires_at: datetime | None = None
) -> str:
    """Create a token for ``user_id``; the plain token is returned once and never stored."""
    user_id = validate_user_name(user_id)
    token = TOKEN_PREFIX + secrets.token_urlsafe(32)
    await guarded(
        lambda: pool.execute(
            Q["insert_token"], uuid.uuid4(), user_id, name, hash_token(token), expires_at
        )
    )
    return token


async def revoke_tokens(pool: asyncpg.Pool, *, user_id: str) -> int:
    """Revoke every token of ``user_id``; returns how many."""
    status = await guarded(lambda: pool.execute(Q["revoke_user_tokens"], user_id))
    return int(status.split()[-1])


async def count_tokens(pool: asyncpg.Pool) -> int:
    """Live tokens in the database (to know whether to print a first-run token)."""
    return int(await guarded(lambda: pool.fetchval(Q["count_tokens"])))


def bearer_token(header: str | None) -> str:
    """The token of an ``Authorization: Bearer <token>`` value."""
    if not header:
        raise AuthError("missing Authorization header: send 'Authorization: Bearer <token>'")
    scheme, _, token = header.strip().partition(" ")
    token = token.strip()
    if scheme.lower() != "bearer" or not token:
        raise AuthError("the Authorization header must be 'Bearer <token>'")
    return token


async def authenticate(
    pool: asyncpg.Pool, token: str, *, better_auth: bool, cache: TokenCache | None = None
) -> Principal:
    """Resolve a token to its user: from the database, or from ``cache`` once it confirmed it."""
    if not token or len(token) > _MAX_TOKEN_LENGTH:
        raise AuthError("invalid or expired token")
    token_hash = hash_token(token)
    if cache is not None and (cached := cache.lookup(token_hash)) is not None:
        user_id, expires_at = cached
        return Principal(user_id=user_id, token_hash=token_hash, expires_at=expires_at)
    generation = cache.generation if cache is not None else 0
    row = await guarded(lambda: pool.fetchrow(Q["find_token_user"], token_hash))
    if row is not None:
        user_id = str(row["user_id"])
        if cache is not None:
            cache.put(token_hash, user_id, expires_at=row["expires_at"], generation=generation)
        return Principal(user_id=user_id, token_hash=token_hash, expires_at=row["expires_at"])
    if better_auth:
        try:
            session = await guarded(lambda: pool.fetchrow(Q["find_session_user"], token))
        except asyncpg.UndefinedTableError:
            session = None
        if session is not None:
            return Principal(
                user_id=str(session["user_id"]), expires_at=session["expires_at"], session=True
            )
    raise AuthError("invalid or expired token")
