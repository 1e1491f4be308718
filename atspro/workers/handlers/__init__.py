"""The task handlers ATSPro ships, and the registry that routes task types to them."""

from __future__ import annotations

from atspro.tasks.model import TaskType
from atspro.workers.registry import HandlerRegistry, noop_handler


def default_registry() -> HandlerRegistry:
    """Every shipped handler, by task type."""
    registry = HandlerRegistry()
    registry.register(TaskType.NOOP, noop_handler)
    return registry
