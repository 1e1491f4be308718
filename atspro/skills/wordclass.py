"""A light guess at the word classes a word can take, without a tagger.

Closed classes (determiners, prepositions, auxiliaries...) are small hand-written lists;
open classes come from lemminflect's English lexicon (which knows, for each word form,
whether it can be a noun, verb, adjective or adverb, and its lemma). Phrase rules read
these sets together with the words around them, so no single guess has to be right.
"""

from __future__ import annotations

import functools
from typing import Final


def word_set(words: str) -> frozenset[str]:
    """A frozen set of the space-separated words (keeps long word lists compact)."""
    return frozenset(words.split())


DETERMINERS: Final = word_set(
    "a an the this that these those their your our its his her my some any each every "
    "all both either neither no such another other"
)
POSSESSIVES: Final = word_set("their your our its his her my")
PRONOUNS: Final = word_set(
    "you we they it he she i us them him me who whom whose what yourself ourselves "
    "themselves itself"
)
PREPOSITIONS: Final = word_set(
    "of in on at for with to from by within across through via into onto over under about "
    "around between during including alongside towards toward among amongst per against "
    "after before without upon throughout like beyond behind beside besides near until "
    "unto inside outside versus"
)
CONJUNCTIONS: Final = word_set("and or but nor & plus")
SUBORDINATORS: Final = word_set(
    "that which who whom whose where when while whilst because since so if unless although "
    "though whether once whereby wherever whenever as than "
    # Connectives open a clause as subordinators do: ", however prospects here are ...".
    "however therefore thus hence otherwise"
)
AUXILIARIES: Final = word_set(
    "be is are was were been being am will would shall should can could may might must "
    "have has had having do does did"
)
# Adverbs that only grade what follows ("very", "highly"): never part of a skill's name.
INTENSIFIERS: Final = word_set(
    "very highly extremely really truly incredibly exceptionally fully particularly "
    "especially most more quite rather too well ideally preferably also always"
)
_CLOSED: Final = (
    ("DET", DETERMINERS),
    ("PRON", PRONOUNS),
    ("PREP", PREPOSITIONS),
    ("CONJ", CONJUNCTIONS),
    ("SUB", SUBORDINATORS),
    ("AUX", AUXILIARIES),
)
_OPEN: Final = frozenset({"NOUN", "VERB", "ADJ", "ADV"})


@functools.lru_cache(maxsize=32768)
def word_classes(word: str) -> frozenset[str]:
    """Classes a word form can take: closed-class names, or NOUN/VERB/ADJ/ADV, NUM, PUNCT."""
    folded = word.casefold()
    closed = {name for name, members in _CLOSED if folded in members}
    if closed:
        return frozenset(closed)
    if not folded[:1].isalpha():
        return frozenset({"NUM"} if folded[:1].isdigit() else {"PUNCT"})
    found = {tag for tag in _lemmas(folded) if tag in _OPEN}
    # Unknown words (names, jargon, glued words) read as nouns.
    return frozenset(found or {"NOUN"})


@functools.lru_cache(maxsize=32768)
def verb_form(word: str) -> str | None:
    """ "base" ("manage"), "ing" ("managing"), "other" ("managed"), or None for no verb."""
    folded = word.casefold()
    if "VERB" not in word_classes(folded):
        return None
    if folded in _lemmas(folded).get("VERB", ()):
        return "base"
    return "ing" if folded.endswith("ing") else "other"


def verb_lemmas(word: str) -> frozenset[str]:
    """The base forms ``word`` may be a form of as a verb ("received" -> "receive")."""
    return frozenset(_lemmas(word.casefold()).get("VERB", ()))


def _lemmas(word: str) -> dict[str, tuple[str, ...]]:
    # Imported on first use: lemminflect pulls numpy, which callers of names alone never need.
    import lemminflect

    lemmas: dict[str, tuple[str, ...]] = lemminflect.getAllLemmas(word)
    return lemmas
