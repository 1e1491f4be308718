"""Unexpected errors in a resolver are masked for the caller and logged with their path;
expected (typed) errors are shown as they are."""

from __future__ import annotations

import logging
import uuid

import pytest

from atspro.auth import authenticate

from .conftest import Api


async def test_corrupt_stored_data_is_masked_and_logged(
    api: Api, caplog: pytest.LogCaptureFixture
) -> None:
    token = await api.token("mo")
    user = (await authenticate(api.runtime.pool, token, better_auth=False)).user_id
    resume_id = str(uuid.uuid4())
    # Marked parsed, but the stored content is not a resume: reading it fails unexpectedly.
    await api.runtime.documents.put(
        kind="resume",
        user_id=user,
        doc_id=resume_id,
        data={"work_experience": "not a list"},
        meta={"status": "parsed", "filename": "cv.pdf"},
    )
    caplog.set_level(logging.ERROR, logger="atspro.schema.errors")
    body = await api.gql(
        "query($id: ID!) { resume(id: $id) { filename content { summary } } }",
        {"id": resume_id},
        token=token,
    )
    # Only the failing field is null; the rest of the answer stands.
    assert body["data"] == {"resume": {"filename": "cv.pdf", "content": None}}
    (error,) = body["errors"]
    assert error["message"] == "Unexpected error."
    assert error["path"] == ["resume", "content"]
    assert "work_experience" not in str(body) and "validation" not in str(body).lower()
    logged = [r for r in caplog.records if r.name == "atspro.schema.errors"]
    assert logged and "resume" in logged[0].getMessage() and "content" in logged[0].getMessage()
    assert logged[0].exc_info is not None and logged[0].exc_info[0] is not None
    assert logged[0].exc_info[0].__name__ == "ValidationError"


async def test_typed_errors_are_not_masked_or_logged(
    api: Api, caplog: pytest.LogCaptureFixture
) -> None:
    token = await api.token("mo")
    caplog.set_level(logging.ERROR, logger="atspro.schema.errors")
    body = await api.gql(
        "query($id: ID!) { resume(id: $id) { filename } }", {"id": str(uuid.uuid4())}, token=token
    )
    assert body["errors"][0]["extensions"] == {"code": "NOT_FOUND"}
    assert "not found" in body["errors"][0]["message"]
    unauthenticated = await api.gql("{ resumes { nodes { id } } }")
    assert unauthenticated["errors"][0]["extensions"] == {"code": "UNAUTHENTICATED"}
    assert not [r for r in caplog.records if r.name == "atspro.schema.errors"]
