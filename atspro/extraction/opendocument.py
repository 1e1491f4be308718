"""ODT: content.xml read through the ZIP guard and walked with lxml.

odfpy was considered; it reads every member without a size cap and resolves no style
inheritance, so the XML is read directly (entities off, no network, no huge trees).
"""

from __future__ import annotations

import re
from collections.abc import Iterator

from lxml import etree

from atspro.errors import DocumentError
from atspro.extraction.archive import open_archive, read_member
from atspro.extraction.detection import ODT
from atspro.extraction.document import ExtractedDocument
from atspro.extraction.grid import Block, Run, layout_blocks, with_target
from atspro.extraction.limits import ExtractionLimits

_TEXT = "urn:oasis:names:tc:opendocument:xmlns:text:1.0"
_OFFICE = "urn:oasis:names:tc:opendocument:xmlns:office:1.0"
_STYLE = "urn:oasis:names:tc:opendocument:xmlns:style:1.0"
_FO = "urn:oasis:names:tc:opendocument:xmlns:xsl-fo-compatible:1.0"
_TABLE = "urn:oasis:names:tc:opendocument:xmlns:table:1.0"
_XLINK = "http://www.w3.org/1999/xlink"
_BOLD = re.compile(r"^(?:bold|bolder|[6-9]00)$")


def _t(name: str) -> str:
    return f"{{{_TEXT}}}{name}"


def _parse(data: bytes) -> etree._Element:
    parser = etree.XMLParser(
        resolve_entities=False, no_network=True, load_dtd=False, huge_tree=False
    )
    try:
        return etree.fromstring(data, parser)
    except etree.XMLSyntaxError as exc:
        raise DocumentError(
            "This OpenDocument file is damaged and cannot be read.", reason="malformed"
        ) from exc


class _Styles:
    """Which named styles are bold, following parent styles."""

    def __init__(self, *roots: etree._Element) -> None:
        self._bold: dict[str, bool | None] = {}
        self._parent: dict[str, str] = {}
        for root in roots:
            for style in root.iter(f"{{{_STYLE}}}style"):
                name = style.get(f"{{{_STYLE}}}name", "")
                props = style.find(f"{{{_STYLE}}}text-properties")
                weight = props.get(f"{{{_FO}}}font-weight") if props is not None else None
                self._bold[name] = bool(_BOLD.match(weight)) if weight else None
                parent = style.get(f"{{{_STYLE}}}parent-style-name")
                if parent:
                    self._parent[name] = parent

    def bold(self, name: str | None) -> bool | None:
        for _ in range(20):
            if not name:
                return None
            value = self._bold.get(name)
            if value is not None:
                return value
            name = self._parent.get(name)
        return None


class _Walker:
    def __init__(self, styles: _Styles) -> None:
        self.styles = styles
        self.blocks: list[Block] = []

    def inline(self, el: etree._Element, bold: bool, runs: list[Run]) -> None:
        style_bold = self.styles.bold(el.get(_t("style-name")))
        bold = style_bold if style_bold is not None else bold
        if el.text:
            runs.append(Run(el.text, bold=bold))
        for child in el:
            tag = child.tag
            if tag == _t("s"):
                runs.append(Run(" " * int(child.get(_t("c"), "1") or 1), bold=bold))
            elif tag == _t("tab"):
                runs.append(Run("\t", bold=bold))
            elif tag == _t("line-break"):
                runs.append(Run("\n", bold=bold))
            elif tag == _t("a"):
                inner: list[Run] = []
                self.inline(child, bold, inner)
                text = "".join(r.text for r in inner)
                runs.append(Run(with_target(text, child.get(f"{{{_XLINK}}}href")), bold=bold))
            elif tag in (_t("note"), f"{{{_OFFICE}}}annotation"):
                pass
            elif isinstance(tag, str):
                self.inline(child, bold, runs)
            if child.tail:
                runs.append(Run(child.tail, bold=bold))

    def block(self, el: etree._Element, *, depth: int, in_item: bool) -> Iterator[Block]:
        tag = el.tag
        if tag in (_t("p"), _t("h")):
            runs: list[Run] = []
            self.inline(el, False, runs)
            level = 0
            if tag == _t("h"):
                raw = el.get(_t("outline-level"), "1")
                level = min(int(raw), 6) if raw.isdigit() else 1
            yield Block(
                runs=runs, heading_level=level, is_list_item=in_item, indent=max(depth - 1, 0)
            )
            return
        nested = depth + 1 if tag == _t("list") else depth
        item = in_item or tag == _t("list-item")
        for child in el:
            if isinstance(child.tag, str) and child.tag not in (
                f"{{{_TABLE}}}covered-table-cell",
                _t("tracked-changes"),
            ):
                yield from self.block(child, depth=nested, in_item=item)


def extract_odt(data: bytes, *, limits: ExtractionLimits) -> ExtractedDocument:
    """Extract an OpenDocument text: paragraphs, headings, lists and tables in order."""
    with open_archive(data, limits) as archive:
        names = set(archive.namelist())
        if "content.xml" not in names:
            raise DocumentError("This OpenDocument file has no content.", reason="malformed")
        content = _parse(read_member(archive, "content.xml", limits))
        roots = [content]
        if "styles.xml" in names:
            roots.append(_parse(read_member(archive, "styles.xml", limits)))
    body = content.find(f"{{{_OFFICE}}}body/{{{_OFFICE}}}text")
    if body is None:
        raise DocumentError("This OpenDocument file has no text body.", reason="malformed")
    walker = _Walker(_Styles(*roots))
    blocks = list(walker.block(body, depth=0, in_item=False))
    return layout_blocks(blocks, media_type=ODT)
