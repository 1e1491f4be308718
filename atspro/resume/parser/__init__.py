"""The offline, rule-based resume parser (in the spirit of OpenResume's parser)."""

from atspro.resume.parser.resume import parse_resume_document

__all__ = ["parse_resume_document"]
