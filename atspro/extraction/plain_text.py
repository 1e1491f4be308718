"""Plain text: one block per non-empty line, indentation and bullet markers kept."""

from __future__ import annotations

import re

from atspro.extraction.detection import TEXT
from atspro.extraction.document import ExtractedDocument
from atspro.extraction.grid import Block, Run, layout_blocks

_BULLET = re.compile(
    "^[-*+\u2022\u00b7\u25aa\u25cf\u25e6\u2023\u2219\u2013\u2014\u25cb\u25a0\u25a1\u27a2\u25ba\u2713\u2714]\\s+\\S"
)


def extract_text(text: str) -> ExtractedDocument:
    """Lay out plain text, marking bulleted lines as list items."""
    blocks: list[Block] = []
    for raw in text.splitlines():
        expanded = raw.expandtabs(4)
        # Tabs inside the line separate fields ("Analyst<TAB>2019 - 2021"); only the
        # leading ones are indentation.
        stripped = raw.strip()
        if not stripped:
            continue
        indent = (len(expanded) - len(expanded.lstrip())) // 2
        blocks.append(
            Block(runs=[Run(stripped)], is_list_item=bool(_BULLET.match(stripped)), indent=indent)
        )
    return layout_blocks(blocks, media_type=TEXT)
