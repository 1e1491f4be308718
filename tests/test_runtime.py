"""The runtime: Redis that is down fails fast and clearly; settings copies keep the rest."""

from __future__ import annotations

import time

import pytest

from atspro.errors import ServiceUnavailable
from atspro.runtime import connect_redis, replace_settings
from atspro.settings import Settings


async def test_redis_down_is_a_clear_and_fast_error() -> None:
    started = time.monotonic()
    with pytest.raises(
        ServiceUnavailable, match=r"Redis is unreachable at redis://127\.0\.0\.1:1/0"
    ):
        await connect_redis("redis://127.0.0.1:1/0")
    assert time.monotonic() - started < 10


async def test_redis_up_answers(redis_url: str) -> None:
    client = await connect_redis(redis_url)
    try:
        assert await client.ping()
    finally:
        await client.aclose()


def test_replace_settings_changes_only_what_is_named() -> None:
    base = Settings(_env_file=None, port=8123, redis_url="redis://a")  # type: ignore[call-arg]
    changed = replace_settings(base, redis_url="redis://b")
    assert (changed.redis_url, changed.port) == ("redis://b", 8123)
    assert base.redis_url == "redis://a"


async def test_blank_redis_url_starts_an_embedded_redis_for_the_block(
    database_url: str, tmp_path_factory: pytest.TempPathFactory
) -> None:
    import redis.asyncio as aioredis

    from atspro.runtime import resolve_services

    data_dir = tmp_path_factory.mktemp("embedded-redis")
    settings = Settings(  # type: ignore[call-arg]
        _env_file=None, database_url=database_url, redis_url="", data_dir=data_dir
    )
    async with resolve_services(settings) as resolved:
        assert resolved.database_url == database_url
        assert resolved.redis_url.startswith(("redis://", "unix://"))
        client = aioredis.Redis.from_url(resolved.redis_url)
        try:
            assert await client.ping()
        finally:
            await client.aclose()
    # Stopped on exit.
    client = aioredis.Redis.from_url(resolved.redis_url, socket_connect_timeout=1)
    try:
        with pytest.raises((OSError, aioredis.ConnectionError)):
            await client.ping()
    finally:
        await client.aclose()
    # Commands that only use PostgreSQL start nothing.
    async with resolve_services(settings, redis=False) as only_pg:
        assert only_pg is settings
