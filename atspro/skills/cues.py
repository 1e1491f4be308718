"""Names listed after cue phrases: "experience with X, Y and Z", "knowledge of X"."""

from __future__ import annotations

from wordfreq import zipf_frequency

from atspro.skills import lexicon
from atspro.skills.spans import Match, line_break
from atspro.skills.tokens import Token, fold_tokens

_CUES_BY_FIRST: dict[str, list[tuple[str, ...]]] = {}
for _cue in lexicon.CUE_PHRASES:
    _folded_cue = tuple(fold_tokens(_cue))
    _CUES_BY_FIRST.setdefault(_folded_cue[0], []).append(_folded_cue)
_ITEM_SEPARATORS = frozenset({",", "and", "or", "/", "&"})
_LEADING_FILLERS = frozenset({"the", "a", "an", "any", "some", "modern", "common"})
MAX_ITEM_TOKENS = 3
MAX_ITEMS = 8
# A one-word item this frequent in English ("business") names no particular skill.
EVERYDAY_ZIPF = 4.3


def match_cued(text: str, tokens: list[Token], taken: list[bool]) -> list[Match]:
    """Items listed after a cue phrase, on tokens no earlier pass has taken."""
    folded = [t.folded for t in tokens]
    matches: list[Match] = []
    for index, word in enumerate(folded):
        for cue in _CUES_BY_FIRST.get(word, ()):
            if tuple(folded[index : index + len(cue)]) == cue:
                matches.extend(_cued_items(text, tokens, index + len(cue), taken))
                break
    return matches


def _cued_items(text: str, tokens: list[Token], index: int, taken: list[bool]) -> list[Match]:
    items: list[Match] = []
    while index < len(tokens) and len(items) < MAX_ITEMS:
        while index < len(tokens) and tokens[index].folded in _LEADING_FILLERS:
            index += 1
        first = index
        while (
            index < len(tokens)
            and index - first < MAX_ITEM_TOKENS
            and _item_token(tokens[index])
            and (index == first or not line_break(text, tokens[index - 1], tokens[index]))
        ):
            index += 1
        if index == first:
            break
        if not any(taken[first:index]) and _plausible_item(tokens[first:index]):
            for covered in range(first, index):
                taken[covered] = True
            items.append(Match(first, index - 1, None))
        if index >= len(tokens) or tokens[index].folded not in _ITEM_SEPARATORS:
            break  # the list ends where no separator follows an item
        while index < len(tokens) and tokens[index].folded in _ITEM_SEPARATORS:
            index += 1
    return items


def _item_token(token: Token) -> bool:
    return token.is_word and token.folded not in lexicon.PHRASE_STOPS


def _plausible_item(item: list[Token]) -> bool:
    if item[0].folded.endswith("ing") and item[0].folded.isalpha():
        return False  # "designing applications" is a task, not a named thing
    if len(item) > 1:
        return True
    word = item[0].folded
    return not (word.isalpha() and zipf_frequency(word, "en") >= EVERYDAY_ZIPF)
