"""What a posting asks for, as weighted requirements an ATS would look for."""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Literal

from atspro.jobs.model import Job
from atspro.matching.degrees import LEVEL_NAMES, asked_level
from atspro.matching.phrases import split_sentences
from atspro.matching.vocabulary import Mention, canonical_term, find_mentions, kind_of

Category = Literal["hard_skills", "soft_skills", "job_title", "education", "certifications"]
CATEGORIES: tuple[Category, ...] = (
    "hard_skills",
    "soft_skills",
    "job_title",
    "education",
    "certifications",
)


@dataclass(frozen=True, slots=True)
class Requirement:
    """One thing the posting asks for; any of ``alternatives`` (canonical keys) satisfies it."""

    label: str
    alternatives: tuple[str, ...]
    category: Category
    required: bool


# Gaps between skills that make them alternatives ("React, Vue, or Angular", "Kubernetes/ECS").
_OR_GAP = re.compile(r"^\s*(?:,\s*)?(?:or|and/or|/|\|)\s*$", re.I)
_LIST_GAP = re.compile(r"^\s*(?:,|;|,?\s*(?:and|or|and/or|&|/|\|))\s*$", re.I)
_EXAMPLE = re.compile(r"\b(such as|like|e\.g\.?|for example|for instance|similar)\b", re.I)
_PREFERRED = re.compile(
    r"\b(plus|bonus|nice to have|preferred|ideally|desirable|advantage)\b", re.I
)
_MUST = re.compile(r"\b(required|requires?|must|need(?:ed)?|essential)\b", re.I)
_YEARS = re.compile(
    r"\b(\d{1,2})(?:\.\d)?\s*\+?\s*(?:(?:-|\u2013|to)\s*\d{1,2}\s*\+?\s*)?(?:years?|yrs?)\b", re.I
)
_EDUCATION_LINE = re.compile(
    r"\b(degree|diploma|bachelor|master|ph\.?\s?d|doctorate|mba|b\.?s\.?|m\.?s\.?|b\.?sc|m\.?sc|"
    r"graduate|high school)\b",
    re.I,
)
_EQUIVALENT = re.compile(
    r"\b(or equivalent|equivalent (?:practical |work )?experience|or related experience)\b", re.I
)
_FIELD = re.compile(
    r"\b(?:degree|bachelor'?s?|master'?s?|ph\.?\s?d|b\.?s\.?|m\.?s\.?)\s+(?:degree\s+)?in\s+"
    r"([A-Za-z][A-Za-z&/ ,.-]{1,60}?)(?=\s*(?:,\s*or\b|\bor\b|\(|;|\.(?:\s|$)|$|,\s*[a-z]+ing\b|"
    r"\s(?:required|preferred|is|are|from|with|plus)\b))",
    re.I,
)
_CERTIFICATION = re.compile(
    r"\b((?:[A-Z][\w+&-]*\s){0,4}(?:Certified|Certification|Certificate)(?:\s(?:[A-Z][\w+&-]*|in|of)){0,5})"
)
# Widely known credential acronyms; general knowledge, not tied to any posting.
_CERT_ACRONYMS = re.compile(
    r"\b(PMP|CAPM|CPA|CFA|CISSP|CISM|CISA|CCNA|CCNP|CCIE|CKA|CKAD|CSM|PSM|CSPO|SAFe|ITIL|"
    r"PHR|SPHR|SHRM-CP|RN|LPN|CDL|PE|EIT|CMA|FRM|ACCA|OSCP|CEH|RHCE|MCSE|TOGAF|Six Sigma)\b"
)

# Common abbreviations of fields of study in degree asks ("degree in CS").
_FIELD_ALIASES = {
    "cs": "computer science",
    "ee": "electrical engineering",
    "ce": "computer engineering",
    "ece": "electrical and computer engineering",
    "it": "information technology",
    "is": "information systems",
    "me": "mechanical engineering",
}


@dataclass(frozen=True, slots=True)
class _Line:
    text: str
    required: bool


def posting_lines(job: Job) -> list[_Line]:
    """The posting's requirement-bearing lines, each marked required or preferred."""
    lines: list[_Line] = []
    for item in job.qualifications:
        lines.append(_Line(item, not _PREFERRED.search(item)))
    lines.extend(_Line(item, False) for item in job.preferred_qualifications)
    lines.extend(_Line(item, False) for item in job.responsibilities)
    sectioned = bool(job.qualifications or job.preferred_qualifications)
    for sentence in split_sentences(job.description):
        # Prose asks count as required when they say so (or when there is no requirements list).
        required = (not sectioned or bool(_MUST.search(sentence))) and not _PREFERRED.search(
            sentence
        )
        lines.append(_Line(sentence, required))
    return lines


_ADDRESS = re.compile(r"\S+@\S+|https?://\S+|www\.\S+")


def _whole_word(text: str, mention: Mention) -> bool:
    """False for fragments: part of a hyphenated word ("C-suite"), an e-mail or a web address."""
    before = text[mention.start - 1] if mention.start > 0 else " "
    after = text[mention.end : mention.end + 2]
    if before.isalnum() or before == "-" or (after[:1] == "-" and after[1:2].isalpha()):
        return False
    return not any(m.start() <= mention.start < m.end() for m in _ADDRESS.finditer(text))


def _groups(line: str, mentions: tuple[Mention, ...]) -> list[list[Mention]]:
    """Split a line's hard-skill mentions into alternative groups and single asks."""
    hard = [m for m in mentions if m.kind == "hard"]
    groups: list[list[Mention]] = []
    chain: list[Mention] = []
    is_alternative = False
    example = _EXAMPLE.search(line)
    for mention in hard:
        if chain and _LIST_GAP.match(line[chain[-1].end : mention.start]):
            if _OR_GAP.match(line[chain[-1].end : mention.start]):
                is_alternative = True
            chain.append(mention)
            continue
        groups.extend(_close(chain, is_alternative, example))
        chain, is_alternative = [mention], False
    groups.extend(_close(chain, is_alternative, example))
    return groups


def _close(
    chain: list[Mention], is_alternative: bool, example: re.Match[str] | None
) -> list[list[Mention]]:
    if not chain:
        return []
    # "languages such as Python, Ruby, Java" lists examples: any one of them answers the ask.
    after_example = example is not None and chain[0].start >= example.end() and len(chain) > 1
    if is_alternative or after_example:
        return [chain]
    return [[mention] for mention in chain]


def _degree_line_names(job: Job) -> frozenset[str]:
    """Parsed skill names the posting says only in its degree lines ("Mathematics", "HCI").

    A field of study or a degree is asked for by the education component; counted again as
    a skill it would weigh twice, and a parser's skill list often carries it.
    """
    degree_lines = [line.lower() for line in education_lines(job)]
    if not degree_lines:
        return frozenset()
    others = [
        line.text.lower() for line in posting_lines(job) if not _EDUCATION_LINE.search(line.text)
    ]
    degree_keys = {m.canonical for line in degree_lines for m in find_mentions(line)}
    other_keys = {m.canonical for line in others for m in find_mentions(line)}
    found: set[str] = set()
    for name in {n.lower() for n in (*job.required_skills, *job.preferred_skills)}:
        key = canonical_term(name)
        in_degree = key in degree_keys or any(name in line for line in degree_lines)
        elsewhere = key in other_keys or any(name in line for line in others)
        if in_degree and not elsewhere:
            found.add(name)
    return frozenset(found)


def skill_requirements(job: Job) -> list[Requirement]:
    """Hard and soft skill requirements: the parsed skill lists plus skills named in the text."""
    found: dict[tuple[str, ...], Requirement] = {}
    seen: set[str] = set()

    def add(label: str, alternatives: tuple[str, ...], category: Category, required: bool) -> None:
        key = tuple(sorted(set(alternatives)))
        previous = found.get(key)
        if previous is None:
            found[key] = Requirement(label, key, category, required)
            seen.update(key)
        elif required and not previous.required:
            found[key] = Requirement(previous.label, key, category, True)

    # The employer's own name is not a skill, however capitalised.
    employer = canonical_term(job.company) if job.company else ""
    for line in posting_lines(job):
        # Numbers ("5+ years") are not skills, and a degree line names a field, not a skill.
        mentions = tuple(
            m
            for m in find_mentions(line.text)
            if any(c.isalpha() for c in m.canonical)
            and m.canonical != employer
            and _whole_word(line.text, m)
        )
        if _EDUCATION_LINE.search(line.text):
            mentions = tuple(m for m in mentions if m.kind == "soft")
        for group in _groups(line.text, mentions):
            label = " / ".join(line.text[m.start : m.end] for m in group)
            add(label, tuple(m.canonical for m in group), "hard_skills", line.required)
        for mention in mentions:
            if mention.kind == "soft":
                add(
                    line.text[mention.start : mention.end],
                    (mention.canonical,),
                    "soft_skills",
                    line.required,
                )
    degree_only = _degree_line_names(job)
    for names, required in ((job.required_skills, True), (job.preferred_skills, False)):
        for name in names:
            key = canonical_term(name)
            if key and key not in seen and name.lower() not in degree_only:
                category: Category = "soft_skills" if kind_of(name) == "soft" else "hard_skills"
                add(name, (key,), category, required)
    for name in job.soft_skills:
        key = canonical_term(name)
        if key and key not in seen:
            add(name, (key,), "soft_skills", False)
    # A skill asked for alone is covered by its own requirement; drop it from looser groups.
    singles = {r.alternatives[0] for r in found.values() if len(r.alternatives) == 1}
    return [
        r
        for r in found.values()
        if len(r.alternatives) == 1 or not singles.issuperset(r.alternatives)
    ]


def years_asked(job: Job) -> float | None:
    """Minimum years of experience the posting asks for, if it says."""
    if job.years_experience_min is not None:
        return job.years_experience_min
    for text in (job.title, *job.qualifications, job.description):
        if m := _YEARS.search(text):
            return float(m.group(1))
    return None


def education_lines(job: Job) -> list[str]:
    """The posting's lines that talk about degrees."""
    pool = [*job.qualifications, *job.preferred_qualifications]
    if not pool:
        pool = split_sentences(job.description)
    return [line for line in pool if _EDUCATION_LINE.search(line)]


def education_asked(job: Job) -> tuple[str, bool, str]:
    """(level asked or "", whether experience may replace it, field of study or "")."""
    lines = education_lines(job)
    text = " ".join(lines)
    level = job.education_level or asked_level(text)
    field = ""
    if m := _FIELD.search(text):
        field = m.group(1).strip(" ,.")
    flexible = bool(_EQUIVALENT.search(text)) or any(_PREFERRED.search(line) for line in lines)
    return level, flexible, field


def education_requirements(level: str, field: str) -> list[Requirement]:
    """Keywords for the ATS education category."""
    found: list[Requirement] = []
    if level:
        found.append(
            Requirement(LEVEL_NAMES.get(level, level), (f"degree:{level}",), "education", True)
        )
    if field:
        parts = [p.strip() for p in re.split(r",|\bor\b|/", field) if p.strip()]
        keys = [canonical_term(_FIELD_ALIASES.get(p.lower(), p)) for p in parts]
        found.append(Requirement(field, tuple(dict.fromkeys(keys)), "education", False))
    return found


def certification_requirements(job: Job) -> list[Requirement]:
    """Certifications the posting names."""
    text = "\n".join([job.description, *job.qualifications, *job.preferred_qualifications])
    found: dict[str, Requirement] = {}
    for pattern in (_CERTIFICATION, _CERT_ACRONYMS):
        for m in pattern.finditer(text):
            label = m.group(1).strip()
            key = canonical_term(label)
            # A bare "Certification" names no credential; acronyms are credentials on their own.
            if key and (pattern is _CERT_ACRONYMS or len(label.split()) > 1):
                found.setdefault(key, Requirement(label, (key,), "certifications", False))
    return list(found.values())
