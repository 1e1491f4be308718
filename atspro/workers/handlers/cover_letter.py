"""writeCoverLetter: a cover letter from the resume's facts, under the tailoring guardrails."""

from __future__ import annotations

import asyncio
import logging

from atspro.cpu_pool import run_cpu
from atspro.errors import TaskError
from atspro.jobs.model import Job
from atspro.llm.cover_letter import write_cover_letter_paragraphs
from atspro.resume.export import to_markdown
from atspro.resume.model import Resume
from atspro.tailoring import TailoringError
from atspro.tailoring.cover_letter import CoverLetter, letter_from_paragraphs
from atspro.tailoring.cover_letter import write_cover_letter as write_offline
from atspro.workers.context import HandlerResult, TaskContext
from atspro.workers.handlers.documents import load_job, load_resume, store
from atspro.workers.handlers.fallback import allow_offline
from atspro.workers.handlers.matching import posting_text

log = logging.getLogger(__name__)


async def write_cover_letter(ctx: TaskContext) -> HandlerResult:
    """Write and store a cover letter; the guardrail check has passed what is stored."""
    resume_id: str = ctx.payload["resume_id"]
    job_id: str = ctx.payload["job_id"]
    await ctx.progress(5, "loading the resume and the job")
    resume, job = await asyncio.gather(load_resume(ctx, resume_id), load_job(ctx, job_id))
    await ctx.progress(30, "writing")
    letter = await run_cpu(write_offline, resume, job)
    engine = "offline"
    if ctx.services.llm is not None:
        await ctx.progress(50, "writing with the model")
        letter, engine = await _with_model(ctx, resume, job, letter)
    await ctx.progress(80, "storing")
    document_id: str = ctx.payload["document_id"]
    title = f"Cover letter: {job.title or 'the role'}" + (
        f" at {job.company}" if job.company else ""
    )
    await store(ctx).put(
        kind="document",
        user_id=ctx.user_id,
        doc_id=document_id,
        data={
            "markdown": letter.markdown,
            "paragraphs": letter.paragraphs,
            "skills": letter.skills,
        },
        meta={
            "document_type": "cover_letter",
            "status": "ready",
            "title": title,
            "format": "markdown",
            "resume_id": resume_id,
            "job_id": job_id,
            "engine": engine,
            "task_id": str(ctx.task.id),
        },
    )
    return HandlerResult(result={"documentId": document_id}, result_id=document_id)


async def _with_model(
    ctx: TaskContext, resume: Resume, job: Job, offline: CoverLetter
) -> tuple[CoverLetter, str]:
    """The model's letter when it passes the same guardrails, else the offline one."""
    try:
        paragraphs = await write_cover_letter_paragraphs(
            resume_markdown=to_markdown(resume),
            posting=posting_text(job),
            skills=offline.skills,
            client=ctx.services.llm,
        )
    except TaskError as exc:
        if not allow_offline(ctx, exc, step="cover letter"):
            raise
        return offline, "offline"
    if not paragraphs:
        return offline, "offline"
    try:
        letter = await run_cpu(
            letter_from_paragraphs, resume, job, paragraphs, skills=offline.skills
        )
    except TailoringError as exc:
        log.info(
            "task %s: the model's cover letter broke a rule (%s); kept the offline one",
            ctx.task.id,
            exc.message,
        )
        return offline, "offline"
    return letter, "model"
