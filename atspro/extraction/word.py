"""DOCX with python-docx: body paragraphs and tables in order, headers and footers too."""

from __future__ import annotations

import io
from collections.abc import Iterator

import docx
from docx.document import Document
from docx.enum.style import WD_STYLE_TYPE
from docx.oxml.ns import qn
from docx.section import _Footer, _Header
from docx.styles.style import BaseStyle
from docx.table import Table, _Cell
from docx.text.hyperlink import Hyperlink
from docx.text.paragraph import Paragraph
from docx.text.run import Run as DocxRun

from atspro.extraction.archive import open_archive
from atspro.extraction.detection import DOCX
from atspro.extraction.document import ExtractedDocument
from atspro.extraction.grid import Block, Run, layout_blocks, with_target
from atspro.extraction.limits import ExtractionLimits

_FALLBACK = "{http://schemas.openxmlformats.org/markup-compatibility/2006}Fallback"
_TEXT_BOX = qn("w:txbxContent")


def _style_chain(style: BaseStyle | None) -> Iterator[BaseStyle]:
    seen = 0
    while style is not None and seen < 20:
        yield style
        style = getattr(style, "base_style", None)
        seen += 1


def _chain_bold(style: BaseStyle | None) -> bool | None:
    for item in _style_chain(style):
        bold = getattr(item, "font", None) and item.font.bold  # type: ignore[attr-defined]
        if bold is not None:
            return bool(bold)
    return None


def _chain_heading(style: BaseStyle | None) -> int:
    for item in _style_chain(style):
        name = (item.name or "").lower()
        if name == "title":
            return 1
        if name.startswith("heading ") and name[8:].strip().isdigit():
            return min(int(name[8:]), 6)
    return 0


def _chain_list(style: BaseStyle | None) -> int | None:
    for item in _style_chain(style):
        name = (item.name or "").lower()
        if name.startswith("list") and name != "list paragraph":
            # "List Bullet 2" is the second level.
            last = name.rsplit(" ", 1)[-1]
            return int(last) - 1 if last.isdigit() and int(last) > 0 else 0
        if item.element.find(f"{qn('w:pPr')}/{qn('w:numPr')}") is not None:
            return 0
    return None


class _Styles:
    """What each style means, worked out once per style id.

    python-docx resolves a paragraph's or run's style on every access, scanning every
    style of the document for the default one (milliseconds per paragraph): a document of
    many plain paragraphs took minutes.
    """

    def __init__(self, document: Document) -> None:
        self._part = document.part
        self._bold: dict[tuple[str | None, WD_STYLE_TYPE], bool | None] = {}
        self._heading: dict[str | None, int] = {}
        self._list: dict[str | None, int | None] = {}

    def _style(self, style_id: str | None, kind: WD_STYLE_TYPE) -> BaseStyle | None:
        return self._part.get_style(style_id, kind)

    def bold(self, style_id: str | None, kind: WD_STYLE_TYPE) -> bool | None:
        key = (style_id, kind)
        if key not in self._bold:
            self._bold[key] = _chain_bold(self._style(style_id, kind))
        return self._bold[key]

    def heading(self, style_id: str | None) -> int:
        if style_id not in self._heading:
            self._heading[style_id] = _chain_heading(self._style(style_id, WD_STYLE_TYPE.PARAGRAPH))
        return self._heading[style_id]

    def list_level(self, style_id: str | None) -> int | None:
        if style_id not in self._list:
            self._list[style_id] = _chain_list(self._style(style_id, WD_STYLE_TYPE.PARAGRAPH))
        return self._list[style_id]


def _heading_level(paragraph: Paragraph, styles: _Styles) -> int:
    p_pr = paragraph._p.pPr
    if p_pr is not None:
        outline = p_pr.find(qn("w:outlineLvl"))
        value = outline.get(qn("w:val")) if outline is not None else None
        if value is not None and value.isdigit() and int(value) < 9:
            return int(value) + 1
    return styles.heading(paragraph._p.style)


def _list_level(paragraph: Paragraph, styles: _Styles) -> int | None:
    """Nesting level when the paragraph is a list item, else None."""
    p_pr = paragraph._p.pPr
    num_pr = p_pr.find(qn("w:numPr")) if p_pr is not None else None
    if num_pr is not None:
        ilvl = num_pr.find(qn("w:ilvl"))
        value = ilvl.get(qn("w:val"), "0") if ilvl is not None else "0"
        return int(value) if value.isdigit() else 0
    return styles.list_level(paragraph._p.style)


def _run(run: DocxRun, paragraph_bold: bool | None, styles: _Styles) -> Run:
    bold = run.bold
    if bold is None:
        bold = styles.bold(run._r.style, WD_STYLE_TYPE.CHARACTER)
    if bold is None:
        bold = paragraph_bold
    return Run(run.text, bold=bool(bold), italic=bool(run.italic))


def _paragraph_blocks(paragraph: Paragraph, styles: _Styles) -> Iterator[Block]:
    # Text boxes (sidebars in many templates) hang off runs; Fallback copies are skipped.
    for box in paragraph._p.iter(_TEXT_BOX):
        if any(a.tag == _FALLBACK for a in box.iterancestors()):
            continue
        for child in box.iterchildren(qn("w:p")):
            yield from _paragraph_blocks(Paragraph(child, paragraph._parent), styles)
    paragraph_bold = styles.bold(paragraph._p.style, WD_STYLE_TYPE.PARAGRAPH)
    runs: list[Run] = []
    for item in paragraph.iter_inner_content():
        if isinstance(item, Hyperlink):
            inner = [_run(r, paragraph_bold, styles) for r in item.runs]
            text = with_target("".join(r.text for r in inner), item.url)
            runs.append(Run(text, bold=any(r.bold for r in inner)))
        else:
            runs.append(_run(item, paragraph_bold, styles))
    level = _list_level(paragraph, styles)
    yield Block(
        runs=runs,
        heading_level=_heading_level(paragraph, styles),
        is_list_item=level is not None,
        indent=level or 0,
    )


def _table_blocks(table: Table, styles: _Styles) -> Iterator[Block]:
    seen: set[int] = set()
    for row in table.rows:
        for cell in row.cells:
            # Merged cells come back once per grid column they span.
            if id(cell._tc) in seen:
                continue
            seen.add(id(cell._tc))
            yield from _container_blocks(cell, styles)


def _container_blocks(
    container: Document | _Cell | _Header | _Footer, styles: _Styles
) -> Iterator[Block]:
    for item in container.iter_inner_content():
        if isinstance(item, Paragraph):
            yield from _paragraph_blocks(item, styles)
        else:
            yield from _table_blocks(item, styles)


def _margin_blocks(document: Document, styles: _Styles, *, footer: bool) -> list[Block]:
    blocks: list[Block] = []
    seen: set[str] = set()
    for section in document.sections:
        parts: list[_Header | _Footer] = [section.footer if footer else section.header]
        if section.different_first_page_header_footer:
            parts.insert(0, section.first_page_footer if footer else section.first_page_header)
        for part in parts:
            if part.is_linked_to_previous:
                continue
            for block in _container_blocks(part, styles):
                key = "".join(r.text for r in block.runs).strip()
                if key and key not in seen:
                    seen.add(key)
                    blocks.append(block)
    return blocks


def extract_docx(data: bytes, *, limits: ExtractionLimits) -> ExtractedDocument:
    """Extract a Word document: header, body (paragraphs and tables in order), footer."""
    open_archive(data, limits).close()
    document = docx.Document(io.BytesIO(data))
    styles = _Styles(document)
    blocks = [
        *_margin_blocks(document, styles, footer=False),
        *_container_blocks(document, styles),
        *_margin_blocks(document, styles, footer=True),
    ]
    metadata = {}
    title = document.core_properties.title
    if title:
        metadata["title"] = title
    return layout_blocks(blocks, media_type=DOCX, metadata=metadata)
