"""Property: adding a skill the job asks for never lowers the score."""

from __future__ import annotations

from datetime import date

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from atspro.jobs.model import Job
from atspro.matching import score_match
from atspro.resume.model import Education, Resume, WorkExperience

SKILLS = [
    "Python",
    "Java",
    "Docker",
    "Kubernetes",
    "React",
    "SQL",
    "AWS",
    "Terraform",
    "Go",
    "Excel",
    "JS",
]
TITLES = ["Backend Engineer", "Product Manager", "Data Analyst", "Frontend Developer", "Nurse"]
TODAY = date(2025, 1, 1)

roles = st.builds(
    WorkExperience,
    company=st.sampled_from(["Acme", "Globex", "Initech"]),
    position=st.sampled_from(TITLES),
    start_date=st.integers(2005, 2023).map(lambda y: f"{y}-01"),
    end_date=st.sampled_from(["", "2024-06", "2019-03"]),
    responsibilities=st.lists(
        st.sampled_from([f"Built tools with {s}" for s in SKILLS]), max_size=3
    ),
)
resumes = st.builds(
    Resume,
    work_experience=st.lists(roles, max_size=3),
    skills=st.lists(st.sampled_from(SKILLS), max_size=5),
    education=st.lists(
        st.builds(Education, degree=st.sampled_from(["BSc", "MBA", "PhD", ""])), max_size=1
    ),
)
jobs = st.builds(
    Job,
    title=st.sampled_from([*TITLES, ""]),
    description=st.just("A role."),
    required_skills=st.lists(st.sampled_from(SKILLS), min_size=1, max_size=5),
    preferred_skills=st.lists(st.sampled_from(SKILLS), max_size=2),
    years_experience_min=st.sampled_from([None, 2.0, 5.0]),
    education_level=st.sampled_from(["", "bachelor", "master"]),
)


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(resume=resumes, job=jobs, pick=st.integers(0, 10))
def test_adding_a_missing_required_skill_never_lowers_the_score(
    resume: Resume, job: Job, pick: int
) -> None:
    before = score_match(resume, job, today=TODAY)
    missing = [m.keyword for m in before.keywords.hard_skills.missing if m.required]
    if not missing:
        return
    grown = resume.model_copy(deep=True)
    grown.skills.append(missing[pick % len(missing)])
    after = score_match(grown, job, today=TODAY)
    assert after.overall_score >= before.overall_score
    assert after.skills_score >= before.skills_score
