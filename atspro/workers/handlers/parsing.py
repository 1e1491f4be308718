"""parse_resume and parse_job: documents and pages in, structured resumes and jobs out."""

from __future__ import annotations

import logging
from typing import Any

from atspro.cpu_pool import run_cpu
from atspro.errors import TaskError
from atspro.jobs.fetch import PageFetcher
from atspro.jobs.model import Job
from atspro.jobs.service import parse_job_from_document, parse_job_from_text, parse_job_from_url
from atspro.progress import ProgressFn
from atspro.resume.model import Resume
from atspro.resume.parser import parse_resume_document
from atspro.workers.context import HandlerResult, TaskContext
from atspro.workers.handlers.documents import load_upload, store
from atspro.workers.handlers.fallback import allow_offline

log = logging.getLogger(__name__)

# Pages the offline parser read as free text; structured data (JSON-LD, microdata, board
# APIs) is authoritative and never goes to the model.
_FREE_TEXT_SOURCES = frozenset({"html", "document", "text"})


async def parse_resume(ctx: TaskContext) -> HandlerResult:
    """Extract the uploaded file, parse it (model when configured, else offline), store it."""
    resume_id: str = ctx.payload["resume_id"]
    await ctx.progress(5, "extracting text")
    doc = await load_upload(ctx, ctx.payload["upload_id"])
    await ctx.progress(40, "parsing")
    engine = "offline"
    resume: Resume | None = None
    if ctx.services.llm is not None:
        from atspro.llm.resume import parse_resume_with_model

        try:
            resume = await parse_resume_with_model(doc.text, client=ctx.services.llm)
            engine = "model"
        except TaskError as exc:
            if not allow_offline(ctx, exc, step="resume parse"):
                raise
    if resume is None:
        resume = await run_cpu(parse_resume_document, doc)
    await ctx.progress(85, "storing")
    meta = {
        "status": "parsed",
        "engine": engine,
        "filename": ctx.payload.get("filename", ""),
        "media_type": doc.media_type,
        "pages": doc.page_count,
        "task_id": str(ctx.task.id),
        "name": resume.contact_info.full_name,
    }
    await store(ctx).put(
        kind="resume",
        user_id=ctx.user_id,
        doc_id=resume_id,
        data=resume.model_dump(mode="json"),
        meta=meta,
    )
    return HandlerResult(result={"resumeId": resume_id, "engine": engine}, result_id=resume_id)


async def parse_job(ctx: TaskContext) -> HandlerResult:
    """Parse a posting from a URL, pasted text or an uploaded document, and store it."""
    job_id: str = ctx.payload["job_id"]
    source: str = ctx.payload["source"]
    job: Job
    llm = ctx.services.llm
    if source == "url":
        url: str = ctx.payload["url"]
        fetcher = ctx.services.extras.get("fetcher")
        # With a model, fetching and the offline read are the first half of the work.
        progress = ctx.progress if llm is None else _scaled(ctx.progress, 0.5)
        user = ctx.user_id
        if isinstance(fetcher, PageFetcher):
            job = await parse_job_from_url(url, fetcher=fetcher, user_id=user, progress=progress)
        else:
            async with PageFetcher.from_settings(ctx.settings) as own:
                job = await parse_job_from_url(url, fetcher=own, user_id=user, progress=progress)
        if llm is not None and job.source in _FREE_TEXT_SOURCES:
            job = await _read_page_with_model(ctx, job)
    else:
        if source == "text":
            text: str = ctx.payload["text"]
            await ctx.progress(20, "parsing")
            parsed: Any = None
        else:
            await ctx.progress(10, "extracting text")
            doc = await load_upload(ctx, ctx.payload["upload_id"])
            text = doc.text
            await ctx.progress(40, "parsing")
            parsed = doc
        job = await _parse_text(ctx, text, parsed)
    engine = "model" if llm is not None and job.source == "model" else "offline"
    await ctx.progress(85, "storing")
    meta = {
        "status": "parsed",
        "engine": engine,
        "source": source,
        "url": ctx.payload.get("url"),
        "filename": ctx.payload.get("filename"),
        "task_id": str(ctx.task.id),
        "title": job.title,
        "company": job.company,
    }
    await store(ctx).put(
        kind="job", user_id=ctx.user_id, doc_id=job_id, data=job.model_dump(mode="json"), meta=meta
    )
    return HandlerResult(result={"jobId": job_id, "engine": engine}, result_id=job_id)


async def _parse_text(ctx: TaskContext, text: str, doc: Any) -> Job:
    llm = ctx.services.llm
    if llm is not None:
        from atspro.llm.jobs import parse_job_with_model

        try:
            job = await parse_job_with_model(text, client=llm)
            return job.model_copy(update={"source": "model"})
        except TaskError as exc:
            if not allow_offline(ctx, exc, step="job parse"):
                raise
    if doc is not None:
        return await run_cpu(parse_job_from_document, doc)
    return await run_cpu(parse_job_from_text, text)


async def _read_page_with_model(ctx: TaskContext, page_job: Job) -> Job:
    """The model reads the main text of a page without structured data (grounded in it).

    Title and company the model cannot find there may come from the page's metadata.
    """
    from atspro.llm.jobs import parse_job_with_model

    await ctx.progress(60, "reading the posting")
    try:
        job = await parse_job_with_model(page_job.description, client=ctx.services.llm)
    except TaskError as exc:
        if not allow_offline(ctx, exc, step="job page parse"):
            raise
        return page_job
    return job.model_copy(
        update={
            "source": "model",
            "link": page_job.link,
            "title": job.title or page_job.title,
            "company": job.company or page_job.company,
        }
    )


def _scaled(progress: ProgressFn, factor: float) -> ProgressFn:
    """``progress`` with every percentage multiplied by ``factor``."""

    async def report(percent: int, message: str) -> None:
        await progress(int(percent * factor), message)

    return report
