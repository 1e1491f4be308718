"""Skills: taxonomy, extraction from text and normalisation of skill names."""

from atspro.skills.extraction import extract_skills
from atspro.skills.mention import SkillMention
from atspro.skills.normalisation import canonical_skill, related_skills, skill_kind
from atspro.skills.phrases import extract_skill_phrases
from atspro.skills.posting import extract_posting_skills

__all__ = [
    "SkillMention",
    "canonical_skill",
    "extract_posting_skills",
    "extract_skill_phrases",
    "extract_skills",
    "related_skills",
    "skill_kind",
]
