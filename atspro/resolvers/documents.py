"""Resolvers for resumes, jobs, matches and generated documents, and the mutations that make them."""

from __future__ import annotations

import asyncio
import contextlib
import ctypes
import logging
import uuid
from collections.abc import Awaitable, Callable
from datetime import UTC, datetime
from typing import Annotated, Any, TypeVar
from urllib.parse import urlsplit

import strawberry
from redis.exceptions import RedisError
from strawberry.file_uploads import Upload

from atspro import errors
from atspro.documents.store import DocumentStore, StoredDocument
from atspro.schema.arguments import (
    After,
    DocumentId,
    First,
    JobId,
    MatchId,
    ParsedJobId,
    ParsedResumeId,
    RankingId,
    ResumeId,
    TaskPriority,
    Wait,
)
from atspro.schema.context import Context
from atspro.schema.documents import (
    Deleted,
    DeleteResult,
    Document,
    DocumentConnection,
    DocumentTask,
    DocumentTaskResult,
    Job,
    JobConnection,
    JobTask,
    Match,
    MatchConnection,
    MatchTask,
    ParseJobResult,
    ParseResumeResult,
    Ranking,
    RankingTask,
    RankResumesResult,
    Resume,
    ResumeConnection,
    ResumeTask,
    ScoreMatchResult,
)
from atspro.schema.errors import to_user_error
from atspro.schema.tasks import PageInfo, Task
from atspro.tasks.model import Priority, TaskRecord, TaskStatus, TaskType

log = logging.getLogger(__name__)

Info = strawberry.Info[Context, None]

_MAX_TEXT_CHARS = 200_000
_MAX_URL_CHARS = 2_000
_EXPECTED = (errors.InputError, errors.NotFoundError, errors.ConflictError)

T = TypeVar("T")

# An upload's bytes are freed when the request ends, but glibc keeps the freed arenas of
# many concurrent uploads mapped (50 concurrent 10 MB uploads left the process 700 MB
# larger). malloc_trim hands them back; it does not exist outside glibc.
_TRIM_AFTER_BYTES = 1024 * 1024
try:
    _malloc_trim: Callable[[int], int] | None = ctypes.CDLL("libc.so.6").malloc_trim
except (OSError, AttributeError):
    _malloc_trim = None
_trim_running = False
_DAY_S = 24 * 3600


async def _release_memory() -> None:
    """Return freed heap to the system after a large upload (one trim at a time)."""
    global _trim_running
    if _malloc_trim is None or _trim_running:
        return
    _trim_running = True
    try:
        # On a thread: trimming a large heap takes milliseconds the event loop should not.
        await asyncio.to_thread(_malloc_trim, 0)
    finally:
        _trim_running = False


async def _check_document_quota(info: Info, user_id: str) -> None:
    """Refuse a new document when the caller holds QUOTA_STORED_DOCUMENTS already."""
    limit = info.context.runtime.settings.quota_stored_documents
    if limit and (held := await _store(info).count(user_id=user_id)) >= limit:
        raise errors.QuotaExceeded(
            f"you have {held} stored documents, the most allowed is {limit}; delete some first",
            setting="quota_stored_documents",
        )


async def _reserve_upload_bytes(
    info: Info, user_id: str, size: int
) -> Callable[[], Awaitable[None]]:
    """Count ``size`` against the caller's daily upload quota; returns the refund.

    QuotaExceeded (and nothing counted) when it would go over QUOTA_UPLOAD_BYTES_PER_DAY.
    """
    runtime = info.context.runtime
    limit = runtime.settings.quota_upload_bytes_per_day

    async def refund() -> None:
        if limit:
            with contextlib.suppress(RedisError):
                await runtime.redis.decrby(key, size)

    if not limit:
        return refund
    key = runtime.keys.upload_bytes(user_id, datetime.now(UTC).date().isoformat())
    try:
        async with runtime.redis.pipeline(transaction=True) as pipe:
            pipe.incrby(key, size)
            pipe.expire(key, 2 * _DAY_S)
            total, _ = await pipe.execute()
    except RedisError as exc:
        raise errors.ServiceUnavailable(f"Redis is unreachable: {exc}") from exc
    if int(total) > limit:
        await refund()
        used = int(total) - size
        raise errors.QuotaExceeded(
            f"this {size}-byte file would take today's uploads to {int(total)} bytes of "
            f"{limit} allowed ({used} used)",
            setting="quota_upload_bytes_per_day",
            field="file",
        )
    return refund


async def _store_upload(info: Info, file: Upload, blob_id: str) -> str:
    """Read, count and store an upload as blob ``blob_id``; returns its file name.

    The bytes are read into memory once and handed to the store as is (no copy here).
    """
    user_id = await info.context.user_id()
    try:
        await _check_document_quota(info, user_id)
    except BaseException:
        # Refused before reading: the spooled file would otherwise stay open.
        await file.close()  # type: ignore[attr-defined]
        raise
    data, filename = await _read_upload(info, file)
    size = len(data)
    refund = await _reserve_upload_bytes(info, user_id, size)
    try:
        await _store(info).put_blob(
            user_id=user_id,
            blob_id=blob_id,
            data=data,
            filename=filename,
            media_type="application/octet-stream",
        )
    except BaseException:
        await refund()
        raise
    finally:
        del data
    if size >= _TRIM_AFTER_BYTES:
        await _release_memory()
    return filename


def _store(info: Info) -> DocumentStore:
    return info.context.runtime.documents


def _doc_id(value: str, *, field: str = "id") -> str:
    """Ids we issue are UUIDs; anything else is malformed."""
    try:
        return str(uuid.UUID(str(value)))
    except ValueError as exc:
        raise errors.InvalidId(str(value)[:100], field=field) from exc


async def _get(info: Info, kind: str, ident: str) -> StoredDocument:
    return await _store(info).get(
        kind=kind, user_id=await info.context.user_id(), doc_id=_doc_id(ident)
    )


async def _start(
    info: Info,
    *,
    kind: str,
    doc_id: str,
    task_type: TaskType,
    payload: dict[str, Any],
    meta: dict[str, Any],
    priority: Priority,
    wait: int | None,
) -> TaskRecord:
    """Create the placeholder the task will fill, then submit the task (maybe waiting)."""
    user_id = await info.context.user_id()
    service = info.context.runtime.tasks
    wait_s = service.check_wait(wait)
    await _check_document_quota(info, user_id)
    task_id = uuid.uuid4()
    await _store(info).put(
        kind=kind,
        user_id=user_id,
        doc_id=doc_id,
        data={},
        meta={**meta, "status": "pending", "task_id": str(task_id)},
    )
    return await service.submit_and_wait(
        wait_s=wait_s,
        user_id=user_id,
        task_type=task_type,
        payload=payload,
        priority=Priority(priority),
        task_id=task_id,
    )


async def _finished(
    info: Info,
    record: TaskRecord,
    load: Callable[[Info, strawberry.ID], Awaitable[T]],
    ident: str,
) -> T | None:
    """What the task stored, read by its query resolver, once the task completed; else None."""
    if record.status is not TaskStatus.COMPLETED:
        return None
    try:
        return await load(info, strawberry.ID(ident))
    except errors.NotFoundError:
        return None  # deleted between the task's end and this read: as if not there


async def _list(
    info: Info,
    *,
    kind: str,
    first: int,
    after: str | None,
    filters: dict[str, str] | None = None,
) -> tuple[list[StoredDocument], PageInfo]:
    """One page of the caller's documents of ``kind``, with its GraphQL page info."""
    page = await _store(info).list(
        kind=kind, user_id=await info.context.user_id(), first=first, after=after, filters=filters
    )
    return page.items, PageInfo(has_next_page=page.has_next_page, end_cursor=page.end_cursor)


async def _read_upload(info: Info, file: Upload) -> tuple[bytes, str]:
    """The uploaded bytes, refused early when over the size cap."""
    limit = info.context.runtime.settings.max_upload_bytes
    try:
        data: bytes = await file.read(limit + 1)  # type: ignore[attr-defined]
    finally:
        await file.close()  # type: ignore[attr-defined]
    name = str(getattr(file, "filename", "") or "upload")[:255]
    if len(data) > limit:
        raise errors.InputError(
            f"the file is larger than the {limit // (1024 * 1024)} MB limit", field="file"
        )
    if not data:
        raise errors.InputError("the file is empty", field="file")
    return data, name


# -- resumes ----------------------------------------------------------------------------


async def parse_resume(
    info: Info,
    file: Annotated[
        Upload,
        strawberry.argument(
            description=(
                "The resume file (PDF, DOCX, ODT, RTF, HTML, Markdown or text), sent as a "
                "GraphQL multipart upload; at most the server's MAX_UPLOAD_BYTES."
            )
        ),
    ],
    priority: TaskPriority = Priority.NORMAL,
    wait: Wait = None,
) -> ParseResumeResult:
    """Upload a resume (PDF, DOCX, ODT, RTF, HTML, Markdown, TXT) to be parsed."""
    try:
        info.context.runtime.tasks.check_wait(wait)
        resume_id = str(uuid.uuid4())
        filename = await _store_upload(info, file, resume_id)
        record = await _start(
            info,
            kind="resume",
            doc_id=resume_id,
            task_type=TaskType.PARSE_RESUME,
            payload={"resume_id": resume_id, "upload_id": resume_id, "filename": filename},
            meta={"filename": filename},
            priority=priority,
            wait=wait,
        )
    except errors.InputError as exc:
        return to_user_error(exc)  # type: ignore[return-value]
    return ResumeTask(
        task=Task.from_record(record),
        resume_id=strawberry.ID(resume_id),
        resume=await _finished(info, record, resume, resume_id),
    )


async def resume(info: Info, id: ResumeId) -> Resume:
    """One of the caller's resumes."""
    return Resume.from_stored(await _get(info, "resume", id))


async def resumes(info: Info, first: First = 20, after: After = None) -> ResumeConnection:
    """The caller's resumes, newest first."""
    items, page_info = await _list(info, kind="resume", first=first, after=after)
    return ResumeConnection(nodes=[Resume.from_stored(d) for d in items], page_info=page_info)


async def delete_resume(info: Info, id: ResumeId) -> DeleteResult:
    """Delete a resume and its uploaded file."""
    return await _delete(info, "resume", id, blob=True)


async def _delete(info: Info, kind: str, ident: str, *, blob: bool = False) -> DeleteResult:
    try:
        user_id = await info.context.user_id()
        doc_id = _doc_id(ident)
        await _store(info).delete(kind=kind, user_id=user_id, doc_id=doc_id)
        if blob:
            # The upload may have expired already; the document is what the caller deletes.
            with contextlib.suppress(errors.NotFoundError):
                await _store(info).delete_blob(user_id=user_id, blob_id=doc_id)
    except (errors.InputError, errors.NotFoundError) as exc:
        return to_user_error(exc)  # type: ignore[return-value]
    return Deleted(id=strawberry.ID(doc_id))


# -- jobs -------------------------------------------------------------------------------


def _check_url(url: str) -> str:
    url = url.strip()
    parts = urlsplit(url)
    if len(url) > _MAX_URL_CHARS or parts.scheme not in ("http", "https") or not parts.hostname:
        raise errors.InputError("url must be an absolute http(s) URL", field="url")
    return url


async def parse_job(
    info: Info,
    url: Annotated[
        str | None,
        strawberry.argument(
            description="The posting's absolute http(s) URL, fetched by the server."
        ),
    ] = None,
    text: Annotated[
        str | None,
        strawberry.argument(description="The posting's text, pasted (at most 200,000 characters)."),
    ] = None,
    file: Annotated[
        Upload | None,
        strawberry.argument(
            description="The posting as a file (PDF, DOCX, HTML, text...), a multipart upload."
        ),
    ] = None,
    priority: TaskPriority = Priority.NORMAL,
    wait: Wait = None,
) -> ParseJobResult:
    """Parse a posting from exactly one of: a URL, pasted text, or an uploaded file."""
    try:
        given = [name for name, value in (("url", url), ("text", text), ("file", file)) if value]
        if len(given) != 1:
            raise errors.InputError(
                "give exactly one of url, text or file"
                + (f" (got {', '.join(given)})" if given else ""),
                field="url" if not given else given[1] if len(given) > 1 else given[0],
            )
        info.context.runtime.tasks.check_wait(wait)
        job_id = str(uuid.uuid4())
        payload: dict[str, Any] = {"job_id": job_id, "source": given[0]}
        meta: dict[str, Any] = {"source": given[0]}
        if url:
            payload["url"] = meta["url"] = _check_url(url)
        elif text:
            if len(text) > _MAX_TEXT_CHARS or not text.strip():
                raise errors.InputError(
                    f"text must be 1-{_MAX_TEXT_CHARS} characters", field="text"
                )
            payload["text"] = text
        else:
            assert file is not None
            filename = await _store_upload(info, file, job_id)
            payload["upload_id"] = job_id
            meta["filename"] = filename
        record = await _start(
            info,
            kind="job",
            doc_id=job_id,
            task_type=TaskType.PARSE_JOB,
            payload=payload,
            meta=meta,
            priority=priority,
            wait=wait,
        )
    except errors.InputError as exc:
        return to_user_error(exc)  # type: ignore[return-value]
    return JobTask(
        task=Task.from_record(record),
        job_id=strawberry.ID(job_id),
        job=await _finished(info, record, job, job_id),
    )


async def job(info: Info, id: JobId) -> Job:
    """One of the caller's jobs."""
    return Job.from_stored(await _get(info, "job", id))


async def jobs(
    info: Info,
    source: Annotated[
        str | None,
        strawberry.argument(description="Only jobs given this way: url, text or file."),
    ] = None,
    first: First = 20,
    after: After = None,
) -> JobConnection:
    """The caller's jobs, newest first; ``source`` narrows to url, text or file."""
    items, page_info = await _list(
        info,
        kind="job",
        first=first,
        after=after,
        filters={"source": source} if source else None,
    )
    return JobConnection(nodes=[Job.from_stored(d) for d in items], page_info=page_info)


async def delete_job(info: Info, id: JobId) -> DeleteResult:
    """Delete a job (and its uploaded file, if any)."""
    return await _delete(info, "job", id, blob=True)


# -- matches and documents ----------------------------------------------------------------


async def _ready_pair(info: Info, resume_id: str, job_id: str) -> tuple[str, str]:
    """Both inputs exist for the caller and are parsed; else a clear error."""
    rid, jid = _doc_id(resume_id, field="resumeId"), _doc_id(job_id, field="jobId")
    user_id = await info.context.user_id()
    for kind, ident in (("resume", rid), ("job", jid)):
        doc = await _store(info).get(kind=kind, user_id=user_id, doc_id=ident)
        if doc.meta.get("status") != "parsed":
            raise errors.ConflictError(f"{kind} {ident} is not parsed yet; wait for its task")
    return rid, jid


async def _start_on_pair(
    info: Info,
    *,
    kind: str,
    task_type: TaskType,
    id_key: str,
    resume_id: str,
    job_id: str,
    priority: Priority,
    wait: int | None,
) -> tuple[TaskRecord, str]:
    rid, jid = await _ready_pair(info, resume_id, job_id)
    new_id = str(uuid.uuid4())
    record = await _start(
        info,
        kind=kind,
        doc_id=new_id,
        task_type=task_type,
        payload={"resume_id": rid, "job_id": jid, id_key: new_id},
        meta={"resume_id": rid, "job_id": jid},
        priority=priority,
        wait=wait,
    )
    return record, new_id


async def score_match(
    info: Info,
    resume_id: ParsedResumeId,
    job_id: ParsedJobId,
    priority: TaskPriority = Priority.NORMAL,
    wait: Wait = None,
) -> ScoreMatchResult:
    """Score how well a parsed resume matches a parsed job, as an ATS would."""
    try:
        record, match_id = await _start_on_pair(
            info,
            kind="match",
            task_type=TaskType.SCORE_MATCH,
            id_key="match_id",
            resume_id=resume_id,
            job_id=job_id,
            priority=priority,
            wait=wait,
        )
    except _EXPECTED as exc:
        return to_user_error(exc)
    return MatchTask(
        task=Task.from_record(record),
        match_id=strawberry.ID(match_id),
        match=await _finished(info, record, match, match_id),
    )


async def optimize_resume(
    info: Info,
    resume_id: ParsedResumeId,
    job_id: ParsedJobId,
    priority: TaskPriority = Priority.NORMAL,
    wait: Wait = None,
) -> DocumentTaskResult:
    """Write a resume tailored to the job, without inventing anything."""
    return await _document_task(info, TaskType.OPTIMIZE_RESUME, resume_id, job_id, priority, wait)


async def research_company(
    info: Info,
    resume_id: ParsedResumeId,
    job_id: ParsedJobId,
    priority: TaskPriority = Priority.NORMAL,
    wait: Wait = None,
) -> DocumentTaskResult:
    """Write a report on the company and role: fit, interview topics, questions, red flags."""
    return await _document_task(info, TaskType.RESEARCH_COMPANY, resume_id, job_id, priority, wait)


async def write_cover_letter(
    info: Info,
    resume_id: ParsedResumeId,
    job_id: ParsedJobId,
    priority: TaskPriority = Priority.NORMAL,
    wait: Wait = None,
) -> DocumentTaskResult:
    """Write a cover letter for the job from the resume's own facts."""
    return await _document_task(
        info, TaskType.WRITE_COVER_LETTER, resume_id, job_id, priority, wait
    )


async def _document_task(
    info: Info,
    task_type: TaskType,
    resume_id: str,
    job_id: str,
    priority: Priority,
    wait: int | None,
) -> DocumentTaskResult:
    try:
        record, document_id = await _start_on_pair(
            info,
            kind="document",
            task_type=task_type,
            id_key="document_id",
            resume_id=resume_id,
            job_id=job_id,
            priority=priority,
            wait=wait,
        )
    except _EXPECTED as exc:
        return to_user_error(exc)
    return DocumentTask(
        task=Task.from_record(record),
        document_id=strawberry.ID(document_id),
        document=await _finished(info, record, document, document_id),
    )


async def match(info: Info, id: MatchId) -> Match:
    """One of the caller's match results."""
    return Match.from_stored(await _get(info, "match", id))


async def matches(
    info: Info,
    job_id: Annotated[
        strawberry.ID | None, strawberry.argument(description="Only results for this job.")
    ] = None,
    resume_id: Annotated[
        strawberry.ID | None, strawberry.argument(description="Only results for this resume.")
    ] = None,
    first: First = 20,
    after: After = None,
) -> MatchConnection:
    """The caller's match results, newest first, optionally for one job or resume."""
    filters = {}
    if job_id:
        filters["job_id"] = _doc_id(job_id, field="jobId")
    if resume_id:
        filters["resume_id"] = _doc_id(resume_id, field="resumeId")
    items, page_info = await _list(
        info,
        kind="match",
        first=first,
        after=after,
        filters=filters or None,
    )
    return MatchConnection(nodes=[Match.from_stored(d) for d in items], page_info=page_info)


async def document(info: Info, id: DocumentId) -> Document:
    """One of the caller's generated documents."""
    return Document.from_stored(await _get(info, "document", id))


async def documents(
    info: Info,
    document_type: Annotated[
        str | None,
        strawberry.argument(
            description="Only this kind: tailored_resume, research_report or cover_letter."
        ),
    ] = None,
    job_id: Annotated[
        strawberry.ID | None, strawberry.argument(description="Only documents for this job.")
    ] = None,
    first: First = 20,
    after: After = None,
) -> DocumentConnection:
    """The caller's generated documents, newest first (``documentType``: tailored_resume, research_report)."""
    filters: dict[str, str] = {}
    if document_type:
        filters["document_type"] = document_type
    if job_id:
        filters["job_id"] = _doc_id(job_id, field="jobId")
    items, page_info = await _list(
        info,
        kind="document",
        first=first,
        after=after,
        filters=filters or None,
    )
    return DocumentConnection(nodes=[Document.from_stored(d) for d in items], page_info=page_info)


async def delete_document(info: Info, id: DocumentId) -> DeleteResult:
    """Delete a generated document."""
    return await _delete(info, "document", id)


# -- rankings ----------------------------------------------------------------------------


async def rank_resumes(
    info: Info,
    job_id: ParsedJobId,
    resume_ids: Annotated[
        list[strawberry.ID] | None,
        strawberry.argument(
            description=(
                "The resumes to rank (yours; others' and unknown ids are listed as skipped), "
                "at most the server's MAX_RANK_RESUMES. Give this or `all`, not both."
            )
        ),
    ] = None,
    all_: Annotated[
        bool,
        strawberry.argument(
            name="all",
            description="Rank every resume you own (at most MAX_RANK_RESUMES) instead of a list.",
        ),
    ] = False,
    priority: TaskPriority = Priority.NORMAL,
    wait: Wait = None,
) -> RankResumesResult:
    """Rank many resumes against one parsed job as one task, best first."""
    try:
        if (resume_ids is not None) == all_:
            raise errors.InputError(
                "give exactly one of resumeIds or all: true" + (" (got both)" if all_ else ""),
                field="resumeIds",
            )
        ids: list[str] | None = None
        if resume_ids is not None:
            ids = list(dict.fromkeys(_doc_id(r, field="resumeIds") for r in resume_ids))
            cap = info.context.runtime.settings.max_rank_resumes
            if not ids or len(ids) > cap:
                raise errors.InputError(
                    f"resumeIds must name 1 to {cap} resumes (got {len(ids)})",
                    field="resumeIds",
                )
        jid = _doc_id(job_id, field="jobId")
        job_doc = await _get(info, "job", jid)
        if job_doc.meta.get("status") != "parsed":
            raise errors.ConflictError(f"job {jid} is not parsed yet; wait for its task")
        ranking_id = str(uuid.uuid4())
        record = await _start(
            info,
            kind="ranking",
            doc_id=ranking_id,
            task_type=TaskType.RANK_RESUMES,
            payload={"job_id": jid, "ranking_id": ranking_id, "resume_ids": ids},
            meta={"job_id": jid},
            priority=priority,
            wait=wait,
        )
    except _EXPECTED as exc:
        return to_user_error(exc)
    return RankingTask(
        task=Task.from_record(record),
        ranking_id=strawberry.ID(ranking_id),
        ranking=await _finished(info, record, ranking, ranking_id),
    )


async def ranking(info: Info, id: RankingId) -> Ranking:
    """One of the caller's rankings."""
    return Ranking.from_stored(await _get(info, "ranking", id))
