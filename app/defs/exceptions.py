"""Errors of the definition format: every problem points at path:line:col."""
from __future__ import annotations

from dataclasses import dataclass, field
from typing import NamedTuple


@dataclass(frozen=True, order=True)
class Problem:
    path: str
    line: int
    col: int
    message: str
    at: tuple = field(default=(), compare=False)   # the definition path, e.g. ("steps", 2, "when")
    code: str = field(default="", compare=False)   # e.g. "condition.unknown_field" (designer/catalogue.py)
    params: dict = field(default_factory=dict, compare=False)   # the code's values: {"name": "amount"}

    def __str__(self) -> str:
        return f"{self.path}:{self.line}:{self.col}: {self.message}"


class Finding(NamedTuple):
    """What is wrong, before it is placed at a path: ``message`` in English (the CLI's and
    IT's text), ``code`` and ``params`` for a translation (designer/catalogue.py)."""
    message: str
    code: str
    params: dict | None = None


class DefinitionError(Exception):
    """A definition failed to load, validate or import; ``problems`` lists every finding."""

    def __init__(self, problems):
        self.problems = sorted(set(problems), key=lambda p: (p.path, p.line, p.col, p.message))
        super().__init__("\n".join(str(p) for p in self.problems) or "invalid definition")


class ExprError(ValueError):
    """A condition that cannot be parsed or is not allowed; ``col`` is 1-based."""

    def __init__(self, message: str, col: int = 1, code: str = "condition.invalid", params: dict | None = None):
        self.message = message
        self.col = col
        self.code, self.params = code, dict(params or {})    # for designer/catalogue.py
        super().__init__(f"col {col}: {message}")
