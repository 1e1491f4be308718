"""Work experience: title, company, dates, place and bullets of each role."""

from __future__ import annotations

import re
from dataclasses import dataclass
from itertools import pairwise

from atspro.resume.model import WorkExperience
from atspro.resume.parser.entries import Entry, body_paragraphs, header_pieces, split_entries
from atspro.resume.parser.layout import Row
from atspro.resume.parser.vocab import is_location, org_score, split_location, title_score

_DATE_WORDS = re.compile(r"^(?:from|since|until|to|present|current|graduated|expected)$", re.I)


@dataclass(slots=True)
class _Piece:
    text: str
    row: Row
    order: int


def _pieces(entry: Entry) -> tuple[list[_Piece], str, Row | None]:
    """Header fields of an entry, the place found among them and the row it was on."""
    out: list[_Piece] = []
    location = ""
    place_row: Row | None = None
    order = 0
    for row in entry.header:
        for text in header_pieces(row):
            if _DATE_WORDS.match(text):
                continue
            if is_location(text):
                if not location:
                    location, place_row = text, row
                continue
            rest, place = split_location(text)
            if place and rest:
                if not location:
                    location, place_row = place, row
                text = rest
            out.append(_Piece(text, row, order))
            order += 1
    return out, location, place_row


def _at_pair(pieces: list[_Piece]) -> tuple[_Piece, _Piece] | None:
    """ "Analyst at Picard" was cut in two: the order itself says which is which."""
    for left, right in pairwise(pieces):
        if left.row is right.row and f"{left.text} at {right.text}" in left.row.text:
            return left, right
    return None


def _comma_split(text: str) -> tuple[str, str]:
    """ "Title, Company" or "Company, Title" in one piece -> (title, company)."""
    if "," not in text:
        return (text, "") if title_score(text) or not org_score(text) else ("", text)
    left, right = (p.strip() for p in text.split(",", 1))
    if title_score(right) > title_score(left) and org_score(left) >= org_score(right):
        return right, left
    return left, right


def _assign(
    pieces: list[_Piece], banner: str, place_row: Row | None = None, date_row: Row | None = None
) -> tuple[str, str]:
    """Choose the title and the company among the header pieces."""
    if not pieces:
        return "", banner
    if len(pieces) == 1:
        text = pieces[0].text
        if banner:
            return text, banner
        return _comma_split(text)
    pair = _at_pair(pieces)
    if pair is not None:
        return pair[0].text, banner or pair[1].text

    def lean(piece: _Piece) -> float:
        # The place stands beside the employer ("Acme | Austin, TX" over "Analyst | 2020"),
        # so on two header rows the place's row holds the company and the other the title.
        if place_row is None or date_row is None or place_row is date_row:
            return 0.0
        return 1.5 if piece.row is place_row else -1.5 if piece.row is date_row else 0.0

    scored = [
        (title_score(p.text) * 3 - org_score(p.text) * 2 - p.order * 0.5 - lean(p), p)
        for p in pieces
    ]
    title_piece = max(scored, key=lambda s: s[0])[1]
    others = [p for p in pieces if p is not title_piece]
    company_piece = max(
        others,
        key=lambda p: (
            org_score(p.text) * 3
            - title_score(p.text) * 2
            - abs(p.order - title_piece.order)
            + lean(p)
        ),
    )
    company = banner or company_piece.text
    return title_piece.text, company


def _is_banner(entry: Entry) -> bool:
    """An employer line above roles: no date, and the dated role row comes next."""
    if len(entry.header) < 2 or entry.date_row is None or entry.date_row is entry.header[0]:
        return False
    first, role = entry.header[0], entry.date_row
    return (
        find_pieces_count(first) == 1
        and title_score(first.text) == 0
        and (role.x0 > first.x0 + 4 or (first.bold and not role.bold))
    )


def find_pieces_count(row: Row) -> int:
    """How many header fields a row holds."""
    return len(header_pieces(row))


def _responsibilities(body: list[Row]) -> tuple[str, list[str]]:
    description: list[str] = []
    bullets: list[str] = []
    for text, bullet in body_paragraphs(body):
        if bullet or bullets:
            bullets.append(text)
        else:
            description.append(text)
    return " ".join(description), bullets


def parse_experience(rows: list[Row]) -> list[WorkExperience]:
    """Roles in an experience section, in order."""
    jobs: list[WorkExperience] = []
    banner = ""
    banner_role: Row | None = None
    for entry in split_entries(rows):
        pieces, location, place_row = _pieces(entry)
        inherited = ""
        if _is_banner(entry):
            banner = entry.header[0].text
            banner_role = entry.date_row
            pieces = [p for p in pieces if p.row is not entry.header[0]]
            inherited = banner
        elif (
            banner_role is not None
            and len({id(r) for r in entry.header}) == 1
            and abs(entry.header[0].x0 - banner_role.x0) < 3
        ):
            inherited = banner
        else:
            banner, banner_role = "", None
        if not pieces and entry.date is None:
            continue
        title, company = _assign(pieces, inherited, place_row, entry.date_row)
        description, bullets = _responsibilities(entry.body)
        if not (title or company):
            continue
        date = entry.date
        jobs.append(
            WorkExperience(
                company=company,
                position=title,
                start_date=date.start if date else "",
                end_date=date.end if date else "",
                is_current=date.is_current if date else False,
                location=location,
                description=description,
                responsibilities=bullets,
            )
        )
    return jobs
