"""Tokens of skill text and the folded lookup keys built from them.

Skill names mix words with punctuation that matters ("C#", "C++", ".NET", "Node.js",
"CI/CD") and punctuation that does not ("front-end" = "front end"). Text from tokenised
corpora also puts spaces inside names ("Node . js"). Folding a run of tokens into one key
glues the meaningful joiners to their neighbours whatever the spacing, so every spelling
of a name meets the same key.
"""

from __future__ import annotations

import functools
import re
import unicodedata
from dataclasses import dataclass

from atspro.skills.lexicon import SPELLINGS

# A word is letters/digits (with apostrophes inside); every other visible character is a
# token of its own so that joiners can be glued back during folding.
_TOKEN_RE = re.compile(r"[^\W_]+(?:'[^\W_]+)*|[^\w\s]|_")

# Characters that belong to a name when they touch a word: "c#", "c++", "asp.net", "ci/cd".
JOINERS = frozenset({".", "#", "+", "/", "&"})
# Characters dropped from keys: "front-end" and "front end" fold alike.
_DROPPED = frozenset({"-", "_", "'", "\u2019", "\u00ae", "\u2122"})

_SPECIAL = JOINERS | _DROPPED

_DASHES = str.maketrans({"\u2010": "-", "\u2011": "-", "\u2012": "-", "\u2013": "-", "\u2014": "-"})


@dataclass(frozen=True, slots=True)
class Token:
    """One token: its text as written, its folded form, its span, word or punctuation."""

    text: str
    folded: str
    start: int
    end: int
    is_word: bool


def tokenize(text: str) -> list[Token]:
    """Split text into word and punctuation tokens with their offsets."""
    return [
        Token(word, _fold_token(word), m.start(), m.end(), word[0].isalnum())
        for m in _TOKEN_RE.finditer(text)
        for word in (m.group(),)
    ]


@functools.lru_cache(maxsize=65536)
def _fold_token(token: str) -> str:
    folded = unicodedata.normalize("NFKC", token).translate(_DASHES).casefold()
    return SPELLINGS.get(folded, folded)


def join_key(folded: list[str]) -> str:
    """Join folded tokens into one key, gluing joiners to their neighbours."""
    if _SPECIAL.isdisjoint(folded):
        return " ".join(folded)  # plain words: the common case
    parts: list[str] = []
    previous_joiner = True
    for piece in folded:
        if piece in _DROPPED:
            previous_joiner = False
            continue
        is_joiner = piece in JOINERS
        if parts and not (is_joiner or previous_joiner):
            parts.append(" ")
        parts.append(piece)
        previous_joiner = is_joiner
    return "".join(parts).strip()


def fold_tokens(text: str) -> list[str]:
    """The folded tokens of text, without offsets (the fast path for vocabularies)."""
    return [_fold_token(word) for word in _TOKEN_RE.findall(text)]


def fold_key(text: str) -> str:
    """The lookup key of a name: case-folded, dashes dropped, joiners glued."""
    return join_key(fold_tokens(text))
