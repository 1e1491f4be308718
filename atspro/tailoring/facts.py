"""What an original resume states: the only facts a tailored version may use."""

from __future__ import annotations

import math
import re
from dataclasses import dataclass
from functools import cached_property

from rapidfuzz import fuzz

from atspro.matching.experience import parse_month
from atspro.matching.phrases import find_stems_near, keyword_stems
from atspro.matching.profile import ResumeProfile, prepare_resume, text_keys
from atspro.matching.vocabulary import fold_phrase
from atspro.resume.model import Resume
from atspro.skills.normalisation import lookup_concept
from atspro.skills.taxonomy import default_taxonomy

# Whole month names only: "Marketing 2020" is no date (and would hide a "2020-02" after it).
_MONTH_WORD = (
    r"(?:jan(?:uary)?|feb(?:ruary)?|mar(?:ch)?|apr(?:il)?|may|june?|july?|aug(?:ust)?|"
    r"sep(?:t(?:ember)?)?|oct(?:ober)?|nov(?:ember)?|dec(?:ember)?)\b\.?"
)
# Dates in the forms resumes use; removed before numbers are checked.
DATE_TOKEN = re.compile(
    rf"\b(?:(?:19|20)\d{{2}}-\d{{1,2}}(?:-\d{{1,2}})?|\d{{1,2}}/(?:19|20)\d{{2}}|"
    rf"{_MONTH_WORD},?\s+(?:19|20)\d{{2}}|(?:19|20)\d{{2}})\b",
    re.IGNORECASE,
)
NUMBER = re.compile(r"(?<![\w.])\d+(?:[.,]\d+)*")
YEARS_CLAIM = re.compile(r"(\d+)\s*\+?\s*(?:years?|yrs?)\b", re.IGNORECASE)
_ISO_OR_NAMED = re.compile(
    rf"\b(?:(?:19|20)\d{{2}}-\d{{1,2}}|\d{{1,2}}/(?:19|20)\d{{2}}|{_MONTH_WORD},?\s+(?:19|20)\d{{2}})\b",
    re.IGNORECASE,
)
_YEAR = re.compile(r"\b(?:19|20)\d{2}\b")
# Taxonomy edges where the "broader" name is a neighbouring tool, not a category the skill
# belongs to: orchestrating containers with Kubernetes says nothing about building them with Docker.
_NOT_PROOF = frozenset({("kubernetes", "docker")})
# Evidence a tailoring may build on: a field of study is not a skill used at work.
_PROOF_SECTIONS = frozenset({"summary", "experience", "projects", "skills", "certifications"})


def broader_terms(key: str) -> frozenset[str]:
    """Canonical names of the categories a skill belongs to ("github actions" -> "ci/cd")."""
    concept = default_taxonomy().concepts.get(key) or lookup_concept(key)
    if concept is None:
        return frozenset()
    return frozenset(b for b in concept.related if (concept.canonical, b) not in _NOT_PROOF)


def all_text(value: object) -> list[str]:
    """Every string inside a pydantic model / dict / list, depth first."""
    if isinstance(value, str):
        return [value]
    if isinstance(value, dict):
        return [t for item in value.values() for t in all_text(item)]
    if isinstance(value, list | tuple):
        return [t for item in value for t in all_text(item)]
    return []


def fold_name(text: str) -> str:
    """Fold a name (employer, title, school) for comparison."""
    return fold_phrase(text.replace("&", " and "))


def same_name(a: str, b: str) -> bool:
    """Whether two names (employers, titles, degrees) are the same allowing punctuation/case."""
    left, right = fold_name(a), fold_name(b)
    if not left or not right:
        return left == right
    return left == right or fuzz.ratio(left, right) >= 90


@dataclass
class OriginalFacts:
    """The original resume, indexed for the hard-rule checks."""

    resume: Resume

    @cached_property
    def profile(self) -> ResumeProfile:
        return prepare_resume(self.resume)

    @cached_property
    def text(self) -> str:
        return "\n".join(all_text(self.resume.model_dump()))

    @cached_property
    def keys(self) -> frozenset[str]:
        """Canonical keys of every phrase anywhere in the original (locations included)."""
        return frozenset().union(*(text_keys(t) for t in all_text(self.resume.model_dump()) if t))

    @cached_property
    def names(self) -> list[str]:
        r = self.resume
        out = [*(x.company for x in r.work_experience), *(x.position for x in r.work_experience)]
        out += [x.location for x in r.work_experience]
        out += [x.institution for x in r.education] + [x.degree for x in r.education]
        out += [x.field_of_study for x in r.education]
        out += [x.name for x in r.projects] + [x.name for x in r.certifications]
        out += [x.issuer for x in r.certifications]
        return [n for n in out if n.strip()]

    @cached_property
    def months(self) -> frozenset[int]:
        found = {parse_month(m.group()) for m in _ISO_OR_NAMED.finditer(self.text)}
        return frozenset(m for m in found if m is not None)

    @cached_property
    def years(self) -> frozenset[int]:
        return frozenset(int(y) for y in _YEAR.findall(self.text))

    @cached_property
    def numbers(self) -> frozenset[str]:
        return frozenset(
            normalize_number(n) for n in NUMBER.findall(DATE_TOKEN.sub(" ", self.text))
        )

    @cached_property
    def max_years(self) -> int:
        """The largest "N years" a tailored text may claim: stated, or from the dated roles."""
        stated = [int(m.group(1)) for m in YEARS_CLAIM.finditer(self.text)]
        return max([math.floor(self.profile.total_years), *stated])

    def known_name(self, text: str) -> bool:
        """Whether ``text`` names an employer, title, school, degree, project... of the original."""
        folded = fold_name(text)
        if not folded:
            return True
        return any(
            same_name(text, name) or fuzz.token_set_ratio(folded, fold_name(name)) >= 95
            for name in self.names
        )

    @cached_property
    def proofs(self) -> dict[str, tuple[str, ...]]:
        """Broader skill -> the narrower skills of the original that prove it, in resume order."""
        out: dict[str, list[str]] = {}
        for key, hits in self.profile.evidence.items():
            if not any(hit.section in _PROOF_SECTIONS for hit in hits):
                continue
            for broader in broader_terms(key):
                if broader != key:
                    out.setdefault(broader, []).append(key)
        return {k: tuple(v) for k, v in out.items()}

    def has_skill(self, key: str) -> bool:
        """Whether the original evidences the skill ``key``, itself or by a narrower skill."""
        if key in self.profile.evidence or key in self.keys or key in self.proofs:
            return True
        stems = keyword_stems(key)
        return bool(stems) and any(
            find_stems_near(stems, words) is not None for _, _, words in self.profile.chunks
        )

    def date_known(self, token: str) -> bool:
        """Whether a date token of the tailored text is one the original states."""
        month = parse_month(token)
        if month is None:
            return True
        if _ISO_OR_NAMED.fullmatch(token.strip()):
            return month in self.months or (
                month // 12 in self.years and not self._has_month(month // 12)
            )
        return month // 12 in self.years

    def _has_month(self, year: int) -> bool:
        return any(m // 12 == year for m in self.months)

    def number_known(self, number: str, following: str) -> bool:
        """Whether a number (with the text right after it) is one the original states."""
        if normalize_number(number) in self.numbers:
            return True
        claim = YEARS_CLAIM.match(number + following)
        return claim is not None and int(claim.group(1)) <= self.max_years


def normalize_number(text: str) -> str:
    """ "1,000" and "1000" are the same number; "3.50" and "3.5" too."""
    plain = text.replace(",", "")
    if "." in plain:
        plain = plain.rstrip("0").rstrip(".")
    return plain.lstrip("0") or "0"
