"""Canonical skill names: case, punctuation, plurals, versions and aliases folded away."""

from __future__ import annotations

import re

from atspro.skills import lexicon
from atspro.skills.taxonomy import Concept, Kind, default_taxonomy, strip_qualifier, version_stem
from atspro.skills.tokens import fold_key

# Plural endings that are part of the word, not a plural: "kubernetes", "analytics", "redis".
_KEEP_S = ("ss", "us", "is", "ics", "ous", "as", "os", "ws", "ys", "es", "'s")
# Folded words that end in "-es" yet are plurals of "-e" words: "databases", "services".
_ACRONYM_PLURAL_RE = re.compile(r"[A-Z][A-Z0-9]+s")
_ES_PLURAL_RE = re.compile(r"(?:[^aeiou]e|[aeiou][^aeioux])s$")


def singular(word: str) -> str:
    """A plural English noun's singular ("databases" -> "database"), else the word."""
    if len(word) <= 3 or not word.isalpha() or not word.endswith("s"):
        return word
    if word.endswith("ies") and len(word) > 4:
        return word[:-3] + "y"
    if word.endswith(("sses", "shes", "ches", "xes")):
        return word[:-2]
    if word.endswith("es") and _ES_PLURAL_RE.search(word):
        return word[:-1]
    if word.endswith(_KEEP_S):
        return word
    return word[:-1]


def name_key(name: str) -> str:
    """Folded key of a name without qualifiers; "APIs" loses its plural "s" here."""
    name = strip_qualifier(name)[0]
    if _ACRONYM_PLURAL_RE.fullmatch(name):
        name = name[:-1]
    return fold_key(name)


def lookup_concept(name: str) -> Concept | None:
    """The taxonomy concept behind a name, trying plural and version variants."""
    surfaces = default_taxonomy().surfaces
    key = name_key(name)
    for candidate in _variants(key):
        concept = surfaces.get(candidate)
        if concept is not None:
            return concept
    return None


def _variants(key: str) -> list[str]:
    # The bare name first: "Java 8" must meet "Java" even if a taxonomy lists "Java 8".
    stem = version_stem(key)
    variants = [key] if stem is None else [stem, key]
    words = key.split(" ")
    if words and (last := singular(words[-1])) != words[-1]:
        variants.append(" ".join([*words[:-1], last]))
    return variants


def canonical_skill(name: str) -> str:
    """Normalised key of a skill name: case, punctuation, plurals, versions, aliases."""
    concept = lookup_concept(name)
    if concept is not None:
        return concept.canonical
    key = name_key(name)
    words = (version_stem(key) or key).split(" ")
    written_last = name.split()[-1] if name.split() else ""
    # "WhyLogs", "DevOps": a capital inside the word marks a product name, not a plural.
    if words and words[-1] and not any(ch.isupper() for ch in written_last[1:]):
        words[-1] = singular(words[-1])
    folded = " ".join(words)
    return lexicon.ALIASES.get(folded, folded)


def skill_kind(name: str) -> Kind | None:
    """ "hard" or "soft" for a known skill name, None when the vocabulary lacks it."""
    concept = lookup_concept(name)
    return None if concept is None else concept.kind


def related_skills(canonical: str) -> frozenset[str]:
    """Broader or narrower canonical names related to a skill (empty when none known)."""
    taxonomy = default_taxonomy()
    concept = taxonomy.concepts.get(canonical) or lookup_concept(canonical)
    if concept is None:
        return lexicon.RELATIONS.get(canonical, frozenset())
    narrower = taxonomy.narrower.get(concept.canonical, frozenset())
    return concept.related | narrower
