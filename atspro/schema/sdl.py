"""The schema as SDL: the published contract, committed as ``schema.graphql``."""

from __future__ import annotations

from atspro.schema import build_schema
from atspro.settings import Settings

REGENERATE_COMMAND = ".venv/bin/atspro schema > schema.graphql"


def schema_sdl() -> str:
    """The SDL of the served schema, newline-terminated, the same on every machine."""
    # Settings only tune per-request limits, which the SDL does not show; defaults built
    # without reading the environment keep the output independent of the caller's shell.
    return build_schema(Settings.model_construct()).as_str() + "\n"
