"""Resume/posting pairs with known fit levels, for calibrating the match score.

Postings are written here for ten occupations; resumes are generated from each posting's
own lists (not from what a parser extracts), with controlled overlap per level:

- strong: most required skills (all but about one in seven), a title of the posting's
  family at its seniority, and more years than asked;
- partial: about half the required skills, a neighbouring title, about the years asked;
- poor: a strong resume for an occupation of another cluster.

Occupations are split by family: ``HELD_OUT`` are never looked at while tuning.
Deterministic for a given seed.
"""

from __future__ import annotations

import random
from dataclasses import dataclass
from typing import Literal

from atspro.resume.model import ContactInfo, Education, Resume, WorkExperience

Level = Literal["strong", "partial", "poor"]
LEVELS: tuple[Level, ...] = ("strong", "partial", "poor")


@dataclass(frozen=True, slots=True)
class PostingSpec:
    """One written posting and what a resume in its family looks like."""

    occupation: str
    cluster: str  # occupations of one cluster are never each other's poor fits
    title: str
    company: str
    years: int
    degree: str  # what the resume of a fit holds
    degree_ask: str  # the posting's line about degrees ("" = none)
    required: tuple[str, ...]
    preferred: tuple[str, ...]
    duties: tuple[str, ...]
    family_titles: tuple[str, ...]  # titles a strong fit has held (first = the posting's role)
    neighbour_titles: tuple[str, ...]  # titles a partial fit holds


SPECS: tuple[PostingSpec, ...] = (
    PostingSpec(
        occupation="software",
        cluster="tech",
        title="Senior Backend Engineer",
        company="Paylane",
        years=6,
        degree="BSc Computer Science",
        degree_ask="Bachelor's degree in Computer Science or equivalent experience",
        required=(
            "Python",
            "Go",
            "PostgreSQL",
            "Redis",
            "Kafka",
            "Docker",
            "Kubernetes",
            "AWS",
            "Terraform",
            "GitHub Actions",
        ),
        preferred=("gRPC", "Prometheus"),
        duties=(
            "design and operate payment services",
            "build event pipelines",
            "run services in production",
        ),
        family_titles=("Backend Engineer", "Software Engineer", "Platform Engineer"),
        neighbour_titles=("Frontend Developer", "QA Engineer"),
    ),
    PostingSpec(
        occupation="data",
        cluster="tech",
        title="Data Analyst",
        company="Cartwell",
        years=3,
        degree="BSc Statistics",
        degree_ask="Bachelor's degree in Statistics, Mathematics or a related field",
        required=("SQL", "Python", "Tableau", "Excel", "pandas", "A/B testing", "statistics"),
        preferred=("dbt", "Looker"),
        duties=(
            "build dashboards for the sales team",
            "analyse customer churn",
            "report weekly metrics",
        ),
        family_titles=("Data Analyst", "Business Intelligence Analyst", "Analytics Engineer"),
        neighbour_titles=("Data Scientist", "Reporting Specialist"),
    ),
    PostingSpec(
        occupation="product",
        cluster="business",
        title="Senior Product Manager",
        company="Northwind Apps",
        years=5,
        degree="MBA",
        degree_ask="",
        required=(
            "product roadmap",
            "user research",
            "Agile",
            "Jira",
            "SQL",
            "A/B testing",
            "stakeholder management",
        ),
        preferred=("Amplitude", "OKRs"),
        duties=(
            "own the roadmap",
            "run discovery with customers",
            "ship features with engineering",
        ),
        family_titles=("Product Manager", "Program Manager", "Product Owner"),
        neighbour_titles=("Project Coordinator", "Business Analyst"),
    ),
    PostingSpec(
        occupation="design",
        cluster="creative",
        title="UX Designer",
        company="Brightloom",
        years=3,
        degree="BA Interaction Design",
        degree_ask="Degree in design, HCI or a related field",
        required=("Figma", "wireframing", "prototyping", "user research", "usability testing"),
        preferred=("Adobe Illustrator", "HTML"),
        duties=("design onboarding flows", "test prototypes with users", "keep the design system"),
        family_titles=("UX Designer", "Product Designer", "Interaction Designer"),
        neighbour_titles=("Graphic Designer", "Visual Designer"),
    ),
    PostingSpec(
        occupation="sales",
        cluster="business",
        title="Account Executive",
        company="Stackfield",
        years=3,
        degree="BA Business Administration",
        degree_ask="",
        required=("Salesforce", "B2B sales", "cold calling", "pipeline management", "negotiation"),
        preferred=("HubSpot", "SaaS"),
        duties=("close new business", "run demos for prospects", "forecast the quarter"),
        family_titles=("Account Executive", "Sales Representative", "Account Manager"),
        neighbour_titles=("Sales Development Representative", "Customer Success Manager"),
    ),
    PostingSpec(
        occupation="nursing",
        cluster="health",
        title="Registered Nurse",
        company="Mercy General Hospital",
        years=2,
        degree="BSN Nursing",
        degree_ask="Bachelor of Science in Nursing (BSN)",
        required=(
            "patient care",
            "medication administration",
            "BLS",
            "Epic",
            "patient assessment",
            "IV therapy",
        ),
        preferred=("ACLS", "telemetry"),
        duties=(
            "care for patients on a medical-surgical unit",
            "educate patients and families",
            "chart care",
        ),
        family_titles=("Registered Nurse", "Staff Nurse", "Charge Nurse"),
        neighbour_titles=("Licensed Practical Nurse", "Medical Assistant"),
    ),
    PostingSpec(
        occupation="finance",
        cluster="business",
        title="Financial Analyst",
        company="Harbor Capital",
        years=3,
        degree="BSc Finance",
        degree_ask="Bachelor's degree in Finance, Accounting or Economics",
        required=(
            "financial modeling",
            "Excel",
            "forecasting",
            "budgeting",
            "variance analysis",
            "SQL",
        ),
        preferred=("CFA", "Power BI"),
        duties=("build the annual budget", "explain monthly variances", "model new investments"),
        family_titles=("Financial Analyst", "FP&A Analyst", "Senior Accountant"),
        neighbour_titles=("Accountant", "Bookkeeper"),
    ),
    PostingSpec(
        occupation="operations",
        cluster="operations",
        title="Operations Manager",
        company="Fleetway Logistics",
        years=5,
        degree="BSc Supply Chain Management",
        degree_ask="Bachelor's degree in Business or Supply Chain Management",
        required=(
            "logistics",
            "inventory management",
            "Lean",
            "process improvement",
            "vendor management",
            "budgeting",
        ),
        preferred=("Six Sigma", "SAP"),
        duties=(
            "run two distribution centres",
            "cut fulfilment costs",
            "lead a team of 40",
        ),
        family_titles=("Operations Manager", "Logistics Manager", "Warehouse Manager"),
        neighbour_titles=("Operations Coordinator", "Shift Supervisor"),
    ),
    PostingSpec(
        occupation="marketing",
        cluster="creative",
        title="Digital Marketing Manager",
        company="Greenleaf Foods",
        years=4,
        degree="BA Marketing",
        degree_ask="Bachelor's degree in Marketing or Communications",
        required=("SEO", "Google Analytics", "content marketing", "email marketing", "Google Ads"),
        preferred=("HubSpot", "copywriting"),
        duties=("grow organic traffic", "run paid campaigns", "plan the content calendar"),
        family_titles=("Marketing Manager", "Digital Marketing Specialist", "Growth Marketer"),
        neighbour_titles=("Content Writer", "Social Media Coordinator"),
    ),
    PostingSpec(
        occupation="people",
        cluster="people",
        title="HR Generalist",
        company="Alder Health Partners",
        years=3,
        degree="BA Human Resources",
        degree_ask="Bachelor's degree in Human Resources or related field",
        required=(
            "recruiting",
            "onboarding",
            "employee relations",
            "HRIS",
            "benefits administration",
        ),
        preferred=("SHRM-CP", "Workday"),
        duties=("hire for clinics", "run onboarding", "advise managers on policy"),
        family_titles=("HR Generalist", "Human Resources Specialist", "HR Business Partner"),
        neighbour_titles=("Recruiter", "Office Administrator"),
    ),
)
# Kept out of every tuning decision; reported separately.
HELD_OUT = frozenset({"nursing", "finance", "marketing"})


def posting_text(spec: PostingSpec) -> str:
    """The posting as a recruiter would paste it: title, about, duties, requirements."""
    req = list(spec.required)
    chunks = [req[i : i + 3] for i in range(0, len(req), 3)]
    lines = [
        spec.title,
        f"{spec.company} - Full time",
        "",
        "About the role",
        f"{spec.company} is hiring a {spec.title} to join a growing team.",
        "",
        "Responsibilities:",
        *(f"- {duty[0].upper()}{duty[1:]}" for duty in spec.duties),
        "",
        "Requirements:",
        f"- {spec.years}+ years of experience as a {spec.title.lower()} or similar role",
        *(f"- Experience with {_listing(chunk)}" for chunk in chunks),
    ]
    if spec.degree_ask:
        lines.append(f"- {spec.degree_ask}")
    lines += ["", "Nice to have:", *(f"- {skill}" for skill in spec.preferred)]
    return "\n".join(lines) + "\n"


def _listing(items: list[str]) -> str:
    return items[0] if len(items) == 1 else f"{', '.join(items[:-1])} and {items[-1]}"


_NAMES = ("Ada", "Ben", "Cleo", "Dev", "Eli", "Fay", "Gus", "Hana", "Ivo", "Jun")
_SURNAMES = ("Park", "Okafor", "Silva", "Novak", "Reyes", "Lund", "Ito", "Moreau")
_SENIOR = ("Senior", "Sr.", "Lead")


def _role(
    title: str, company: str, start: tuple[int, int], end: tuple[int, int] | None, lines: list[str]
) -> WorkExperience:
    return WorkExperience(
        company=company,
        position=title,
        start_date=f"{start[0]}-{start[1]:02d}",
        end_date="" if end is None else f"{end[0]}-{end[1]:02d}",
        is_current=end is None,
        responsibilities=lines,
    )


def _bullets(skills: list[str], duties: tuple[str, ...], rng: random.Random) -> list[str]:
    """One sentence per duty, naming two skills each, so evidence sits in the roles."""
    out: list[str] = []
    pool = list(skills)
    rng.shuffle(pool)
    for index, duty in enumerate(duties):
        used = pool[2 * index : 2 * index + 2]
        if used:
            out.append(f"Used {_listing(used)} to {duty}")
        else:
            out.append(f"Helped {duty}")
    leftover = pool[2 * len(duties) :]
    if leftover:
        out.append(f"Also worked with {_listing(leftover)}")
    return out


def build_resume(spec: PostingSpec, level: Level, seed: int, *, year: int = 2025) -> Resume:
    """A resume of ``level`` fit for ``spec``'s posting (deterministic for ``seed``)."""
    rng = random.Random(f"{spec.occupation}:{level}:{seed}")
    if level == "poor":
        others = [s for s in SPECS if s.cluster != spec.cluster]
        return build_resume(others[rng.randrange(len(others))], "strong", seed, year=year)
    required = list(spec.required)
    rng.shuffle(required)
    if level == "strong":
        keep = len(required) - max(1, len(required) // 7) if len(required) > 5 else len(required)
        skills = required[:keep] + list(spec.preferred[: rng.randint(0, len(spec.preferred))])
        title = spec.family_titles[seed % len(spec.family_titles)]
        stated = spec.title.split()[0] if spec.title.split()[0] in _SENIOR else ""
        current = f"{stated} {title}".strip()
        previous = spec.family_titles[(seed + 1) % len(spec.family_titles)]
        years = spec.years + rng.randint(1, 4)
    else:
        skills = required[: (len(required) + 1) // 2]
        current = spec.neighbour_titles[seed % len(spec.neighbour_titles)]
        previous = spec.neighbour_titles[(seed + 1) % len(spec.neighbour_titles)]
        years = max(1, spec.years - rng.randint(0, 1))
    split = max(1, years // 2)
    start_current = (year - split, rng.randint(1, 6))
    start_previous = (year - years, rng.randint(1, 6))
    first, last = _NAMES[seed % len(_NAMES)], _SURNAMES[rng.randrange(len(_SURNAMES))]
    companies = ("Orbit Works", "Bluepeak", "Kestrel Group", "Lumen & Co")
    return Resume(
        contact_info=ContactInfo(
            full_name=f"{first} {last}", email=f"{first.lower()}@example.org", phone="555 0100"
        ),
        summary=f"{current} with {years} years of experience.",
        work_experience=[
            _role(
                current,
                companies[seed % 4],
                start_current,
                None,
                _bullets(skills[: len(skills) // 2 + 1], spec.duties, rng),
            ),
            _role(
                previous,
                companies[(seed + 1) % 4],
                start_previous,
                (start_current[0], start_current[1] - 1 or 1),
                _bullets(skills[len(skills) // 2 + 1 :], spec.duties[1:], rng),
            ),
        ],
        education=[Education(institution="State University", degree=spec.degree)],
        skills=skills,
    )


@dataclass(frozen=True, slots=True)
class FitPair:
    """One resume/posting pair with its known fit level."""

    spec: PostingSpec
    level: Level
    seed: int
    resume: Resume


def fit_pairs(*, per_level: int = 3) -> list[FitPair]:
    """``per_level`` resumes of every level for every posting."""
    return [
        FitPair(spec, level, seed, build_resume(spec, level, seed))
        for spec in SPECS
        for level in LEVELS
        for seed in range(per_level)
    ]
