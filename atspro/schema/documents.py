"""GraphQL types for what users store: resumes, jobs, match results and generated documents."""

from __future__ import annotations

import enum
import uuid
from datetime import datetime
from typing import TYPE_CHECKING, Annotated, Any

import strawberry
from strawberry.scalars import JSON

from atspro.documents.store import StoredDocument
from atspro.errors import NotFoundError as NotFoundException
from atspro.jobs.model import Job as JobModel
from atspro.matching.result import MatchResult
from atspro.resume.export import to_json_resume, to_markdown
from atspro.resume.model import Resume as ResumeModel
from atspro.schema.content import JobContent, MatchContent, ResumeContent
from atspro.schema.errors import ConflictError, InputError, NotFoundError
from atspro.schema.scalars import camel_json
from atspro.schema.tasks import PageInfo, Task

if TYPE_CHECKING:
    from atspro.schema.context import Context


@strawberry.enum(description="Where a stored object is: waiting for its task, done, or failed.")
class DocumentStatus(enum.Enum):
    PENDING = "pending"
    RUNNING = "running"
    READY = "ready"
    FAILED = "failed"
    CANCELLED = "cancelled"


async def _status(
    info: strawberry.Info[Context, None], meta: dict[str, Any]
) -> tuple[DocumentStatus, str | None]:
    """Ready once the handler stored the result; otherwise whatever its task says."""
    if meta.get("status") in ("parsed", "ready"):
        return DocumentStatus.READY, None
    task_id = meta.get("task_id")
    if not task_id:
        return DocumentStatus.PENDING, None
    try:
        record = await info.context.runtime.tasks.get(
            user_id=await info.context.user_id(), task_id=uuid.UUID(task_id)
        )
    except NotFoundException:
        return DocumentStatus.FAILED, "its task expired before it finished"
    value = record.status.value
    if value == "completed":  # completed but not stored as ready: the write raced this read
        return DocumentStatus.RUNNING, None
    return DocumentStatus(value), record.error_message


@strawberry.type
class StoredObject:
    """Fields every stored object shares."""

    id: strawberry.ID
    created_at: datetime
    updated_at: datetime
    task_id: strawberry.ID | None
    meta: strawberry.Private[dict[str, Any]]
    data: strawberry.Private[dict[str, Any]]

    @strawberry.field(description="READY once its task stored the result.")  # type: ignore[untyped-decorator]
    async def status(self, info: strawberry.Info[Context, None]) -> DocumentStatus:
        return (await _status(info, self.meta))[0]

    @strawberry.field(description="Why it failed, when it did.")  # type: ignore[untyped-decorator]
    async def error(self, info: strawberry.Info[Context, None]) -> str | None:
        return (await _status(info, self.meta))[1]

    @strawberry.field(description="The task that fills it (null once that task expired).")  # type: ignore[untyped-decorator]
    async def task(self, info: strawberry.Info[Context, None]) -> Task | None:
        if self.task_id is None:
            return None
        try:
            record = await info.context.runtime.tasks.get(
                user_id=await info.context.user_id(), task_id=uuid.UUID(str(self.task_id))
            )
        except NotFoundException:
            return None
        return Task.from_record(record)

    @property
    def ready(self) -> bool:
        return self.meta.get("status") in ("parsed", "ready")


def _common(doc: StoredDocument) -> dict[str, Any]:
    task_id = doc.meta.get("task_id")
    return {
        "id": strawberry.ID(doc.id),
        "created_at": doc.created_at,
        "updated_at": doc.updated_at,
        "task_id": strawberry.ID(task_id) if task_id else None,
        "meta": doc.meta,
        "data": doc.data,
    }


@strawberry.type
class Resume(StoredObject):
    """An uploaded resume and, once parsed, its structured content."""

    filename: str
    engine: str | None

    @strawberry.field(description="The structured resume (null until parsed).")  # type: ignore[untyped-decorator]
    def content(self) -> ResumeContent | None:
        return (
            ResumeContent.from_pydantic(ResumeModel.model_validate(self.data))
            if self.ready
            else None
        )

    @strawberry.field(description="The resume as JSON Resume (jsonresume.org schema).")  # type: ignore[untyped-decorator]
    def json_resume(self) -> JSON | None:
        return JSON(to_json_resume(ResumeModel.model_validate(self.data))) if self.ready else None

    @strawberry.field(description="The resume as Markdown.")  # type: ignore[untyped-decorator]
    def markdown(self) -> str | None:
        return to_markdown(ResumeModel.model_validate(self.data)) if self.ready else None

    @classmethod
    def from_stored(cls, doc: StoredDocument) -> Resume:
        return cls(
            **_common(doc), filename=doc.meta.get("filename", ""), engine=doc.meta.get("engine")
        )


@strawberry.type
class Job(StoredObject):
    """A job posting and, once parsed, its structured content."""

    source: str
    url: str | None

    @strawberry.field(description="The structured posting (null until parsed).")  # type: ignore[untyped-decorator]
    def content(self) -> JobContent | None:
        return JobContent.from_pydantic(JobModel.model_validate(self.data)) if self.ready else None

    @strawberry.field(
        description="Latest match score per resume id: {resumeId: {matchId, overallScore}}."
    )  # type: ignore[untyped-decorator]
    def scores(self) -> JSON:
        return JSON(dict(self.meta.get("scores") or {}))

    @classmethod
    def from_stored(cls, doc: StoredDocument) -> Job:
        return cls(**_common(doc), source=doc.meta.get("source", ""), url=doc.meta.get("url"))


@strawberry.type
class Match(StoredObject):
    """How well a resume matches a job, the way an ATS reads it."""

    resume_id: strawberry.ID
    job_id: strawberry.ID

    @strawberry.field
    def overall_score(self) -> int | None:
        return self.meta.get("overall_score") if self.ready else None

    @strawberry.field(description="Scores, keywords matched and missing, and the explanation.")  # type: ignore[untyped-decorator]
    def content(self) -> MatchContent | None:
        return (
            MatchContent.from_pydantic(MatchResult.model_validate(self.data))
            if self.ready
            else None
        )

    @classmethod
    def from_stored(cls, doc: StoredDocument) -> Match:
        return cls(
            **_common(doc),
            resume_id=strawberry.ID(doc.meta.get("resume_id", "")),
            job_id=strawberry.ID(doc.meta.get("job_id", "")),
        )


@strawberry.enum(description="Formats a generated document can be downloaded in.")
class DownloadFormat(enum.Enum):
    MARKDOWN = "md"
    HTML = "html"
    DOCX = "docx"
    PDF = "pdf"


@strawberry.type
class Document(StoredObject):
    """A generated document: a tailored resume or a research report, in Markdown."""

    document_type: str
    title: str
    resume_id: strawberry.ID | None
    job_id: strawberry.ID | None

    @strawberry.field
    def markdown(self) -> str | None:
        return self.data.get("markdown") if self.ready else None

    @strawberry.field(
        description="Type-specific details (scores before/after, missing keywords...)."
    )  # type: ignore[untyped-decorator]
    def details(self) -> JSON | None:
        if not self.ready:
            return None
        return camel_json({k: v for k, v in self.data.items() if k != "markdown"})

    @strawberry.field(description="Where to GET the document (same Bearer token).")  # type: ignore[untyped-decorator]
    def download_url(self, format: DownloadFormat = DownloadFormat.DOCX) -> str:
        return f"/documents/{self.id}/download?format={format.value}"

    @classmethod
    def from_stored(cls, doc: StoredDocument) -> Document:
        rid, jid = doc.meta.get("resume_id"), doc.meta.get("job_id")
        return cls(
            **_common(doc),
            document_type=doc.meta.get("document_type", ""),
            title=doc.meta.get("title", ""),
            resume_id=strawberry.ID(rid) if rid else None,
            job_id=strawberry.ID(jid) if jid else None,
        )


@strawberry.type
class ResumeConnection:
    nodes: list[Resume]
    page_info: PageInfo


@strawberry.type
class JobConnection:
    nodes: list[Job]
    page_info: PageInfo


@strawberry.type
class MatchConnection:
    nodes: list[Match]
    page_info: PageInfo


@strawberry.type
class DocumentConnection:
    nodes: list[Document]
    page_info: PageInfo


_INLINE = (
    "The finished {}, when the call waited (`wait`) and the task completed in time; "
    "null otherwise (query it by id once the task completes)."
)


@strawberry.type
class ResumeTask:
    """The parse task and the id of the resume it fills."""

    task: Task
    resume_id: strawberry.ID
    resume: Resume | None = strawberry.field(default=None, description=_INLINE.format("resume"))


@strawberry.type
class JobTask:
    """The parse task and the id of the job it fills."""

    task: Task
    job_id: strawberry.ID
    job: Job | None = strawberry.field(default=None, description=_INLINE.format("job"))


@strawberry.type
class MatchTask:
    """The scoring task and the id of the match result it fills."""

    task: Task
    match_id: strawberry.ID
    match: Match | None = strawberry.field(default=None, description=_INLINE.format("match result"))


@strawberry.type
class DocumentTask:
    """The task and the id of the document it writes."""

    task: Task
    document_id: strawberry.ID
    document: Document | None = strawberry.field(
        default=None, description=_INLINE.format("document")
    )


@strawberry.type
class Deleted:
    id: strawberry.ID


ParseResumeResult = Annotated[ResumeTask | InputError, strawberry.union("ParseResumeResult")]
ParseJobResult = Annotated[JobTask | InputError, strawberry.union("ParseJobResult")]
ScoreMatchResult = Annotated[
    MatchTask | InputError | NotFoundError | ConflictError, strawberry.union("ScoreMatchResult")
]
DocumentTaskResult = Annotated[
    DocumentTask | InputError | NotFoundError | ConflictError,
    strawberry.union("DocumentTaskResult"),
]
DeleteResult = Annotated[Deleted | InputError | NotFoundError, strawberry.union("DeleteResult")]
