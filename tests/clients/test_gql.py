"""Python's gql: the pipeline over its HTTP transport (httpx, multipart upload) and its
WebSocket transport (subscriptions, and mutations over the same socket)."""

from __future__ import annotations

import asyncio
import contextlib
from collections.abc import AsyncIterator
from pathlib import Path
from typing import Any

from gql import Client, FileVar, GraphQLRequest
from gql.transport.httpx import HTTPXAsyncTransport
from gql.transport.websockets import WebsocketsTransport

from tests.api.samples import JOB_TEXT, RESUME_TEXT

from .conftest import Api

EVENTS = """subscription($after: String) {
  taskUpdates(after: $after) { eventId taskId status errorMessage resultId } }"""
PARSE_RESUME = """mutation($file: Upload!) { parseResume(file: $file) {
  ... on ResumeTask { resumeId task { id } } ... on InputError { message } } }"""
PARSE_JOB = """mutation($text: String!) { parseJob(text: $text) {
  ... on JobTask { jobId task { id } } ... on InputError { message } } }"""
SCORE = """mutation($resumeId: ID!, $jobId: ID!) { scoreMatch(resumeId: $resumeId, jobId: $jobId) {
  ... on MatchTask { matchId task { id } } ... on UserError { message } } }"""
OPTIMIZE = """mutation($resumeId: ID!, $jobId: ID!) {
  optimizeResume(resumeId: $resumeId, jobId: $jobId) {
    ... on DocumentTask { documentId task { id } } ... on UserError { message } } }"""
RESULTS = """query($resumeId: ID!, $jobId: ID!, $matchId: ID!, $documentId: ID!) {
  resume(id: $resumeId) { status content { contactInfo { fullName } } }
  job(id: $jobId) { status content { title } }
  match(id: $matchId) { status overallScore }
  document(id: $documentId) { status markdown downloadUrl(format: PDF) } }"""


class Follower:
    """Events of ``taskUpdates`` as they arrive; ``finished`` waits for one task's end."""

    def __init__(self) -> None:
        self.events: list[dict[str, Any]] = []
        self._changed = asyncio.Condition()

    async def run(self, session: Any) -> None:
        request = GraphQLRequest(EVENTS, variable_values={"after": "0-0"})
        async for result in session.subscribe(request):
            async with self._changed:
                self.events.append(result["taskUpdates"])
                self._changed.notify_all()

    async def finished(self, task_id: str) -> dict[str, Any]:
        def final() -> dict[str, Any] | None:
            ends = ("COMPLETED", "FAILED", "CANCELLED")
            return next(
                (e for e in self.events if e["taskId"] == task_id and e["status"] in ends), None
            )

        async with asyncio.timeout(20), self._changed:
            await self._changed.wait_for(lambda: final() is not None)
        event = final()
        assert event is not None and event["status"] == "COMPLETED", event
        return event


@contextlib.asynccontextmanager
async def following(session: Any) -> AsyncIterator[Follower]:
    follower = Follower()
    task = asyncio.create_task(follower.run(session))
    try:
        yield follower
    finally:
        task.cancel()
        with contextlib.suppress(asyncio.CancelledError):
            await task


async def test_gql_over_http_and_websocket(api: Api, tmp_path: Path) -> None:
    token = await api.token("gql")
    resume_path = tmp_path / "jordan-avery.txt"
    resume_path.write_text(RESUME_TEXT)
    http = HTTPXAsyncTransport(
        url=api.url + "/graphql", headers={"Authorization": f"Bearer {token}"}
    )
    ws = WebsocketsTransport(url=api.ws_url, init_payload={"Authorization": f"Bearer {token}"})
    async with Client(transport=http) as over_http, Client(transport=ws) as over_ws:
        async with following(over_ws) as follower:
            upload = GraphQLRequest(
                PARSE_RESUME,
                variable_values={"file": FileVar(str(resume_path), content_type="text/plain")},
            )
            resume = (await over_http.execute(upload, upload_files=True))["parseResume"]
            # A mutation over the socket, as gql users who send everything there do.
            job_request = GraphQLRequest(PARSE_JOB, variable_values={"text": JOB_TEXT})
            job = (await over_ws.execute(job_request))["parseJob"]
            await follower.finished(resume["task"]["id"])
            await follower.finished(job["task"]["id"])

            ids = {"resumeId": resume["resumeId"], "jobId": job["jobId"]}
            match = (await over_http.execute(GraphQLRequest(SCORE, variable_values=ids)))[
                "scoreMatch"
            ]
            doc = (await over_http.execute(GraphQLRequest(OPTIMIZE, variable_values=ids)))[
                "optimizeResume"
            ]
            assert (await follower.finished(match["task"]["id"]))["resultId"] == match["matchId"]
            written = await follower.finished(doc["task"]["id"])
            assert written["resultId"] == doc["documentId"]

        variables = {**ids, "matchId": match["matchId"], "documentId": doc["documentId"]}
        results = await over_http.execute(GraphQLRequest(RESULTS, variable_values=variables))
    assert results["resume"]["content"]["contactInfo"]["fullName"] == "Jordan Avery"
    assert "Backend Engineer" in results["job"]["content"]["title"]
    assert 0 < results["match"]["overallScore"] <= 100
    assert results["document"]["status"] == "READY"
    assert "Jordan Avery" in results["document"]["markdown"]

    pdf = await api.client.get(
        results["document"]["downloadUrl"], headers={"Authorization": f"Bearer {token}"}
    )
    assert pdf.status_code == 200 and pdf.headers["content-type"] == "application/pdf"
    assert pdf.content.startswith(b"%PDF-")
