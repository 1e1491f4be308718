"""Worker tests open runtimes the same way the task platform tests do."""

from __future__ import annotations

from tests.tasks.conftest import RuntimeFactory, runtime_factory

__all__ = ["RuntimeFactory", "runtime_factory"]
