"""Property: whatever the resume and job, the tailored output passes the checker."""

from __future__ import annotations

from datetime import date

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from atspro.jobs.model import Job
from atspro.resume.model import ContactInfo, Education, Project, Resume, WorkExperience
from atspro.tailoring import check_tailoring, tailor_resume

SKILLS = [
    "Python",
    "JS",
    "JavaScript",
    "React",
    "SQL",
    "Postgres",
    "k8s",
    "Kubernetes",
    "Excel",
    "ML",
    "Go",
    "C++",
]
WORDS = [
    "built",
    "led",
    "team",
    "reports",
    "data",
    "modeled",
    "APIs",
    "customers",
    "3",
    "40%",
    "weekly",
    "and",
]
TITLES = ["Backend Engineer", "Data Analyst", "Nurse", "Product Manager", ""]

text = st.lists(st.sampled_from(SKILLS + WORDS), min_size=1, max_size=9).map(" ".join)
roles = st.builds(
    WorkExperience,
    company=st.sampled_from(["Acme", "Globex", ""]),
    position=st.sampled_from(TITLES),
    start_date=st.sampled_from(["2015-01", "2019-06", "2022", ""]),
    end_date=st.sampled_from(["", "2020-12", "Present"]),
    is_current=st.booleans(),
    description=st.one_of(st.just(""), text),
    responsibilities=st.lists(text, max_size=4),
    skills=st.lists(st.sampled_from(SKILLS), max_size=2),
)
resumes = st.builds(
    Resume,
    contact_info=st.builds(
        ContactInfo, full_name=st.sampled_from(["Kim Lee", ""]), email=st.just("kim@example.com")
    ),
    summary=st.one_of(st.just(""), text),
    work_experience=st.lists(roles, max_size=3),
    education=st.lists(
        st.builds(
            Education,
            degree=st.sampled_from(["BSc", "MBA", ""]),
            institution=st.sampled_from(["MIT", ""]),
        ),
        max_size=1,
    ),
    projects=st.lists(
        st.builds(Project, name=st.sampled_from(["Tool", "Site"]), description=text), max_size=2
    ),
    skills=st.lists(st.sampled_from(SKILLS), max_size=6),
    languages=st.lists(st.sampled_from(["English", "French"]), max_size=1),
)
jobs = st.builds(
    Job,
    title=st.sampled_from(TITLES),
    description=text,
    qualifications=st.lists(text, max_size=3),
    required_skills=st.lists(st.sampled_from(SKILLS), max_size=5),
    preferred_skills=st.lists(st.sampled_from(SKILLS), max_size=2),
)


@settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(resume=resumes, job=jobs)
def test_tailored_output_always_passes_the_checker(resume: Resume, job: Job) -> None:
    result = tailor_resume(resume, job, today=date(2025, 1, 1))
    assert check_tailoring(resume, result.resume, job) == []
    assert check_tailoring(resume, result.markdown, job) == []
