"""The fake OpenAI-compatible server itself: endpoints, lifecycle, fallbacks."""

from __future__ import annotations

import httpx
import pytest
from pydantic import BaseModel

from atspro.errors import PermanentError
from atspro.jobs.model import Job
from atspro.llm.client import LLMClient
from atspro.llm.jobs import parse_job_with_model
from atspro.llm.narrative import write_match_narrative
from atspro.llm.research import write_research_report
from atspro.llm.resume import parse_resume_with_model
from atspro.llm.tailoring import rephrase_bullets
from atspro.resume.model import Resume
from tests.fakes.openai_server import (
    MODEL_ID,
    FakeOpenAIServer,
    RecordedRequest,
    Reply,
    by_schema,
    minimal_instance,
    minimal_reply,
)


def test_sync_lifecycle_models_endpoint_and_raw_replies() -> None:
    with FakeOpenAIServer() as server:
        models = httpx.get(f"{server.base_url}/models").json()
        assert [m["id"] for m in models["data"]] == [MODEL_ID]
        server.enqueue(Reply(raw_body="{broken", status=200), Reply.text("hi"))
        assert server.pending == 2
        broken = httpx.post(f"{server.base_url}/chat/completions", content=b"not json")
        assert broken.text == "{broken"
        ok = httpx.post(f"{server.base_url}/chat/completions", json={"model": "m"}).json()
        assert ok["choices"][0]["message"]["content"] == "hi"
        assert ok["model"] == "m"
        assert server.pending == 0
        first, second = server.requests
        assert first.body == {} and first.schema is None and first.schema_name is None
        assert second.response_format == {} and second.authorization is None
        nothing = httpx.post(f"{server.base_url}/chat/completions", json={})
        assert nothing.status_code == 400
        assert "no scripted reply" in nothing.json()["error"]["message"]
    with pytest.raises(httpx.ConnectError):
        httpx.get(f"{server.base_url}/models")


class Inner(BaseModel):
    tags: list[str]
    kind: str | None


class Outer(BaseModel):
    name: str
    count: int
    ratio: float
    on: bool
    inner: Inner
    mode: str


def test_minimal_instance_validates() -> None:
    schema = Outer.model_json_schema()
    value = minimal_instance(schema)
    assert Outer.model_validate(value) == Outer(
        name="", count=0, ratio=0, on=False, inner=Inner(tags=[], kind=None), mode=""
    )
    assert minimal_instance({"enum": ["b", "a"]}) == "b"
    assert minimal_instance({"anyOf": [{"type": "string"}, {"type": "integer"}]}) == ""
    assert minimal_instance({"type": ["string", "null"]}) is None
    assert minimal_instance({"type": ["integer"]}) == 0
    assert minimal_reply(RecordedRequest("POST", "/", {}, {})).content == "{}"


async def test_minimal_replies_drive_every_model_task(
    openai_server: FakeOpenAIServer, llm_client: LLMClient
) -> None:
    openai_server.reset(fallback=minimal_reply)
    assert await parse_resume_with_model("Ada Lovelace", client=llm_client) == Resume()
    job = await parse_job_with_model("Analyst wanted", client=llm_client)
    assert job == Job(description="Analyst wanted")
    narrative = await write_match_narrative({"overall_score": 50}, client=llm_client)
    assert narrative.rationale == "" and narrative.gaps == []
    report = await write_research_report(
        posting_text="x", resume_summary="y", sources=[], client=llm_client
    )
    assert report.startswith("# Company research: the company")
    assert await rephrase_bullets(["Did things"], [], client=llm_client) == ["Did things"]
    names = [r.schema_name for r in openai_server.requests]
    assert names == [
        "ResumeDraft",
        "JobDraft",
        "MatchNarrative",
        "ResearchDraft",
        "RephrasedBullets",
    ]


async def test_by_schema_routes_and_falls_through(
    openai_server: FakeOpenAIServer, llm_client: LLMClient
) -> None:
    bullets = Reply.structured({"bullets": ["Did many things"]})
    openai_server.reset(fallback=by_schema({"RephrasedBullets": bullets}))
    assert await rephrase_bullets(["Did things"], [], client=llm_client) == ["Did many things"]
    with pytest.raises(PermanentError, match="no scripted reply"):
        await write_match_narrative({}, client=llm_client)
