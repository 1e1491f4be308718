"""Skill mentions in free text: taxonomy look-ups plus rules for names nobody listed.

Pass 1 finds the longest taxonomy name at each token; a one-word name that is also an
everyday word counts only when written like a name or listed beside another skill.
Pass 2 reads the shape of the tokens left (``shapes.py``), pass 3 the items after cue
phrases (``cues.py``). Platform names then absorb the product written after them.
"""

from __future__ import annotations

from typing import Literal

from atspro.skills import lexicon
from atspro.skills.cues import match_cued
from atspro.skills.mention import SkillMention
from atspro.skills.normalisation import canonical_skill, lookup_concept
from atspro.skills.shapes import match_shapes
from atspro.skills.spans import (
    Match,
    extend_version,
    glued,
    line_break,
    sentence_initial,
    shouting,
)
from atspro.skills.taxonomy import Kind, Taxonomy, default_taxonomy
from atspro.skills.tokens import Token, join_key, tokenize

# Tokens no skill name crosses.
_BREAKS = frozenset(',;:()[]{}!?|"<>=~`*\u2022\u00b7\u25cf\u25aa\u2023\u2043')
# What may stand between two items of one list.
_LIST_SEPARATORS = frozenset({",", "/", "&", "and", "or", "|", "+", ";"})

_Verdict = Literal["yes", "weak", "no"]


def extract_skills(text: str) -> list[SkillMention]:
    """Skill mentions in text order, non-overlapping, with canonical names and kinds."""
    if not text:
        return []
    taxonomy = default_taxonomy()
    tokens = tokenize(text)
    taken = [False] * len(tokens)
    matches = _match_vocabulary(text, tokens, taxonomy, taken)
    matches.extend(match_shapes(text, tokens, taken))
    matches.extend(match_cued(text, tokens, taken))
    matches.sort(key=lambda m: m.first)
    matches = _grow(text, tokens, _confirm_weak(tokens, matches, taxonomy))
    return [_mention(text, tokens, m) for m in matches]


def _match_vocabulary(
    text: str, tokens: list[Token], taxonomy: Taxonomy, taken: list[bool]
) -> list[Match]:
    matches: list[Match] = []
    index = 0
    prefixes, surfaces = taxonomy.prefixes, taxonomy.surfaces
    while index < len(tokens):
        folded = tokens[index].folded
        if folded not in prefixes and folded not in surfaces:
            index += 1  # the common case, decided by two set look-ups
            continue
        found = _longest_name(text, tokens, index, taxonomy)
        if found is None:
            index += 1
            continue
        last, key = found
        concept = taxonomy.surfaces[key]
        if index == last:
            verdict = _judge_name(text, tokens, index, key, taxonomy)
        else:
            verdict = _judge_product(tokens, index, last, key, taxonomy)
        if verdict == "no":
            index += 1
            continue
        last = extend_version(text, tokens, last)
        matches.append(Match(index, last, concept, weak=verdict == "weak"))
        for covered in range(index, last + 1):
            taken[covered] = True
        index = last + 1
    return matches


def _longest_name(
    text: str, tokens: list[Token], index: int, taxonomy: Taxonomy
) -> tuple[int, str] | None:
    first = tokens[index]
    # ".NET" starts with its dot (tokenised text may put a space after it: ". NET").
    dotted = first.text == "." and index + 1 < len(tokens) and tokens[index + 1].is_word
    if not (first.is_word or dotted):
        return None
    best: tuple[int, str] | None = None
    folded: list[str] = []
    for last in range(index, min(len(tokens), index + taxonomy.max_tokens)):
        token = tokens[last]
        if token.text in _BREAKS or (last > index and line_break(text, tokens[last - 1], token)):
            break
        folded.append(token.folded)
        key = join_key(folded)
        if key in taxonomy.surfaces and (token.is_word or token.text in "+#"):
            best = (last, key)
        if key not in taxonomy.prefixes:
            break
    return best


def _judge_name(
    text: str, tokens: list[Token], index: int, key: str, taxonomy: Taxonomy
) -> _Verdict:
    """Is a one-word taxonomy match written like a name? "weak" needs a listed neighbour."""
    written = tokens[index].text
    if len(key) <= 2 and glued(tokens, index, index + 1) and tokens[index + 1].text == "-":
        return "no"  # "C-suite", "X-ray": a letter in a compound word
    everyday = key in taxonomy.ambiguous or key in taxonomy.function_words
    if key in taxonomy.products:
        # "Outlook" without its "Microsoft": a name only when written as one and listed
        # beside another skill (an everyday word such as "Word": beside the same vendor's).
        if not written[:1].isupper() or sentence_initial(text, tokens, index):
            return "no"
        return "weak"
    if not everyday:
        return "yes"
    if written.isupper() and len(written) > 1 and not shouting(tokens, index):
        return "yes"
    capitalised = written[:1].isupper() and (key in taxonomy.proper or len(key) <= 2)
    if capitalised and not sentence_initial(text, tokens, index):
        return "yes"
    return "no" if key in taxonomy.function_words else "weak"


def _judge_product(
    tokens: list[Token], first: int, last: int, key: str, taxonomy: Taxonomy
) -> _Verdict:
    """A name of several words counts; a vendor's product without the vendor ("Dynamics
    CRM") only written as a name, each word capitalised."""
    if key not in taxonomy.products:
        return "yes"
    written = [t.text for t in tokens[first : last + 1] if t.is_word]
    return "yes" if all(word[:1].isupper() for word in written) else "no"


def _confirm_weak(tokens: list[Token], matches: list[Match], taxonomy: Taxonomy) -> list[Match]:
    """Keep an everyday-word name only when it stands in a list beside a sure skill."""
    sure = [not m.weak for m in matches]
    # Everyday product words need a neighbour of their own vendor: "Word, Outlook and Excel".
    vendors = [_everyday_product(tokens, m, taxonomy) for m in matches]
    changed = True
    while changed:  # a confirmed word confirms its own neighbours: "java spring rest"
        changed = False
        for position, match in enumerate(matches):
            if sure[position]:
                continue
            for other in (position - 1, position + 1):
                if (
                    0 <= other < len(matches)
                    and sure[other]
                    and _listed_together(tokens, match, matches[other])
                    and (vendors[position] is None or vendors[position] == _vendor(matches[other]))
                ):
                    sure[position] = changed = True
                    break
    return [m for m, keep in zip(matches, sure, strict=True) if keep]


def _everyday_product(tokens: list[Token], match: Match, taxonomy: Taxonomy) -> str | None:
    """The vendor of a one-word product name that is also an everyday word, else None."""
    key = tokens[match.first].folded
    if match.first != match.last or key not in taxonomy.products:
        return None
    if key not in taxonomy.ambiguous and key not in taxonomy.function_words:
        return None
    return _vendor(match)


def _vendor(match: Match) -> str | None:
    if match.concept is None:
        return None
    first = match.concept.canonical.partition(" ")[0]
    return first if first in lexicon.PLATFORM_PREFIXES else None


def _listed_together(tokens: list[Token], one: Match, other: Match) -> bool:
    left, right = (one, other) if one.first < other.first else (other, one)
    between = tokens[left.last + 1 : right.first]
    # Tag lists put items side by side with nothing between: "java spring rest".
    return len(between) <= 2 and all(t.folded in _LIST_SEPARATORS for t in between)


def _grow(text: str, tokens: list[Token], matches: list[Match]) -> list[Match]:
    """Grow a platform's name over the product written after it: "Azure Analysis Services"."""
    grown: list[Match] = []
    position = 0
    while position < len(matches):
        match = matches[position]
        position += 1
        if match.first == match.last and tokens[match.first].folded in lexicon.PLATFORM_PREFIXES:
            # A platform name absorbs the product name written after it.
            last = match.last
            while last - match.last < 3 and _continues(text, tokens, last):
                last += 1
                if position < len(matches) and matches[position].first == last:
                    last = matches[position].last
                    position += 1
            if last > match.last:
                match = Match(match.first, last, None)
        grown.append(match)
    return grown


def _continues(text: str, tokens: list[Token], last: int) -> bool:
    """Is the token after ``last`` a capitalised word on the same line?"""
    nxt = last + 1
    if nxt >= len(tokens) or not tokens[nxt].is_word:
        return False
    if line_break(text, tokens[last], tokens[nxt]):
        return False
    word = tokens[nxt].text
    return word[:1].isupper() and word.casefold() not in lexicon.NON_SKILL_ACRONYMS


def _mention(text: str, tokens: list[Token], match: Match) -> SkillMention:
    start, end = tokens[match.first].start, tokens[match.last].end
    surface = text[start:end]
    concept = match.concept or lookup_concept(surface)
    canonical = concept.canonical if concept else canonical_skill(surface)
    kind: Kind = concept.kind if concept else "hard"
    return SkillMention(surface, start, end, canonical, kind)
