"""Cover letters: facts only from the resume, the employer and title only from the posting.

``write_cover_letter`` builds one offline from the tailored resume (so it uses the posting's
words where the resume proves the skill). ``letter_from_paragraphs`` wraps paragraphs a
model wrote. Both are run through ``check_cover_letter``; a letter that breaks a rule is
never returned.
"""

from __future__ import annotations

import re
from datetime import date

from pydantic import BaseModel, Field

from atspro.jobs.model import Job
from atspro.resume.model import Resume, WorkExperience
from atspro.tailoring.checker import Violation, check_claims
from atspro.tailoring.facts import OriginalFacts, same_name
from atspro.tailoring.markdown import human_date
from atspro.tailoring.optimizer import TailoredResume, TailoringError, tailor_resume

_EMAIL = re.compile(r"[\w.+-]+@[\w-]+(?:\.[\w-]+)+")
_WORD = r"[A-Z][\w&'+-]*(?:\.[\w&'+-]+)*"
_NAME = rf"{_WORD}(?:\s+(?:{_WORD}|&|of|and|de|la))*"
# "at Acme Corp" names an employer; "as a Senior Engineer" a title held.
_AT = re.compile(rf"\b[Aa]t\s+({_NAME})")
_AS = re.compile(rf"\b[Aa]s\s+(?:an?\s+)?({_NAME})")
_ROLES_TOLD = 2


class CoverLetter(BaseModel):
    """A cover letter in Markdown, with the body paragraphs and the skills it names."""

    markdown: str
    paragraphs: list[str]
    skills: list[str] = Field(default_factory=list)


def _sentence(text: str) -> str:
    text = " ".join(text.split()).rstrip(" .;")
    return text + "."


def _clause(bullet: str) -> str:
    """A bullet as a clause after "I": "Built X" -> "built X" (names keep their capitals)."""
    text = _sentence(bullet)
    first, _, rest = text.partition(" ")
    if first[:1].isupper() and first[1:].islower():
        first = first.lower()
    return f"{first} {rest}".strip()


def _role_line(role: WorkExperience) -> str:
    when = human_date(role.start_date)
    if role.is_current:
        verb, since = ("have worked", f" since {when}") if when else ("work", "")
    else:
        verb, since = "worked", ""
    return f"At {role.company}, where I {verb} as {role.position}{since}"


def _listing(items: list[str]) -> str:
    return items[0] if len(items) == 1 else f"{', '.join(items[:-1])} and {items[-1]}"


def _compose(resume: Resume, job: Job, paragraphs: list[str]) -> str:
    contact = resume.contact_info
    reach = [contact.email, contact.phone, contact.address]
    out = [f"# {contact.full_name.strip() or 'Cover letter'}"]
    if any(p.strip() for p in reach):
        out.append(" · ".join(p.strip() for p in reach if p.strip()))
    greeting = f"Dear {job.company} hiring team," if job.company else "Dear hiring manager,"
    out += ["", greeting, "", *("\n\n".join(paragraphs).split("\n"))]
    out += ["", "Sincerely,", "", contact.full_name.strip()]
    return "\n".join(out).rstrip() + "\n"


def write_cover_letter(
    resume: Resume, job: Job, *, today: date | None = None, tailored: TailoredResume | None = None
) -> CoverLetter:
    """An offline cover letter from the resume's own facts; raises TailoringError if it breaks
    a rule."""
    tailored = tailored or tailor_resume(resume, job, today=today)
    source = tailored.resume
    skills = tailored.highlights
    role = f"the {job.title} role" if job.title else "this role"
    at = f" at {job.company}" if job.company else ""
    opening = f"I am writing to apply for {role}{at}."
    rewrote = any(change.where == "summary" for change in tailored.term_changes)
    # The optimizer's own opening sentence introduces the candidate; a free-form summary may not.
    lead = source.summary.split(". ")[0].rstrip(".") if rewrote else ""
    if not lead and source.work_experience and source.work_experience[0].position:
        lead = source.work_experience[0].position.strip()
    if lead:
        article = "an" if lead[0].lower() in "aeiou" else "a"
        opening += f" I am {article} {lead}."
    paragraphs = [opening]
    for work in source.work_experience[:_ROLES_TOLD]:
        bullets = [b for b in work.responsibilities if b.strip()][:2]
        if not work.company or not work.position or not bullets:
            continue
        told = f"{_role_line(work)}, I {_clause(bullets[0])}"
        if len(bullets) > 1:
            told += f" I also {_clause(bullets[1])}"
        paragraphs.append(told)
    closing = "I would welcome the chance to talk about how my experience"
    closing += f" with {_listing(skills[:4])}" if skills else ""
    closing += f" could help {job.company}." if job.company else " could help your team."
    paragraphs.append(closing)
    return letter_from_paragraphs(resume, job, paragraphs, skills=skills)


def letter_from_paragraphs(
    resume: Resume, job: Job, paragraphs: list[str], *, skills: list[str] | None = None
) -> CoverLetter:
    """A letter of ``paragraphs`` under the resume's contact block; TailoringError if it breaks
    a rule."""
    clean = [" ".join(p.split()) for p in paragraphs if p.strip()]
    letter = CoverLetter(
        markdown=_compose(resume, job, clean), paragraphs=clean, skills=list(skills or [])
    )
    violations = check_cover_letter(resume, letter, job)
    if violations:
        raise TailoringError(
            "The cover letter would break a hard rule, so it was withheld: "
            + "; ".join(v.message for v in violations[:3]),
            violations=violations,
        )
    return letter


def _without_posting(text: str, job: Job) -> str:
    """The posting's own title and employer may be named; they are not the candidate's claims."""
    for name in (job.title, job.company):
        if name.strip():
            text = re.sub(re.escape(name.strip()), " ", text, flags=re.I)
    return text


def check_cover_letter(original: Resume, letter: CoverLetter, job: Job) -> list[Violation]:
    """Every rule the letter breaks: contact changed, an employer, title, skill, number or date
    the resume does not state (the posting's employer and title excepted)."""
    facts = OriginalFacts(original)
    contact = original.contact_info
    out: list[Violation] = []
    if contact.full_name.strip() and contact.full_name.strip() not in letter.markdown:
        out.append(
            Violation(
                rule="contact_changed",
                severity="error",
                path="contact",
                message="The candidate's name is missing or changed.",
            )
        )
    for email in _EMAIL.findall(letter.markdown):
        if email.casefold() != contact.email.strip().casefold():
            out.append(
                Violation(
                    rule="contact_changed",
                    severity="error",
                    path="contact",
                    message=f"Email {email!r} is not the candidate's.",
                )
            )
    for index, paragraph in enumerate(letter.paragraphs):
        path = f"paragraph {index + 1}"
        for pattern, kind, posting in ((_AT, "employer", job.company), (_AS, "title", job.title)):
            for m in pattern.finditer(paragraph):
                name = m.group(1).strip()
                if facts.known_name(name) or (posting and same_name(name, posting)):
                    continue
                out.append(
                    Violation(
                        rule=f"{kind}_invented",
                        severity="error",
                        path=path,
                        message=f"{kind.capitalize()} {name!r} is in neither the resume nor the "
                        "posting.",
                    )
                )
    texts = [
        (f"paragraph {i + 1}", _without_posting(p, job)) for i, p in enumerate(letter.paragraphs)
    ]
    out += check_claims(original, texts, job)
    return out


__all__ = ["CoverLetter", "check_cover_letter", "letter_from_paragraphs", "write_cover_letter"]
