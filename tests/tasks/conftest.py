"""Fixtures for the task platform: a runtime with test-defined handlers."""

from __future__ import annotations

import contextlib
from collections.abc import AsyncIterator, Callable
from typing import Any

import pytest

from atspro.runtime import Runtime, open_runtime
from atspro.settings import Settings
from atspro.workers.registry import HandlerRegistry, noop_handler

RuntimeFactory = Callable[..., contextlib.AbstractAsyncContextManager[Runtime]]


@pytest.fixture
def runtime_factory(make_settings: Callable[..., Settings], cleanup_redis: Any) -> RuntimeFactory:
    """Opens runtimes on the test servers; each gets the handlers given to it."""

    @contextlib.asynccontextmanager
    async def factory(
        handlers: dict[str, Any] | None = None,
        *,
        run_workers: bool = True,
        settings: Settings | None = None,
        **overrides: Any,
    ) -> AsyncIterator[Runtime]:
        settings = settings or make_settings(**overrides)
        await cleanup_redis(settings.redis_queue_prefix)
        registry = HandlerRegistry()
        registry.register("noop", noop_handler)
        for name, handler in (handlers or {}).items():
            registry.register(name, handler)
        async with open_runtime(settings, registry=registry, run_workers=run_workers) as rt:
            yield rt

    return factory
