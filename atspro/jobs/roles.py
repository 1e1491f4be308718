"""The role each part of a posting plays, read from its heading and its own words.

The heading gives a prior (``Section``); a few cue lexicons, one per role, then correct
it sentence by sentence where a recruiter would: legal and equal-opportunity text and
application instructions are recognised wherever they stand (an "Apply now" line under
"Benefits", an EEO paragraph under "Requirements"); benefit words move a sentence out of
a company blurb or a logistics list; asks and duties are found in untitled prose. Only
``SKILL_ROLES`` feed a posting's required and preferred skills.

Rules rather than a learned model: on the hand-labelled postings of tests/data/jobs the
lexicons label every unit correctly, and a CRF trained on the few dozen postings we can
write would learn the same cue words (see docs/posting-sections.md).
"""

from __future__ import annotations

import enum
import re
from typing import Final

from atspro.jobs.headings import Section


class Role(enum.StrEnum):
    """What a part of a posting is for."""

    RESPONSIBILITIES = "responsibilities"
    REQUIRED = "required"
    PREFERRED = "preferred"
    BENEFITS = "benefits"
    COMPANY = "company"
    LEGAL = "legal"
    APPLICATION = "application"
    OTHER = "other"


SKILL_ROLES: Final = frozenset({Role.RESPONSIBILITIES, Role.REQUIRED, Role.PREFERRED})

_FROM_SECTION: Final = {
    Section.RESPONSIBILITIES: Role.RESPONSIBILITIES,
    Section.REQUIRED: Role.REQUIRED,
    Section.PREFERRED: Role.PREFERRED,
    Section.BENEFITS: Role.BENEFITS,
    Section.COMPANY: Role.COMPANY,
}


def _cues(*patterns: str) -> re.Pattern[str]:
    return re.compile(r"\b(?:" + "|".join(patterns) + r")", re.IGNORECASE)


# Legal, equal-opportunity, privacy and agency notices: never asks, whatever the heading.
_LEGAL: Final = _cues(
    r"equal (?:employment )?opportunit", r"affirmative action", r"without regard to",
    r"regardless of (?:race|age|gender|sex|religion|background)", r"discriminat",
    r"race,? colou?r", r"national origin", r"sexual orientation", r"gender identity",
    r"veteran status", r"protected (?:veteran|characteristic|class|status)",
    r"(?:reasonable )?accommodations?\b.{0,60}\b(?:disabilit|application|interview|hiring)",
    r"(?:individuals|applicants|people|candidates) with disabilities", r"e-verify",
    r"privacy (?:notice|policy|statement)", r"personal (?:data|information) (?:will|is|we)",
    r"data protection", r"gdpr", r"(?:recruit(?:ment|ing)|staffing) agenc", r"unsolicited (?:resumes|cvs|applications)",
    r"fair chance", r"arrest (?:and|or) conviction", r"criminal (?:history|background)",
    r"pay transparency", r"eeo\b", r"\beoe\b", r"drug[- ]free workplace",
    r"background (?:check|screening)s? (?:will|may|is|are)",
    r"(?:we are|is) (?:an? )?(?:proud )?(?:equal|inclusive) ", r"diverse (?:and inclusive )?workforce",
    r"committed to (?:building |creating |fostering )?(?:a )?(?:diverse|inclusive|diversity)",
)  # fmt: skip
_APPLICATION: Final = _cues(
    r"apply (?:now|today|here|online|at|via|through|by|on)\b", r"to apply\b", r"how to apply",
    r"click (?:the )?apply", r"submit (?:your|an|a) (?:cv|resume|résumé|application|portfolio)",
    r"send (?:us )?(?:your|an|a) (?:cv|resume|résumé|application|portfolio)",
    r"interested (?:candidates|applicants|in this (?:role|position))", r"please apply",
    r"applications? (?:close|closes|deadline|are reviewed|will be reviewed)",
    r"we (?:will )?review applications", r"interview process", r"hiring process",
    r"include (?:a )?cover letter",
)  # fmt: skip
_BENEFIT: Final = _cues(
    r"(?:health|medical|dental|vision|life|disability) (?:insurance|coverage|plans?|benefits)",
    r"401\s?\(?k\)?", r"pension", r"paid (?:time off|vacation|holidays|leave|parental)",
    r"\bpto\b", r"(?:parental|maternity|paternity|sick) leave", r"vacation days?",
    r"days (?:of )?(?:paid )?(?:vacation|holiday|annual leave)", r"equity\b", r"stock options?",
    r"\brsus?\b", r"relocation (?:assistance|support|package|bonus|budget|is|available|offered|provided)",
    r"relocation\b", r"visa sponsorship (?:is )?(?:available|offered|provided)",
    r"(?:learning|education|training|home[- ]office|wellness|remote work) (?:budget|stipend|allowance)",
    r"stipend", r"gym (?:membership|allowance)", r"commuter benefits", r"employee discount",
    r"company[- ]paid", r"free (?:lunch|meals|snacks)", r"sign[- ]on bonus", r"annual bonus",
    r"bonus (?:scheme|plan|program)", r"competitive (?:salary|compensation|pay)",
    r"flexible (?:working )?hours", r"4[- ]day (?:work )?week", r"sabbatical", r"childcare",
)  # fmt: skip
_COMPANY: Final = _cues(
    r"founded in", r"we were founded", r"our mission", r"our customers", r"backed by",
    r"headquartered", r"(?:series [a-e]|seed) (?:funding|round|startup)", r"venture[- ]backed",
    r"(?:customers|clients|offices|users) (?:in|across) \d+", r"fortune \d+", r"we are an? (?:leading|fast[- ]growing|global)",
    r"(?:is|are) (?:a|the) (?:leading|fast[- ]growing|global|world'?s)",
)  # fmt: skip
# An ask: what a candidate brings or has done.
_ASK: Final = _cues(
    r"\d+\+? (?:years?|yrs)", r"experience (?:with|in|using|of|building|designing|running)",
    r"(?:knowledge|understanding|command) of", r"proficien", r"familiar(?:ity)? with",
    r"fluen(?:t|cy) in", r"(?:bachelor|master|degree|diploma|ph\.?d|certifi)",
    r"(?:you|candidates?) (?:have|has|bring|are comfortable|know)", r"must (?:have|be|hold)",
    r"(?:strong|solid|excellent|proven|demonstrated|hands-on) (?:\w+ ){0,3}(?:skills|experience|knowledge|background|track record|ability)",
    r"(?:ability|able) to", r"track record",
)  # fmt: skip
# A duty: what the hire will do.
_DUTY: Final = re.compile(
    # "You will <verb>" states a duty whatever the verb; without it, an imperative opener.
    r"^(?:you(?:'ll| will)|(?:as (?:a|an|the|our) [^,]{3,60}|in this role),? you(?:'ll| will)|"
    r"the \w+ will)\s+(?!be (?:offered|eligible|entitled|given|paid)|receive|enjoy|get (?:a|an|\d))"
    r"|^(?:build|design|develop|own|lead|drive|create|implement|maintain|improve|write|ship|run|"
    r"manage|work (?:on|with|closely)|collaborate|partner|mentor|define|deliver|operate|"
    r"support|analy[sz]e|research|prototype|deploy|scale|architect|review|coordinate|plan|"
    r"oversee|ensure|monitor|optimi[sz]e|test|debug|integrate|automate|prepare|conduct|"
    r"handle|assist|provide|establish|contribute|help|investigate|evaluate|train|teach)\b",
    re.IGNORECASE,
)
# "Pebblepath is the payroll platform ...": a named subject describing itself, in untitled
# prose that is neither an ask nor a duty, is the company's blurb.
_NAMED_SUBJECT: Final = re.compile(
    r"^(?!(?:The|This|That|You|We|Our|In|As|If|It|Your|These|Each)\b)"
    r"(?P<name>[A-Z][\w&.'-]*(?:\s+[A-Z][\w&.'-]*){0,3})\s+"
    r"(?:is|are|builds|makes|develops|turns|helps|provides|offers|runs|serves)\b"
)
_PREFERRED: Final = _cues(
    r"nice[- ]to[- ]have", r"preferred", r"(?:is|are|would be) a (?:big |huge )?plus",
    r"a plus\b", r"bonus points", r"ideally", r"desirable", r"not required", r"advantageous",
    r"(?:is|would be) an advantage", r"would be great",
)  # fmt: skip


def role_of(section: Section, text: str) -> Role:
    """The role of one unit (a list item or a sentence) under a heading of ``section``."""
    if _LEGAL.search(text):
        return Role.LEGAL
    if _APPLICATION.search(text):
        return Role.APPLICATION
    prior = _FROM_SECTION.get(section, Role.OTHER)
    if prior in SKILL_ROLES:
        if prior is Role.REQUIRED and _PREFERRED.search(text):
            return Role.PREFERRED
        return prior
    benefit = bool(_BENEFIT.search(text))
    if prior is Role.BENEFITS:
        # A duty or an ask put under "Why join us" is still a duty or an ask.
        if not benefit and _DUTY.search(text):
            return Role.RESPONSIBILITIES
        return Role.BENEFITS
    if benefit:
        return Role.BENEFITS
    if prior is Role.COMPANY or _COMPANY.search(text):
        return Role.COMPANY
    if section is Section.SUMMARY:
        # Untitled prose: an ask or a duty a recruiter would read as one.
        if _ASK.search(text):
            return Role.PREFERRED if _PREFERRED.search(text) else Role.REQUIRED
        if _DUTY.search(text):
            return Role.RESPONSIBILITIES
        if _NAMED_SUBJECT.search(text):
            return Role.COMPANY
    return Role.OTHER


def blurb_subject(text: str) -> str:
    """The name a company blurb sentence is about ("Fernleaf is a fast-growing ..."), or ""."""
    match = _NAMED_SUBJECT.search(text)
    if match is None or not (
        _COMPANY.search(text) or role_of(Section.SUMMARY, text) is Role.COMPANY
    ):
        return ""
    return match.group("name")


def placement(role: Role, section: Section) -> Section:
    """The Job field a unit of ``role`` lands in (``section`` where the role adds nothing)."""
    return {
        Role.RESPONSIBILITIES: Section.RESPONSIBILITIES,
        Role.REQUIRED: Section.REQUIRED,
        Role.PREFERRED: Section.PREFERRED,
        Role.BENEFITS: Section.BENEFITS,
        Role.COMPANY: Section.COMPANY,
        Role.LEGAL: Section.ADDITIONAL,
        Role.APPLICATION: Section.LOGISTICS,
    }.get(role, section)
