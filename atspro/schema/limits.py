"""Limits on a GraphQL document, checked in time linear in its size, and its preparation.

A document is refused before the standard validation rules see it when it is too long (in
characters, then tokens, both enforced by the parser as it reads), declares too many fragments
or spreads, or when its operations, expanded, would be too deep, select too many fields, use
too many aliases or nest introspection lists too deeply. Fragments are measured once each and
spreads add the memoised measure, saturated just above the cap: a chain of fragments that each
spread the next one twice costs one visit per fragment, not two to the power of its length.

Preparing (parse, limits, standard validation) runs in a worker thread for long documents, so
one long document does not hold the event loop, and under a time budget.
"""

from __future__ import annotations

import asyncio
import contextvars
import time
from collections import OrderedDict
from collections.abc import Sequence
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass
from typing import Any

import orjson
from graphql import (
    DocumentNode,
    ExecutionResult,
    FieldNode,
    FragmentDefinitionNode,
    FragmentSpreadNode,
    GraphQLError,
    GraphQLSchema,
    InlineFragmentNode,
    Node,
    OperationDefinitionNode,
    SelectionSetNode,
    ValidationContext,
    ValidationRule,
    execute_sync,
    get_operation_ast,
    parse,
    specified_rules,
)
from graphql.language import OperationType
from graphql.validation.validate import ValidationAbortedError
from strawberry.schema.schema import validate_document

from atspro.settings import Settings

# Error code in `extensions.code` of every limit error, for clients to branch on.
LIMIT_CODE = "QUERY_TOO_COMPLEX"
# Documents longer than this are prepared in a worker thread: parsing costs 10-50 µs a
# token, so a document at the token cap would hold the loop for tens of milliseconds.
OFFLOAD_CHARS = 256
# Only short documents are cached: what clients send again and again is short, and the cache
# must not become a place where an attacker parks memory (128 x 4 KB and their trees).
CACHE_CHARS = 4_000
CACHE_SIZE = 128
INTROSPECTION_CACHE_SIZE = 16
# A Python stack deeper than this while walking the tree is refused, far below the
# interpreter's recursion limit, whatever the settings allow.
MAX_NESTING = 200
# graphql-core's OverlappingFieldsCanBeMergedRule compares fields of the same response name
# pairwise: 200 copies of one field cost it 50 ms, 800 overflow its recursion.
MAX_REPEATS = 20
# Introspection fields returning lists; nesting them multiplies the result (types x fields
# x types ...). The standard introspection query nests three: types > fields > args.
_INTROSPECTION_LISTS = frozenset(
    {"types", "fields", "inputFields", "interfaces", "possibleTypes", "enumValues", "args"}
)
_INTROSPECTION_ROOTS = frozenset({"__schema", "__type"})


@dataclass(frozen=True, slots=True)
class DocumentLimits:
    """The caps a document must stay within; see the settings of the same names."""

    max_chars: int
    max_tokens: int
    max_depth: int
    max_aliases: int
    max_selections: int
    max_fragments: int
    max_spreads: int
    budget_s: float
    max_introspection_lists: int = 3

    @classmethod
    def from_settings(cls, settings: Settings) -> DocumentLimits:
        return cls(
            max_chars=settings.max_query_chars,
            max_tokens=settings.max_query_tokens,
            max_depth=settings.max_query_depth,
            max_aliases=settings.max_aliases,
            max_selections=settings.max_query_selections,
            max_fragments=settings.max_query_fragments,
            max_spreads=settings.max_query_spreads,
            budget_s=settings.query_validation_budget_s,
        )


def limit_error(message: str, nodes: Sequence[Node] | None = None) -> GraphQLError:
    """A refusal for a document over a limit, with the code clients branch on."""
    return GraphQLError(message, nodes=nodes, extensions={"code": LIMIT_CODE})


@dataclass(frozen=True, slots=True)
class _Shape:
    """What a selection set costs once expanded: each count saturates just above its cap."""

    depth: int
    aliases: int
    selections: int
    introspection_lists: int


_EMPTY = _Shape(0, 0, 0, 0)


class _OverLimit(Exception):
    def __init__(self, message: str) -> None:
        super().__init__(message)
        self.message = message


class _Walker:
    """Measures selection sets; each fragment once (memoised), cycles count as empty."""

    def __init__(self, fragments: dict[str, FragmentDefinitionNode], limits: DocumentLimits):
        self._fragments = fragments
        self._limits = limits
        self._memo: dict[str, _Shape] = {}
        self._open: set[str] = set()
        self.spreads = 0

    def selection_set(self, node: SelectionSetNode | None, level: int) -> _Shape:
        if node is None:
            return _EMPTY
        if level > MAX_NESTING:
            raise _OverLimit(f"The document nests selections more than {MAX_NESTING} deep.")
        limits = self._limits
        depth = aliases = selections = lists = 0
        repeats: dict[str, int] = {}
        for selection in node.selections:
            if isinstance(selection, FieldNode):
                key = (selection.alias or selection.name).value
                repeats[key] = repeats.get(key, 0) + 1
                if repeats[key] > MAX_REPEATS:
                    raise _OverLimit(
                        f"'{key}' is selected more than {MAX_REPEATS} times in one selection set."
                    )
                inner = self.selection_set(selection.selection_set, level + 1)
                name = selection.name.value
                if name in _INTROSPECTION_ROOTS and (
                    inner.introspection_lists > limits.max_introspection_lists
                ):
                    raise _OverLimit(
                        f"Introspection nests more than {limits.max_introspection_lists} "
                        "lists (types, fields, args ...)."
                    )
                # Introspection does not count towards depth, as with Strawberry's limiter:
                # the standard introspection query is deeper than any API query.
                if not name.startswith("__"):
                    depth = max(depth, inner.depth + 1)
                aliases += inner.aliases + (selection.alias is not None)
                selections += inner.selections + 1
                lists = max(lists, inner.introspection_lists + (name in _INTROSPECTION_LISTS))
            else:
                if isinstance(selection, FragmentSpreadNode):
                    inner = self.fragment(selection.name.value, level + 1)
                else:
                    assert isinstance(selection, InlineFragmentNode)
                    inner = self.selection_set(selection.selection_set, level + 1)
                depth = max(depth, inner.depth)
                aliases += inner.aliases
                selections += inner.selections
                lists = max(lists, inner.introspection_lists)
            # Stop at the first selection that takes a count over its cap. Depth is checked
            # per operation: a fragment may be deep when it is only used under introspection.
            if aliases > limits.max_aliases:
                raise _OverLimit(f"Too many aliases: more than {limits.max_aliases} allowed.")
            if selections > limits.max_selections:
                raise _OverLimit(
                    f"The operation selects more than {limits.max_selections} fields once "
                    "its fragments are expanded."
                )
        return _Shape(depth, aliases, selections, lists)

    def fragment(self, name: str, level: int) -> _Shape:
        self.spreads += 1
        if self.spreads > self._limits.max_spreads:
            raise _OverLimit(f"Too many fragment spreads: more than {self._limits.max_spreads}.")
        return self.definition(name, level)

    def definition(self, name: str, level: int) -> _Shape:
        known = self._memo.get(name)
        if known is not None:
            return known
        definition = self._fragments.get(name)
        # Unknown and cyclic fragments are reported by the standard rules.
        if definition is None or name in self._open:
            return _EMPTY
        self._open.add(name)
        shape = self.selection_set(definition.selection_set, level)
        self._open.discard(name)
        self._memo[name] = shape
        return shape


def check_document(document: DocumentNode, limits: DocumentLimits) -> list[GraphQLError]:
    """Errors for the caps ``document`` exceeds (at most one), in time linear in its size."""
    fragments: dict[str, FragmentDefinitionNode] = {}
    operations: list[OperationDefinitionNode] = []
    for definition in document.definitions:
        if isinstance(definition, FragmentDefinitionNode):
            fragments.setdefault(definition.name.value, definition)
        elif isinstance(definition, OperationDefinitionNode):
            operations.append(definition)
    count = sum(isinstance(d, FragmentDefinitionNode) for d in document.definitions)
    if count > limits.max_fragments:
        return [limit_error(f"Too many fragments: {count}, at most {limits.max_fragments}.")]
    walker = _Walker(fragments, limits)
    try:
        for operation in operations:
            shape = walker.selection_set(operation.selection_set, 0)
            # Root fields are at depth 0, as with Strawberry's limiter (shape counts levels).
            if shape.depth - 1 > limits.max_depth:
                name = operation.name.value if operation.name else "anonymous"
                return [
                    limit_error(
                        f"'{name}' exceeds maximum operation depth of {limits.max_depth}.",
                        [operation],
                    )
                ]
        # Unused fragments are measured too: they cost the standard rules all the same.
        for name in fragments:
            walker.definition(name, 0)
    except _OverLimit as exc:
        return [limit_error(exc.message)]
    return []


class _Budget(ValidationRule):
    """Aborts validation once it has run longer than its budget (checked every 64 nodes)."""

    deadline = 0.0
    budget_s = 0.0

    def __init__(self, context: ValidationContext) -> None:
        super().__init__(context)
        self._seen = 0

    def enter(self, *args: Any) -> None:
        self._seen += 1
        if not self._seen & 63 and time.monotonic() > self.deadline:
            raise ValidationAbortedError(
                f"Validation took longer than {self.budget_s:g} s: send a smaller query.",
                extensions={"code": LIMIT_CODE},
            )


@dataclass(frozen=True, slots=True)
class Prepared:
    """A query after preparation: its document (None when it did not parse) and errors."""

    query: str
    document: DocumentNode | None
    errors: tuple[GraphQLError, ...]


# The preparation an HTTP request made before calling the schema, for its extension to use.
_current: contextvars.ContextVar[Prepared | None] = contextvars.ContextVar(
    "atspro_prepared", default=None
)


class DocumentPreparer:
    """Parses, checks and validates queries: cached when short, off the loop when long."""

    def __init__(self, limits: DocumentLimits, *, threads: int = 1) -> None:
        self.limits = limits
        self._cache: OrderedDict[str, Prepared] = OrderedDict()
        self._introspection: OrderedDict[
            tuple[int, str | None, bytes], tuple[DocumentNode, ExecutionResult]
        ] = OrderedDict()
        # One thread: long documents from many clients queue here instead of all competing
        # with the event loop for the interpreter (the GIL) at once.
        self._pool = ThreadPoolExecutor(max_workers=threads, thread_name_prefix="graphql-doc")
        self.schema: GraphQLSchema | None = None

    @property
    def parse_options(self) -> dict[str, Any]:
        return {
            "max_tokens": self.limits.max_tokens,
            "max_source_length": self.limits.max_chars,
        }

    def prepare_now(self, query: str) -> Prepared:
        """``query`` prepared on the calling thread (from the cache when it was seen)."""
        cached = self._cache.get(query)
        if cached is not None:
            self._cache.move_to_end(query)
            return cached
        prepared = self._prepare(query)
        self._remember(prepared)
        return prepared

    async def prepare(self, query: str) -> Prepared:
        """``query`` prepared, in a worker thread when long; also handed to the extension."""
        cached = self._cache.get(query)
        if cached is not None:
            self._cache.move_to_end(query)
            prepared = cached
        elif len(query) <= OFFLOAD_CHARS or len(query) > self.limits.max_chars:
            # Short, or refused by its length before the lexer starts: no thread needed.
            prepared = self._prepare(query)
            self._remember(prepared)
        else:
            loop = asyncio.get_running_loop()
            prepared = await loop.run_in_executor(self._pool, self._prepare, query)
            self._remember(prepared)
        _current.set(prepared)
        return prepared

    def take(self, query: str | None) -> Prepared | None:
        """What :meth:`prepare` made for ``query`` in this request, else a fresh preparation."""
        if query is None:
            return None
        prepared = _current.get()
        if prepared is not None and prepared.query is query:
            return prepared
        if len(query) > self.limits.max_chars:
            # Strawberry's own parse refuses it with the parser's message, in constant time.
            return None
        return self.prepare_now(query)

    async def introspect(
        self, document: DocumentNode, operation_name: str | None, variables: Any
    ) -> ExecutionResult | None:
        """The result of an introspection-only query, computed off the loop (and cached);
        None for any other operation.

        Introspection reads only the schema, yet the standard query costs 40 ms of Python
        per request: on the loop, a client repeating it delays every other request.
        """
        try:
            operation = get_operation_ast(document, operation_name)
        except GraphQLError:
            return None
        if operation is None or operation.operation is not OperationType.QUERY:
            return None
        selections = operation.selection_set.selections
        if not all(isinstance(f, FieldNode) and f.name.value.startswith("__") for f in selections):
            return None
        try:
            encoded = orjson.dumps(variables, option=orjson.OPT_SORT_KEYS)
        except TypeError:  # an upload among the variables: not worth a cache entry
            return None
        key = (id(document), operation_name, encoded)
        cached = self._introspection.get(key)
        if cached is not None and cached[0] is document:
            return cached[1]
        assert self.schema is not None
        loop = asyncio.get_running_loop()
        result = await loop.run_in_executor(
            self._pool, execute_sync, self.schema, document, None, None, variables, operation_name
        )
        # Keyed by the (cached) document object: only documents the cache keeps are reused.
        if not result.errors:
            self._introspection[key] = (document, result)
            if len(self._introspection) > INTROSPECTION_CACHE_SIZE:
                self._introspection.popitem(last=False)
        return result

    def close(self) -> None:
        self._pool.shutdown(wait=False, cancel_futures=True)

    def _remember(self, prepared: Prepared) -> None:
        # Refused documents are not kept: an attacker's endless distinct ones would fill the
        # cache with parsed trees that live long enough for every full garbage collection to
        # walk them (150 ms pauses of the event loop under a fragment-bomb flood), and
        # refusing again costs about 2 ms.
        if len(prepared.query) > CACHE_CHARS or prepared.errors:
            return
        self._cache[prepared.query] = prepared
        if len(self._cache) > CACHE_SIZE:
            self._cache.popitem(last=False)

    def _prepare(self, query: str) -> Prepared:
        try:
            document = parse(query, **self.parse_options)
        except GraphQLError as exc:
            return Prepared(query, None, (exc,))
        errors = check_document(document, self.limits)
        if not errors:
            errors = self._validate(document)
        return Prepared(query, document, tuple(errors))

    def _validate(self, document: DocumentNode) -> list[GraphQLError]:
        assert self.schema is not None, "DocumentPreparer.schema is set by build_schema"
        # A rule class per call carries this call's deadline (rules are built by class).
        budget = type(
            "Budget",
            (_Budget,),
            {"deadline": time.monotonic() + self.limits.budget_s, "budget_s": self.limits.budget_s},
        )
        return validate_document(self.schema, document, (budget, *specified_rules))
