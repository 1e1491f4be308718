"""Applied-skill phrases in posting text: "ability to influence teams", "you will manage renewals".

Named skills ("SQL") are ``extraction.py``'s job; this module finds what a posting asks a
person to *do* or *be*, read from sentence structure rather than a word list:

* cue constructions open a phrase: "ability to X", "experience of X", "knowledge of X",
  "responsible for X", "you will X", "duties include X" (``_CUES``);
* duty clauses open one: a base-form or gerund verb at the start of a sentence, list item
  or run-on line ("Provide reports ...", "Managing the team ...");
* "X skills" reads X backwards; "you will be resilient and confident" reads the adjectives;
* qualifications (degrees, certificates, licences) come from ``qualifications.py``.

A phrase ends at punctuation, a subordinator ("which", "while"), a purpose clause ("to
ensure ..."), an auxiliary, or a preposition that opens a circumstance ("in", "at",
"during"); coordinated items split at commas and at "and"/"or" unless the first conjunct
is one word sharing its head with the next ("design and develop circuits").
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from typing import Final, Literal

from atspro.skills.extraction import extract_skills
from atspro.skills.mention import SkillMention
from atspro.skills.qualifications import match_qualifications
from atspro.skills.spans import line_break
from atspro.skills.tokens import Token, tokenize
from atspro.skills.wordclass import (
    CONJUNCTIONS,
    DETERMINERS,
    INTENSIFIERS,
    PRONOUNS,
    SUBORDINATORS,
    verb_form,
    word_classes,
)

# Constructions after which a skill phrase follows, as folded token tuples.
_CUES: Final = tuple(
    tuple(cue.split())
    for cue in (
        "ability to", "abilities to", "able to", "capable of", "capability to", "willingness to",
        "skilled in", "skilled at", "experience of", "experience in", "experience with",
        "experience working", "experienced in", "experienced with", "knowledge of",
        "understanding of", "awareness of", "appreciation of", "proficient in", "proficient with",
        "proficiency in", "proficiency with", "background in", "expertise in", "familiarity with",
        "familiar with", "responsible for", "responsibility for", "responsibilities for",
        "accountable for", "responsibilities include", "responsibilities will include",
        "duties include", "duties will include", "duties will involve", "role will involve",
        "will involve", "will include", "involves", "track record of", "track record in",
        "competent in", "competence in", "qualified in", "adept at", "used to", "confident with",
        "confident in", "comfortable with", "exposure to", "grasp of", "command of", "fluent in",
        "fluency in", "expert in", "specialise in", "specialize in", "specialising in",
        "specializing in", "passion for", "focus on", "required to", "expected to", "need to",
        "needs to", "be asked to", "opportunity to", "chance to",
    )
)  # fmt: skip
_CUES_BY_FIRST: Final[dict[str, list[tuple[str, ...]]]] = {}
for _cue in sorted(_CUES, key=len, reverse=True):
    _CUES_BY_FIRST.setdefault(_cue[0], []).append(_cue)

# Modal verbs after which a base-form verb states a duty: "you will manage renewals".
_MODALS: Final = frozenset({"will", "must", "should", "shall", "would", "can"})
# Subjects whose duties are not the candidate's: "we will contact you".
_OTHER_SUBJECTS: Final = frozenset({"we", "i", "it", "they", "this", "which", "that"})
# Tokens that end a sentence, line item or heading: a duty clause may start after them.
_CLAUSE_OPENERS: Final = frozenset(".;:!?*\u2022\u00b7\u25cf\u25aa\u2023\u2043\u2013\u2014-")
# Punctuation no phrase crosses.
_PUNCT_BREAKS: Final = frozenset(
    '.;:!?()[]{}"<>|*=\u2022\u00b7\u25cf\u25aa\u2023\u2043\u2013\u2014'
)
# Separators between coordinated items.
_ITEM_SEPARATORS: Final = frozenset({",", "/", "and", "or", "&"})
# Prepositions that open a circumstance (place, time, manner) rather than an object.
_CIRCUMSTANCE_PREPS: Final = frozenset(
    [
        "at",
        "in",
        "on",
        "during",
        "through",
        "within",
        "from",
        "including",
        "across",
        "throughout",
        "by",
        "after",
        "before",
        "until",
        "without",
        "under",
        "over",
        "like",
        "per",
        "against",
        "between",
        "into",
        "onto",
        "beyond",
        "behind",
        "near",
        "alongside",
        "among",
        "amongst",
        "around",
        "upon",
        "towards",
        "toward",
        "to",
        "versus",
    ]
)
# Words that grade a skill without naming it: "excellent communication", "proven ability".
_EVALUATIVE: Final = frozenset(
    [
        "good",
        "strong",
        "excellent",
        "proven",
        "solid",
        "sound",
        "extensive",
        "previous",
        "relevant",
        "demonstrable",
        "demonstrated",
        "significant",
        "outstanding",
        "exceptional",
        "effective",
        "great",
        "first-class",
        "first",
        "class",
        "superb",
        "comprehensive",
        "thorough",
        "considerable",
        "substantial",
        "recent",
        "current",
        "practical",
        "working",
        "basic",
        "advanced",
        "detailed",
        "in-depth",
        "broad",
        "wide",
        "deep",
        "some",
        "overall",
        "real",
        "genuine",
        "clear",
        "key",
    ]
)
# Everyday verbs of the application process, which are instructions, not duties.
_APPLICATION_VERBS: Final = frozenset(
    [
        "apply",
        "call",
        "contact",
        "email",
        "send",
        "click",
        "visit",
        "submit",
        "forward",
        "please",
        "join",
        "ask",
        "find",
        "see",
        "note",
        "get",
        "let",
        "look",
        "be",
        "have",
        "do",
        "make",
        "read",
    ]
)
_SKILL_NOUNS: Final = frozenset({"skill", "skills", "abilities"})
MAX_PHRASE_TOKENS: Final = 14
MAX_ITEMS: Final = 8


@dataclass(frozen=True, slots=True)
class _Span:
    first: int
    last: int  # inclusive
    kind: Literal["soft", "qualification"]


def extract_skill_phrases(text: str, *, named: bool = False) -> list[SkillMention]:
    """Applied-skill phrases (kind "soft") and qualifications (kind "qualification").

    With ``named=True`` the named skills of ``extract_skills`` outside every phrase join in.
    """
    if not text:
        return []
    phrases = _phrases(text)
    if not named:
        return phrases
    outside = [
        m
        for m in extract_skills(text)
        if not any(m.start < p.end and p.start < m.end for p in phrases)
    ]
    return sorted([*phrases, *outside], key=lambda m: m.start)


def _phrases(text: str) -> list[SkillMention]:
    tokens = tokenize(text)
    spans = [_Span(first, last, "qualification") for first, last in match_qualifications(tokens)]
    taken = [False] * len(tokens)
    for span in spans:
        taken[span.first : span.last + 1] = [True] * (span.last - span.first + 1)
    reader = _Reader(text, tokens, taken)
    spans.extend(reader.read())
    spans.sort(key=lambda s: s.first)
    return [_mention(text, tokens, s) for s in spans]


class _Reader:
    """One left-to-right pass over a text's tokens, collecting phrase spans."""

    def __init__(self, text: str, tokens: Sequence[Token], taken: list[bool]) -> None:
        self.text = text
        self.tokens = tokens
        self.folded = [t.folded for t in tokens]
        self.taken = taken
        self.spans: list[_Span] = []

    def read(self) -> list[_Span]:
        index = 0
        while index < len(self.tokens):
            start = self._phrase_start(index)
            if start is None:
                index += 1
                continue
            index = max(index + 1, self._read_items(start))
        self._read_skill_nouns()
        return self.spans

    # Where phrases start.

    def _phrase_start(self, index: int) -> int | None:
        """The first token of a phrase opened at index (by a cue, modal or duty verb)."""
        if self.taken[index]:
            return None
        word = self.folded[index]
        for cue in _CUES_BY_FIRST.get(word, ()):
            if tuple(self.folded[index : index + len(cue)]) == cue:
                return index + len(cue)
        if word in _MODALS and not self._other_subject(index):
            return self._after_modal(index + 1)
        if self._duty_verb(index) and self._clause_start(index):
            return index
        return None

    def _other_subject(self, index: int) -> bool:
        return index > 0 and self.folded[index - 1] in _OTHER_SUBJECTS

    def _after_modal(self, index: int) -> int | None:
        """ "will manage" -> manage; "will be selling" -> selling; "will be resilient" too."""
        while index < len(self.tokens) and self.folded[index] in INTENSIFIERS:
            index += 1
        if index >= len(self.tokens):
            return None
        word = self.folded[index]
        if word in ("be", "have"):
            return self._after_be(index + 1) if word == "be" else None
        return index if verb_form(word) == "base" and word not in _APPLICATION_VERBS else None

    def _after_be(self, index: int) -> int | None:
        while index < len(self.tokens) and self.folded[index] in INTENSIFIERS:
            index += 1
        if index >= len(self.tokens):
            return None
        word = self.folded[index]
        classes = word_classes(word)
        if verb_form(word) == "ing" or "ADJ" in classes or "ADV" in classes:
            return index
        return None

    def _duty_verb(self, index: int) -> bool:
        word = self.folded[index]
        form = verb_form(word)
        if form not in ("base", "ing") or word in _APPLICATION_VERBS:
            return False
        # "Experience in ..." is a noun at a sentence start; a duty verb takes an object.
        nxt = self.folded[index + 1] if index + 1 < len(self.tokens) else ""
        return bool(nxt) and not (nxt in SUBORDINATORS or word_classes(nxt) & {"AUX", "PUNCT"})

    def _clause_start(self, index: int) -> bool:
        if index == 0:
            return True
        previous = self.tokens[index - 1]
        if previous.text in _CLAUSE_OPENERS or line_break(self.text, previous, self.tokens[index]):
            return True
        # Run-on lists of duties: "... key reports Ensure patches are documented".
        return self.tokens[index].text[:1].isupper() and verb_form(self.folded[index]) == "base"

    # Reading the phrase.

    def _read_items(self, start: int) -> int:
        """Read coordinated items from start; returns the index after the last one."""
        index = start
        items = 0
        listed = False
        while index < len(self.tokens) and items < MAX_ITEMS:
            first = self._skip_modifiers(index)
            last = self._item_end(first)
            if last < first:
                return index
            last, split = self._split_conjunct(first, last, listed)
            trimmed = self._trim(first, last)
            if trimmed is not None:
                self._add(*trimmed)
                items += 1
            index = last + 1
            if split:
                listed = True
                index += 1
                continue
            if index >= len(self.tokens) or self.folded[index] not in _ITEM_SEPARATORS:
                return index
            listed = listed or self.folded[index] in (",", "/")
            while index < len(self.tokens) and self.folded[index] in _ITEM_SEPARATORS:
                index += 1
            if index < len(self.tokens) and not self._continues_list(index):
                return index
        return index

    def _continues_list(self, index: int) -> bool:
        """Does another item follow a separator (not a new subject or clause)?"""
        word = self.folded[index]
        classes = word_classes(word)
        if classes & {"PRON", "AUX", "SUB", "PUNCT"} and word not in DETERMINERS:
            return False
        return not self.taken[index]

    def _skip_modifiers(self, index: int) -> int:
        while index < len(self.tokens) and (
            self.folded[index] in DETERMINERS
            or self.folded[index] in INTENSIFIERS
            or self.folded[index] in _EVALUATIVE
        ):
            index += 1
        return index

    def _item_end(self, first: int) -> int:
        """The last token of the item starting at first (first - 1 when there is none)."""
        index = first
        while index < len(self.tokens) and index - first < MAX_PHRASE_TOKENS:
            if self.taken[index] or self._boundary(first, index):
                break
            index += 1
        return index - 1

    def _boundary(self, first: int, index: int) -> bool:
        token = self.tokens[index]
        word = token.folded
        if index > first and line_break(self.text, self.tokens[index - 1], token):
            return True
        if not token.is_word:
            return token.text in _PUNCT_BREAKS or token.text in (",", "/")
        classes = word_classes(word)
        if index == first:
            return bool(classes & {"AUX", "SUB", "PRON", "CONJ"}) and word not in DETERMINERS
        if word in _CIRCUMSTANCE_PREPS or word in SUBORDINATORS or word in PRONOUNS:
            return True
        if word in _MODALS or ("AUX" in classes and word not in ("have", "having")):
            return True
        # A capitalised duty verb mid-sentence opens the next duty of a run-on list.
        return token.text[:1].isupper() and self._duty_verb(index) and index > first + 1

    def _split_conjunct(self, first: int, last: int, listed: bool) -> tuple[int, bool]:
        """Cut the item at an inner "and"/"or" that joins two items, not two heads."""
        for index in range(first + 1, last):
            if self.folded[index] not in CONJUNCTIONS:
                continue
            left = index - first
            right = last - index
            if listed or left >= 2 or right <= 1:
                return index - 1, True
        return last, False

    def _trim(self, first: int, last: int) -> tuple[int, int] | None:
        while first <= last and not self._content(first):
            first += 1
        while last >= first and (not self._content(last) or self.folded[last] in _SKILL_NOUNS):
            last -= 1
        if last < first:
            return None
        if first == last and word_classes(self.folded[first]) <= {"ADV"}:
            return None
        return first, last

    def _content(self, index: int) -> bool:
        token = self.tokens[index]
        if not token.is_word:
            return False
        classes = word_classes(token.folded)
        return bool(classes & {"NOUN", "VERB", "ADJ", "ADV", "NUM"}) and not (
            classes & {"DET", "PREP", "CONJ", "SUB", "PRON", "AUX"}
        )

    def _add(self, first: int, last: int) -> None:
        if any(self.taken[first : last + 1]):
            return
        self.taken[first : last + 1] = [True] * (last - first + 1)
        self.spans.append(_Span(first, last, "soft"))

    def _read_skill_nouns(self) -> None:
        """ "Good communication and influencing skills": the items before "skills"."""
        for index, word in enumerate(self.folded):
            if word not in _SKILL_NOUNS or index == 0:
                continue
            last = index - 1
            while last >= 0:
                first = last
                while (
                    first >= 0
                    and self._content(first)
                    and not self.taken[first]
                    and self.folded[first] not in _EVALUATIVE
                    and self.folded[first] not in INTENSIFIERS
                    and last - first < 4
                ):
                    first -= 1
                if first == last:
                    break
                self._add(first + 1, last)
                if first < 0 or self.folded[first] not in _ITEM_SEPARATORS:
                    break
                last = first
                while last >= 0 and self.folded[last] in _ITEM_SEPARATORS:
                    last -= 1


def _mention(text: str, tokens: Sequence[Token], span: _Span) -> SkillMention:
    start, end = tokens[span.first].start, tokens[span.last].end
    surface = text[start:end]
    canonical = " ".join(surface.split()).casefold()
    return SkillMention(surface, start, end, canonical, span.kind)
