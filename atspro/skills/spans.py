"""Matches over tokens, and what the tokens around a match say about it."""

from __future__ import annotations

import re
from dataclasses import dataclass

from atspro.skills.taxonomy import Concept
from atspro.skills.tokens import Token

# Tokens that end a sentence or open a line item, after which capitals prove nothing.
_SENTENCE_STARTS = frozenset(".!?:;-*\u2022\u00b7\u25cf\u25aa\u2023\u2043\u2013\u2014")
_VERSION_RE = re.compile(r"^v?\d+(?:\.\d+)*[a-z]?$", re.IGNORECASE)


@dataclass(slots=True)
class Match:
    """A candidate skill: token indices (inclusive), its concept if known, weak or sure."""

    first: int
    last: int
    concept: Concept | None
    weak: bool = False


def line_break(text: str, left: Token, right: Token) -> bool:
    """True when a line ends between two tokens."""
    return "\n" in text[left.end : right.start]


def sentence_initial(text: str, tokens: list[Token], index: int) -> bool:
    """True when the token opens a sentence, line or list item."""
    if index == 0:
        return True
    previous = tokens[index - 1]
    return previous.text in _SENTENCE_STARTS or line_break(text, previous, tokens[index])


def shouting(tokens: list[Token], index: int) -> bool:
    """True when the neighbouring words are upper case too (a heading, not an acronym)."""
    neighbours = [
        tokens[i].text
        for i in (index - 1, index + 1)
        if 0 <= i < len(tokens) and tokens[i].is_word and tokens[i].text.isalpha()
    ]
    return any(len(word) > 1 and word.isupper() for word in neighbours)


def glued(tokens: list[Token], left: int, right: int) -> bool:
    """True when two tokens touch with no space between."""
    return left >= 0 and right < len(tokens) and tokens[left].end == tokens[right].start


def extend_version(text: str, tokens: list[Token], last: int) -> int:
    """Grow a name over a following version number: "Python 3.11", "Angular 2+"."""
    nxt = last + 1
    if nxt >= len(tokens) or line_break(text, tokens[last], tokens[nxt]):
        return last
    if not _VERSION_RE.match(tokens[nxt].text) or len(tokens[nxt].text) > 8:
        return last
    # "Java 8" yes, "Java 2021" (a year) or "Python 100" (a count) no.
    number = tokens[nxt].text.lstrip("vV").split(".")[0]
    if number.isdigit() and int(number) > 30:
        return last
    end = nxt
    while end + 2 < len(tokens) and tokens[end + 1].text == "." and tokens[end + 2].text.isdigit():
        end += 2
    if (
        end + 1 < len(tokens)
        and tokens[end + 1].text == "+"
        and tokens[end + 1].start == tokens[end].end
    ):
        end += 1
    return end
