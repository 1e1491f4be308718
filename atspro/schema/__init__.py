"""The GraphQL schema: Query, Mutation and Subscription wired from the resolvers."""

from __future__ import annotations

import strawberry
from graphql import GraphQLError
from strawberry.types import ExecutionContext

from atspro.errors import ATSProError
from atspro.resolvers import documents as doc_resolvers
from atspro.resolvers import tasks as task_resolvers
from atspro.schema.documents import (
    DeleteResult,
    Document,
    DocumentConnection,
    DocumentTaskResult,
    Job,
    JobConnection,
    Match,
    MatchConnection,
    ParseJobResult,
    ParseResumeResult,
    Ranking,
    RankResumesResult,
    Resume,
    ResumeConnection,
    ScoreMatchResult,
)
from atspro.schema.errors import should_mask_error
from atspro.schema.limits import DocumentLimits, DocumentPreparer
from atspro.schema.policy import RequestPolicy
from atspro.schema.tasks import QueueStats, Task, TaskConnection, TaskResult
from atspro.settings import Settings

# A lookup fails as a GraphQL error (extensions.code), not a union member: its type is the object.
_ONE = " Errors: NOT_FOUND when it is not yours or has expired; INVALID_INPUT for a bad id."


@strawberry.type(
    description=(
        "Reads. Every operation needs an API token: send the header "
        "`Authorization: Bearer <token>` (over WebSocket, in the connection_init payload)."
    )
)
class Query:
    task: Task = strawberry.field(
        resolver=task_resolvers.task, description="One of your tasks." + _ONE
    )
    tasks: TaskConnection = strawberry.field(
        resolver=task_resolvers.tasks, description="Your tasks, newest first, a page at a time."
    )
    queue_stats: QueueStats = strawberry.field(
        resolver=task_resolvers.queue_stats,
        description="How long the queues are, and your tasks now and over the last hour.",
    )
    resume: Resume = strawberry.field(
        resolver=doc_resolvers.resume, description="One of your resumes." + _ONE
    )
    resumes: ResumeConnection = strawberry.field(
        resolver=doc_resolvers.resumes, description="Your resumes, newest first."
    )
    job: Job = strawberry.field(resolver=doc_resolvers.job, description="One of your jobs." + _ONE)
    jobs: JobConnection = strawberry.field(
        resolver=doc_resolvers.jobs, description="Your jobs, newest first."
    )
    match: Match = strawberry.field(
        resolver=doc_resolvers.match, description="One of your match results." + _ONE
    )
    matches: MatchConnection = strawberry.field(
        resolver=doc_resolvers.matches,
        description="Your match results, newest first, optionally for one job or resume.",
    )
    document: Document = strawberry.field(
        resolver=doc_resolvers.document, description="One of your generated documents." + _ONE
    )
    documents: DocumentConnection = strawberry.field(
        resolver=doc_resolvers.documents, description="Your generated documents, newest first."
    )
    ranking: Ranking = strawberry.field(
        resolver=doc_resolvers.ranking, description="One of your resume rankings." + _ONE
    )


@strawberry.type(
    description=(
        "Writes. Work runs as a task: a mutation answers at once with the task (PENDING), or "
        "with `wait` once it finished. Refusals the caller can fix come back as union members "
        "(InputError, NotFoundError, ConflictError), not as GraphQL errors."
    )
)
class Mutation:
    cancel_task: TaskResult = strawberry.mutation(
        resolver=task_resolvers.cancel_task,
        description=(
            "Cancel a pending task (it never runs) or a running one (its worker stops it). "
            "ConflictError when it already finished."
        ),
    )
    retry_task: TaskResult = strawberry.mutation(
        resolver=task_resolvers.retry_task,
        description="Queue a FAILED or CANCELLED task again (ConflictError otherwise).",
    )
    ping_task: TaskResult = strawberry.mutation(
        resolver=task_resolvers.ping_task,
        description="Queue a task that does nothing: checks the queue and workers end to end.",
    )
    parse_resume: ParseResumeResult = strawberry.mutation(
        resolver=doc_resolvers.parse_resume,
        description=(
            "Upload a resume to be parsed into structured content. Send it as a GraphQL "
            "multipart request; read the result with `resume(id: resumeId)`."
        ),
    )
    delete_resume: DeleteResult = strawberry.mutation(
        resolver=doc_resolvers.delete_resume,
        description="Delete a resume and its uploaded file.",
    )
    parse_job: ParseJobResult = strawberry.mutation(
        resolver=doc_resolvers.parse_job,
        description=(
            "Parse a job posting from exactly one of `url`, `text` or `file` "
            "(InputError otherwise); read the result with `job(id: jobId)`."
        ),
    )
    delete_job: DeleteResult = strawberry.mutation(
        resolver=doc_resolvers.delete_job,
        description="Delete a job (and its uploaded file, if any).",
    )
    score_match: ScoreMatchResult = strawberry.mutation(
        resolver=doc_resolvers.score_match,
        description="Score how well a parsed resume matches a parsed job, as an ATS would.",
    )
    optimize_resume: DocumentTaskResult = strawberry.mutation(
        resolver=doc_resolvers.optimize_resume,
        description=(
            "Write a resume tailored to the job (a tailored_resume document), without "
            "inventing experience the resume does not show."
        ),
    )
    research_company: DocumentTaskResult = strawberry.mutation(
        resolver=doc_resolvers.research_company,
        description=(
            "Write a report on the job's company and role (a research_report document): fit, "
            "interview topics, questions to ask and red flags."
        ),
    )
    write_cover_letter: DocumentTaskResult = strawberry.mutation(
        resolver=doc_resolvers.write_cover_letter,
        description=(
            "Write a cover letter for the job (a cover_letter document) from the resume's own "
            "facts; only the employer and title come from the posting."
        ),
    )
    rank_resumes: RankResumesResult = strawberry.mutation(
        resolver=doc_resolvers.rank_resumes,
        description=(
            "Rank many of your parsed resumes (`resumeIds`, or `all`) against one parsed job "
            "as one task with progress; read the result with `ranking(id: rankingId)`."
        ),
    )
    delete_document: DeleteResult = strawberry.mutation(
        resolver=doc_resolvers.delete_document, description="Delete a generated document."
    )


@strawberry.type(
    description=(
        "Live task events over WebSocket (graphql-transport-ws or graphql-ws); authenticate "
        'with {"Authorization": "Bearer <token>"} in the connection_init payload.'
    )
)
class Subscription:
    task_updated = strawberry.subscription(
        resolver=task_resolvers.task_updated,
        description=(
            "Events of one task until it finishes, then the stream ends. A task that already "
            "finished yields its final state once (without `after`)."
        ),
    )
    task_updates = strawberry.subscription(
        resolver=task_resolvers.task_updates,
        description="Every event of your tasks, for dashboards; runs until you unsubscribe.",
    )


class ATSProSchema(strawberry.Schema):
    """Logs only unexpected errors: a user's NOT_FOUND is not an incident.

    ``documents`` prepares queries (parse, limits, validation) for this schema; the HTTP view
    uses it before execution, the schema's extension for WebSocket operations.
    """

    documents: DocumentPreparer

    def process_errors(
        self, errors: list[GraphQLError], execution_context: ExecutionContext | None = None
    ) -> None:
        unexpected = [
            e
            for e in errors
            if e.original_error is not None
            # A GraphQLError underneath is the request's fault (a variable its type refuses).
            and not isinstance(e.original_error, ATSProError | GraphQLError)
        ]
        if unexpected:
            super().process_errors(unexpected, execution_context)


def build_schema(settings: Settings) -> ATSProSchema:
    """The schema with document caching and abuse limits from ``settings``."""
    documents = DocumentPreparer(DocumentLimits.from_settings(settings))
    schema = ATSProSchema(
        query=Query,
        mutation=Mutation,
        subscription=Subscription,
        # A factory: a fresh extension per request (the preparer and its cache are shared).
        extensions=[
            lambda: RequestPolicy(documents=documents, should_mask=should_mask_error),
        ],
    )
    schema.documents = documents
    documents.schema = schema._schema
    return schema
