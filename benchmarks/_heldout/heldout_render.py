"""Renderers for the held-out resumes: PDF (fpdf2), DOCX (python-docx), HTML, Markdown, text.

Each takes the sections from ``heldout_layout.compose`` and a style and returns bytes. The
PDF renderer places text itself, so it can draw sidebars and a date rail; the others write
the flow their format has (a table for a DOCX/HTML sidebar).
"""

from __future__ import annotations

import html
import io
import random

import docx
from docx.enum.text import WD_TAB_ALIGNMENT
from docx.shared import Pt
from fpdf import FPDF
from fpdf.enums import MethodReturnValue
from heldout_layout import Line, Part, Style

from atspro.render.fonts import find_unicode_font


class _Column:
    """A vertical strip of the PDF that text flows down, page after page."""

    def __init__(self, pdf: FPDF, x: float, width: float, top: float) -> None:
        self.pdf, self.x, self.width, self.y, self.page = pdf, x, width, top, 1

    def _room(self, height: float) -> None:
        if self.y + height > self.pdf.h - 50:
            self.page += 1
            if self.pdf.pages_count < self.page:
                self.pdf.add_page()
            self.y = 50
        self.pdf.page = self.page

    def write(
        self,
        text: str,
        *,
        size: float,
        style: str = "",
        right: str = "",
        indent: float = 0.0,
        mark: str = "",
        align: str = "L",
    ) -> None:
        """Write ``text`` wrapped to the column, ``right`` flush right on the first line."""
        pdf = self.pdf
        pdf.set_font(style=style, size=size)
        height = size * 1.35
        room = self.width - indent - (pdf.get_string_width(right) + 12 if right else 0)
        wrapped = pdf.multi_cell(
            max(room, 40), height, text, dry_run=True, output=MethodReturnValue.LINES
        )
        for i, part in enumerate(wrapped or [""]):
            self._room(height)
            if mark and i == 0:
                pdf.set_xy(self.x + indent - 10, self.y)
                pdf.cell(10, height, mark)
            pdf.set_xy(self.x + indent, self.y)
            pdf.cell(self.width - indent, height, part, align=align)
            if right and i == 0:
                pdf.set_font(style="", size=size)
                width = pdf.get_string_width(right)
                pdf.set_xy(self.x + self.width - width - 1, self.y)
                pdf.cell(width + 1, height, right)
                pdf.set_font(style=style, size=size)
            self.y += height

    def gap(self, points: float) -> None:
        """Leave vertical space."""
        self.y += points

    def rule(self) -> None:
        """A thin line across the column under a heading."""
        self.pdf.page = self.page
        self.pdf.line(self.x, self.y + 1, self.x + self.width, self.y + 1)
        self.y += 4


def _pdf_part(col: _Column, part: Part, style: Style, rng: random.Random, rail: float) -> None:
    size = style.size
    if part.title:
        col.gap(size * 0.8)
        col.write(part.title, size=size + 2, style="B")
        if rng.random() < 0.5:
            col.rule()
        col.gap(2)
    for line in part.lines:
        _pdf_line(col, line, style, rail)


def _pdf_line(col: _Column, line: Line, style: Style, rail: float) -> None:
    size = style.size
    font = ("B" if line.bold else "") + ("I" if line.italic else "")
    if line.role == "name":
        col.write(line.left, size=size + 12, style="B")
        col.gap(4)
        return
    if line.role == "headline":
        col.write(line.left, size=size + 1)
        return
    if line.role == "entry":
        col.gap(size * 0.4)
    if line.rail:
        # The rail holds the dates, wrapped in its own narrow column beside the entry.
        pdf = col.pdf
        pdf.set_font(style="", size=size)
        pdf.page = col.page
        parts = pdf.multi_cell(
            rail - 12, size * 1.35, line.rail, dry_run=True, output=MethodReturnValue.LINES
        )
        for i, part in enumerate(parts or []):
            pdf.set_xy(col.x, col.y + i * size * 1.35)
            pdf.cell(rail - 12, size * 1.35, part)
    indent = rail if line.role not in ("contact",) else 0.0
    if line.role == "contact":
        # A designer shrinks a long address to fit a narrow column rather than break it.
        fit = size
        col.pdf.set_font(style=font, size=fit)
        usable = col.width - indent - 2 * col.pdf.c_margin - 1
        while fit > 6.5 and col.pdf.get_string_width(line.left) > usable:
            fit -= 0.5
            col.pdf.set_font(style=font, size=fit)
        col.write(line.left, size=fit, style=font, right=line.right, indent=indent)
        return
    if line.role == "bullet":
        col.write(line.left, size=size, indent=indent + 14, mark=style.bullet)
        return
    col.write(line.left, size=size, style=font, right=line.right, indent=indent)


def render_pdf(parts: list[Part], style: Style, rng: random.Random) -> bytes:
    """The resume as a PDF drawn with fpdf2 in the style's page layout."""
    pdf = FPDF(unit="pt", format=rng.choice(("letter", "A4")))
    font = find_unicode_font()
    if font is not None:
        pdf.add_font("Sans", "", str(font.regular))
        pdf.add_font("Sans", "B", str(font.bold))
        pdf.add_font("Sans", "I", str(font.italic))
        pdf.add_font("Sans", "BI", str(font.bold_italic))
        pdf.set_font("Sans", size=style.size)
    else:  # pragma: no cover - every test machine has DejaVu
        pdf.set_font("helvetica", size=style.size)
    pdf.set_auto_page_break(False)
    pdf.add_page()
    width = pdf.w - 100
    if style.layout in ("sidebar_left", "sidebar_right"):
        side_w = 150.0
        side_x = 40.0 if style.layout == "sidebar_left" else pdf.w - 40 - side_w
        main_x = 40 + side_w + 30 if style.layout == "sidebar_left" else 40.0
        main = _Column(pdf, main_x, pdf.w - 80 - side_w - 30, 50)
        side = _Column(pdf, side_x, side_w, 50)
        for part in parts:
            _pdf_part(side if part.side else main, part, style, rng, 0.0)
    else:
        rail = 120.0 if style.layout == "date_rail" else 0.0
        col = _Column(pdf, 50, width, 50)
        for part in parts:
            _pdf_part(col, part, style, rng, rail if part.key != "name" else 0.0)
    return bytes(pdf.output())


def _docx_line(container: object, line: Line, style: Style, numbered: bool) -> None:
    add = container.add_paragraph  # type: ignore[attr-defined]
    if line.role == "bullet":
        if numbered:
            paragraph = add(line.left, style="List Bullet")
        else:
            paragraph = add(f"{style.bullet} {line.left}")
        return
    paragraph = add()
    left = line.left if not line.rail else f"{line.rail}\t{line.left}"
    run = paragraph.add_run(left)
    run.bold = line.bold or line.role == "name"
    run.italic = line.italic
    if line.role == "name":
        run.font.size = Pt(style.size + 10)
    if line.right:
        paragraph.paragraph_format.tab_stops.add_tab_stop(Pt(460), WD_TAB_ALIGNMENT.RIGHT)
        paragraph.add_run(f"\t{line.right}")


def render_docx(parts: list[Part], style: Style, rng: random.Random) -> bytes:
    """The resume as a Word document: headings as Heading styles or bold caps paragraphs."""
    document = docx.Document()
    numbered = rng.random() < 0.6
    real_headings = rng.random() < 0.5
    main: object = document
    side: object = document
    if style.layout == "table_sidebar":
        table = document.add_table(rows=1, cols=2)
        side, main = table.rows[0].cells[0], table.rows[0].cells[1]
    for part in parts:
        target = side if part.side else main
        if part.title:
            if real_headings and target is document:
                document.add_heading(part.title, level=2)
            else:
                run = target.add_paragraph().add_run(part.title)  # type: ignore[attr-defined]
                run.bold = True
                run.font.size = Pt(style.size + 2)
        for line in part.lines:
            _docx_line(target, line, style, numbered)
    out = io.BytesIO()
    document.save(out)
    return out.getvalue()


def _html_lines(lines: list[Line], style: Style) -> str:
    out: list[str] = []
    items: list[str] = []
    for line in lines:
        if line.role == "bullet":
            items.append(f"<li>{html.escape(line.left)}</li>")
            continue
        if items:
            out.append("<ul>" + "".join(items) + "</ul>")
            items = []
        text = html.escape(line.left)
        if line.role == "name":
            out.append(f"<h1>{text}</h1>")
            continue
        if line.bold:
            text = f"<strong>{text}</strong>"
        if line.italic:
            text = f"<em>{text}</em>"
        date = line.right or line.rail
        if date:
            text += f' <span class="right">{html.escape(date)}</span>'
        out.append(f"<p>{text}</p>")
    if items:
        out.append("<ul>" + "".join(items) + "</ul>")
    return "\n".join(out)


def render_html(parts: list[Part], style: Style, rng: random.Random) -> bytes:
    """The resume as an HTML page; a table holds the sidebar when there is one."""
    tag = rng.choice(("h2", "h3"))
    main: list[str] = []
    side: list[str] = []
    for part in parts:
        chunk = f"<{tag}>{html.escape(part.title)}</{tag}>\n" if part.title else ""
        chunk += _html_lines(part.lines, style)
        (side if part.side else main).append(f"<section>{chunk}</section>")
    if style.layout == "table_sidebar":
        body = (
            "<table><tr><td>" + "\n".join(side) + "</td><td>" + "\n".join(main) + "</td></tr>"
            "</table>"
        )
    else:
        body = "\n".join(main + side)
    return (
        "<!doctype html><html><head><meta charset='utf-8'><title>Resume</title>"
        "<style>.right{float:right}</style></head><body>" + body + "</body></html>"
    ).encode()


def render_markdown(parts: list[Part], style: Style, rng: random.Random) -> bytes:
    """The resume as Markdown: # name, ## headings, **entries**, - bullets."""
    joiner = rng.choice((" | ", " — ", "  \n"))
    out: list[str] = []
    for part in parts:
        if part.title:
            out.append(f"\n## {part.title}\n")
        for line in part.lines:
            date = line.right or line.rail
            if line.role == "name":
                out.append(f"# {line.left}\n")
            elif line.role == "bullet":
                out.append(f"- {line.left}")
            elif line.role == "entry":
                text = f"**{line.left}**"
                out.append(f"\n{text}{joiner}{date}" if date else f"\n{text}")
            elif line.role == "sub":
                text = f"*{line.left}*" if line.italic else line.left
                out.append(f"{text}{joiner}{date}  " if date else f"{text}  ")
            else:
                out.append(f"{line.left}  ")
    return "\n".join(out).encode()


def render_text(parts: list[Part], style: Style, rng: random.Random) -> bytes:
    """The resume as plain text: headings underlined or in caps, dates padded to the right."""
    underline = rng.random() < 0.5
    width = 90
    out: list[str] = []
    for part in parts:
        if part.title:
            out.append("")
            out.append(part.title.upper() if not underline else part.title)
            if underline:
                out.append("-" * len(part.title))
        for line in part.lines:
            date = line.right or line.rail
            if line.role == "bullet":
                out.append(f"{style.bullet} {line.left}")
            elif date:
                pad = max(4, width - len(line.left) - len(date))
                out.append(f"{line.left}{' ' * pad}{date}")
            else:
                out.append(line.left)
    return "\n".join(out).encode()


RENDERERS = {
    "pdf": render_pdf,
    "docx": render_docx,
    "html": render_html,
    "md": render_markdown,
    "txt": render_text,
}
