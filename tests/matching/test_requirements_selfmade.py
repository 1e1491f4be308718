"""Skill requirements of a posting written in the test: fragments, addresses, soft skills."""

from __future__ import annotations

from atspro.jobs.model import Job
from atspro.matching.requirements import skill_requirements


def test_fragments_and_addresses_are_no_skills_and_soft_skills_are_kept() -> None:
    job = Job(
        title="Account Manager",
        company="Acme",
        description="x",
        qualifications=[
            "Experience with go-to-market plans for non-Java teams and writing SQL",
            "A degree in Computer Science with strong communication skills",
            "Contact jobs@python.example or see https://go.example/java",
        ],
        soft_skills=["Negotiation", "Communication", "Teamwork"],
    )
    found = {r.label: r for r in skill_requirements(job)}
    hard = {label for label, r in found.items() if r.category == "hard_skills"}
    # "go" of "go-to-market", "Java" of "non-Java", the "python" of an e-mail and the
    # "java" of a URL are fragments of other words.
    assert not {"go", "Go", "python", "java", "Python", "Java"} & hard
    assert "SQL" in hard and found["SQL"].required
    # A degree line names a field, not a skill, but its soft skills still count.
    assert "Computer Science" not in found
    assert (found["communication skills"].category, found["communication skills"].required) == (
        "soft_skills",
        True,
    )
    # The posting's soft-skill list adds what the lines did not already ask for, as preferred.
    assert {
        label: r.required for label, r in found.items() if label in ("Negotiation", "Teamwork")
    } == {
        "Negotiation": False,
        "Teamwork": False,
    }
    assert "Communication" not in found
