"""Page furniture: running headers, footers and page numbers that are not resume content.

A footer such as "June 3, 2026 · Jane Smith · Résumé · 2" repeats on every page at the
same height; read as content it becomes a phantom job or splits an entry across pages.
"""

# ruff: noqa: RUF001 - typographic dashes are data here.

from __future__ import annotations

import re
from collections import defaultdict
from typing import Protocol, TypeVar

_PAGE_NUMBER_RE = re.compile(
    r"(?:page|seite|página|pagina)?\s*\d{1,3}(?:\s*(?:of|/|von|de|di)\s*\d{1,3})?"
    r"|[-–—]\s*\d{1,3}\s*[-–—]",
    re.IGNORECASE,
)


class _Placed(Protocol):
    text: str
    page: int
    top: float
    bottom: float


T = TypeVar("T", bound=_Placed)


def _key(text: str) -> str:
    """The text with numbers masked, so "Page 1" and "Page 2" compare equal."""
    return re.sub(r"\d+", "#", " ".join(text.lower().split()))


def _edge_rows(rows: list[T]) -> tuple[set[int], set[int]]:
    """Positions of each page's first two and last two rows by height: (tops, bottoms)."""
    by_page: dict[int, list[int]] = defaultdict(list)
    for i, row in enumerate(rows):
        by_page[row.page].append(i)
    tops: set[int] = set()
    bottoms: set[int] = set()
    for members in by_page.values():
        ordered = sorted(members, key=lambda i: rows[i].top)
        tops.update(ordered[:2])
        bottoms.update(ordered[-2:])
    return tops, bottoms


def drop_page_furniture(rows: list[T]) -> list[T]:
    """``rows`` without running headers/footers (repeated at one height on several pages)
    and without bare page numbers at the top or bottom of a page."""
    if not rows:
        return rows
    tops, bottoms = _edge_rows(rows)
    edges = tops | bottoms
    pages = {r.page for r in rows}
    seen: dict[str, list[tuple[int, float]]] = defaultdict(list)
    for i in edges:
        seen[_key(rows[i].text)].append((rows[i].page, rows[i].top))
    furniture: set[int] = set()
    for i in edges:
        row = rows[i]
        if _PAGE_NUMBER_RE.fullmatch(row.text.strip()):
            furniture.add(i)
            continue
        places = seen[_key(row.text)]
        same_height = {p for p, top in places if abs(top - row.top) <= 3.0}
        # The first page's top rows hold the name, which a running header repeats.
        first_page_head = row.page == min(pages) and i in tops and i not in bottoms
        if len(pages) >= 2 and len(same_height) >= 2 and not first_page_head:
            furniture.add(i)
    return [r for i, r in enumerate(rows) if i not in furniture]
