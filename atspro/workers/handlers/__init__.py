"""The task handlers ATSPro ships, and the registry that routes task types to them."""

from __future__ import annotations

from atspro.tasks.model import TaskType
from atspro.workers.handlers import cover_letter, matching, parsing, ranking
from atspro.workers.registry import HandlerRegistry, noop_handler


def default_registry() -> HandlerRegistry:
    """Every shipped handler, by task type."""
    registry = HandlerRegistry()
    registry.register(TaskType.NOOP, noop_handler)
    registry.register(TaskType.PARSE_RESUME, parsing.parse_resume)
    registry.register(TaskType.PARSE_JOB, parsing.parse_job)
    registry.register(TaskType.SCORE_MATCH, matching.score)
    registry.register(TaskType.OPTIMIZE_RESUME, matching.optimize)
    registry.register(TaskType.RESEARCH_COMPANY, matching.research)
    registry.register(TaskType.WRITE_COVER_LETTER, cover_letter.write_cover_letter)
    registry.register(TaskType.RANK_RESUMES, ranking.rank_resumes)
    return registry
