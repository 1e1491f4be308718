"""rephrase_bullets: one rewrite per bullet, originals kept when a rewrite fails a check."""

from __future__ import annotations

from atspro.llm.client import LLMClient
from atspro.llm.tailoring import RephrasedBullets, rephrase_bullets
from tests.fakes.openai_server import FakeOpenAIServer, Reply

BULLETS = [
    "Built data pipelines in Python for 3 teams",
    "Wrote SQL reports",
    "Cut cloud costs by 20%",
]


async def test_rewrites_are_used_when_they_pass(
    openai_server: FakeOpenAIServer, llm_client: LLMClient
) -> None:
    openai_server.enqueue(
        Reply.structured(
            RephrasedBullets(
                bullets=[
                    "Built ETL data pipelines in Python for 3 teams",
                    "  ",
                    "Cut AWS cloud costs by 35%",  # changed number
                ]
            )
        )
    )
    result = await rephrase_bullets(BULLETS, ["ETL", "AWS"], client=llm_client)
    assert result == ["Built ETL data pipelines in Python for 3 teams", BULLETS[1], BULLETS[2]]
    sent = openai_server.requests[0].messages[1]["content"]
    assert '"ETL"' in sent and BULLETS[0] in sent


async def test_wrong_count_returns_originals(
    openai_server: FakeOpenAIServer, llm_client: LLMClient
) -> None:
    openai_server.enqueue(Reply.structured(RephrasedBullets(bullets=["one"])))
    assert await rephrase_bullets(BULLETS, ["ETL"], client=llm_client) == BULLETS


async def test_no_bullets_no_call(openai_server: FakeOpenAIServer, llm_client: LLMClient) -> None:
    assert await rephrase_bullets([], ["ETL"], client=llm_client) == []
    assert openai_server.requests == []
