"""Synthetic candidates for the held-out resume evaluation: Faker people in several locales.

Everything here is invented from Faker and from general word lists written for this
benchmark (not taken from any sample resume). Each candidate keeps the truth the parser is
scored against, in the ``*.truth.json`` shape the quality harness reads.
"""

from __future__ import annotations

import random
import re
from dataclasses import dataclass, field
from typing import Any

from anyascii import anyascii
from faker import Faker

LOCALES = (
    "en_US",
    "en_GB",
    "de_DE",
    "fr_FR",
    "es_ES",
    "it_IT",
    "nl_NL",
    "pt_BR",
    "en_IN",
    "en_AU",
    "pl_PL",
    "sv_SE",
)
COUNTRY = {
    "en_GB": ("United Kingdom", "UK"),
    "de_DE": ("Germany", "Deutschland"),
    "fr_FR": ("France",),
    "es_ES": ("Spain", "España"),
    "it_IT": ("Italy",),
    "nl_NL": ("Netherlands",),
    "pt_BR": ("Brazil",),
    "en_IN": ("India",),
    "pl_PL": ("Poland",),
    "sv_SE": ("Sweden",),
}
# Languages whose resumes are sometimes written in that language, headings and months too.
LOCAL_LANGUAGE = {"de_DE": "de", "fr_FR": "fr", "es_ES": "es"}

TITLES = (
    "Software Engineer",
    "Senior Software Engineer",
    "Data Analyst",
    "Project Manager",
    "Product Manager",
    "Marketing Coordinator",
    "Account Executive",
    "Financial Analyst",
    "Registered Nurse",
    "Mechanical Engineer",
    "Civil Engineer",
    "HR Generalist",
    "Customer Success Manager",
    "Graphic Designer",
    "Operations Manager",
    "Research Assistant",
    "Teaching Assistant",
    "Sales Representative",
    "Business Analyst",
    "DevOps Engineer",
    "Frontend Developer",
    "Backend Developer",
    "Quality Assurance Specialist",
    "Supply Chain Coordinator",
    "Accountant",
    "Paralegal",
    "Pharmacist",
    "Store Manager",
    "Office Administrator",
    "Content Writer",
    "UX Researcher",
    "Machine Learning Engineer",
    "Site Reliability Engineer",
    "Team Lead",
    "Head of Marketing",
    "Lab Technician",
    "Logistics Planner",
    "Recruiter",
    "Electrician",
    "Sous Chef",
)
FIELDS = (
    "Computer Science",
    "Business Administration",
    "Mechanical Engineering",
    "Economics",
    "Nursing",
    "Psychology",
    "Mathematics",
    "Marketing",
    "Electrical Engineering",
    "Finance",
    "Biology",
    "Graphic Design",
    "Information Systems",
    "Chemistry",
    "Supply Chain Management",
    "Civil Engineering",
)
DEGREE_FORMS = (
    "Bachelor of Science in {f}",
    "Bachelor of Arts in {f}",
    "B.Sc. in {f}",
    "BSc {f}",
    "B.A. {f}",
    "B.S. in {f}",
    "Master of Science in {f}",
    "M.Sc. {f}",
    "MSc in {f}",
    "Master of Engineering in {f}",
    "MBA",
    "Ph.D. in {f}",
    "Associate of Applied Science in {f}",
    "Diploma in {f}",
    "Bachelor of Engineering in {f}",
)
SCHOOL_FORMS = {
    "en": (
        "University of {city}",
        "{city} State University",
        "{city} Institute of Technology",
        "{last} College",
        "{city} Community College",
        "{last} University",
    ),
    "de": ("Universität {city}", "Technische Universität {city}", "Hochschule {city}"),
    "fr": ("Université de {city}", "École Supérieure de Commerce de {city}"),
    "es": ("Universidad de {city}", "Universidad Politécnica de {city}"),
    "it": ("Università di {city}", "Politecnico di {city}"),
    "nl": ("Universiteit {city}", "Hogeschool {city}"),
    "pt": ("Universidade de {city}", "Universidade Federal de {city}"),
}
SKILLS = {
    "tech": (
        "Python",
        "Java",
        "TypeScript",
        "React",
        "Node.js",
        "SQL",
        "PostgreSQL",
        "Docker",
        "Kubernetes",
        "AWS",
        "Terraform",
        "Git",
        "Linux",
        "Go",
        "C++",
        "GraphQL",
        "Kafka",
        "Pandas",
        "Tableau",
        "Azure",
    ),
    "business": (
        "Salesforce",
        "Excel",
        "Budgeting",
        "Forecasting",
        "Negotiation",
        "Stakeholder Management",
        "SAP",
        "Power BI",
        "Project Planning",
        "Market Research",
        "HubSpot",
        "Jira",
        "Agile",
        "Public Speaking",
        "Google Analytics",
    ),
    "care": (
        "Patient Care",
        "Phlebotomy",
        "Epic",
        "Triage",
        "Infection Control",
        "Medication Administration",
        "CPR",
        "Care Planning",
        "Wound Care",
        "Electronic Health Records",
    ),
}
VERBS = (
    "Led",
    "Built",
    "Designed",
    "Managed",
    "Introduced",
    "Reduced",
    "Improved",
    "Coordinated",
    "Launched",
    "Automated",
    "Negotiated",
    "Trained",
    "Analysed",
    "Delivered",
    "Streamlined",
)
OBJECTS = (
    "the quarterly reporting process for the finance team",
    "a customer onboarding programme used by 40 clients",
    "the migration of legacy services to a new platform",
    "a team of six across two offices",
    "weekly stock planning for regional stores",
    "the hiring pipeline for technical roles",
    "patient intake procedures on a busy ward",
    "the internal knowledge base and its search",
    "supplier contracts worth 2 million per year",
    "the data pipeline feeding the sales dashboards",
    "safety inspections on three construction sites",
    "the launch campaign for a new product line",
)
RESULTS = (
    "cutting processing time by 30%",
    "saving about 12 hours of manual work a week",
    "raising customer satisfaction scores by 15 points",
    "with zero downtime",
    "ahead of schedule and under budget",
    "which doubled qualified leads within a year",
    "reducing errors by 40%",
    "",
)


@dataclass(slots=True)
class Job:
    """One role as the candidate held it."""

    title: str
    company: str
    location: str
    start: tuple[int, int]
    end: tuple[int, int] | None
    bullets: list[str]


@dataclass(slots=True)
class School:
    """One degree at one school."""

    degree: str
    institution: str
    location: str
    start: tuple[int, int]
    end: tuple[int, int]
    gpa: str = ""


@dataclass(slots=True)
class Person:
    """A synthetic candidate and the language their resume is written in."""

    locale: str
    language: str
    name: str
    email: str
    phone: str
    location: str
    headline: str
    summary: str
    jobs: list[Job]
    schools: list[School]
    skills: list[str]
    links: list[str] = field(default_factory=list)
    spoken: list[str] = field(default_factory=list)
    years_only: bool = False


def _slug(text: str) -> str:
    return re.sub(r"[^a-z]", "", anyascii(text).lower())


def _phone(fake: Faker) -> str:
    # Office extensions ("x1234") do not appear on resumes.
    return str(fake.phone_number()).split("x")[0].strip()


def _place(fake: Faker, locale: str, rng: random.Random) -> str:
    city = str(fake.city())
    if locale == "en_US":
        # Territories and military codes ("VI", "AE") are not where resumes come from.
        state = fake.state_abbr(include_territories=False, include_freely_associated_states=False)
        return f"{city}, {state}"
    if locale == "en_AU":
        return f"{city}, {fake.state_abbr()}"
    return f"{city}, {rng.choice(COUNTRY[locale])}"


def _title(fake: Faker, rng: random.Random, language: str) -> str:
    if language != "en" and rng.random() < 0.6:
        return str(fake.job()).split(",")[0].split("/")[0].strip().capitalize()
    if rng.random() < 0.4:
        english = Faker("en_US")
        english.seed_instance(rng.randrange(10**9))
        job = str(english.job())
        if "," not in job and "(" not in job and "/" not in job:
            return job[:1].upper() + job[1:]
    return rng.choice(TITLES)


def _bullet(rng: random.Random) -> str:
    result = rng.choice(RESULTS)
    text = f"{rng.choice(VERBS)} {rng.choice(OBJECTS)}"
    if not result:
        return text
    return f"{text} {result}" if result.startswith("with") else f"{text}, {result}"


def make_person(seed: int) -> Person:
    """A candidate drawn from ``seed``: name, contact, roles, schools and skills."""
    rng = random.Random(seed)
    locale = rng.choice(LOCALES)
    fake = Faker(locale)
    fake.seed_instance(seed)
    language = LOCAL_LANGUAGE[locale] if locale in LOCAL_LANGUAGE and rng.random() < 0.3 else "en"
    first, last = str(fake.first_name()), str(fake.last_name())
    name = f"{first} {last}"
    email = f"{_slug(first)}{rng.choice(['.', '_', ''])}{_slug(last)}@{fake.free_email_domain()}"
    year, month = 2025, rng.randint(1, 12)
    jobs: list[Job] = []
    for i in range(rng.randint(1, 4)):
        end = None if i == 0 and rng.random() < 0.6 else (year, month)
        length = rng.randint(8, 50)
        start_index = year * 12 + month - 1 - length
        start = (start_index // 12, start_index % 12 + 1)
        jobs.append(
            Job(
                title=_title(fake, rng, language),
                company=str(fake.company()),
                location=_place(fake, locale, rng),
                start=start,
                end=end,
                bullets=[_bullet(rng) for _ in range(rng.randint(1, 4))],
            )
        )
        gap = start_index - rng.randint(0, 6)
        year, month = gap // 12, gap % 12 + 1
    schools: list[School] = []
    school_lang = locale[:2] if locale[:2] in SCHOOL_FORMS and rng.random() < 0.6 else "en"
    for _ in range(rng.choice((1, 1, 1, 2))):
        form = rng.choice(SCHOOL_FORMS[school_lang])
        degree = rng.choice(DEGREE_FORMS).format(f=rng.choice(FIELDS))
        end_year = year - rng.randint(0, 2)
        schools.append(
            School(
                degree=degree,
                institution=form.format(city=fake.city(), last=fake.last_name()),
                location=_place(fake, locale, rng),
                start=(end_year - rng.choice((2, 3, 4)), 9),
                end=(end_year, rng.choice((5, 6, 7))),
                gpa=f"{rng.uniform(3.0, 4.0):.2f}" if rng.random() < 0.3 else "",
            )
        )
        year = end_year - 4
    pool = SKILLS[rng.choice(list(SKILLS))]
    skills = rng.sample(pool, rng.randint(4, min(10, len(pool))))
    headline = jobs[0].title
    years = max(1, 2025 - jobs[-1].start[0])
    summary = (
        f"{rng.choice(['Reliable', 'Driven', 'Experienced', 'Curious'])} {headline.lower()} with "
        f"{years} years of experience. {_bullet(rng)}. Looking for a role where I can keep "
        "learning and help a team grow."
    )
    links = []
    if rng.random() < 0.5:
        links.append(f"linkedin.com/in/{_slug(first)}-{_slug(last)}")
    if rng.random() < 0.3:
        links.append(f"github.com/{_slug(first)}{_slug(last)[:3]}")
    return Person(
        locale=locale,
        language=language,
        name=name,
        email=email,
        phone=_phone(fake),
        location=_place(fake, locale, rng),
        headline=headline,
        summary=summary,
        jobs=jobs,
        schools=schools,
        skills=skills,
        links=links,
        spoken=rng.sample(["English", "Spanish", "French", "German", "Hindi", "Polish"], 2),
        years_only=rng.random() < 0.15,
    )


def _iso(date: tuple[int, int] | None, years_only: bool) -> str:
    if date is None:
        return "present"
    return str(date[0]) if years_only else f"{date[0]}-{date[1]:02d}"


def truth_of(person: Person) -> dict[str, Any]:
    """The person's truth in the ``*.truth.json`` shape the harness scores against."""
    years = person.years_only
    return {
        "contact": {
            "full_name": person.name,
            "email": person.email,
            "phone": person.phone,
            "location": person.location,
        },
        "experience": [
            {
                "title": job.title,
                "company": job.company,
                "dates": f"{_iso(job.start, years)} - {_iso(job.end, years)}",
            }
            for job in person.jobs
        ],
        "education": [{"degree": s.degree, "institution": s.institution} for s in person.schools],
        "skills": list(person.skills),
    }
