"""Names nobody listed, told by their shape.

Acronyms ("ETL"), mixed case ("GraphQL"), letters with digits ("EC2"), glued "#"/"+"
("F#"), dotted names ("Three.js"), each with a following version ("Python 3.11").
"""

from __future__ import annotations

import re

from wordfreq import zipf_frequency

from atspro.skills import lexicon
from atspro.skills.spans import Match, extend_version, glued, shouting
from atspro.skills.tokens import Token

_CAMEL_RE = re.compile(r"[a-z][A-Z]|^[A-Z]{2,}[a-z]+[A-Z]")
_ALNUM_RE = re.compile(r"^[A-Za-z]+\d+[A-Za-z\d]*$")
_NOT_TECH_ALNUM_RE = re.compile(r"^(?:[a-z]{1,2}\d+|\d+[a-z]*)$", re.IGNORECASE)
_ACRONYM_RE = re.compile(r"^[A-Z][A-Z0-9&]{1,5}s?$")
# Lower-case letters that make a name with a glued "#" or "+": "c#", "f#", "c++".
_GLUE_CANDIDATES = frozenset({"c", "f", "j", "g"})
_DOTTED_SUFFIXES = frozenset({"js", "io", "net", "ts", "py", "ai"})
# Zipf frequency from which an all-capitals word reads as a shouted word, not an acronym.
SHOUTED_WORD_ZIPF = 3.5


def match_shapes(text: str, tokens: list[Token], taken: list[bool]) -> list[Match]:
    """Shape matches over tokens no earlier pass has taken (marks them taken)."""
    matches: list[Match] = []
    index = 0
    while index < len(tokens):
        token = tokens[index]
        if taken[index] or not token.is_word:
            index += 1
            continue
        last = _dotted_name(tokens, index)
        if last is None and _tech_shaped(tokens, index):
            last = index
        if last is None:
            index += 1
            continue
        last = extend_version(text, tokens, last)
        if any(taken[index : last + 1]):
            index += 1
            continue
        for covered in range(index, last + 1):
            taken[covered] = True
        matches.append(Match(index, last, None))
        index = last + 1
    return matches


def _dotted_name(tokens: list[Token], index: int) -> int | None:
    """The last token of "Three.js" / "socket.io" style names starting at index."""
    if index + 2 >= len(tokens):
        return None
    dot, suffix = tokens[index + 1], tokens[index + 2]
    glued = dot.start == tokens[index].end and suffix.start == dot.end
    if glued and dot.text == "." and suffix.folded in _DOTTED_SUFFIXES:
        return index + 2
    return None


def _markup(tokens: list[Token], index: int) -> bool:
    """True for "<NAME>"-style placeholders and "FULL_TIME"-style identifiers."""
    before = tokens[index - 1].text if glued(tokens, index - 1, index) else ""
    after = tokens[index + 1].text if glued(tokens, index, index + 1) else ""
    return before in ("<", "_", "$", "@") or after in (">", "_")


def _tech_shaped(tokens: list[Token], index: int) -> bool:
    word = tokens[index].text
    if word.islower() and word.isalpha() and word not in _GLUE_CANDIDATES:
        return False  # plain lower-case words have no name shape
    if _markup(tokens, index) or word.casefold() in lexicon.NON_SKILL_ACRONYMS:
        return False
    if word[0].isalpha() and glued(tokens, index, index + 1) and tokens[index + 1].text in "#+":
        return True
    if _CAMEL_RE.search(word):
        return True
    if _ALNUM_RE.match(word) and not _NOT_TECH_ALNUM_RE.match(word):
        return True
    if _ACRONYM_RE.match(word) and sum(ch.isupper() for ch in word) >= 2:
        bare = (word[:-1] if word.endswith("s") else word).casefold()
        # "INTERN", "ART": a shouted everyday word, not an acronym.
        shouted = len(bare) >= 3 and zipf_frequency(bare, "en") >= SHOUTED_WORD_ZIPF
        return (
            bare not in lexicon.NON_SKILL_ACRONYMS and not shouted and not shouting(tokens, index)
        )
    return False
