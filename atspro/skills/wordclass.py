"""A light guess at the word classes a word can take, without a tagger.

Closed classes (determiners, prepositions, auxiliaries...) are small hand-written lists;
open classes come from lemminflect's English lexicon (which knows, for each word form,
whether it can be a noun, verb, adjective or adverb, and its lemma). Phrase rules read
these sets together with the words around them, so no single guess has to be right.
"""

from __future__ import annotations

import functools
from typing import Final

import lemminflect

DETERMINERS: Final = frozenset(
    [
        "a",
        "an",
        "the",
        "this",
        "that",
        "these",
        "those",
        "their",
        "your",
        "our",
        "its",
        "his",
        "her",
        "my",
        "some",
        "any",
        "each",
        "every",
        "all",
        "both",
        "either",
        "neither",
        "no",
        "such",
        "another",
        "other",
    ]
)
PRONOUNS: Final = frozenset(
    [
        "you",
        "we",
        "they",
        "it",
        "he",
        "she",
        "i",
        "us",
        "them",
        "him",
        "me",
        "who",
        "whom",
        "whose",
        "what",
        "yourself",
        "ourselves",
        "themselves",
        "itself",
        "one",
    ]
)
PREPOSITIONS: Final = frozenset(
    [
        "of",
        "in",
        "on",
        "at",
        "for",
        "with",
        "to",
        "from",
        "by",
        "within",
        "across",
        "through",
        "via",
        "into",
        "onto",
        "over",
        "under",
        "about",
        "around",
        "between",
        "during",
        "including",
        "alongside",
        "towards",
        "toward",
        "among",
        "amongst",
        "per",
        "against",
        "after",
        "before",
        "without",
        "upon",
        "throughout",
        "like",
        "beyond",
        "behind",
        "beside",
        "besides",
        "near",
        "until",
        "unto",
        "inside",
        "outside",
        "versus",
    ]
)
CONJUNCTIONS: Final = frozenset({"and", "or", "but", "nor", "&", "plus"})
SUBORDINATORS: Final = frozenset(
    [
        "that",
        "which",
        "who",
        "whom",
        "whose",
        "where",
        "when",
        "while",
        "whilst",
        "because",
        "since",
        "so",
        "if",
        "unless",
        "although",
        "though",
        "whether",
        "once",
        "whereby",
        "wherever",
        "whenever",
        "as",
        "than",
    ]
)
AUXILIARIES: Final = frozenset(
    [
        "be",
        "is",
        "are",
        "was",
        "were",
        "been",
        "being",
        "am",
        "will",
        "would",
        "shall",
        "should",
        "can",
        "could",
        "may",
        "might",
        "must",
        "have",
        "has",
        "had",
        "having",
        "do",
        "does",
        "did",
        "'ll",
        "'re",
        "'ve",
    ]
)
# Adverbs that only grade what follows ("very", "highly"): never part of a skill's name.
INTENSIFIERS: Final = frozenset(
    [
        "very",
        "highly",
        "extremely",
        "really",
        "truly",
        "incredibly",
        "exceptionally",
        "fully",
        "particularly",
        "especially",
        "most",
        "more",
        "quite",
        "rather",
        "so",
        "too",
        "well",
        "ideally",
        "preferably",
        "also",
    ]
)


@functools.lru_cache(maxsize=32768)
def word_classes(word: str) -> frozenset[str]:
    """Classes a word form can take: closed-class names, or NOUN/VERB/ADJ/ADV/NUM."""
    folded = word.casefold()
    closed = {
        name
        for name, members in (
            ("DET", DETERMINERS),
            ("PRON", PRONOUNS),
            ("PREP", PREPOSITIONS),
            ("CONJ", CONJUNCTIONS),
            ("SUB", SUBORDINATORS),
            ("AUX", AUXILIARIES),
        )
        if folded in members
    }
    if closed:
        return frozenset(closed)
    if not folded[:1].isalpha():
        return frozenset({"NUM"} if folded[:1].isdigit() else {"PUNCT"})
    found = {tag for tag in lemminflect.getAllLemmas(folded) if tag in _OPEN}
    if not found:
        # Unknown words: names and jargon read as nouns; "-ing" forms as gerunds too.
        found = {"NOUN", "VERB"} if folded.endswith("ing") else {"NOUN"}
    return frozenset(found)


@functools.lru_cache(maxsize=32768)
def verb_form(word: str) -> str | None:
    """ "base" ("manage"), "ing" ("managing"), "other" ("managed"), or None for no verb."""
    folded = word.casefold()
    if "VERB" not in word_classes(folded) or folded in AUXILIARIES:
        return None
    lemmas = lemminflect.getAllLemmas(folded).get("VERB", ())
    if folded in lemmas:
        return "base"
    if folded.endswith("ing"):
        return "ing"
    return "other"


_OPEN: Final = frozenset({"NOUN", "VERB", "ADJ", "ADV"})
