"""Skills of a job posting: the trained tagger decides what is a skill, the vocabulary names it.

* A Knowledge span of the tagger that holds vocabulary names gives those names (canonical
  names, synonyms, abbreviations folded by the taxonomy); one without gives its own
  surface, normalised by ``canonical_skill``, when it is short enough to be a name.
* A vocabulary hard-skill name the tagger left untagged stays only when the tagger gave
  it some probability of being Knowledge (``VOCABULARY_MIN_PROBABILITY``, chosen on the
  SkillSpan dev split), or when it is listed beside a name that stays ("Spark and
  Airflow"): this is what drops "disabilities", "throughput" or "journals".
* Soft skills stay rule-based: vocabulary names ("communication", "teamwork") a resume
  can be matched against. The tagger's Skill spans are whole phrases ("design and
  implement end-to-end tests"), reported by ``atspro eval skills`` but not used as names.
"""

from __future__ import annotations

import re
from typing import Final

from atspro.skills.extraction import extract_skills
from atspro.skills.mention import SkillMention
from atspro.skills.normalisation import canonical_skill, lookup_concept
from atspro.skills.tagger import Tagging, tag_text

VOCABULARY_MIN_PROBABILITY: Final = 0.5
# A tagged span of more words than this that the vocabulary does not know is a
# description ("muscle models with learning and adaptation"), not a name to require.
MAX_NEW_NAME_WORDS: Final = 4
# What stands between two items of one list.
_LIST_GAP: Final = re.compile(r"\s*(?:[,/&+|]\s*)?(?:(?:and|or)\s+)?", re.IGNORECASE)


def extract_posting_skills(text: str) -> list[SkillMention]:
    """Hard and soft skill mentions of a posting, in text order, non-overlapping."""
    if not text:
        return []
    vocabulary = extract_skills(text)
    return combine(text, vocabulary, tag_text(text))


def combine(text: str, vocabulary: list[SkillMention], tagging: Tagging) -> list[SkillMention]:
    """Join the vocabulary's mentions with the tagger's Knowledge spans (see module doc)."""
    hard = [m for m in vocabulary if m.kind == "hard"]
    kept: list[SkillMention] = [m for m in vocabulary if m.kind != "hard"]
    used: set[int] = set()
    for span in tagging.spans:
        if span.layer != "Knowledge":
            continue
        inside = [i for i, m in enumerate(hard) if m.start < span.end and span.start < m.end]
        if inside:
            used.update(inside)
            continue
        mention = _new_name(text, span.start, span.end)
        if mention is not None:
            kept.append(mention)
    sure = [
        index in used
        or tagging.probability("Knowledge", m.start, m.end) >= VOCABULARY_MIN_PROBABILITY
        for index, m in enumerate(hard)
    ]
    _confirm_listed(text, hard, sure)
    kept.extend(m for m, keep in zip(hard, sure, strict=True) if keep)
    kept.sort(key=lambda m: (m.start, -m.end))
    result: list[SkillMention] = []
    for mention in kept:
        if result and mention.start < result[-1].end:
            continue  # a soft name inside a tagged span: the first, longer one stays
        result.append(mention)
    return result


def _confirm_listed(text: str, hard: list[SkillMention], sure: list[bool]) -> None:
    """A name listed beside a kept name is kept too: "Spark and Airflow", "AWS/GCP"."""
    changed = True
    while changed:
        changed = False
        for index in range(len(hard)):
            if sure[index]:
                continue
            for other in (index - 1, index + 1):
                if 0 <= other < len(hard) and sure[other]:
                    left, right = sorted((hard[index], hard[other]), key=lambda m: m.start)
                    if _LIST_GAP.fullmatch(text[left.end : right.start]):
                        sure[index] = changed = True
                        break


def _new_name(text: str, start: int, end: int) -> SkillMention | None:
    surface = text[start:end].strip(" .:;-*\u2022")
    words = surface.split()
    if not words or len(words) > MAX_NEW_NAME_WORDS or not any(ch.isalnum() for ch in surface):
        return None
    if surface.startswith("<") and surface.endswith(">"):
        return None  # an anonymised placeholder in tokenised corpora
    offset = text.index(surface, start)
    concept = lookup_concept(surface)
    canonical = concept.canonical if concept else canonical_skill(surface)
    kind = concept.kind if concept else "hard"
    return SkillMention(surface, offset, offset + len(surface), canonical, kind)
