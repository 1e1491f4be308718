"""Candidate phrases (word n-grams) of a text, as an ATS sees them."""

from __future__ import annotations

import re
from collections.abc import Iterator
from dataclasses import dataclass

# Words keep the punctuation that is part of technology names: C++, C#, .NET, Node.js, CI/CD.
_WORD = re.compile(r"\.?[A-Za-z0-9][A-Za-z0-9+#]*(?:[.\-/'&][A-Za-z0-9+#]+)*[+#]*")
_SENTENCE = re.compile(r"(?<=[.!?;])\s+(?=[A-Z0-9])|\n+")


@dataclass(frozen=True, slots=True)
class Phrase:
    """An n-gram of words with its character span in the source text."""

    text: str
    start: int
    end: int
    size: int


def iter_phrases(text: str, *, max_words: int = 4) -> Iterator[Phrase]:
    """Yield every 1..max_words word n-gram of ``text`` (slash/hyphen parts as extra words)."""
    words = [(m.group(), m.start(), m.end()) for m in _WORD.finditer(text)]
    for i, (word, start, end) in enumerate(words):
        yield Phrase(word, start, end, 1)
        if "/" in word or "-" in word:
            offset = start
            for part in re.split(r"[/-]", word):
                if part:
                    yield Phrase(part, offset, offset + len(part), 1)
                offset += len(part) + 1
        for size in range(2, max_words + 1):
            if i + size > len(words):
                break
            last = words[i + size - 1]
            # A phrase never spans punctuation: "Python, Ruby" is two skills, not one.
            if not text[words[i + size - 2][2] : last[1]].isspace():
                break
            yield Phrase(text[start : last[2]], start, last[2], size)


def split_sentences(text: str) -> list[str]:
    """Split prose into sentences or lines, dropping empty pieces."""
    return [piece.strip() for piece in _SENTENCE.split(text) if piece.strip()]


def snippet_around(text: str, start: int, end: int, *, width: int = 140) -> str:
    """A short excerpt of ``text`` around ``[start, end)`` for showing where a match was."""
    if len(text) <= width:
        return text.strip()
    half = max(0, (width - (end - start)) // 2)
    lo = max(0, start - half)
    hi = min(len(text), end + half)
    prefix = "…" if lo > 0 else ""
    suffix = "…" if hi < len(text) else ""
    return f"{prefix}{text[lo:hi].strip()}{suffix}"


_SUFFIXES = ("ies", "ing", "ers", "ed", "er", "es", "s")


def stem_word(word: str) -> str:
    """A crude stem so "modeled", "modelling" and "models" meet at "model"."""
    stem = word.lower().strip("'")
    for suffix in _SUFFIXES:
        if len(stem) > len(suffix) + 2 and stem.endswith(suffix) and not stem.endswith("ss"):
            stem = stem[: -len(suffix)] + ("y" if suffix == "ies" else "")
            break
    if len(stem) > 3 and stem[-1] == stem[-2] and stem[-1] not in "aeiou":
        stem = stem[:-1]
    if len(stem) > 3 and stem.endswith("e"):
        stem = stem[:-1]
    return stem


StemmedWord = tuple[str, int, int]


def stem_words(text: str) -> tuple[StemmedWord, ...]:
    """(stem, start, end) of every word of ``text``."""
    return tuple((stem_word(m.group()), m.start(), m.end()) for m in _WORD.finditer(text))


def find_stems_near(
    needed: tuple[str, ...], words: tuple[StemmedWord, ...], *, window: int = 5
) -> tuple[int, int] | None:
    """Character span where all ``needed`` stems occur within ``window`` words, if any.

    Lets "modeled survey data" evidence the keyword "data modeling" without an exact phrase.
    """
    if not needed:
        return None
    for index, word in enumerate(words):
        if word[0] != needed[0]:
            continue
        near = words[max(0, index - window + 1) : index + window]
        present = {stem for stem, _, _ in near}
        if all(stem in present for stem in needed):
            hits = [w for w in near if w[0] in needed]
            return min(w[1] for w in hits), max(w[2] for w in hits)
    return None


_FILLER = frozenset({"of", "and", "the", "in", "for", "with", "to", "a", "an", "on", "or"})


def keyword_stems(keyword: str) -> tuple[str, ...]:
    """Content-word stems of a multi-word keyword; empty for one-word keywords."""
    words = [w for w in _WORD.findall(keyword) if w.lower() not in _FILLER]
    return tuple(stem_word(w) for w in words) if len(words) > 1 else ()
