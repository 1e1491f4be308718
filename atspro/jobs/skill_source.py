"""The one place the jobs package reaches the skills extractor."""

from __future__ import annotations

from atspro.skills import SkillMention, extract_posting_skills


def find_skills(text: str) -> list[SkillMention]:
    """Hard and soft skill mentions in ``text``, with character offsets (tagger + vocabulary)."""
    return extract_posting_skills(text)
