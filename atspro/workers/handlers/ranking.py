"""rankResumes: many of the owner's resumes scored against one job, as one task.

The resumes are read a page at a time from the document store (only the task owner's, so
another user's id is simply never found) and scored in the CPU worker process a chunk at a
time: one call per chunk amortises pickling, and progress is reported after each.
"""

from __future__ import annotations

import logging
from collections.abc import Sequence
from datetime import date
from typing import Any

from atspro.cpu_pool import run_cpu
from atspro.documents.store import MAX_PAGE_SIZE
from atspro.errors import PermanentError
from atspro.jobs.model import Job
from atspro.matching import prepare_job
from atspro.matching.profile import JobProfile
from atspro.matching.ranking import order_entries, rank_chunk
from atspro.progress import ProgressFn, no_progress
from atspro.workers.context import HandlerResult, TaskContext
from atspro.workers.handlers.documents import load_job, store

log = logging.getLogger(__name__)

#: Resumes per CPU call: large enough that pickling and the round trip stay small beside
#: the scoring (about 1.5 ms a resume), small enough for progress to move every ~0.2 s.
CHUNK_SIZE = 100


async def _owned_resumes(
    ctx: TaskContext, wanted: set[str] | None, cap: int
) -> tuple[list[tuple[str, dict[str, Any]]], list[dict[str, str]]]:
    """(id, resume JSON) of the owner's parsed resumes (``wanted`` ones, or all), newest first,
    and the skipped ones with why. PermanentError when there are more than ``cap``."""
    found: list[tuple[str, dict[str, Any]]] = []
    skipped: list[dict[str, str]] = []
    seen: set[str] = set()
    after: str | None = None
    while True:
        page = await store(ctx).list(
            kind="resume", user_id=ctx.user_id, first=MAX_PAGE_SIZE, after=after
        )
        for doc in page.items:
            if wanted is not None and doc.id not in wanted:
                continue
            seen.add(doc.id)
            if doc.meta.get("status") != "parsed":
                skipped.append({"resume_id": doc.id, "reason": "not parsed"})
            else:
                found.append((doc.id, doc.data))
        if len(found) > cap:
            raise PermanentError(
                f"more than {cap} resumes to rank (MAX_RANK_RESUMES); pass resumeIds instead"
            )
        if not page.has_next_page or (wanted is not None and seen >= wanted):
            break
        after = page.end_cursor
    if wanted is not None:
        # Unknown, deleted or someone else's: all look the same to the owner.
        skipped += [{"resume_id": rid, "reason": "not found"} for rid in sorted(wanted - seen)]
    return found, skipped


async def score_resumes(
    job: Job,
    resumes: Sequence[tuple[str, dict[str, Any]]],
    *,
    today: date,
    progress: ProgressFn = no_progress,
) -> list[dict[str, Any]]:
    """Ranking entries of ``(id, resume JSON)`` pairs, best first: the job is prepared once,
    the resumes scored ``CHUNK_SIZE`` per CPU call, progress (10-95%) after each call."""
    profile: JobProfile = await run_cpu(prepare_job, job)
    total = len(resumes)
    entries: list[dict[str, Any]] = []
    for start in range(0, total, CHUNK_SIZE):
        chunk = resumes[start : start + CHUNK_SIZE]
        entries += await run_cpu(rank_chunk, profile, chunk, today=today)
        done = len(entries)
        await progress(10 + 85 * done // total, f"scored {done} of {total} resumes")
    return order_entries(entries)


async def rank_resumes(ctx: TaskContext) -> HandlerResult:
    """Score the chosen resumes against the job in chunks; store the ranking, best first."""
    job_id: str = ctx.payload["job_id"]
    ranking_id: str = ctx.payload["ranking_id"]
    ids: list[str] | None = ctx.payload.get("resume_ids")
    await ctx.progress(2, "loading the job and the resumes")
    job = await load_job(ctx, job_id)
    resumes, skipped = await _owned_resumes(
        ctx, None if ids is None else set(ids), ctx.settings.max_rank_resumes
    )
    total = len(resumes)
    await ctx.progress(10, f"scoring {total} resumes")
    ranked = await score_resumes(job, resumes, today=date.today(), progress=ctx.progress)
    await store(ctx).put(
        kind="ranking",
        user_id=ctx.user_id,
        doc_id=ranking_id,
        data={"entries": ranked, "skipped": skipped},
        meta={
            "job_id": job_id,
            "job_title": job.title,
            "count": total,
            "status": "ready",
            "task_id": str(ctx.task.id),
        },
    )
    summary: dict[str, Any] = {"rankingId": ranking_id, "count": total, "skipped": len(skipped)}
    if ranked:
        summary["topResumeId"] = ranked[0]["resume_id"]
        summary["topScore"] = ranked[0]["overall_score"]
    return HandlerResult(result=summary, result_id=ranking_id)
