"""writeCoverLetter over real HTTP: upload, parse, write the letter, read and download it."""

from __future__ import annotations

from .conftest import Api
from .samples import JOB_TEXT
from .test_pipeline import PARSE_JOB, resume_docx, upload

WRITE = """mutation($r: ID!, $j: ID!) { writeCoverLetter(resumeId: $r, jobId: $j, wait: 30) {
  __typename ... on DocumentTask { documentId task { status errorMessage } document { id } }
  ... on ConflictError { message } } }"""


async def test_write_cover_letter_and_download(api: Api) -> None:
    token = await api.token("letter")
    resume = await upload(api, token, resume_docx(), "cv.docx")
    job = (await api.gql(PARSE_JOB, {"text": JOB_TEXT, "wait": 30}, token=token))["data"][
        "parseJob"
    ]
    pair = {"r": resume["resumeId"], "j": job["jobId"]}
    started = (await api.gql(WRITE, pair, token=token))["data"]["writeCoverLetter"]
    assert started["__typename"] == "DocumentTask", started
    assert started["task"]["status"] == "COMPLETED", started
    doc_id = started["documentId"]
    doc = (
        await api.gql(
            "query($id: ID!) { document(id: $id) { status documentType title markdown details } }",
            {"id": doc_id},
            token=token,
        )
    )["data"]["document"]
    assert doc["documentType"] == "cover_letter" and doc["status"] == "READY"
    assert doc["title"] == "Cover letter: Senior Backend Engineer at Acme Cloud"
    letter = doc["markdown"]
    assert letter.startswith("# Jordan Avery") and "Dear Acme Cloud hiring team," in letter
    assert "Northwind Analytics" in letter and letter.rstrip().endswith("Jordan Avery")
    assert doc["details"]["paragraphs"]
    for fmt, magic in (("pdf", b"%PDF"), ("docx", b"PK"), ("md", b"#")):
        r = await api.client.get(
            f"/documents/{doc_id}/download",
            params={"format": fmt},
            headers={"Authorization": f"Bearer {token}"},
        )
        assert r.status_code == 200, r.text
        assert r.content.lstrip().startswith(magic), fmt
    listed = await api.gql(
        '{ documents(documentType: "cover_letter") { nodes { id } } }', token=token
    )
    assert listed["data"]["documents"]["nodes"] == [{"id": doc_id}]


async def test_write_cover_letter_needs_parsed_inputs(api: Api) -> None:
    token = await api.token("letter-early")
    body = await api.gql(
        WRITE,
        {"r": "00000000-0000-0000-0000-000000000000", "j": "00000000-0000-0000-0000-000000000001"},
        token=token,
    )
    assert body["data"]["writeCoverLetter"]["__typename"] != "DocumentTask"
