"""Expected failures as GraphQL types (union members), and error masking."""

from __future__ import annotations

import logging

import strawberry
from graphql import GraphQLError

from atspro import errors

log = logging.getLogger(__name__)


@strawberry.interface
class UserError:
    """Something the caller can fix; ``message`` says what."""

    message: str
    code: str


@strawberry.type
class InputError(UserError):
    """Bad input; ``field`` names the argument when known."""

    field: str | None = None


@strawberry.type
class NotFoundError(UserError):
    """No such object for this caller."""


@strawberry.type
class ConflictError(UserError):
    """The object is in a state that does not allow the operation."""


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
