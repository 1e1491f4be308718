"""What a posting (or the company's site) says about the company itself, as cited facts.

A posting mixes the company's self-description with the role's duties and requirements.
The job parser files an "About us" section under ``additional_info`` together with EEO
and other notes, and an offline-parsed ``description`` is the whole posting; so the about
parts are found here: paragraphs under an about/mission/values heading, and elsewhere only
sentences that describe the company ("We are ...", "Founded in ...", "Our mission ...",
"<Company> builds ...") and not the role ("We are looking for ...", "You will ...").
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Sequence

from pydantic import BaseModel

from atspro.jobs.headings import Section, classify_heading
from atspro.jobs.model import Job
from atspro.matching.phrases import split_sentences

POSTING = "the job posting"

_COMPANY_CUE = re.compile(
    r"^(?:at [A-Z][\w&.' -]{1,40}, we|we(?:'re| are) (?!looking|seeking|hiring|searching|"
    r"recruiting|growing our|expanding our|an equal|proud to be an equal|committed to (?:equal|"
    r"diversity|providing (?:reasonable )?accommodation))|we (?:build|make|help|serve|design|"
    r"develop|create|provide|power|run|operate|sell|deliver|enable|believe|value|exist|support|"
    r"care|started|were founded|have been)|founded|established|headquartered|based in|since "
    r"(?:18|19|20)\d\d|our (?:mission|vision|purpose|values|story|customers|clients|products?|"
    r"platform|company|team (?:is|of|spans)|people|culture|goal is)|with (?:offices|over|more "
    r"than|\d)|today,? (?:we|our)|for (?:over|more than) \d+ years)",
    re.IGNORECASE,
)
_ROLE_CUE = re.compile(
    r"\b(?:looking for|seeking|hiring|you(?:'ll| will| would| should| must| need|'d)?\b|your\b|"
    r"the (?:role|position|job|candidate|successful)|this (?:role|position|job)|candidates?\b|"
    r"applicants?|apply|requirements?|responsibilit|qualifications?|years of experience|"
    r"join (?:us|our|the)|equal (?:employment )?opportunit|without regard|accommodation|"
    r"background check|e-?verify|recruit(?:er|ment) agenc)",
    re.IGNORECASE,
)
_COMPANY_VERB = (
    r"(?:is|was|are|were|has|have|builds?|makes?|helps?|serves?|designs?|develops?|creates?|"
    r"provides?|powers?|runs?|operates?|sells?|delivers?|enables?|offers?|employs?|started|"
    r"began|grew|works with)"
)
_MIN_WORDS = 5
_MAX_WORDS = 60

_SIZE = re.compile(
    r"\b((?:over |more than |nearly |almost |about |around |some )?\d[\d,.]*\+?k?)\s+"
    r"(?:full[- ]time\s+)?(employees|people|staff|colleagues|team members|engineers|"
    r"professionals|specialists|experts|nurses|clinicians|members of staff|teammates|"
    r"consultants|associates)\b",
    re.IGNORECASE,
)
_FOUNDED = re.compile(
    r"\b(?:founded|established|started|incorporated|since|dating back to)\s+(?:in\s+)?"
    r"((?:18|19|20)\d\d)\b",
    re.IGNORECASE,
)
_PLACE = r"[A-Z][\w.'-]+(?: [A-Z][\w.'-]+){0,2}"
_LOCATIONS = re.compile(
    r"\b(?:offices? in|headquartered in|headquarters in|based in|hubs? in|studios? in|"
    r"sites? in|locations? in|clinics? in|stores? in|teams? in|people in|employees in|"
    r"presence in)\s+(?P<places>" + _PLACE + r"(?:(?:, | and |, and )" + _PLACE + r")*)"
)
_VALUES = re.compile(
    r"\b(?:we value|our (?:core )?values (?:are|include)|we care about|we believe in)\s*:?\s+"
    r"(?P<values>[^.;!?]{3,160})",
    re.IGNORECASE,
)
_MISSION = re.compile(
    r"\bour (?:mission|purpose|vision|goal) is (?P<mission>to [^.;!?]{3,160})", re.IGNORECASE
)
_PRODUCT = re.compile(
    r"\b(?:we|[A-Z][\w&.'-]*(?: [A-Z][\w&.'-]*){0,2}) (?:builds?|makes?|develops?|designs?|"
    r"creates?|sells?|runs?|operates?|provides?|offers?)\s+(?P<product>[a-z][\w'/&+ -]{3,60}?)"
    r"(?= used| for| that| which| to| across| in| with|,|\.|$)"
)
_PAY_LINE = re.compile(
    r"\b(?:salary|pay range|compensation|base pay|wage|per hour|/hour|/hr|/year|OTE)\b|"
    r"[$€£]\s?\d|\b\d[\d,.]*\s?(?:k|USD|EUR|GBP)\b",
    re.IGNORECASE,
)
_ABOUT_PAGE = re.compile(r"about|company|who-?we-?are|mission|story|values|culture", re.I)
_HEADING_MAX = 60


class CompanyFact(BaseModel):
    """One thing the report states about the company, and where it was read."""

    kind: str  # description, products, mission, values, size, founded, locations, benefits
    text: str
    source: str  # POSTING or the page's URL


def _is_heading(line: str) -> bool:
    text = line.strip().lstrip("#").strip()
    return bool(text) and len(text) <= _HEADING_MAX and not text.endswith((".", "!", "?", ","))


def posting_sections(text: str) -> list[tuple[Section | None, str]]:
    """(section, paragraph) for every paragraph of the posting, by the heading above it."""
    out: list[tuple[Section | None, str]] = []
    section: Section | None = None
    heading_text = ""
    for raw in text.splitlines():
        line = raw.strip()
        if not line:
            continue
        if _is_heading(line) and not line.startswith(("-", "*", "•")):
            found = classify_heading(line)
            if found is not None:
                section, heading_text = found, line
                continue
            if len(line.split()) <= 6:
                # An unknown short heading ("Tech stack") ends an about section but not others.
                section = None if section is Section.COMPANY else section
                heading_text = line
                continue
        if section is Section.COMPANY and re.search(r"values|culture", heading_text, re.I):
            out.append((Section.COMPANY, line.lstrip("-*• ")))
        else:
            out.append((section, line.lstrip("-*• ")))
    return out


def _describes_company(sentence: str, company: str) -> bool:
    if _ROLE_CUE.search(sentence):
        return False
    if _COMPANY_CUE.search(sentence):
        return True
    name = re.escape(company.strip())
    # "Northwind Health runs ..." for a company parsed as "Northwind".
    lead = rf"{name}(?: [A-Z][\w&.'-]*){{0,2}}(?:,[^,]{{3,60}},)? {_COMPANY_VERB}\b"
    return bool(name) and bool(re.match(lead, sentence))


def _fits(sentence: str) -> bool:
    words = len(sentence.split())
    return _MIN_WORDS <= words <= _MAX_WORDS and sentence[:1].isupper()


def _normal(text: str) -> str:
    return " ".join(re.findall(r"\w+", text.lower()))


def _role_lines(job: Job) -> list[str]:
    lines = (*job.responsibilities, *job.qualifications, *job.preferred_qualifications)
    return [_normal(line) for line in (*lines, *job.benefits) if line.strip()]


def _from_role(sentence: str, role_lines: Sequence[str]) -> bool:
    """True when the sentence is (part of) one of the posting's duties or requirements."""
    key = _normal(sentence)
    return not key or any(key in line for line in role_lines)


def about_sentences(job: Job) -> list[str]:
    """The posting's own sentences about the company: never its duties or requirements."""
    company = job.company
    role_lines = _role_lines(job)
    found: list[str] = []
    for section, paragraph in posting_sections(job.description):
        if section not in (None, Section.SUMMARY, Section.COMPANY):
            continue
        for sentence in split_sentences(paragraph):
            under_about = section is Section.COMPANY and not _ROLE_CUE.search(sentence)
            if _fits(sentence) and (under_about or _describes_company(sentence, company)):
                found.append(sentence)
    # A model-parsed posting keeps its about part out of the description.
    for item in job.additional_info:
        for sentence in split_sentences(item):
            if _fits(sentence) and _describes_company(sentence, company):
                found.append(sentence)
    unique: dict[str, str] = {}
    for sentence in found:
        if not _from_role(sentence, role_lines):
            unique.setdefault(_normal(sentence), _closed(sentence))
    return list(unique.values())


def _closed(sentence: str) -> str:
    sentence = sentence.strip()
    return sentence if sentence.endswith((".", "!", "?")) else sentence + "."


def _kind(sentence: str) -> str:
    if _MISSION.search(sentence):
        return "mission"
    if _VALUES.search(sentence):
        return "values"
    if _PRODUCT.search(sentence):
        return "products"
    return "description"


def _places(sentences: Iterable[str]) -> list[str]:
    places: list[str] = []
    for sentence in sentences:
        for match in _LOCATIONS.finditer(sentence):
            places += re.split(r", and |, | and ", match.group("places"))
    return list(dict.fromkeys(p.strip().rstrip(".") for p in places if p.strip(" .")))


def facts_from_sentences(sentences: Sequence[str], source: str) -> list[CompanyFact]:
    """Facts from sentences about the company: each sentence, plus size, age and places."""
    facts = [CompanyFact(kind=_kind(s), text=s, source=source) for s in sentences]
    text = " ".join(sentences)
    if size := _SIZE.search(text):
        facts.append(
            CompanyFact(kind="size", text=f"{size.group(1)} {size.group(2).lower()}", source=source)
        )
    if founded := _FOUNDED.search(text):
        facts.append(CompanyFact(kind="founded", text=founded.group(1), source=source))
    if places := _places(sentences):
        facts.append(CompanyFact(kind="locations", text=", ".join(places), source=source))
    return facts


def benefit_facts(job: Job) -> list[CompanyFact]:
    """The posting's benefits, without its pay lines (pay belongs to the role)."""
    return [
        CompanyFact(kind="benefits", text=" ".join(item.split()).rstrip(" .;"), source=POSTING)
        for item in job.benefits
        if not _PAY_LINE.search(item) and len(item.split()) >= 2
    ]


def posting_facts(job: Job) -> list[CompanyFact]:
    """Everything the posting says about the company itself, each fact citing the posting."""
    return facts_from_sentences(about_sentences(job), POSTING) + benefit_facts(job)


def site_facts(url: str, paragraphs: Sequence[str], job: Job) -> list[CompanyFact]:
    """Facts from one page of the company's site: on an about page every sentence, else cues."""
    about_page = bool(_ABOUT_PAGE.search(url.split("//", 1)[-1].partition("/")[2]))
    role_lines = _role_lines(job)
    sentences: list[str] = []
    for paragraph in paragraphs:
        for sentence in split_sentences(paragraph):
            # Headings and menu labels carry no full stop; a page's prose does.
            ended = sentence.endswith((".", "!"))
            if not ended or not _fits(sentence) or _from_role(sentence, role_lines):
                continue
            if _describes_company(sentence, job.company) or (
                about_page and not _ROLE_CUE.search(sentence)
            ):
                sentences.append(sentence)
    return facts_from_sentences(list(dict.fromkeys(sentences)), url)


def mission_of(facts: Iterable[CompanyFact]) -> str:
    """ "to make logistics safer" from the first mission statement, or ""."""
    for fact in facts:
        if fact.kind == "mission" and (m := _MISSION.search(fact.text)):
            return m.group("mission").strip()
    return ""


def product_of(facts: Iterable[CompanyFact]) -> str:
    """ "warehouse robots" from the first product sentence, or ""."""
    for fact in facts:
        if fact.kind == "products" and (m := _PRODUCT.search(fact.text)):
            return m.group("product").strip()
    return ""


def values_of(facts: Iterable[CompanyFact]) -> list[str]:
    """The values a company names ("ownership", "candour", "kindness")."""
    for fact in facts:
        if m := _VALUES.search(fact.text):
            parts = re.split(r",\s*(?:and\s+)?|\s+and\s+", m.group("values"))
            return [p.strip() for p in parts if 0 < len(p.split()) <= 4]
    return []
