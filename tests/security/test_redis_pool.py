"""The process's Redis client holds a bounded number of connections and releases them."""

from __future__ import annotations

import asyncio
import uuid
from collections.abc import Callable

import pytest
import redis.asyncio as aioredis
from redis.exceptions import ConnectionError as RedisConnectionError

from atspro.runtime import connect_redis, open_runtime
from atspro.settings import Settings
from atspro.workers.handlers import default_registry


async def connections_named(redis_url: str, name: str) -> int:
    probe = aioredis.Redis.from_url(redis_url)
    try:
        clients = await probe.client_list()
    finally:
        await probe.aclose()
    return sum(1 for c in clients if c.get("name") == name)


def named(redis_url: str, name: str) -> str:
    return f"{redis_url}{'&' if '?' in redis_url else '?'}client_name={name}"


async def test_concurrent_commands_share_at_most_max_connections(redis_url: str) -> None:
    name = f"atspro-pool-{uuid.uuid4().hex[:8]}"
    client = await connect_redis(named(redis_url, name), max_connections=3, pool_timeout_s=10)
    try:
        # 20 blocking commands at once: an unbounded pool opens 20 connections.
        key = f"atspro-test:{name}"
        await asyncio.gather(*(client.blpop([key], timeout=0.3) for _ in range(20)))
        assert await connections_named(redis_url, name) <= 3
    finally:
        await client.aclose()
    assert await connections_named(redis_url, name) == 0  # all released on close


async def test_a_caller_waits_for_a_free_connection_then_fails_clearly(redis_url: str) -> None:
    client = await connect_redis(redis_url, max_connections=1, pool_timeout_s=0.2)
    try:
        held = asyncio.create_task(client.blpop([f"atspro-test:{uuid.uuid4()}"], timeout=2))
        await asyncio.sleep(0.3)
        with pytest.raises(RedisConnectionError):
            await client.ping()
        await held
        assert await client.ping()
    finally:
        await client.aclose()


async def test_the_runtime_uses_the_setting(make_settings: Callable[..., Settings]) -> None:
    settings = make_settings(redis_max_connections=7, run_workers_in_api=False)
    async with open_runtime(settings, registry=default_registry(), run_workers=False) as runtime:
        assert runtime.redis.connection_pool.max_connections == 7
