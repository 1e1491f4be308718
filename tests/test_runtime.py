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
