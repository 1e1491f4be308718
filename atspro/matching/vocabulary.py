"""The one place matching talks to the skills taxonomy (``atspro.skills``).

Calls are cached here because scoring asks about the same few hundred phrases again and
again (a resume's n-grams, a posting's requirements) and has a 20 ms budget.
"""

from __future__ import annotations

import importlib
import re
from dataclasses import dataclass
from functools import cache, lru_cache
from types import ModuleType
from typing import Literal

_FOLD = re.compile(r"[^a-z0-9+#./ ]+")
_SPACES = re.compile(r"\s+")


@dataclass(frozen=True, slots=True)
class Mention:
    """A skill found in a text: character span, canonical key and kind."""

    start: int
    end: int
    canonical: str
    kind: Literal["hard", "soft"]


@cache
def _skills() -> ModuleType | None:
    # The taxonomy is built by a teammate; scoring still works on plain phrases without it.
    try:
        module = importlib.import_module("atspro.skills")
    except ImportError:
        return None
    wanted = ("canonical_skill", "extract_skills", "related_skills", "skill_kind")
    return module if all(hasattr(module, name) for name in wanted) else None


def fold_phrase(text: str) -> str:
    """Lower-case a phrase and squeeze punctuation and spaces (the key without a taxonomy)."""
    folded = _FOLD.sub(" ", text.lower().replace("-", " "))
    return _SPACES.sub(" ", folded).strip(" ./")


@lru_cache(maxsize=65536)
def canonical_term(text: str) -> str:
    """The taxonomy's canonical key for a skill phrase ("JS" -> "javascript")."""
    module = _skills()
    if module is None:
        return fold_phrase(text)
    return str(module.canonical_skill(text))


@lru_cache(maxsize=8192)
def related_terms(canonical: str) -> frozenset[str]:
    """Broader/narrower skills of a canonical skill, for partial credit."""
    module = _skills()
    if module is None:
        return frozenset()
    return frozenset(str(item) for item in module.related_skills(canonical))


@lru_cache(maxsize=4096)
def find_mentions(text: str) -> tuple[Mention, ...]:
    """Skills mentioned in ``text`` in text order (empty without a taxonomy)."""
    module = _skills()
    if module is None:
        return ()
    found: list[Mention] = []
    for item in module.extract_skills(text):
        kind: Literal["hard", "soft"] = "soft" if item.kind == "soft" else "hard"
        found.append(Mention(int(item.start), int(item.end), str(item.canonical), kind))
    return tuple(found)


@lru_cache(maxsize=65536)
def kind_of(text: str) -> Literal["hard", "soft"] | None:
    """Whether a phrase is a hard or a soft skill, or None when the taxonomy does not know."""
    module = _skills()
    if module is None:
        return None
    kind = module.skill_kind(text)
    if kind == "soft":
        return "soft"
    return "hard" if kind == "hard" else None
