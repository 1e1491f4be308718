"""PDF text extraction with PDFium (pypdfium2): glyph boxes, font size and weight.

PDFium was chosen over pdfminer.six on measurement (see benchmarks/extraction.py): about
4x less CPU per resume with the same layout information. PDFium is not thread-safe, so
every use goes through one process-wide lock.
"""

from __future__ import annotations

import ctypes
import re
import threading
import unicodedata

import pypdfium2 as pdfium
import pypdfium2.raw as pdfium_c

from atspro.errors import DocumentError
from atspro.extraction.document import ExtractedDocument, TextLine
from atspro.extraction.layout import FontStyle, Glyph, order_page
from atspro.extraction.limits import ExtractionLimits

MEDIA_TYPE = "application/pdf"

_LOCK = threading.Lock()
# Font names are the reliable signal: PDFium's weight is estimated from stem widths and
# puts many regular fonts above 600. "BX" is TeX's bold extended (CMBX10, CMSSBX10).
_BOLD_NAME = re.compile(r"bold|black|heavy|demi|[-,]bd\b|^cm\w*bx\d|^sfbx", re.I)
_ITALIC_NAME = re.compile(r"italic|oblique|[-,]it\b", re.I)
# Icon fonts map pictograms (phone, envelope, logos) onto ordinary letters such as "#" or "§".
_ICON_FONT = re.compile(
    r"awesome|icons?\b|icon-?font|glyphicon|fontello|icomoon|octicon|ionicons|remixicon|material-?symbols",
    re.I,
)
_FLAG_ITALIC = 1 << 6
_FLAG_FORCE_BOLD = 1 << 18
_FILL_STROKE = pdfium_c.FPDF_TEXTRENDERMODE_FILL_STROKE
_SOFT_HYPHENS = {0x02, 0xAD}


def _is_noise(code: int) -> bool:
    """Private-use icon glyphs, controls and unmappable characters carry no text."""
    return (
        code < 0x20
        or 0x7F <= code < 0xA0
        or 0xE000 <= code <= 0xF8FF
        or code >= 0xF0000
        or code in (0xFFFD, 0xFFFE, 0xFFFF)
    )


def _font_style(text_obj: ctypes.c_void_p) -> FontStyle:
    font = pdfium_c.FPDFTextObj_GetFont(text_obj)
    if not font:
        return FontStyle()
    buf = ctypes.create_string_buffer(256)
    pdfium_c.FPDFFont_GetBaseFontName(font, buf, len(buf))
    name = buf.value.decode("latin-1")
    # Subset fonts are named "ABCDEF+Real-Name".
    name = name.split("+", 1)[1] if re.match(r"^[A-Z]{6}\+", name) else name
    flags = pdfium_c.FPDFFont_GetFlags(font)
    render_mode = pdfium_c.FPDFTextObj_GetTextRenderMode(text_obj)
    bold = (
        bool(_BOLD_NAME.search(name))
        or bool(flags & _FLAG_FORCE_BOLD)
        or render_mode == _FILL_STROKE
    )
    italic = bool(_ITALIC_NAME.search(name)) or (flags != -1 and bool(flags & _FLAG_ITALIC))
    return FontStyle(name=name, bold=bold, italic=italic, icon=bool(_ICON_FONT.search(name)))


def _page_glyphs(page: pdfium.PdfPage) -> list[Glyph]:
    """Every visible character of a page with its box, in content-stream order."""
    height = page.get_height()
    textpage = page.get_textpage()
    try:
        count = pdfium_c.FPDFText_CountChars(textpage)
        rect = pdfium_c.FS_RECTF()
        matrix = pdfium_c.FS_MATRIX()
        font_size = ctypes.c_float()
        styles: dict[int | None, tuple[FontStyle, float]] = {}
        glyphs: list[Glyph] = []
        space_before = False
        for index in range(count):
            code = pdfium_c.FPDFText_GetUnicode(textpage, index)
            if code in _SOFT_HYPHENS:
                code = 0x2D
            char = chr(code)
            if char.isspace():
                space_before = True
                continue
            if _is_noise(code):
                continue
            if not pdfium_c.FPDFText_GetLooseCharBox(textpage, index, rect):
                continue
            text_obj = pdfium_c.FPDFText_GetTextObject(textpage, index)
            key = ctypes.cast(text_obj, ctypes.c_void_p).value
            cached = styles.get(key)
            if cached is None:
                # The font size is in text space; the matrix scales it to points on the page.
                pdfium_c.FPDFText_GetMatrix(textpage, index, matrix)
                scale = abs(matrix.a * matrix.d - matrix.b * matrix.c) ** 0.5
                if not key or not pdfium_c.FPDFTextObj_GetFontSize(text_obj, font_size):
                    font_size.value = pdfium_c.FPDFText_GetFontSize(textpage, index)
                style = _font_style(text_obj) if key else FontStyle()
                cached = styles[key] = (style, font_size.value * scale)
            style, size = cached
            if 0xFB00 <= code <= 0xFB06:
                char = unicodedata.normalize("NFKC", char)
            top, bottom = height - rect.top, height - rect.bottom
            glyphs.append(
                Glyph(
                    char=char,
                    x0=rect.left,
                    top=min(top, bottom),
                    x1=max(rect.right, rect.left),
                    bottom=max(top, bottom),
                    size=size if size > 0 else abs(bottom - top),
                    style=style,
                    space_before=space_before,
                )
            )
            space_before = False
        return _drop_pictograms(glyphs)
    finally:
        textpage.close()


def _drop_pictograms(glyphs: list[Glyph]) -> list[Glyph]:
    """Drop icon-font glyphs, except runs that spell words.

    An icon glyph usually maps to a stray letter ("#", "§"); some generators instead attach
    the real text to the icon (awesome-cv maps a phone icon to "tel:(+1) 312...").
    """
    kept: list[Glyph] = []
    run: list[Glyph] = []
    for glyph in [*glyphs, None]:
        if glyph is not None and glyph.style.icon:
            run.append(glyph)
            continue
        if sum(g.char.isalnum() for g in run) >= 3:
            kept.extend(run)
        run.clear()
        if glyph is not None:
            kept.append(glyph)
    return kept


def _has_images(page: pdfium.PdfPage) -> bool:
    return any(True for _ in page.get_objects(filter=(pdfium_c.FPDF_PAGEOBJ_IMAGE,), max_depth=2))


def _open(data: bytes) -> pdfium.PdfDocument:
    try:
        return pdfium.PdfDocument(data)
    except pdfium.PdfiumError as exc:
        if exc.err_code == pdfium_c.FPDF_ERR_PASSWORD:
            raise DocumentError(
                "This PDF is password-protected; upload a copy without a password.",
                reason="encrypted",
            ) from exc
        raise DocumentError(
            "This PDF is damaged or incomplete and cannot be read; export it again and retry.",
            reason="malformed",
        ) from exc


def extract_pdf(data: bytes, *, limits: ExtractionLimits) -> ExtractedDocument:
    """Extract the lines of a PDF in reading order, with columns detected per page."""
    with _LOCK:
        doc = _open(data)
        try:
            return _read(doc, limits)
        except pdfium.PdfiumError as exc:
            raise DocumentError(
                "This PDF is damaged and cannot be read; export it again and retry.",
                reason="malformed",
            ) from exc
        finally:
            doc.close()


def _read(doc: pdfium.PdfDocument, limits: ExtractionLimits) -> ExtractedDocument:
    page_count = len(doc)
    if page_count == 0:
        raise DocumentError("This PDF has no pages.", reason="malformed")
    if page_count > limits.max_pages:
        raise DocumentError(
            f"This PDF has {page_count} pages; the limit is {limits.max_pages}.",
            reason="too_many_pages",
        )
    lines: list[TextLine] = []
    columns: list[int] = []
    width = 612.0
    images = False
    for number in range(page_count):
        page = doc[number]
        try:
            if number == 0:
                width = page.get_width()
            glyphs = _page_glyphs(page)
            if not glyphs and not images:
                images = _has_images(page)
        finally:
            page.close()
        page_lines, page_columns = order_page(glyphs, number)
        lines.extend(line for line in page_lines if line.text)
        columns.append(page_columns)
    if not lines:
        if images:
            raise DocumentError(
                "This PDF has no text layer (it looks scanned); export it from the original "
                "editor as a text PDF, or upload DOCX or TXT.",
                reason="no_text",
            )
        raise DocumentError("This PDF contains no text.", reason="empty")
    return ExtractedDocument(
        media_type=MEDIA_TYPE,
        lines=lines,
        page_count=page_count,
        page_width=width,
        columns_per_page=columns,
    )
