"""The match result: scores, the ATS keyword view and the explanation."""

from __future__ import annotations

from typing import Literal

from pydantic import BaseModel, Field

# exact: the posting's words; synonym: same skill by alias; variant: the words of a
# multi-word keyword near each other in other forms; related: a broader/narrower skill.
MatchType = Literal["exact", "synonym", "variant", "related", "none"]


class KeywordLocation(BaseModel):
    """Where a keyword was found in the resume."""

    section: str
    text: str  # the words the resume uses
    snippet: str


class KeywordMatch(BaseModel):
    """One keyword of the posting and whether (and where) the resume has it."""

    keyword: str
    category: str
    required: bool
    match_type: MatchType
    found_in: list[KeywordLocation] = Field(default_factory=list)


class KeywordGroup(BaseModel):
    """One ATS keyword category, split into matched and missing."""

    matched: list[KeywordMatch] = Field(default_factory=list)
    missing: list[KeywordMatch] = Field(default_factory=list)


class KeywordBreakdown(BaseModel):
    """The posting's keywords by category, as an ATS user expects to see them."""

    hard_skills: KeywordGroup = Field(default_factory=KeywordGroup)
    soft_skills: KeywordGroup = Field(default_factory=KeywordGroup)
    job_title: KeywordGroup = Field(default_factory=KeywordGroup)
    education: KeywordGroup = Field(default_factory=KeywordGroup)
    certifications: KeywordGroup = Field(default_factory=KeywordGroup)


class NotAssessed(BaseModel):
    """A score component left out of the overall score, and why."""

    component: str
    reason: str


class MatchResult(BaseModel):
    """How well a resume matches a job, with the computed facts behind every number.

    A component score is None when the posting gives no basis for it; it is then left out
    of ``overall_score`` and listed in ``not_assessed`` with the reason in ``not_assessed_reasons``.
    """

    overall_score: int
    skills_score: int | None
    experience_score: int | None
    education_score: int | None
    keywords_score: int | None
    career_score: int | None
    strengths: list[str] = Field(default_factory=list)
    gaps: list[str] = Field(default_factory=list)
    recommendations: list[str] = Field(default_factory=list)
    rationale: str = ""
    keywords: KeywordBreakdown = Field(default_factory=KeywordBreakdown)
    candidate_years: float = 0.0
    relevant_years: float = 0.0
    required_years: float | None = None
    candidate_education: str = "none"
    required_education: str = ""
    title_similarity: int = 0
    best_matching_title: str = ""
    # Components the posting gave no basis for (left out of the overall score).
    not_assessed: list[str] = Field(default_factory=list)
    not_assessed_reasons: list[NotAssessed] = Field(default_factory=list)

    def missing_keywords(self, *, required_only: bool = False) -> list[str]:
        """The posting's keywords the resume lacks (hard skills first)."""
        out: list[str] = []
        for group in (
            self.keywords.hard_skills,
            self.keywords.certifications,
            self.keywords.soft_skills,
            self.keywords.education,
        ):
            out.extend(m.keyword for m in group.missing if m.required or not required_only)
        return out
