"""parse_resume_with_model through the real openai package, the fake server and grounding."""

from __future__ import annotations

import json
import re
from pathlib import Path
from typing import Any

import pytest
from pdfminer.high_level import extract_text

from atspro.errors import DocumentError
from atspro.llm.client import LLMClient
from atspro.llm.resume import (
    CertificationDraft,
    ContactDraft,
    LinkDraft,
    ProjectDraft,
    ResumeDraft,
    RoleDraft,
    SchoolDraft,
    parse_resume_with_model,
    resume_from_draft,
)
from tests.fakes.openai_server import FakeOpenAIServer, Reply
from tests.shared_data import shared_file, shared_files

TRUTH_FILES = shared_files("resumes/offlinecv/*/*.truth.json")


def role(**fields: Any) -> RoleDraft:
    base: dict[str, Any] = dict(
        company=None,
        position=None,
        location=None,
        start_date=None,
        end_date=None,
        is_current=False,
        description=None,
        responsibilities=[],
        skills=[],
    )
    return RoleDraft(**(base | fields))


def school(**fields: Any) -> SchoolDraft:
    base: dict[str, Any] = dict(
        institution=None,
        degree=None,
        field_of_study=None,
        graduation_date=None,
        gpa=None,
        honors=[],
        relevant_courses=[],
        skills=[],
    )
    return SchoolDraft(**(base | fields))


def draft_from_truth(truth: dict[str, Any]) -> ResumeDraft:
    """What a faithful model would return for a hand-labelled resume."""
    contact = truth["contact"]
    roles = []
    for job in truth["experience"]:
        dates = re.split(r"\s+[-\u2013\u2014]\s+|\s+to\s+", job.get("dates") or "")
        start = dates[0] or None
        end = dates[1] if len(dates) > 1 else None
        roles.append(
            role(
                company=job.get("company"),
                position=job.get("title"),
                start_date=start,
                end_date=end,
            )
        )
    return ResumeDraft(
        contact_info=ContactDraft(
            full_name=contact.get("full_name"),
            email=contact.get("email"),
            phone=contact.get("phone"),
            address=contact.get("location"),
            links=[],
        ),
        summary=None,
        work_experience=roles,
        education=[
            school(institution=e.get("institution"), degree=e.get("degree"))
            for e in truth["education"]
        ],
        certifications=[],
        projects=[],
        skills=list(truth["skills"]),
        languages=[],
    )


def load_case(truth_path: Path) -> tuple[dict[str, Any], str]:
    """The hand-written truth and the PDF's text (pdfminer, as a plain extractor would)."""
    pdf = truth_path.with_name(truth_path.name.replace(".truth.json", ".pdf"))
    return json.loads(truth_path.read_text()), extract_text(pdf)


@pytest.mark.skipif(not TRUTH_FILES, reason="shared sample data (../shared/data) not found")
@pytest.mark.parametrize("truth_path", TRUTH_FILES, ids=lambda p: p.stem)
async def test_truthful_answers_survive_and_inventions_are_dropped(
    truth_path: Path, openai_server: FakeOpenAIServer, llm_client: LLMClient
) -> None:
    truth, text = load_case(truth_path)
    draft = draft_from_truth(truth)
    draft.work_experience.append(
        role(company="Hooli Quantum Labs", position="Chief Dream Officer", start_date="2031")
    )
    draft.education.append(school(institution="Atlantis Polytechnic", degree="PhD Alchemy"))
    draft.skills.append("COBOL-2099")
    draft.contact_info.links.append(LinkDraft(name="Blog", url="https://invented.example/me"))
    openai_server.enqueue(Reply.structured(draft))

    resume = await parse_resume_with_model(text, client=llm_client)

    contact = truth["contact"]
    assert resume.contact_info.full_name == (contact.get("full_name") or "")
    assert resume.contact_info.email == (contact.get("email") or "")
    assert resume.contact_info.phone == (contact.get("phone") or "")
    assert resume.contact_info.address == (contact.get("location") or "")
    assert resume.contact_info.links == []
    got_roles = {(r.company, r.position) for r in resume.work_experience}
    want_roles = {(j.get("company") or "", j.get("title") or "") for j in truth["experience"]}
    assert got_roles == want_roles
    assert len(resume.education) == len(truth["education"])
    assert resume.skills == truth["skills"]
    for job in resume.work_experience:
        assert job.start_date == "" or re.fullmatch(r"\d{4}(-\d{2})?", job.start_date)

    (sent,) = openai_server.requests
    assert sent.schema_name == "ResumeDraft"
    assert text.strip()[:40] in sent.messages[1]["content"]


def test_resume_schema_is_strict() -> None:
    from openai.lib._pydantic import to_strict_json_schema

    def walk(node: object) -> None:
        if isinstance(node, dict):
            assert "default" not in node
            if node.get("type") == "object":
                assert set(node["required"]) == set(node["properties"])
            for child in node.values():
                walk(child)
        elif isinstance(node, list):
            for child in node:
                walk(child)

    walk(to_strict_json_schema(ResumeDraft))


async def test_current_role_dates_and_text_cleanup(
    openai_server: FakeOpenAIServer, llm_client: LLMClient
) -> None:
    text = "Ada Lovelace\nAnalyst,  Babbage & Co   March 2019 - Present\nStudent, Somewhere 2015 - 2017"
    draft = ResumeDraft(
        contact_info=ContactDraft(
            full_name=" Ada  Lovelace ",
            email=None,
            phone=None,
            address=None,
            links=[LinkDraft(name="x", url="  ")],
        ),
        summary=None,
        work_experience=[
            role(
                company="Babbage & Co",
                position="Analyst",
                start_date="March 2019",
                end_date="Present",
            ),
            role(
                company="Somewhere",
                position="Student",
                start_date="2015",
                end_date="2017",
                is_current=True,
            ),
        ],
        education=[],
        certifications=[],
        projects=[],
        skills=["  ", "Analysis"],
        languages=[],
    )
    openai_server.enqueue(Reply.structured(draft))
    resume = await parse_resume_with_model(text, client=llm_client)
    assert resume.contact_info.full_name == "Ada Lovelace"
    assert resume.contact_info.links == []
    current, past = resume.work_experience
    assert (current.start_date, current.end_date, current.is_current) == ("2019-03", "", True)
    assert (past.start_date, past.end_date, past.is_current) == ("2015", "2017", False)
    assert resume.skills == []  # "Analysis" is not in the text ("Analyst" is)


async def test_empty_text_is_a_document_error(llm_client: LLMClient) -> None:
    with pytest.raises(DocumentError) as caught:
        await parse_resume_with_model("  \n ", client=llm_client)
    assert caught.value.reason == "empty"


async def test_certifications_projects_and_links(
    openai_server: FakeOpenAIServer, llm_client: LLMClient
) -> None:
    text = (
        "Grace Hopper | grace@navy.example | github.com/ghopper\n"
        "Certifications: Certified Kubernetes Administrator (CNCF), June 2021, ID CKA-123\n"
        "Projects: COBOL compiler - a compiler for business languages (github.com/ghopper/cobol)\n"
        "Languages: English, French"
    )
    draft = ResumeDraft(
        contact_info=ContactDraft(
            full_name="Grace Hopper",
            email="mailto:grace@navy.example",
            phone=None,
            address=None,
            links=[LinkDraft(name="GitHub", url="https://github.com/ghopper")],
        ),
        summary=None,
        work_experience=[],
        education=[],
        certifications=[
            CertificationDraft(
                name="Certified Kubernetes Administrator",
                issuer="CNCF",
                date_obtained="June 2021",
                expiration_date="June 2024",
                credential_id="CKA-123",
            ),
            CertificationDraft(
                name=" ", issuer=None, date_obtained=None, expiration_date=None, credential_id=None
            ),
        ],
        projects=[
            ProjectDraft(
                name="COBOL compiler",
                description="a compiler for business languages",
                url="github.com/ghopper/cobol",
                skills=["COBOL"],
            ),
            ProjectDraft(name="", description=None, url=None, skills=[]),
        ],
        skills=[],
        languages=["English", "French", "German"],
    )
    openai_server.enqueue(Reply.structured(draft))
    resume = await parse_resume_with_model(text, client=llm_client)
    assert resume.contact_info.email == "grace@navy.example"
    assert [(link.name, link.url) for link in resume.contact_info.links] == [
        ("GitHub", "https://github.com/ghopper")
    ]
    (cert,) = resume.certifications
    assert (cert.name, cert.issuer, cert.date_obtained, cert.credential_id) == (
        "Certified Kubernetes Administrator",
        "CNCF",
        "2021-06",
        "CKA-123",
    )
    assert cert.expiration_date == ""  # June 2024 is not in the text
    (project,) = resume.projects
    assert (project.name, project.url, project.skills) == (
        "COBOL compiler",
        "github.com/ghopper/cobol",
        ["COBOL"],
    )
    assert resume.languages == ["English", "French"]


def draft_from_open_resume(expected: dict[str, Any]) -> ResumeDraft:
    """What a faithful model would return for OpenResume's sample (its own source data)."""
    profile = expected["profile"]
    roles = []
    for work in expected["workExperiences"]:
        start, _, end = work["date"].partition(" - ")
        roles.append(
            role(
                company=work["company"],
                position=work["jobTitle"],
                start_date=start,
                end_date=end or None,
                responsibilities=work["descriptions"],
            )
        )
    schools = [
        school(
            institution=e["school"],
            degree=e["degree"],
            graduation_date=e["date"].partition(" - ")[2] or e["date"],
            gpa=e["gpa"],
            honors=e["descriptions"][:1],
        )
        for e in expected["educations"]
    ]
    projects = [
        ProjectDraft(
            name=p["project"], description=" ".join(p["descriptions"]), url=None, skills=[]
        )
        for p in expected["projects"]
    ]
    return ResumeDraft(
        contact_info=ContactDraft(
            full_name=profile["name"],
            email=profile["email"],
            phone=profile["phone"],
            address=profile["location"],
            links=[LinkDraft(name="LinkedIn", url=profile["url"])],
        ),
        summary=profile["summary"],
        work_experience=roles,
        education=schools,
        certifications=[],
        projects=projects,
        skills=[s["skill"] for s in expected["skills"]["featuredSkills"]],
        languages=[],
    )


async def test_open_resume_sample_is_kept_whole(
    openai_server: FakeOpenAIServer, llm_client: LLMClient
) -> None:
    pdf = shared_file("resumes/open-resume/openresume-resume.pdf")
    expected, text = load_open_resume(pdf)
    draft = draft_from_open_resume(expected)
    openai_server.enqueue(Reply.structured(draft))
    resume = await parse_resume_with_model(text, client=llm_client)
    assert resume == resume_from_draft(draft)  # nothing a faithful model says is dropped
    assert resume.work_experience[0].is_current
    assert resume.work_experience[0].start_date == "2023-05"


def load_open_resume(pdf: Path) -> tuple[dict[str, Any], str]:
    expected = json.loads(pdf.with_name("openresume-resume.expected.json").read_text())
    return expected, extract_text(pdf)
