"""The committed ``schema.graphql`` is the schema the code serves, and all of it is described."""

from __future__ import annotations

import difflib
import enum
from pathlib import Path

import pytest
import strawberry
from graphql import (
    GraphQLEnumType,
    GraphQLInputObjectType,
    GraphQLInterfaceType,
    GraphQLObjectType,
    GraphQLSchema,
)
from graphql import build_schema as parse_sdl

from atspro.cli import main
from atspro.schema import build_schema
from atspro.schema.describe import describe_fields, describe_values
from atspro.schema.sdl import REGENERATE_COMMAND, schema_sdl
from atspro.settings import Settings

SCHEMA_FILE = Path(__file__).resolve().parents[1] / "schema.graphql"


def test_committed_schema_matches_the_code() -> None:
    committed = SCHEMA_FILE.read_text() if SCHEMA_FILE.is_file() else ""
    current = schema_sdl()
    if committed != current:
        diff = difflib.unified_diff(
            committed.splitlines(),
            current.splitlines(),
            "schema.graphql (committed)",
            "schema (code)",
            lineterm="",
        )
        shown = "\n".join(list(diff)[:60])
        pytest.fail(f"schema.graphql is stale: run `{REGENERATE_COMMAND}`\n{shown}")


def test_the_schema_command_prints_the_sdl(capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["schema"]) == 0
    assert capsys.readouterr().out == schema_sdl()


def test_the_sdl_does_not_depend_on_settings(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("MAX_QUERY_DEPTH", "3")
    monkeypatch.setenv("MAX_ALIASES", "2")
    tuned = build_schema(Settings(max_query_depth=4, max_aliases=1, max_query_tokens=50))
    assert tuned.as_str() + "\n" == schema_sdl()


def undescribed(schema: GraphQLSchema) -> list[str]:
    """Every named type, field, argument and enum value of ``schema`` without a description."""
    missing: list[str] = []
    for name, kind in sorted(schema.type_map.items()):
        if name.startswith("__") or name in {"String", "Int", "Float", "Boolean", "ID"}:
            continue
        if not (kind.description or "").strip():
            missing.append(f"type {name}")
        if isinstance(kind, GraphQLObjectType | GraphQLInterfaceType | GraphQLInputObjectType):
            for field_name, field in kind.fields.items():
                if not (field.description or "").strip():
                    missing.append(f"field {name}.{field_name}")
                for arg_name, arg in getattr(field, "args", {}).items():
                    if not (arg.description or "").strip():
                        missing.append(f"argument {name}.{field_name}({arg_name})")
        if isinstance(kind, GraphQLEnumType):
            missing += [
                f"enum value {name}.{value_name}"
                for value_name, value in kind.values.items()
                if not (value.description or "").strip()
            ]
    return missing


def test_every_operation_type_field_and_argument_is_described() -> None:
    schema = build_schema(Settings.model_construct())._schema
    # The docs pane is the client's manual: an undocumented addition fails here.
    missing = undescribed(schema)
    assert not missing, f"{len(missing)} without a description:\n" + "\n".join(missing)


def test_the_walk_finds_each_kind_of_gap() -> None:
    sdl = '"""Q"""\ntype Query {\n  """f"""\n  f(a: Int): E\n  g: Int\n}\nenum E { X }\n'
    assert undescribed(parse_sdl(sdl)) == [
        "type E",
        "enum value E.X",
        "argument Query.f(a)",
        "field Query.g",
    ]


def test_describing_a_name_that_does_not_exist_fails() -> None:
    @strawberry.type
    class Thing:
        size: int

    with pytest.raises(ValueError, match="Thing has no colour"):
        describe_fields(Thing, colour="Its colour.")

    class Plain(enum.Enum):
        RED = "red"

    with pytest.raises(TypeError, match="not a Strawberry enum"):
        describe_values(Plain, RED="Red.")

    @strawberry.enum
    class Colour(enum.Enum):
        RED = "red"

    with pytest.raises(ValueError, match="Colour has no BLUE"):
        describe_values(Colour, BLUE="Blue.")
    assert describe_values(Colour, RED="Red.") is Colour
