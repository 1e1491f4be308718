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
from atspro.jobs.roles import SKILL_ROLES, Role, blurb_subject, placement, role_of
from atspro.jobs.salary import parse_salary
from atspro.jobs.skill_names import accepted_skills, employer_names
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
    r"controller|buyer|producer|artist|photographer|investigator|scrum master|devops|sre|"
    r"supervisor|superintendent|foreman|handler)s?\b",
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
# "Acme is an equal opportunity employer": legal text names the employer, not a team.
_EMPLOYER_STATEMENT = re.compile(
    r"(?:^|[.;]\s+|\bat\s+)(?P<company>[A-Z][\w&.'\u2019-]*(?:\s+[A-Z][\w&.'\u2019-]*){0,3}),?\s+"
    r"(?i:(?:is|are)\s+(?:an?\s+|proud(?:ly)?\s+(?:to be\s+)?(?:an?\s+)?)?(?:equal|eeo))"
)
_MAKES = re.compile(
    r"\b(?:builds?|makes?|created?|develops?|launched|runs|offers|maker of|creators? of|home of)\s+"
    r"(?:the\s+)?(?P<name>[A-Z][\w.-]+(?:\s+[A-Z][\w.-]+){0,2})"
)
_RUN_ON = frozenset({Role.LEGAL, Role.APPLICATION})
_NAME_PART = re.compile(r"[A-Z][\w.'\u2019-]+(?:\s+[A-Z][\w.'\u2019-]+){0,2}")
_TEAM_WORD = re.compile(r"\b(?:team|labs?|group|platform|squad|division|studio)\b", re.I)
_URL = re.compile(r"https?://[^\s<>\"']+")
_APPLY_WORD = re.compile(r"\bapply\b|\bapplication\b", re.I)
_AS_TITLE = re.compile(
    r"\b(?:[Aa]s|hiring|seeking|looking for|join us as)\s+(?:an?|our|the)\s+"
    r"(?P<title>(?:[A-Z][\w/&+-]*\s+){0,4}[A-Z][\w/&+-]*)"
)
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
    kind: str  # heading | item | para (units: heading | item | sentence)
    text: str
    section: Section = Section.SUMMARY
    last_line: int = 0  # length of the block's last source line
    role: Role = Role.OTHER


@dataclass(frozen=True, slots=True)
class LabelledUnit:
    """One heading, list item or sentence of a posting, with the role it plays."""

    text: str
    kind: str  # heading | item | sentence
    role: Role


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


def _units(blocks: Iterable[_Block]) -> list[_Block]:
    """Blocks cut into list items and sentences, each with its role and the field it fills."""
    units: list[_Block] = []
    # Legal text and application instructions run on: every sentence under such a heading,
    # or after such a sentence in one paragraph, plays the same part.
    heading_role = Role.OTHER
    for block in blocks:
        if block.kind == "heading":
            heading_role = role_of(block.section, block.text)
            units.append(_Block("heading", block.text, block.section, role=heading_role))
            continue
        parts = [block.text] if block.kind == "item" else _sentences(block.text) or [block.text]
        under = heading_role if heading_role in _RUN_ON else None
        carried: Role | None = None
        for part in parts:
            own = role_of(block.section, part)
            # A paragraph's own run wins; a cue in the text wins over the heading's.
            role = carried or (own if own in _RUN_ON else under) or own
            if block.kind == "para" and role in _RUN_ON:
                carried = role
            # Asks read in untitled prose feed skills but stay in the summary they came from.
            untitled = block.section is Section.SUMMARY and role in SKILL_ROLES
            section = block.section if untitled else placement(role, block.section)
            kind = "item" if block.kind == "item" else "sentence"
            units.append(_Block(kind, part, section, role=role))
    return units


def _items(units: Iterable[_Block], section: Section) -> list[str]:
    return list(
        dict.fromkeys(u.text for u in units if u.section is section and u.kind != "heading")
    )


def _looks_like_title(text: str) -> bool:
    words = text.split()
    return 0 < len(words) <= 10 and bool(_JOB_NOUN.search(text)) and not text.endswith(".")


def _title_and_company(
    parsed: _Parsed, text: str, hints: PostingHints, header_company: str
) -> tuple[str, str]:
    title = hints.title or parsed.labels.get("title", "")
    # The posting's own words about its employer outrank a header line, which often
    # names a team or product ("Nimbus Labs - San Francisco").
    company = (
        hints.company
        or parsed.labels.get("company", "")
        or _named_employer(parsed)
        or header_company
    )
    candidates = [*parsed.title_candidates]
    if hints.page_title:
        candidates.extend(
            p.strip() for p in re.split(r"\s+[|\u2013\u2014-]\s+|\s+[|]\s*", hints.page_title)
        )
    if not title:
        title = next((c for c in candidates if _looks_like_title(c)), "")
    if not title:
        # A short first line ("Web Developer at Acme") is the title of many pasted posts.
        short = (
            b.text
            for b in parsed.blocks[:2]
            if b.kind == "para" and len(b.text.split()) <= 10 and not re.search(r"[;:]|^\d", b.text)
        )
        title = next((c for c in short if _looks_like_title(c)), "")
    if not title:
        match = _HIRING_SENTENCE.search(text[:2000])
        if match and _looks_like_title(match.group("title")):
            title = match.group("title").strip()
    at = _AT_COMPANY.search(title)
    if at:
        company = company or at.group("company")
        title = title[: at.start()].strip()
    if not company:
        company = _company_from_text(parsed, text, hints)
    title = re.sub(r"\s*[(\[]?\s*[mwfdx]/[mwfdx](?:/[mwfdx])?\s*[)\]]?$", "", title)
    title = re.sub(r"\s*\([^)]*\b(?:years?|experience|yrs)\b[^)]*\)\s*$", "", title, flags=re.I)
    # Terms of the contract in brackets are facts of their own, not part of the title.
    title = re.sub(
        r"\s*\((?:[^)]*\b(?:cover|fixed[- ]term|temporary|contract|part[- ]time|full[- ]time|"
        r"remote|hybrid|maternity|parental)\b[^)]*)\)\s*$",
        "",
        title,
        flags=re.I,
    )
    if title.count("(") > title.count(")"):
        title = title[: title.rfind("(")]  # a parenthesis cut off by a line break
    return title.strip(), company


def _named_employer(parsed: _Parsed) -> str:
    """The employer as legal text or an "About X" heading names it."""
    for block in parsed.blocks:
        match = _EMPLOYER_STATEMENT.search(block.text)
        if match and match.group("company").lower() not in _STOP_COMPANY:
            return match.group("company")
    for block in parsed.blocks:
        if block.kind == "heading" and block.section is Section.COMPANY:
            match = re.fullmatch(r"about\s+(.{2,40})", block.text, re.IGNORECASE)
            if match and match.group(1).lower() not in _STOP_COMPANY:
                return match.group(1)
    for block in parsed.blocks[:8]:
        if block.kind != "heading" and block.section in (Section.SUMMARY, Section.COMPANY):
            name = blurb_subject(block.text)
            if name and name.lower() not in _STOP_COMPANY and not _JOB_NOUN.search(name):
                return name
    return ""


def _company_from_text(parsed: _Parsed, text: str, hints: PostingHints) -> str:
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


def _locations(parsed: _Parsed, meta: list[str], company: str, title: str) -> list[str]:
    label = parsed.labels.get("location", "")
    if label:
        return [p.strip() for p in re.split(r"\s*(?:;|\||/| or )\s*", label) if p.strip()]
    found = [p for p in meta if _PLACE.match(p.strip()) and not employment_type(p)]
    # "Team - City" and "Acme · Berlin": after the first name-like part (the employer or a
    # team) a bare name is the place.
    names = [p for p in meta if _NAME_PART.fullmatch(p.strip()) and not _is_fact(p, title)]
    known = {company.lower(), title.lower()}
    found.extend(p for p in names[1:] if p.lower() not in known and not _TEAM_WORD.search(p))
    return list(dict.fromkeys(p.strip() for p in found))


def _is_fact(part: str, title: str) -> bool:
    """A header fragment that states a fact other than a name: type, workplace, pay, date."""
    return bool(
        employment_type(part)
        or workplace_type(part) is not WorkplaceType.UNKNOWN
        or parse_salary(part) is not None
        or iso_date(part)
        or part.strip().lower() == title.lower()
        or _JOB_NOUN.search(part)
    )


def _products(units: Iterable[_Block], company: str, header_company: str) -> list[str]:
    """Names the company blurb says the employer makes, and a header team or product name."""
    found: list[str] = []
    for unit in units:
        if unit.role is Role.COMPANY:
            found.extend(m.group("name") for m in _MAKES.finditer(unit.text))
    if header_company and header_company.lower() != company.lower():
        found.append(header_company)
    return [n for n in dict.fromkeys(found) if n.lower() not in _STOP_COMPANY]


def _apply_link(units: Iterable[_Block]) -> str:
    """The address an application instruction points to."""
    for unit in units:
        if unit.role is Role.APPLICATION or _APPLY_WORD.search(unit.text):
            match = _URL.search(unit.text)
            if match:
                return match.group(0).rstrip(".,;:)")
    return ""


def _body_seniority(text: str) -> str:
    """ "As a Senior Research Engineer, you ..." states the level the title may omit."""
    for match in _AS_TITLE.finditer(text[:4000]):
        if _JOB_NOUN.search(match.group("title")):
            found = seniority_from_title(match.group("title"))
            if found:
                return found
    return ""


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
    units: Sequence[_Block], names: Sequence[str]
) -> tuple[list[str], list[str], list[str]]:
    """Required, preferred and soft skills: hard skills come from asks and duties only."""
    pieces: list[str] = []
    spans: list[tuple[int, int, Role, bool]] = []
    offset = 0
    for unit in units:
        # Untitled prose may still name soft skills; nothing else outside asks and duties.
        if unit.kind == "heading" or (
            unit.role not in SKILL_ROLES
            and not (unit.role is Role.OTHER and unit.section is Section.SUMMARY)
        ):
            continue
        pref = bool(_PREFERRED_CUE.search(unit.text))
        spans.append((offset, offset + len(unit.text), unit.role, pref))
        pieces.append(unit.text)
        offset += len(unit.text) + 1
    text = "\n".join(pieces)
    required: list[str] = []
    preferred: list[str] = []
    soft: list[str] = []
    for mention in accepted_skills(text, find_skills(text), names=names):
        where = next(((r, p) for start, end, r, p in spans if start <= mention.start < end), None)
        if where is None:
            continue
        role, preferred_cue = where
        if mention.kind == "soft":
            soft.append(mention.canonical)
        elif role is Role.PREFERRED or (preferred_cue and role is Role.REQUIRED):
            preferred.append(mention.canonical)
        elif role in SKILL_ROLES:
            required.append(mention.canonical)
    required = list(dict.fromkeys(required))
    preferred = [s for s in dict.fromkeys(preferred) if s not in required]
    return required, preferred, list(dict.fromkeys(soft))


def label_lines(lines: Sequence[SourceLine]) -> list[LabelledUnit]:
    """Every heading, list item and sentence of a posting with the role it plays."""
    parsed = _structure(lines)
    _header_company_place(parsed)
    _meta_parts(parsed)
    return [LabelledUnit(u.text, u.kind, u.role) for u in _units(parsed.blocks)]


def parse_lines(lines: Sequence[SourceLine], *, hints: PostingHints | None = None) -> Job:
    """Parse posting lines into a Job (offline, deterministic)."""
    hints = hints or PostingHints()
    parsed = _structure(lines)
    header_company, header_place = _header_company_place(parsed)
    meta = _meta_parts(parsed)
    header_company = header_company or _meta_company(meta)
    units = _units(parsed.blocks)
    text = "\n".join(u.text for u in units)
    title, company = _title_and_company(parsed, text, hints, header_company)
    required_text = "\n".join(u.text for u in units if u.role is Role.REQUIRED)
    preferred_items = _items(units, Section.PREFERRED)
    qualifications = _items(units, Section.REQUIRED)
    logistics_text = " ".join([*meta, *_items(units, Section.LOGISTICS)])
    labelled_type = parsed.labels.get("employment", "")
    years = years_experience(required_text) or years_experience(text)
    workplace = workplace_type(
        " ".join([parsed.labels.get("workplace", ""), title, logistics_text])
    )
    if workplace is WorkplaceType.UNKNOWN:
        workplace = workplace_type(text)
    names = employer_names(company, _products(units, company, header_company))
    required, preferred, soft = _skills(units, names)
    return Job(
        title=title,
        company=company,
        description=_description(lines),
        salary=_salary(parsed, text),
        responsibilities=_items(units, Section.RESPONSIBILITIES),
        qualifications=qualifications,
        preferred_qualifications=preferred_items,
        logistics=_items(units, Section.LOGISTICS),
        benefits=_items(units, Section.BENEFITS),
        location=_locations(parsed, meta, company, title)
        or ([header_place] if header_place else []),
        additional_info=_items(units, Section.COMPANY) + _items(units, Section.ADDITIONAL),
        link=_apply_link(units),
        employment_type=employment_type(f"{labelled_type} {title}")
        or employment_type(logistics_text)
        or _full_or_part_time(text),
        seniority=seniority_from_title(title)
        or _body_seniority(text)
        or seniority_from_text(parsed.labels.get("seniority", "") + "\n" + text, years),
        workplace_type=workplace,
        date_posted=_date_posted(parsed, text),
        years_experience_min=years,
        education_level=education_level(required_text)
        or education_level(
            "\n".join(u.text for u in units if u.role not in (Role.PREFERRED, Role.LEGAL))
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
    if match:
        return f"{match.group(1).lower()}_time"
    return "contract" if re.search(r"\bfixed[- ]term\b", text, re.IGNORECASE) else ""


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
