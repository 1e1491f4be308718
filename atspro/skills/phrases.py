"""Applied-skill phrases in posting text: "ability to influence teams", "you will manage renewals".

Named skills ("SQL") are ``extraction.py``'s job; this module finds what a posting asks a
person to *do* or *be*, read from sentence structure rather than a word list:

* cue constructions open a phrase: "ability to X", "experience of X", "knowledge of X",
  "responsible for X", "duties include X" (``_CUES``);
* duties open one: a verb after a modal ("you will manage renewals"), or a base-form or
  gerund verb at the start of a sentence, list item or run-on line ("Provide reports");
* traits: adjectives after "be" ("you must be resilient and confident");
* "X skills" reads X backwards; qualifications come from ``qualifications.py``;
* enumerations: three or more short noun phrases in a comma list ("stock control, till
  reconciliation and staff rotas"), which a posting writes for skills and duties, unless
  they are names or the clause says what the job offers ("we offer a pension, ...").

A phrase ends at punctuation, a subordinator ("which", "while"), a purpose clause ("to
ensure ..."), an auxiliary, or a preposition that opens a circumstance ("in", "at",
"during"). Coordinated items split at commas; at "and"/"or" a duty splits only before a
new verb, and a noun item unless one word shares its head with the next ("backup and
recovery schedules").
"""

from __future__ import annotations

import bisect
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Final, Literal

from atspro.skills.abbreviations import read_abbreviations
from atspro.skills.extraction import extract_skills
from atspro.skills.mention import SkillMention
from atspro.skills.merging import merge_named
from atspro.skills.qualifications import match_qualifications
from atspro.skills.spans import line_break
from atspro.skills.tokens import Token, tokenize
from atspro.skills.wordclass import (
    CONJUNCTIONS,
    DETERMINERS,
    INTENSIFIERS,
    POSSESSIVES,
    PRONOUNS,
    SUBORDINATORS,
    verb_form,
    verb_lemmas,
    word_classes,
    word_set,
)

# Constructions after which a skill phrase follows (general English of job postings).
_CUES: Final = tuple(
    tuple(cue.split())
    for cue in (
        "ability to", "abilities to", "able to", "capable of", "capability to", "willingness to",
        "skilled in", "skilled at", "experience of", "experience in", "experience with",
        "experience working", "experienced in", "experienced with", "knowledge of",
        "understanding of", "appreciation of", "proficient in", "proficient with",
        "proficiency in", "proficiency with", "background in", "expertise in", "familiarity with",
        "familiar with", "responsible for", "responsibility for", "responsibilities for",
        "accountable for", "responsibilities include", "responsibilities will include",
        "duties include", "duties will include", "duties will involve", "will involve",
        "will include", "involves", "track record of", "track record in", "competent in",
        "competence in", "qualified in", "adept at", "used to", "confident with", "confident in",
        "comfortable with", "exposure to", "grasp of", "command of", "fluent in", "fluency in",
        "expert in", "specialise in", "specialize in", "specialising in", "specializing in",
        "passion for", "focus on", "required to", "expected to", "need to", "needs to",
        "asked to",
    )
)  # fmt: skip
_CUES_BY_FIRST: Final[dict[str, list[tuple[str, ...]]]] = {}
for _cue in sorted(_CUES, key=len, reverse=True):
    _CUES_BY_FIRST.setdefault(_cue[0], []).append(_cue)

# Words after which a gerund states an activity: a means, an aim, or a time.
_GERUND_LEADS: Final = word_set("by to while whilst when before after")
# Modal verbs after which a base-form verb states a duty: "you will manage renewals".
_MODALS: Final = word_set("will must should shall can")
# Subjects whose duties are not the candidate's: "we will contact you", "the role will
# enable you", "our client will offer".
_OTHER_SUBJECTS: Final = word_set(
    "we i it they this which that role position post job company client clients employer "
    "team business organisation organization firm"
)
# Tokens that end a sentence, line item or heading: a duty may start after them.
_CLAUSE_OPENERS: Final = frozenset(".;:!?*\u2022\u00b7\u25cf\u25aa\u2023\u2043\u2013\u2014-")
# Punctuation no phrase crosses.
_PUNCT_BREAKS: Final = frozenset(
    '.,/;:!?()[]{}"<>|*=\u2022\u00b7\u25cf\u25aa\u2023\u2043\u2013\u2014'
)
_ITEM_SEPARATORS: Final = frozenset({",", "/", "and", "or", "&"})
# Prepositions that open a circumstance (place, time, manner) rather than an object.
_CIRCUMSTANCE_PREPS: Final = word_set(
    "at in on during through within from including across throughout by after before until "
    "without under over like per against between into onto beyond behind near alongside "
    "among amongst around upon towards toward to versus"
)
# Words that grade a skill without naming it: "excellent communication", "proven ability".
_EVALUATIVE: Final = word_set(
    "good strong excellent proven solid sound extensive previous relevant demonstrable "
    "demonstrated significant outstanding exceptional effective great superb comprehensive "
    "thorough considerable substantial recent practical basic advanced detailed broad wide "
    "deep overall real genuine clear"
)
# Everyday verbs of the application process and of plain being: instructions, not duties.
_NON_DUTY_VERBS: Final = word_set(
    "apply call contact email send click visit submit forward please join ask find see note "
    "get let look be have do make read expect earn receive enjoy benefit gain offer"
)
# Verbs of what a job gives: a list in their clause is a benefits package, not skills.
_BENEFIT_VERBS: Final = word_set("offer enjoy receive earn gain benefit")
# Heads of what a job offers: "an attractive benefits package", "career progression
# opportunities" name no skill (a duty's object may: "identify new opportunities").
_OFFER_HEADS: Final = word_set(
    "package packages opportunity opportunities salary bonus bonuses pension perks benefits "
    "holiday holidays prospects"
)
# Suffixes of nouns made from verbs: "analysis of", "management of", "negotiation of".
_ACTION_NOUN_SUFFIXES: Final = (
    "tion",
    "sion",
    "ment",
    "sis",
    "ance",
    "ence",
    "ing",
    "ity",
    "acy",
    "ship",
)
_SKILL_NOUNS: Final = word_set("skill skills abilities")
# Groups of people named after their work: "fund management teams" names the skill before.
_GROUP_HEADS: Final = word_set("team teams department departments")
# Nouns whose modifiers name a skill or trait: "sales experience", "a flexible approach".
_SKILL_HEADS: Final = _SKILL_NOUNS | word_set(
    "experience knowledge capabilities capability background expertise "
    "approach attitude manner mindset outlook personality"
)
# People described by their traits: "a personable, forward thinking candidate".
_PERSON_HEADS: Final = word_set("candidate candidates individual individuals person people")
# Adjectives that pick a person out rather than describe them.
_SELECTING: Final = word_set("successful ideal right suitable chosen appointed new selected")
# Where the work is done, not a skill: "industry experience", "sector knowledge".
_DOMAIN_NOUNS: Final = word_set("industry industries sector sectors market markets")
# Terms of employment are logistics: "a full time, permanent role".
_EMPLOYMENT_TERMS: Final = frozenset(
    tuple(term.split())
    for term in ("full time", "part time", "permanent", "perm", "temporary", "fixed term")
)
# Words a backward read stops at: "5 years experience" names no skill.
_DURATION_WORDS: Final = word_set("year years month months week weeks day days")
# How much a posting wants something: a heading or a comment, never part of the skill
# ("power control Essential Skills for this role", "Skill required").
_REQUIREMENT_WORDS: Final = word_set(
    "essential desirable preferred required mandatory optional advantageous beneficial"
)
# "A working knowledge of X" grades the knowledge (enough to use it); X is read after "of".
_DEGREE_COMPOUNDS: Final = frozenset({("working", "knowledge")})
MAX_PHRASE_TOKENS: Final = 14
MAX_ITEMS: Final = 8
# Fewer comma-listed noun phrases may be a pair of anything; three make an enumeration.
MIN_ENUMERATED: Final = 3
# Tokens an enumeration's first item may span before its comma (modifiers and words).
_ITEM_REACH: Final = 8

_Mode = Literal["cue", "duty", "trait"]


@dataclass(frozen=True, slots=True)
class _Span:
    first: int
    last: int  # inclusive
    kind: Literal["soft", "qualification"]


def extract_skill_phrases(text: str, *, named: bool = False) -> list[SkillMention]:
    """Applied-skill phrases (kind "soft") and qualifications (kind "qualification").

    With ``named=True`` the named skills of ``extract_skills`` that stand outside every
    phrase join in (see ``merging.py``), and a name holding a qualification's abbreviation
    wins over it ("MS Office" is no Master of Science).
    """
    if not text:
        return []
    if not named:
        return _phrases(text, ())
    cues = _cue_ranges(tokenize(text))
    names = [n for n in extract_skills(text) if not _cue_words(text, n, cues)]
    return merge_named(text, _phrases(text, names), names)


def _cue_words(text: str, name: SkillMention, cues: Sequence[tuple[int, int]]) -> bool:
    """Is the name a cue's own words ("be responsible" in "be responsible for X")? Then the
    cue reads X; "customer experience with CRM" keeps its name (a word outside the cue)."""
    at = bisect.bisect_left(cues, (name.end,))
    for start, end in cues[max(0, at - 2) : at]:
        if name.start < end and start < name.end:
            outside = text[name.start : max(name.start, start)] + " " + text[end : name.end]
            return all(word_classes(w) & {"AUX", "DET"} for w in outside.split())
    return False


def _cue_ranges(tokens: Sequence[Token]) -> list[tuple[int, int]]:
    """Character ranges of the cue constructions in the tokens."""
    folded = [t.folded for t in tokens]
    ranges = []
    for index, word in enumerate(folded):
        for cue in _CUES_BY_FIRST.get(word, ()):
            if tuple(folded[index : index + len(cue)]) == cue:
                ranges.append((tokens[index].start, tokens[index + len(cue) - 1].end))
                break
    return ranges


def _phrases(text: str, names: Sequence[SkillMention]) -> list[SkillMention]:
    tokens = read_abbreviations(tokenize(text))
    spans = [
        _Span(first, last, "qualification")
        for first, last in match_qualifications(tokens)
        if not _inside_longer_name(tokens[first].start, tokens[last].end, names)
    ]
    taken = [False] * len(tokens)
    for span in spans:
        taken[span.first : span.last + 1] = [True] * (span.last - span.first + 1)
    spans.extend(_Reader(text, tokens, taken).read())
    spans.sort(key=lambda s: s.first)
    return [_mention(text, tokens, s) for s in spans]


def _inside_longer_name(start: int, end: int, names: Sequence[SkillMention]) -> bool:
    """Does a longer name cover these characters? The longer reading of the words wins."""
    return any(n.start <= start and end <= n.end and n.end - n.start > end - start for n in names)


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
            opened = None if self.taken[index] else self._opening(index)
            if opened is None:
                index += 1
                continue
            start, mode, alone = opened
            index = max(index + 1, self._read_items(start, mode, alone))
        self._read_skill_nouns()
        self._read_enumerations()
        return self.spans

    def _read_enumerations(self) -> None:
        """Three or more short noun phrases in a comma list, on tokens no rule has read."""
        # A list's first item ends at a comma: start only within reach before such a comma.
        commas = [
            i for i, word in enumerate(self.folded) if word == "," and i and self._list_word(i - 1)
        ]
        index = 0
        for comma in commas:
            index = max(index, comma - _ITEM_REACH)
            while index <= comma:
                items, index = self._enumeration(index)
                # Lists of capitalised items are names (places, firms, products): the
                # named skills, if any, come from extract_skills.
                lower = sum(self.tokens[first].text[:1].islower() for first, _ in items)
                if len(items) >= MIN_ENUMERATED and lower >= 2 and not self._offered(items[0][0]):
                    for first, last in items:
                        self._add(first, last)

    def _enumeration(self, index: int) -> tuple[list[tuple[int, int]], int]:
        """The noun-phrase items of a comma list from index, and the index after it."""
        items: list[tuple[int, int]] = []
        start = index
        while index < len(self.tokens):
            first = self._skip_modifiers(self._skip_adverbs(index))
            last = first
            while last < len(self.tokens) and last - first < 4 and self._list_word(last):
                last += 1
            trimmed = self._trim(first, last - 1) if last > first else None
            if trimmed is None or not self._noun_head(trimmed[1]) or self._verb_use(*trimmed):
                break
            items.append(trimmed)
            index = last
            word = self._word(index)
            if word == "," and self._word(index + 1) in ("and", "or"):
                index += 2
            elif word == "," or (word in ("and", "or") and len(items) >= 2):
                index += 1
            else:
                break
        return items, max(index, start + 1)

    def _offered(self, index: int) -> bool:
        """Is the clause before index about what the employer gives ("we offer ...")?"""
        while index > 0 and not self._clause_start(index):
            index -= 1
            word = self.folded[index]
            if word in _BENEFIT_VERBS or not _BENEFIT_VERBS.isdisjoint(verb_lemmas(word)):
                return True
        return False

    def _verb_use(self, first: int, last: int) -> bool:
        """Is the item a verb after all: after its subject ("they access, use") or before
        an infinitive ("and hope to")?"""
        subject = first > 0 and self.folded[first - 1] in PRONOUNS
        return subject or (self._word(last + 1) == "to" and self._to_verb(last + 1))

    def _list_word(self, index: int) -> bool:
        return not self.taken[index] and self._content(index)

    def _noun_head(self, index: int) -> bool:
        """Can the word head a noun phrase (a noun, or a gerund naming an activity)?"""
        word = self.folded[index]
        return "NOUN" in word_classes(word) or verb_form(word) == "ing"

    # Where phrases start: (first token, mode, may a one-word item stand alone).

    def _opening(self, index: int) -> tuple[int, _Mode, bool] | None:
        word = self.folded[index]
        cue = self._cue_end(index)
        if cue is not None:
            return cue, "cue", True
        if word in _MODALS and not self._other_subject(index):
            return self._after_modal(index + 1)
        if word == "being" or (
            word == "be" and (self._clause_start(index) or self._infinitive_be(index))
        ):
            return self._after_be(index + 1)
        if word in ("including", "such") and index > 0 and self.taken[index - 1]:
            # "supply chain management including stock analysis, pricing ...": examples.
            start = index + 2 if self.folded[index + 1 : index + 2] == ["as"] else index + 1
            return (start, "cue", True) if word == "including" or start == index + 2 else None
        if word == "to" and index > 0 and self.taken[index - 1] and self._purpose(index + 1):
            # "Deliver the audit programme to verify compliance": the purpose is a duty too.
            return index + 1, "duty", False
        if word in _GERUND_LEADS and self._gerund_after(index + 1, adjective=word != "to"):
            # "by listening to clients", "dedicated to providing a service", "while
            # controlling costs": the gerund states an activity of the job (a time clause
            # only with its object: "when hiring" alone says little).
            return self._skip_adverbs(index + 1), "duty", word in ("by", "to")
        if word == "are" and index + 1 < len(self.tokens) and self.folded[index + 1] == "you":
            return self._after_be(index + 2)
        if self._clause_start(index) and (self._duty_verb(index) or self._action_noun(index)):
            return index, "duty", False
        if word in ("and", "or", ",", "including") and self._action_noun(index + 1):
            # "... and negotiation of tariffs", "including integrity of processes"
            return index + 1, "duty", False
        if word in ("and", "or") and index + 1 < len(self.tokens) and self._duty_verb(index + 1):
            return (index + 1, "duty", False) if self._strict_verb(index + 1) else None
        return None

    def _infinitive_be(self, index: int) -> bool:
        """ "able to be flexible", not "relationships to be forged": after a plain noun,
        "to be" says what is done to a thing, not what the candidate is."""
        return (
            index > 1
            and self.folded[index - 1] == "to"
            and word_classes(self.folded[index - 2]) != {"NOUN"}
        )

    def _word(self, index: int) -> str:
        return self.folded[index] if index < len(self.tokens) else ""

    def _skip_adverbs(self, index: int) -> int:
        while index < len(self.tokens) and (
            self.folded[index] in INTENSIFIERS or word_classes(self.folded[index]) == {"ADV"}
        ):
            index += 1
        return index

    def _purpose(self, index: int) -> bool:
        return (
            index < len(self.tokens)
            and verb_form(self.folded[index]) == "base"
            and self.folded[index] not in _NON_DUTY_VERBS
        )

    def _gerund_after(self, index: int, *, adjective: bool = False) -> bool:
        """A gerund at index (adverbs skipped); one that may be an adjective only when
        ``adjective``: after "while" "controlling" is a verb, after "to" "exciting" is not."""
        index = self._skip_adverbs(index)
        if index >= len(self.tokens) or verb_form(self.folded[index]) != "ing":
            return False
        classes = word_classes(self.folded[index])
        return classes == {"VERB"} or (adjective and classes == {"VERB", "ADJ"})

    def _cue_end(self, index: int) -> int | None:
        for cue in _CUES_BY_FIRST.get(self.folded[index], ()):
            if tuple(self.folded[index : index + len(cue)]) == cue:
                return index + len(cue)
        return None

    def _other_subject(self, index: int) -> bool:
        return index > 0 and self.folded[index - 1] in _OTHER_SUBJECTS

    def _skip_intensifiers(self, index: int) -> int:
        while index < len(self.tokens) and self.folded[index] in INTENSIFIERS:
            index += 1
        return index

    def _after_modal(self, index: int) -> tuple[int, _Mode, bool] | None:
        """ "will manage" -> manage; "will be selling" -> selling; "will be resilient" too."""
        index = self._skip_adverbs(index)
        if index >= len(self.tokens):
            return None
        cue = self._cue_end(index)
        if cue is not None:
            return cue, "cue", True
        word = self.folded[index]
        if word == "be":
            return self._after_be(index + 1)
        if verb_form(word) == "base" and word not in _NON_DUTY_VERBS:
            return index, "duty", True
        return None

    def _after_be(self, index: int) -> tuple[int, _Mode, bool] | None:
        index = self._skip_intensifiers(index)
        if index >= len(self.tokens):
            return None
        cue = self._cue_end(index)
        if cue is not None:
            return cue, "cue", True
        word = self.folded[index]
        if verb_form(word) == "ing" and "ADJ" not in word_classes(word):
            return index, "duty", True
        if word in ("a", "an"):
            # "be an excellent team player": the noun phrase names a trait.
            return index + 1, "cue", True
        if self._trait_word(index):
            return index, "trait", True
        return None

    def _trait_word(self, index: int) -> bool:
        word = self.folded[index]
        classes = word_classes(word)
        if word == "self" or (index > 0 and self.folded[index - 1] == "self"):
            return True  # "self motivated"
        if verb_form(word) == "other":
            # "organised" is a trait; "considered for", "measured on" are passives.
            nxt = self.folded[index + 1] if index + 1 < len(self.tokens) else ""
            return "PREP" not in word_classes(nxt)
        return bool(classes & {"ADJ", "ADV"}) and not classes & {"PREP", "DET", "SUB"}

    def _duty_verb(self, index: int) -> bool:
        word = self.folded[index]
        if verb_form(word) not in ("base", "ing") or word in _NON_DUTY_VERBS:
            return False
        nxt = index + 1
        if nxt >= len(self.tokens):
            return False
        after = self.folded[nxt]
        if after in SUBORDINATORS or word_classes(after) & {"AUX", "PUNCT"}:
            return False
        # A word that is also a noun ("Exchange", "Support") reads as a verb only
        # before its object's determiner or a "with": "Support the team".
        if "NOUN" in word_classes(word) and verb_form(word) == "base":
            if after in ("and", "or") and nxt + 1 < len(self.tokens):
                return verb_form(self.folded[nxt + 1]) == "base"
            return after in DETERMINERS or after in POSSESSIVES or after == "with"
        return True

    def _strict_verb(self, index: int) -> bool:
        """A verb that cannot be a noun, or a gerund: safe to start a duty mid-sentence."""
        return (
            "NOUN" not in word_classes(self.folded[index]) or verb_form(self.folded[index]) == "ing"
        )

    def _action_noun(self, index: int) -> bool:
        """ "Management of all areas ...": a noun made from a verb, taking "of"."""
        nxt = index + 1
        if nxt + 1 >= len(self.tokens):
            return False
        word = self.folded[index]
        return (
            self.folded[nxt] == "of"
            and word_classes(word) == {"NOUN"}
            and word.endswith(_ACTION_NOUN_SUFFIXES)
        )

    def _clause_start(self, index: int) -> bool:
        if index == 0:
            return True
        previous = self.tokens[index - 1]
        if previous.text in _CLAUSE_OPENERS or line_break(self.text, previous, self.tokens[index]):
            return True
        return self._run_on_duty(index)

    def _run_on_duty(self, index: int) -> bool:
        """A capitalised verb after a lower-case word: the next duty of a run-on list."""
        token = self.tokens[index]
        previous = self.tokens[index - 1]
        return (
            token.text[:1].isupper()
            and previous.is_word
            and previous.text[:1].islower()
            and previous.folded not in CONJUNCTIONS
            and verb_form(token.folded) == "base"
            and self._duty_verb(index)
        )

    def _run_on_heading(self, index: int) -> bool:
        """A capitalised non-noun after a lower-case noun: lines glued together ("tools Proven")."""
        token = self.tokens[index]
        previous = self.tokens[index - 1]
        if not (token.text[:1].isupper() and token.text[1:].islower()):
            return False
        if not (previous.is_word and previous.text[:1].islower()):
            return False
        if word_classes(previous.folded) & {"DET", "PREP", "CONJ", "SUB", "PRON", "AUX"}:
            return False
        classes = word_classes(token.folded)
        return "NOUN" not in classes

    # Reading the items of a phrase.

    def _read_items(self, start: int, mode: _Mode, alone: bool) -> int:
        """Read coordinated items from start; returns the index after the last one."""
        index = start
        items = 0
        listed = False
        while index < len(self.tokens) and items < MAX_ITEMS:
            first = self._skip_modifiers(index)
            if first < len(self.tokens) and items and self._cue_end(first) is not None:
                return index  # "... and good experience of X": the next cue reads X
            last = self._item_end(first, mode, alone)
            if last < first:
                return index
            last, split = self._split_conjunct(first, last, mode, listed)
            trimmed = self._trim(first, last)
            separator = last + 1 < len(self.tokens) and self.folded[last + 1] in _ITEM_SEPARATORS
            single = trimmed is not None and trimmed[0] == trimmed[1]
            # "hold a CSCS card": a bare verb whose object is a qualification is no skill.
            object_taken = last + 1 < len(self.tokens) and self.taken[last + 1]
            if trimmed is not None and (
                (alone and not (single and object_taken)) or listed or separator or not single
            ):
                self._add(*trimmed, duty=self._duty_item(trimmed[0], mode))
                items += 1
                after = trimmed[1] + 1
                if after <= last and self.folded[after] in _GROUP_HEADS:
                    self.taken[after] = True  # still read: "... teams to ensure X" is a purpose

            index = last + 1
            if split:
                listed = True
                index += 1
                continue
            if not separator:
                return index
            listed = listed or self.folded[index] in (",", "/")
            while index < len(self.tokens) and self.folded[index] in _ITEM_SEPARATORS:
                index += 1
            if index < len(self.tokens) and not self._continues_list(index, mode):
                return index
        return index

    def _continues_list(self, index: int, mode: _Mode) -> bool:
        """Does another item follow a separator (not a new subject or clause)?"""
        word = self.folded[index]
        if self.taken[index] or self._cue_end(index) is not None:
            return False
        if mode == "trait":
            return self._trait_word(self._skip_intensifiers(index))
        classes = word_classes(word)
        return not (classes & {"PRON", "AUX", "SUB", "PREP", "PUNCT"}) or word in DETERMINERS

    def _skip_modifiers(self, index: int) -> int:
        while index < len(self.tokens) and (
            self.folded[index] in DETERMINERS
            or self.folded[index] in INTENSIFIERS
            or self.folded[index] in _EVALUATIVE
        ):
            index += 1
        return index

    def _item_end(self, first: int, mode: _Mode, alone: bool) -> int:
        """The last token of the item starting at first (first - 1 when there is none)."""
        index = first
        verb_item = self._verb_item(first, mode)
        infinitive = False
        while index < len(self.tokens) and index - first < MAX_PHRASE_TOKENS:
            if self.taken[index] or (infinitive and self.folded[index] in CONJUNCTIONS):
                break
            if mode == "trait" and self._infinitive(index):
                # "willing to learn": the trait takes its verb phrase, up to a conjunction.
                mode, verb_item, infinitive = "duty", True, True
                index += 2
                continue
            if self._boundary(first, index, mode, verb_item, alone):
                break
            index += 1
        return index - 1

    def _to_verb(self, index: int) -> bool:
        """Is "to" at index an infinitive marker, adverbs allowed ("to not only have")?"""
        nxt = index + 1
        while nxt < len(self.tokens) and "ADV" in word_classes(self.folded[nxt]):
            nxt += 1
        return nxt < len(self.tokens) and (
            verb_form(self.folded[nxt]) == "base" or self.folded[nxt] in ("be", "have", "do")
        )

    def _names_after(self, index: int) -> bool:
        """Does a capitalised name follow, after any determiner ("to the Head of IT")?"""
        index += 1
        while index < len(self.tokens) and self.folded[index] in DETERMINERS:
            index += 1
        return index < len(self.tokens) and self.tokens[index].text[:1].isupper()

    def _infinitive(self, index: int) -> bool:
        return (
            self.folded[index] == "to"
            and index + 1 < len(self.tokens)
            and verb_form(self.folded[index + 1]) == "base"
        )

    def _duty_item(self, first: int, mode: _Mode) -> bool:
        """A verb item that cannot be a noun phrase: "exciting opportunity" can."""
        return self._verb_item(first, mode) and "ADJ" not in word_classes(self.folded[first])

    def _verb_item(self, first: int, mode: _Mode) -> bool:
        """Does the item start with a verb (a duty), not a noun ("contract sums")?"""
        if first >= len(self.tokens):
            return False
        form = verb_form(self.folded[first])
        if form == "ing":
            return True
        return form == "base" and (mode == "duty" or (first > 0 and self.folded[first - 1] == "to"))

    def _boundary(self, first: int, index: int, mode: _Mode, verb_item: bool, alone: bool) -> bool:
        token = self.tokens[index]
        word = token.folded
        if index > first and line_break(self.text, self.tokens[index - 1], token):
            return True
        if not token.is_word:
            return (
                token.text in _PUNCT_BREAKS
                and not self._verb_series(first, index, verb_item)
                and not self._alternatives(index)
            )
        classes = word_classes(word)
        if index == first:
            return bool(classes & {"AUX", "SUB", "PRON", "CONJ"}) and word not in DETERMINERS
        if mode == "trait":
            return not (self._trait_word(index) or word in INTENSIFIERS)
        if self._cue_end(index) is not None:
            return True
        if word == "to" and verb_item:
            # A duty takes its recipient ("listening to clients"), not a purpose ("to ensure")
            # nor a reporting line ("reporting to the Finance Director").
            return self._to_verb(index) or self._names_after(index)
        if word in _CIRCUMSTANCE_PREPS:
            # After a cue, a verb with no object takes its circumstance: "working at height".
            lone_verb = alone and verb_item and index == first + 1
            return not lone_verb or word == "to"
        if word == "for" and (not verb_item or index > first + 1):
            # "files for use", "prepare payslips for our clients": the purpose or the
            # beneficiary of a noun or of a verb's object, not part of the skill; a verb's
            # own "for" stays ("care for patients").
            return True
        if word in SUBORDINATORS or word in PRONOUNS or word in _MODALS:
            return True
        if "AUX" in classes and word not in ("have", "having"):
            return True
        if word in CONJUNCTIONS and self._word(index + 1) in ("have", "has"):
            return True  # "Excel and have a keen eye": "and have" opens a new predicate
        # A capitalised verb mid-sentence opens the next duty of a run-on list.
        return index > first and (self._run_on_duty(index) or self._run_on_heading(index))

    def _alternatives(self, index: int) -> bool:
        """A slash between lower-case words: alternatives in one phrase ("cost / budget
        control"); between names it separates items ("Python / SQL")."""
        return (
            self.tokens[index].text == "/"
            and index + 1 < len(self.tokens)
            and all(
                self.tokens[i].is_word and self.tokens[i].text[:1].islower()
                for i in (index - 1, index + 1)
            )
        )

    def _verb_series(self, first: int, index: int, verb_item: bool) -> bool:
        """A comma in "Implement, maintain and lead projects": bare verbs share one object."""
        nxt = index + 1
        return (
            verb_item
            and self.tokens[index].text == ","
            and nxt < len(self.tokens)
            and self._bare_verbs(first, index)
            and verb_form(self.folded[nxt]) == "base"
            and self._strict_verb(nxt)
        )

    def _bare_verbs(self, first: int, end: int) -> bool:
        """Only base verbs (and commas) from first up to end (exclusive): "Implement, maintain".

        Gerund lists ("planning, resourcing") read as nouns, and after the first verb a word
        that may be a noun ("organise staff") is its object.
        """
        return verb_form(self.folded[first]) == "base" and all(
            self.folded[i] == ","
            or (verb_form(self.folded[i]) == "base" and "NOUN" not in word_classes(self.folded[i]))
            for i in range(first + 1, end)
        )

    def _split_conjunct(self, first: int, last: int, mode: _Mode, listed: bool) -> tuple[int, bool]:
        """Cut the item at an inner "and"/"or" that joins two items, not two heads."""
        verb_item = self._verb_item(first, mode)
        for index in range(first + 1, last):
            if self.folded[index] not in CONJUNCTIONS:
                continue
            left = index - first
            right = last - index
            if verb_item:
                # Duties keep coordinated objects; a second verb after a full one splits.
                nxt = index + 1
                while nxt < last and word_classes(self.folded[nxt]) == {"ADV"}:
                    nxt += 1
                full = left >= 2 and not self._bare_verbs(first, index)
                if full and verb_form(self.folded[nxt]) in ("base", "ing"):
                    return index - 1, True
                continue
            # "internal and external reporting": a lone adjective shares the next head.
            shared = (
                left == 1
                and right >= 2
                and "ADJ" in word_classes(self.folded[first])
                and not self._action_noun(index + 1)
            )
            if (listed and not shared) or left >= 2 or right <= 1:
                return index - 1, True
        return last, False

    def _trim(self, first: int, last: int) -> tuple[int, int] | None:
        while first <= last and (
            not self._content(first) or self.folded[first] in _REQUIREMENT_WORDS
        ):
            first += 1
        while last >= first and (
            not self._content(last)
            or self.folded[last] in _SKILL_NOUNS
            or self.folded[last] in _REQUIREMENT_WORDS
        ):
            last -= 1
        if last > first and self.folded[last] in _GROUP_HEADS and self._bare_compound(first, last):
            last -= 1
        if last < first:
            return None
        if first == last and word_classes(self.folded[first]) <= {"ADV"}:
            return None
        return first, last

    def _bare_compound(self, first: int, last: int) -> bool:
        """Words only, no function word: a compound noun ("Finance and Fund Accounting teams")."""
        return all(
            self._content(i) or self.folded[i] in ("and", "&") for i in range(first, last + 1)
        )

    def _content(self, index: int) -> bool:
        token = self.tokens[index]
        if not token.is_word:
            return False
        classes = word_classes(token.folded)
        return bool(classes & {"NOUN", "VERB", "ADJ", "ADV", "NUM"}) and not (
            classes & {"DET", "PREP", "CONJ", "SUB", "PRON", "AUX"}
        )

    def _add(self, first: int, last: int, *, duty: bool = False) -> None:
        """Take a phrase; a noun phrase headed by what a job offers is none, nor a term
        of employment."""
        if any(self.taken[first : last + 1]):
            return
        offer = self.folded[last] in _OFFER_HEADS and not duty
        if offer or tuple(self.folded[first : last + 1]) in _EMPLOYMENT_TERMS:
            return
        self.taken[first : last + 1] = [True] * (last - first + 1)
        self.spans.append(_Span(first, last, "soft"))

    def _read_skill_nouns(self) -> None:
        """ "Good communication and influencing skills": the items before "skills"."""
        for index, word in enumerate(self.folded):
            if (word not in _SKILL_HEADS and word not in _PERSON_HEADS) or index == 0:
                continue
            last = index - 1
            if (self.folded[last], word) in _DEGREE_COMPOUNDS:
                continue
            while last >= 0:
                first = last
                while (
                    first >= 0
                    and self._content(first)
                    and not self.taken[first]
                    and self.folded[first] not in _EVALUATIVE
                    and self.folded[first] not in _REQUIREMENT_WORDS
                    and self.folded[first] not in INTENSIFIERS
                    and self.folded[first] not in _DURATION_WORDS
                    and self.folded[first] not in _SKILL_HEADS
                    and self.folded[first] not in _SELECTING
                    and self.folded[first] not in _DOMAIN_NOUNS
                    and word_classes(self.folded[first]) != {"NUM"}
                    and (word not in _PERSON_HEADS or self._describes(first))
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

    def _describes(self, index: int) -> bool:
        """Can the word describe a person? A bare verb cannot ("need people", "offer individual")."""
        word = self.folded[index]
        return verb_form(word) != "base" or "ADJ" in word_classes(word)


def _mention(text: str, tokens: Sequence[Token], span: _Span) -> SkillMention:
    start, end = tokens[span.first].start, tokens[span.last].end
    surface = text[start:end]
    canonical = " ".join(surface.split()).casefold()
    return SkillMention(surface, start, end, canonical, span.kind)
