"""Research worth reading: the company's own words, real red flags, specific questions, grammar."""

from __future__ import annotations

import random
import re
from datetime import date

import pytest

from atspro.jobs.model import Job, Salary
from atspro.jobs.parser import parse_text
from atspro.research import about_sentences, build_research_report, detect_red_flags
from atspro.research.phrasing import duty_clause
from atspro.resume.model import Resume, WorkExperience

TODAY = date(2025, 6, 1)

POSTING = """Senior Backend Engineer
Acme Robotics · Berlin, Germany

About us
Acme Robotics builds warehouse robots used by 300 retailers across Europe. Founded in 2015, we are a team of 250 people with offices in Berlin and Lisbon. Our mission is to make logistics work safer.

The role
We are looking for a Senior Backend Engineer to join our Fleet Platform team.

What you'll do
- Design and operate the services that dispatch robots in real time
- Developing front end tooling for operators
- Take part in the on-call rotation

Requirements
- 5+ years of backend experience with Python or Go
- PostgreSQL, Redis and Kafka in production
- We are a fast-moving team and you should be comfortable with ambiguity

What we offer
- 30 days of paid vacation
- A yearly learning budget

Salary: EUR 80,000 - 95,000 per year

Our values
We value ownership, candour and kindness.
"""


def _resume(skills: list[str], title: str = "Backend Engineer") -> Resume:
    return Resume(
        summary="Engineer.",
        work_experience=[
            WorkExperience(
                company="Shopco",
                position=title,
                start_date="2019-01",
                is_current=True,
                responsibilities=[f"Built services with {', '.join(skills[:3])}"],
            )
        ],
        skills=skills,
    )


def _norm(text: str) -> str:
    return " ".join(re.findall(r"\w+", text.lower()))


def test_overview_is_the_about_part_not_the_requirements() -> None:
    job = parse_text(POSTING)
    report = build_research_report(_resume(["Python", "Go"]), job, today=TODAY)
    assert report.overview[:3] == [
        "Acme Robotics builds warehouse robots used by 300 retailers across Europe.",
        "Founded in 2015, we are a team of 250 people with offices in Berlin and Lisbon.",
        "Our mission is to make logistics work safer.",
    ]
    assert "We value ownership, candour and kindness." in report.overview
    joined = " ".join(report.overview)
    assert "looking for" not in joined and "fast-moving" not in joined
    facts = {f.kind: f.text for f in report.facts}
    assert facts["size"] == "250 people"
    assert facts["founded"] == "2015"
    assert facts["locations"] == "Berlin, Lisbon"
    assert "30 days of paid vacation" in [f.text for f in report.facts if f.kind == "benefits"]
    assert all(f.source == "the job posting" for f in report.facts)
    assert "- Values: ownership, candour and kindness [1]" in report.markdown
    assert "- Our mission is to make logistics work safer. [1]" in report.markdown


def test_about_sentences_without_a_heading_and_from_a_model_parsed_job() -> None:
    inline = Job(
        company="Loom & Thread",
        description=(
            "We are a 40-person design studio in Leeds. We are hiring a Junior Designer. "
            "Loom & Thread has made brand identities for charities since 2009. "
            "You will sketch concepts."
        ),
    )
    assert about_sentences(inline) == [
        "We are a 40-person design studio in Leeds.",
        "Loom & Thread has made brand identities for charities since 2009.",
    ]
    # A model-parsed posting keeps its about part out of the description.
    parsed = Job(
        company="Northwind",
        description="Northwind is hiring a nurse for its cardiac ward.",
        additional_info=[
            "Northwind Health runs four hospitals in Ohio.",
            "Northwind is an equal opportunity employer.",
        ],
    )
    assert about_sentences(parsed) == ["Northwind Health runs four hospitals in Ohio."]


CLEAN = """Data Analyst
Brightside Energy · Leeds

About Brightside Energy
Brightside Energy supplies renewable power to 80,000 homes in the north of England.

Responsibilities
- Build dashboards for the trading team
- Analyse half-hourly meter data

Requirements
- 2+ years of experience with SQL and Python
- Experience with Tableau or Power BI

Salary: £38,000 - £44,000 per year
"""


def test_a_clean_posting_has_no_red_flags() -> None:
    job = parse_text(CLEAN)
    assert detect_red_flags(job) == []
    report = build_research_report(_resume(["SQL", "Python"], "Analyst"), job, today=TODAY)
    assert "No warning signs found" in report.markdown


def test_an_unpaid_trial_is_flagged_and_asked_about() -> None:
    job = parse_text(
        CLEAN + "\nHow to apply\nShortlisted candidates complete an unpaid trial week.\n"
    )
    flags = {f.code: f for f in detect_red_flags(job)}
    assert set(flags) == {"unpaid_work"}
    assert flags["unpaid_work"].evidence == "unpaid trial week"
    report = build_research_report(_resume(["SQL"]), job, today=TODAY)
    assert report.questions[0].startswith('The posting mentions "unpaid trial week"')


def test_junior_title_asking_ten_years_is_contradictory_seniority() -> None:
    text = CLEAN.replace("Data Analyst", "Junior Data Analyst").replace("2+ years", "10+ years")
    flags = {f.code: f for f in detect_red_flags(parse_text(text))}
    assert set(flags) == {"contradictory_seniority"}
    assert flags["contradictory_seniority"].evidence == "Junior Data Analyst, 10+ years"


def test_excessive_requirements_count_the_requirements_not_the_noise() -> None:
    noisy = parse_text(CLEAN).model_copy(
        update={"required_skills": [f"tool{i}" for i in range(28)]}
    )
    assert detect_red_flags(noisy) == []  # 28 parser skills, none asked in the requirements
    skills = [
        "Python", "Java", "Go", "Rust", "Scala", "Kotlin", "SQL", "PostgreSQL", "MySQL",
        "MongoDB", "Redis", "Kafka", "Spark", "Docker", "Kubernetes", "Terraform", "AWS",
        "GCP", "Azure", "React",
    ]  # fmt: skip
    wish_list = CLEAN.replace(
        "- Experience with Tableau or Power BI",
        "\n".join(f"- Production experience with {s}" for s in skills),
    )
    flags = {f.code: f for f in detect_red_flags(parse_text(wish_list))}
    assert set(flags) == {"excessive_requirements"}
    assert flags["excessive_requirements"].evidence.startswith("21 requirements")


def test_questions_reference_the_posting() -> None:
    job = parse_text(POSTING)
    questions = build_research_report(_resume(["Python"]), job, today=TODAY).questions
    text = "\n".join(questions)
    assert 8 <= len(questions) <= 10
    assert '"design and operate the services that dispatch robots in real time"' in text
    assert "Fleet Platform team" in text
    assert "the mission to make logistics work safer" in text
    assert "Acme Robotics" in text
    assert "on-call rotation" in text


@pytest.mark.parametrize(
    ("duty", "clause"),
    [
        ("Developing front end tooling for operators", "develop front end tooling for operators"),
        ("Responsible for designing and running surveys", "design and run surveys"),
        ("Manages a ward of 20 beds.", "manage a ward of 20 beds"),
        ("You will write release notes", "write release notes"),
        ("Ownership of the data warehouse", None),
    ],
)
def test_duties_become_base_form_clauses(duty: str, clause: str | None) -> None:
    assert duty_clause(duty) == clause


# -- grammar over generated reports ---------------------------------------------------------

_COMPANIES = [
    ("Acme Robotics", "builds warehouse robots for retailers", "Berlin and Lisbon"),
    ("Northwind Health", "runs community hospitals", "Columbus, Dayton and Toledo"),
    ("Brightside Energy", "supplies renewable power to homes", "Leeds"),
    ("Quarry Labs", "makes analytics software for quarries", "Austin"),
    ("Pinecrest Bank", "offers savings accounts to small businesses", "Denver and Boise"),
    ("Loom Studio", "designs brand identities for charities", "Manchester"),
]
_ROLES = {
    "Software Engineer": (
        ["build APIs in Python", "review pull requests", "maintain the CI pipeline"],
        ["Python", "PostgreSQL", "Docker", "AWS"],
    ),
    "Data Analyst": (
        ["analyse sales data", "build dashboards in Tableau", "present findings to managers"],
        ["SQL", "Python", "Tableau", "Excel"],
    ),
    "Registered Nurse": (
        ["care for patients on the cardiac ward", "administer medication", "document care plans"],
        ["patient care", "medication administration", "BLS"],
    ),
    "Account Executive": (
        ["prospect new accounts", "negotiate contracts", "manage the sales pipeline"],
        ["Salesforce", "negotiation", "CRM"],
    ),
    "Product Designer": (
        ["design user flows", "run usability tests", "maintain the design system"],
        ["Figma", "prototyping", "user research"],
    ),
}
_LEVELS = ["", "Junior ", "Senior ", "Lead "]
_ABOUT_HEADINGS = ["About us", "Who we are", "About {name}", ""]


def _duty(rng: random.Random, base: str) -> str:
    verb, _, rest = base.partition(" ")
    forms = [
        f"{verb.capitalize()} {rest}",
        f"{verb.capitalize()}s {rest}",
        f"{(verb[:-1] if verb.endswith('e') else verb).capitalize()}ing {rest}",
        f"Responsible for {(verb[:-1] if verb.endswith('e') else verb)}ing {rest}",
        f"You will {verb} {rest}",
        f"Ownership of the {rest.split()[-1]} work",
    ]
    return rng.choice(forms)


def _posting(rng: random.Random) -> str:
    name, does, places = rng.choice(_COMPANIES)
    title, (duties, skills) = rng.choice(list(_ROLES.items()))
    level = rng.choice(_LEVELS)
    years = rng.choice([1, 2, 3, 5, 8, 10])
    lines = [f"{level}{title}", f"{name} · {places.split(' and ')[0].split(',')[0]}", ""]
    heading = rng.choice(_ABOUT_HEADINGS).format(name=name)
    about = [
        f"{name} {does}.",
        f"Founded in {rng.randint(1950, 2020)}, we are a team of {rng.choice([12, 80, 450])} people with offices in {places}.",
    ]
    if rng.random() < 0.5:
        about.append(
            f"Our mission is to {rng.choice(['make care kinder', 'cut waste', 'help people save'])}."
        )
    if heading:
        lines += [heading, " ".join(about), ""]
    else:
        lines += [" ".join(about), ""]
    lines += [
        "The role",
        f"We are looking for a {level}{title} to join our {rng.choice(['Core', 'Growth', 'Care'])} team.",
        "",
    ]
    lines += ["Responsibilities", *(f"- {_duty(rng, d)}" for d in duties), ""]
    reqs = [f"- {years}+ years of experience with {skills[0]}"]
    reqs += [f"- Experience with {s}" for s in rng.sample(skills[1:], k=min(2, len(skills) - 1))]
    lines += ["Requirements", *reqs, ""]
    pay = rng.choice(["range", "vague", "none"])
    benefits = rng.sample(["25 days of holiday", "A pension plan", "Private health cover"], k=2)
    if pay == "range":
        benefits.append(
            f"Salary: ${rng.choice([45, 60, 90])},000 - ${rng.choice([95, 110])},000 per year"
        )
    elif pay == "vague":
        benefits.append("Competitive salary")
    lines += ["What we offer", *(f"- {b}" for b in benefits), ""]
    if rng.random() < 0.2:
        lines += ["Hiring process", "The final stage is an unpaid trial day.", ""]
    if rng.random() < 0.5:
        lines += ["Our values", "We value honesty, curiosity and care.", ""]
    return "\n".join(lines)


def _generated_resume(rng: random.Random) -> Resume:
    title, (_, skills) = rng.choice(list(_ROLES.items()))
    return _resume(rng.sample(skills, k=rng.randint(1, len(skills))), title)


_MODAL = re.compile(r"\b(?:can|could|will|would|should|must|may|might)\s+(\w+)\b", re.I)
_BASE_ENDINGS = frozenset(
    {"access", "address", "process", "discuss", "focus", "need", "embed", "bring"}
)
_DOUBLED = re.compile(r"\b(\w+)\s+\1\b", re.I)
_PLACEHOLDERS = re.compile(
    r"\bNone\b|\bnull\b|\bnan\b|\{|\}|\(\)|\[\]|\"\"|''|\s[,.;:]|,,|\.\.|\?\.|\.\?|s's\b|^-\s*$",
    re.M,
)
_SENTENCE_END = re.compile(r"(?<=[.!?])\s+(?=\S)")


def grammar_problems(markdown: str) -> list[str]:
    """Sentence-level problems in a report's prose."""
    problems: list[str] = []
    for raw in markdown.splitlines():
        line = raw.strip()
        if not line or line.startswith("#"):
            continue
        problems += [f"placeholder {m.group(0)!r}: {line}" for m in _PLACEHOLDERS.finditer(line)]
        body = re.sub(r"^(?:- |\d+\. )", "", line)
        body = re.sub(r"\s\[\d+\]$", "", body)
        for piece in _SENTENCE_END.split(body):
            if not (piece[:1].isupper() or piece[:1].isdigit() or piece[:1] in "\"'("):
                problems.append(f"lower-case start: {piece!r}")
        for m in _MODAL.finditer(body):
            word = m.group(1).lower()
            if word not in _BASE_ENDINGS and (
                word.endswith(("ing", "ed")) or (word.endswith("s") and not word.endswith("ss"))
            ):
                problems.append(f"verb form after a modal: {m.group(0)!r}")
        problems += [f"doubled word {m.group(0)!r}" for m in _DOUBLED.finditer(body)]
    return problems


def test_grammar_of_generated_reports() -> None:
    rng = random.Random(19)
    checked = 0
    for _ in range(60):
        text = _posting(rng)
        job = parse_text(text)
        report = build_research_report(_generated_resume(rng), job, today=TODAY)
        problems = grammar_problems(report.markdown)
        assert not problems, (problems, report.markdown)
        asked = [_norm(line) for line in (*job.qualifications, *job.responsibilities)]
        for sentence in report.overview:
            assert not any(_norm(sentence) in line for line in asked), sentence
        assert report.overview, text  # every generated posting describes its company
        checked += 1
    assert checked >= 50


def test_grammar_checker_catches_the_old_bugs() -> None:
    bad = "- Past work that shows you can developing front end tooling.\n- Acme Robotics's plans.\n"
    found = " ".join(grammar_problems(bad + "- skills None\n- the the team.\n"))
    assert "can developing" in found and "s's" in found and "None" in found
    assert "doubled word" in found and "lower-case start" in found


def test_salary_range_in_the_report() -> None:
    job = Job(
        title="Nurse",
        company="Northwind",
        description="Care.",
        salary=Salary(min=50000, max=60000, currency="USD", period="year"),
    )
    assert (
        "Pay: USD 50,000-60,000 per year."
        in build_research_report(_resume(["BLS"]), job, today=TODAY).role
    )
