"""Offline parser: posting text (plain, Markdown-ish, or extracted lines) -> Job."""

from __future__ import annotations

import re
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field

from atspro.extraction.document import TextLine
from atspro.jobs.facets import (
    education_level,
    employment_type,
    iso_date,
    seniority_from_text,
    seniority_from_title,
    workplace_type,
    years_experience,
)
from atspro.jobs.headings import Section, classify_heading, clean_heading, split_inline_heading
from atspro.jobs.model import Job, Salary, WorkplaceType
from atspro.jobs.salary import parse_salary
from atspro.jobs.skill_source import find_skills

_BULLET = re.compile(r"^\s*(?:[-*+•·▪●◦‣∙\u2013\u2014○■□➢►✓✔→»>]|\(?\d{1,2}[.)]|\(?[a-z][.)])\s+")
_MD_HEADING = re.compile(r"^\s*(#{1,6})\s+")
_SENTENCE = re.compile(r"(?<=[.!?])\s+(?=[A-Z0-9\"'(])")
_PREFERRED_CUE = re.compile(
    r"\b(?:nice[- ]to[- ]have|preferred|is a (?:big )?plus|are a (?:big )?plus|a plus\b|bonus|"
    r"ideally|desirable|desired|not required|appreciated|advantageous|would be great|"
    r"is an advantage|optional)\b",
    re.IGNORECASE,
)
_LABELS = {
    "title": r"job title|position(?: title)?|role|title|job",
    "company": r"company|employer|organi[sz]ation|hiring company|client",
    "location": r"locations?|job location|work location|office|based in|city",
    "salary": r"salary(?: range)?|compensation|pay(?: range)?|base salary|wage|rate|remuneration",
    "employment": r"employment(?: type)?|job type|contract(?: type)?|type|work type|schedule|hours",
    "workplace": r"workplace(?: type)?|remote|work model|work arrangement|location type|remote policy",
    "date": r"date posted|posted(?: on)?|published(?: on)?|posting date|date",
    "seniority": r"seniority(?: level)?|experience level|level|career level",
}
_LABEL = re.compile(
    r"^\s*(?P<label>"
    + "|".join(f"(?:{p})" for p in _LABELS.values())
    + r")\s*[:\uff1a]\s*(?P<value>.+)$",
    re.IGNORECASE,
)
_JOB_NOUN = re.compile(
    r"\b(?:engineer|developer|programmer|manager|designer|analyst|scientist|specialist|consultant|"
    r"director|lead|intern|architect|administrator|coordinator|assistant|officer|representative|"
    r"associate|executive|technician|nurse|teacher|accountant|writer|editor|marketer|recruiter|"
    r"agent|head|owner|strategist|researcher|tester|operator|planner|advisor|adviser|counsel|"
    r"attorney|lawyer|clerk|driver|chef|cook|cashier|sales\w*|support|expert|partner|vp|president|"
    r"cto|ceo|cfo|principal|staff|student|trainee|apprentice|physician|therapist|pharmacist|"
    r"mechanic|electrician|operative|worker|lecturer|professor|tutor|instructor|auditor|"
    r"controller|buyer|producer|artist|photographer|investigator|scrum master|devops|sre)s?\b",
    re.IGNORECASE,
)
_HIRING_SENTENCE = re.compile(
    r"\b(?:looking for|hiring|seeking|searching for|recruiting|in search of|need)\s+"
    r"(?:an?|our(?: next| first)?|one|the)\s+(?:(?:talented|experienced|passionate|motivated|skilled|"
    r"driven|exceptional|dedicated|highly[- ]motivated)\s+)*"
    r"(?P<title>[A-Z][\w/&+#.-]*(?:\s+(?:[A-Z][\w/&+#.-]*|of|and|&|for|in|-|\u2013|/|[A-Z]{2,}))*)"
)
_AT_COMPANY = re.compile(
    r"\s+(?:at|@|chez|bei)\s+(?P<company>[A-Z][\w&.'\u2019-]*(?:\s+[A-Z][\w&.'\u2019-]*){0,3})\s*$"
)
_JOIN_COMPANY = re.compile(
    r"\b(?i:join|at|about)\s+(?P<company>[A-Z][\w&.'\u2019-]+(?:\s+[A-Z][\w&.'\u2019-]+){0,2})(?:,|\s+(?:is|we|as|and|to|in)\b|'s)"
)
_META_SPLIT = re.compile(r"\s*[·•|]\s*|\s+[\u2013\u2014-]\s+")
_PLACE = re.compile(
    r"^(?:[A-Z][\w.'\u2019-]+(?:\s+[A-Z][\w.'\u2019-]+){0,3})(?:,\s*[A-Z][\w.'\u2019-]*(?:\s+[A-Z][\w.'\u2019-]+){0,2}){1,2}"
    r"(?:\s*\((?:remote|hybrid|on[- ]?site)\))?$|^(?:remote|anywhere)(?:\s*[(,-].*)?$",
    re.IGNORECASE,
)
_STOP_COMPANY = frozenset(
    {"us", "our", "the", "this", "a", "an", "you", "we", "team", "company", "role", "position"}
)
_GENERIC_SECTIONS = (Section.SUMMARY, Section.RESPONSIBILITIES, Section.REQUIRED)
# A line shorter than this ended on purpose; a longer one may have been hard-wrapped.
_WRAP_MIN = 45
_POSTED = re.compile(
    r"\b(?:posted|published|listed)(?:\s+on)?\s*:?\s*(?P<date>[\w ,./-]{6,30}\d)", re.IGNORECASE
)


@dataclass(frozen=True, slots=True)
class PostingHints:
    """What the caller already knows: structured fields or page metadata."""

    title: str = ""
    company: str = ""
    page_title: str = ""
    site_name: str = ""


@dataclass(frozen=True, slots=True)
class SourceLine:
    """One line of input with the layout cues that matter for headings and lists."""

    text: str
    heading_level: int = 0
    bold: bool = False
    is_list_item: bool = False
    # True when the line may continue the previous one (hard-wrapped text, PDF lines).
    wraps: bool = True
    gap_before: bool = False


@dataclass(slots=True)
class _Block:
    kind: str  # heading | item | para
    text: str
    section: Section = Section.SUMMARY
    last_line: int = 0  # length of the block's last source line


@dataclass(slots=True)
class _Parsed:
    blocks: list[_Block] = field(default_factory=list)
    labels: dict[str, str] = field(default_factory=dict)
    title_candidates: list[str] = field(default_factory=list)


def lines_from_text(text: str) -> list[SourceLine]:
    """Split pasted text into lines, noting blank-line gaps and Markdown headings."""
    out: list[SourceLine] = []
    gap = False
    for raw in text.replace("\r\n", "\n").replace("\r", "\n").split("\n"):
        stripped = raw.strip()
        if not stripped:
            gap = True
            continue
        level = 0
        heading = _MD_HEADING.match(stripped)
        if heading:
            level = len(heading.group(1))
            stripped = stripped[heading.end() :]
        bold = bool(re.fullmatch(r"\*\*[^*]+\*\*:?|__[^_]+__:?", stripped))
        out.append(
            SourceLine(
                stripped.strip("*_ ") if bold else stripped,
                heading_level=level,
                bold=bold,
                is_list_item=bool(_BULLET.match(stripped)),
                gap_before=gap,
            )
        )
        gap = False
    return out


def lines_from_document(lines: Iterable[TextLine], *, wraps: bool) -> list[SourceLine]:
    """Adapt extracted lines; ``wraps`` is True for paginated formats (PDF)."""
    return [
        SourceLine(
            line.text,
            heading_level=line.heading_level,
            bold=line.bold,
            is_list_item=line.is_list_item,
            wraps=wraps,
        )
        for line in lines
        if line.text.strip()
    ]


def _is_heading(line: SourceLine, text: str) -> bool:
    words = len(text.split())
    if line.heading_level and words <= 14:
        return True
    if words > 10 or line.is_list_item:
        return False
    if text.endswith(":") and words <= 7:
        return True
    if line.bold and not text.endswith((".", ",", ";")):
        return True
    if text.isupper() and words <= 6 and len(text) > 3:
        return True
    return classify_heading(text) is not None and not text.endswith(".")


def _sentences(text: str) -> list[str]:
    parts = re.split(r";\s*", text) if text.count(";") >= 2 else _SENTENCE.split(text)
    return [p.strip(" .;") for p in parts if len(p.strip(" .;")) > 2]


def _structure(lines: Sequence[SourceLine]) -> _Parsed:
    parsed = _Parsed()
    section = Section.SUMMARY
    blocks = parsed.blocks
    lengths = sorted(len(line.text) for line in lines)
    # A wrapped line runs close to the longest lines of the text; a shorter one ended on purpose.
    wrap_min = (
        max(_WRAP_MIN, int(0.7 * lengths[int(0.9 * (len(lengths) - 1))])) if lengths else _WRAP_MIN
    )
    for index, line in enumerate(lines):
        text = " ".join(line.text.split())
        label = _LABEL.match(text)
        if label and len(label.group("label")) < 25:
            kind = _label_kind(label.group("label"))
            parsed.labels.setdefault(kind, label.group("value").strip())
            if kind not in ("title", "company", "date"):
                blocks.append(_Block("item", text, Section.LOGISTICS))
            continue
        if _is_heading(line, text):
            found = classify_heading(text)
            if found is None and index < 4 and not blocks:
                parsed.title_candidates.append(clean_heading(text))
            if found is None:
                # An unknown heading ("Tech stack", "The team") keeps a generic section.
                found = (
                    Section.SUMMARY if section in (Section.COMPANY, Section.BENEFITS) else section
                )
            section = found
            blocks.append(_Block("heading", clean_heading(text), section))
            continue
        inline = split_inline_heading(text)
        if inline is not None and not line.is_list_item:
            section, rest = inline
            blocks.append(_Block("para", rest, section, len(text)))
            continue
        item = bool(_BULLET.match(text)) or line.is_list_item
        body = _BULLET.sub("", text) if item else text
        previous = blocks[-1] if blocks else None
        if (
            not item
            and previous is not None
            and previous.kind != "heading"
            and line.wraps
            and not line.gap_before
            and not previous.text.endswith((".", "!", "?", ":"))
            and previous.section is section
            and previous.last_line >= wrap_min
        ):
            if re.search(r"[a-z]-$", previous.text) and body[:1].islower():
                previous.text = f"{previous.text[:-1]}{body}"  # "Angu- lar" was one word
            else:
                previous.text = f"{previous.text} {body}"
            previous.last_line = len(text)
            continue
        blocks.append(_Block("item" if item else "para", body, section, len(text)))
    return parsed


def _label_kind(label: str) -> str:
    for kind, pattern in _LABELS.items():
        if re.fullmatch(pattern, label.strip(), re.IGNORECASE):
            return kind
    return "other"  # pragma: no cover - the label regex only admits known labels


def _items(blocks: Iterable[_Block], section: Section) -> list[str]:
    out: list[str] = []
    for block in blocks:
        if block.section is not section or block.kind == "heading":
            continue
        out.extend([block.text] if block.kind == "item" else _sentences(block.text))
    return list(dict.fromkeys(out))


def _looks_like_title(text: str) -> bool:
    words = text.split()
    return 0 < len(words) <= 10 and bool(_JOB_NOUN.search(text)) and not text.endswith(".")


def _title_and_company(
    parsed: _Parsed, text: str, hints: PostingHints, header_company: str
) -> tuple[str, str]:
    title = hints.title or parsed.labels.get("title", "")
    company = hints.company or parsed.labels.get("company", "") or header_company
    candidates = [*parsed.title_candidates]
    if hints.page_title:
        candidates.extend(
            p.strip() for p in re.split(r"\s+[|\u2013\u2014-]\s+|\s+[|]\s*", hints.page_title)
        )
    if not title:
        title = next((c for c in candidates if _looks_like_title(c)), "")
    if not title:
        match = _HIRING_SENTENCE.search(text[:2000])
        if match and _looks_like_title(match.group("title")):
            title = match.group("title").strip()
    if not title:
        # A short first line ("Web Developer at Acme") is the title of many pasted posts.
        short = (
            b.text
            for b in parsed.blocks[:2]
            if b.kind == "para" and len(b.text.split()) <= 10 and not re.search(r"[;:]|^\d", b.text)
        )
        title = next((c for c in short if _looks_like_title(c)), "")
    at = _AT_COMPANY.search(title)
    if at:
        company = company or at.group("company")
        title = title[: at.start()].strip()
    if not company:
        company = _company_from_text(parsed, text, hints)
    title = re.sub(r"\s*[(\[]?\s*[mwfdx]/[mwfdx](?:/[mwfdx])?\s*[)\]]?$", "", title)
    title = re.sub(r"\s*\([^)]*\b(?:years?|experience|yrs)\b[^)]*\)\s*$", "", title, flags=re.I)
    if title.count("(") > title.count(")"):
        title = title[: title.rfind("(")]  # a parenthesis cut off by a line break
    return title.strip(), company


def _company_from_text(parsed: _Parsed, text: str, hints: PostingHints) -> str:
    for block in parsed.blocks:
        if block.kind == "heading" and block.section is Section.COMPANY:
            match = re.fullmatch(r"about\s+(.{2,40})", block.text, re.IGNORECASE)
            if match and match.group(1).lower() not in _STOP_COMPANY:
                return match.group(1)
    for match in _JOIN_COMPANY.finditer(text[:3000]):
        name = match.group("company")
        if name.lower() not in _STOP_COMPANY and not _JOB_NOUN.search(name):
            return name
    if hints.site_name:
        return hints.site_name
    for candidate in parsed.title_candidates[1:]:
        if not _looks_like_title(candidate) and len(candidate.split()) <= 4:
            return candidate
    return ""


def _meta_parts(parsed: _Parsed) -> list[str]:
    """Short header fragments like "Acme · Berlin, Germany · Full-time"."""
    parts: list[str] = []
    for block in parsed.blocks[:6]:
        if block.kind != "heading" and len(block.text) <= 120 and _META_SPLIT.search(block.text):
            parts.extend(p for p in _META_SPLIT.split(block.text) if p)
            block.section = Section.LOGISTICS  # a header line, not body text
    return parts


def _header_company_place(parsed: _Parsed) -> tuple[str, str]:
    """ "Acme Corp, San Francisco, CA, USA" under the title -> (company, place)."""
    for block in parsed.blocks[:4]:
        if block.kind == "heading" or len(block.text) > 80 or block.text.endswith("."):
            continue
        head, _, rest = block.text.partition(",")
        if (
            rest
            and _PLACE.match(rest.strip())
            and not _JOB_NOUN.search(head)
            and len(head.split()) <= 5
        ):
            block.section = Section.LOGISTICS
            return head.strip(), rest.strip()
    return "", ""


def _meta_company(meta: list[str]) -> str:
    """The header fragment that is none of place, job type, workplace, pay or date."""
    for part in meta:
        part = part.strip()
        if (
            part
            and len(part.split()) <= 5
            and not _PLACE.match(part)
            and not employment_type(part)
            and workplace_type(part) is WorkplaceType.UNKNOWN
            and parse_salary(part) is None
            and not iso_date(part)
            and not _JOB_NOUN.search(part)
            and not re.search(r"\d|posted|ago", part, re.IGNORECASE)
        ):
            return part
    return ""


def _locations(parsed: _Parsed, meta: list[str]) -> list[str]:
    label = parsed.labels.get("location", "")
    if label:
        return [p.strip() for p in re.split(r"\s*(?:;|\||/| or )\s*", label) if p.strip()]
    return [p for p in meta if _PLACE.match(p.strip()) and not employment_type(p)]


def _salary(parsed: _Parsed, text: str) -> Salary:
    label = parsed.labels.get("salary")
    if label:
        found = parse_salary(label, labelled=True)
        if found is not None:
            return found
    for block in parsed.blocks:
        if block.section in (Section.BENEFITS, Section.LOGISTICS, Section.SUMMARY):
            found = parse_salary(block.text)
            if found is not None:
                return found
    return parse_salary(text) or Salary()


def _skills(
    text: str, spans: list[tuple[int, int, Section, bool]]
) -> tuple[list[str], list[str], list[str]]:
    required: list[str] = []
    preferred: list[str] = []
    soft: list[str] = []
    for mention in find_skills(text):
        where = next(
            ((sec, pref) for start, end, sec, pref in spans if start <= mention.start < end), None
        )
        if where is None:
            continue
        section, preferred_cue = where
        if mention.kind == "soft":
            if section not in (Section.COMPANY, Section.BENEFITS, Section.ADDITIONAL):
                soft.append(mention.canonical)
        elif section is Section.PREFERRED or (
            preferred_cue and section is not Section.RESPONSIBILITIES
        ):
            preferred.append(mention.canonical)
        elif section in _GENERIC_SECTIONS:
            required.append(mention.canonical)
    required = list(dict.fromkeys(required))
    preferred = [s for s in dict.fromkeys(preferred) if s not in required]
    return required, preferred, list(dict.fromkeys(soft))


def parse_lines(lines: Sequence[SourceLine], *, hints: PostingHints | None = None) -> Job:
    """Parse posting lines into a Job (offline, deterministic)."""
    hints = hints or PostingHints()
    parsed = _structure(lines)
    header_company, header_place = _header_company_place(parsed)
    meta = _meta_parts(parsed)
    header_company = header_company or _meta_company(meta)
    pieces: list[str] = []
    spans: list[tuple[int, int, Section, bool]] = []
    offset = 0
    for block in parsed.blocks:
        for part in (
            [block.text] if block.kind != "para" else _sentences(block.text) or [block.text]
        ):
            spans.append(
                (offset, offset + len(part), block.section, bool(_PREFERRED_CUE.search(part)))
            )
            pieces.append(part)
            offset += len(part) + 1
    text = "\n".join(pieces)
    title, company = _title_and_company(parsed, text, hints, header_company)
    required_text = "\n".join(
        text[s:e] for s, e, sec, pref in spans if sec is Section.REQUIRED and not pref
    )
    preferred_items = _items(parsed.blocks, Section.PREFERRED)
    qualifications: list[str] = []
    for item in _items(parsed.blocks, Section.REQUIRED):
        (preferred_items if _PREFERRED_CUE.search(item) else qualifications).append(item)
    logistics_text = " ".join([*meta, *_items(parsed.blocks, Section.LOGISTICS)])
    labelled_type = parsed.labels.get("employment", "")
    years = years_experience(required_text) or years_experience(text)
    workplace = workplace_type(
        " ".join([parsed.labels.get("workplace", ""), title, logistics_text])
    )
    if workplace is WorkplaceType.UNKNOWN:
        workplace = workplace_type(text)
    required, preferred, soft = _skills(text, spans)
    return Job(
        title=title,
        company=company,
        description=_description(lines),
        salary=_salary(parsed, text),
        responsibilities=_items(parsed.blocks, Section.RESPONSIBILITIES),
        qualifications=qualifications,
        preferred_qualifications=list(dict.fromkeys(preferred_items)),
        logistics=_items(parsed.blocks, Section.LOGISTICS),
        benefits=_items(parsed.blocks, Section.BENEFITS),
        location=_locations(parsed, meta) or ([header_place] if header_place else []),
        additional_info=_items(parsed.blocks, Section.COMPANY)
        + _items(parsed.blocks, Section.ADDITIONAL),
        employment_type=employment_type(f"{labelled_type} {title}")
        or employment_type(logistics_text)
        or _full_or_part_time(text),
        seniority=seniority_from_title(title)
        or seniority_from_text(parsed.labels.get("seniority", "") + "\n" + text, years),
        workplace_type=workplace,
        date_posted=_date_posted(parsed, text),
        years_experience_min=years,
        education_level=education_level(required_text)
        or education_level(
            "\n".join(
                text[s:e] for s, e, sec, pref in spans if not pref and sec is not Section.PREFERRED
            )
        ),
        required_skills=required,
        preferred_skills=preferred,
        soft_skills=soft,
        source="text",
    )


def _date_posted(parsed: _Parsed, text: str) -> str:
    found = iso_date(parsed.labels.get("date", ""))
    if not found:
        match = _POSTED.search(text[:3000])
        found = iso_date(match.group("date")) if match else ""
    return found


def _full_or_part_time(text: str) -> str:
    # Whole-text scans accept only unambiguous phrases ("contract" may be a smart contract).
    match = re.search(r"\b(full|part)[- ]time\b", text, re.IGNORECASE)
    return f"{match.group(1).lower()}_time" if match else ""


def _description(lines: Sequence[SourceLine]) -> str:
    out: list[str] = []
    for line in lines:
        if line.gap_before and out:
            out.append("")
        out.append(line.text.strip())
    return "\n".join(out).strip()


def parse_text(text: str, *, hints: PostingHints | None = None) -> Job:
    """Parse pasted posting text into a Job."""
    return parse_lines(lines_from_text(text), hints=hints)
