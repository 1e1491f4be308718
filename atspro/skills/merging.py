"""Which named skills join the applied-skill phrases of a text.

``extract_skills`` finds names ("CRM", "Linux"); beside phrases, a name counts only when
it stands outside every phrase and names a skill rather than part of a longer proper name
("Dynamics CRM Developer", "Corecom Consulting").
"""

from __future__ import annotations

import bisect
import re
from collections.abc import Sequence

from atspro.skills.mention import SkillMention
from atspro.skills.wordclass import word_classes, word_set


def merge_named(
    text: str, phrases: Sequence[SkillMention], named: Sequence[SkillMention]
) -> list[SkillMention]:
    """Phrases plus the named skills that stand alone outside them, in text order."""
    ordered = sorted(phrases, key=lambda p: p.start)
    starts = [p.start for p in ordered]
    kept = [
        m
        for m in named
        if not _overlaps(ordered, starts, m)
        and not _inside_proper_name(text, m)
        and not _names_sector(text, m)
    ]
    return sorted([*phrases, *kept], key=lambda m: m.start)


def _overlaps(ordered: Sequence[SkillMention], starts: list[int], mention: SkillMention) -> bool:
    """Does the mention overlap a phrase? Phrases never overlap one another, so the last one
    starting before the mention ends has the furthest end of those that could."""
    at = bisect.bisect_left(starts, mention.end)
    return at > 0 and ordered[at - 1].end > mention.start


# Heads that make the words before them a line of business, not a skill:
# "financial services industry", "a Biotechnology company".
_SECTOR_HEADS = word_set(
    "industry industries sector sectors company companies consultancy consultancies "
    "organisation organisations organization organizations firm firms"
)


def _names_sector(text: str, mention: SkillMention) -> bool:
    """A name ending in, or written before, a sector head ("Entertainment industry")."""
    _, right = _neighbour_words(text, mention)
    last = mention.text.rsplit(maxsplit=1)[-1]
    return last.casefold() in _SECTOR_HEADS or right.casefold() in _SECTOR_HEADS


# Characters either side of a mention searched for its neighbouring words.
_WINDOW = 80


def _neighbour_words(text: str, mention: SkillMention) -> tuple[str, str]:
    """The words touching a mention on its line, across spaces only ("" if none)."""
    # A bounded window: searching the whole prefix made this quadratic in the text's length.
    before = text[max(0, mention.start - _WINDOW) : mention.start]
    after = text[mention.end : mention.end + _WINDOW]
    left = re.search(r"([^\W_]+)[ \t]+$", before)
    right = re.match(r"[ \t]+([^\W_]+)", after)
    return (left.group(1) if left else "", right.group(1) if right else "")


def _inside_proper_name(text: str, mention: SkillMention) -> bool:
    """A capitalised word right before or after: "Automation Test Analyst", "Triad Resourcing"."""
    left, right = _neighbour_words(text, mention)
    if _capitalised(left):
        return True
    # A capitalised word after it that cannot be a noun opens the next line or sentence:
    # "problem solving Excellent team working skills".
    return _capitalised(right) and "NOUN" in word_classes(right)


def _capitalised(word: str) -> bool:
    return word[:1].isupper() and not word.isupper()
