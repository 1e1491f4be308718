"""GraphQL mirrors of the engine's pydantic models (resume, job, match result)."""

from __future__ import annotations

import strawberry
from strawberry.experimental import pydantic as spd

from atspro.jobs import model as job_model
from atspro.matching import result as match_model
from atspro.resume import model as resume_model


@spd.type(model=resume_model.Link, all_fields=True)
class Link:
    pass


@spd.type(model=resume_model.ContactInfo, all_fields=True)
class ContactInfo:
    pass


@spd.type(model=resume_model.WorkExperience, all_fields=True)
class WorkExperience:
    pass


@spd.type(model=resume_model.Education, all_fields=True)
class Education:
    pass


@spd.type(model=resume_model.Certification, all_fields=True)
class Certification:
    pass


@spd.type(model=resume_model.Project, all_fields=True)
class Project:
    pass


@spd.type(model=resume_model.Resume, all_fields=True, name="ResumeContent")
class ResumeContent:
    """The structured resume."""


WorkplaceType = strawberry.enum(job_model.WorkplaceType)


@spd.type(model=job_model.Salary, all_fields=True)
class Salary:
    pass


@spd.type(model=job_model.Job, all_fields=True, name="JobContent")
class JobContent:
    """The structured job posting."""


@spd.type(model=match_model.KeywordLocation, all_fields=True)
class KeywordLocation:
    pass


@spd.type(model=match_model.KeywordMatch)
class KeywordMatch:
    keyword: strawberry.auto
    category: strawberry.auto
    required: strawberry.auto
    match_type: str
    found_in: strawberry.auto


@spd.type(model=match_model.KeywordGroup, all_fields=True)
class KeywordGroup:
    pass


@spd.type(model=match_model.KeywordBreakdown, all_fields=True)
class KeywordBreakdown:
    """The posting's keywords by category, matched and missing, as an ATS shows them."""


@spd.type(model=match_model.MatchResult, all_fields=True, name="MatchContent")
class MatchContent:
    """Scores (0-100) with the facts behind them."""
