"""A model's rewording of the tailored bullets: kept only when it breaks no rule.

The optimize handler runs this check in the CPU worker process; here it runs in-process.
"""

from __future__ import annotations

from datetime import date

from atspro.jobs.model import Job
from atspro.resume.model import Resume
from atspro.tailoring import tailor_resume
from atspro.workers.handlers.matching import accept_rewording


def _bullets(resume: Resume) -> list[str]:
    return [b for role in resume.work_experience for b in role.responsibilities]


def test_a_faithful_rewording_is_kept_with_a_note(resume: Resume, job: Job, today: date) -> None:
    tailored = tailor_resume(resume, job, today=today)
    reworded = [b.replace("Wrote", "Developed") for b in _bullets(tailored.resume)]
    accepted = accept_rewording(resume, job, tailored, reworded)
    assert accepted is not None
    assert _bullets(accepted.resume) == reworded
    assert "Developed unit tests with Jest" in accepted.markdown
    assert accepted.after_score >= tailored.after_score
    assert accepted.changes[-1].startswith("Reworded 1 bullet(s)")


def test_a_rewording_that_claims_a_missing_skill_is_refused(
    resume: Resume, job: Job, today: date
) -> None:
    tailored = tailor_resume(resume, job, today=today)
    claimed = [f"{b} using GraphQL" for b in _bullets(tailored.resume)]
    assert accept_rewording(resume, job, tailored, claimed) is None
