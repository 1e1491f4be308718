"""Company research: an offline report from the posting, the resume and optional site text."""

from __future__ import annotations

from atspro.research.questions import build_questions, build_topics
from atspro.research.redflags import RedFlag, detect_red_flags
from atspro.research.report import ResearchReport, build_research_report

__all__ = [
    "RedFlag",
    "ResearchReport",
    "build_questions",
    "build_research_report",
    "build_topics",
    "detect_red_flags",
]
