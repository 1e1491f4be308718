"""Tailored resumes: the offline optimizer and the hard-rule checker it must pass."""

from __future__ import annotations

from atspro.tailoring.checker import Violation, blocking, check_tailoring
from atspro.tailoring.markdown import render_markdown
from atspro.tailoring.optimizer import TailoredResume, TailoringError, tailor_resume

__all__ = [
    "TailoredResume",
    "TailoringError",
    "Violation",
    "blocking",
    "check_tailoring",
    "render_markdown",
    "tailor_resume",
]
