"""Documents built in the test run: PDFs with fpdf2, DOCX with python-docx, raw ZIPs."""

from __future__ import annotations

import io
import zipfile
from collections.abc import Sequence

from fpdf import FPDF
from PIL import Image


def new_pdf() -> FPDF:
    """A Letter-size fpdf2 document with the core Helvetica font selected."""
    pdf = FPDF(unit="pt", format="letter")
    pdf.set_auto_page_break(False)
    pdf.set_font("Helvetica", size=10)
    return pdf


def text_pdf(pages: Sequence[Sequence[str]], *, size: float = 10) -> bytes:
    """One page per item, each line of text on its own row."""
    pdf = new_pdf()
    for lines in pages:
        pdf.add_page()
        pdf.set_font("Helvetica", size=size)
        for row, line in enumerate(lines):
            pdf.text(72, 72 + row * size * 1.4, line)
    return bytes(pdf.output())


def resume_pdf(*, pages: int = 1) -> bytes:
    """A single-column resume: bold headings, titles with flush-right dates, bullets."""
    pdf = new_pdf()
    for page in range(pages):
        pdf.add_page()
        y = 60.0
        pdf.set_font("Helvetica", "B", 18)
        pdf.text(72, y, f"Avery Example {page + 1}")
        y += 20
        pdf.set_font("Helvetica", size=10)
        pdf.text(72, y, "avery@example.org | +44 20 7946 0000 | Leeds, UK")
        for section in ("EXPERIENCE", "PROJECTS", "EDUCATION"):
            y += 28
            pdf.set_font("Helvetica", "B", 12)
            pdf.text(72, y, section)
            for job in range(3):
                y += 18
                pdf.set_font("Helvetica", "B", 10)
                pdf.text(72, y, f"Engineer {job}, Northwind {section.title()}")
                pdf.set_font("Helvetica", size=10)
                pdf.text(460, y, f"Jan 201{job} - Mar 202{job}")
                for bullet in range(2):
                    y += 13
                    pdf.text(
                        84, y, f"- Shipped feature {bullet} that cut latency by {10 + bullet}%"
                    )
    return bytes(pdf.output())


def two_column_pdf() -> bytes:
    """A header across the page, a narrow left sidebar and a wider right main column.

    The columns use different line pitches, as real sidebars do, so their baselines drift.
    """
    pdf = new_pdf()
    pdf.add_page()
    pdf.set_font("Helvetica", "B", 20)
    pdf.text(40, 50, "Robin Sidebar")
    pdf.set_font("Helvetica", size=10)
    pdf.text(
        40, 68, "robin@example.org - (555) 010-2030 - Springfield, Freedonia - open to relocation"
    )
    y = 110.0
    pdf.set_font("Helvetica", "B", 11)
    pdf.text(40, y, "SKILLS")
    pdf.set_font("Helvetica", size=9)
    for skill in ("Python", "Kubernetes", "PostgreSQL", "Terraform", "Go", "Rust", "Kafka"):
        y += 12.5
        pdf.text(40, y, skill)
    y += 24
    pdf.set_font("Helvetica", "B", 11)
    pdf.text(40, y, "LANGUAGES")
    pdf.set_font("Helvetica", size=9)
    for lang in ("English", "Spanish", "German"):
        y += 12.5
        pdf.text(40, y, lang)
    y = 112.0
    pdf.set_font("Helvetica", "B", 12)
    pdf.text(200, y, "EXPERIENCE")
    pdf.set_font("Helvetica", size=10)
    for job in range(4):
        y += 17
        pdf.set_font("Helvetica", "B", 10)
        pdf.text(200, y, f"Platform Engineer {job} at Globex")
        pdf.set_font("Helvetica", size=10)
        for bullet in range(3):
            y += 14.2
            pdf.text(210, y, f"Reduced deploy time for team {job} by {bullet + 2}0 percent overall")
    return bytes(pdf.output())


def scanned_pdf() -> bytes:
    """A page holding only a picture of text, like a scanner produces."""
    image = Image.new("L", (400, 100), color=255)
    for x in range(40, 360):
        for y in (40, 41, 60, 61):
            image.putpixel((x, y), 0)
    buf = io.BytesIO()
    image.save(buf, format="PNG")
    pdf = new_pdf()
    pdf.add_page()
    pdf.image(io.BytesIO(buf.getvalue()), x=72, y=72, w=400)
    return bytes(pdf.output())


def encrypted_pdf() -> bytes:
    """A PDF that needs a user password to open."""
    pdf = new_pdf()
    pdf.set_encryption(owner_password="owner-secret", user_password="user-secret")
    pdf.add_page()
    pdf.text(72, 72, "Confidential resume")
    return bytes(pdf.output())


def blank_pdf() -> bytes:
    """A page with nothing on it."""
    pdf = new_pdf()
    pdf.add_page()
    return bytes(pdf.output())


def zip_bytes(members: dict[str, bytes], *, compress: bool = True) -> bytes:
    """A ZIP archive of ``members`` (deflated unless ``compress`` is False)."""
    buf = io.BytesIO()
    method = zipfile.ZIP_DEFLATED if compress else zipfile.ZIP_STORED
    with zipfile.ZipFile(buf, "w", method) as archive:
        for name, data in members.items():
            archive.writestr(name, data)
    return buf.getvalue()


def docx_bytes() -> bytes:
    """A Word resume: header, headings, bold run, lists, a table, a hyperlink-free body."""
    import docx

    document = docx.Document()
    document.sections[0].header.paragraphs[0].text = "Casey Header"
    document.add_heading("Casey Word", level=1)
    para = document.add_paragraph("Email: ")
    para.add_run("casey@example.org").bold = True
    document.add_heading("Experience", level=2)
    document.add_paragraph("Built the billing service", style="List Bullet")
    document.add_paragraph("Tuned its queries", style="List Bullet 2")
    table = document.add_table(rows=1, cols=2)
    table.cell(0, 0).text = "Left cell"
    table.cell(0, 1).text = "Right cell"
    document.add_paragraph("After the table")
    document.sections[0].footer.paragraphs[0].text = "Page footer"
    buf = io.BytesIO()
    document.save(buf)
    return buf.getvalue()


_ODT_CONTENT = """<?xml version="1.0" encoding="UTF-8"?>
<office:document-content
  xmlns:office="urn:oasis:names:tc:opendocument:xmlns:office:1.0"
  xmlns:style="urn:oasis:names:tc:opendocument:xmlns:style:1.0"
  xmlns:text="urn:oasis:names:tc:opendocument:xmlns:text:1.0"
  xmlns:table="urn:oasis:names:tc:opendocument:xmlns:table:1.0"
  xmlns:xlink="http://www.w3.org/1999/xlink"
  xmlns:fo="urn:oasis:names:tc:opendocument:xmlns:xsl-fo-compatible:1.0" office:version="1.3">
 <office:automatic-styles>
  <style:style style:name="T1" style:family="text" style:parent-style-name="Strong"/>
 </office:automatic-styles>
 <office:body><office:text>
  <text:h text:outline-level="1">Morgan Odt</text:h>
  <text:p>Reach me at<text:s/><text:a xlink:href="https://example.org/morgan">my site</text:a></text:p>
  <text:h text:outline-level="2">Experience</text:h>
  <text:p><text:span text:style-name="T1">Acme</text:span> platform engineer<text:line-break/>2019 - 2023</text:p>
  <text:list><text:list-item><text:p>Ran the migration</text:p>
   <text:list><text:list-item><text:p>Nested detail</text:p></text:list-item></text:list>
  </text:list-item></text:list>
  <table:table><table:table-row>
   <table:table-cell><text:p>Cell A</text:p></table:table-cell>
   <table:covered-table-cell/>
   <table:table-cell><text:p>Cell B</text:p></table:table-cell>
  </table:table-row></table:table>
 </office:text></office:body>
</office:document-content>
"""

_ODT_STYLES = """<?xml version="1.0" encoding="UTF-8"?>
<office:document-styles
  xmlns:office="urn:oasis:names:tc:opendocument:xmlns:office:1.0"
  xmlns:style="urn:oasis:names:tc:opendocument:xmlns:style:1.0"
  xmlns:fo="urn:oasis:names:tc:opendocument:xmlns:xsl-fo-compatible:1.0">
 <office:styles>
  <style:style style:name="Strong" style:family="text">
   <style:text-properties fo:font-weight="bold"/>
  </style:style>
 </office:styles>
</office:document-styles>
"""


def odt_bytes(content: str = _ODT_CONTENT) -> bytes:
    """A minimal but valid OpenDocument text package."""
    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w") as archive:
        archive.writestr("mimetype", "application/vnd.oasis.opendocument.text", zipfile.ZIP_STORED)
        archive.writestr("content.xml", content, zipfile.ZIP_DEFLATED)
        archive.writestr("styles.xml", _ODT_STYLES, zipfile.ZIP_DEFLATED)
        archive.writestr(
            "META-INF/manifest.xml",
            '<manifest:manifest xmlns:manifest="urn:oasis:names:tc:opendocument:xmlns:manifest:1.0"/>',
            zipfile.ZIP_DEFLATED,
        )
    return buf.getvalue()


def add_member(data: bytes, name: str, payload: bytes) -> bytes:
    """A copy of a ZIP document with one more (deflated) member."""
    buf = io.BytesIO(data)
    with zipfile.ZipFile(buf, "a", zipfile.ZIP_DEFLATED) as archive:
        archive.writestr(name, payload)
    return buf.getvalue()


def docx_rich_bytes() -> bytes:
    """A Word file with a hyperlink, a text box (with its VML fallback copy), a first-page
    header, an outline-level paragraph, a character style and merged table cells."""
    import docx
    from docx.enum.style import WD_STYLE_TYPE
    from docx.opc.constants import RELATIONSHIP_TYPE
    from docx.oxml import parse_xml
    from docx.oxml.ns import nsdecls, qn

    document = docx.Document()
    section = document.sections[0]
    section.different_first_page_header_footer = True
    section.first_page_header.paragraphs[0].text = "First Page Name"
    strong = document.styles.add_style("Loud", WD_STYLE_TYPE.CHARACTER)
    strong.font.bold = True
    para = document.add_paragraph("Site: ")
    r_id = document.part.relate_to(
        "https://dana.example/cv", RELATIONSHIP_TYPE.HYPERLINK, is_external=True
    )
    para._p.append(
        parse_xml(
            f'<w:hyperlink {nsdecls("w", "r")} r:id="{r_id}"><w:r><w:t>portfolio</w:t></w:r>'
            "</w:hyperlink>"
        )
    )
    styled = document.add_paragraph()
    styled.add_run("Styled loud", style="Loud")
    outline = document.add_paragraph("Outline Heading")
    p_pr = outline._p.get_or_add_pPr()
    p_pr.append(parse_xml(f'<w:outlineLvl {nsdecls("w")} w:val="1"/>'))
    mc = "http://schemas.openxmlformats.org/markup-compatibility/2006"
    wps = "http://schemas.microsoft.com/office/word/2010/wordprocessingShape"
    box = document.add_paragraph()
    box._p.append(
        parse_xml(
            f'<w:r {nsdecls("w")} xmlns:mc="{mc}" xmlns:wps="{wps}"><mc:AlternateContent>'
            '<mc:Choice Requires="wps"><wps:txbx><w:txbxContent><w:p><w:r><w:t>Sidebar box'
            "</w:t></w:r></w:p></w:txbxContent></wps:txbx></mc:Choice>"
            "<mc:Fallback><w:txbxContent><w:p><w:r><w:t>Sidebar box</w:t></w:r></w:p>"
            "</w:txbxContent></mc:Fallback></mc:AlternateContent></w:r>"
        )
    )
    table = document.add_table(rows=1, cols=3)
    merged = table.cell(0, 0).merge(table.cell(0, 1))
    merged.text = "Merged cell"
    table.cell(0, 2).text = "Last cell"
    assert qn("w:tbl")  # keeps the import used when docx changes its API
    document.core_properties.title = "Dana CV"
    buf = io.BytesIO()
    document.save(buf)
    return buf.getvalue()
