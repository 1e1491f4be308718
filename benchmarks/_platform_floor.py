"""The floor under the submit -> completion latency: the same hops with bare clients.

One task, one at a time, over the same servers and the same client libraries (asyncpg,
redis-py, uvloop) as ATSPro, with none of its code: the submitter inserts a row (durable
commit) and appends its id to a stream; a worker process reads it with a blocking
XREADGROUP, marks it running (asynchronous commit), marks it completed (durable commit),
then publishes, acknowledges and deletes the message in one script call; the submitter
sees the published message. That is every hop the task platform makes, and nothing else,
so the platform's figure divided by this one is its own overhead, measured in the same
run on the same machine.

Run as the worker: python benchmarks/_platform_floor.py worker REDIS_URL DATABASE_URL PREFIX
"""

from __future__ import annotations

import asyncio
import sys
import time
import uuid
from dataclasses import dataclass
from typing import Any, cast

import asyncpg
import redis.asyncio as aioredis

_GROUP = "floor"
_DONE = """
redis.call('PUBLISH', KEYS[1], ARGV[1])
redis.call('XACK', KEYS[2], ARGV[3], ARGV[2])
redis.call('XDEL', KEYS[2], ARGV[2])
return 1
"""


async def _keep_session(conn: asyncpg.Connection) -> None:
    """No reset query on release, as in ATSPro's pool."""


@dataclass(frozen=True, slots=True)
class FloorKeys:
    stream: str
    channel: str
    table: str

    @classmethod
    def under(cls, prefix: str) -> FloorKeys:
        return cls(f"{prefix}:floor:queue", f"{prefix}:floor:done", "bench_floor")


async def run_worker(redis_url: str, database_url: str, prefix: str) -> None:
    """Serve tasks until killed."""
    keys = FloorKeys.under(prefix)
    pool = await asyncpg.create_pool(database_url, min_size=1, max_size=2, reset=_keep_session)
    redis = aioredis.Redis.from_url(redis_url)
    while True:
        reply = cast(
            "list[Any] | None",
            await redis.xreadgroup(_GROUP, "w", {keys.stream: ">"}, count=10, block=1000),
        )
        for _, messages in reply or []:
            for message_id, fields in messages:
                task_id = uuid.UUID(fields[b"id"].decode())
                await pool.fetch(
                    f"UPDATE {keys.table} SET status = 'running' "
                    "FROM (SELECT set_config('synchronous_commit', 'off', true)) AS t "
                    "WHERE id = $1 RETURNING *",
                    task_id,
                )
                await pool.fetch(
                    f"UPDATE {keys.table} SET status = 'completed' WHERE id = $1 RETURNING *",
                    task_id,
                )
                await redis.eval(
                    _DONE, 2, keys.channel, keys.stream, str(task_id), message_id, _GROUP
                )


async def sample_floor(
    redis_url: str, database_url: str, prefix: str, *, samples: int, warmup: int = 50
) -> list[float]:
    """Milliseconds from insert to the published completion, one task at a time."""
    keys = FloorKeys.under(prefix)
    pool = await asyncpg.create_pool(database_url, min_size=1, max_size=2, reset=_keep_session)
    redis = aioredis.Redis.from_url(redis_url)
    await pool.execute(f"CREATE TABLE {keys.table} (id uuid PRIMARY KEY, status text NOT NULL)")
    await redis.xgroup_create(keys.stream, _GROUP, id="0", mkstream=True)
    pubsub = redis.pubsub()
    await pubsub.subscribe(keys.channel)
    await pubsub.get_message(timeout=5)  # the subscribe confirmation
    worker = await asyncio.create_subprocess_exec(
        sys.executable, __file__, "worker", redis_url, database_url, prefix
    )
    out: list[float] = []
    try:
        for i in range(samples + warmup):
            task_id = uuid.uuid4()
            started = time.perf_counter()
            await pool.fetch(
                f"INSERT INTO {keys.table} VALUES ($1, 'pending') RETURNING *", task_id
            )
            await redis.xadd(keys.stream, {"id": str(task_id)})
            while True:
                # The first rounds also wait for the worker process to start.
                message = await pubsub.get_message(timeout=30)
                if message is None:
                    raise TimeoutError("the floor worker did not answer")
                if message["type"] == "message" and message["data"] == str(task_id).encode():
                    break
            if i >= warmup:
                out.append((time.perf_counter() - started) * 1000)
    finally:
        worker.kill()
        await worker.wait()
        await pubsub.aclose()  # type: ignore[no-untyped-call]
        await redis.delete(keys.stream)
        await redis.aclose()
        await pool.execute(f"DROP TABLE {keys.table}")
        await pool.close()
    return out


if __name__ == "__main__" and sys.argv[1:2] == ["worker"]:
    import uvloop

    uvloop.run(run_worker(*sys.argv[2:5]))
