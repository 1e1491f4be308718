"""Per-user quotas over the real app: each refusal is a typed error naming its setting."""

from __future__ import annotations

import asyncio
import json
import uuid
from collections.abc import AsyncIterator, Awaitable, Callable
from contextlib import asynccontextmanager
from typing import Any

import pytest

from atspro.settings import Settings
from atspro.workers.handlers import default_registry
from tests.api.conftest import Api, ApiFactory, run_server

UPLOAD = """mutation($file: Upload!) {
  parseResume(file: $file) { __typename ... on InputError { message field code } }
}"""
PARSE_TEXT = """mutation($text: String) {
  parseJob(text: $text) { __typename ... on InputError { message field code } }
}"""


@pytest.fixture
def start_api(
    make_settings: Callable[..., Settings], cleanup_redis: Callable[[str], Awaitable[None]]
) -> ApiFactory:
    """Starts the real app on loopback with settings changed for the test."""

    @asynccontextmanager
    async def factory(**overrides: Any) -> AsyncIterator[Api]:
        settings = make_settings(**overrides)
        await cleanup_redis(settings.redis_queue_prefix)
        async with run_server(settings, default_registry()) as api:
            yield api

    return factory


async def upload(api: Api, token: str, data: bytes) -> dict[str, Any]:
    operations = {"query": UPLOAD, "variables": {"file": None}}
    r = await api.client.post(
        "/graphql",
        data={"operations": json.dumps(operations), "map": json.dumps({"0": ["variables.file"]})},
        files={"0": ("resume.txt", data, "text/plain")},
        headers={"Authorization": f"Bearer {token}"},
    )
    body = r.json()
    assert "errors" not in body, body
    return body["data"]["parseResume"]  # type: ignore[no-any-return]


async def test_daily_upload_bytes_are_capped_per_user(start_api: ApiFactory) -> None:
    async with start_api(quota_upload_bytes_per_day=1000) as api:
        token = await api.token("ada")
        assert (await upload(api, token, b"a" * 600))["__typename"] == "ResumeTask"
        refused = await upload(api, token, b"b" * 600)
        assert refused["__typename"] == "InputError"
        assert "QUOTA_UPLOAD_BYTES_PER_DAY" in refused["message"]
        assert refused["field"] == "file"
        # What was refused is not counted, and the quota is per user.
        assert (await upload(api, token, b"c" * 400))["__typename"] == "ResumeTask"
        other = await api.token("bob")
        assert (await upload(api, other, b"d" * 600))["__typename"] == "ResumeTask"


async def test_stored_documents_are_capped_per_user(start_api: ApiFactory) -> None:
    async with start_api(quota_stored_documents=2) as api:
        token = await api.token("cid")
        for n in range(2):
            body = await api.gql(PARSE_TEXT, {"text": f"Engineer {n}"}, token=token)
            assert body["data"]["parseJob"]["__typename"] == "JobTask", body
        refused = (await api.gql(PARSE_TEXT, {"text": "one too many"}, token=token))["data"]
        assert refused["parseJob"]["__typename"] == "InputError"
        assert "QUOTA_STORED_DOCUMENTS" in refused["parseJob"]["message"]
        # An upload is refused before its bytes are stored.
        refused_upload = await upload(api, token, b"resume")
        assert "QUOTA_STORED_DOCUMENTS" in refused_upload["message"]
        blobs = await api.runtime.pool.fetchval(
            "SELECT count(*) FROM blobs WHERE user_id = $1", api.user("cid")
        )
        assert blobs == 0


async def test_concurrent_renders_are_capped_per_user(start_api: ApiFactory) -> None:
    async with start_api(quota_concurrent_renders=1) as api:
        token = await api.token("dot")
        doc_id = str(uuid.uuid4())
        markdown = "# Report\n\n" + "A paragraph of text for the PDF.\n\n" * 400
        await api.runtime.documents.put(
            kind="document",
            user_id=api.user("dot"),
            doc_id=doc_id,
            data={"markdown": markdown},
            meta={"title": "Report"},
        )
        headers = {"Authorization": f"Bearer {token}"}
        responses = await asyncio.gather(
            *(
                api.client.get(f"/documents/{doc_id}/download?format=pdf", headers=headers)
                for _ in range(6)
            )
        )
        statuses = sorted(r.status_code for r in responses)
        assert statuses[0] == 200
        assert 429 in statuses, statuses
        refused = next(r for r in responses if r.status_code == 429)
        assert "QUOTA_CONCURRENT_RENDERS" in refused.json()["error"]
        assert set(statuses) == {200, 429}
        # Once the renders ended, the user may download again.
        again = await api.client.get(f"/documents/{doc_id}/download?format=pdf", headers=headers)
        assert again.status_code == 200
