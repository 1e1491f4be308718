"""rankResumes over the real app: order by fit, progress per chunk, only the caller's resumes."""

from __future__ import annotations

import uuid
from typing import Any

import pytest

from atspro.evaluation.fit_pairs import SPECS, Level, build_resume, posting_text
from atspro.tasks.events import TaskEvent
from atspro.workers.handlers import ranking as ranking_handler

from .conftest import Api, ApiFactory

SOFTWARE = SPECS[0]
RANK = """mutation($job: ID!, $ids: [ID!], $all: Boolean, $wait: Int) {
  rankResumes(jobId: $job, resumeIds: $ids, all: $all, wait: $wait) {
    __typename
    ... on RankingTask {
      rankingId
      task { id status progress errorMessage result }
      ranking { id status count jobId
        entries { rank resumeId candidateName overallScore skillsScore experienceScore
                  educationScore keywordsScore careerScore matchedSkills missingSkills reason }
        skipped { resumeId reason } }
    }
    ... on UserError { code message }
    ... on InputError { field }
  }
}"""
RANKING = "query($id: ID!) { ranking(id: $id) { id status count entries(first: 2) { rank } } }"


async def put_resume(api: Api, user: str, level: Level, seed: int, *, parsed: bool = True) -> str:
    """A resume at a known fit level for the software posting, stored as a parse leaves it."""
    resume_id = str(uuid.uuid4())
    resume = build_resume(SOFTWARE, level, seed)
    await api.runtime.documents.put(
        kind="resume",
        user_id=api.user(user),
        doc_id=resume_id,
        data=resume.model_dump(mode="json") if parsed else {},
        meta={"filename": f"{level}-{seed}.txt", "status": "parsed" if parsed else "pending"},
    )
    return resume_id


async def parse_posting(api: Api, token: str) -> str:
    body = await api.gql(
        "mutation($text: String!) { parseJob(text: $text, wait: 60) { ... on JobTask { jobId task { status } } } }",
        {"text": posting_text(SOFTWARE)},
        token=token,
    )
    started = body["data"]["parseJob"]
    assert started["task"]["status"] == "COMPLETED", body
    return str(started["jobId"])


async def rank(api: Api, token: str, **variables: Any) -> dict[str, Any]:
    body = await api.gql(RANK, {"wait": 60, **variables}, token=token)
    assert "errors" not in body, body
    result: dict[str, Any] = body["data"]["rankResumes"]
    return result


async def test_ranks_by_fit_with_progress_and_only_the_callers_resumes(
    api: Api, monkeypatch: pytest.MonkeyPatch
) -> None:
    # Small chunks, so nine resumes take three CPU calls and three progress reports.
    monkeypatch.setattr(ranking_handler, "CHUNK_SIZE", 4)
    token = await api.token("recruiter")
    job_id = await parse_posting(api, token)
    levels: dict[str, Level] = {}
    for seed in range(3):
        for level in ("poor", "partial", "strong"):
            levels[await put_resume(api, "recruiter", level, seed)] = level
    others = {await put_resume(api, "rival", "strong", seed) for seed in range(2)}

    started = await rank(api, token, job=job_id, all=True)
    assert started["__typename"] == "RankingTask", started
    assert started["task"]["status"] == "COMPLETED", started
    assert started["task"]["result"]["count"] == 9
    ranking = started["ranking"]
    assert ranking["status"] == "READY" and ranking["count"] == 9 and ranking["jobId"] == job_id
    entries = ranking["entries"]
    assert [e["rank"] for e in entries] == list(range(1, 10))
    assert {e["resumeId"] for e in entries} == set(levels) and not others & set(levels)
    order = [levels[e["resumeId"]] for e in entries]
    assert order == ["strong"] * 3 + ["partial"] * 3 + ["poor"] * 3, entries
    scores = [e["overallScore"] for e in entries]
    assert scores == sorted(scores, reverse=True)
    best, worst = entries[0], entries[-1]
    assert best["candidateName"] and best["skillsScore"] > worst["skillsScore"]
    assert len(best["matchedSkills"]) == 5 and "Python" in worst["missingSkills"]
    assert best["reason"].startswith(f"{best['overallScore']}/100: ")
    assert "required skills" in best["reason"] and ranking["skipped"] == []

    rows = await api.runtime.redis.xrange(api.runtime.keys.user_events(api.user("recruiter")))
    events = [TaskEvent.from_json(fields[b"e"], str(row_id)) for row_id, fields in rows]
    messages = [
        (e.progress, e.message)
        for e in events
        if str(e.task_id) == started["task"]["id"] and e.status == "running"
    ]
    chunks = [m for _, m in messages if m.startswith("scored ")]
    assert chunks == ["scored 4 of 9 resumes", "scored 8 of 9 resumes", "scored 9 of 9 resumes"]
    percents = [p for p, _ in messages]
    assert percents == sorted(percents), messages

    # Read back by id; another user sees nothing.
    again = await api.gql(RANKING, {"id": started["rankingId"]}, token=token)
    assert again["data"]["ranking"]["count"] == 9
    assert again["data"]["ranking"]["entries"] == [{"rank": 1}, {"rank": 2}]
    rival = await api.gql(RANKING, {"id": started["rankingId"]}, token=await api.token("rival"))
    assert rival["data"] is None and rival["errors"][0]["extensions"]["code"] == "NOT_FOUND"


async def test_listed_ids_rank_only_the_callers_and_report_the_rest(api: Api) -> None:
    token = await api.token("lister")
    job_id = await parse_posting(api, token)
    strong = await put_resume(api, "lister", "strong", 1)
    poor = await put_resume(api, "lister", "poor", 1)
    unparsed = await put_resume(api, "lister", "strong", 2, parsed=False)
    unlisted = await put_resume(api, "lister", "strong", 3)
    theirs = await put_resume(api, "owner", "strong", 4)
    unknown = str(uuid.uuid4())

    started = await rank(api, token, job=job_id, ids=[poor, strong, theirs, unknown, unparsed])
    ranking = started["ranking"]
    assert [e["resumeId"] for e in ranking["entries"]] == [strong, poor]
    assert unlisted not in {e["resumeId"] for e in ranking["entries"]}
    skipped = {s["resumeId"]: s["reason"] for s in ranking["skipped"]}
    assert skipped == {theirs: "not found", unknown: "not found", unparsed: "not parsed"}


async def test_bad_input_is_refused_before_any_task(api_factory: ApiFactory) -> None:
    async with api_factory(max_rank_resumes=2) as api:
        token = await api.token("careless")
        job_id = await parse_posting(api, token)
        tasks_before = await api.task_count("careless")
        one = str(uuid.uuid4())

        async def refused(**variables: Any) -> dict[str, Any]:
            result = await rank(api, token, **variables)
            assert result["__typename"] != "RankingTask", result
            return result

        neither = await refused(job=job_id)
        assert (neither["code"], neither["field"]) == ("INVALID_INPUT", "resumeIds")
        assert "exactly one of resumeIds or all" in neither["message"]
        both = await refused(job=job_id, ids=[one], all=True)
        assert both["code"] == "INVALID_INPUT" and "got both" in both["message"]
        empty = await refused(job=job_id, ids=[])
        assert empty["code"] == "INVALID_INPUT" and "1 to 2" in empty["message"]
        too_many = await refused(job=job_id, ids=[str(uuid.uuid4()) for _ in range(3)])
        assert too_many["code"] == "INVALID_INPUT" and "(got 3)" in too_many["message"]
        malformed = await refused(job=job_id, ids=["nope"])
        assert (malformed["code"], malformed["field"]) == ("INVALID_INPUT", "resumeIds")
        no_job = await refused(job=str(uuid.uuid4()), all=True)
        assert no_job["code"] == "NOT_FOUND"

        pending_job = str(uuid.uuid4())
        await api.runtime.documents.put(
            kind="job",
            user_id=api.user("careless"),
            doc_id=pending_job,
            data={},
            meta={"source": "text", "status": "pending"},
        )
        unparsed = await refused(job=pending_job, all=True)
        assert unparsed["code"] == "CONFLICT"
        assert await api.task_count("careless") == tasks_before

        # `all` over the cap fails the task with the reason, rather than ranking a part.
        for seed in range(3):
            await put_resume(api, "careless", "partial", seed)
        over = await rank(api, token, job=job_id, all=True)
        assert over["task"]["status"] == "FAILED" and over["ranking"] is None
        assert "more than 2 resumes" in over["task"]["errorMessage"]
