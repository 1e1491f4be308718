"""The structured resume: the data model of the original spec."""

from __future__ import annotations

from pydantic import BaseModel, Field


class Link(BaseModel):
    """A named link from the contact block (LinkedIn, GitHub, portfolio...)."""

    name: str = ""
    url: str


class ContactInfo(BaseModel):
    """Who the candidate is and how to reach them."""

    full_name: str = ""
    email: str = ""
    phone: str = ""
    address: str = ""
    links: list[Link] = Field(default_factory=list)


class WorkExperience(BaseModel):
    """One role. Dates are ISO ``YYYY-MM`` (or ``YYYY``) when they could be normalised."""

    company: str = ""
    position: str = ""
    start_date: str = ""
    end_date: str = ""
    is_current: bool = False
    location: str = ""
    description: str = ""
    responsibilities: list[str] = Field(default_factory=list)
    skills: list[str] = Field(default_factory=list)


class Education(BaseModel):
    """One school or programme."""

    institution: str = ""
    degree: str = ""
    field_of_study: str = ""
    graduation_date: str = ""
    gpa: str = ""
    honors: list[str] = Field(default_factory=list)
    relevant_courses: list[str] = Field(default_factory=list)
    skills: list[str] = Field(default_factory=list)


class Certification(BaseModel):
    """A certification or licence."""

    name: str
    issuer: str = ""
    date_obtained: str = ""
    expiration_date: str = ""
    credential_id: str = ""


class Project(BaseModel):
    """A personal or academic project."""

    name: str
    description: str = ""
    url: str = ""
    skills: list[str] = Field(default_factory=list)


class Resume(BaseModel):
    """A parsed resume."""

    contact_info: ContactInfo = Field(default_factory=ContactInfo)
    summary: str = ""
    work_experience: list[WorkExperience] = Field(default_factory=list)
    education: list[Education] = Field(default_factory=list)
    certifications: list[Certification] = Field(default_factory=list)
    projects: list[Project] = Field(default_factory=list)
    skills: list[str] = Field(default_factory=list)
    languages: list[str] = Field(default_factory=list)
