"""Page breaks for a column of fixed-height boxes, with keep-together rules.

A box that must stay on the same page as the next one says so (``keep_with_next``): headings
with their first lines, the first and next-to-last lines of a paragraph (no orphan or widow
line), the next-to-last line of the document (no page holding a single line). Space above a
box is dropped when it starts a page.
"""

from __future__ import annotations

from dataclasses import dataclass

# Float slack so a column that fits exactly is not pushed over by rounding.
_EPS = 0.01


@dataclass(frozen=True, slots=True)
class Box:
    """Height and spacing in points; whether the page may not break after it."""

    height: float
    space_before: float = 0.0
    keep_with_next: bool = False


def paginate(boxes: list[Box], available: float) -> list[range]:
    """The index ranges of ``boxes`` per page, each at most ``available`` high when possible.

    A break goes before the box that does not fit, moved back past boxes that keep with
    their next; when a whole page is kept together, the keep rules give way.
    """
    pages: list[range] = []
    start, used, i = 0, 0.0, 0
    while i < len(boxes):
        box = boxes[i]
        height = box.height + (box.space_before if i > start else 0.0)
        if i == start or used + height <= available + _EPS:
            used += height
            i += 1
            continue
        cut = i
        while cut > start and boxes[cut - 1].keep_with_next:
            cut -= 1
        if cut == start:
            cut = i
        pages.append(range(start, cut))
        start, used, i = cut, 0.0, cut
    if start < len(boxes) or not pages:
        pages.append(range(start, len(boxes)))
    return pages
