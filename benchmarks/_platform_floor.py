"""The floor under the submit -> completion latency: the same hops with bare clients.

One task, one at a time, over the same servers and the same client libraries (asyncpg,
redis-py, uvloop) as ATSPro, with none of its code: the submitter inserts a row (durable
commit) and appends its id to a stream; a worker process reads it with a blocking
XREADGROUP, marks it running (asynchronous commit), marks it completed (durable commit),
then publishes, acknowledges and deletes the message in one script call; the submitter
sees the published message. That is every hop the task platform makes, and nothing else,
so the platform's figure divided by this one is its own overhead, measured in the same
run on the same machine.

Two variants:

- ``minimal``: a two-column table and one published message, the least those hops cost.
- ``statements``: ATSPro's own SQL on its own tables (the insert, the claim, the completion
  with its metrics row) and its own event script for all three events (pending with the
  enqueue, running, completed with the acknowledgement), still driven by a bare loop.
  What this adds over ``minimal`` is the data model's price; what ATSPro adds over this
  is its orchestration (batching, retries, cancellation, the event hub).

Run as the worker: python benchmarks/_platform_floor.py worker VARIANT REDIS_URL DATABASE_URL PREFIX
"""

from __future__ import annotations

import sys
from pathlib import Path

# Run as a script, this directory comes first on sys.path: keep it last so no module here
# can shadow the standard library.
_HERE = str(Path(__file__).resolve().parent)
if sys.path and sys.path[0] == _HERE:
    sys.path.append(sys.path.pop(0))

import asyncio  # noqa: E402
import time  # noqa: E402
import uuid  # noqa: E402
from dataclasses import dataclass  # noqa: E402
from typing import Any, cast  # noqa: E402

import asyncpg  # noqa: E402
import orjson  # noqa: E402
import redis.asyncio as aioredis  # noqa: E402

from atspro.db.queries import load_queries  # noqa: E402
from atspro.events.publisher import _PUBLISH  # noqa: E402

VARIANTS = ("minimal", "statements")
_GROUP = "floor"
_DONE = """
redis.call('PUBLISH', KEYS[1], ARGV[1])
redis.call('XACK', KEYS[2], ARGV[3], ARGV[2])
redis.call('XDEL', KEYS[2], ARGV[2])
return 1
"""
_SQL = load_queries("tasks.sql")
_USER = "floor"
_EVENTS_MAXLEN = 1000


async def _keep_session(conn: asyncpg.Connection) -> None:
    """No reset query on release, as in ATSPro's pool."""


async def _json_codec(conn: asyncpg.Connection) -> None:
    """JSONB through orjson, as in ATSPro's pool."""
    await conn.set_type_codec(
        "jsonb",
        encoder=lambda v: orjson.dumps(v).decode(),
        decoder=orjson.loads,
        schema="pg_catalog",
    )


async def connect_pool(database_url: str, *, max_size: int = 2) -> asyncpg.Pool:
    """A pool configured as ATSPro's (orjson JSONB, no reset query on release)."""
    return await asyncpg.create_pool(
        database_url, min_size=1, max_size=max_size, reset=_keep_session, init=_json_codec
    )


@dataclass(frozen=True, slots=True)
class FloorKeys:
    stream: str
    channel: str
    events: str
    table: str

    @classmethod
    def under(cls, prefix: str) -> FloorKeys:
        return cls(
            f"{prefix}:floor:queue", f"{prefix}:floor:done", f"{prefix}:floor:events", "bench_floor"
        )

    def event_keys(self) -> tuple[str, ...]:
        """KEYS of the event script: events stream, channel, then the three queues (one used)."""
        return (self.events, self.channel, self.stream, self.stream, self.stream)


def _publish(
    redis: aioredis.Redis,
    keys: FloorKeys,
    task_id: uuid.UUID,
    status: str,
    *,
    enqueue: bool = False,
    ack: bytes | None = None,
) -> Any:
    """ATSPro's event script for one event (an awaitable), with its enqueue or ack."""
    event = orjson.dumps({"t": str(task_id), "u": _USER, "s": status, "p": 0})
    return redis.eval(
        _PUBLISH,
        5,
        *keys.event_keys(),
        _EVENTS_MAXLEN,
        _GROUP,
        1 if enqueue else 0,
        str(task_id),
        event,
        1 if ack is not None else 0,
        ack or "",
    )


async def run_worker(variant: str, redis_url: str, database_url: str, prefix: str) -> None:
    """Serve tasks until killed."""
    keys = FloorKeys.under(prefix)
    pool = await connect_pool(database_url)
    redis = aioredis.Redis.from_url(redis_url)
    while True:
        reply = cast(
            "list[Any] | None",
            await redis.xreadgroup(_GROUP, "w", {keys.stream: ">"}, count=10, block=1000),
        )
        for _, messages in reply or []:
            for message_id, fields in messages:
                task_id = uuid.UUID(fields[b"id"].decode())
                if variant == "minimal":
                    await _minimal_task(pool, redis, keys, task_id, message_id)
                else:
                    await _statements_task(pool, redis, keys, task_id, message_id)


async def _minimal_task(
    pool: asyncpg.Pool, redis: aioredis.Redis, keys: FloorKeys, task_id: uuid.UUID, mid: bytes
) -> None:
    await pool.fetch(
        f"UPDATE {keys.table} SET status = 'running' "
        "FROM (SELECT set_config('synchronous_commit', 'off', true)) AS t "
        "WHERE id = $1 RETURNING *",
        task_id,
    )
    await pool.fetch(
        f"UPDATE {keys.table} SET status = 'completed' WHERE id = $1 RETURNING *", task_id
    )
    await redis.eval(_DONE, 2, keys.channel, keys.stream, str(task_id), mid, _GROUP)


async def _statements_task(
    pool: asyncpg.Pool, redis: aioredis.Redis, keys: FloorKeys, task_id: uuid.UUID, mid: bytes
) -> None:
    (row,) = await pool.fetch(_SQL["claim_tasks"], [task_id], None)
    # As in the worker: the running event goes out while the completion is written.
    running = asyncio.ensure_future(_publish(redis, keys, task_id, "running"))
    await pool.fetch(_SQL["complete_tasks"], [task_id], [row["attempt"]], [None], [None], 3600.0)
    await running
    await _publish(redis, keys, task_id, "completed", ack=mid)


async def submit_task(
    variant: str, pool: asyncpg.Pool, redis: aioredis.Redis, keys: FloorKeys, task_id: uuid.UUID
) -> None:
    if variant == "minimal":
        await pool.fetch(f"INSERT INTO {keys.table} VALUES ($1, 'pending') RETURNING *", task_id)
        await redis.xadd(keys.stream, {"id": str(task_id)})
        return
    await pool.fetch(_SQL["insert_tasks"], [task_id], [_USER], ["noop"], [2], [{}], [3], [None])
    await _publish(redis, keys, task_id, "pending", enqueue=True)


def _is_done(variant: str, data: bytes, task_id: uuid.UUID) -> bool:
    if variant == "minimal":
        return data == str(task_id).encode()
    # The event script publishes "<stream id>|<event>"; the last one of a task says completed.
    body = orjson.loads(data.partition(b"|")[2])
    return bool(body["t"] == str(task_id) and body["s"] == "completed")


async def sample_floor(
    redis_url: str,
    database_url: str,
    prefix: str,
    *,
    samples: int,
    variant: str = "minimal",
    warmup: int = 50,
) -> list[float]:
    """Milliseconds from insert to the published completion, one task at a time.

    ``statements`` needs ATSPro's migrations applied to ``database_url`` (its rows go to
    the ``tasks`` table under user ``floor``, which nothing else reads).
    """
    if variant not in VARIANTS:
        raise ValueError(f"unknown floor variant {variant!r}")
    keys = FloorKeys.under(prefix)
    pool = await connect_pool(database_url)
    redis = aioredis.Redis.from_url(redis_url)
    if variant == "minimal":
        await pool.execute(f"CREATE TABLE {keys.table} (id uuid PRIMARY KEY, status text NOT NULL)")
    await redis.delete(keys.stream, keys.events)
    await redis.xgroup_create(keys.stream, _GROUP, id="0", mkstream=True)
    pubsub = redis.pubsub()
    await pubsub.subscribe(keys.channel)
    await pubsub.get_message(timeout=5)  # the subscribe confirmation
    worker = await asyncio.create_subprocess_exec(
        sys.executable, __file__, "worker", variant, redis_url, database_url, prefix
    )
    out: list[float] = []
    try:
        for i in range(samples + warmup):
            task_id = uuid.uuid4()
            started = time.perf_counter()
            await submit_task(variant, pool, redis, keys, task_id)
            while True:
                # The first rounds also wait for the worker process to start.
                message = await pubsub.get_message(timeout=30)
                if message is None:
                    raise TimeoutError("the floor worker did not answer")
                if message["type"] == "message" and _is_done(variant, message["data"], task_id):
                    break
            if i >= warmup:
                out.append((time.perf_counter() - started) * 1000)
    finally:
        worker.kill()
        await worker.wait()
        await pubsub.aclose()  # type: ignore[no-untyped-call]
        await redis.delete(keys.stream, keys.events)
        await redis.aclose()
        if variant == "minimal":
            await pool.execute(f"DROP TABLE {keys.table}")
        await pool.close()
    return out


if __name__ == "__main__" and sys.argv[1:2] == ["worker"]:
    import uvloop

    uvloop.run(run_worker(*sys.argv[2:6]))
