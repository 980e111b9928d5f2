"""``path:line:col: CODE message`` lines, one per finding."""
from __future__ import annotations

from typing import Iterable

from tf1to2.diagnostics import Diagnostic


def diagnostic_line(path: str, diagnostic: Diagnostic) -> str:
    state = "fixed" if diagnostic.fixed else diagnostic.severity.value
    return f"{path}:{diagnostic.line}:{diagnostic.col + 1}: {diagnostic.code} [{state}] {diagnostic.message}"


def report(path: str, diagnostics: Iterable[Diagnostic]) -> str:
    return "".join(diagnostic_line(path, d) + "\n" for d in diagnostics)
