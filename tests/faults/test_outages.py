"""Redis or PostgreSQL going away mid-run: requests fail fast, the service recovers by itself,
and no task is lost or completed twice."""

from __future__ import annotations

import asyncio
import os
import tempfile
import time
import uuid
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest

from atspro.auth import issue_token
from atspro.errors import ServiceUnavailable
from atspro.runtime import Runtime
from atspro.settings import Settings
from atspro.tasks.model import Priority, TaskStatus

from .handlers import build_registry
from .probes import (
    metric_statuses,
    row,
    stream_state,
    task_events,
    wait_started,
    wait_terminal,
    wait_until,
)
from .servers import Served, restartable_postgres, restartable_redis, serve_app

# What "fail fast" means here: a clear error well before any client would give up.
FAIL_FAST_S = 2.0
PING = "mutation { pingTask { __typename ... on Task { id status } } }"
TASK = "query($id: ID!) { task(id: $id) { id status } }"


@pytest.fixture
def data_dir() -> Any:
    # Not pytest's 0700 tmp_path: an unprivileged PostgreSQL account must reach it.
    with tempfile.TemporaryDirectory(prefix="atspro-fault-outage-") as name:
        yield Path(name)


async def _gql(
    served: Served, token: str, query: str, **variables: Any
) -> tuple[dict[str, Any], float]:
    began = time.monotonic()
    reply = await served.http.post(
        "/graphql",
        json={"query": query, "variables": variables},
        headers={"Authorization": f"Bearer {token}"},
    )
    return reply.json(), time.monotonic() - began


def _error_code(body: dict[str, Any]) -> str:
    return str(body["errors"][0]["extensions"]["code"])


async def _submit_sleep(rt: Runtime, user: str, seconds: float | list[float]) -> uuid.UUID:
    task_id = uuid.uuid4()
    await rt.tasks.submit(
        user_id=user, task_type="sleep", payload={"seconds": seconds}, task_id=task_id
    )
    return task_id


async def _assert_completed_once(rt: Runtime, user: str, task_id: uuid.UUID) -> None:
    done = await wait_terminal(rt.pool, task_id, timeout_s=15)
    assert done.status is TaskStatus.COMPLETED, done
    assert await metric_statuses(rt.pool, task_id) == ["completed"]
    events = await task_events(rt.redis, rt.keys, user, task_id)
    assert [e.status for e in events].count(TaskStatus.COMPLETED) == 1, events


async def test_redis_outage_fails_fast_and_recovers(
    data_dir: Path, make_settings: Callable[..., Settings]
) -> None:
    redis = restartable_redis(data_dir)
    url = await redis.start()
    # Two slots: a third task waits in the stream while the first two run.
    settings = make_settings(
        redis_url=url, visibility_timeout_s=1.0, worker_concurrency=2, normal_priority_workers=2
    )
    try:
        async with serve_app(settings, build_registry()) as served:
            rt = served.runtime
            token = await issue_token(rt.pool, user_id="ola")
            in_flight = await _submit_sleep(rt, "ola", 1.0)
            failing = uuid.uuid4()
            await rt.tasks.submit(
                user_id="ola",
                task_type="fail",
                payload={"seconds": 1.0, "error": "bad input"},
                task_id=failing,
            )
            await wait_started(rt.pool, in_flight)
            await wait_started(rt.pool, failing)
            queued = await _submit_sleep(rt, "ola", 0.0)

            await redis.stop()
            began = time.monotonic()
            with pytest.raises(ServiceUnavailable, match="Redis"):
                await _submit_sleep(rt, "ola", 0.0)
            assert time.monotonic() - began < FAIL_FAST_S
            body, took = await _gql(served, token, PING)
            assert _error_code(body) == "SERVICE_UNAVAILABLE" and took < FAIL_FAST_S, body
            # Reads of task state need only PostgreSQL and keep working.
            body, _ = await _gql(served, token, TASK, id=str(queued))
            assert body["data"]["task"]["status"] == "PENDING", body
            # The refused submissions left no row behind that no queue message would ever run.
            assert await rt.pool.fetchval("SELECT count(*) FROM tasks WHERE user_id = 'ola'") == 3
            # The in-flight handlers finish (one succeeds, one fails) while Redis is down.
            await asyncio.sleep(1.5)

            await redis.start()
            after = uuid.uuid4()
            record = await rt.tasks.submit_and_wait(
                wait_s=10, user_id="ola", task_type="sleep", payload={"seconds": 0}, task_id=after
            )
            assert record.status is TaskStatus.COMPLETED
            body, _ = await _gql(served, token, PING)
            assert body["data"]["pingTask"]["__typename"] == "Task", body
            for task_id in (in_flight, queued, after):
                await _assert_completed_once(rt, "ola", task_id)
            # The failure stored during the outage is announced and dead-lettered once.
            failed = await wait_terminal(rt.pool, failing, timeout_s=10)
            assert failed.status is TaskStatus.FAILED and failed.error_message == "bad input"
            # (The row was final during the outage; the worker's retries of the Redis half
            # back off up to 2 s, so the event may follow the restart by that much.)
            await wait_until(lambda: _drained(rt), timeout_s=10, what="every message acknowledged")
            events = await task_events(rt.redis, rt.keys, "ola", failing)
            assert [e.status for e in events].count(TaskStatus.FAILED) == 1, events
            dlq: Any = await rt.redis.xrange(rt.keys.dlq)
            assert [f[b"id"].decode() for _, f in dlq] == [str(failing)]
    finally:
        await redis.stop()


async def test_postgres_outage_fails_fast_and_recovers(
    data_dir: Path, make_settings: Callable[..., Settings], cleanup_redis: Any
) -> None:
    postgres = restartable_postgres(data_dir)
    dsn = await postgres.start()
    settings = make_settings(database_url=dsn, visibility_timeout_s=1.0, worker_concurrency=1)
    await cleanup_redis(settings.redis_queue_prefix)
    try:
        async with serve_app(settings, build_registry()) as served:
            rt = served.runtime
            token = await issue_token(rt.pool, user_id="pia")
            # Long enough that PostgreSQL is down when it tries to store its result.
            in_flight = await _submit_sleep(rt, "pia", [2.0, 0.0])
            await wait_started(rt.pool, in_flight)
            queued = await _submit_sleep(rt, "pia", 0.0)

            await postgres.stop()
            began = time.monotonic()
            with pytest.raises(ServiceUnavailable, match="PostgreSQL"):
                await _submit_sleep(rt, "pia", 0.0)
            with pytest.raises(ServiceUnavailable):
                await rt.tasks.get(user_id="pia", task_id=queued)
            assert time.monotonic() - began < 2 * FAIL_FAST_S
            body, took = await _gql(served, token, PING)
            assert _error_code(body) == "SERVICE_UNAVAILABLE" and took < FAIL_FAST_S, body
            # The in-flight handler finishes (and cannot store its result) meanwhile.
            await asyncio.sleep(2.5)

            await postgres.start()
            after = await rt.tasks.submit_and_wait(
                wait_s=10, user_id="pia", task_type="sleep", payload={"seconds": 0}
            )
            assert after.status is TaskStatus.COMPLETED
            body, _ = await _gql(served, token, TASK, id=str(queued))
            assert "errors" not in body, body
            for task_id in (in_flight, queued, after.id):
                await _assert_completed_once(rt, "pia", task_id)
            # Its first result was never stored, so it ran again, and only that one counts.
            assert (await row(rt.pool, in_flight)).result == {"pid": os.getpid(), "attempt": 2}
            await wait_until(lambda: _drained(rt), timeout_s=10, what="every message acknowledged")
    finally:
        await postgres.stop()


async def _drained(rt: Runtime) -> bool:
    for priority in Priority:
        if await stream_state(rt.redis, rt.keys, priority) != (0, 0):
            return False
    return True
