"""The GraphQL API over real HTTP: auth, typed errors, isolation, pagination, limits."""

from __future__ import annotations

import asyncio
import uuid
from datetime import UTC, datetime, timedelta

from atspro.auth import hash_token
from atspro.workers.context import HandlerResult, TaskContext

from .conftest import Api, ApiFactory

TASK_FIELDS = (
    "id type status priority progress result errorMessage retryCount createdAt completedAt"
)
PING = f"""
mutation($wait: Int, $priority: Priority! = NORMAL) {{
  pingTask(wait: $wait, priority: $priority) {{
    __typename
    ... on Task {{ {TASK_FIELDS} }}
    ... on UserError {{ message code }}
    ... on InputError {{ field }}
  }}
}}
"""
GET_TASK = f"query($id: ID!) {{ task(id: $id) {{ {TASK_FIELDS} }} }}"


def error_codes(body: dict) -> list[str]:
    return [e.get("extensions", {}).get("code", "") for e in body.get("errors", [])]


async def test_requests_without_valid_token_are_refused(api: Api) -> None:
    for token in (None, "atspro_not-a-real-token", "x" * 1000):
        body = await api.gql(PING, {"wait": 0}, token=token)
        assert body["data"] is None
        assert error_codes(body) == ["UNAUTHENTICATED"]
    r = await api.client.post(
        "/graphql",
        json={"query": "{ queueStats { running } }"},
        headers={"Authorization": "Basic abc"},
    )
    assert r.json()["errors"][0]["message"] == "the Authorization header must be 'Bearer <token>'"
    # Nothing was created by the refused calls.
    assert (
        await api.runtime.pool.fetchval(
            "SELECT count(*) FROM tasks WHERE created_at > now() - interval '1 minute' AND user_id LIKE $1",
            f"%-{api.suffix}",
        )
        == 0
    )


async def test_expired_and_revoked_tokens_are_refused(api: Api) -> None:
    expired = "atspro_expired-token-for-test"
    await api.runtime.pool.execute(
        "INSERT INTO api_tokens (id, user_id, token_hash, expires_at) VALUES ($1, $2, $3, $4)",
        uuid.uuid4(),
        api.user("old"),
        hash_token(expired),
        datetime.now(UTC) - timedelta(minutes=1),
    )
    assert error_codes(await api.gql(PING, token=expired)) == ["UNAUTHENTICATED"]
    token = await api.token("revokee")
    assert "errors" not in await api.gql(PING, {"wait": 0}, token=token)
    from atspro.auth import revoke_tokens

    await revoke_tokens(api.runtime.pool, user_id=api.user("revokee"))
    # The server remembers confirmed tokens; PostgreSQL tells it of the revocation at once.
    deadline = asyncio.get_running_loop().time() + 2
    while (codes := error_codes(await api.gql(PING, token=token))) != ["UNAUTHENTICATED"]:
        assert asyncio.get_running_loop().time() < deadline, codes
        await asyncio.sleep(0.01)


async def test_submit_and_wait_returns_the_finished_task(api: Api) -> None:
    token = await api.token("alice")
    body = await api.gql(PING, {"wait": 10, "priority": "HIGH"}, token=token)
    task = body["data"]["pingTask"]
    assert task["__typename"] == "Task"
    assert task["status"] == "COMPLETED"
    assert task["priority"] == "HIGH"
    assert task["result"] == {"ok": True}
    again = await api.gql(GET_TASK, {"id": task["id"]}, token=token)
    assert again["data"]["task"]["status"] == "COMPLETED"
    # GET works for queries too.
    r = await api.client.get(
        "/graphql",
        params={
            "query": "query($id: ID!) { task(id: $id) { status } }",
            "variables": f'{{"id": "{task["id"]}"}}',
        },
        headers={"Authorization": f"Bearer {token}"},
    )
    assert r.json()["data"]["task"]["status"] == "COMPLETED"


async def test_bad_ids_and_other_users_tasks(api: Api) -> None:
    alice, bob = await api.token("alice"), await api.token("bob")
    task = (await api.gql(PING, {"wait": 10}, token=alice))["data"]["pingTask"]
    body = await api.gql(GET_TASK, {"id": "not-a-uuid"}, token=alice)
    assert error_codes(body) == ["INVALID_INPUT"]
    assert "'not-a-uuid' is not a valid id" in body["errors"][0]["message"]
    assert error_codes(await api.gql(GET_TASK, {"id": str(uuid.uuid4())}, token=alice)) == [
        "NOT_FOUND"
    ]
    other = await api.gql(GET_TASK, {"id": task["id"]}, token=bob)
    assert error_codes(other) == ["NOT_FOUND"]
    assert other["data"] is None
    cancel = await api.gql(
        "mutation($id: ID!) { cancelTask(id: $id) { __typename ... on UserError { message code } } }",
        {"id": task["id"]},
        token=bob,
    )
    assert cancel["data"]["cancelTask"]["__typename"] == "NotFoundError"
    listing = await api.gql("{ tasks { nodes { id } } }", token=bob)
    assert listing["data"]["tasks"]["nodes"] == []


async def test_over_long_wait_is_an_input_error_and_creates_nothing(api: Api) -> None:
    token = await api.token("carol")
    body = await api.gql(PING, {"wait": 10_000}, token=token)
    result = body["data"]["pingTask"]
    assert result["__typename"] == "InputError"
    assert result["field"] == "wait"
    assert "between 0 and" in result["message"]
    assert await api.task_count("carol") == 0


async def test_cancel_finished_task_is_a_conflict(api: Api) -> None:
    token = await api.token("dave")
    task = (await api.gql(PING, {"wait": 10}, token=token))["data"]["pingTask"]
    body = await api.gql(
        "mutation($id: ID!) { cancelTask(id: $id) { __typename ... on UserError { message code } } }",
        {"id": task["id"]},
        token=token,
    )
    assert body["data"]["cancelTask"] == {
        "__typename": "ConflictError",
        "message": f"task {task['id']} is already completed",
        "code": "CONFLICT",
    }
    status = await api.gql(GET_TASK, {"id": task["id"]}, token=token)
    assert status["data"]["task"]["status"] == "COMPLETED"


async def test_cancel_running_task_over_http(api_factory: ApiFactory) -> None:
    started = asyncio.Event()

    async def sleeper(ctx: TaskContext) -> HandlerResult:
        started.set()
        await asyncio.sleep(60)
        return HandlerResult()

    async with api_factory({"noop": sleeper}) as api:
        token = await api.token("erin")
        task = (await api.gql(PING, {}, token=token))["data"]["pingTask"]
        await asyncio.wait_for(started.wait(), 10)
        body = await api.gql(
            "mutation($id: ID!) { cancelTask(id: $id) { ... on Task { status } } }",
            {"id": task["id"]},
            token=token,
        )
        assert body["data"]["cancelTask"]["status"] == "CANCELLED"
        retried = await api.gql(
            "mutation($id: ID!) { retryTask(id: $id) { ... on Task { status } } }",
            {"id": task["id"]},
            token=token,
        )
        assert retried["data"]["retryTask"]["status"] == "PENDING"


async def test_pagination_and_filters(api: Api) -> None:
    token = await api.token("frank")
    ids = []
    for _ in range(5):
        ids.append((await api.gql(PING, {"wait": 10}, token=token))["data"]["pingTask"]["id"])
    query = """query($after: String, $filter: TaskFilter) {
      tasks(first: 2, after: $after, filter: $filter) {
        edges { cursor node { id status } } pageInfo { hasNextPage endCursor } } }"""
    seen: list[str] = []
    after = None
    while True:
        page = (await api.gql(query, {"after": after}, token=token))["data"]["tasks"]
        seen += [e["node"]["id"] for e in page["edges"]]
        if not page["pageInfo"]["hasNextPage"]:
            break
        after = page["pageInfo"]["endCursor"]
    assert seen == list(reversed(ids))
    none = await api.gql(query, {"filter": {"status": "FAILED"}}, token=token)
    assert none["data"]["tasks"]["edges"] == []
    typed = await api.gql(
        query,
        {"filter": {"type": "NOOP", "createdBefore": "2000-01-01T00:00:00+00:00"}},
        token=token,
    )
    assert typed["data"]["tasks"]["edges"] == []
    bad = await api.gql(query, {"after": "garbage!"}, token=token)
    assert error_codes(bad) == ["INVALID_INPUT"]
    too_many = await api.gql("{ tasks(first: 1000) { nodes { id } } }", token=token)
    assert error_codes(too_many) == ["INVALID_INPUT"]


async def test_queue_stats_count_the_callers_own_tasks(api: Api) -> None:
    token = await api.token("gina")
    for _ in range(3):
        await api.gql(PING, {"wait": 10}, token=token)
    query = (
        "{ queueStats { depth { priority depth } pending running completedLastHour "
        "failedLastHour durations { type samples p50Ms p95Ms } } }"
    )
    stats = (await api.gql(query, token=token))["data"]["queueStats"]
    assert {d["priority"] for d in stats["depth"]} == {"HIGH", "NORMAL", "LOW"}
    assert (stats["completedLastHour"], stats["pending"], stats["running"]) == (3, 0, 0)
    (noop,) = stats["durations"]
    assert noop["type"] == "NOOP" and noop["samples"] == 3
    assert noop["p95Ms"] >= noop["p50Ms"] >= 0
    # Another user sees the same queues but none of gina's work.
    other = (await api.gql(query, token=await api.token("gina-neighbour")))["data"]
    assert other["queueStats"]["completedLastHour"] == 0
    assert other["queueStats"]["durations"] == []


async def test_query_depth_limit(api_factory: ApiFactory) -> None:
    async with api_factory(max_query_depth=2) as api:
        token = await api.token("hank")
        deep = "{ tasks { edges { node { id } } } }"
        body = await api.gql(deep, token=token)
        assert "exceeds maximum operation depth" in body["errors"][0]["message"]
        assert "errors" not in await api.gql("{ tasks { nodes { id } } }", token=token)


async def test_alias_and_token_limits(api: Api) -> None:
    token = await api.token("hank")
    nested = (
        "{ a: queueStats { running } "
        + " ".join(f"x{i}: queueStats {{ running }}" for i in range(40))
        + "}"
    )
    body = await api.gql(nested, token=token)
    assert body.get("errors") and "aliases" in body["errors"][0]["message"].lower()
    huge = "{ queueStats { " + "running " * 3000 + "} }"
    body = await api.gql(huge, token=token)
    assert body.get("errors") and "token" in body["errors"][0]["message"].lower()


async def test_health_and_readiness(api: Api) -> None:
    assert (await api.client.get("/healthz")).json() == {"status": "ok"}
    ready = await api.client.get("/readyz")
    assert ready.status_code == 200
    assert ready.json()["checks"] == {
        "redis": "ok",
        "postgres": "ok",
        "migrations": "ok",
        "documents (postgres)": "ok",
        "queue groups": "ok",
    }


async def test_a_body_that_is_not_json_is_a_400_and_unicode_round_trips(api: Api) -> None:
    token = await api.token("uma")
    auth = {"Authorization": f"Bearer {token}", "Content-Type": "application/json"}
    for body in (b'{"query": ', b"\xff\xfe not utf-8", b"[1, 2"):
        r = await api.client.post("/graphql", content=body, headers=auth)
        assert r.status_code == 400, (body, r.text)
        assert "Unable to parse request body as JSON" in r.text
    # A non-ASCII string travels through the variables and back out as the same text.
    name = "Zoë — 東京 ✓"
    r = await api.client.post(
        "/graphql",
        json={"query": "query($id: ID!) { task(id: $id) { id } }", "variables": {"id": name}},
        headers=auth,
    )
    assert r.status_code == 200 and r.headers["content-type"].startswith("application/json")
    assert name in r.json()["errors"][0]["message"]
