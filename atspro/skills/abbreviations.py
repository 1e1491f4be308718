"""Function words written in capitals are abbreviations: "IT Service", "US GAAP", "AS level".

The phrase rules read a word's class from its folded form, so the pronoun "it" and the
abbreviation "IT" would read alike and a phrase would end at "failed IT". A capitalised
function word among ordinary words (not a heading in capitals) is re-keyed with its
letters spelt out ("i.t."), which no closed list holds and which reads as a noun.
"""

from __future__ import annotations

import dataclasses
from collections.abc import Sequence

from atspro.skills.spans import shouting
from atspro.skills.tokens import Token
from atspro.skills.wordclass import word_classes

_FUNCTION_CLASSES = frozenset({"DET", "PRON", "PREP", "CONJ", "SUB", "AUX"})


def read_abbreviations(tokens: Sequence[Token]) -> list[Token]:
    """The tokens, each capitalised function word that is an abbreviation re-keyed."""
    listed = list(tokens)
    return [
        dataclasses.replace(token, folded=".".join(token.folded) + ".")
        if _abbreviation(listed, index)
        else token
        for index, token in enumerate(listed)
    ]


def _abbreviation(tokens: list[Token], index: int) -> bool:
    text = tokens[index].text
    return (
        len(text) > 1
        and text.isupper()
        and bool(word_classes(tokens[index].folded) & _FUNCTION_CLASSES)
        and not shouting(tokens, index)
    )
