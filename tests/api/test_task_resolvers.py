"""Task resolvers over a real server: retryTask with wait, the dashboard feed's filters,
taskUpdated of a finished task, and the offline GraphiQL page at /graphql."""

from __future__ import annotations

import asyncio
import json

from atspro.errors import PermanentError
from atspro.workers.context import HandlerResult, TaskContext

from .conftest import Api, ApiFactory
from .test_graphql_ws import next_events, recv, subscribe, transport_ws

PING = "mutation($wait: Int) { pingTask(wait: $wait) { ... on Task { id status } } }"
FEED = """subscription($filter: TaskUpdatesFilter) {
  taskUpdates(filter: $filter) { taskId status type } }"""
ONE = "subscription($id: ID!) { taskUpdated(id: $id) { taskId status progress } }"


async def test_retry_with_wait_returns_the_finished_retry(api_factory: ApiFactory) -> None:
    calls: list[int] = []

    async def fails_first(ctx: TaskContext) -> HandlerResult:
        calls.append(ctx.task.attempt)
        if len(calls) == 1:
            raise PermanentError("first run fails for good")
        return HandlerResult(result={"ok": True})

    async with api_factory({"noop": fails_first}) as api:
        token = await api.token("ret")
        failed = (await api.gql(PING, {"wait": 10}, token=token))["data"]["pingTask"]
        assert failed["status"] == "FAILED"
        body = await api.gql(
            """mutation($id: ID!, $wait: Int) { retryTask(id: $id, wait: $wait) {
                __typename ... on Task { status result } ... on InputError { field } } }""",
            {"id": failed["id"], "wait": 10},
            token=token,
        )
        assert body["data"]["retryTask"] == {
            "__typename": "Task",
            "status": "COMPLETED",
            "result": {"ok": True},
        }
        too_long = await api.gql(
            "mutation($id: ID!) { retryTask(id: $id, wait: 100000) { __typename ... on InputError { field } } }",
            {"id": failed["id"]},
            token=token,
        )
        assert too_long["data"]["retryTask"] == {"__typename": "InputError", "field": "wait"}


async def test_dashboard_feed_filters_by_status_and_type(api: Api) -> None:
    token = await api.token("feed")
    async with transport_ws(api, token) as ws:
        assert (await recv(ws))["type"] == "connection_ack"
        await subscribe(ws, "done", FEED, {"filter": {"status": ["COMPLETED"]}})
        await subscribe(ws, "other", FEED, {"filter": {"type": ["PARSE_JOB"]}})
        await asyncio.sleep(0.2)
        tasks = [
            (await api.gql(PING, {"wait": 10}, token=token))["data"]["pingTask"] for _ in range(2)
        ]
        # Only the completions arrive, on the status-filtered feed; no noop event on the other.
        messages = [await recv(ws) for _ in range(2)]
        assert {m["id"] for m in messages} == {"done"}
        assert [m["payload"]["data"]["taskUpdates"] for m in messages] == [
            {"taskId": t["id"], "status": "COMPLETED", "type": "NOOP"} for t in tasks
        ]
        quiet = asyncio.create_task(recv(ws, within_s=0.5))
        done, _ = await asyncio.wait({quiet}, timeout=1)
        assert done and isinstance(quiet.exception(), TimeoutError)


async def test_task_updated_of_a_finished_task_gives_its_final_state_once(api: Api) -> None:
    token = await api.token("fin")
    task = (await api.gql(PING, {"wait": 10}, token=token))["data"]["pingTask"]
    async with transport_ws(api, token) as ws:
        assert (await recv(ws))["type"] == "connection_ack"
        await subscribe(ws, "1", ONE, {"id": task["id"]})
        (event,) = await next_events(ws, 1)
        assert event == {"taskId": task["id"], "status": "COMPLETED", "progress": 100}
        assert await recv(ws) == {"id": "1", "type": "complete"}


async def test_graphiql_page_is_served_from_the_package(api: Api) -> None:
    page = await api.client.get("/graphql", headers={"Accept": "text/html"})
    assert page.status_code == 200 and page.headers["content-type"].startswith("text/html")
    assert "/graphiql-assets/" in page.text
    assert "cdn" not in page.text.lower() and "unpkg" not in page.text.lower()
    # A GET query still works as a query, not the page.
    reply = await api.client.get(
        "/graphql", params={"query": "{ __typename }"}, headers={"Accept": "application/json"}
    )
    assert json.loads(reply.text) == {"data": {"__typename": "Query"}}
