"""A light trained skill tagger: two CRFs (Knowledge = hard skills and tools, Skill = soft
and applied skills) over SkillSpan-style words, CPU only, opened once per process.

Built by ``scripts/train_skill_tagger.py`` (SkillSpan train splits; c1, c2 and features
chosen on the dev splits); features in ``features.py``; ``atspro.skills.posting`` joins
the Knowledge spans with the vocabulary for job postings. Design note and figures:
``docs/skills-tagger.md``.
"""

from atspro.skills.tagger.tagging import TaggedSpan, Tagging, default_tagger, tag_text

__all__ = ["TaggedSpan", "Tagging", "default_tagger", "tag_text"]
