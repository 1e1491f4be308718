"""A skill found in text."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Literal


@dataclass(frozen=True, slots=True)
class SkillMention:
    """A skill mention: ``text[start:end]``, its canonical name and its kind.

    ``extract_skills`` gives "hard" and "soft" only; "qualification" comes from
    ``extract_skill_phrases`` (degrees, certificates, licences).
    """

    text: str
    start: int
    end: int
    canonical: str
    kind: Literal["hard", "soft", "qualification"]
