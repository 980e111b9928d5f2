"""What a rule is: a stable code, a summary, documentation, and a ``check`` that yields findings.

A rule module defines ``CODE``, ``SUMMARY``, ``SEVERITY``, a docstring with Before / After / Caveats, and
``check(module: ModuleContext) -> Iterator[Finding]``. Some rules report several closely related codes;
those list them in ``CODES`` (code → summary) instead of ``CODE``/``SUMMARY``, and in ``SEVERITIES``
(code → severity) the codes whose usual severity is not ``SEVERITY``.
"""
from __future__ import annotations

import dataclasses
from types import ModuleType
from typing import Any, Callable, Iterator, Optional

from tf1to2.analysis.module import ModuleContext
from tf1to2.diagnostics import Severity
from tf1to2.rewrite.edits import Edit


@dataclasses.dataclass(frozen=True)
class Finding:
    """What a rule saw at ``line:col`` and the edits that fix it (none: report only).

    ``units`` are manifest entries that become true only if the edits are applied.
    """

    code: str
    line: int
    col: int
    message: str
    edits: tuple[Edit, ...] = ()
    severity: Optional[Severity] = None
    units: tuple[Any, ...] = ()


@dataclasses.dataclass(frozen=True)
class Rule:
    code: str
    summary: str
    severity: Severity
    documentation: str
    check: Callable[[ModuleContext], Iterator[Finding]]


def rules_of(module: ModuleType) -> list[Rule]:
    """The Rule records a rule module declares (one per code)."""
    codes = getattr(module, "CODES", None) or {module.CODE: module.SUMMARY}
    severities = getattr(module, "SEVERITIES", {})
    return [
        Rule(
            code=code,
            summary=summary,
            severity=severities.get(code, module.SEVERITY),
            documentation=(module.__doc__ or "").strip(),
            check=module.check,
        )
        for code, summary in codes.items()
    ]
