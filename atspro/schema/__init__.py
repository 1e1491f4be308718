"""The GraphQL schema: Query, Mutation and Subscription wired from the resolvers."""

from __future__ import annotations

import strawberry
from graphql import GraphQLError
from strawberry.extensions import (
    MaxAliasesLimiter,
    ParserCache,
    QueryDepthLimiter,
    ValidationCache,
)
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
    Resume,
    ResumeConnection,
    ScoreMatchResult,
)
from atspro.schema.errors import should_mask_error
from atspro.schema.policy import RequestPolicy
from atspro.schema.tasks import QueueStats, Task, TaskConnection, TaskResult
from atspro.settings import Settings


@strawberry.type
class Query:
    task: Task = strawberry.field(resolver=task_resolvers.task)
    tasks: TaskConnection = strawberry.field(resolver=task_resolvers.tasks)
    queue_stats: QueueStats = strawberry.field(resolver=task_resolvers.queue_stats)
    resume: Resume = strawberry.field(resolver=doc_resolvers.resume)
    resumes: ResumeConnection = strawberry.field(resolver=doc_resolvers.resumes)
    job: Job = strawberry.field(resolver=doc_resolvers.job)
    jobs: JobConnection = strawberry.field(resolver=doc_resolvers.jobs)
    match: Match = strawberry.field(resolver=doc_resolvers.match)
    matches: MatchConnection = strawberry.field(resolver=doc_resolvers.matches)
    document: Document = strawberry.field(resolver=doc_resolvers.document)
    documents: DocumentConnection = strawberry.field(resolver=doc_resolvers.documents)


@strawberry.type
class Mutation:
    cancel_task: TaskResult = strawberry.mutation(resolver=task_resolvers.cancel_task)
    retry_task: TaskResult = strawberry.mutation(resolver=task_resolvers.retry_task)
    ping_task: TaskResult = strawberry.mutation(resolver=task_resolvers.ping_task)
    parse_resume: ParseResumeResult = strawberry.mutation(resolver=doc_resolvers.parse_resume)
    delete_resume: DeleteResult = strawberry.mutation(resolver=doc_resolvers.delete_resume)
    parse_job: ParseJobResult = strawberry.mutation(resolver=doc_resolvers.parse_job)
    delete_job: DeleteResult = strawberry.mutation(resolver=doc_resolvers.delete_job)
    score_match: ScoreMatchResult = strawberry.mutation(resolver=doc_resolvers.score_match)
    optimize_resume: DocumentTaskResult = strawberry.mutation(
        resolver=doc_resolvers.optimize_resume
    )
    research_company: DocumentTaskResult = strawberry.mutation(
        resolver=doc_resolvers.research_company
    )
    delete_document: DeleteResult = strawberry.mutation(resolver=doc_resolvers.delete_document)


@strawberry.type
class Subscription:
    task_updated = strawberry.subscription(resolver=task_resolvers.task_updated)
    task_updates = strawberry.subscription(resolver=task_resolvers.task_updates)


class ATSProSchema(strawberry.Schema):
    """Logs only unexpected errors: a user's NOT_FOUND is not an incident."""

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


def build_schema(settings: Settings) -> strawberry.Schema:
    """The schema with caching and abuse limits from ``settings``."""
    # The limiters build a new rule class per instance, and ValidationCache keys on the
    # rule classes: made once here, so every request hits the cache (per-request
    # instances made it miss every time, re-validating each request).
    limit_rules = [
        *QueryDepthLimiter(max_depth=settings.max_query_depth).validation_rules,
        *MaxAliasesLimiter(max_alias_count=settings.max_aliases).validation_rules,
    ]
    return ATSProSchema(
        query=Query,
        mutation=Mutation,
        subscription=Subscription,
        # Factories: a fresh extension per request (the caches themselves are shared).
        extensions=[
            # Parsing and validation dominate a small request; cache both per document.
            lambda: ParserCache(maxsize=512),
            lambda: ValidationCache(maxsize=512),
            lambda: RequestPolicy(
                max_tokens=settings.max_query_tokens,
                validation_rules=limit_rules,
                should_mask=should_mask_error,
            ),
        ],
    )
