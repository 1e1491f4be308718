"""Markdown as a flat list of typed blocks, the shape the PDF layout works on.

A resume's Markdown (``tailoring.markdown``, ``resume.export``) is read as: a ``#`` name, the
contact line right after it, ``##`` sections, ``###`` roles (``Title — Company``) with an
optional all-italic line of dates and place, paragraphs and list items. Other documents
(research reports) use the same few kinds. Inline markup survives as styled runs.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Literal

from markdown_it import MarkdownIt
from markdown_it.token import Token

Kind = Literal[
    "title", "contact", "section", "role", "meta", "subhead", "para", "item", "code", "rule"
]

# How a role heading joins title and company, in the writers' spellings.
_ROLE_SPLIT = re.compile(r"\s+(?:\u2014|\u2013|\|)\s+")


@dataclass(frozen=True, slots=True)
class Run:
    """Text in one style; ``href`` when it is a link."""

    text: str
    bold: bool = False
    italic: bool = False
    href: str = ""


@dataclass(frozen=True, slots=True)
class Block:
    """One laid-out unit: ``depth`` nests lists and quotes, ``marker`` is a bullet or number."""

    kind: Kind
    runs: tuple[Run, ...] = ()
    depth: int = 0
    marker: str = ""


def markdown_parser() -> MarkdownIt:
    """The parser every renderer uses: CommonMark with tables, raw HTML escaped."""
    # Raw HTML stays text: tailored text is user content.
    return MarkdownIt("commonmark", {"html": False}).enable("table")


def inline_runs(token: Token) -> list[Run]:
    """The styled runs of an ``inline`` token (soft breaks become spaces, hard ones ``\\n``)."""
    runs: list[Run] = []
    bold = italic = 0
    href = ""
    for child in token.children or []:
        kind = child.type
        if kind == "strong_open":
            bold += 1
        elif kind == "strong_close":
            bold -= 1
        elif kind == "em_open":
            italic += 1
        elif kind == "em_close":
            italic -= 1
        elif kind == "link_open":
            href = str(child.attrGet("href") or "")
        elif kind == "link_close":
            href = ""
        elif kind in ("text", "code_inline", "image"):
            text = child.content
            if text:
                runs.append(Run(text, bold > 0, italic > 0, href))
        elif kind == "softbreak":
            runs.append(Run(" ", bold > 0, italic > 0, href))
        elif kind == "hardbreak":
            runs.append(Run("\n"))
    return runs


def is_meta(runs: list[Run]) -> bool:
    """True for a line that is all italic (a role's dates and place)."""
    return bool(runs) and all(r.italic or not r.text.strip() for r in runs)


def split_role(runs: tuple[Run, ...]) -> tuple[Run, ...]:
    """A role heading with its title bold and what follows the first separator regular."""
    out: list[Run] = []
    split = False
    for run in runs:
        match = None if split else _ROLE_SPLIT.search(run.text)
        if match is None:
            out.append(Run(run.text, not split or run.bold, run.italic, run.href))
            continue
        split = True
        head, tail = run.text[: match.start()], run.text[match.start() :]
        if head:
            out.append(Run(head, True, run.italic, run.href))
        out.append(Run(tail, run.bold, run.italic, run.href))
    return tuple(out)


def markdown_blocks(md: str) -> list[Block]:
    """``md`` as blocks in reading order."""
    tokens = markdown_parser().parse(md)
    blocks: list[Block] = []
    lists: list[list[int]] = []  # per open list: [next number, or -1 for bullets]
    item_started: list[bool] = []
    quote = 0
    heading = 0
    row: list[Run] = []
    header_row = in_cell = False
    for token in tokens:
        kind = token.type
        if kind == "heading_open":
            heading = int(token.tag[1:])
        elif kind in ("bullet_list_open", "ordered_list_open"):
            start = int(token.attrGet("start") or 1) if kind == "ordered_list_open" else -1
            lists.append([start])
        elif kind in ("bullet_list_close", "ordered_list_close"):
            lists.pop()
        elif kind == "list_item_open":
            item_started.append(False)
        elif kind == "list_item_close":
            item_started.pop()
        elif kind == "blockquote_open":
            quote += 1
        elif kind == "blockquote_close":
            quote -= 1
        elif kind == "thead_open":
            header_row = True
        elif kind == "thead_close":
            header_row = False
        elif kind == "tr_open":
            row = []
        elif kind == "tr_close":
            blocks.append(Block("para", tuple(row), depth=quote))
        elif kind in ("th_open", "td_open"):
            in_cell = True
        elif kind in ("th_close", "td_close"):
            in_cell = False
        elif kind == "inline" and in_cell:
            cells = [
                Run(r.text, r.bold or header_row, r.italic, r.href) for r in inline_runs(token)
            ]
            row.extend(([Run("  \u00b7  ")] if row else []) + cells)
        elif kind == "inline":
            runs = inline_runs(token)
            blocks.append(_text_block(runs, heading, blocks, lists, item_started, quote))
            heading = 0
        elif kind in ("fence", "code_block"):
            for line in token.content.rstrip("\n").split("\n"):
                blocks.append(Block("code", (Run(line),), depth=quote + len(lists)))
        elif kind == "hr":
            blocks.append(Block("rule"))
    return blocks


def _text_block(
    runs: list[Run],
    heading: int,
    before: list[Block],
    lists: list[list[int]],
    item_started: list[bool],
    quote: int,
) -> Block:
    if heading == 1:
        return Block("title", tuple(runs))
    if heading == 2:
        return Block("section", tuple(runs))
    if heading == 3:
        return Block("role", split_role(tuple(runs)))
    if heading:
        return Block("subhead", tuple(runs))
    if lists and item_started:
        marker = ""
        if not item_started[-1]:
            item_started[-1] = True
            numbering = lists[-1]
            if numbering[0] >= 0:
                marker = f"{numbering[0]}."
                numbering[0] += 1
            else:
                marker = "\u2022"
        return Block("item", tuple(runs), depth=len(lists) + quote - 1, marker=marker)
    previous = before[-1].kind if before else None
    if previous == "title" and len(before) == 1:
        return Block("contact", tuple(runs))
    if previous == "role" and is_meta(runs):
        return Block("meta", tuple(runs))
    return Block("para", tuple(runs), depth=quote)
