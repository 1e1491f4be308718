"""Cover letters: the resume's facts in the posting's words, checked by the same guardrails."""

from __future__ import annotations

from datetime import date

import pytest

from atspro.jobs.model import Job
from atspro.resume.model import Resume
from atspro.tailoring import TailoringError
from atspro.tailoring.cover_letter import (
    check_cover_letter,
    letter_from_paragraphs,
    write_cover_letter,
)


def test_offline_letter_uses_only_resume_facts(resume: Resume, job: Job, today: date) -> None:
    letter = write_cover_letter(resume, job, today=today)
    assert check_cover_letter(resume, letter, job) == []
    text = letter.markdown
    assert text.startswith("# Ana Silva\nana@example.org")
    assert "Dear Shopline hiring team," in text
    assert "the Senior Frontend Engineer role at Shopline" in text
    assert "At Webly, where I have worked as Frontend Developer since Feb 2021" in text
    assert "JavaScript" in text and "JS " not in text
    assert "GraphQL" not in text  # asked for, but the resume does not show it
    assert text.rstrip().endswith("Ana Silva")


@pytest.mark.parametrize(
    ("paragraph", "rule"),
    [
        ("At Globex, where I worked as Frontend Developer, I built sites.", "employer_invented"),
        ("At Webly I worked as Staff Engineer on the checkout.", "title_invented"),
        ("I built the storefront API with GraphQL.", "skill_unsupported"),
        ("I mentored 7 new hires.", "number_invented"),
        ("Write to me at ana@elsewhere.example.", "contact_changed"),
    ],
)
def test_a_model_letter_that_invents_is_refused(
    resume: Resume, job: Job, paragraph: str, rule: str
) -> None:
    with pytest.raises(TailoringError) as caught:
        letter_from_paragraphs(resume, job, ["I am applying for the role at Shopline.", paragraph])
    assert rule in {v.rule for v in caught.value.violations}


def test_the_postings_employer_and_title_may_be_named(resume: Resume, job: Job) -> None:
    letter = letter_from_paragraphs(
        resume,
        job,
        ["I would like to join Shopline as Senior Frontend Engineer.", "At Webly I use React."],
    )
    assert letter.paragraphs[0].startswith("I would like to join Shopline")
