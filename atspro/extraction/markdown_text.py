"""Markdown with markdown-it-py: ``#`` headings, ``**bold**``, list items, tables.

Soft line breaks are kept as line breaks: resumes written in Markdown often put a name,
an email and a phone number on consecutive lines of one paragraph.
"""

from __future__ import annotations

import re

from markdown_it import MarkdownIt
from markdown_it.token import Token

from atspro.extraction.detection import MARKDOWN
from atspro.extraction.document import ExtractedDocument
from atspro.extraction.grid import Block, Run, layout_blocks, with_target

_TAG = re.compile(r"<[^>]+>")


def _inline_runs(token: Token) -> list[Run]:
    runs: list[Run] = []
    bold = italic = 0
    link: list[str] = []
    href: str | None = None
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
            href, link = str(child.attrs.get("href", "")), []
        elif kind == "link_close":
            runs.append(Run(with_target("".join(link), href), bold > 0, italic > 0))
            href = None
        elif kind in ("softbreak", "hardbreak"):
            runs.append(Run("\n"))
        elif kind in ("text", "code_inline", "html_inline"):
            text = _TAG.sub("", child.content) if kind == "html_inline" else child.content
            if href is not None:
                link.append(text)
            else:
                runs.append(Run(text, bold > 0, italic > 0))
        elif kind == "image":
            runs.append(Run(child.content))
    return runs


def extract_markdown(text: str) -> ExtractedDocument:
    """Extract Markdown as lines, with heading levels, bold runs and list items."""
    tokens = MarkdownIt("commonmark").enable("table").parse(text)
    blocks: list[Block] = []
    list_depth = 0
    in_item = 0
    heading = 0
    row: list[Run] | None = None
    for token in tokens:
        kind = token.type
        if kind in ("bullet_list_open", "ordered_list_open"):
            list_depth += 1
        elif kind in ("bullet_list_close", "ordered_list_close"):
            list_depth -= 1
        elif kind == "list_item_open":
            in_item += 1
        elif kind == "list_item_close":
            in_item -= 1
        elif kind == "heading_open":
            heading = int(token.tag[1])
        elif kind == "heading_close":
            heading = 0
        elif kind == "tr_open":
            row = []
        elif kind == "tr_close" and row is not None:
            blocks.append(Block(runs=row))
            row = None
        elif kind == "inline" and row is not None:
            if row:
                row.append(Run(" | "))
            row.extend(_inline_runs(token))
        elif kind == "inline":
            blocks.append(
                Block(
                    runs=_inline_runs(token),
                    heading_level=heading,
                    is_list_item=in_item > 0,
                    indent=max(list_depth - 1, 0),
                )
            )
        elif kind in ("fence", "code_block", "html_block"):
            content = _TAG.sub("", token.content) if kind == "html_block" else token.content
            blocks.extend(Block(runs=[Run(line)]) for line in content.splitlines())
    return layout_blocks(blocks, media_type=MARKDOWN)
