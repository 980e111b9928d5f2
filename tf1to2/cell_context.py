"""Convert a notebook cell in the context of the imports of the cells run before it.

A notebook imports TensorFlow in one cell and uses it in the next ones. Converted alone, a later cell
has no ``import tensorflow as tf``, so nothing in it resolves to TensorFlow and it would come out
unchanged. Each cell is therefore converted with the top-level imports of the cells above it written
before it (the *preamble*), followed by a marker statement; the converted text is then split at the marker.

What the conversion inserts above the marker (an import or a helper the cell's code now needs, placed
after the last import) is moved to the top of the cell. Findings and manifest positions are shifted
back to the cell's own lines; findings about the preamble itself belong to the cells that own those
imports and are dropped.

Caveats:
    Only imports are carried over, not other definitions: graph code built in one cell and run in a
    session in another is converted cell by cell (usually kept in graph mode, and reported). When the
    marker does not come through the conversion exactly once, or the cell would not parse after the
    split, the cell is converted alone, as if it had no preamble.
"""
from __future__ import annotations

import ast
import dataclasses
import difflib
from typing import Any, Optional

from tf1to2.diagnostics import Diagnostic
from tf1to2.engine import ConvertResult, Status, convert_source

# A statement, not a comment: code inserted "after the imports" then lands above it, in the preamble part,
# instead of between the marker and the cell (a comment would belong to the cell's first statement).
CELL_START = '__tf1to2_cell__ = "the cell starts here"'



def top_level_imports(text: str) -> list[str]:
    """The cell's top-level import statements, one line each (``from __future__`` excluded: it must
    stay the first statement of a module, and a later cell cannot use it)."""
    try:
        tree = ast.parse(text)
    except (SyntaxError, ValueError):
        return []
    return [
        ast.unparse(node)
        for node in tree.body
        if isinstance(node, ast.Import) or (isinstance(node, ast.ImportFrom) and node.module != "__future__")
    ]


def convert_with_imports(text: str, path: str, imports: list[str], pinned_lines: int = 0) -> ConvertResult:
    """Convert one cell's text as if ``imports`` were written above it.

    ``pinned_lines``: how many of the cell's first lines must stay first (a cell magic such as
    ``%%time``); what the conversion inserts goes after them.
    """
    if not imports:
        return convert_source(text, path)
    preamble = "".join(f"{line}\n" for line in imports)
    in_context = convert_source(preamble + CELL_START + "\n" + text, path)
    if in_context.status is Status.FAILED:
        return convert_source(text, path)  # its findings then point into the cell itself
    preamble_alone = convert_source(preamble, path)
    cell_text = _cell_part(in_context.text, preamble_alone.text, pinned_lines)
    if cell_text is None:
        return convert_source(text, path)
    offset = len(imports) + 1
    preamble_findings = set(preamble_alone.diagnostics)
    diagnostics = tuple(_shifted(d, offset) for d in in_context.diagnostics if d not in preamble_findings)
    units = tuple(_unit_shifted(unit, offset) for unit in in_context.units)
    status = Status.CHANGED if cell_text != text else Status.UNCHANGED
    return ConvertResult(path, text, cell_text, status, diagnostics, units)


def _cell_part(converted: str, converted_preamble: str, pinned_lines: int) -> Optional[str]:
    """The converted cell: what follows the marker, preceded by what the conversion inserted above it."""
    lines = converted.splitlines(keepends=True)
    starts = [number for number, line in enumerate(lines) if line.rstrip("\r\n") == CELL_START]
    if len(starts) != 1:
        return None
    head, body = lines[: starts[0]], lines[starts[0] + 1:]
    matcher = difflib.SequenceMatcher(a=converted_preamble.splitlines(keepends=True), b=head, autojunk=False)
    inserted = [line for tag, _, _, j1, j2 in matcher.get_opcodes() if tag in ("insert", "replace") for line in head[j1:j2]]
    inserted = _without_leading_blank_lines(inserted)
    cell = "".join(body[:pinned_lines] + inserted + body[pinned_lines:])
    try:
        ast.parse(cell)
    except (SyntaxError, ValueError):
        return None
    return cell


def _without_leading_blank_lines(lines: list[str]) -> list[str]:
    while lines and not lines[0].strip():
        lines = lines[1:]
    return lines


def _shifted(diagnostic: Diagnostic, offset: int) -> Diagnostic:
    # A finding placed in the preamble that the preamble alone does not produce is about the whole
    # cell (module-level findings sit at 1:1).
    if diagnostic.line <= offset:
        return dataclasses.replace(diagnostic, line=1, col=0)
    return dataclasses.replace(diagnostic, line=diagnostic.line - offset)


def _unit_shifted(unit: Any, offset: int) -> Any:
    line = getattr(unit, "line", None)
    if not isinstance(line, int) or not dataclasses.is_dataclass(unit):
        return unit
    return dataclasses.replace(unit, line=max(1, line - offset))
