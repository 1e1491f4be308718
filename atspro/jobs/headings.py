"""Section headings of job postings in their many phrasings."""

from __future__ import annotations

import enum
import re


class Section(enum.StrEnum):
    """The kinds of section a posting is cut into."""

    SUMMARY = "summary"
    RESPONSIBILITIES = "responsibilities"
    REQUIRED = "required"
    PREFERRED = "preferred"
    BENEFITS = "benefits"
    LOGISTICS = "logistics"
    COMPANY = "company"
    ADDITIONAL = "additional"


# Each pattern must match a whole heading (after light cleaning), so body sentences that
# merely contain "requirements" are not taken for headings.
_PATTERNS: tuple[tuple[Section, str], ...] = (
    (
        Section.SUMMARY,
        r"(?:the|your|about the|about this|this|the) (?:role|job|position|opportunity)|"
        r"(?:the )?(?:role|job|position) (?:overview|summary|description)|job description|"
        r"overview|summary|description|the opportunity|introduction|who we'?re looking for",
    ),
    (
        Section.PREFERRED,
        r"(?:(?:preferred|desired|desirable|additional|bonus|nice[- ]to[- ]have|"
        r"good[- ]to[- ]have|optional)\s*(?:qualifications?|skills?|requirements?|experience|points?)?"
        r"|nice[- ]to[- ]haves?|bonus(?: points)?|(?:it'?s |it would be |would be )?a (?:big |huge )?plus(?: if.*)?|pluses"
        r"|extra credit|even better if.*|ideally,? you.*|preferred|what would make you stand out"
        r"|(?:it would be )?great if you.*|brownie points|icing on the cake)",
    ),
    (
        Section.REQUIRED,
        r"(?:(?:basic|minimum|required|key|essential|core|job|technical|mandatory)\s+)?"
        r"(?:qualifications?|requirements?|skills?(?: (?:and|&) (?:experience|qualifications?|"
        r"competenc(?:ies|e)))?|competenc(?:ies|e)|experience(?: (?:and|&) skills?)?|must[- ]haves?"
        r"|prerequisites)(?: and experience)?"
        r"|(?:what|who) (?:you(?:'ll)?|we(?:'re| are)?) (?:need|bring|have|are looking for|looking for|"
        r"seek(?:ing)?|expect|require)(?: from you)?|what you (?:will |'ll )?(?:need|bring)(?: to the (?:table|role|team))?"
        r"|who you are|about you|your profile|your (?:skills|experience|background|qualifications)"
        r"|you (?:have|are|bring|might be a fit if.*|should have|will have)|you'?re a (?:good|great) fit.*"
        r"|(?:the )?ideal candidate(?: will have)?|candidate profile|profile|is this you\??|"
        r"what (?:it|you) takes|what (?:makes|will make) you successful|requirements? (?:and|&) skills?|"
        r"skills,? knowledge,? (?:and|&) (?:abilities|expertise)|knowledge,? skills,? (?:and|&) abilities|"
        r"(?:education|educational) (?:and|&) experience|what we(?:'re| are) looking for in you|"
        # Headings that describe the right person: "You might thrive in this role if you ..."
        r"you(?:'ll)? (?:might|may|will|could|would)? ?(?:thrive|succeed|excel|do well|be a (?:good |great )?(?:fit|match))\b.*"
        r"|(?:you(?:'re| are) )?(?:a|the) (?:good|great|strong) (?:fit|match)(?: if)?.*|we'?d love to hear from you if.*"
        r"|(?:strong )?candidates? (?:will|should|must) have.*|what we(?:'re| are) looking for(?: in (?:a|our|the) .+)?",
    ),
    (
        Section.RESPONSIBILITIES,
        r"(?:key |main |core |primary |your |job |role |essential )?"
        r"(?:responsibilities|duties(?: (?:and|&) responsibilities)?|accountabilities|tasks)"
        r"|what you(?:'ll| will) (?:do|be doing|work on|own|achieve)|what (?:the|this) (?:job|role) (?:involves|entails)|"
        r"in this (?:role|job|position)(?: you will| you'll)?|your (?:impact|mission|day[- ]to[- ]day)|day[- ]to[- ]day|"
        r"a day in the life|how you(?:'ll| will) (?:contribute|make an impact)|what you(?:'ll| will) be responsible for|"
        r"in this role,? you(?:'ll| will)|the work|your work|"
        r"what you(?:'ll| will) get to do|(?:responsibilities|duties) include",
    ),
    (
        Section.BENEFITS,
        r"(?:our |the |employee |key )?(?:benefits|perks)(?: (?:and|&) (?:perks|benefits))?"
        r"|what we offer(?: you)?|we offer|what(?:'s| is) in it for you|why (?:join|work (?:with|for|at)) (?:us|.+)"
        r"|(?:compensation|salary|pay)(?:,)? (?:and|&) benefits|compensation|salary|pay(?: range)?|"
        r"rewards?(?: (?:and|&) benefits)?|our offer|what you(?:'ll| will) get|what you get|"
        r"why you(?:'ll| will) love (?:it|working here|us)|life at .+|total rewards|benefits include",
    ),
    (
        Section.LOGISTICS,
        r"(?:job |work )?location(?:s)?|working hours|hours|schedule|work schedule|"
        r"travel(?: requirements)?|how to apply|application process|(?:our )?(?:hiring|interview|recruitment) process|"
        r"next steps|start date|(?:work )?authori[sz]ation|visa(?: sponsorship)?|relocation|logistics|"
        r"(?:remote|hybrid|office) (?:policy|work)|where you(?:'ll| will) work|working (?:conditions|arrangements?)|"
        r"employment type|job type|contract type|details|job details|key details|the basics",
    ),
    (
        Section.COMPANY,
        r"(?:about|who) (?:us|we are)|about (?!you|the (?:role|job|position)).{2,40}|"
        r"(?:our|the) (?:company|team|mission|story|culture|values)|company (?:overview|description)|"
        r"who we are|meet the team|the team",
    ),
    (
        Section.ADDITIONAL,
        r"additional (?:information|info|details)|(?:equal (?:employment )?opportunity|eeo)(?: statement| employer)?|"
        r"diversity(?:,? equity)?(?:,? (?:and|&) inclusion)?|other information|more information|notes?|"
        r"disclaimer|accommodations?|privacy(?: notice)?|important information|please note|good to know",
    ),
)
_COMPILED = tuple(
    (section, re.compile(rf"(?:{pattern})", re.IGNORECASE)) for section, pattern in _PATTERNS
)
_CLEAN = re.compile(r"^[\s#*_\-\u2013\u2014•·:|>\d.)]+|[\s#*_:|.!]+$")


def clean_heading(text: str) -> str:
    """The heading without markup, numbering, emoji or trailing colon."""
    text = re.sub(r"[^\w\s'\u2019&,/?+-]", " ", text.replace("\u2019", "'"))
    return " ".join(_CLEAN.sub("", text).split())


def classify_heading(text: str) -> Section | None:
    """The section a heading opens, or None when it is not a known heading."""
    cleaned = clean_heading(text)
    if not cleaned or len(cleaned) > 80:
        return None
    for section, pattern in _COMPILED:
        if pattern.fullmatch(cleaned):
            return section
    return None


def split_inline_heading(text: str) -> tuple[Section, str] | None:
    """ "Requirements: a; b" -> (REQUIRED, "a; b") when a known heading leads the line."""
    head, sep, rest = text.partition(":")
    if not sep or not rest.strip() or len(head) > 60:
        return None
    section = classify_heading(head)
    if section is None:
        return None
    return section, rest.strip()
