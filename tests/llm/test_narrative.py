"""write_match_narrative: the model words the computed facts and cannot change a number."""

from __future__ import annotations

import json

from pydantic import BaseModel

from atspro.llm.client import LLMClient
from atspro.llm.narrative import MatchNarrative, allowed_numbers, write_match_narrative
from tests.fakes.openai_server import FakeOpenAIServer, Reply

FACTS: dict[str, object] = {
    "overall_score": 72,
    "skills_score": 64,
    "experience_score": 80,
    "keyword_coverage": 0.75,
    "years_required": 4,
    "years_found": 6.5,
    "matched": {"hard_skills": ["Python", "PostgreSQL", "Docker"]},
    "missing": {"hard_skills": ["Kafka", "Kubernetes"], "certifications": []},
    "title_similarity": 0.8,
    "remote": True,
}


async def test_narrative_keeps_fact_numbers_and_drops_changed_ones(
    openai_server: FakeOpenAIServer, llm_client: LLMClient
) -> None:
    reply = MatchNarrative(
        rationale=(
            "Your overall score is 72. Skills score 64 reflects 3 matched skills. "
            "You cover 75% of the keywords! With tuning you would reach 95."
        ),
        strengths=["6.5 years against 4 required", "Python and Docker", "Python and Docker"],
        gaps=["Kafka and Kubernetes are missing (2 skills)", "Your score is really 85"],
        recommendations=["Add Kafka only if you have used it", "  ", "Boost to 100% coverage"],
    )
    openai_server.enqueue(Reply.structured(reply))

    narrative = await write_match_narrative(FACTS, client=llm_client)

    assert narrative.rationale == (
        "Your overall score is 72. Skills score 64 reflects 3 matched skills. "
        "You cover 75% of the keywords!"
    )
    assert narrative.strengths == ["6.5 years against 4 required", "Python and Docker"]
    assert narrative.gaps == ["Kafka and Kubernetes are missing (2 skills)"]
    assert narrative.recommendations == ["Add Kafka only if you have used it"]
    (sent,) = openai_server.requests
    assert json.loads(sent.messages[1]["content"].split("\n", 1)[1]) == FACTS
    assert sent.schema_name == "MatchNarrative"


def test_allowed_numbers_reads_every_form() -> None:
    allowed = allowed_numbers({"a": 0.75, "b": [1, 2, 3], "c": "5+ years", "d": False, 7: None})
    assert {0.75, 75, 1, 2, 3, 5, 7} <= allowed
    assert 0.0 not in allowed  # booleans are not numbers


class Scores(BaseModel):
    overall_score: int
    missing: set[str]


async def test_facts_may_hold_pydantic_models(
    openai_server: FakeOpenAIServer, llm_client: LLMClient
) -> None:
    reply = MatchNarrative(
        rationale="Overall 61. Missing Kafka.",
        strengths=[],
        gaps=["1 skill missing"],
        recommendations=[],
    )
    openai_server.enqueue(Reply.structured(reply))
    narrative = await write_match_narrative(
        {"scores": Scores(overall_score=61, missing={"Kafka"})}, client=llm_client
    )
    assert narrative.rationale == "Overall 61. Missing Kafka."
    assert narrative.gaps == ["1 skill missing"]
    sent = json.loads(openai_server.requests[0].messages[1]["content"].split("\n", 1)[1])
    assert sent == {"scores": {"overall_score": 61, "missing": ["Kafka"]}}
