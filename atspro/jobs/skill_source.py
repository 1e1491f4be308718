"""The one place the jobs package reaches the skills extractor."""

from __future__ import annotations

from atspro.jobs.skill_names import rescue_names
from atspro.skills import SkillMention
from atspro.skills.extraction import extract_skills
from atspro.skills.posting import combine
from atspro.skills.tagger import tag_text


def find_skills(text: str) -> list[SkillMention]:
    """Hard and soft skill mentions in ``text`` with character offsets: the tagger's joined
    with the vocabulary, plus vocabulary names written as names the tagger underrated."""
    if not text:
        return []
    vocabulary = extract_skills(text)
    return rescue_names(text, combine(text, vocabulary, tag_text(text)), vocabulary)
