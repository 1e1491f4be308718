"""Everything a running process holds: connections, stores, the event hub, the workers.

``open_runtime`` builds it from Settings (starting embedded Redis/PostgreSQL when no URL
is configured) and tears it all down in reverse order.
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
from collections.abc import AsyncIterator
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

import asyncpg
import redis.asyncio as aioredis
from redis.exceptions import RedisError

from atspro.auth import Principal, authenticate
from atspro.db.migrate import apply_migrations
from atspro.db.pool import create_pool
from atspro.documents.factory import close_document_store, open_document_store
from atspro.documents.store import DocumentStore
from atspro.errors import ServiceUnavailable
from atspro.events.hub import EventHub
from atspro.events.publisher import EventPublisher
from atspro.keys import RedisKeys
from atspro.settings import Settings
from atspro.sockets import SocketRegistry
from atspro.tasks.queue import TaskQueue
from atspro.tasks.service import TaskService
from atspro.token_cache import TokenCache
from atspro.workers.context import HandlerServices
from atspro.workers.pool import WorkerPool
from atspro.workers.registry import HandlerRegistry

if TYPE_CHECKING:
    from atspro.llm.client import LLMClient

log = logging.getLogger(__name__)


@dataclass
class Runtime:
    """The live parts of one process, shared by the API and the workers."""

    settings: Settings
    pool: asyncpg.Pool
    redis: aioredis.Redis
    keys: RedisKeys
    queue: TaskQueue
    publisher: EventPublisher
    hub: EventHub
    tasks: TaskService
    documents: DocumentStore
    registry: HandlerRegistry
    services: HandlerServices
    sockets: SocketRegistry
    workers: WorkerPool | None = None
    token_cache: TokenCache | None = None
    # Downloads rendering now, per user (QUOTA_CONCURRENT_RENDERS), in this process.
    renders: dict[str, int] = field(default_factory=dict)
    extras: dict[str, Any] = field(default_factory=dict)

    async def authenticate(self, token: str) -> Principal:
        """The caller a bearer token belongs to; AuthError if none."""
        return await authenticate(
            self.pool,
            token,
            better_auth=self.settings.better_auth_enabled,
            cache=self.token_cache,
        )


async def connect_redis(
    url: str, *, max_connections: int = 64, pool_timeout_s: float = 5.0
) -> aioredis.Redis:
    """A Redis client that fails fast when the server is down, on a bounded pool.

    redis-py's default pool opens a connection for every concurrent command and never
    caps them; this one holds at most ``max_connections`` and makes a caller wait up to
    ``pool_timeout_s`` for a free one before a ConnectionError (a RedisError, which every
    caller already reports as "Redis unavailable").
    """
    pool = aioredis.BlockingConnectionPool.from_url(
        url,
        max_connections=max_connections,
        timeout=pool_timeout_s,
        socket_connect_timeout=2.0,
        health_check_interval=30,
    )
    # from_pool: closing the client closes the pool and every connection it holds.
    client = aioredis.Redis.from_pool(pool)
    try:
        await client.ping()
    except (RedisError, OSError) as exc:
        await client.aclose()
        raise ServiceUnavailable(f"Redis is unreachable at {url}: {exc}") from exc
    return client


@contextlib.asynccontextmanager
async def resolve_services(settings: Settings, *, redis: bool = True) -> AsyncIterator[Settings]:
    """Settings with REDIS_URL/DATABASE_URL filled in, starting embedded servers for blanks.

    ``redis=False`` is for commands that only use PostgreSQL (migrate, token).
    """
    need_redis = redis and not settings.redis_url
    need_pg = not settings.database_url
    if not need_redis and not need_pg:
        yield settings
        return
    from atspro.embedded.services import embedded_services

    async with embedded_services(settings.data_dir, redis=need_redis, postgres=need_pg) as urls:
        resolved = replace_settings(
            settings,
            redis_url=urls.redis_url or settings.redis_url,
            database_url=urls.database_url or settings.database_url,
        )
        log.info("embedded services under %s", settings.data_dir)
        yield resolved


def open_llm(settings: Settings, stack: contextlib.AsyncExitStack) -> LLMClient | None:
    """The model client when one is configured (closed with the stack), else None."""
    if not settings.llm_enabled:
        return None
    from atspro.llm.client import LLMClient

    client = LLMClient.from_settings(settings)
    stack.push_async_callback(client.aclose)
    log.info("language model %s at %s", settings.openai_model, settings.openai_base_url or "OpenAI")
    return client


def replace_settings(settings: Settings, **changes: Any) -> Settings:
    """A copy of frozen settings with some fields changed."""
    return settings.model_copy(update=changes)


@contextlib.asynccontextmanager
async def open_runtime(
    settings: Settings,
    *,
    registry: HandlerRegistry,
    run_workers: bool,
    services_extras: dict[str, Any] | None = None,
) -> AsyncIterator[Runtime]:
    """Open connections, apply migrations, start the hub (and workers); close on exit."""
    async with resolve_services(settings) as settings, contextlib.AsyncExitStack() as stack:
        pool = await create_pool(settings.database_url)
        stack.push_async_callback(pool.close)
        await apply_migrations(pool)
        # Listens even when nothing is cached (AUTH_CACHE_TTL_S=0): its notifications are
        # also what closes the open WebSockets of a revoked token.
        token_cache = TokenCache(settings.database_url, ttl_s=settings.auth_cache_ttl_s)
        await token_cache.start()
        stack.push_async_callback(token_cache.close)
        sockets = SocketRegistry(
            max_per_user=settings.ws_max_connections_per_user,
            max_per_address=settings.ws_max_connections_per_address,
            recheck_s=settings.ws_auth_recheck_s,
            notifications_live=lambda: token_cache.live,
        )
        token_cache.on_change(sockets.token_changed)
        await sockets.start()
        stack.push_async_callback(sockets.close)
        redis = await connect_redis(
            settings.redis_url,
            max_connections=settings.redis_max_connections,
            pool_timeout_s=settings.redis_pool_timeout_s,
        )
        stack.push_async_callback(redis.aclose)
        keys = RedisKeys(settings.redis_queue_prefix)
        queue = TaskQueue(redis, keys=keys)
        await queue.ensure_groups()
        publisher = EventPublisher(
            redis, keys=keys, stream_maxlen=settings.user_event_stream_maxlen
        )
        hub = EventHub(redis, keys=keys)
        await hub.start()
        stack.push_async_callback(hub.close)
        documents = await open_document_store(settings, pool)
        stack.push_async_callback(close_document_store, documents)
        services = HandlerServices(
            settings=settings,
            documents=documents,
            llm=open_llm(settings, stack),
            extras=dict(services_extras or {}),
        )
        tasks = TaskService(settings=settings, pool=pool, queue=queue, publisher=publisher, hub=hub)
        runtime = Runtime(
            settings=settings,
            pool=pool,
            redis=redis,
            keys=keys,
            queue=queue,
            publisher=publisher,
            hub=hub,
            tasks=tasks,
            documents=documents,
            registry=registry,
            services=services,
            token_cache=token_cache,
            sockets=sockets,
        )
        if run_workers:
            # Build the skills vocabulary (about a second of CPU) before the first task needs it.
            from atspro.skills.taxonomy import default_taxonomy

            await asyncio.to_thread(default_taxonomy)
            workers = WorkerPool(
                settings=settings,
                pool=pool,
                redis=redis,
                queue=queue,
                publisher=publisher,
                hub=hub,
                registry=registry,
                services=services,
            )
            await workers.start()
            stack.push_async_callback(workers.stop)
            runtime.workers = workers
        yield runtime


__all__ = ["Runtime", "open_runtime"]
