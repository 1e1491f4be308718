"""GraphQL mirrors of the engine's pydantic models (resume, job, match result)."""

from __future__ import annotations

import strawberry
from strawberry.experimental import pydantic as spd

from atspro.jobs import model as job_model
from atspro.matching import result as match_model
from atspro.resume import model as resume_model
from atspro.schema.describe import describe_fields, describe_values

# Every string field below is "" (never null) when the source does not give it.


@spd.type(model=resume_model.Link, all_fields=True, description="A named link from a resume.")
class Link:
    pass


describe_fields(
    Link,
    name="What it links to as the resume labels it (LinkedIn, GitHub, Portfolio...).",
    url="The address as written in the resume.",
)


@spd.type(
    model=resume_model.ContactInfo,
    all_fields=True,
    description="Who the candidate is and how to reach them.",
)
class ContactInfo:
    pass


describe_fields(
    ContactInfo,
    full_name="The candidate's name.",
    email="Email address.",
    phone="Phone number as written.",
    address="Postal address or city, as written.",
    links=("Profile and portfolio links (LinkedIn, GitHub...)."),
)


@spd.type(
    model=resume_model.WorkExperience,
    all_fields=True,
    description="One role held. Dates are YYYY-MM or YYYY when they could be normalised.",
)
class WorkExperience:
    pass


describe_fields(
    WorkExperience,
    company="The employer.",
    position="The job title held.",
    start_date="When the role began: YYYY-MM or YYYY, else as written.",
    end_date="When the role ended: YYYY-MM or YYYY, else as written; empty while current.",
    is_current="True when the resume gives the role as ongoing ('Present').",
    location="Where the role was based.",
    description="Prose about the role that is not one of its bullet points.",
    responsibilities="The role's bullet points, in resume order.",
    skills="Skills named in this role.",
)


@spd.type(model=resume_model.Education, all_fields=True, description="One school or programme.")
class Education:
    pass


describe_fields(
    Education,
    institution="The school, college or university.",
    degree="The degree or qualification as written (e.g. 'BSc', 'Master of Science').",
    field_of_study="The subject studied.",
    graduation_date="When it was (or will be) completed: YYYY-MM or YYYY, else as written.",
    gpa="Grade point average as written (text: scales differ).",
    honors="Honours and awards.",
    relevant_courses="Courses the resume lists.",
    skills="Skills named with this entry.",
)


@spd.type(
    model=resume_model.Certification,
    all_fields=True,
    description="A certification or licence.",
)
class Certification:
    pass


describe_fields(
    Certification,
    name="The certification's name.",
    issuer="The body that issued it.",
    date_obtained="When it was obtained, as normalised or written.",
    expiration_date="When it expires, as normalised or written.",
    credential_id="The credential or licence number.",
)


@spd.type(
    model=resume_model.Project,
    all_fields=True,
    description="A personal, academic or open-source project.",
)
class Project:
    pass


describe_fields(
    Project,
    name="The project's name.",
    description="What the project is or did.",
    url="Where it can be seen.",
    skills="Skills and tools named with it.",
)


@spd.type(
    model=resume_model.Resume,
    all_fields=True,
    name="ResumeContent",
    description="The structured resume, as parsed from the uploaded file.",
)
class ResumeContent:
    pass


describe_fields(
    ResumeContent,
    contact_info="Name and contact details.",
    summary="The profile or summary paragraph.",
    work_experience="Roles held, in the order the resume lists them.",
    education="Schools and programmes.",
    certifications="Certifications and licences.",
    projects="Projects.",
    skills="Skills the resume lists.",
    languages="Spoken languages.",
)


WorkplaceType = describe_values(
    strawberry.enum(job_model.WorkplaceType, description="Where the work happens."),
    REMOTE="Fully remote.",
    HYBRID="Partly remote, partly at the employer's site.",
    ON_SITE="At the employer's site.",
    UNKNOWN="The posting does not say.",
)


@spd.type(
    model=job_model.Salary,
    all_fields=True,
    description="The pay offered, normalised; `text` keeps what the posting said.",
)
class Salary:
    pass


describe_fields(
    Salary,
    text="The pay as the posting wrote it; empty when it names none.",
    min="The lower bound in `currency` per `period`; null when not stated.",
    max="The upper bound in `currency` per `period`; null when not stated.",
    currency="ISO 4217 code (e.g. USD, EUR) when known.",
    period="What an amount is paid per: year, month, week, day or hour.",
)


@spd.type(
    model=job_model.Job,
    all_fields=True,
    name="JobContent",
    description="The structured job posting. List fields hold the posting's own sentences.",
)
class JobContent:
    pass


describe_fields(
    JobContent,
    company="The hiring company.",
    title="The job title.",
    description="The posting's text.",
    salary="The pay offered.",
    responsibilities="What the job involves.",
    qualifications="What the posting requires.",
    preferred_qualifications="What the posting would like but does not require.",
    logistics="Schedule, travel, visa and similar practical conditions.",
    benefits="Benefits and perks.",
    location="Where the job is (one entry per place).",
    additional_info="Anything else the posting says.",
    link="The posting's URL, when known.",
    employment_type="full_time, part_time, contract, internship or temporary; empty if unknown.",
    seniority="intern, junior, mid, senior, lead, principal or executive; empty if unknown.",
    workplace_type="Remote, hybrid or on site.",
    date_posted="When it was posted (ISO date), when stated.",
    years_experience_min="The fewest years of experience asked for; null when not stated.",
    education_level=(
        "The degree level asked for: high_school, associate, bachelor, master or phd; "
        "empty when none."
    ),
    required_skills="Hard skills the posting requires.",
    preferred_skills="Hard skills the posting would like.",
    soft_skills="Soft skills the posting asks for (communication, teamwork...).",
    source=(
        "Where the structure came from: json-ld, microdata, greenhouse, lever, ashby, html, "
        "text, document or model."
    ),
)


@spd.type(
    model=match_model.KeywordLocation,
    all_fields=True,
    description="Where a keyword was found in the resume.",
)
class KeywordLocation:
    pass


describe_fields(
    KeywordLocation,
    section="The resume section (e.g. skills, experience, summary).",
    text="The words the resume uses for the keyword.",
    snippet="The resume text around them.",
)


@spd.type(
    model=match_model.KeywordMatch,
    description="One keyword of the posting and whether (and where) the resume has it.",
)
class KeywordMatch:
    keyword: strawberry.auto
    category: strawberry.auto
    required: strawberry.auto
    match_type: str
    found_in: strawberry.auto


describe_fields(
    KeywordMatch,
    keyword="The keyword as the posting says it.",
    category="hard_skills, soft_skills, job_title, education or certifications.",
    required="True when the posting requires it; false when only preferred.",
    match_type=(
        "exact (the posting's words), synonym (the same skill by another name), variant "
        "(the words in other forms), related (a broader or narrower skill) or none."
    ),
    found_in="Where the resume has it; empty when missing.",
)


@spd.type(
    model=match_model.KeywordGroup,
    all_fields=True,
    description="One ATS keyword category, split into matched and missing.",
)
class KeywordGroup:
    pass


describe_fields(
    KeywordGroup,
    matched="Keywords the resume has.",
    missing="Keywords the resume lacks.",
)


@spd.type(
    model=match_model.KeywordBreakdown,
    all_fields=True,
    description="The posting's keywords by category, matched and missing, as an ATS shows them.",
)
class KeywordBreakdown:
    pass


describe_fields(
    KeywordBreakdown,
    hard_skills="Technical skills, tools and methods.",
    soft_skills="Interpersonal skills.",
    job_title="The posting's title against the resume's titles.",
    education="Degrees and fields of study.",
    certifications="Certifications and licences.",
)


@spd.type(
    model=match_model.NotAssessed,
    all_fields=True,
    description="A score component left out of the overall score, and why.",
)
class NotAssessed:
    pass


describe_fields(
    NotAssessed,
    component="skills, experience, education, keywords or career.",
    reason="Why the posting gives no basis for it.",
)


@spd.type(
    model=match_model.MatchResult,
    all_fields=True,
    name="MatchContent",
    description="Scores (integers 0-100, higher is better) with the facts behind them.",
)
class MatchContent:
    pass


describe_fields(
    MatchContent,
    overall_score=(
        "The weighted score: skills 40%, career 20%, experience 15%, keywords 15%, education "
        "10%, over the components the posting gives a basis for. Skills count in full from 85% "
        "of the weighted asks; experience and education count in full once the skills fit is "
        "at least half, and not at all when it is under 15%."
    ),
    skills_score=(
        "Share of the posting's skills the resume shows (required weigh more); null when the "
        "posting names none."
    ),
    experience_score=(
        "Relevant years of experience against the years asked for; null when the posting "
        "states no years or seniority."
    ),
    education_score=(
        "The candidate's education against the level and field asked for; null when the "
        "posting asks for none."
    ),
    keywords_score=(
        "The posting's keywords found in the resume, as an ATS counts them; null when none "
        "could be read."
    ),
    career_score=(
        "How close the candidate's titles (role family) and seniority are to the job's; null "
        "when the posting states neither."
    ),
    strengths="What speaks for the candidate, in sentences.",
    gaps="What the posting asks for that the resume does not show.",
    recommendations="What to change in the resume for this posting.",
    rationale="A short explanation of the scores.",
    keywords="The keywords by category, matched and missing.",
    candidate_years="The candidate's total years of experience.",
    relevant_years="The candidate's years in roles relevant to this job.",
    required_years="The years of experience the posting asks for; null when it names none.",
    candidate_education=(
        "The candidate's highest level: none, high_school, associate, bachelor, master or phd."
    ),
    required_education="The level the posting asks for; empty when it names none.",
    title_similarity=(
        "How close the best-matching resume title is to the job title (0-100): the same role "
        "100, the family's general role 85-90 (software engineer for backend engineer), close "
        "roles 80, other roles of the family 60, related families 35, lowered when the stated "
        "seniority differs."
    ),
    best_matching_title="The resume title closest to the job title.",
    not_assessed=(
        "Score components the posting gave no basis for (skills, experience, education, "
        "keywords, career): null above and left out of overallScore."
    ),
    not_assessed_reasons="The components left out of overallScore, each with the reason.",
)
