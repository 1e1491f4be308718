"""Token features of the skill tagger: small pure functions over one sentence of tokens.

Each token gets string features (crfsuite reads a present string as weight 1): its
folded form and affixes, its shape, the word classes it can take (``wordclass.py``), how
common it is in English (wordfreq), and where it falls in the longest Lightcast/ESCO name
found at its position (the gazetteer, as B/I). Neighbours within two tokens lend their
form, shape, classes and gazetteer tag under a position prefix ("-1:", "+2:").
"""

from __future__ import annotations

import functools
import re
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Final, Literal

from wordfreq import zipf_frequency

from atspro.skills.taxonomy import Kind, Taxonomy
from atspro.skills.tokens import fold_tokens, join_key
from atspro.skills.wordclass import verb_form, word_classes

FeatureSet = Literal["full", "no-gazetteer"]
FEATURE_SETS: Final[tuple[FeatureSet, ...]] = ("full", "no-gazetteer")

# Punctuation peeled off a token's edges before look-ups ("Python:" reads as "Python");
# "+" and "#" stay, since they end names ("C++", "C#").
_EDGE = "\"'()[]{}<>.,;:!?*\u2022\u2013\u2014\u201c\u201d\u2018\u2019"
_WINDOW: Final = (-2, -1, 1, 2)
_SHAPE_RUNS = re.compile(r"(.)\1+")


@dataclass(frozen=True, slots=True)
class Gazetteer:
    """Folded names from the taxonomy's own sources, their kinds and every token prefix."""

    names: dict[str, Kind]
    prefixes: frozenset[str]
    max_tokens: int

    @classmethod
    def from_taxonomy(cls, taxonomy: Taxonomy) -> Gazetteer:
        """Read the Lightcast/ESCO surfaces (never our hand-written lexicon)."""
        prefixes: set[str] = set()
        longest = 1
        for key in taxonomy.external:
            words = key.split(" ")
            longest = max(longest, len(words))
            prefixes.update(" ".join(words[:n]) for n in range(1, len(words)))
        return cls(dict(taxonomy.external), frozenset(prefixes), longest)


def core(token: str) -> str:
    """The token without edge punctuation (or the token itself when nothing else is left)."""
    return token.strip(_EDGE) or token


def shape(token: str) -> str:
    """Character classes with runs collapsed: "Python" -> "Xx", "C++" -> "X+", "3.5" -> "d.d"."""
    mapped = "".join(
        "X" if ch.isupper() else "x" if ch.isalpha() else "d" if ch.isdigit() else ch
        for ch in token[:12]
    )
    return _SHAPE_RUNS.sub(r"\1", mapped)


@functools.lru_cache(maxsize=65536)
def _zipf_band(word: str) -> str:
    # Rare words are names and jargon more often; bands keep the feature count small.
    zipf = zipf_frequency(word, "en") if word.isalpha() else 0.0
    return "0" if zipf == 0 else str(min(6, int(zipf)))


@functools.lru_cache(maxsize=65536)
def _classes(word: str) -> str:
    if not word[:1].isalnum():
        return "PUNCT"
    found = sorted(word_classes(word))
    form = verb_form(word)
    return "|".join(found) + (f"/{form}" if form else "")


@functools.lru_cache(maxsize=131072)
def _lexical(token: str) -> tuple[str, ...]:
    """Features of the token alone (cached: postings repeat their words)."""
    bare = core(token)
    lower = bare.casefold()
    feats = [f"w={lower}", f"sh={shape(bare)}", f"wc={_classes(lower)}", f"z={_zipf_band(lower)}"]
    if bare != token:
        feats.append(f"edge={token[len(token.rstrip(_EDGE)) :][:2]}")
    for n in (2, 3, 4):
        if len(lower) > n:
            feats.extend((f"p{n}={lower[:n]}", f"s{n}={lower[-n:]}"))
    if bare.isupper() and len(bare) > 1:
        feats.append("upper")
    elif bare[:1].isupper():
        feats.append("title")
    if any(ch.isupper() for ch in bare[1:]) and any(ch.islower() for ch in bare):
        feats.append("camel")
    if any(ch.isdigit() for ch in bare):
        feats.append("digit")
    for mark in "-/.+#&":
        if mark in bare[1:]:
            feats.append(f"has{mark}")
    if token.startswith("<") and token.endswith(">"):
        feats.append("placeholder")  # SkillSpan's anonymised "<ORGANIZATION>"
    feats.append(f"len={min(len(bare), 12) // 3}")
    return tuple(feats)


def _fold(token: str) -> str:
    return join_key(fold_tokens(core(token)))


def gazetteer_tags(tokens: Sequence[str], gazetteer: Gazetteer) -> list[str]:
    """Longest gazetteer name from each position, left to right: "B-hard", "I-soft", "O"."""
    folded = [_fold(token) for token in tokens]
    tags = ["O"] * len(tokens)
    index = 0
    while index < len(tokens):
        best = 0
        kind: Kind = "hard"
        for last in range(index, min(len(tokens), index + gazetteer.max_tokens)):
            key = " ".join(folded[index : last + 1])
            if key in gazetteer.names:
                best, kind = last - index + 1, gazetteer.names[key]
            if key not in gazetteer.prefixes:
                break
        if best == 0:
            index += 1
            continue
        span = "1" if best == 1 else "n"
        tags[index] = f"B-{kind}-{span}"
        for inside in range(index + 1, index + best):
            tags[inside] = f"I-{kind}-{span}"
        index += best
    return tags


def sentence_features(
    tokens: Sequence[str], gazetteer: Gazetteer | None, feature_set: FeatureSet = "full"
) -> list[list[str]]:
    """Features of every token of one sentence, context window included."""
    lexical = [_lexical(token) for token in tokens]
    words = [feats[0] for feats in lexical]
    shapes = [feats[1] for feats in lexical]
    classes = [feats[2] for feats in lexical]
    use_gazetteer = gazetteer is not None and feature_set == "full"
    gazetteer_feats = ["g=-"] * len(tokens)
    single: list[str] = []
    if use_gazetteer and gazetteer is not None:
        gazetteer_feats = [f"g={tag}" for tag in gazetteer_tags(tokens, gazetteer)]
        # A name on its own, even where a longer name covers it ("Python" in "Python 3").
        single = [f"g1={gazetteer.names.get(_fold(token), '-')}" for token in tokens]
    # Tag lists and tool stacks are written mostly in capitals: the sentence's own style.
    capitals = sum(1 for w in tokens if w[:1].isupper()) / max(1, len(tokens))
    style = f"caps={min(3, int(capitals * 4))}"
    rows: list[list[str]] = []
    last = len(tokens) - 1
    for index in range(len(tokens)):
        row = ["bias", style, *lexical[index], gazetteer_feats[index]]
        if single:
            row.append(single[index])
        if index == 0:
            row.append("BOS")
        if index == last:
            row.append("EOS")
        for offset in _WINDOW:
            other = index + offset
            if 0 <= other <= last:
                prefix = f"{offset:+d}:"
                row.append(prefix + words[other])
                row.append(prefix + shapes[other])
                row.append(prefix + classes[other])
                row.append(prefix + gazetteer_feats[other])
        if index > 1:
            # The construction before a span: "experience with", "knowledge of".
            row.append(f"-2|-1:{words[index - 2][2:]}|{words[index - 1][2:]}")
        if index > 0:
            row.append(f"-1|0:{words[index - 1][2:]}|{words[index][2:]}")
        if index < last:
            row.append(f"0|+1:{words[index][2:]}|{words[index + 1][2:]}")
        rows.append(row)
    return rows
