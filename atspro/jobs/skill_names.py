"""Which skill mentions in a posting's asks and duties a recruiter would accept as skills.

The tagger and vocabulary find candidates; these rules drop whole classes of false finds
that only the posting as a whole can rule out, and add names the tagger missed:

* names of the employer and its products ("Acme Analytics" gives no "analytics");
* words inside web and e-mail addresses;
* one- and two-letter names the vocabulary does not know ("CA" after a city);
* bare common words written in lower case ("throughput", "tooling", "containerization"):
  a skill only when a cue asks for them ("experience with indexing") or when they are
  listed beside a name that stays;
* names written as names that the tagger gave little weight ("PyTorch", "CUDA", TECH_NAMES)
  and unknown lower-case words listed right after a kept name ("Python, including asyncio").
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Sequence
from typing import Final

import lemminflect

from atspro.skills import SkillMention
from atspro.skills.lexicon import CUE_PHRASES, TECH_NAMES
from atspro.skills.normalisation import lookup_concept
from atspro.skills.tokens import fold_key

_ADDRESS: Final = re.compile(r"\S+@\S+|https?://\S+|www\.\S+|\b[\w-]+\.(?:com|io|ai|org|net)\b")
# Derived nouns of activity or quality ("throughput", "tooling", "containerization"): they
# name what work does, not a tool or a field, unless a cue asks for them.
_DERIVED: Final = re.compile(r"(?:i[sz]ation|ation|ing|ment|ness|ity|put)$")
_CUE: Final = re.compile(
    r"(?:"
    + "|".join(re.escape(c) for c in CUE_PHRASES)
    + r"|such as|including|like|e\.g\.)\s+(?:[\w.+#/-]+(?:,\s*|\s+(?:and|or)\s+|\s+)){0,4}$",
    re.IGNORECASE,
)
_CUE_AFTER: Final = re.compile(r"^\s+(?:skills?|experience|knowledge|expertise)\b", re.IGNORECASE)
_LIST_GAP: Final = re.compile(
    r"\s*(?:[,/&+|]\s*(?:(?:and|or)\s+)?|(?:and|or|including)\s+)", re.IGNORECASE
)
_INCLUDING: Final = re.compile(
    r"(?:,?\s*(?:and|or|including|such as|like|e\.g\.|especially)\s+|\s*[,/(]\s*)"
    r"(?P<name>[a-z][a-z0-9_.]{2,}[a-z0-9])\b"
)


def employer_names(company: str, products: Iterable[str]) -> tuple[str, ...]:
    """The names that must never be read as skills: the employer's and its products'."""
    names = [company, *products]
    return tuple(dict.fromkeys(n.strip() for n in names if n and n.strip()))


def _name_words(names: Sequence[str]) -> frozenset[str]:
    keys = {fold_key(n) for n in names}
    keys.update(fold_key(w) for n in names for w in n.split() if len(w) > 2)
    return frozenset(keys)


def _in_names(text: str, mention: SkillMention, names: Sequence[str]) -> bool:
    for name in names:
        for match in re.finditer(re.escape(name), text, re.IGNORECASE):
            if match.start() < mention.end and mention.start < match.end():
                return True
    return False


def _common_word(surface: str, canonical: str) -> bool:
    if " " in surface or not surface.islower() or canonical in TECH_NAMES:
        return False
    return bool(_DERIVED.search(surface))


def _cued(text: str, mention: SkillMention) -> bool:
    before = text[max(0, mention.start - 80) : mention.start]
    return bool(_CUE.search(before) or _CUE_AFTER.match(text[mention.end : mention.end + 20]))


def _written_as_name(surface: str, canonical: str) -> bool:
    # An inner capital (PyTorch, GraphQL) or an acronym of three letters or more (CUDA).
    return (
        canonical in TECH_NAMES
        or bool(re.search(r"[a-z][A-Z]", surface))
        or (surface.isupper() and sum(c.isalpha() for c in surface) >= 3)
    )


def rescue_names(
    text: str, kept: list[SkillMention], vocabulary: list[SkillMention]
) -> list[SkillMention]:
    """Vocabulary names written as names that ``kept`` lacks, plus "X, including asyncio"."""
    out = list(kept)
    for mention in vocabulary:
        if mention.kind != "hard" or not _written_as_name(mention.text, mention.canonical):
            continue
        if any(m.start < mention.end and mention.start < m.end for m in out):
            continue
        out.append(mention)
    for mention in list(out):
        if mention.kind != "hard":
            continue
        found = _INCLUDING.match(text, mention.end)
        if found is None:
            continue
        word = found.group("name")
        start = found.start("name")
        if lemminflect.getAllLemmas(word) or any(m.start <= start < m.end for m in out):
            continue
        out.append(SkillMention(word, start, start + len(word), word, "hard"))
    out.sort(key=lambda m: (m.start, -m.end))
    return out


def accepted_skills(
    text: str, mentions: list[SkillMention], *, names: Sequence[str]
) -> list[SkillMention]:
    """The mentions of ``text`` that stay skills (see the module docstring)."""
    name_keys = _name_words(names)
    addresses = [m.span() for m in _ADDRESS.finditer(text)]
    candidates: list[SkillMention] = []
    for mention in mentions:
        if any(s <= mention.start < e for s, e in addresses):
            continue
        if _in_names(text, mention, names) or (
            mention.kind == "hard" and fold_key(mention.canonical) in name_keys
        ):
            continue
        if len(mention.text.strip()) <= 2 and lookup_concept(mention.text) is None:
            continue  # "CA" after a city; the vocabulary knows the short names ("R", "Go")
        candidates.append(mention)
    sure = [
        m.kind != "hard" or not _common_word(m.text, m.canonical) or _cued(text, m)
        for m in candidates
    ]
    # A common word listed beside a name that stays is one of the listed skills.
    changed = True
    while changed:
        changed = False
        for index, mention in enumerate(candidates):
            if sure[index]:
                continue
            for other in (index - 1, index + 1):
                if 0 <= other < len(candidates) and sure[other]:
                    left, right = sorted((mention, candidates[other]), key=lambda m: m.start)
                    if _LIST_GAP.fullmatch(text[left.end : right.start]):
                        sure[index] = changed = True
                        break
    return [m for m, keep in zip(candidates, sure, strict=True) if keep]
