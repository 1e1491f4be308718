"""Keep only what the source text supports: a model's field that the text does not back is
dropped (reset to its default), never kept on trust.

Generic over pydantic models: :func:`ground` walks every field and checks it with the
:class:`Check` (or :class:`Evidence`) that ``rules`` names for its dotted path (list items share
their list's path: ``"work_experience.company"``). Unnamed fields get a check from their type
(text -> PHRASE, numbers -> NUMBER, booleans unchecked).

Matching forgives form, not content: case, accents (NFKC), whitespace, punctuation, "&"/"and",
abbreviation dots ("B.S." = "BS"), common abbreviations ("Sr." = "Senior", "MSc" = "Master of
Science", "ML" = "machine learning"), word order inside one line ("Smith, Jane"), date formats
(via :mod:`atspro.llm.dates`), phone formats and country codes, URL schemes.
"""

from __future__ import annotations

import enum
import re
import unicodedata
from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any, Generic, TypeVar

from pydantic import BaseModel
from pydantic.fields import FieldInfo

from atspro.llm.dates import find_dates, is_iso_date

M = TypeVar("M", bound=BaseModel)


class Check(enum.Enum):
    """How a value is checked against the source."""

    PHRASE = "phrase"  # the value occurs as a phrase (names, titles, skills, schools)
    PROSE = "prose"  # >= 80 % of its words occur, every number occurs (bullets, summaries)
    EMAIL = "email"
    PHONE = "phone"
    URL = "url"
    DATE = "date"  # ISO YYYY[-MM] value, some form of it occurs
    NUMBER = "number"  # the number occurs ("120k" = 120000)
    SKIP = "skip"  # not checked (derived or caller-set fields)


@dataclass(frozen=True)
class Evidence:
    """A categorical value is kept only when the source says one of its phrases."""

    phrases: Mapping[str, tuple[str, ...]]


Rule = Check | Evidence


@dataclass(frozen=True)
class Grounded(Generic[M]):
    """The grounded model and the paths of what was dropped (``"education[0].degree"``)."""

    value: M
    dropped: list[str] = field(default_factory=list)


# Canonical short forms, applied to both sides. Multi-word phrases first, then single words.
_PHRASES: tuple[tuple[str, str], ...] = (
    ("bachelor of business administration", "bba"),
    ("master of business administration", "mba"),
    ("bachelors of science", "bs"),
    ("bachelor of science", "bs"),
    ("bachelors of arts", "ba"),
    ("bachelor of arts", "ba"),
    ("bachelor of engineering", "beng"),
    ("bachelor of technology", "btech"),
    ("masters of science", "ms"),
    ("master of science", "ms"),
    ("masters of arts", "ma"),
    ("master of arts", "ma"),
    ("master of engineering", "meng"),
    ("master of technology", "mtech"),
    ("doctor of philosophy", "phd"),
    ("juris doctor", "jd"),
    ("vice president", "vp"),
    ("machine learning", "ml"),
    ("artificial intelligence", "ai"),
    ("natural language processing", "nlp"),
    ("amazon web services", "aws"),
    ("google cloud platform", "gcp"),
    ("user experience", "ux"),
    ("user interface", "ui"),
    ("quality assurance", "qa"),
    ("search engine optimization", "seo"),
    ("search engine optimisation", "seo"),
    ("continuous integration", "ci"),
    ("continuous delivery", "cd"),
)
_WORDS: dict[str, str] = {
    "senior": "sr",
    "junior": "jr",
    "manager": "mgr",
    "management": "mgmt",
    "university": "univ",
    "institute": "inst",
    "department": "dept",
    "international": "intl",
    "associate": "assoc",
    "assistant": "asst",
    "government": "govt",
    "bsc": "bs",
    "msc": "ms",
    "javascript": "js",
    "typescript": "ts",
    "kubernetes": "k8s",
    "postgresql": "postgres",
    "corporation": "corp",
    "incorporated": "inc",
    "limited": "ltd",
    "company": "co",
}
_STOPWORDS = frozenset({"a", "an", "and", "at", "for", "in", "of", "on", "the", "to", "with"})
_PHRASE_RE = re.compile(r"\b(" + "|".join(re.escape(p) for p, _ in _PHRASES) + r")\b")
_PHRASE_MAP = dict(_PHRASES)
_DOTS = re.compile("[.'`\u2019\u00b4]")  # dots, apostrophes (straight, curly, acute)
# "+"/"#" stay inside words (C++, C#, F#); elsewhere ("5+ years", "+44") they separate.
_SEPARATORS = re.compile(r"(?<![^\W\d_+#])[+#]|[^\w+#]|_")
_EMAIL = re.compile(r"[^@\s]+@[^@\s]+\.[^@\s]+")
_PHONE_RUN = re.compile(r"\+?\(?\d[\d\s().\-/]{5,}\d")
_NUMBER = re.compile(r"(?<![\w.,])(\d+(?:[,.]\d+)*)\s*([km])?\b", re.IGNORECASE)
_NUMBER_WORDS = {
    "zero": 0.0,
    "one": 1.0,
    "two": 2.0,
    "three": 3.0,
    "four": 4.0,
    "five": 5.0,
    "six": 6.0,
    "seven": 7.0,
    "eight": 8.0,
    "nine": 9.0,
    "ten": 10.0,
    "eleven": 11.0,
    "twelve": 12.0,
}
_URL_PREFIX = re.compile(r"^(?:https?://)?(?:www\.)?")


def _canonical(text: str) -> str:
    text = _PHRASE_RE.sub(lambda m: _PHRASE_MAP[m.group(1)], text)
    return " ".join(_WORDS.get(word, word) for word in text.split())


def _base(text: str) -> str:
    return unicodedata.normalize("NFKC", text).casefold().replace("&", " and ")


def spaced_form(text: str) -> str:
    """Lower-case words with every punctuation mark read as a space: "B.S." -> "b s"."""
    return _canonical(_SEPARATORS.sub(" ", _DOTS.sub(" ", _base(text))))


def compact_form(text: str) -> str:
    """Lower-case words with dots and apostrophes removed: "B.S." -> "bs", "Ph.D." -> "phd"."""
    return _canonical(_SEPARATORS.sub(" ", _DOTS.sub("", _base(text))))


def _numbers_in(text: str) -> set[float]:
    found: set[float] = set()
    for match in _NUMBER.finditer(text):
        raw, scale = match.group(1), (match.group(2) or "").lower()
        readings: set[float] = set()
        if re.fullmatch(r"\d{1,3}(?:[,.]\d{3})+", raw):
            readings.add(float(re.sub(r"[,.]", "", raw)))  # thousands separators
        if raw.count(",") + raw.count(".") <= 1:
            readings.add(float(raw.replace(",", ".")))  # "3.5", or "3,5" written European style
        multiplier = {"k": 1e3, "m": 1e6}.get(scale, 1.0)
        found |= readings | {r * multiplier for r in readings}
    for word in re.findall(r"[a-z]+", text.lower()):
        if word in _NUMBER_WORDS:
            found.add(_NUMBER_WORDS[word])
    return found


def _content_words(text: str) -> list[str]:
    return [word for word in text.split() if word not in _STOPWORDS]


def _in_window(wanted: set[str], line: list[str]) -> bool:
    """All ``wanted`` words side by side in ``line``, in any order, give or take an initial.

    "Smith, Jane" and "Jane Smith" (from "Jane Q. Smith") pass; "Senior Engineer" does not
    pass on "Senior Staff Engineer": a missing real word changes what the value claims.
    """
    size = len(wanted)
    if not size:
        return False
    for start in range(len(line)):
        window = set(line[start : start + size + 1])
        if wanted <= window and all(len(extra) == 1 for extra in window - wanted):
            return True
        if wanted == set(line[start : start + size]):
            return True
    return False


def _phone_digits(text: str) -> str:
    return re.sub(r"\D", "", text).lstrip("0")


class SourceText:
    """A source text prepared once for many checks."""

    def __init__(self, text: str) -> None:
        self.text = text
        self._spaced = f" {spaced_form(text)} "
        self._compact = f" {compact_form(text)} "
        self._spaceless = self._spaced.replace(" ", "")
        self._tokens = set(self._spaced.split()) | set(self._compact.split())
        self._lines = [
            (_content_words(spaced_form(line)), _content_words(compact_form(line)))
            for line in text.splitlines()
            if line.strip()
        ]
        self._casefolded = text.casefold()
        self._squeezed = re.sub(r"\s+", "", self._casefolded)
        self._url_text = re.sub(r"https?://|www\.", "", self._squeezed)
        self._dates = find_dates(text)
        self._numbers = _numbers_in(text)
        self._phones = {_phone_digits(run) for run in _PHONE_RUN.findall(text)}

    def supports(self, value: object, rule: Rule) -> bool:
        """True when the source backs ``value`` under ``rule``."""
        if isinstance(rule, Evidence):
            return self.says_any(rule.phrases.get(str(value).lower(), ()))
        if rule is Check.SKIP:
            return True
        if rule is Check.NUMBER:
            return isinstance(value, int | float) and self.has_number(float(value))
        text = str(value)
        match rule:
            case Check.PHRASE:
                return self.has_phrase(text)
            case Check.PROSE:
                return self.has_prose(text)
            case Check.EMAIL:
                return self.has_email(text)
            case Check.PHONE:
                return self.has_phone(text)
            case Check.URL:
                return self.has_url(text)
            case Check.DATE:
                return self.has_date(text)
        raise ValueError(f"unknown rule {rule!r}")  # pragma: no cover

    def has_phrase(self, value: str) -> bool:
        """The value occurs as a whole phrase (or all its words on one line)."""
        spaced, compact = spaced_form(value), compact_form(value)
        if not spaced:
            return False
        if f" {spaced} " in self._spaced or (compact and f" {compact} " in self._compact):
            return True
        if " " in spaced:
            wanted = (set(_content_words(spaced)), set(_content_words(compact)))
            for line in self._lines:
                if _in_window(wanted[0], line[0]) or _in_window(wanted[1], line[1]):
                    return True
        joined = spaced.replace(" ", "")
        # "Front End" = "front-end" = "frontend"; only for multi-word values, long enough
        # that a bare substring cannot be a different word.
        return " " in spaced and len(joined) >= 6 and joined in self._spaceless

    def has_prose(self, value: str) -> bool:
        """Most words of a sentence occur, and every number in it does."""
        words = [w for w in spaced_form(value).split() if w not in _STOPWORDS]
        if len(words) <= 3:
            return self.has_phrase(value)
        if any(any(c.isdigit() for c in w) and w not in self._tokens for w in words):
            return False
        known = sum(w in self._tokens for w in words)
        return known >= 0.8 * len(words)

    def has_email(self, value: str) -> bool:
        """The address occurs (case and stray spaces ignored)."""
        email = re.sub(r"\s+", "", value.casefold()).removeprefix("mailto:")
        return _EMAIL.fullmatch(email) is not None and email in self._squeezed

    def has_phone(self, value: str) -> bool:
        """The number occurs in any format; a country code or trunk 0 may be added or left out."""
        digits = _phone_digits(value)
        if len(digits) < 7:
            return False
        # ``digits in seen``: layout can glue a phone to the next number ("4567 2019").
        return any(
            digits in seen or (len(seen) >= 7 and digits.endswith(seen)) for seen in self._phones
        )

    def has_url(self, value: str) -> bool:
        """The link occurs with or without scheme, ``www.`` and trailing slash."""
        url = _URL_PREFIX.sub("", re.sub(r"\s+", "", value.casefold())).rstrip("/")
        return len(url) >= 4 and url in self._url_text

    def has_date(self, value: str) -> bool:
        """An ISO date matches a date in the text in any format; other text must occur."""
        stripped = value.strip()
        return stripped in self._dates if is_iso_date(stripped) else self.has_phrase(stripped)

    def has_number(self, value: float) -> bool:
        """The number occurs ("$120,000", "120k", "five")."""
        return any(abs(seen - value) <= 1e-6 * max(1.0, abs(value)) for seen in self._numbers)

    def says_any(self, phrases: tuple[str, ...]) -> bool:
        """One of ``phrases`` occurs: as words, or verbatim when it has symbols ("$", "/yr")."""
        for phrase in phrases:
            if re.search(r"[^\w\s'-]", phrase):
                if phrase.casefold() in self._casefolded:
                    return True
            elif f" {spaced_form(phrase)} " in self._spaced:
                return True
        return False


class _Unsupported(Exception):
    """Internal: a required field had no support, so its whole item goes."""


def ground(
    model: M,
    source: str | SourceText,
    *,
    rules: Mapping[str, Rule],
    anchors: Mapping[str, tuple[str, ...]] | None = None,
) -> Grounded[M]:
    """Drop every field of ``model`` that ``source`` does not support.

    ``anchors`` names, per list path, fields of which one must survive for the item to stay
    (``{"work_experience": ("company", "position")}``). A list item whose required field
    (no default) is dropped goes as a whole.
    """
    text = source if isinstance(source, SourceText) else SourceText(source)
    walker = _Walker(text, rules, anchors or {})
    try:
        value = walker.model(model, key="", where="")
    except _Unsupported as exc:
        raise ValueError(f"required field {exc} has no support and cannot be dropped") from exc
    return Grounded(value=value, dropped=walker.dropped)


class _Walker:
    def __init__(
        self, source: SourceText, rules: Mapping[str, Rule], anchors: Mapping[str, tuple[str, ...]]
    ) -> None:
        self.source = source
        self.rules = rules
        self.anchors = anchors
        self.dropped: list[str] = []

    def model(self, model: M, *, key: str, where: str) -> M:
        updates: dict[str, Any] = {}
        for name, info in type(model).model_fields.items():
            value = getattr(model, name)
            new = self.field(value, info, key=f"{key}{name}", where=f"{where}{name}")
            if new is not value:
                updates[name] = new
        return model.model_copy(update=updates) if updates else model

    def field(self, value: object, info: FieldInfo, *, key: str, where: str) -> object:
        if isinstance(value, BaseModel):
            return self.model(value, key=f"{key}.", where=f"{where}.")
        if isinstance(value, list):
            return self.items(value, key=key, where=where)
        default = info.get_default(call_default_factory=True)
        if value is None or value == default or value == "":
            return value
        if self.source.supports(value, self.rule(key, value)):
            return value
        self.dropped.append(where)
        if info.is_required():
            raise _Unsupported(where)
        return default

    def items(self, values: list[Any], *, key: str, where: str) -> list[Any]:
        kept: list[Any] = []
        seen: set[str] = set()
        for index, item in enumerate(values):
            at = f"{where}[{index}]"
            if isinstance(item, BaseModel):
                try:
                    grounded = self.model(item, key=f"{key}.", where=f"{at}.")
                except _Unsupported:
                    self.dropped.append(at)
                    continue
                anchor = self.anchors.get(key)
                if anchor and not any(getattr(grounded, name) for name in anchor):
                    self.dropped.append(at)
                    continue
                kept.append(grounded)
                continue
            if isinstance(item, str):
                fingerprint = compact_form(item)
                if not fingerprint or fingerprint in seen:
                    continue  # blanks and repeats are noise, not claims
                seen.add(fingerprint)
            if self.source.supports(item, self.rule(key, item)):
                kept.append(item)
            else:
                self.dropped.append(at)
        unchanged = len(kept) == len(values) and all(
            a is b for a, b in zip(kept, values, strict=True)
        )
        return values if unchanged else kept

    def rule(self, key: str, value: object) -> Rule:
        rule = self.rules.get(key)
        if rule is not None:
            return rule
        if isinstance(value, bool):
            return Check.SKIP
        if isinstance(value, int | float):
            return Check.NUMBER
        return Check.PHRASE
