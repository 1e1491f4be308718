"""Handlers whose stored inputs are missing or unparsed fail at once (permanently) with a
message that says which input and what to do; nothing is retried."""

from __future__ import annotations

import uuid
from typing import Any

from atspro.jobs.model import Job
from atspro.resume.model import Resume
from atspro.runtime import Runtime
from atspro.tasks.model import TaskRecord, TaskStatus
from atspro.workers.handlers import default_registry
from tests.workers.conftest import RuntimeFactory

SHIPPED = {name: default_registry().get(name) for name in ("parse_resume", "score", "optimize")}


async def run(rt: Runtime, user: str, task_type: str, payload: dict[str, Any]) -> TaskRecord:
    record = await rt.tasks.submit(user_id=user, task_type=task_type, payload=payload)
    return await rt.tasks.wait(user_id=user, task_id=record.id, wait_s=30)


async def put(rt: Runtime, kind: str, user: str, **meta: Any) -> str:
    """A stored resume or job; its content is valid, so only ``meta`` decides the outcome."""
    doc_id = str(uuid.uuid4())
    data = Job(description="Build Python services.") if kind == "job" else Resume()
    await rt.documents.put(
        kind=kind, user_id=user, doc_id=doc_id, data=data.model_dump(mode="json"), meta=meta
    )
    return doc_id


async def test_missing_or_unparsed_inputs_fail_permanently(runtime_factory: RuntimeFactory) -> None:
    async with runtime_factory(SHIPPED, max_retries=3) as rt:
        user = f"inputs-{uuid.uuid4().hex[:6]}"
        gone = await run(
            rt,
            user,
            "parse_resume",
            {"resume_id": str(uuid.uuid4()), "upload_id": str(uuid.uuid4())},
        )
        assert gone.status is TaskStatus.FAILED and gone.retry_count == 0
        assert gone.error_message == "the uploaded file is no longer stored; upload it again"

        parsed_job = await put(rt, "job", user, status="parsed")
        pending_job = await put(rt, "job", user, status="pending")
        parsed_resume = await put(rt, "resume", user, status="parsed")
        pending_resume = await put(rt, "resume", user, status="pending")
        missing = str(uuid.uuid4())
        cases = [
            ("score", missing, parsed_job, f"resume {missing} not found"),
            ("score", pending_resume, parsed_job, f"resume {pending_resume} has not been parsed"),
            ("optimize", parsed_resume, missing, f"job {missing} not found"),
            ("optimize", parsed_resume, pending_job, f"job {pending_job} has not been parsed"),
        ]
        for task_type, resume_id, job_id, says in cases:
            out = str(uuid.uuid4())
            payload = {
                "resume_id": resume_id,
                "job_id": job_id,
                "match_id": out,
                "document_id": out,
            }
            done = await run(rt, user, task_type, payload)
            assert done.status is TaskStatus.FAILED, (task_type, done)
            assert done.retry_count == 0
            assert done.error_message is not None and done.error_message.startswith(says)
