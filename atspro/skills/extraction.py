"""Skill mentions in free text: taxonomy look-ups plus rules for names nobody listed.

Pass 1 finds the longest taxonomy name at each token (one-word names that are everyday
words count only when written like a name or listed beside another skill). Pass 2 reads
the shape of the remaining tokens: acronyms ("ETL"), mixed case ("GraphQL"), letters with
digits ("EC2"), dotted names ("Three.js") and versions ("Python 3.11").
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Literal

from wordfreq import zipf_frequency

from atspro.skills import lexicon
from atspro.skills.mention import SkillMention
from atspro.skills.normalisation import canonical_skill, lookup_concept
from atspro.skills.taxonomy import Concept, Kind, Taxonomy, default_taxonomy
from atspro.skills.tokens import Token, join_key, tokenize

# Tokens no skill name crosses.
_BREAKS = frozenset(',;:()[]{}!?|"<>=~`*\u2022\u00b7\u25cf\u25aa\u2023\u2043')
# Tokens that end a sentence or open a line item, after which capitals prove nothing.
_SENTENCE_STARTS = frozenset(".!?:;-*\u2022\u00b7\u25cf\u25aa\u2023\u2043\u2013\u2014")
# What may stand between two items of one list.
_LIST_SEPARATORS = frozenset({",", "/", "&", "and", "or", "|", "+", ";"})
_VERSION_RE = re.compile(r"^v?\d+(?:\.\d+)*[a-z]?$", re.IGNORECASE)
_CAMEL_RE = re.compile(r"[a-z][A-Z]|^[A-Z]{2,}[a-z]+[A-Z]")
_ALNUM_RE = re.compile(r"^[A-Za-z]+\d+[A-Za-z\d]*$")
_NOT_TECH_ALNUM_RE = re.compile(r"^(?:[a-z]{1,2}\d+|\d+[a-z]*)$", re.IGNORECASE)
_ACRONYM_RE = re.compile(r"^[A-Z][A-Z0-9&]{1,5}s?$")
# Lower-case letters that make a name with a glued "#" or "+": "c#", "f#", "c++".
_GLUE_CANDIDATES = frozenset({"c", "f", "j", "g"})
_DOTTED_SUFFIXES = frozenset({"js", "io", "net", "ts", "py", "ai"})


# Zipf frequency from which an all-capitals word reads as a shouted word, not an acronym.
SHOUTED_WORD_ZIPF = 3.5

_Verdict = Literal["yes", "weak", "no"]


@dataclass(slots=True)
class _Match:
    first: int  # token indices, inclusive
    last: int
    concept: Concept | None
    weak: bool = False


def extract_skills(text: str) -> list[SkillMention]:
    """Skill mentions in text order, non-overlapping, with canonical names and kinds."""
    if not text:
        return []
    taxonomy = default_taxonomy()
    tokens = tokenize(text)
    taken = [False] * len(tokens)
    matches = _match_vocabulary(text, tokens, taxonomy, taken)
    matches.extend(_match_shapes(text, tokens, taken))
    matches.sort(key=lambda m: m.first)
    matches = _grow(text, tokens, _confirm_weak(tokens, matches))
    return [_mention(text, tokens, m) for m in matches]


def _line_break(text: str, left: Token, right: Token) -> bool:
    return "\n" in text[left.end : right.start]


def _sentence_initial(text: str, tokens: list[Token], index: int) -> bool:
    if index == 0:
        return True
    previous = tokens[index - 1]
    return previous.text in _SENTENCE_STARTS or _line_break(text, previous, tokens[index])


def _match_vocabulary(
    text: str, tokens: list[Token], taxonomy: Taxonomy, taken: list[bool]
) -> list[_Match]:
    matches: list[_Match] = []
    index = 0
    while index < len(tokens):
        found = _longest_name(text, tokens, index, taxonomy)
        if found is None:
            index += 1
            continue
        last, key = found
        concept = taxonomy.surfaces[key]
        verdict = _judge_name(text, tokens, index, key, taxonomy) if index == last else "yes"
        if verdict == "no":
            index += 1
            continue
        last = _extend_version(text, tokens, last)
        matches.append(_Match(index, last, concept, weak=verdict == "weak"))
        for covered in range(index, last + 1):
            taken[covered] = True
        index = last + 1
    return matches


def _longest_name(
    text: str, tokens: list[Token], index: int, taxonomy: Taxonomy
) -> tuple[int, str] | None:
    first = tokens[index]
    if first.folded not in taxonomy.prefixes and first.folded not in taxonomy.surfaces:
        return None  # the common case, decided by two set look-ups
    # ".NET" starts with its dot (tokenised text may put a space after it: ". NET").
    dotted = first.text == "." and index + 1 < len(tokens) and tokens[index + 1].is_word
    if not (first.is_word or dotted):
        return None
    best: tuple[int, str] | None = None
    folded: list[str] = []
    for last in range(index, min(len(tokens), index + taxonomy.max_tokens)):
        token = tokens[last]
        if token.text in _BREAKS or (last > index and _line_break(text, tokens[last - 1], token)):
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
    everyday = key in taxonomy.ambiguous or key in taxonomy.function_words
    if not everyday:
        return "yes"
    if written.isupper() and len(written) > 1 and not _shouting(tokens, index):
        return "yes"
    capitalised = written[:1].isupper() and (key in taxonomy.proper or len(key) <= 2)
    if capitalised and not _sentence_initial(text, tokens, index):
        return "yes"
    return "no" if key in taxonomy.function_words else "weak"


def _shouting(tokens: list[Token], index: int) -> bool:
    """True when the neighbouring words are upper case too (a heading, not an acronym)."""
    neighbours = [
        tokens[i].text
        for i in (index - 1, index + 1)
        if 0 <= i < len(tokens) and tokens[i].is_word and tokens[i].text.isalpha()
    ]
    return any(len(word) > 1 and word.isupper() for word in neighbours)


def _extend_version(text: str, tokens: list[Token], last: int) -> int:
    """Grow a name over a following version number: "Python 3.11", "Angular 2+"."""
    nxt = last + 1
    if nxt >= len(tokens) or _line_break(text, tokens[last], tokens[nxt]):
        return last
    if not _VERSION_RE.match(tokens[nxt].text) or len(tokens[nxt].text) > 8:
        return last
    # "Java 8" yes, "Java 2021" (a year) or "Python 100" (a count) no.
    number = tokens[nxt].text.lstrip("vV").split(".")[0]
    if number.isdigit() and int(number) > 30:
        return last
    end = nxt
    while end + 2 < len(tokens) and tokens[end + 1].text == "." and tokens[end + 2].text.isdigit():
        end += 2
    if (
        end + 1 < len(tokens)
        and tokens[end + 1].text == "+"
        and tokens[end + 1].start == tokens[end].end
    ):
        end += 1
    return end


def _match_shapes(text: str, tokens: list[Token], taken: list[bool]) -> list[_Match]:
    matches: list[_Match] = []
    index = 0
    while index < len(tokens):
        token = tokens[index]
        if taken[index] or not token.is_word:
            index += 1
            continue
        last = _dotted_name(tokens, index)
        if last is None and _tech_shaped(tokens, index):
            last = index
        if last is None:
            index += 1
            continue
        last = _extend_version(text, tokens, last)
        if any(taken[index : last + 1]):
            index += 1
            continue
        for covered in range(index, last + 1):
            taken[covered] = True
        matches.append(_Match(index, last, None))
        index = last + 1
    return matches


def _dotted_name(tokens: list[Token], index: int) -> int | None:
    """The last token of "Three.js" / "socket.io" style names starting at index."""
    if index + 2 >= len(tokens):
        return None
    dot, suffix = tokens[index + 1], tokens[index + 2]
    glued = dot.start == tokens[index].end and suffix.start == dot.end
    if glued and dot.text == "." and suffix.folded in _DOTTED_SUFFIXES:
        return index + 2
    return None


def _glued(tokens: list[Token], left: int, right: int) -> bool:
    return left >= 0 and right < len(tokens) and tokens[left].end == tokens[right].start


def _markup(tokens: list[Token], index: int) -> bool:
    """True for "<NAME>"-style placeholders and "FULL_TIME"-style identifiers."""
    before = tokens[index - 1].text if _glued(tokens, index - 1, index) else ""
    after = tokens[index + 1].text if _glued(tokens, index, index + 1) else ""
    return before in ("<", "_", "$", "@") or after in (">", "_")


def _tech_shaped(tokens: list[Token], index: int) -> bool:
    word = tokens[index].text
    if word.islower() and word.isalpha() and word not in _GLUE_CANDIDATES:
        return False  # plain lower-case words have no name shape
    if _markup(tokens, index):
        return False
    if word[0].isalpha() and _glued(tokens, index, index + 1) and tokens[index + 1].text in "#+":
        return True
    if _CAMEL_RE.search(word):
        return True
    if _ALNUM_RE.match(word) and not _NOT_TECH_ALNUM_RE.match(word):
        return True
    if _ACRONYM_RE.match(word) and sum(ch.isupper() for ch in word) >= 2:
        bare = (word[:-1] if word.endswith("s") else word).casefold()
        # "INTERN", "ART": a shouted everyday word, not an acronym.
        shouted = len(bare) >= 3 and zipf_frequency(bare, "en") >= SHOUTED_WORD_ZIPF
        return (
            bare not in lexicon.NON_SKILL_ACRONYMS and not shouted and not _shouting(tokens, index)
        )
    return False


def _confirm_weak(tokens: list[Token], matches: list[_Match]) -> list[_Match]:
    """Keep an everyday-word name only when it stands in a list beside a sure skill."""
    sure = [not m.weak for m in matches]
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
                ):
                    sure[position] = changed = True
                    break
    return [m for m, keep in zip(matches, sure, strict=True) if keep]


def _listed_together(tokens: list[Token], one: _Match, other: _Match) -> bool:
    left, right = (one, other) if one.first < other.first else (other, one)
    between = tokens[left.last + 1 : right.first]
    # Tag lists put items side by side with nothing between: "java spring rest".
    return len(between) <= 2 and all(t.folded in _LIST_SEPARATORS for t in between)


def _grow(text: str, tokens: list[Token], matches: list[_Match]) -> list[_Match]:
    """Grow a platform's name over the product written after it: "Azure Analysis Services"."""
    grown: list[_Match] = []
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
                match = _Match(match.first, last, None)
        grown.append(match)
    return grown


def _continues(text: str, tokens: list[Token], last: int) -> bool:
    """Is the token after ``last`` a capitalised word on the same line?"""
    nxt = last + 1
    if nxt >= len(tokens) or not tokens[nxt].is_word:
        return False
    if _line_break(text, tokens[last], tokens[nxt]):
        return False
    word = tokens[nxt].text
    return word[:1].isupper() and word.casefold() not in lexicon.NON_SKILL_ACRONYMS


def _mention(text: str, tokens: list[Token], match: _Match) -> SkillMention:
    start, end = tokens[match.first].start, tokens[match.last].end
    surface = text[start:end]
    concept = match.concept or lookup_concept(surface)
    canonical = concept.canonical if concept else canonical_skill(surface)
    kind: Kind = concept.kind if concept else "hard"
    return SkillMention(surface, start, end, canonical, kind)
