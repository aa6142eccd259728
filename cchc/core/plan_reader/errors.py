"""The one exception the plan reader raises."""

from __future__ import annotations


class PlanReadError(ValueError):
    """A plan document could not be understood.

    ``message`` is Vietnamese and meant for users; ``line`` is the 1-based line of the input text
    where understanding stopped (``None`` when no line applies, e.g. an unreadable file).
    """

    def __init__(self, message: str, *, line: int | None = None, source_name: str = "<text>") -> None:
        self.message = message
        self.line = line
        self.source_name = source_name
        where = f"{source_name}:{line}" if line is not None else source_name
        super().__init__(f"{where}: {message}")
