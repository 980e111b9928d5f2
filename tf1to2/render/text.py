"""``path:line:col: CODE message`` lines, one per finding."""
from __future__ import annotations

from typing import TYPE_CHECKING, Iterable

from tf1to2.diagnostics import Diagnostic

if TYPE_CHECKING:
    from tf1to2.files import FileResult


def diagnostic_line(path: str, diagnostic: Diagnostic) -> str:
    state = "fixed" if diagnostic.fixed else diagnostic.severity.value
    return f"{path}:{diagnostic.line}:{diagnostic.col + 1}: {diagnostic.code} [{state}] {diagnostic.message}"


def report(path: str, diagnostics: Iterable[Diagnostic]) -> str:
    return "".join(diagnostic_line(path, d) + "\n" for d in diagnostics)


def results_report(results: Iterable["FileResult"]) -> str:
    """The findings of many files; a notebook finding's location names its cell (``nb.ipynb:cell 3``)."""
    lines = []
    for result in results:
        for located in result.diagnostics:
            where = result.path if located.cell is None else f"{result.path}:cell {located.cell}"
            lines.append(diagnostic_line(where, located.diagnostic) + "\n")
    return "".join(lines)
