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
