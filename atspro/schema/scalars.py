"""JSON payloads as clients read them: the same camelCase keys as every GraphQL field."""

from __future__ import annotations

from typing import Any

from strawberry.scalars import JSON
from strawberry.utils.str_converters import to_camel_case


def camel_keys(value: Any) -> Any:
    """``value`` with every mapping key, at any depth, in camelCase; values are left alone."""
    if isinstance(value, dict):
        return {to_camel_case(str(k)): camel_keys(v) for k, v in value.items()}
    if isinstance(value, list | tuple):
        return [camel_keys(v) for v in value]
    return value


def camel_json(value: dict[str, Any]) -> JSON:
    """A JSON scalar for a stored dict: storage keeps Python's snake_case, clients get camelCase.

    Only for dicts whose keys are field names; a dict keyed by data (ids, skill names) keeps
    its keys as they are.
    """
    return JSON(camel_keys(value))
