"""Round trip: structured resumes rendered to five formats, extracted and parsed back."""

from __future__ import annotations

import json
import re
from collections.abc import Callable
from pathlib import Path

import pytest

from atspro.extraction import ExtractionLimits, extract_document
from atspro.render.docx import markdown_to_docx
from atspro.render.html import markdown_to_html
from atspro.render.pdf import markdown_to_pdf
from atspro.render.text import resume_to_text
from atspro.resume.export import from_json_resume, from_resume_matcher, to_markdown
from atspro.resume.model import Resume
from atspro.resume.parser import parse_resume_document

RENDERERS: dict[str, Callable[[Resume], bytes]] = {
    "pdf": lambda r: markdown_to_pdf(to_markdown(r)),
    "docx": lambda r: markdown_to_docx(to_markdown(r)),
    "txt": lambda r: resume_to_text(r).encode(),
    "html": lambda r: markdown_to_html(to_markdown(r)).encode(),
    "md": lambda r: to_markdown(r).encode(),
}
SOURCES = {
    "json-resume-sample": ("schemas/sample.resume.json", from_json_resume),
    "resume-matcher-master": ("resumes/resume-matcher/master.json", from_resume_matcher),
}


def _digits(text: str) -> str:
    return re.sub(r"\D", "", text)


@pytest.mark.parametrize("fmt", list(RENDERERS))
@pytest.mark.parametrize("source", list(SOURCES))
def test_rendered_resume_parses_back(shared_data: Path, source: str, fmt: str) -> None:
    path, reader = SOURCES[source]
    original = reader(json.loads((shared_data / path).read_text(encoding="utf-8")))
    data = RENDERERS[fmt](original)
    doc = extract_document(data, limits=ExtractionLimits(), filename=f"resume.{fmt}")
    parsed = parse_resume_document(doc)

    want, got = original.contact_info, parsed.contact_info
    assert got.full_name == want.full_name
    assert got.email == want.email
    assert _digits(got.phone) == _digits(want.phone)
    assert [
        (w.position, w.company, w.start_date, w.is_current) for w in parsed.work_experience
    ] == [(w.position, w.company, w.start_date, w.is_current) for w in original.work_experience]
    assert [len(w.responsibilities) for w in parsed.work_experience] == [
        len(w.responsibilities) for w in original.work_experience
    ]
    assert [e.institution for e in parsed.education] == [e.institution for e in original.education]
    assert [e.graduation_date for e in parsed.education] == [
        e.graduation_date for e in original.education
    ]
    assert set(parsed.skills) == set(original.skills)
