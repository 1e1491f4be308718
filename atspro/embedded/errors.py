"""Errors raised while starting or stopping an embedded Redis or PostgreSQL."""

from __future__ import annotations

from atspro.errors import ServiceUnavailable


class EmbeddedServiceError(ServiceUnavailable):
    """An embedded server could not be started or stopped; ``log_tail`` holds its last output."""

    def __init__(self, message: str, *, log_tail: str = "") -> None:
        full = f"{message}\n--- server log (last lines) ---\n{log_tail}" if log_tail else message
        super().__init__(full)
        self.log_tail = log_tail


class BinaryNotFound(EmbeddedServiceError):
    """Neither the system nor an installed Python package provides the server binary."""

    def __init__(self, program: str, *, searched: list[str], hint: str) -> None:
        where = "\n  ".join(searched) if searched else "(nowhere)"
        super().__init__(f"cannot find {program}; looked in:\n  {where}\n{hint}")
        self.program = program
        self.searched = searched
