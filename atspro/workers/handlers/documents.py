"""Reading the stored inputs a handler works on (uploads, parsed resumes and jobs)."""

from __future__ import annotations

from atspro.cpu_pool import run_cpu
from atspro.documents.store import DocumentStore
from atspro.errors import NotFoundError, PermanentError
from atspro.extraction import ExtractionLimits, extract_document
from atspro.extraction.document import ExtractedDocument
from atspro.jobs.model import Job
from atspro.resume.model import Resume
from atspro.workers.context import TaskContext


def store(ctx: TaskContext) -> DocumentStore:
    """The document store handlers write to."""
    documents: DocumentStore = ctx.services.documents
    return documents


async def load_upload(ctx: TaskContext, blob_id: str) -> ExtractedDocument:
    """The stored upload's text; DocumentError (permanent) when it cannot be read."""
    try:
        blob = await store(ctx).get_blob(user_id=ctx.user_id, blob_id=blob_id)
    except NotFoundError as exc:
        raise PermanentError("the uploaded file is no longer stored; upload it again") from exc
    limits = ExtractionLimits.from_settings(ctx.settings)
    # CPU-bound: in the CPU worker process, so other tasks and requests keep flowing.
    return await run_cpu(extract_document, blob.data, limits=limits, filename=blob.filename)


async def load_resume(ctx: TaskContext, resume_id: str) -> Resume:
    """A parsed resume of the task's owner."""
    try:
        doc = await store(ctx).get(kind="resume", user_id=ctx.user_id, doc_id=resume_id)
    except NotFoundError as exc:
        raise PermanentError(f"resume {resume_id} not found (was it parsed, or deleted?)") from exc
    if doc.meta.get("status") != "parsed":
        raise PermanentError(f"resume {resume_id} has not been parsed yet")
    return Resume.model_validate(doc.data)


async def load_job(ctx: TaskContext, job_id: str) -> Job:
    """A parsed job posting of the task's owner."""
    try:
        doc = await store(ctx).get(kind="job", user_id=ctx.user_id, doc_id=job_id)
    except NotFoundError as exc:
        raise PermanentError(f"job {job_id} not found (was it parsed, or deleted?)") from exc
    if doc.meta.get("status") != "parsed":
        raise PermanentError(f"job {job_id} has not been parsed yet")
    return Job.model_validate(doc.data)
