"""The whole job-seeker flow over real HTTP: upload, parse, score, tailor, research, download."""

from __future__ import annotations

import asyncio
import io
import json
import threading
from collections.abc import Iterator
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any

import docx
import pytest

from tests.shared_data import shared_file

from .conftest import Api, ApiFactory
from .samples import JOB_TEXT, RESUME_TEXT

UPLOAD = """mutation($file: Upload!, $wait: Int) {
  parseResume(file: $file, wait: $wait) {
    __typename
    ... on ResumeTask { resumeId task { id status errorMessage errorKind } resume { id status } }
    ... on InputError { message field }
  }
}"""
PARSE_JOB = """mutation($url: String, $text: String, $wait: Int) {
  parseJob(url: $url, text: $text, wait: $wait) {
    __typename
    ... on JobTask { jobId task { id status errorMessage } }
    ... on InputError { message field }
  }
}"""


async def upload(
    api: Api, token: str, data: bytes, filename: str, wait: int = 30
) -> dict[str, Any]:
    operations = {"query": UPLOAD, "variables": {"file": None, "wait": wait}}
    r = await api.client.post(
        "/graphql",
        data={"operations": json.dumps(operations), "map": json.dumps({"0": ["variables.file"]})},
        files={"0": (filename, data, "application/octet-stream")},
        headers={"Authorization": f"Bearer {token}"},
    )
    body = r.json()
    assert "errors" not in body, body
    return body["data"]["parseResume"]  # type: ignore[no-any-return]


def resume_docx() -> bytes:
    document = docx.Document()
    for line in RESUME_TEXT.splitlines():
        if line in ("Summary", "Experience", "Education", "Skills"):
            document.add_heading(line, level=2)
        elif line.startswith("- "):
            document.add_paragraph(line[2:], style="List Bullet")
        elif line:
            document.add_paragraph(line)
    out = io.BytesIO()
    document.save(out)
    return out.getvalue()


async def test_upload_parse_score_tailor_research_download(api: Api) -> None:
    token = await api.token("seeker")
    started = await upload(api, token, resume_docx(), "cv.docx")
    assert started["__typename"] == "ResumeTask"
    assert started["task"]["status"] == "COMPLETED", started
    resume_id = started["resumeId"]
    assert started["resume"] == {"id": resume_id, "status": "READY"}
    body = await api.gql(
        """query($id: ID!) { resume(id: $id) { status filename content { contactInfo { fullName email phone }
           workExperience { company position startDate isCurrent } skills } jsonResume markdown } }""",
        {"id": resume_id},
        token=token,
    )
    resume = body["data"]["resume"]
    assert resume["status"] == "READY" and resume["filename"] == "cv.docx"
    assert resume["content"]["contactInfo"]["email"] == "jordan.avery@example.org"
    assert resume["content"]["contactInfo"]["fullName"] == "Jordan Avery"
    assert {w["company"] for w in resume["content"]["workExperience"]} >= {
        "Northwind Analytics",
        "Blue Harbor Labs",
    }
    assert resume["jsonResume"]["basics"]["email"] == "jordan.avery@example.org"
    assert "Jordan Avery" in resume["markdown"]

    job = (await api.gql(PARSE_JOB, {"text": JOB_TEXT, "wait": 30}, token=token))["data"][
        "parseJob"
    ]
    assert job["task"]["status"] == "COMPLETED", job
    job_body = await api.gql(
        "query($id: ID!) { job(id: $id) { status source content { title requiredSkills salary { min max currency } } } }",
        {"id": job["jobId"]},
        token=token,
    )
    content = job_body["data"]["job"]["content"]
    assert content["title"] == "Senior Backend Engineer"
    assert content["salary"]["min"] == 70000 and content["salary"]["currency"] == "GBP"

    pair = {"r": resume_id, "j": job["jobId"]}
    scored = await api.gql(
        """mutation($r: ID!, $j: ID!) { scoreMatch(resumeId: $r, jobId: $j, wait: 30) {
             __typename ... on MatchTask { matchId task { status } match { id overallScore } } } }""",
        pair,
        token=token,
    )
    match_id = scored["data"]["scoreMatch"]["matchId"]
    match = (
        await api.gql(
            """query($id: ID!) { match(id: $id) { status overallScore content { overallScore skillsScore rationale
             keywords { hardSkills { matched { keyword foundIn { section snippet } } missing { keyword } } } } } }""",
            {"id": match_id},
            token=token,
        )
    )["data"]["match"]
    assert match["status"] == "READY"
    assert scored["data"]["scoreMatch"]["match"] == {
        "id": match_id,
        "overallScore": match["overallScore"],
    }
    assert (
        0 <= match["overallScore"] <= 100
        and match["overallScore"] == match["content"]["overallScore"]
    )
    matched = {m["keyword"].lower() for m in match["content"]["keywords"]["hardSkills"]["matched"]}
    assert "python" in matched
    assert all(m["foundIn"] for m in match["content"]["keywords"]["hardSkills"]["matched"])
    jobs_scores = await api.gql(
        "query($id: ID!) { job(id: $id) { scores } }", {"id": job["jobId"]}, token=token
    )
    assert jobs_scores["data"]["job"]["scores"][resume_id]["matchId"] == match_id

    tailored = await api.gql(
        """mutation($r: ID!, $j: ID!) { optimizeResume(resumeId: $r, jobId: $j, wait: 30) {
             __typename ... on DocumentTask { documentId task { status errorMessage }
               document { id details } } } }""",
        pair,
        token=token,
    )
    doc_id = tailored["data"]["optimizeResume"]["documentId"]
    doc = (
        await api.gql(
            "query($id: ID!) { document(id: $id) { status documentType title markdown details downloadUrl(format: PDF) } }",
            {"id": doc_id},
            token=token,
        )
    )["data"]["document"]
    assert doc["documentType"] == "tailored_resume" and doc["status"] == "READY"
    assert "Jordan Avery" in doc["markdown"] and "Northwind Analytics" in doc["markdown"]
    assert doc["details"]["afterScore"] >= doc["details"]["beforeScore"]
    assert doc["details"]["resume"]["contactInfo"]["fullName"] == "Jordan Avery"
    assert tailored["data"]["optimizeResume"]["document"] == {
        "id": doc_id,
        "details": doc["details"],
    }
    for fmt, magic in (("pdf", b"%PDF"), ("docx", b"PK"), ("md", b"#"), ("html", b"<")):
        r = await api.client.get(
            f"/documents/{doc_id}/download",
            params={"format": fmt},
            headers={"Authorization": f"Bearer {token}"},
        )
        assert r.status_code == 200, r.text
        assert r.content.lstrip().startswith(magic), fmt
    other = await api.token("snoop")
    r = await api.client.get(
        f"/documents/{doc_id}/download", headers={"Authorization": f"Bearer {other}"}
    )
    assert r.status_code == 404
    r = await api.client.get(f"/documents/{doc_id}/download")
    assert r.status_code == 401

    research = await api.gql(
        """mutation($r: ID!, $j: ID!) { researchCompany(resumeId: $r, jobId: $j, wait: 30) {
             ... on DocumentTask { documentId task { status } document { documentType } } } }""",
        pair,
        token=token,
    )
    rid = research["data"]["researchCompany"]["documentId"]
    assert research["data"]["researchCompany"]["document"] == {"documentType": "research_report"}
    report = (
        await api.gql(
            "query($id: ID!) { document(id: $id) { markdown documentType } }",
            {"id": rid},
            token=token,
        )
    )["data"]["document"]
    assert report["documentType"] == "research_report"
    assert report["markdown"].count("?") >= 8

    listing = await api.gql(
        "{ documents { nodes { id documentType } } matches { nodes { id } } resumes { nodes { id } } jobs { nodes { id } } }",
        token=token,
    )
    assert {d["id"] for d in listing["data"]["documents"]["nodes"]} == {doc_id, rid}
    # Another user sees none of it.
    for query, key in (
        ("resume", resume_id),
        ("job", job["jobId"]),
        ("match", match_id),
        ("document", doc_id),
    ):
        body = await api.gql(
            f"query($id: ID!) {{ {query}(id: $id) {{ id }} }}", {"id": key}, token=other
        )
        assert body["errors"][0]["extensions"]["code"] == "NOT_FOUND"
    empty = await api.gql("{ documents { nodes { id } } resumes { nodes { id } } }", token=other)
    assert empty["data"] == {"documents": {"nodes": []}, "resumes": {"nodes": []}}
    denied = await api.gql(
        "mutation($r: ID!, $j: ID!) { scoreMatch(resumeId: $r, jobId: $j) { __typename } }",
        pair,
        token=other,
    )
    assert denied["data"]["scoreMatch"]["__typename"] == "NotFoundError"

    deleted = await api.gql(
        "mutation($id: ID!) { deleteResume(id: $id) { __typename ... on Deleted { id } } }",
        {"id": resume_id},
        token=token,
    )
    assert deleted["data"]["deleteResume"] == {"__typename": "Deleted", "id": resume_id}
    gone = await api.gql(
        "query($id: ID!) { resume(id: $id) { id } }", {"id": resume_id}, token=token
    )
    assert gone["errors"][0]["extensions"]["code"] == "NOT_FOUND"


async def test_unreadable_upload_fails_permanently_with_a_clear_error(api: Api) -> None:
    token = await api.token("uploader")
    for data, name, expected in (
        (b"\x89PNG\r\n\x1a\n" + b"\x00" * 200, "photo.pdf", "PNG"),
        (b"%PDF-1.4\n1 0 obj\n<< /Type /Catalog", "broken.pdf", ""),
    ):
        started = await upload(api, token, data, name)
        task = started["task"]
        assert task["status"] == "FAILED", task
        assert started["resume"] is None
        assert task["errorKind"] == "permanent"
        assert expected in task["errorMessage"]
        status = await api.gql(
            "query($id: ID!) { resume(id: $id) { status error content { summary } } }",
            {"id": started["resumeId"]},
            token=token,
        )
        assert status["data"]["resume"]["status"] == "FAILED"
        assert status["data"]["resume"]["error"] == task["errorMessage"]
        assert status["data"]["resume"]["content"] is None


async def test_upload_limits_and_bad_input(api_factory: ApiFactory) -> None:
    async with api_factory(max_upload_bytes=1024) as api:
        token = await api.token("limits")
        too_big = await upload(api, token, b"a" * 2048, "big.txt")
        assert too_big["__typename"] == "InputError" and "1024" not in too_big["message"]
        assert too_big["field"] == "file"
        empty = await upload(api, token, b"", "empty.txt")
        assert empty["__typename"] == "InputError"
        two = await api.gql(PARSE_JOB, {"url": "https://example.org/j", "text": "x"}, token=token)
        assert two["data"]["parseJob"]["__typename"] == "InputError"
        assert "exactly one" in two["data"]["parseJob"]["message"]
        none = await api.gql(PARSE_JOB, {}, token=token)
        assert "exactly one" in none["data"]["parseJob"]["message"]
        bad = await api.gql(PARSE_JOB, {"url": "file:///etc/passwd"}, token=token)
        assert bad["data"]["parseJob"]["field"] == "url"
        # Nothing was queued by refused calls.
        assert await api.task_count("limits") == 0


@pytest.fixture
def job_site() -> Iterator[tuple[str, list[str]]]:
    """A local careers site on 127.0.0.1 (the only fake: the outside world)."""
    hits: list[str] = []

    class Handler(BaseHTTPRequestHandler):
        def do_GET(self) -> None:
            hits.append(self.path)
            if self.path == "/":
                body = (
                    b"<html><body><main><h1>Acme Cloud</h1><p>Acme Cloud builds archival "
                    b"storage for research laboratories across Europe.</p></main></body></html>"
                )
                self.send_response(200)
                self.send_header("Content-Type", "text/html; charset=utf-8")
                self.send_header("Content-Length", str(len(body)))
                self.end_headers()
                self.wfile.write(body)
                return
            body = (
                "<html><head><title>Senior Backend Engineer</title></head><body><main>"
                + "".join(f"<p>{line}</p>" for line in JOB_TEXT.splitlines() if line)
                + "</main></body></html>"
            ).encode()
            self.send_response(200)
            self.send_header("Content-Type", "text/html; charset=utf-8")
            self.send_header("Content-Length", str(len(body)))
            self.end_headers()
            self.wfile.write(body)

        def log_message(self, *args: object) -> None:
            pass

    server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield f"http://127.0.0.1:{server.server_address[1]}", hits
    finally:
        server.shutdown()
        server.server_close()


async def test_parse_job_from_url_respects_the_fetch_guard(
    api_factory: ApiFactory, job_site: tuple[str, list[str]]
) -> None:
    base, hits = job_site
    async with api_factory() as api:
        token = await api.token("guarded")
        refused = (await api.gql(PARSE_JOB, {"url": base + "/jobs/1", "wait": 30}, token=token))[
            "data"
        ]["parseJob"]
        assert refused["task"]["status"] == "FAILED"
        assert (
            "127.0.0.1" in refused["task"]["errorMessage"]
            or "loopback" in refused["task"]["errorMessage"]
        )
        assert hits == []
    async with api_factory(fetch_allowed_hosts=[base]) as api:
        token = await api.token("allowed")
        job = (await api.gql(PARSE_JOB, {"url": base + "/jobs/1", "wait": 30}, token=token))[
            "data"
        ]["parseJob"]
        assert job["task"]["status"] == "COMPLETED", job
        assert hits == ["/jobs/1"]
        body = await api.gql(
            "query($id: ID!) { job(id: $id) { url source content { title link } } }",
            {"id": job["jobId"]},
            token=token,
        )
        assert body["data"]["job"]["content"]["title"] == "Senior Backend Engineer"
        assert body["data"]["job"]["url"] == base + "/jobs/1"


async def test_score_needs_parsed_inputs(api: Api) -> None:
    token = await api.token("eager")
    job = (await api.gql(PARSE_JOB, {"text": JOB_TEXT, "wait": 30}, token=token))["data"][
        "parseJob"
    ]
    body = await api.gql(
        "mutation($r: ID!, $j: ID!) { scoreMatch(resumeId: $r, jobId: $j) { __typename ... on UserError { message } } }",
        {"r": "not-an-id", "j": job["jobId"]},
        token=token,
    )
    assert body["data"]["scoreMatch"]["__typename"] == "InputError"


async def test_real_pdf_resume_round_trip(api: Api) -> None:
    pdf = shared_file("resumes/resume-matcher/bruce_wayne_fullstack.pdf")
    token = await api.token("pdf")
    started = await upload(api, token, pdf.read_bytes(), "bruce_wayne_fullstack.pdf")
    assert started["task"]["status"] == "COMPLETED", started
    body = await api.gql(
        "query($id: ID!) { resume(id: $id) { content { contactInfo { fullName } workExperience { company } } } }",
        {"id": started["resumeId"]},
        token=token,
    )
    content = body["data"]["resume"]["content"]
    assert content["contactInfo"]["fullName"]
    assert content["workExperience"]
    await asyncio.sleep(0)


async def test_research_reads_the_company_site_when_allowed(
    api_factory: ApiFactory, job_site: tuple[str, list[str]]
) -> None:
    base, hits = job_site
    async with api_factory(fetch_allowed_hosts=[base], research_fetch_enabled=True) as api:
        token = await api.token("researcher")
        resume = await upload(api, token, RESUME_TEXT.encode(), "cv.txt")
        job = (await api.gql(PARSE_JOB, {"url": base + "/careers/42", "wait": 30}, token=token))[
            "data"
        ]["parseJob"]
        pair = {"r": resume["resumeId"], "j": job["jobId"]}
        research = await api.gql(
            """mutation($r: ID!, $j: ID!) { researchCompany(resumeId: $r, jobId: $j, wait: 30) {
                 ... on DocumentTask { documentId task { status } } } }""",
            pair,
            token=token,
        )
        started = research["data"]["researchCompany"]
        assert started["task"]["status"] == "COMPLETED"
        assert "/" in hits
        doc = await api.gql(
            "query($id: ID!) { document(id: $id) { markdown } }",
            {"id": started["documentId"]},
            token=token,
        )
        assert "archival storage for research laboratories" in doc["data"]["document"]["markdown"]
