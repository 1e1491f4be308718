"""What a reader sees: PDF pages rendered to bitmaps and read back as text lines (margins,
page counts, no overflow, no orphaned lines), the HTML's styles, the DOCX's margins."""

from __future__ import annotations

import io
from dataclasses import dataclass
from pathlib import Path

import docx
import pypdfium2 as pdfium
import pytest
from anyascii import anyascii
from PIL import Image, ImageOps

from atspro.render.docx import markdown_to_docx
from atspro.render.fonts import find_unicode_font
from atspro.render.html import markdown_to_html
from atspro.render.paginate import Box, paginate
from atspro.render.pdf import Paper, markdown_to_pdf
from atspro.resume.model import ContactInfo, Education, Link, Resume, WorkExperience
from atspro.tailoring.markdown import render_markdown

INCH = 72.0
DASH, EN_DASH, BULLET = "\u2014", "\u2013", "\u2022"
GREEK = "\u03a9\u03bc\u03ad\u03b3\u03b1"
SECTIONS = {"SUMMARY", "EXPERIENCE", "EDUCATION", "SKILLS", "PROJECTS", "CERTIFICATIONS"}


@pytest.fixture(params=["unicode", "core"])
def font_dirs(request: pytest.FixtureRequest, tmp_path: Path) -> tuple[Path, ...] | None:
    """The installed Unicode font, then none at all (core fonts, Latin-1)."""
    if request.param == "core":
        return (tmp_path,)
    if find_unicode_font() is None:
        pytest.skip("no Unicode TTF installed (Debian fonts-dejavu-core provides one)")
    return None


def drawn(text: str, font_dirs: tuple[Path, ...] | None) -> str:
    """``text`` as the PDF shows it: core fonts transliterate past Latin-1."""
    if font_dirs is None:
        return text
    text = text.replace(BULLET, "-")
    return "".join(c if ord(c) < 256 else anyascii(c) for c in text)


def build_resume(roles: int, bullets: int) -> Resume:
    """A backend engineer's resume; ``roles`` x ``bullets`` sets its length."""
    return Resume(
        contact_info=ContactInfo(
            full_name="Zoë Łukasz-Avery",
            email="zoe.avery@example.com",
            phone="+1 555 010 0199",
            address="Portland, OR",
            links=[Link(name="GitHub", url="https://github.com/zavery")],
        ),
        summary=(
            "Backend engineer with nine years building Python and Go services on PostgreSQL, "
            "Redis and Kafka, deployed with Docker and Kubernetes on AWS."
        ),
        work_experience=[
            WorkExperience(
                company=f"Northwind Systems {i + 1}",
                position="Senior Software Engineer" if i % 2 == 0 else "Platform Engineer",
                start_date=f"Mar {2021 - 2 * i}",
                end_date=f"Feb {2023 - 2 * i}",
                is_current=i == 0,
                location="Remote",
                responsibilities=[
                    f"Built order service {j + 1} in Python and PostgreSQL, cutting p99 latency "
                    f"by {20 + j}% across two million daily requests and three regions"
                    for j in range(bullets)
                ],
            )
            for i in range(roles)
        ],
        education=[
            Education(
                institution="Oregon State University",
                degree="BS",
                field_of_study="Computer Science",
                graduation_date="Jun 2015",
            )
        ],
        skills=["Python", "Go", "PostgreSQL", "Redis", "Kafka", "Docker", "Kubernetes", "AWS"],
    )


@dataclass(frozen=True)
class Page:
    width: float
    height: float
    ink: tuple[float, float, float, float]  # left, top, right, bottom in points from top-left
    lines: list[str]  # text lines, top to bottom


def read_pages(data: bytes) -> list[Page]:
    """Each page's ink bounds (rendered at 144 dpi) and its text lines."""
    pdf = pdfium.PdfDocument(data)
    pages: list[Page] = []
    try:
        for page in pdf:
            width, height = page.get_size()
            image: Image.Image = page.render(scale=2).to_pil().convert("L")
            box = ImageOps.invert(image).point(lambda v: 255 if v > 40 else 0).getbbox()
            assert box is not None, "blank page"
            ink = (box[0] / 2, box[1] / 2, box[2] / 2, box[3] / 2)
            textpage = page.get_textpage()
            rects = sorted(
                (textpage.get_rect(k) for k in range(textpage.count_rects())),
                key=lambda r: -(r[1] + r[3]),
            )
            rows: list[list[tuple[float, float, float, float]]] = []
            for rect in rects:
                # One line: centres within a third of a line (bullets, dates sit a bit off).
                centre = (rect[1] + rect[3]) / 2
                if rows and abs((rows[-1][0][1] + rows[-1][0][3]) / 2 - centre) < 4:
                    rows[-1].append(rect)
                else:
                    rows.append([rect])
            lines = [
                textpage.get_text_bounded(
                    min(r[0] for r in row),
                    min(r[1] for r in row),
                    max(r[2] for r in row),
                    max(r[3] for r in row),
                ).strip()
                for row in rows
            ]
            pages.append(Page(width, height, ink, [line for line in lines if line]))
    finally:
        pdf.close()
    return pages


def assert_professional(pages: list[Page]) -> None:
    """Margins of 0.5-1 in, no ink past them, no page ending on a heading or holding one line."""
    for number, page in enumerate(pages, 1):
        left, top, right, bottom = page.ink
        assert 0.5 * INCH <= left <= 1.0 * INCH, f"page {number} left margin {left:.0f} pt"
        assert 0.5 * INCH <= top <= 1.0 * INCH, f"page {number} top margin {top:.0f} pt"
        right_margin = page.width - right
        assert 0.5 * INCH <= right_margin <= 1.0 * INCH, f"page {number} right {right_margin:.0f}"
        assert page.height - bottom >= 0.5 * INCH, f"page {number} overflows the bottom"
        assert len(page.lines) >= 2, f"page {number} holds {page.lines}"
        if number < len(pages):
            assert page.lines[-1] not in SECTIONS, f"page {number} ends on a heading"
            # Full pages: only keep-together rules may leave the foot short.
            assert page.height - bottom <= 2.0 * INCH, f"page {number} ends early"


@pytest.mark.parametrize("paper", ["letter", "a4"])
def test_a_typical_resume_fits_one_page_with_standard_margins(
    paper: Paper, font_dirs: tuple[Path, ...] | None
) -> None:
    md = render_markdown(build_resume(3, 4))
    pages = read_pages(markdown_to_pdf(md, paper=paper, font_dirs=font_dirs))
    assert len(pages) == 1
    size = {"letter": (612, 792), "a4": (595, 842)}[paper]
    assert (round(pages[0].width), round(pages[0].height)) == size
    assert_professional(pages)
    lines = pages[0].lines
    assert lines[0] == drawn("Zoë Łukasz-Avery", font_dirs)
    assert "EXPERIENCE" in lines and "SKILLS" in lines
    # A role's title, company and dates on one line, bullets as list items.
    role = (
        f"Senior Software Engineer {DASH} Northwind Systems 1 Mar 2021 {EN_DASH} Present · Remote"
    )
    assert drawn(role, font_dirs) in lines
    bullet = drawn(f"{BULLET} Built order service", font_dirs)
    assert sum(line.startswith(bullet) for line in lines) == 12


def test_a_resume_a_few_lines_over_one_page_is_fitted_to_one(
    font_dirs: tuple[Path, ...] | None,
) -> None:
    # 4 roles of 4 two-line bullets run onto a second page at full size.
    md = render_markdown(build_resume(4, 4))
    pages = read_pages(markdown_to_pdf(md, font_dirs=font_dirs))
    assert len(pages) == 1
    assert_professional(pages)


@pytest.mark.parametrize("roles", [7, 8, 9, 10, 12, 15])
@pytest.mark.parametrize("paper", ["letter", "a4"])
def test_long_resumes_break_pages_without_orphans(
    roles: int, paper: Paper, font_dirs: tuple[Path, ...] | None
) -> None:
    md = render_markdown(build_resume(roles, 5))
    pages = read_pages(markdown_to_pdf(md, paper=paper, font_dirs=font_dirs))
    assert len(pages) >= 2
    assert_professional(pages)
    text = [line for page in pages for line in page.lines]
    assert sum(line.startswith(drawn(BULLET, font_dirs)) for line in text) == roles * 5
    for page in pages[:-1]:
        # A role heading keeps at least its first bullet with it.
        assert "Northwind" not in page.lines[-1]


def test_long_words_and_lines_stay_inside_the_margins() -> None:
    url = "https://example.com/" + "very-long-path/" * 20
    md = f"# Ada\n\n{url}\n\n## Links\n\n- {url}\n\n{'word ' * 400}\n"
    pages = read_pages(markdown_to_pdf(md))
    assert_professional(pages)
    # Split where the column ends, every character kept (pdfium reads a hyphen ending a
    # line as a soft one, \x02).
    text = "".join("".join(page.lines) for page in pages).replace("\x02", "-")
    assert text.count(url) == 2


def test_text_without_glyphs_in_the_font_is_transliterated_not_dropped(
    font_dirs: tuple[Path, ...] | None,
) -> None:
    md = f"# \u738b\u5c0f\u660e\n\n{GREEK} · Иван\n\n- fine\n"
    pages = read_pages(markdown_to_pdf(md, font_dirs=font_dirs))
    assert pages[0].lines[:2] == ["WangXiaoMing", drawn(f"{GREEK} · Иван", font_dirs)]


def test_a_font_without_italic_files_still_draws_unicode(tmp_path: Path) -> None:
    font = find_unicode_font()
    if font is None:
        pytest.skip("no Unicode TTF installed (Debian fonts-dejavu-core provides one)")
    # What Debian's fonts-dejavu-core installs: upright files only.
    for path in (font.regular, font.bold):
        (tmp_path / path.name).symlink_to(path)
    md = "# Zoë Łukasz\n\n### Engineer\n*2020*\n"
    lines = read_pages(markdown_to_pdf(md, font_dirs=(tmp_path,)))[0].lines
    assert lines == ["Zoë Łukasz", "Engineer 2020"]


def test_page_breaks_keep_marked_boxes_together() -> None:
    boxes = [Box(10), Box(10, keep_with_next=True), Box(10), Box(10)]
    assert paginate(boxes, 25) == [range(0, 1), range(1, 3), range(3, 4)]
    # Nothing can honour the keeps: break where the page is full.
    assert paginate([Box(10, keep_with_next=True)] * 3, 25) == [range(0, 2), range(2, 3)]
    # Space above a box is dropped at the top of a page.
    assert paginate([Box(10), Box(10, space_before=20)], 25) == [range(0, 1), range(1, 2)]
    assert paginate([], 25) == [range(0, 0)]


def test_html_embeds_print_styles_and_lays_out_roles() -> None:
    page = markdown_to_html(render_markdown(build_resume(2, 2)), title="Zoë")
    head, body = page.split("</head>")
    assert "<style>" in head and "@page" in head and "<link" not in page
    assert "http" not in head  # nothing fetched
    assert "<h1>Zoë Łukasz-Avery</h1>\n<p>zoe.avery@example.com" in body
    assert "<h2>Experience</h2>" in body
    assert (
        f'<div class="role">\n<h3>Senior Software Engineer {DASH} Northwind Systems 1</h3>\n'
        f'<p class="meta"><em>Mar 2021 {EN_DASH} Present · Remote</em></p>\n</div>'
    ) in body
    assert "<li>Built order service 1" in body


def test_docx_margins_are_standard() -> None:
    document = docx.Document(io.BytesIO(markdown_to_docx(render_markdown(build_resume(1, 1)))))
    for section in document.sections:
        margins = [section.left_margin, section.right_margin, section.top_margin]
        margins.append(section.bottom_margin)
        assert all(m is not None and 0.5 <= m.inches <= 1.0 for m in margins)
