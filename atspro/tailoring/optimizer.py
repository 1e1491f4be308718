"""The offline optimizer: say what the candidate has in the posting's words, first.

It reorders (skills, bullets, projects, sections), respells skills the candidate has in
the posting's spelling ("JS" -> "JavaScript"), names the posting's broader term beside a
skill that proves it ("GitHub Actions CI pipelines" -> "GitHub Actions CI/CD pipelines"),
and opens the summary with a sentence built from the resume's own title, years and the
matched skills. Every wording change is listed with its evidence (``term_changes``).
Every result is run through ``check_tailoring``; a result that breaks any rule is never
returned.
"""

from __future__ import annotations

import math
import re
from dataclasses import dataclass
from datetime import date

from pydantic import BaseModel, Field

from atspro.errors import PermanentError
from atspro.jobs.model import Job
from atspro.matching import MatchResult, prepare_job, prepare_resume, score_match
from atspro.matching.phrases import iter_phrases, split_sentences
from atspro.matching.profile import JobProfile, ResumeProfile, text_keys
from atspro.matching.scoring import RequirementCheck, assess
from atspro.matching.vocabulary import canonical_term, find_mentions, fold_phrase
from atspro.resume.model import Resume
from atspro.tailoring.checker import Violation, check_tailoring
from atspro.tailoring.facts import YEARS_CLAIM, OriginalFacts
from atspro.tailoring.markdown import DEFAULT_ORDER, render_markdown

_SUMMARY_SKILLS = 6
_DIGITS = re.compile(r"\d+")
# Words of a "<title> with N years of experience" sentence besides the title itself.
_RESTATED = frozenset({"with", "over", "of", "experience", "years", "year", "a", "an", "+"})


class TailoringError(PermanentError):
    """The tailored resume broke a hard rule; it is withheld (``violations`` says why)."""

    code = "TAILORING_FAILED"

    def __init__(self, message: str, *, violations: list[Violation]) -> None:
        super().__init__(message)
        self.violations = violations


class TermChange(BaseModel):
    """One wording change: the text before and after, the posting's term, and the proof."""

    where: str
    before: str
    after: str
    term: str
    evidence: str


class TailoredResume(BaseModel):
    """A resume tailored to one job, with the scores before and after and what changed."""

    markdown: str
    resume: Resume
    before_score: int
    after_score: int
    missing_keywords: list[str] = Field(default_factory=list)
    changes: list[str] = Field(default_factory=list)
    term_changes: list[TermChange] = Field(default_factory=list)
    # The posting's skills the summary names, in the posting's words (for a cover letter).
    highlights: list[str] = Field(default_factory=list)
    section_order: list[str] = Field(default_factory=list)
    # The day both scores were computed for, so a later re-score compares like with like.
    scored_on: date | None = None


@dataclass(slots=True)
class _Text:
    """A piece of the tailored resume that may be reworded, and where it sits."""

    where: str
    text: str
    place: tuple[str, int, int]  # (field, role index or -1, item index or -1)


def _spellings(checks: tuple[RequirementCheck, ...]) -> dict[str, str]:
    """canonical key -> the posting's spelling, for hard skills the resume has."""
    out: dict[str, str] = {}
    for check in checks:
        if check.requirement.category != "hard_skills" or check.match_type not in (
            "exact",
            "synonym",
        ):
            continue
        for part in check.requirement.label.split(" / "):
            key = canonical_term(part)
            if key in check.requirement.alternatives:
                out.setdefault(key, part.strip())
    return out


def _keeps_numbers(surface: str, target: str) -> bool:
    """A respelling may not add a version or number ("Python" -> "Python 3" claims more)."""
    return set(_DIGITS.findall(target)) <= set(_DIGITS.findall(surface))


def _respell(text: str, spellings: dict[str, str]) -> tuple[str, list[tuple[str, str]]]:
    """``text`` with skills written the posting's way, and the (surface, term) pairs changed."""
    if not text.strip():
        return text, []
    pieces: list[str] = []
    done: list[tuple[str, str]] = []
    cursor = 0
    for mention in find_mentions(text):
        target = spellings.get(mention.canonical)
        # Case-only changes would capitalise common words mid-sentence ("Backend best practices").
        surface = text[mention.start : mention.end]
        if target and surface.lower() != target.lower() and _keeps_numbers(surface, target):
            pieces.extend([text[cursor : mention.start], target])
            done.append((surface, target))
            cursor = mention.end
    if not pieces:
        return text, []
    new = "".join(pieces) + text[cursor:]
    # A new spelling may merge with its neighbours into another phrase; keep the original then.
    skills_before = {m.canonical for m in find_mentions(text)}
    if {m.canonical for m in find_mentions(new)} <= skills_before:
        return new, done
    return text, []


def _relevance(text: str, weights: dict[str, float]) -> float:
    return sum(weights.get(key, 0.0) for key in text_keys(text))


def _weights(checks: tuple[RequirementCheck, ...]) -> dict[str, float]:
    weights: dict[str, float] = {}
    for check in checks:
        if check.credit <= 0 or check.requirement.category not in ("hard_skills", "soft_skills"):
            continue
        weight = 2.0 if check.requirement.required else 1.0
        for key in check.requirement.alternatives:
            weights[key] = max(weights.get(key, 0.0), weight)
    return weights


def _span_of(text: str, key: str) -> tuple[int, int] | None:
    """Where ``text`` names the skill ``key`` (the skill extractor first, then phrases)."""
    for mention in find_mentions(text):
        if mention.canonical == key:
            return mention.start, mention.end
    best: tuple[int, int] | None = None
    for phrase in iter_phrases(text):
        if canonical_term(phrase.text) == key and (
            best is None or phrase.end - phrase.start > best[1] - best[0]
        ):
            best = (phrase.start, phrase.end)
    return best


def _name_term(text: str, span: tuple[int, int], term: str) -> str:
    """``text`` naming ``term`` beside the skill at ``span`` that proves it.

    "GitHub Actions CI pipelines" -> "GitHub Actions CI/CD pipelines" when the next word is
    the start of the term; otherwise "pandas" -> "pandas (Python)".
    """
    end = span[1]
    rest = text[end:]
    following = re.match(r"\s+([A-Za-z][\w+#.]*)", rest)
    first_part = re.split(r"[/\s-]", term)[0]
    if (
        following
        and len(term) > len(first_part)
        and following.group(1).casefold() == first_part.casefold()
    ):
        return text[:end] + rest[: following.start(1)] + term + rest[following.end(1) :]
    return f"{text[:end]} ({term}){rest}"


def _prose(tailored: Resume) -> list[_Text]:
    """Bullets, role descriptions and project descriptions: where a reader meets evidence."""
    out: list[_Text] = []
    for r, role in enumerate(tailored.work_experience):
        head = " at ".join(p for p in (role.position, role.company) if p)
        for b, bullet in enumerate(role.responsibilities):
            out.append(_Text(f"bullet under {head}", bullet, ("bullet", r, b)))
        if role.description.strip():
            out.append(_Text(f"description of {head}", role.description, ("description", r, -1)))
    for p, project in enumerate(tailored.projects):
        if project.description.strip():
            out.append(_Text(f"project {project.name}", project.description, ("project", -1, p)))
    return out


def _put(tailored: Resume, place: tuple[str, int, int], text: str) -> None:
    field, r, i = place
    if field == "bullet":
        tailored.work_experience[r].responsibilities[i] = text
    elif field == "description":
        tailored.work_experience[r].description = text
    elif field == "project":
        tailored.projects[i].description = text
    elif field == "skill":
        tailored.skills[i] = text


def _broader_terms(
    tailored: Resume, checks: tuple[RequirementCheck, ...], facts: OriginalFacts
) -> list[TermChange]:
    """Name each posting term the resume proves only through a narrower skill, once in the
    prose and once in the skills list, keeping the proving skill beside it."""
    changes: list[TermChange] = []
    ordered = sorted(checks, key=lambda c: (not c.requirement.required, -c.credit))
    for check in ordered:
        if check.requirement.category != "hard_skills" or check.credit >= 1.0:
            continue
        for label in check.requirement.label.split(" / "):
            key = canonical_term(label)
            term = label.strip()
            proofs = facts.proofs.get(key, ())
            if not proofs or not _keeps_numbers("", term):
                continue
            places = [*_prose(tailored)]
            places += [
                _Text("skills list", skill, ("skill", -1, i))
                for i, skill in enumerate(tailored.skills)
            ]
            written: set[str] = set()
            for place in places:
                kind = "skills" if place.place[0] == "skill" else "prose"
                if kind in written:
                    continue
                for proof in proofs:
                    span = _span_of(place.text, proof)
                    if span is None:
                        continue
                    after = _name_term(place.text, span, term)
                    # The new words must add the term and nothing else (no merged phrases).
                    gained = {m.canonical for m in find_mentions(after)} - {
                        m.canonical for m in find_mentions(place.text)
                    }
                    if key not in text_keys(after) or not gained <= {key}:
                        continue
                    _put(tailored, place.place, after)
                    changes.append(
                        TermChange(
                            where=place.where,
                            before=place.text,
                            after=after,
                            term=term,
                            evidence=f"{place.text[span[0] : span[1]]} is a kind of {term}: "
                            f"{place.text!r}",
                        )
                    )
                    written.add(kind)
                    break
            if written:
                break
    return changes


def _summary_skills(checks: tuple[RequirementCheck, ...], job_title: str) -> list[str]:
    """The posting's names for hard skills the resume shows at work, required ones first."""
    skills: list[str] = []
    title_words = set(fold_phrase(job_title).split())
    for check in sorted(checks, key=lambda c: not c.requirement.required):
        requirement = check.requirement
        if requirement.category != "hard_skills" or check.credit < 1.0:
            continue
        if check.match_type == "related" or set(fold_phrase(requirement.label).split()) <= (
            title_words
        ):
            continue  # words of the job title ("Backend") read oddly as skills
        # A field of study ("computer science") is not a skill someone is experienced in.
        if not any(e.section not in ("education", "languages") for e in check.evidence):
            continue
        label = requirement.label.split(" / ")[0].strip()
        if check.match_type in ("exact", "synonym"):
            label = next(iter(_spellings((check,)).values()), label)
        surface = check.evidence[0].surface if check.evidence else ""
        if not _keeps_numbers(surface, label):
            label = surface
        if label and label.casefold() not in {s.casefold() for s in skills}:
            skills.append(label)
    return skills[:_SUMMARY_SKILLS]


def _listing(items: list[str]) -> str:
    return items[0] if len(items) == 1 else f"{', '.join(items[:-1])} and {items[-1]}"


def _restates(sentence: str, title: str) -> bool:
    """Whether a summary sentence says no more than "<title> with N years of experience"."""
    words = set(fold_phrase(sentence).split()) - set(fold_phrase(title).split())
    return bool(title) and all(w in _RESTATED or w.isdigit() for w in words)


def _summary(
    original: Resume,
    tailored: Resume,
    checks: tuple[RequirementCheck, ...],
    job_title: str,
    total_years: float,
) -> str:
    """The summary opened by one sentence of the resume's own title, years and matched skills."""
    title = tailored.work_experience[0].position.strip() if tailored.work_experience else ""
    sentences = split_sentences(original.summary)
    stated = YEARS_CLAIM.search(original.summary)
    years = int(stated.group(1)) if stated else (math.floor(total_years) if title else 0)
    rest = sentences
    # "<title> with 5 years of experience." says nothing the new sentence does not.
    if sentences and _restates(sentences[0], title):
        rest = sentences[1:]
    elif stated:
        years = 0  # the summary states its years in its own words; a second figure would clash
    skills = _summary_skills(checks, job_title)
    lead = title or ("Professional" if skills else "")
    if not lead:
        return original.summary
    if years >= 1:
        lead += f" with {years} years of experience"
    if skills:
        lead += f" {'in' if years >= 1 else 'skilled in'} {_listing(skills)}"
    return " ".join([lead + ".", *rest]).strip()


def _tailor(
    resume: Resume,
    job: JobProfile,
    profile: ResumeProfile,
    facts: OriginalFacts,
    *,
    with_opening: bool,
    today: date,
) -> tuple[Resume, list[str], list[TermChange], list[str], list[str]]:
    checks = assess(job, profile).checks
    spellings = _spellings(checks)
    tailored = resume.model_copy(deep=True)
    changes: list[str] = []
    terms: list[TermChange] = []

    def respell(where: str, text: str) -> str:
        new, done = _respell(text, spellings)
        terms.extend(
            TermChange(
                where=where,
                before=text,
                after=new,
                term=target,
                evidence=f"{surface!r} is the same skill as the posting's {target!r}",
            )
            for surface, target in done
        )
        return new

    tailored.skills = [respell("skills list", s) for s in tailored.skills]
    for role in tailored.work_experience:
        head = " at ".join(p for p in (role.position, role.company) if p)
        role.responsibilities = [respell(f"bullet under {head}", b) for b in role.responsibilities]
        role.description = respell(f"description of {head}", role.description)
        role.skills = [respell(f"skills of {head}", s) for s in role.skills]
    terms += _broader_terms(tailored, checks, facts)
    if terms:
        named = list(dict.fromkeys(t.term for t in terms))
        changes.append(
            "Used the posting's words for skills your resume shows: " + ", ".join(named[:8]) + "."
        )

    # Order by relevance to the posting as the reworded resume reads now.
    checks = assess(job, prepare_resume(tailored, today=today)).checks
    weights = _weights(checks)
    order = sorted(
        range(len(tailored.skills)), key=lambda i: (-_relevance(tailored.skills[i], weights), i)
    )
    if order != list(range(len(tailored.skills))):
        changes.append("Put the skills this job asks for first in the skills list.")
    tailored.skills = [tailored.skills[i] for i in order]
    for role in tailored.work_experience:
        bullets = role.responsibilities
        ranked = sorted(range(len(bullets)), key=lambda i: (-_relevance(bullets[i], weights), i))
        role.responsibilities = [bullets[i] for i in ranked]
        if ranked != list(range(len(bullets))):
            where = " at ".join(p for p in (role.position, role.company) if p)
            changes.append(f"Moved the bullets that match this job to the top under {where}.")
    ranked_projects = sorted(
        range(len(tailored.projects)),
        key=lambda i: (
            -_relevance(
                " ".join([tailored.projects[i].description, *tailored.projects[i].skills]), weights
            ),
            i,
        ),
    )
    if ranked_projects != list(range(len(tailored.projects))):
        changes.append("Listed the projects most relevant to this job first.")
    tailored.projects = [tailored.projects[i] for i in ranked_projects]

    if with_opening:
        summary = _summary(resume, tailored, checks, job.title, profile.total_years)
        if summary != resume.summary:
            terms.append(
                TermChange(
                    where="summary",
                    before=resume.summary,
                    after=summary,
                    term=", ".join(_summary_skills(checks, job.title)),
                    evidence="your latest title, your years of experience and skills your "
                    "roles, projects or skills list show",
                )
            )
            tailored.summary = summary
            changes.append(
                "Opened the summary with a sentence built from your own title, years and "
                "matching skills."
            )

    section_order = list(DEFAULT_ORDER)
    if any(weights.get(k) for s in tailored.skills for k in text_keys(s)):
        section_order.remove("skills")
        section_order.insert(1, "skills")
        changes.append("Moved the skills section up, right after the summary.")
    changes.append("Wrote dates the way people read them (Mar 2021 \u2013 Present).")
    return tailored, changes, terms, section_order, _summary_skills(checks, job.title)


def tailor_resume(resume: Resume, job: Job, *, today: date | None = None) -> TailoredResume:
    """Tailor ``resume`` to ``job`` without inventing anything; raises TailoringError if it would."""
    today = today or date.today()
    job_profile = prepare_job(job)
    facts = OriginalFacts(resume)
    profile = prepare_resume(resume, today=today)
    before: MatchResult = score_match(resume, job, today=today)
    violations: list[Violation] = []
    for with_opening in (True, False):
        tailored, changes, terms, order, highlights = _tailor(
            resume, job_profile, profile, facts, with_opening=with_opening, today=today
        )
        markdown = render_markdown(tailored, order=order)
        violations = check_tailoring(resume, tailored, job) + check_tailoring(resume, markdown, job)
        if not violations:
            after = score_match(tailored, job, today=today)
            return TailoredResume(
                markdown=markdown,
                resume=tailored,
                before_score=before.overall_score,
                after_score=after.overall_score,
                missing_keywords=after.missing_keywords(),
                changes=changes,
                term_changes=terms,
                highlights=highlights,
                section_order=order,
                scored_on=today,
            )
    raise TailoringError(
        "The tailored resume would break a hard rule, so it was withheld: "
        + "; ".join(v.message for v in violations[:3]),
        violations=violations,
    )
