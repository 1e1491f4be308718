"""Contact details: name, email, phone, location and links, each picked by feature scores."""

# ruff: noqa: RUF001 - typographic dashes, quotes and bullets are data here.

from __future__ import annotations

import re
from collections.abc import Iterable

import phonenumbers

from atspro.resume.model import ContactInfo, Link
from atspro.resume.parser.dates import find_date_range
from atspro.resume.parser.headings import heading_kind
from atspro.resume.parser.layout import Row, body_size
from atspro.resume.parser.vocab import (
    find_degree,
    has_title_word,
    is_location,
    is_school,
    org_score,
)

EMAIL_RE = re.compile(r"[\w.+'-]+@[\w-]+(?:\.[\w-]+)*\.[a-z]{2,}", re.IGNORECASE)
URL_RE = re.compile(
    r"(?:https?://|www\.)[^\s|,;<>()]+"
    r"|\b(?:[a-z0-9-]+\.)+(?:com|io|dev|me|org|net|co|ai|app|page|site|tech|info|xyz|[a-z]{2})"
    r"/[^\s|,;<>()]*",
    re.IGNORECASE,
)
_PHONE_RE = re.compile(r"(?:\+|\(\+?)?\d[\d\s().\-/]{6,}\d")
# Letters in words joined by spaces, dots, hyphens or apostrophes: no digits, no commas.
_NAME_RE = re.compile(r"[^\W\d_]+(?:[.'’\- ]+[^\W\d_]+)*\.?")
_NAME_NOISE = re.compile(r"\b(?:resume|résumé|curriculum|vitae|cv|sample|template)\b", re.I)
_SITE_NAMES = {
    "linkedin": "LinkedIn",
    "github": "GitHub",
    "gitlab": "GitLab",
    "twitter": "Twitter",
    "x": "X",
    "stackoverflow": "Stack Overflow",
    "medium": "Medium",
    "behance": "Behance",
    "dribbble": "Dribbble",
    "kaggle": "Kaggle",
    "youtube": "YouTube",
    "facebook": "Facebook",
    "instagram": "Instagram",
}
_PIECE_SPLIT = re.compile(r"\s+[|•·◦▪∙,;]\s+|\s*[|•·◦▪∙]\s*|\s{2,}")


def pieces(rows: Iterable[Row]) -> list[tuple[Row, str]]:
    """Each row cut into the fields people separate with pipes, dots and wide gaps."""
    out: list[tuple[Row, str]] = []
    for row in rows:
        for segment in row.segments or [row.text]:
            for part in _PIECE_SPLIT.split(segment):
                part = part.strip(" ,;:")
                if part:
                    out.append((row, part))
    return out


def find_email(texts: Iterable[str]) -> str:
    """The first email address in ``texts``."""
    for text in texts:
        match = EMAIL_RE.search(text)
        if match:
            return match.group(0).rstrip(".")
    return ""


def _is_date(raw: str) -> bool:
    """A date or a date range ("2019 - 2021", "06.2020"), not a number ending like a year.

    "(555) 010-2030" holds the year-like "2030" but keeps six digits outside it.
    """
    found = find_date_range(raw)
    if found is None:
        return False
    rest = raw[: found.begin] + raw[found.finish :]
    return found.is_range or sum(ch.isdigit() for ch in rest) < 4


def _phone_in(text: str, region: str) -> str:
    candidates: list[str] = []
    for found in phonenumbers.PhoneNumberMatcher(
        text, region, leniency=phonenumbers.Leniency.POSSIBLE
    ):
        raw = str(found.raw_string).strip()
        digits = re.sub(r"\D", "", raw)
        if len(digits) >= 7 and not _is_date(raw):
            candidates.append(raw)
    for match in _PHONE_RE.finditer(text):
        raw = str(match.group(0)).strip()
        digits = re.sub(r"\D", "", raw)
        if 8 <= len(digits) <= 15 and not _is_date(raw) and "/" not in raw:
            candidates.append(raw)
    # A foreign number read with the default region can match only its tail ("496 0142"
    # of "0113 496 0142"); the candidate with the most digits is the whole number.
    return max(candidates, key=lambda c: sum(ch.isdigit() for ch in c), default="")


def find_phone(texts: Iterable[str], region: str = "US") -> str:
    """The first phone number in ``texts``, as written (international numbers too)."""
    for text in texts:
        cleaned = EMAIL_RE.sub(" ", URL_RE.sub(" ", text))
        phone = _phone_in(cleaned, region)
        if phone:
            return phone.strip("()") if phone.count("(") != phone.count(")") else phone
    return ""


def find_links(texts: Iterable[str]) -> list[Link]:
    """Web links (LinkedIn, GitHub, portfolio...) in ``texts``, without duplicates."""
    links: list[Link] = []
    seen: set[str] = set()
    for text in texts:
        for match in URL_RE.finditer(EMAIL_RE.sub(" ", text)):
            url = match.group(0).rstrip(".,/)")
            key = url.lower().removeprefix("https://").removeprefix("http://")
            key = key.removeprefix("www.")
            if key in seen:
                continue
            seen.add(key)
            host = key.split("/")[0].split(".")
            name = next((_SITE_NAMES[h] for h in host if h in _SITE_NAMES), "Website")
            links.append(Link(name=name, url=url))
    return links


def _name_score(row: Row, text: str, biggest: float, position: float) -> float:
    words = text.split()
    if not _NAME_RE.fullmatch(text) or not 1 <= len(words) <= 5:
        return -100.0
    if _NAME_NOISE.search(text) or heading_kind(text)[1] >= 0.6:
        return -100.0
    if len(words) > 1 and heading_kind(words[-1])[1] >= 0.8:
        # Headings end in their head noun ("Professional Summary", "Work Experience");
        # a name does not end in one.
        return -100.0
    score = 3.0
    if row.bold:
        score += 2
    if row.is_caps or all(w[:1].isupper() for w in words):
        score += 2
    if row.size >= biggest - 0.1:
        score += 3
    if has_title_word(text):
        score -= 3
    if is_location(text):
        score -= 4
    if find_degree(text) or is_school(text) or heading_kind(text)[1] >= 0.4:
        return -100.0
    if org_score(text) >= 2:
        score -= 4
    if len(words) == 1 and not row.size >= biggest - 0.1:
        score -= 3
    score -= 0.5 * position
    return score


def _despace(text: str) -> str:
    """Letter-spaced names ("J A N E  D O E") back to words."""
    if re.fullmatch(r"(?:\S ){2,}\S(?:\s+(?:\S ){1,}\S)*", text):
        return " ".join(part.replace(" ", "") for part in re.split(r"\s{2,}", text))
    return text


def find_name(rows: list[Row], *, limit: int = 12, decay: float = 0.5) -> str:
    """The candidate's name: a short all-letter row, big, bold or capitalised, near the top."""
    if not rows:
        return ""
    biggest = max(r.size for r in rows)
    best, best_score = "", 0.0
    candidates = [(r, r.text) for r in rows[:3] if len(r.segments) > 1] + pieces(rows[:limit])
    for position, (row, text) in enumerate(candidates):
        if row.bullet:
            continue
        text = _despace(text)
        score = _name_score(row, text, biggest, position * decay / 0.5)
        if score > best_score:
            best, best_score = text, score
    return best


_PLACE_LABEL_RE = re.compile(
    r"^(?:address|location|city|based in|lives in|residence|adresse|wohnort|ort|"
    r"dirección|ubicación|domicile|indirizzo)\s*[:\-–]?\s*",
    re.IGNORECASE,
)


def find_location(parts: Iterable[str]) -> str:
    """A "City, ST" / "City, Country" / street-address piece of the contact block."""
    for text in parts:
        if EMAIL_RE.search(text) or URL_RE.search(text):
            continue
        text = _PLACE_LABEL_RE.sub("", text)
        if is_location(text) and find_date_range(text) is None:
            return text.strip(" ,")
    return ""


def _title_rows(rows: list[Row]) -> list[Row]:
    """First-page rows in a font clearly bigger than the body's: where a name is set even
    when a sidebar comes first in reading order."""
    first = [r for r in rows if r.page == (rows[0].page if rows else 0)]
    if not first:
        return []
    largest = max(r.size for r in first)
    big = [r for r in first if r.size == largest]
    return big if largest >= body_size(rows) + 4 and len(big) <= 2 else []


def extract_contact(
    profile: list[Row], everything: list[Row], contact: list[Row] | None = None
) -> ContactInfo:
    """Fill ContactInfo from the profile rows (and a "Contact" section's, as sidebars have),
    falling back to the whole document."""
    block = profile + (contact or [])
    head = [t for _, t in pieces(block)]
    texts = [r.text for r in block] + [r.text for r in everything]
    first_page = [r for r in everything if r.page == (everything[0].page if everything else 0)]
    name = (
        find_name(_title_rows(everything) + profile)
        or find_name(everything[:8])
        # A sidebar read first pushes the name down the page.
        or find_name(first_page, limit=40, decay=0.1)
    )
    address = find_location(head) or find_location(t for _, t in pieces(everything[:15]))
    if address == name:
        address = ""
    return ContactInfo(
        full_name=name,
        email=find_email(texts),
        phone=find_phone(head) or find_phone(r.text for r in everything),
        address=address,
        links=find_links(texts),
    )
