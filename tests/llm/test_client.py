"""LLMClient against a real HTTP server over loopback, through the real openai package."""

from __future__ import annotations

import logging

import pytest
from pydantic import BaseModel

from atspro.errors import (
    PermanentError,
    RateLimitedError,
    ResourceExhaustedError,
    TransientError,
)
from atspro.llm.client import LLMClient, retry_after_from_headers
from atspro.settings import Settings
from tests.fakes.openai_server import MODEL_ID, FakeOpenAIServer, Reply
from tests.llm.conftest import API_KEY


class Person(BaseModel):
    name: str
    email: str | None
    skills: list[str]


ADA = Person(name="Ada Lovelace", email="ada@example.org", skills=["math"])


async def ask(client: LLMClient) -> Person:
    return await client.complete_structured(system="Extract.", user="Ada...", schema=Person)


async def test_structured_round_trip_sends_strict_schema(
    openai_server: FakeOpenAIServer, llm_client: LLMClient
) -> None:
    openai_server.enqueue(Reply.structured(ADA))
    assert await ask(llm_client) == ADA
    (sent,) = openai_server.requests
    assert sent.path == "/v1/chat/completions"
    assert sent.authorization == f"Bearer {API_KEY}"
    assert sent.body["model"] == MODEL_ID
    assert [m["role"] for m in sent.messages] == ["system", "user"]
    assert sent.messages[1]["content"] == "Ada..."
    assert sent.response_format["type"] == "json_schema"
    assert sent.response_format["json_schema"]["strict"] is True
    assert sent.schema_name == "Person"
    assert sent.schema is not None
    assert sorted(sent.schema["required"]) == ["email", "name", "skills"]
    assert sent.schema["additionalProperties"] is False


async def test_server_error_then_success_is_retried(
    openai_server: FakeOpenAIServer, llm_client: LLMClient
) -> None:
    openai_server.enqueue(Reply.error(500, "boom", type="server_error"), Reply.structured(ADA))
    assert await ask(llm_client) == ADA
    assert len(openai_server.requests) == 2


async def test_server_errors_exhausting_retries_are_transient(
    openai_server: FakeOpenAIServer, llm_client: LLMClient
) -> None:
    openai_server.enqueue(Reply.error(503, "overloaded"), Reply.error(502, "bad gateway"))
    with pytest.raises(TransientError, match="HTTP 502"):
        await ask(llm_client)
    assert len(openai_server.requests) == 2


async def test_rate_limit_with_retry_after_after_retries(
    openai_server: FakeOpenAIServer, llm_client: LLMClient
) -> None:
    openai_server.enqueue(
        Reply.error(429, "slow down", code="rate_limit_exceeded", retry_after="0.05"),
        Reply.error(429, "slow down", code="rate_limit_exceeded", retry_after="7"),
    )
    with pytest.raises(RateLimitedError) as caught:
        await ask(llm_client)
    assert caught.value.retry_after_s == pytest.approx(7.0)
    assert len(openai_server.requests) == 2  # the first 429 was retried by the package


async def test_rate_limit_beyond_two_minutes_is_not_retried(
    openai_server: FakeOpenAIServer, llm_client: LLMClient
) -> None:
    openai_server.enqueue(Reply.error(429, "later", retry_after="600"))
    with pytest.raises(RateLimitedError) as caught:
        await ask(llm_client)
    assert caught.value.retry_after_s == pytest.approx(600.0)
    assert len(openai_server.requests) == 1


async def test_quota_exhausted_is_resource_exhausted(
    openai_server: FakeOpenAIServer, llm_client: LLMClient
) -> None:
    openai_server.enqueue(
        Reply.error(
            429,
            "You exceeded your current quota",
            code="insufficient_quota",
            headers={"x-should-retry": "false"},
        )
    )
    with pytest.raises(ResourceExhaustedError, match="quota"):
        await ask(llm_client)


async def test_timeout_is_transient(openai_server: FakeOpenAIServer) -> None:
    client = LLMClient(
        model=MODEL_ID,
        api_key=API_KEY,
        base_url=openai_server.base_url,
        timeout_s=0.3,
        max_retries=0,
    )
    openai_server.enqueue(Reply.structured(ADA, delay_s=1.5))
    try:
        with pytest.raises(TransientError, match=r"did not answer within 0\.3 s"):
            await ask(client)
    finally:
        await client.aclose()


async def test_connection_refused_is_transient() -> None:
    server = FakeOpenAIServer()
    server.start()
    url = server.base_url
    server.stop()  # nothing listens on that port any more
    client = LLMClient(model=MODEL_ID, api_key=API_KEY, base_url=url, max_retries=0)
    try:
        with pytest.raises(TransientError, match="Cannot reach"):
            await ask(client)
    finally:
        await client.aclose()


@pytest.mark.parametrize("status", [401, 403])
async def test_bad_credentials_are_permanent_and_never_show_the_key(
    openai_server: FakeOpenAIServer,
    llm_client: LLMClient,
    status: int,
    caplog: pytest.LogCaptureFixture,
) -> None:
    caplog.set_level(logging.DEBUG)
    openai_server.enqueue(Reply.error(status, f"Incorrect API key provided: {API_KEY}"))
    with pytest.raises(PermanentError, match="credentials") as caught:
        await ask(llm_client)
    assert API_KEY not in caught.value.message
    assert API_KEY not in caplog.text
    assert len(openai_server.requests) == 1


async def test_unknown_model_is_permanent(
    openai_server: FakeOpenAIServer, llm_client: LLMClient
) -> None:
    openai_server.enqueue(Reply.error(404, "model not found"))
    with pytest.raises(PermanentError, match="no model 'fake-model'"):
        await ask(llm_client)


async def test_bad_request_is_permanent_with_redacted_detail(
    openai_server: FakeOpenAIServer, llm_client: LLMClient
) -> None:
    openai_server.enqueue(Reply.error(400, f"bad temperature for key {API_KEY}"))
    with pytest.raises(PermanentError, match="HTTP 400") as caught:
        await ask(llm_client)
    assert "bad temperature for key ***" in caught.value.message


async def test_context_length_is_resource_exhausted(
    openai_server: FakeOpenAIServer, llm_client: LLMClient
) -> None:
    openai_server.enqueue(
        Reply.error(
            400,
            "This model's maximum context length is 8192 tokens",
            code="context_length_exceeded",
        )
    )
    with pytest.raises(ResourceExhaustedError, match="too long"):
        await ask(llm_client)


async def test_reply_cut_off_is_resource_exhausted(
    openai_server: FakeOpenAIServer, llm_client: LLMClient
) -> None:
    openai_server.enqueue(Reply.text('{"name": "Ada', finish_reason="length"))
    with pytest.raises(ResourceExhaustedError, match="cut off"):
        await ask(llm_client)


async def test_content_filter_is_permanent(
    openai_server: FakeOpenAIServer, llm_client: LLMClient
) -> None:
    openai_server.enqueue(Reply.text("", finish_reason="content_filter"))
    with pytest.raises(PermanentError, match="content filter"):
        await ask(llm_client)


async def test_refusal_is_permanent(openai_server: FakeOpenAIServer, llm_client: LLMClient) -> None:
    openai_server.enqueue(Reply.refused("I can't help with that."))
    with pytest.raises(PermanentError, match="refused the request: I can't help"):
        await ask(llm_client)


async def test_malformed_json_twice_is_permanent(
    openai_server: FakeOpenAIServer, llm_client: LLMClient
) -> None:
    openai_server.enqueue(Reply.text("{not json"), Reply.text('{"name": 3}'))
    with pytest.raises(PermanentError, match="does not match the Person schema"):
        await ask(llm_client)
    first, second = openai_server.requests
    assert first.response_format["type"] == "json_schema"
    assert second.response_format == {"type": "json_object"}
    assert not llm_client.json_object_only  # one bad reply does not change the mode


async def test_malformed_json_then_valid_json_object_reply_succeeds(
    openai_server: FakeOpenAIServer, llm_client: LLMClient
) -> None:
    openai_server.enqueue(Reply.text("Sure! Here is the data."), Reply.structured(ADA))
    assert await ask(llm_client) == ADA
    second = openai_server.requests[1]
    assert "JSON schema" in second.messages[0]["content"]
    assert '"skills"' in second.messages[0]["content"]


async def test_json_schema_unsupported_switches_to_json_object_mode(
    openai_server: FakeOpenAIServer, llm_client: LLMClient
) -> None:
    fenced = "```json\n" + ADA.model_dump_json() + "\n```"
    openai_server.enqueue(
        Reply.error(400, "response_format type 'json_schema' is not supported"),
        Reply.text(fenced),
        Reply.structured(ADA),
    )
    assert await ask(llm_client) == ADA
    assert llm_client.json_object_only
    assert await ask(llm_client) == ADA  # goes straight to json_object mode
    kinds = [r.response_format["type"] for r in openai_server.requests]
    assert kinds == ["json_schema", "json_object", "json_object"]


@pytest.mark.parametrize(
    ("reply", "error", "match"),
    [
        (Reply.text("{}", finish_reason="length"), ResourceExhaustedError, "cut off"),
        (Reply.text("", finish_reason="content_filter"), PermanentError, "content filter"),
        (Reply.refused("no"), PermanentError, "refused"),
        (Reply.error(400, "json_object not supported"), PermanentError, "HTTP 400"),
        (
            Reply(
                body={
                    "id": "x",
                    "object": "chat.completion",
                    "created": 0,
                    "model": MODEL_ID,
                    "choices": [],
                }
            ),
            PermanentError,
            "no choices",
        ),
    ],
)
async def test_json_object_mode_failures(
    openai_server: FakeOpenAIServer,
    llm_client: LLMClient,
    reply: Reply,
    error: type[Exception],
    match: str,
) -> None:
    openai_server.enqueue(Reply.error(422, "Unknown response_format json_schema"), reply)
    with pytest.raises(error, match=match):
        await ask(llm_client)


async def test_empty_choices_in_schema_mode_falls_back(
    openai_server: FakeOpenAIServer, llm_client: LLMClient
) -> None:
    empty = {"id": "x", "object": "chat.completion", "created": 0, "model": MODEL_ID, "choices": []}
    openai_server.enqueue(Reply(body=empty), Reply.structured(ADA))
    assert await ask(llm_client) == ADA


async def test_from_settings_uses_the_configured_server(openai_server: FakeOpenAIServer) -> None:
    settings = Settings(
        openai_base_url=openai_server.base_url,
        openai_model="my-model",
        llm_timeout_s=5,
        llm_max_retries=0,
    )
    openai_server.enqueue(Reply.structured(ADA))
    async with LLMClient.from_settings(settings) as client:
        assert await ask(client) == ADA
    (sent,) = openai_server.requests
    assert sent.body["model"] == "my-model"
    assert sent.authorization == "Bearer not-needed"  # local servers need no key


def test_retry_after_header_forms() -> None:
    assert retry_after_from_headers({"retry-after-ms": "1500"}) == pytest.approx(1.5)
    assert retry_after_from_headers({"retry-after": "3"}) == pytest.approx(3.0)
    assert retry_after_from_headers({}) is None
    assert retry_after_from_headers({"retry-after": "soon"}) is None
    in_a_minute = retry_after_from_headers({"retry-after": "Wed, 21 Oct 2099 07:28:00 GMT"})
    assert in_a_minute is not None and in_a_minute > 1e6
    past = retry_after_from_headers({"retry-after": "Wed, 21 Oct 2015 07:28:00 GMT"})
    assert past == 0.0


async def test_empty_content_falls_back_then_fails(
    openai_server: FakeOpenAIServer, llm_client: LLMClient
) -> None:
    openai_server.enqueue(Reply.text(""), Reply.text(""))
    with pytest.raises(PermanentError, match="does not match"):
        await ask(llm_client)
    assert len(openai_server.requests) == 2


async def test_broken_http_body_is_permanent(
    openai_server: FakeOpenAIServer, llm_client: LLMClient
) -> None:
    openai_server.enqueue(Reply(raw_body="<html>oops</html>"), Reply(raw_body="<html>oops</html>"))
    with pytest.raises(PermanentError):
        await ask(llm_client)
