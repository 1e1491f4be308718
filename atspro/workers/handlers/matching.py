"""score, optimize and research: what a job seeker comes for, built on parsed inputs."""

from __future__ import annotations

import asyncio
import logging

from atspro.cpu_pool import run_cpu
from atspro.errors import TaskError
from atspro.jobs.fetch import PageFetcher
from atspro.jobs.model import Job
from atspro.matching import score_match
from atspro.matching.result import MatchResult
from atspro.research import SitePage, build_research_report, read_company_site
from atspro.resume.export import to_markdown
from atspro.resume.model import Resume
from atspro.tailoring import TailoredResume, check_tailoring, render_markdown, tailor_resume
from atspro.workers.context import HandlerResult, TaskContext
from atspro.workers.handlers.documents import load_job, load_resume, store
from atspro.workers.handlers.fallback import allow_offline

log = logging.getLogger(__name__)


async def _inputs(ctx: TaskContext) -> tuple[str, str, Resume, Job]:
    resume_id: str = ctx.payload["resume_id"]
    job_id: str = ctx.payload["job_id"]
    await ctx.progress(5, "loading the resume and the job")
    resume, job = await asyncio.gather(load_resume(ctx, resume_id), load_job(ctx, job_id))
    return resume_id, job_id, resume, job


async def score(ctx: TaskContext) -> HandlerResult:
    """Score the resume against the job; store the result and note it on the job."""
    resume_id, job_id, resume, job = await _inputs(ctx)
    await ctx.progress(30, "scoring")
    result: MatchResult = await run_cpu(score_match, resume, job)
    engine = "offline"
    if ctx.services.llm is not None:
        result, engine = await _narrate(ctx, result)
    await ctx.progress(80, "storing")
    match_id: str = ctx.payload["match_id"]
    documents = store(ctx)
    await documents.put(
        kind="match",
        user_id=ctx.user_id,
        doc_id=match_id,
        data=result.model_dump(mode="json"),
        meta={
            "resume_id": resume_id,
            "job_id": job_id,
            "overall_score": result.overall_score,
            "engine": engine,
            "status": "ready",
            "task_id": str(ctx.task.id),
        },
    )
    # The job remembers its latest score per resume, so a job list can show it.
    job_doc = await documents.get(kind="job", user_id=ctx.user_id, doc_id=job_id)
    scores = dict(job_doc.meta.get("scores") or {})
    scores[resume_id] = {"matchId": match_id, "overallScore": result.overall_score}
    await documents.put(
        kind="job",
        user_id=ctx.user_id,
        doc_id=job_id,
        data=job_doc.data,
        meta={**job_doc.meta, "scores": scores, "last_match_id": match_id},
    )
    summary = {"matchId": match_id, "overallScore": result.overall_score}
    return HandlerResult(result=summary, result_id=match_id)


async def _narrate(ctx: TaskContext, result: MatchResult) -> tuple[MatchResult, str]:
    """With a model, it writes the rationale and advice over the computed facts."""
    from atspro.llm.narrative import write_match_narrative

    facts = result.model_dump(mode="json")
    try:
        story = await write_match_narrative(facts, client=ctx.services.llm)
    except TaskError as exc:
        if not allow_offline(ctx, exc, step="match narrative"):
            raise
        return result, "offline"
    update = {
        "rationale": story.rationale or result.rationale,
        "recommendations": story.recommendations or result.recommendations,
        "strengths": story.strengths or result.strengths,
        "gaps": story.gaps or result.gaps,
    }
    return result.model_copy(update=update), "model"


async def optimize(ctx: TaskContext) -> HandlerResult:
    """Tailor the resume to the job; the hard-rule checker has passed what is stored."""
    resume_id, job_id, resume, job = await _inputs(ctx)
    await ctx.progress(30, "tailoring")
    tailored = await run_cpu(tailor_resume, resume, job)
    engine = "offline"
    if ctx.services.llm is not None:
        await ctx.progress(50, "rewording bullets")
        tailored, engine = await _rephrase(ctx, resume, job, tailored)
    await ctx.progress(80, "storing")
    document_id: str = ctx.payload["document_id"]
    title = f"{resume.contact_info.full_name or 'Resume'} for {job.title or 'the role'}"
    if job.company:
        title += f" at {job.company}"
    await store(ctx).put(
        kind="document",
        user_id=ctx.user_id,
        doc_id=document_id,
        data={
            "markdown": tailored.markdown,
            "resume": tailored.resume.model_dump(mode="json"),
            "before_score": tailored.before_score,
            "after_score": tailored.after_score,
            "missing_keywords": tailored.missing_keywords,
            "changes": tailored.changes,
            "term_changes": [c.model_dump() for c in tailored.term_changes],
        },
        meta={
            "document_type": "tailored_resume",
            "status": "ready",
            "title": title,
            "format": "markdown",
            "resume_id": resume_id,
            "job_id": job_id,
            "engine": engine,
            "task_id": str(ctx.task.id),
        },
    )
    summary = {
        "documentId": document_id,
        "beforeScore": tailored.before_score,
        "afterScore": tailored.after_score,
    }
    return HandlerResult(result=summary, result_id=document_id)


async def _rephrase(
    ctx: TaskContext, resume: Resume, job: Job, tailored: TailoredResume
) -> tuple[TailoredResume, str]:
    """With a model, the bullets are reworded in the posting's terms; the rewording is kept only
    when every hard rule still holds and the score does not drop (else the offline result)."""
    from atspro.llm.tailoring import rephrase_bullets

    bullets = [b for role in tailored.resume.work_experience for b in role.responsibilities]
    if not bullets:
        return tailored, "offline"
    before: MatchResult = await run_cpu(score_match, resume, job)
    try:
        rewritten = await rephrase_bullets(
            bullets, matched_keywords(before), client=ctx.services.llm
        )
    except TaskError as exc:
        if not allow_offline(ctx, exc, step="bullet rewording"):
            raise
        return tailored, "offline"
    if rewritten == bullets:
        return tailored, "offline"
    accepted = await run_cpu(accept_rewording, resume, job, tailored, rewritten)
    if accepted is None:
        log.info(
            "task %s: the model's rewording broke a hard rule; kept the offline one", ctx.task.id
        )
        return tailored, "offline"
    return accepted, "model"


def matched_keywords(result: MatchResult) -> list[str]:
    """The posting's keywords the resume already has, in every category."""
    groups = result.keywords
    found = [
        match.keyword
        for group in (
            groups.hard_skills,
            groups.soft_skills,
            groups.job_title,
            groups.certifications,
        )
        for match in group.matched
    ]
    return list(dict.fromkeys(found))


def accept_rewording(
    original: Resume, job: Job, tailored: TailoredResume, bullets: list[str]
) -> TailoredResume | None:
    """``tailored`` with ``bullets`` in place, or None when that breaks a rule or lowers the score."""
    resume = tailored.resume.model_copy(deep=True)
    remaining = iter(bullets)
    changed = 0
    for role in resume.work_experience:
        new = [next(remaining) for _ in role.responsibilities]
        changed += sum(a != b for a, b in zip(role.responsibilities, new, strict=True))
        role.responsibilities = new
    markdown = render_markdown(resume, order=tailored.section_order)
    if check_tailoring(original, resume, job) or check_tailoring(original, markdown, job):
        return None
    after = score_match(resume, job, today=tailored.scored_on).overall_score
    if after < tailored.after_score:
        return None
    note = f"Reworded {changed} bullet(s) in the posting's terms, keeping every fact."
    return tailored.model_copy(
        update={
            "markdown": markdown,
            "resume": resume,
            "after_score": after,
            "changes": [*tailored.changes, note],
        }
    )


async def research(ctx: TaskContext) -> HandlerResult:
    """A company and role report from the posting and resume (and a model, when configured)."""
    resume_id, job_id, resume, job = await _inputs(ctx)
    site = await company_site(ctx, job) if ctx.settings.research_fetch_enabled else []
    await ctx.progress(30, "researching")
    report = await run_cpu(build_research_report, resume, job, site=site)
    markdown = report.markdown
    engine = "offline"
    if ctx.services.llm is not None:
        from atspro.llm.research import Source, write_research_report

        await ctx.progress(50, "writing the report")
        posting = posting_text(job)
        try:
            markdown = await write_research_report(
                posting_text=posting,
                resume_summary=to_markdown(resume),
                sources=([Source(url=job.link, text=posting)] if job.link else [])
                + [Source(url=page.url, text=page.text) for page in site],
                client=ctx.services.llm,
            )
            engine = "model"
        except TaskError as exc:
            if not allow_offline(ctx, exc, step="research report"):
                raise
    await ctx.progress(85, "storing")
    document_id: str = ctx.payload["document_id"]
    await store(ctx).put(
        kind="document",
        user_id=ctx.user_id,
        doc_id=document_id,
        data={"markdown": markdown, "report": report.model_dump(mode="json")},
        meta={
            "document_type": "research_report",
            "status": "ready",
            "title": f"Research: {report.company} — {job.title or 'the role'}",
            "format": "markdown",
            "resume_id": resume_id,
            "job_id": job_id,
            "engine": engine,
            "task_id": str(ctx.task.id),
        },
    )
    return HandlerResult(result={"documentId": document_id}, result_id=document_id)


async def company_site(ctx: TaskContext, job: Job) -> list[SitePage]:
    """The company's home, about and careers pages, behind the same fetch guard as job pages.

    Only for a company site: a job board's home page says nothing about the employer.
    """
    await ctx.progress(10, "reading the company's site")
    async with PageFetcher.from_settings(ctx.settings) as fetcher:
        return await read_company_site(fetcher, job, user_id=ctx.user_id)


def posting_text(job: Job) -> str:
    """The posting as text from all its fields: a model-parsed description is only the overview."""
    head = (job.title, job.company, ", ".join(job.location), job.salary.text, job.description)
    lines = [part for part in head if part]
    sections = (
        ("Responsibilities", job.responsibilities),
        ("Requirements", job.qualifications),
        ("Nice to have", job.preferred_qualifications),
        ("Benefits", job.benefits),
        ("Logistics", job.logistics),
        ("Additional information", job.additional_info),
    )
    for heading, items in sections:
        # An offline-parsed description is the whole posting already; add only what it lacks.
        missing = [item for item in items if item not in job.description]
        if missing:
            lines += ["", heading, *(f"- {item}" for item in missing)]
    return "\n".join(lines)
