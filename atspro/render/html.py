"""Markdown to a standalone HTML page (CommonMark with tables) with its styles embedded."""

from __future__ import annotations

import html

from markdown_it.token import Token

from atspro.render.blocks import inline_runs, is_meta, markdown_parser

# Embedded so the page looks the same offline and when printed: no fonts or sheets fetched.
# The hierarchy matches the PDF: a large name, the contact line under it, ruled upper-case
# section headings, role lines with dates to the right, compact bullets.
CSS = """\
@page { margin: 0.6in 0.75in; }
html { background: #fff; }
body {
  max-width: 7in; margin: 0.6in auto; padding: 0 0.25in; color: #212121;
  font: 10pt/1.35 "Helvetica Neue", Helvetica, Arial, "DejaVu Sans", sans-serif;
}
h1 { font-size: 21pt; line-height: 1.2; text-align: center; margin: 0; }
h1 + p { text-align: center; color: #5a5a5a; font-size: 9pt; margin: 2pt 0 0; }
h2 {
  font-size: 10.5pt; text-transform: uppercase; letter-spacing: 0.04em; color: #1f3d6b;
  border-bottom: 0.6pt solid #aab2be; padding-bottom: 2pt; margin: 11pt 0 4pt;
}
h3 { font-size: 10.5pt; margin: 8pt 0 1pt; }
h4, h5, h6 { font-size: 10pt; margin: 5pt 0 1pt; }
.role { display: flex; justify-content: space-between; align-items: baseline; gap: 12pt; }
.role h3 { margin-bottom: 1pt; }
.meta { color: #5a5a5a; font-size: 9.5pt; margin: 8pt 0 1pt; white-space: nowrap; }
p { margin: 3pt 0 0; }
ul, ol { margin: 2pt 0 0; padding-left: 13pt; }
li { margin: 1.5pt 0 0; }
a { color: inherit; }
table { border-collapse: collapse; margin-top: 3pt; }
th, td { text-align: left; padding: 1pt 8pt 1pt 0; }
pre { font-size: 9pt; white-space: pre-wrap; color: #5a5a5a; }
h1, h2, h3, h4, .role { break-after: avoid; page-break-after: avoid; }
li, p { orphans: 2; widows: 2; }
li { break-inside: avoid; }
@media print { body { margin: 0; padding: 0; max-width: none; } }
"""


def _wrap_roles(tokens: list[Token]) -> list[Token]:
    """A ``###`` heading and the all-italic line after it, in one ``div.role`` row."""
    out: list[Token] = []
    i = 0
    while i < len(tokens):
        head = tokens[i : i + 6]
        if (
            len(head) == 6
            and head[0].type == "heading_open"
            and head[0].tag == "h3"
            and head[3].type == "paragraph_open"
            and is_meta(inline_runs(head[4]))
        ):
            head[3].attrSet("class", "meta")
            out.append(Token("html_block", "", 0, content='<div class="role">\n'))
            out.extend(head)
            out.append(Token("html_block", "", 0, content="</div>\n"))
            i += 6
        else:
            out.append(tokens[i])
            i += 1
    return out


def markdown_body(md: str) -> str:
    """The HTML fragment for ``md``."""
    parser = markdown_parser()
    tokens = _wrap_roles(parser.parse(md))
    return str(parser.renderer.render(tokens, parser.options, {}))


def markdown_to_html(md: str, *, title: str = "Resume") -> str:
    """A complete UTF-8 HTML document for ``md``, styled for screen and print."""
    return (
        '<!DOCTYPE html>\n<html>\n<head>\n<meta charset="utf-8">\n'
        '<meta name="viewport" content="width=device-width, initial-scale=1">\n'
        f"<title>{html.escape(title)}</title>\n<style>\n{CSS}</style>\n</head>\n<body>\n"
        f"{markdown_body(md)}</body>\n</html>\n"
    )
