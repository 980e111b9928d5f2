"""Findings as data: what a rule saw, where, and whether the output fixes it.

The library never prints; ``tf1to2.render`` turns these into text or JSON.
"""
from __future__ import annotations

import dataclasses
import enum


class Severity(str, enum.Enum):
    """How much a finding needs a person.

    ERROR: the output does not do what the input did, or the file could not be converted.
    WARNING: converted or kept, but a human should read it (a semantic difference, a fallback).
    INFO: converted exactly; reported so nothing is counted that was not done.
    """

    ERROR = "error"
    WARNING = "warning"
    INFO = "info"


@dataclasses.dataclass(frozen=True)
class Diagnostic:
    """One finding at ``line:col`` (line 1-based, col 0-based in characters)."""

    code: str
    severity: Severity
    line: int
    col: int
    message: str
    fixed: bool = False

    def as_dict(self) -> dict:
        return {
            "code": self.code,
            "severity": self.severity.value,
            "line": self.line,
            "col": self.col + 1,
            "message": self.message,
            "fixed": self.fixed,
        }
