"""Company research: a report from the posting, the resume and, when allowed, the company's site."""

from __future__ import annotations

from atspro.research.about import CompanyFact, about_sentences, posting_facts
from atspro.research.questions import build_questions, build_topics
from atspro.research.redflags import RedFlag, detect_red_flags
from atspro.research.report import ResearchReport, build_research_report
from atspro.research.site import SitePage, read_company_site

__all__ = [
    "CompanyFact",
    "RedFlag",
    "ResearchReport",
    "SitePage",
    "about_sentences",
    "build_questions",
    "build_research_report",
    "build_topics",
    "detect_red_flags",
    "posting_facts",
    "read_company_site",
]
