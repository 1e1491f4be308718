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
from atspro.schema.describe import describe_values
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


describe_values(
    DocumentStatus,
    PENDING="Its task waits for a worker.",
    RUNNING="Its task is running.",
    READY="Its task stored the result: the content fields are filled.",
    FAILED="Its task failed (or expired before finishing); `error` says why.",
    CANCELLED="Its task was cancelled.",
)


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


@strawberry.type(description="Fields every stored object shares.")
class StoredObject:
    id: strawberry.ID = strawberry.field(description="The object's id (a UUID).")
    created_at: datetime = strawberry.field(description="When it was created.")
    updated_at: datetime = strawberry.field(description="When its task last wrote it.")
    task_id: strawberry.ID | None = strawberry.field(
        description="The task that fills it; null for an object made without one."
    )
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


@strawberry.type(description="An uploaded resume and, once parsed, its structured content.")
class Resume(StoredObject):
    filename: str = strawberry.field(description="The uploaded file's name.")
    engine: str | None = strawberry.field(
        description=(
            "What parsed it: model (the language model) or offline (the built-in parser); "
            "null until parsed."
        )
    )

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


@strawberry.type(description="A job posting and, once parsed, its structured content.")
class Job(StoredObject):
    source: str = strawberry.field(description="How it was given: url, text or file.")
    url: str | None = strawberry.field(description="The posting's URL, when given by URL.")

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


@strawberry.type(description="How well a resume matches a job, the way an ATS reads it.")
class Match(StoredObject):
    resume_id: strawberry.ID = strawberry.field(description="The resume scored.")
    job_id: strawberry.ID = strawberry.field(description="The job scored against.")

    @strawberry.field(description="The overall score, 0-100; null until scored.")  # type: ignore[untyped-decorator]
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


describe_values(
    DownloadFormat,
    MARKDOWN="Markdown text (text/markdown).",
    HTML="A standalone HTML page.",
    DOCX="A Word document.",
    PDF="A PDF.",
)


@strawberry.type(
    description=(
        "A generated document: a tailored resume, a research report or a cover letter, in Markdown."
    )
)
class Document(StoredObject):
    document_type: str = strawberry.field(
        description="What it is: tailored_resume, research_report or cover_letter."
    )
    title: str = strawberry.field(description="A title to show for it.")
    resume_id: strawberry.ID | None = strawberry.field(
        description="The resume it was written from."
    )
    job_id: strawberry.ID | None = strawberry.field(description="The job it was written for.")

    @strawberry.field(description="The document in Markdown; null until written.")  # type: ignore[untyped-decorator]
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
    def download_url(
        self,
        format: Annotated[
            DownloadFormat, strawberry.argument(description="The file format to download.")
        ] = DownloadFormat.DOCX,
    ) -> str:
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


_PAGE = "Where the page ends."


@strawberry.type(description="A page of resumes, newest first.")
class ResumeConnection:
    nodes: list[Resume] = strawberry.field(description="The resumes.")
    page_info: PageInfo = strawberry.field(description=_PAGE)


@strawberry.type(description="A page of jobs, newest first.")
class JobConnection:
    nodes: list[Job] = strawberry.field(description="The jobs.")
    page_info: PageInfo = strawberry.field(description=_PAGE)


@strawberry.type(description="A page of match results, newest first.")
class MatchConnection:
    nodes: list[Match] = strawberry.field(description="The match results.")
    page_info: PageInfo = strawberry.field(description=_PAGE)


@strawberry.type(description="A page of generated documents, newest first.")
class DocumentConnection:
    nodes: list[Document] = strawberry.field(description="The documents.")
    page_info: PageInfo = strawberry.field(description=_PAGE)


_INLINE = (
    "The finished {}, when the call waited (`wait`) and the task completed in time; "
    "null otherwise (query it by id once the task completes)."
)


_TASK = "The task doing the work (PENDING unless the call waited)."


@strawberry.type(description="The parse task and the id of the resume it fills.")
class ResumeTask:
    task: Task = strawberry.field(description=_TASK)
    resume_id: strawberry.ID = strawberry.field(description="The resume's id, usable at once.")
    resume: Resume | None = strawberry.field(default=None, description=_INLINE.format("resume"))


@strawberry.type(description="The parse task and the id of the job it fills.")
class JobTask:
    task: Task = strawberry.field(description=_TASK)
    job_id: strawberry.ID = strawberry.field(description="The job's id, usable at once.")
    job: Job | None = strawberry.field(default=None, description=_INLINE.format("job"))


@strawberry.type(description="The scoring task and the id of the match result it fills.")
class MatchTask:
    task: Task = strawberry.field(description=_TASK)
    match_id: strawberry.ID = strawberry.field(description="The match result's id, usable at once.")
    match: Match | None = strawberry.field(default=None, description=_INLINE.format("match result"))


@strawberry.type(description="The task and the id of the document it writes.")
class DocumentTask:
    task: Task = strawberry.field(description=_TASK)
    document_id: strawberry.ID = strawberry.field(description="The document's id, usable at once.")
    document: Document | None = strawberry.field(
        default=None, description=_INLINE.format("document")
    )


@strawberry.type(description="One resume's place in a ranking: its scores, skills and why.")
class RankedResume:
    rank: int = strawberry.field(description="Its place, 1 for the best fit.")
    resume_id: strawberry.ID = strawberry.field(description="The resume ranked.")
    candidate_name: str = strawberry.field(description="The name on the resume (may be empty).")
    overall_score: int = strawberry.field(description="The overall match score, 0-100.")
    skills_score: int | None = strawberry.field(
        description="Skills asked that the resume shows, 0-100; null when not assessed."
    )
    experience_score: int | None = strawberry.field(
        description="Years against the years asked, 0-100; null when not assessed."
    )
    education_score: int | None = strawberry.field(
        description="Degree against the degree asked, 0-100; null when not assessed."
    )
    keywords_score: int | None = strawberry.field(
        description="The posting's keywords found, 0-100; null when not assessed."
    )
    career_score: int | None = strawberry.field(
        description="Past titles and seniority against the role's, 0-100; null when not assessed."
    )
    matched_skills: list[str] = strawberry.field(
        description="Up to five required skills the resume shows, in the posting's order."
    )
    missing_skills: list[str] = strawberry.field(
        description="Up to five required skills the resume does not show."
    )
    reason: str = strawberry.field(description="One line on why it ranks where it does.")


@strawberry.type(description="A resume asked for but left out of a ranking, and why.")
class SkippedResume:
    resume_id: strawberry.ID = strawberry.field(description="The resume's id as given.")
    reason: str = strawberry.field(description="Why: not found (or not yours), or not parsed.")


@strawberry.type(description="Resumes ranked against one job, best first.")
class Ranking(StoredObject):
    job_id: strawberry.ID = strawberry.field(description="The job ranked against.")

    @strawberry.field(description="How many resumes were ranked; null until ranked.")  # type: ignore[untyped-decorator]
    def count(self) -> int | None:
        return len(self.data.get("entries", ())) if self.ready else None

    @strawberry.field(description="The ranked resumes, best first; null until ranked.")  # type: ignore[untyped-decorator]
    def entries(
        self,
        first: Annotated[
            int | None,
            strawberry.argument(description="Only the best `first` (all when omitted)."),
        ] = None,
    ) -> list[RankedResume] | None:
        if not self.ready:
            return None
        rows = self.data.get("entries", [])
        if first is not None:
            rows = rows[: max(0, first)]
        return [
            RankedResume(
                rank=index,
                resume_id=strawberry.ID(row["resume_id"]),
                candidate_name=row["candidate_name"],
                overall_score=row["overall_score"],
                skills_score=row["skills_score"],
                experience_score=row["experience_score"],
                education_score=row["education_score"],
                keywords_score=row["keywords_score"],
                career_score=row["career_score"],
                matched_skills=row["matched_skills"],
                missing_skills=row["missing_skills"],
                reason=row["reason"],
            )
            for index, row in enumerate(rows, start=1)
        ]

    @strawberry.field(description="Resumes asked for but not ranked, and why; null until ranked.")  # type: ignore[untyped-decorator]
    def skipped(self) -> list[SkippedResume] | None:
        if not self.ready:
            return None
        return [
            SkippedResume(resume_id=strawberry.ID(row["resume_id"]), reason=row["reason"])
            for row in self.data.get("skipped", [])
        ]

    @classmethod
    def from_stored(cls, doc: StoredDocument) -> Ranking:
        return cls(**_common(doc), job_id=strawberry.ID(doc.meta.get("job_id", "")))


@strawberry.type(description="The ranking task and the id of the ranking it fills.")
class RankingTask:
    task: Task = strawberry.field(description=_TASK)
    ranking_id: strawberry.ID = strawberry.field(description="The ranking's id, usable at once.")
    ranking: Ranking | None = strawberry.field(default=None, description=_INLINE.format("ranking"))


@strawberry.type(description="What was deleted.")
class Deleted:
    id: strawberry.ID = strawberry.field(description="The id of the deleted object.")


ParseResumeResult = Annotated[
    ResumeTask | InputError,
    strawberry.union("ParseResumeResult", description="The parse task, or why it was refused."),
]
ParseJobResult = Annotated[
    JobTask | InputError,
    strawberry.union("ParseJobResult", description="The parse task, or why it was refused."),
]
ScoreMatchResult = Annotated[
    MatchTask | InputError | NotFoundError | ConflictError,
    strawberry.union(
        "ScoreMatchResult",
        description="The scoring task, or why it was refused (ConflictError: not parsed yet).",
    ),
]
DocumentTaskResult = Annotated[
    DocumentTask | InputError | NotFoundError | ConflictError,
    strawberry.union(
        "DocumentTaskResult",
        description="The writing task, or why it was refused (ConflictError: not parsed yet).",
    ),
]
RankResumesResult = Annotated[
    RankingTask | InputError | NotFoundError | ConflictError,
    strawberry.union(
        "RankResumesResult",
        description="The ranking task, or why it was refused (ConflictError: job not parsed yet).",
    ),
]
DeleteResult = Annotated[
    Deleted | InputError | NotFoundError,
    strawberry.union("DeleteResult", description="What was deleted, or why nothing was."),
]
