"""Small grammar helpers for the report: duties as clauses, lists, possessives."""

from __future__ import annotations

import re

# Verbs that open duty lines. A duty starting with one of these, in any form ("Develop",
# "Developing", "Develops", "Responsible for developing"), becomes "develop ...", so it
# reads after "you can"; any other duty is quoted instead of guessed at.
_VERBS = """
    access achieve act administer advise advocate align analyse analyze answer apply approve
    architect assess assist audit automate build calculate care champion check clean coach
    code collaborate collect communicate compile complete conduct configure consult contribute
    coordinate create cultivate debug define deliver deploy design develop diagnose direct
    document draft drive educate enable engage ensure establish estimate evaluate execute
    expand facilitate forecast foster gather grow guide handle help hire identify implement
    improve incorporate influence inform innovate inspect install integrate interview
    investigate launch lead learn liaise maintain manage measure mentor migrate model monitor
    motivate negotiate onboard operate optimise optimize organise organize oversee own partner
    perform plan prepare present prioritise prioritize process produce program promote propose
    prospect prototype provide publish read recommend reconcile record recruit reduce refactor
    report represent research resolve respond review run scale schedule scope secure sell serve
    set ship shape solve source spearhead specify streamline supervise support take teach test
    track train translate troubleshoot tune update upgrade use validate verify visit work write
"""
_DUTY_VERBS = frozenset(_VERBS.split())
_DOUBLED_FINAL = re.compile(r"([^aeiou][aeiou])([bdgklmnprt])$")


def _inflections(base: str) -> tuple[str, str]:
    """(gerund, third person) of a regular English verb."""
    if base.endswith("ie"):
        gerund = base[:-2] + "ying"
    elif base.endswith("e") and not base.endswith(("ee", "ye", "oe")):
        gerund = base[:-1] + "ing"
    elif len(base) <= 4 and _DOUBLED_FINAL.search(base) and not base.endswith(("w", "x", "y")):
        gerund = base + base[-1] + "ing"  # run -> running, set -> setting
    else:
        gerund = base + "ing"
    if base.endswith(("s", "sh", "ch", "x", "z")):
        third = base + "es"
    elif base.endswith("y") and base[-2:-1] not in ("a", "e", "o", "u"):
        third = base[:-1] + "ies"
    else:
        third = base + "s"
    return gerund, third


# Spellings the regular rules miss.
_BASE_OF: dict[str, str] = {"programming": "program", "modelling": "model", "labelling": "label"}
for _verb in _DUTY_VERBS:
    _BASE_OF[_verb] = _verb
    for _form in _inflections(_verb):
        _BASE_OF.setdefault(_form, _verb)
_LEAD_IN = re.compile(
    r"^(?:you(?:'ll| will)|will|to|responsible for|be responsible for|accountable for|"
    r"in charge of|help(?:ing)? to)\s+",
    re.IGNORECASE,
)


def tidy(text: str, limit: int = 110) -> str:
    """One line without trailing punctuation, cut at a word boundary near ``limit``."""
    text = " ".join(text.split()).rstrip(" .;:,")
    if len(text) > limit:
        text = text[:limit].rsplit(" ", 1)[0].rstrip(" ,;:") + "…"
    return text


def lower_first(text: str) -> str:
    """The first letter lower-cased unless the first word is an acronym or a name-like token."""
    first = text.split(" ", 1)[0]
    if (len(first) > 1 and first.isupper()) or any(c.isupper() for c in first[1:]):
        return text
    return text[:1].lower() + text[1:]


def strip_lead_in(text: str) -> str:
    """A duty without "You will" or "Responsible for" in front."""
    return _LEAD_IN.sub("", text.strip())


def duty_clause(duty: str, limit: int = 110) -> str | None:
    """``duty`` as a clause with a base-form verb ("developing X" -> "develop X"), or None."""
    text = _LEAD_IN.sub("", tidy(duty, limit))
    first, _, rest = text.partition(" ")
    base = _BASE_OF.get(first.lower())
    if base is None or not rest:
        return None
    # "Responsible for developing and maintaining X": each verb of the pair to its base form.
    pair = re.match(r"(?P<sep>(?:and|or) )(?P<verb>\w+)(?P<tail>.*)", rest)
    if pair and pair.group("verb").lower() in _BASE_OF:
        rest = f"{pair.group('sep')}{_BASE_OF[pair.group('verb').lower()]}{pair.group('tail')}"
    return f"{base} {rest}"


def join_words(items: list[str], conjunction: str = "and") -> str:
    """ "a", "a and b", "a, b and c"."""
    if len(items) <= 1:
        return "".join(items)
    return f"{', '.join(items[:-1])} {conjunction} {items[-1]}"


def possessive(name: str) -> str:
    """ "Acme's", "Acme Robotics'"."""
    return f"{name}'" if name.endswith("s") else f"{name}'s"


def sentence(text: str) -> str:
    """``text`` with a capital first letter and one closing full stop."""
    text = " ".join(text.split()).rstrip(" ;:,")
    if not text:
        return text
    text = text[:1].upper() + text[1:]
    return text if text.endswith((".", "!", "?", "…")) else text + "."
