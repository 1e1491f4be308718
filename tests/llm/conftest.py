"""Fixtures: one fake OpenAI-compatible server per session, reset for every test."""

from __future__ import annotations

from collections.abc import AsyncIterator, Iterator

import pytest

from atspro.llm.client import LLMClient
from tests.fakes.openai_server import MODEL_ID, FakeOpenAIServer

API_KEY = "sk-test-secret-key-0123456789"


@pytest.fixture(scope="session")
def _openai_server_session() -> Iterator[FakeOpenAIServer]:
    with FakeOpenAIServer() as server:
        yield server


@pytest.fixture
def openai_server(_openai_server_session: FakeOpenAIServer) -> Iterator[FakeOpenAIServer]:
    """The shared fake server with an empty script and no recorded requests."""
    _openai_server_session.reset()
    yield _openai_server_session
    _openai_server_session.reset()


@pytest.fixture
async def llm_client(openai_server: FakeOpenAIServer) -> AsyncIterator[LLMClient]:
    """An LLMClient pointed at the fake server, with short timeouts and one retry."""
    client = LLMClient(
        model=MODEL_ID,
        api_key=API_KEY,
        base_url=openai_server.base_url,
        timeout_s=2.0,
        max_retries=1,
    )
    yield client
    await client.aclose()
