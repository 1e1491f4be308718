"""Per-operation rules in one schema extension: document preparation and limits, masking.

Strawberry's ``ParserCache``, ``ValidationCache``, ``MaxTokensLimiter``, ``QueryDepthLimiter``,
``MaxAliasesLimiter`` and ``MaskErrors`` would do this as six extensions; every extension costs
each request its hook machinery (together about 5% of the server's time on a small query), and
the two limiters walk every path through the fragments, which is exponential in their number.
One extension keeps the hook cost once; its limits cost time linear in the document.
"""

from __future__ import annotations

from collections.abc import AsyncIterator, Callable, Iterator

from graphql import GraphQLError
from strawberry.extensions import SchemaExtension

from atspro.schema.limits import DocumentPreparer, Prepared

MASKED_MESSAGE = "Unexpected error."


class RequestPolicy(SchemaExtension):
    """Parses and validates through ``documents`` (limits, cache), masks what ``should_mask`` picks.

    An HTTP request was prepared by the view before it reached the schema (off the event loop
    when long); WebSocket operations are prepared here. A document that did not parse is left
    to Strawberry's own parse, with the same limits, so its error takes the usual path.
    """

    def __init__(
        self, *, documents: DocumentPreparer, should_mask: Callable[[GraphQLError], bool]
    ) -> None:
        self._documents = documents
        self._should_mask = should_mask
        self._prepared: Prepared | None = None

    def on_operation(self) -> Iterator[None]:
        context = self.execution_context
        yield
        result = context.result
        errors: list[GraphQLError] | None = getattr(result, "errors", None)
        if errors:
            result.errors = [self._masked(e) if self._should_mask(e) else e for e in errors]  # type: ignore[union-attr]

    def on_parse(self) -> Iterator[None]:
        context = self.execution_context
        context.parse_options.update(self._documents.parse_options)  # type: ignore[typeddict-item]
        prepared = self._documents.take(context.query)
        if prepared is not None and prepared.document is not None:
            context.graphql_document = prepared.document
            self._prepared = prepared
        yield

    def on_validate(self) -> Iterator[None]:
        if self._prepared is not None:
            # Validated with the document (limits, then the standard rules): nothing to redo.
            self.execution_context.pre_execution_errors = list(self._prepared.errors)
        yield

    async def on_execute(self) -> AsyncIterator[None]:
        context = self.execution_context
        document = context.graphql_document
        if document is not None and not context.pre_execution_errors:
            # Strawberry skips execution when the result is already there.
            result = await self._documents.introspect(
                document, context.operation_name, context.variables
            )
            if result is not None:
                context.result = result
        yield

    @staticmethod
    def _masked(error: GraphQLError) -> GraphQLError:
        return GraphQLError(
            message=MASKED_MESSAGE,
            nodes=error.nodes,
            source=error.source,
            positions=error.positions,
            path=error.path,
            original_error=None,
        )
