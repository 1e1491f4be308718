"""The structured job posting: the original spec's fields plus normalised extras."""

from __future__ import annotations

import enum

from pydantic import BaseModel, Field


class WorkplaceType(enum.StrEnum):
    """Where the work happens."""

    REMOTE = "remote"
    HYBRID = "hybrid"
    ON_SITE = "on_site"
    UNKNOWN = "unknown"


class Salary(BaseModel):
    """A salary range, normalised; ``text`` keeps what the posting said."""

    text: str = ""
    min: float | None = None
    max: float | None = None
    currency: str = ""
    period: str = ""  # year, month, week, day, hour


class Job(BaseModel):
    """A parsed job posting."""

    company: str = ""
    title: str = ""
    description: str
    salary: Salary = Field(default_factory=Salary)
    responsibilities: list[str] = Field(default_factory=list)
    qualifications: list[str] = Field(default_factory=list)
    preferred_qualifications: list[str] = Field(default_factory=list)
    logistics: list[str] = Field(default_factory=list)
    benefits: list[str] = Field(default_factory=list)
    location: list[str] = Field(default_factory=list)
    additional_info: list[str] = Field(default_factory=list)
    link: str = ""
    employment_type: str = ""  # full_time, part_time, contract, internship, temporary
    seniority: str = ""  # intern, junior, mid, senior, lead, principal, executive
    workplace_type: WorkplaceType = WorkplaceType.UNKNOWN
    date_posted: str = ""  # ISO date
    years_experience_min: float | None = None
    education_level: str = (
        ""  # highest level asked for: high_school, associate, bachelor, master, phd
    )
    required_skills: list[str] = Field(default_factory=list)
    preferred_skills: list[str] = Field(default_factory=list)
    soft_skills: list[str] = Field(default_factory=list)
    source: str = ""  # json-ld, microdata, greenhouse, lever, ashby, html, text, document
