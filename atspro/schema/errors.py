"""Expected failures as GraphQL types (union members), and error masking."""

from __future__ import annotations

import logging

import strawberry
from graphql import GraphQLError

from atspro import errors

log = logging.getLogger(__name__)


@strawberry.interface(
    description="Something the caller can fix; `message` says what. Returned as a union member."
)
class UserError:
    message: str = strawberry.field(description="What went wrong, for a person to read.")
    code: str = strawberry.field(
        description="A stable code to branch on: INVALID_INPUT, NOT_FOUND or CONFLICT."
    )


@strawberry.type(description="An argument was refused (code INVALID_INPUT).")
class InputError(UserError):
    field: str | None = strawberry.field(
        default=None, description="The argument at fault (camelCase), when known."
    )


@strawberry.type(
    description="No such object for this caller (code NOT_FOUND); others' objects look absent."
)
class NotFoundError(UserError):
    pass


@strawberry.type(
    description=(
        "The object is in a state that does not allow the operation, e.g. retrying a running "
        "task or scoring an unparsed resume (code CONFLICT)."
    )
)
class ConflictError(UserError):
    pass


def to_user_error(exc: errors.ATSProError) -> InputError | NotFoundError | ConflictError:
    """The union member for an expected failure; anything else is re-raised."""
    if isinstance(exc, errors.InputError):
        return InputError(message=exc.message, code=exc.code, field=exc.field)
    if isinstance(exc, errors.NotFoundError):
        return NotFoundError(message=exc.message, code=exc.code)
    if isinstance(exc, errors.ConflictError):
        return ConflictError(message=exc.message, code=exc.code)
    raise exc


def should_mask_error(error: GraphQLError) -> bool:
    """Show our own typed errors and GraphQL validation errors; hide everything else."""
    original = error.original_error
    # A GraphQLError underneath is the request's own fault, told in GraphQL's words: a
    # variable's value that its type refuses (an unknown enum value) arrives this way.
    if original is None or isinstance(original, errors.ATSProError | GraphQLError):
        return False
    log.error("unexpected error in %s", error.path, exc_info=original)
    return True
