"""write_research_report: fixed sections, valid citations, listed sources."""

from __future__ import annotations

from atspro.llm.client import LLMClient
from atspro.llm.research import ResearchDraft, Source, render_report, write_research_report
from tests.fakes.openai_server import FakeOpenAIServer, Reply

POSTING = "Globex Corporation is hiring a Data Engineer to build pipelines in Python."
SOURCES = [
    Source(url="https://globex.example/about", text="Globex makes logistics software."),
    Source(url="https://globex.example/blog", text="We raised a Series B in 2023."),
]
SECTIONS = [
    "## Company overview",
    "## The role and how you fit",
    "## Likely interview topics",
    "## Questions to ask",
    "## Red flags",
    "## Sources",
]


def draft(**fields: object) -> ResearchDraft:
    base: dict[str, object] = {
        "company_name": "Globex Corporation",
        "company_overview": ["Globex makes logistics software [1].", "Series B in 2023 [2, 7]."],
        "role_and_fit": ["Builds Python pipelines; you have 5 years of Python."],
        "interview_topics": ["Data modelling", "Data modelling"],
        "questions_to_ask": [f"What about topic {chr(65 + i)}?" for i in range(12)],
        "red_flags": ["Funding news is old [9]."],
    }
    return ResearchDraft.model_validate(base | fields)


async def test_report_has_sections_citations_and_sources(
    openai_server: FakeOpenAIServer, llm_client: LLMClient
) -> None:
    openai_server.enqueue(Reply.structured(draft()))
    report = await write_research_report(
        posting_text=POSTING,
        resume_summary="5 years of Python.",
        sources=SOURCES,
        client=llm_client,
    )
    assert report.startswith("# Company research: Globex Corporation\n")
    positions = [report.index(section) for section in SECTIONS]
    assert positions == sorted(positions)
    assert "- Globex makes logistics software [1]." in report
    assert "- Series B in 2023 [2]." in report  # [7] does not exist
    assert "- Funding news is old." in report  # [9] neither
    assert report.count("Data modelling") == 1
    assert "10. What about topic J?" in report and "topic K" not in report
    assert "- [1] <https://globex.example/about>" in report
    assert "- [2] <https://globex.example/blog>" in report
    (sent,) = openai_server.requests
    user = sent.messages[1]["content"]
    assert "[2] https://globex.example/blog\nWe raised a Series B in 2023." in user
    assert "5 years of Python." in user


async def test_unsupported_company_name_and_no_sources(
    openai_server: FakeOpenAIServer, llm_client: LLMClient
) -> None:
    empty = draft(
        company_name="Hooli",
        company_overview=[],
        role_and_fit=[],
        interview_topics=[],
        questions_to_ask=[],
        red_flags=[],
    )
    openai_server.enqueue(Reply.structured(empty))
    report = await write_research_report(
        posting_text=POSTING, resume_summary="", sources=[], client=llm_client
    )
    assert report.startswith("# Company research: the company\n")
    assert "_The job posting and your resume only._" in report
    assert "_None suggested._" in report
    assert "_None found in the posting or the sources._" in report
    assert "(no source pages)" in openai_server.requests[0].messages[1]["content"]


def test_render_report_drops_all_citations_without_sources() -> None:
    report = render_report(draft(), sources=[], company="Globex")
    assert "[1]" not in report and "[2]" not in report


async def test_points_with_invented_numbers_are_dropped(
    openai_server: FakeOpenAIServer, llm_client: LLMClient
) -> None:
    sources = [Source(url=f"https://globex.example/{i}", text="About us.") for i in range(12)]
    sources.append(Source(url="https://globex.example/team", text="We are 1,200 people."))
    openai_server.enqueue(
        Reply.structured(
            draft(
                company_overview=[
                    "Globex has 1,200 employees [13].",
                    "Globex was founded in 1989 [13].",
                    "Globex is growing [12].",
                ],
                role_and_fit=["You have 5 years of Python.", "You have 9 years of Go."],
                red_flags=[],
            )
        )
    )
    report = await write_research_report(
        posting_text=POSTING,
        resume_summary="5 years of Python.",
        sources=sources,
        client=llm_client,
    )
    assert "- Globex has 1,200 employees [13]." in report
    assert "1989" not in report
    assert "- Globex is growing [12]." in report
    assert "5 years of Python" in report and "9 years of Go" not in report
