"""Run the two CRFs on text: words as SkillSpan writes them, then Knowledge and Skill spans.

SkillSpan keeps most punctuation on its word ("posted:", "m/f/d", "you'll") but splits
off brackets and full stops, and has no commas at all; ``split_words`` writes text the
same way so the features meet what training saw. A comma is remembered on the word after
it: the model reads "Python Kubernetes" as two names, and a Knowledge span never crosses a
comma of the original text.

The models are opened once per process (``default_tagger``); the CPU worker that parses
postings is the process that pays for it.
"""

from __future__ import annotations

import bisect
import functools
import itertools
import json
import re
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Final, Literal, cast

import pycrfsuite

from atspro.skills.tagger.features import FeatureSet, Gazetteer, sentence_features
from atspro.skills.taxonomy import default_taxonomy

Layer = Literal["Skill", "Knowledge"]
LAYERS: Final[tuple[Layer, ...]] = ("Skill", "Knowledge")  # SkillSpan's column order
MODEL_DIR: Final = Path(__file__).resolve().parent / "models"
MANIFEST: Final = "manifest.json"

_CHUNK = re.compile(r"\S+")
_OPENERS = "([{\"'\u201c\u2018"
_CLOSERS = ")]}\"'\u201d\u2019,;!?."
_SENTENCE_END = frozenset({".", "!", "?"})


@dataclass(frozen=True, slots=True)
class Word:
    """One word of the text as the tagger reads it, with its character span."""

    text: str
    start: int
    end: int
    comma_before: bool = False


@dataclass(frozen=True, slots=True)
class TaggedSpan:
    """A Knowledge or Skill span: ``text[start:end]`` and its mean marginal probability."""

    layer: Layer
    start: int
    end: int
    text: str
    confidence: float


def split_words(text: str) -> list[list[Word]]:
    """Sentences of words: lines, cut again after a full stop, "!" or "?"."""
    sentences: list[list[Word]] = []
    line_start = 0
    for line in text.split("\n"):
        current: list[Word] = []
        comma = False
        for chunk in _CHUNK.finditer(line):
            for word in _peel(chunk.group(), line_start + chunk.start()):
                if word.text == ",":
                    comma = True
                    continue
                current.append(Word(word.text, word.start, word.end, comma))
                comma = False
                if word.text in _SENTENCE_END:
                    sentences.append(current)
                    current = []
        if current:
            sentences.append(current)
        line_start += len(line) + 1
    return sentences


def _peel(chunk: str, start: int) -> list[Word]:
    """Split leading openers and trailing closers off a chunk into words of their own."""
    head: list[Word] = []
    while len(chunk) > 1 and chunk[0] in _OPENERS:
        head.append(Word(chunk[0], start, start + 1))
        chunk, start = chunk[1:], start + 1
    tail: list[Word] = []
    end = start + len(chunk)
    while len(chunk) > 1 and chunk[-1] in _CLOSERS:
        tail.append(Word(chunk[-1], end - 1, end))
        chunk, end = chunk[:-1], end - 1
    return [*head, Word(chunk, start, end), *reversed(tail)]


def bio_spans(tags: Sequence[str]) -> set[tuple[int, int]]:
    """B/I/O tags -> token spans, end exclusive (a stray I opens a span)."""
    spans: set[tuple[int, int]] = set()
    start: int | None = None
    for index, tag in enumerate([*tags, "O"]):
        if start is not None and tag != "I":
            spans.add((start, index))
            start = None
        if tag in ("B", "I") and start is None:
            start = index
    return spans


@dataclass(slots=True)
class _Model:
    tagger: Any  # pycrfsuite.Tagger: not thread-safe, one per process
    feature_set: FeatureSet


class SkillTagger:
    """The Knowledge and Skill CRFs with the gazetteer their features read."""

    def __init__(self, model_dir: Path, gazetteer: Gazetteer) -> None:
        manifest = json.loads((model_dir / MANIFEST).read_text("utf-8"))
        self._gazetteer = gazetteer
        self._models: dict[Layer, _Model] = {}
        for layer in LAYERS:
            tagger = pycrfsuite.Tagger()
            tagger.open(str(model_dir / f"{layer.lower()}.crfsuite"))
            feature_set = cast(FeatureSet, manifest[layer]["feature_set"])
            self._models[layer] = _Model(tagger, feature_set)

    def tag_tokens(self, tokens: Sequence[str], layer: Layer) -> tuple[list[str], list[float]]:
        """B/I/O tags of one sentence and each token's probability of being inside a span."""
        if not tokens:
            return [], []
        model = self._models[layer]
        tagger = model.tagger
        tags = cast(
            list[str], tagger.tag(sentence_features(tokens, self._gazetteer, model.feature_set))
        )
        inside = [
            float(tagger.marginal("B", i)) + float(tagger.marginal("I", i))
            for i in range(len(tokens))
        ]
        return tags, inside

    def tag_text(self, text: str) -> Tagging:
        """Knowledge and Skill spans of text, in text order, with each word's probabilities."""
        found: list[TaggedSpan] = []
        words: list[Word] = []
        inside_by_layer: dict[Layer, list[float]] = {layer: [] for layer in LAYERS}
        for sentence in split_words(text):
            tokens = [word.text for word in sentence]
            words.extend(sentence)
            for layer in LAYERS:
                tags, inside = self.tag_tokens(tokens, layer)
                inside_by_layer[layer].extend(inside)
                for first, end in sorted(bio_spans(tags)):
                    for a, b in _cut_at_commas(sentence, first, end, layer):
                        start, stop = sentence[a].start, sentence[b - 1].end
                        confidence = sum(inside[a:b]) / (b - a)
                        found.append(TaggedSpan(layer, start, stop, text[start:stop], confidence))
        found.sort(key=lambda span: (span.start, span.layer))
        return Tagging(
            tuple(found),
            tuple(words),
            {layer: tuple(values) for layer, values in inside_by_layer.items()},
        )


@dataclass(frozen=True, slots=True)
class Tagging:
    """What the tagger read in one text: its spans, and per word P(inside a span)."""

    spans: tuple[TaggedSpan, ...]
    words: tuple[Word, ...]
    inside: dict[Layer, tuple[float, ...]]

    def probability(self, layer: Layer, start: int, end: int) -> float:
        """The highest P(inside a ``layer`` span) of the words overlapping ``[start, end)``."""
        starts = [word.start for word in self.words]
        first = max(0, bisect.bisect_right(starts, start) - 1)
        best = 0.0
        for index in range(first, len(self.words)):
            word = self.words[index]
            if word.start >= end:
                break
            if word.end > start:
                best = max(best, self.inside[layer][index])
        return best


def _cut_at_commas(
    sentence: Sequence[Word], first: int, end: int, layer: Layer
) -> list[tuple[int, int]]:
    # Names are listed with commas; applied-skill phrases coordinate verbs across them.
    if layer != "Knowledge":
        return [(first, end)]
    cuts = [i for i in range(first + 1, end) if sentence[i].comma_before]
    bounds = [first, *cuts, end]
    return list(itertools.pairwise(bounds))


@functools.cache
def default_tagger() -> SkillTagger:
    """The process-wide tagger over the shipped models, opened on first use."""
    return SkillTagger(MODEL_DIR, Gazetteer.from_taxonomy(default_taxonomy()))


def tag_text(text: str) -> Tagging:
    """Knowledge and Skill spans of text with the shipped models."""
    return default_tagger().tag_text(text)
