"""Arguments several operations share, annotated with the descriptions clients read."""

from __future__ import annotations

from typing import Annotated

import strawberry

from atspro.tasks.model import Priority

Wait = Annotated[
    int | None,
    strawberry.argument(
        description=(
            "Seconds to wait for the task to finish before answering, at most the server's "
            "MAX_WAIT_S (more is an InputError). Omitted or 0: answer at once with the task "
            "PENDING. A task still running when the wait ends is returned as it is."
        )
    ),
]
TaskPriority = Annotated[
    Priority,
    strawberry.argument(description="The queue to wait on; HIGH runs before NORMAL before LOW."),
]
After = Annotated[
    str | None,
    strawberry.argument(
        description="The previous page's `pageInfo.endCursor`; omit for the first page."
    ),
]
First = Annotated[int, strawberry.argument(description="How many to return, 0-1000.")]
TaskFirst = Annotated[int, strawberry.argument(description="How many to return, 1-100.")]
EventAfter = Annotated[
    str | None,
    strawberry.argument(
        description=(
            "The `eventId` of the last event received: the events missed since come first. "
            "Omit to start from now."
        )
    ),
]
TaskId = Annotated[strawberry.ID, strawberry.argument(description="The task's id.")]
ResumeId = Annotated[strawberry.ID, strawberry.argument(description="The resume's id.")]
JobId = Annotated[strawberry.ID, strawberry.argument(description="The job's id.")]
MatchId = Annotated[strawberry.ID, strawberry.argument(description="The match result's id.")]
DocumentId = Annotated[strawberry.ID, strawberry.argument(description="The document's id.")]
RankingId = Annotated[strawberry.ID, strawberry.argument(description="The ranking's id.")]
ParsedResumeId = Annotated[
    strawberry.ID,
    strawberry.argument(description="A parsed resume's id (unparsed: ConflictError)."),
]
ParsedJobId = Annotated[
    strawberry.ID,
    strawberry.argument(description="A parsed job's id (unparsed: ConflictError)."),
]
