"""List-like sections: skills, languages, certifications and projects."""

# ruff: noqa: RUF001 - typographic dashes, quotes and bullets are data here.

from __future__ import annotations

import re

from atspro.resume.model import Certification, Project
from atspro.resume.parser.dates import find_date_range, remove_span
from atspro.resume.parser.entries import header_pieces, split_entries
from atspro.resume.parser.layout import Row, reaches_edge
from atspro.resume.parser.vocab import org_score

# "Languages: Python, Go" -> the label goes, the items stay.
_LABEL_RE = re.compile(r"^\s*([A-Za-zÀ-ÿ][\w &/+\-]{0,40}?)\s*[:：]\s*")
_ITEM_SPLIT = re.compile(r"\s*(?:[,;|•·●▪◦∙]|\s[-–—]\s|\s{3,}|\t)\s*")
_PROFICIENCY_RE = re.compile(
    r"\s*[(\[–—-]?\s*\b(?:native|fluent|bilingual|proficient|professional|conversational|"
    r"intermediate|basic|beginner|advanced|elementary|limited|working|full|mother tongue|"
    r"[ABC][12])\b.*$",
    re.I,
)


def _unwrapped(rows: list[Row]) -> list[str]:
    """Row segments, with a list that wrapped at the right edge joined back together."""
    texts: list[str] = []
    previous: Row | None = None
    for row in rows:
        segments = row.segments or [row.text]
        if (
            previous is not None
            and texts
            and (reaches_edge(previous, row) or _hangs_under(previous, row))
            and not row.bullet
            and not texts[-1].rstrip().endswith((",", ";", "|", "•", "·"))
            and len(segments) == 1
        ):
            texts[-1] = f"{texts[-1]} {segments[0]}"
        else:
            texts.extend(segments)
        previous = row
    return texts


def _hangs_under(bullet: Row, row: Row) -> bool:
    """ "Electronic Health" / "Records": a bullet's second line, indented under its text."""
    return (
        bullet.bullet
        and row.page == bullet.page
        and row.column == bullet.column
        and row.x0 > bullet.x0 + 2
        and 0 <= row.top - bullet.bottom < 0.6 * bullet.size
    )


def split_items(rows: list[Row]) -> list[str]:
    """Items of a list section split on commas, bullets and pipes, labels removed."""
    return _split_texts([seg for row in rows for seg in (row.segments or [row.text])])


def _split_texts(texts: list[str]) -> list[str]:
    items: list[str] = []
    seen: set[str] = set()
    for segment in texts:
        text = _LABEL_RE.sub("", segment, count=1)
        if text == segment and segment.rstrip().endswith(":"):
            continue
        for part in _ITEM_SPLIT.split(text):
            part = part.strip(" .;:*")
            # Sentences are not skills; neither are bare numbers.
            if not part or len(part.split()) > 6 or not any(c.isalpha() for c in part):
                continue
            key = part.lower()
            if key not in seen:
                seen.add(key)
                items.append(part)
    return items


def parse_skills(rows: list[Row]) -> list[str]:
    """Skills from a skills section, one item each."""
    # Sub-headings inside the section ("PROGRAMMING", "Over 5000 lines:") are labels.
    kept = [r for r in rows if not (r.text.rstrip().endswith(":") and len(r.segments) <= 1)]
    return _split_texts(_unwrapped(kept))


def parse_languages(rows: list[Row]) -> list[str]:
    """Spoken languages, without the proficiency notes."""
    out: list[str] = []
    for item in split_items(rows):
        name = _PROFICIENCY_RE.sub("", item).strip(" ()-–—:")
        if name and name not in out:
            out.append(name)
    return out


def parse_certifications(rows: list[Row]) -> list[Certification]:
    """One certification per row or bullet: name, issuer and dates."""
    certs: list[Certification] = []
    for row in rows:
        if not row.bullet and certs and row.text[:1].islower():
            continue
        text = row.text
        date = find_date_range(text)
        obtained = expires = ""
        if date is not None:
            obtained = date.start
            expires = date.end
            text = remove_span(text, date.begin, date.finish)
        credential = ""
        cred_match = re.search(
            r"(?:credential(?: id)?|id|license(?: no\.?)?)\s*[:#]\s*(\S+)", text, re.I
        )
        if cred_match:
            credential = cred_match.group(1)
            text = text[: cred_match.start()].strip(" ,|-–—")
        name, issuer = text, ""
        separators = list(re.finditer(r"\s+[|–—-]\s+|,\s+|\s+by\s+", text))
        if separators:
            last = separators[-1]
            tail = text[last.end() :].strip()
            if (
                0 < len(tail.split()) <= 6
                and org_score(tail) >= org_score(text[: last.start()]) - 2
            ):
                name, issuer = text[: last.start()], tail
        name = name.strip(" ,;:()")
        if name and len(name.split()) <= 16:
            certs.append(
                Certification(
                    name=name,
                    issuer=issuer,
                    date_obtained=obtained,
                    expiration_date=expires,
                    credential_id=credential,
                )
            )
    return certs


def parse_projects(rows: list[Row]) -> list[Project]:
    """Projects: a name from each entry's header, the body as description."""
    projects: list[Project] = []
    url_re = re.compile(r"(?:https?://|www\.|github\.com/)\S+")
    for entry in split_entries(rows):
        pieces = [p for r in entry.header for p in header_pieces(r)]
        body = " ".join(r.text for r in entry.body)
        if not pieces:
            continue
        name = pieces[0]
        if ":" in name and not entry.body:
            name, _, rest = name.partition(":")
            body = rest.strip()
        url_match = url_re.search(" ".join(r.text for r in entry.header + entry.body))
        projects.append(
            Project(
                name=name.strip(),
                description=body,
                url=url_match.group(0) if url_match else "",
                skills=[p for p in pieces[1:] if len(p.split()) <= 3],
            )
        )
    return projects
