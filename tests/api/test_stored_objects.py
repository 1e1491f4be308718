"""Resumes, jobs, matches and documents over real HTTP: status from the task behind each
object, filters, deletes, job uploads, and the typed errors of the mutations."""

from __future__ import annotations

import json
import uuid
from typing import Any

from atspro.auth import authenticate
from atspro.tasks.model import TaskStatus

from .conftest import Api

DOC_FIELDS = "id status error task { id status } taskId documentType title markdown details"


async def login(api: Api, name: str) -> tuple[str, str]:
    """A token for a test user and the user id stored behind it (tests share a database)."""
    token = await api.token(name)
    principal = await authenticate(api.runtime.pool, token, better_auth=False)
    return token, principal.user_id


async def put(api: Api, kind: str, user: str, *, data: Any = None, **meta: Any) -> str:
    doc_id = str(uuid.uuid4())
    await api.runtime.documents.put(
        kind=kind, user_id=user, doc_id=doc_id, data=data or {}, meta=meta
    )
    return doc_id


async def test_status_follows_the_task_until_the_result_is_stored(api: Api) -> None:
    token, sam = await login(api, "sam")
    query = f"query($id: ID!) {{ document(id: $id) {{ {DOC_FIELDS} }} }}"

    async def doc(doc_id: str) -> dict[str, Any]:
        body = await api.gql(query, {"id": doc_id}, token=token)
        assert "errors" not in body, body
        return body["data"]["document"]  # type: ignore[no-any-return]

    no_task = await doc(await put(api, "document", sam, title="draft"))
    assert (no_task["status"], no_task["task"], no_task["taskId"]) == ("PENDING", None, None)

    gone = await doc(await put(api, "document", sam, task_id=str(uuid.uuid4())))
    assert (gone["status"], gone["task"]) == ("FAILED", None)
    assert gone["error"] == "its task expired before it finished"

    # A finished task whose document is not marked ready yet: the write is still landing.
    task = await api.runtime.tasks.submit(user_id=sam, task_type="noop", payload={})
    done = await api.runtime.tasks.wait(user_id=sam, task_id=task.id, wait_s=20)
    assert done.status is TaskStatus.COMPLETED
    racing = await doc(await put(api, "document", sam, task_id=str(task.id)))
    assert racing["status"] == "RUNNING"
    assert racing["task"] == {"id": str(task.id), "status": "COMPLETED"}
    assert (racing["markdown"], racing["details"]) == (None, None)

    ready = await doc(
        await put(
            api,
            "document",
            sam,
            data={"markdown": "# Hi", "score": 7},
            status="ready",
            document_type="tailored_resume",
            title="Hi",
        )
    )
    assert (ready["status"], ready["markdown"], ready["details"]) == ("READY", "# Hi", {"score": 7})
    assert ready["documentType"] == "tailored_resume"


async def test_lists_filter_by_type_job_and_resume(api: Api) -> None:
    token, tess = await login(api, "tess")
    job_a, job_b, resume = str(uuid.uuid4()), str(uuid.uuid4()), str(uuid.uuid4())
    report = await put(api, "document", tess, document_type="research_report", job_id=job_a)
    tailored = await put(api, "document", tess, document_type="tailored_resume", job_id=job_b)
    m1 = await put(api, "match", tess, job_id=job_a, resume_id=resume)
    m2 = await put(api, "match", tess, job_id=job_b, resume_id=str(uuid.uuid4()))
    await put(api, "match", f"else-{uuid.uuid4().hex[:6]}", job_id=job_a, resume_id=resume)

    docs = "query($t: String, $j: ID) { documents(documentType: $t, jobId: $j) { nodes { id } } }"

    async def ids(query: str, variables: dict[str, Any], field: str) -> set[str]:
        body = await api.gql(query, variables, token=token)
        assert "errors" not in body, body
        return {n["id"] for n in body["data"][field]["nodes"]}

    assert await ids(docs, {}, "documents") == {report, tailored}
    assert await ids(docs, {"t": "research_report"}, "documents") == {report}
    assert await ids(docs, {"j": job_b}, "documents") == {tailored}
    matches = "query($j: ID, $r: ID) { matches(jobId: $j, resumeId: $r) { nodes { id jobId } } }"
    assert await ids(matches, {}, "matches") == {m1, m2}
    assert await ids(matches, {"j": job_a}, "matches") == {m1}
    assert await ids(matches, {"r": resume}, "matches") == {m1}
    bad = await api.gql(matches, {"j": "nope"}, token=token)
    assert bad["errors"][0]["extensions"] == {"code": "INVALID_INPUT", "field": "jobId"}


async def test_deletes_are_scoped_and_report_unknown_ids(api: Api) -> None:
    token, uma = await login(api, "uma")
    vic = f"vic-{uuid.uuid4().hex[:6]}"
    mutation = """mutation($id: ID!) {
      deleteResume(id: $id) { __typename ... on Deleted { id } ... on UserError { code } } }"""
    # A resume whose upload already expired is still deleted.
    resume = await put(api, "resume", uma, filename="cv.pdf")
    first = await api.gql(mutation, {"id": resume}, token=token)
    assert first["data"]["deleteResume"] == {"__typename": "Deleted", "id": resume}
    again = await api.gql(mutation, {"id": resume}, token=token)
    assert again["data"]["deleteResume"] == {"__typename": "NotFoundError", "code": "NOT_FOUND"}

    for field, kind in (("deleteJob", "job"), ("deleteDocument", "document")):
        mine = await put(api, kind, uma)
        theirs = await put(api, kind, vic)
        query = mutation.replace("deleteResume", field)
        stranger = await api.gql(query, {"id": theirs}, token=token)
        assert stranger["data"][field]["__typename"] == "NotFoundError"
        assert (await api.gql(query, {"id": mine}, token=token))["data"][field]["id"] == mine
        malformed = await api.gql(query, {"id": "x"}, token=token)
        assert malformed["data"][field] == {"__typename": "InputError", "code": "INVALID_INPUT"}
    # The other user's job and document are untouched.
    assert len((await api.runtime.documents.list(kind="job", user_id=vic)).items) == 1


async def test_parse_job_from_an_uploaded_file(api: Api) -> None:
    token = await api.token("wes")
    posting = (
        "Data Engineer\nGlobex - Berlin\n\nRequirements\n- 3+ years of Python\n- SQL and Airflow\n"
    )
    operations = {
        "query": """mutation($file: Upload!) { parseJob(file: $file, wait: 30) {
            __typename ... on JobTask { jobId task { status } } } }""",
        "variables": {"file": None},
    }
    reply = await api.client.post(
        "/graphql",
        data={"operations": json.dumps(operations), "map": json.dumps({"0": ["variables.file"]})},
        files={"0": ("posting.txt", posting.encode(), "text/plain")},
        headers={"Authorization": f"Bearer {token}"},
    )
    result = reply.json()["data"]["parseJob"]
    assert result["__typename"] == "JobTask" and result["task"]["status"] == "COMPLETED", result
    body = await api.gql(
        "query($id: ID!) { job(id: $id) { status source content { title } } "
        'jobs(source: "file") { nodes { id } } }',
        {"id": result["jobId"]},
        token=token,
    )
    assert body["data"]["job"]["status"] == "READY" and body["data"]["job"]["source"] == "file"
    assert "Data Engineer" in body["data"]["job"]["content"]["title"]
    assert [n["id"] for n in body["data"]["jobs"]["nodes"]] == [result["jobId"]]


async def test_job_text_and_pair_mutations_refuse_bad_input(api: Api) -> None:
    token, xia = await login(api, "xia")
    parse = """mutation($text: String) { parseJob(text: $text) {
        __typename ... on InputError { field message } } }"""
    blank = await api.gql(parse, {"text": "   "}, token=token)
    assert blank["data"]["parseJob"]["__typename"] == "InputError"
    assert blank["data"]["parseJob"]["field"] == "text"

    pending_resume = await put(api, "resume", xia)
    parsed_job = await put(api, "job", xia, status="parsed")
    pair = """mutation($r: ID!, $j: ID!) {{ {field}(resumeId: $r, jobId: $j) {{
        __typename ... on UserError {{ message code }} }} }}"""
    for field in ("scoreMatch", "optimizeResume", "researchCompany"):
        query = pair.format(field=field)
        unparsed = await api.gql(query, {"r": pending_resume, "j": parsed_job}, token=token)
        assert unparsed["data"][field]["__typename"] == "ConflictError", unparsed
        assert "not parsed yet" in unparsed["data"][field]["message"]
        bad = await api.gql(query, {"r": "?", "j": parsed_job}, token=token)
        assert bad["data"][field]["__typename"] == "InputError"
        missing = await api.gql(query, {"r": str(uuid.uuid4()), "j": parsed_job}, token=token)
        assert missing["data"][field]["__typename"] == "NotFoundError"
    # Nothing was queued by the refused calls.
    assert (
        await api.runtime.pool.fetchval("SELECT count(*) FROM tasks WHERE user_id = $1", xia) == 0
    )
