"""Skills: taxonomy, extraction from text and normalisation of skill names."""

from atspro.skills.extraction import extract_skills
from atspro.skills.mention import SkillMention
from atspro.skills.normalisation import canonical_skill, related_skills, skill_kind
from atspro.skills.phrases import extract_skill_phrases

__all__ = [
    "SkillMention",
    "canonical_skill",
    "extract_skill_phrases",
    "extract_skills",
    "related_skills",
    "skill_kind",
]
