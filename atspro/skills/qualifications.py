"""Qualifications in posting text: degrees, certificates, licences and cards.

A qualification is a noun phrase whose head names a credential ("degree", "licence",
"certificate", "qualification"), or a degree/award abbreviation ("BSc", "NVQ Level 3",
"HND"), grown left over its modifiers ("full clean driving licence") and right over its
subject ("BSc in Computer Science") and level ("NVQ Level 3"). "Qualified/certified in X"
counts too. The abbreviations are general knowledge of English-language credentials.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from typing import Final

from atspro.skills.tokens import Token
from atspro.skills.wordclass import INTENSIFIERS, word_classes

# Head nouns that name a credential.
_HEADS: Final = frozenset(
    [
        "degree",
        "degrees",
        "qualification",
        "qualifications",
        "licence",
        "licences",
        "license",
        "licenses",
        "certificate",
        "certificates",
        "certification",
        "certifications",
        "diploma",
        "diplomas",
        "accreditation",
        "chartership",
    ]
)
# A card or pass counts only with a modifier: "CSCS card", "security pass".
_WEAK_HEADS: Final = frozenset({"card", "cards", "pass", "passport", "ticket", "tickets"})
# Degree and award abbreviations (UK, US, EU and professional bodies), folded.
_AWARDS: Final = frozenset(
    [
        "bsc",
        "ba",
        "bs",
        "bba",
        "beng",
        "meng",
        "msc",
        "ma",
        "ms",
        "mba",
        "mphil",
        "phd",
        "dphil",
        "md",
        "llb",
        "llm",
        "bed",
        "pgce",
        "ged",
        "hnd",
        "hnc",
        "nvq",
        "nvqs",
        "svq",
        "btec",
        "gcse",
        "gcses",
        "a-level",
        "a-levels",
        "alevel",
        "alevels",
        "aat",
        "acca",
        "cima",
        "aca",
        "cipd",
        "cips",
        "cfa",
        "cpa",
        "frm",
        "cscs",
        "smsts",
        "sssts",
        "iosh",
        "nebosh",
        "ecs",
        "prince2",
        "pmp",
    ]
)
_LEVEL_WORDS: Final = frozenset({"level", "grade", "part", "stage"})
# Participles that make "qualified in X" a qualification.
_CREDITED: Final = frozenset({"qualified", "certified", "accredited", "chartered", "registered"})
_STOP_MODIFIERS: Final = frozenset(
    [
        "relevant",
        "related",
        "equivalent",
        "appropriate",
        "recognised",
        "recognized",
        "suitable",
        "similar",
        "good",
        "strong",
        "any",
        "required",
        "desirable",
        "essential",
        "preferred",
        "minimum",
    ]
)
MAX_MODIFIERS: Final = 4
_LEVEL_RE: Final = re.compile(r"^(?:\d{1,2}|[ivx]{1,4})$", re.IGNORECASE)


def match_qualifications(tokens: Sequence[Token]) -> list[tuple[int, int]]:
    """Token spans (first, last inclusive) of qualifications, in text order."""
    spans: list[tuple[int, int]] = []
    index = 0
    while index < len(tokens):
        span = _qualification_at(tokens, index)
        if span is None:
            index += 1
            continue
        first, last = span
        if spans and first <= spans[-1][1]:
            # "CSCS" then "valid CSCS card": one credential.
            first = min(first, spans[-1][0])
            spans.pop()
        spans.append((first, last))
        index = last + 1
    return spans


def _qualification_at(tokens: Sequence[Token], index: int) -> tuple[int, int] | None:
    word = tokens[index].folded
    if word in _AWARDS and _award_written(tokens[index]):
        first = _awards_before(tokens, index)
        return first, _subject_after(tokens, _level_after(tokens, index))
    if word in _HEADS or (word in _WEAK_HEADS and _modifiers_before(tokens, index) < index):
        first = _modifiers_before(tokens, index)
        if word in _WEAK_HEADS and first == index:
            return None
        return first, _subject_after(tokens, index)
    if word in _CREDITED and index + 2 < len(tokens) and tokens[index + 1].folded == "in":
        last = _subject_after(tokens, index)
        return (index, last) if last > index else None
    return None


def _award_written(token: Token) -> bool:
    """Abbreviations must look like one ("BSc", "NVQ"), not the words "ma" or "ms"."""
    text = token.text
    return any(ch.isupper() for ch in text[1:]) or (text.isupper() and len(text) > 1)


def _awards_before(tokens: Sequence[Token], index: int) -> int:
    """Grow left over "Degree / HND /" alternatives written before an award."""
    first = index
    while (
        first >= 2
        and tokens[first - 1].text == "/"
        and (tokens[first - 2].folded in _AWARDS or tokens[first - 2].folded in _HEADS)
    ):
        first -= 2
    return first


def _modifiers_before(tokens: Sequence[Token], index: int) -> int:
    first = index
    while first > 0 and index - first < MAX_MODIFIERS:
        token = tokens[first - 1]
        if not token.is_word or token.folded in _STOP_MODIFIERS or token.folded in INTENSIFIERS:
            break
        classes = word_classes(token.folded)
        if not classes & {"NOUN", "ADJ", "VERB"} or classes & {"DET", "PREP", "PRON", "AUX"}:
            break
        first -= 1
    return first


def _level_after(tokens: Sequence[Token], index: int) -> int:
    """ "NVQ Level 3", "NVQ 2": the level written after an award."""
    nxt = index + 1
    if nxt < len(tokens) and tokens[nxt].folded in _LEVEL_WORDS:
        nxt += 1
    if nxt < len(tokens) and _LEVEL_RE.match(tokens[nxt].text):
        return nxt
    return index


def _subject_after(tokens: Sequence[Token], index: int) -> int:
    """ "... in Civil Engineering": capitalised or noun words after "in", up to four."""
    if index + 2 >= len(tokens) or tokens[index + 1].folded not in ("in", "of"):
        return index
    last = index + 1
    while last + 1 < len(tokens) and last - index <= MAX_MODIFIERS:
        token = tokens[last + 1]
        classes = word_classes(token.folded)
        if not token.is_word or classes & {"DET", "PREP", "PRON", "AUX", "SUB", "CONJ"}:
            break
        last += 1
    return last if last > index + 1 else index
