"""Descriptions for GraphQL types built from classes that cannot carry them in their bodies.

A pydantic mirror (``strawberry.experimental.pydantic.type``) takes field descriptions only
from the engine's models, whose schemas the language model reads, and an enum registered from
the engine's own class (``strawberry.enum(model.TaskStatus)``) could describe its values only
by changing that class. These set the descriptions on Strawberry's definitions instead and
refuse unknown names, so a renamed field or value fails at import rather than going bare.
"""

from __future__ import annotations

from typing import TypeVar

from strawberry.types.base import get_object_definition
from strawberry.types.enum import has_enum_definition

T = TypeVar("T")


def describe_fields(cls: type[T], **descriptions: str) -> type[T]:
    """``cls`` with the GraphQL fields named (by Python name) in ``descriptions`` described."""
    fields = {f.python_name: f for f in get_object_definition(cls, strict=True).fields}
    _check(cls, descriptions, set(fields))
    for name, text in descriptions.items():
        fields[name].description = text
    return cls


def describe_values(enum_cls: type[T], **descriptions: str) -> type[T]:
    """``enum_cls`` (a registered Strawberry enum) with the values named in ``descriptions``
    described."""
    registered: object = enum_cls
    if not has_enum_definition(registered):
        raise TypeError(f"{enum_cls.__name__} is not a Strawberry enum")
    values = {v.name: v for v in registered.__strawberry_definition__.values}
    _check(enum_cls, descriptions, set(values))
    for name, text in descriptions.items():
        values[name].description = text
    return enum_cls


def _check(cls: type, descriptions: dict[str, str], known: set[str]) -> None:
    unknown = sorted(set(descriptions) - known)
    if unknown:
        raise ValueError(f"{cls.__name__} has no {', '.join(unknown)} to describe")
