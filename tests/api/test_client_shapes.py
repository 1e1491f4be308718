"""Names and shapes a GraphQL client expects: task types as an enum, camelCase JSON, download
formats named as in the schema, and the finished object inline from a mutation that waited."""

from __future__ import annotations

import logging
import uuid
from typing import Any

import pytest

from atspro.auth import authenticate
from atspro.workers.context import HandlerResult, TaskContext

from .conftest import Api, ApiFactory
from .samples import JOB_TEXT

PING = "mutation($wait: Int) { pingTask(wait: $wait) { ... on Task { id type } } }"
TASKS = """query($filter: TaskFilter) { tasks(filter: $filter) { nodes { id type } } }"""
PARSE_JOB = """mutation($text: String!, $wait: Int) { parseJob(text: $text, wait: $wait) {
  ... on JobTask { jobId task { status type } job { id status content { title } } } } }"""


def messages(body: dict[str, Any]) -> str:
    return " ".join(e["message"] for e in body.get("errors", []))


async def test_task_types_are_an_enum_for_filters_and_fields(
    api: Api, caplog: pytest.LogCaptureFixture
) -> None:
    token = await api.token("enum")
    pings = [(await api.gql(PING, {"wait": 10}, token=token))["data"]["pingTask"] for _ in range(2)]
    assert [p["type"] for p in pings] == ["NOOP", "NOOP"]

    noops = await api.gql(TASKS, {"filter": {"type": "NOOP"}}, token=token)
    assert noops["data"]["tasks"]["nodes"] == list(reversed(pings))
    parses = await api.gql(TASKS, {"filter": {"type": "PARSE_RESUME"}}, token=token)
    assert parses["data"]["tasks"]["nodes"] == []

    # What silently matched nothing before is now refused before it runs.
    for query, variables in (
        ('{ tasks(filter: {type: "parseResume"}) { nodes { id } } }', {}),
        ("{ tasks(filter: {type: parseResume}) { nodes { id } } }", {}),
        (TASKS, {"filter": {"type": "noop"}}),
    ):
        body = await api.gql(query, variables, token=token)
        assert body.get("data") is None and "TaskType" in messages(body), body
    # A client's mistake is no incident of ours.
    assert not [r for r in caplog.records if r.levelno >= logging.ERROR]


async def test_json_payloads_have_camel_case_keys_at_every_depth(api_factory: ApiFactory) -> None:
    async def nested(ctx: TaskContext) -> HandlerResult:
        return HandlerResult(result={"snake_key": [{"inner_key": "a_value_kept"}]})

    async with api_factory({"noop": nested}) as api:
        token = await api.token("camel")
        user = (await authenticate(api.runtime.pool, token, better_auth=False)).user_id
        doc_id = str(uuid.uuid4())
        await api.runtime.documents.put(
            kind="document",
            user_id=user,
            doc_id=doc_id,
            data={
                "markdown": "# Hi",
                "before_score": 40,
                "resume": {"contact_info": {"full_name": "Jo"}, "work_experience": []},
                "missing_keywords": ["rest_api"],
            },
            meta={"status": "ready", "document_type": "tailored_resume"},
        )
        body = await api.gql(
            "query($id: ID!) { document(id: $id) { details } }", {"id": doc_id}, token=token
        )
        assert body["data"]["document"]["details"] == {
            "beforeScore": 40,
            "resume": {"contactInfo": {"fullName": "Jo"}, "workExperience": []},
            "missingKeywords": ["rest_api"],
        }
        result = await api.gql(
            "mutation { pingTask(wait: 10) { ... on Task { status result } } }", token=token
        )
        assert result["data"]["pingTask"] == {
            "status": "COMPLETED",
            "result": {"snakeKey": [{"innerKey": "a_value_kept"}]},
        }


async def test_download_accepts_the_schema_format_names(api: Api) -> None:
    token = await api.token("fmt")
    user = (await authenticate(api.runtime.pool, token, better_auth=False)).user_id
    doc_id = str(uuid.uuid4())
    await api.runtime.documents.put(
        kind="document",
        user_id=user,
        doc_id=doc_id,
        data={"markdown": "# Jo\n"},
        meta={"status": "ready", "title": "Jo"},
    )
    auth = {"Authorization": f"Bearer {token}"}
    for name in ("markdown", "MARKDOWN", "Markdown", "md"):
        r = await api.client.get(
            f"/documents/{doc_id}/download", params={"format": name}, headers=auth
        )
        assert r.status_code == 200, (name, r.text)
        assert r.headers["content-type"].startswith("text/markdown") and r.text == "# Jo\n"
        assert r.headers["content-disposition"].endswith('Jo.md"')
    r = await api.client.get(f"/documents/{doc_id}/download?format=PDF", headers=auth)
    assert r.status_code == 200 and r.content.startswith(b"%PDF")
    r = await api.client.get(f"/documents/{doc_id}/download?format=odt", headers=auth)
    assert r.status_code == 400 and r.json()["code"] == "INVALID_INPUT"
    assert "markdown" in r.json()["error"] and "md" in r.json()["error"]
    assert "'odt'" in r.json()["error"]


async def test_a_waited_mutation_returns_the_finished_object_inline(api: Api) -> None:
    token = await api.token("inline")
    waited = (await api.gql(PARSE_JOB, {"text": JOB_TEXT, "wait": 30}, token=token))["data"][
        "parseJob"
    ]
    assert waited["task"] == {"status": "COMPLETED", "type": "PARSE_JOB"}
    assert waited["job"] == {
        "id": waited["jobId"],
        "status": "READY",
        "content": {"title": "Senior Backend Engineer"},
    }

    started = (await api.gql(PARSE_JOB, {"text": JOB_TEXT}, token=token))["data"]["parseJob"]
    assert started["task"]["status"] == "PENDING" and started["job"] is None


async def test_the_default_wait_covers_the_long_tasks(api: Api) -> None:
    token = await api.token("patient")
    query = "mutation($wait: Int) { pingTask(wait: $wait) { __typename ... on InputError { message } } }"
    longest = await api.gql(query, {"wait": 120}, token=token)
    assert longest["data"]["pingTask"]["__typename"] == "Task"
    too_long = await api.gql(query, {"wait": 121}, token=token)
    assert "between 0 and 120" in too_long["data"]["pingTask"]["message"]
