"""Convert a Jupyter notebook cell by cell.

Only code cells are converted, each as its own module written after the imports of the code cells
above it (``tf1to2.cell_context``: a cell's ``tf.`` resolves through the import in an earlier cell). IPython syntax is not Python: lines that start
with ``%`` (magics), ``!`` (shell) or ``?`` and lines like ``tf.nn?`` (help) are swapped for a ``pass``
statement carrying a numbered marker before conversion and put back, byte for byte, afterwards. A cell
that starts with a cell magic running another language (``%%bash``, ``%%writefile``) is left alone. A
cell that still cannot be converted keeps its text and gets an error finding; the other cells convert.

The notebook is read and written with ``json``, keeping its layout conventions (nbformat writes an
indent of 1 and a trailing newline); a notebook in which nothing changes is returned as the same text.
"""
from __future__ import annotations

import ast
import dataclasses
import json
import re
from typing import Any, Optional

from tf1to2.cell_context import convert_with_imports, top_level_imports
from tf1to2.diagnostics import Diagnostic, Severity
from tf1to2.engine import Status

# Cell magics whose body is Python run in the kernel; any other cell magic makes the cell foreign.
PYTHON_CELL_MAGICS = frozenset({"time", "timeit", "capture", "prun", "debug"})
_MARKER = "pass  # <tf1to2 IPython line {}>"
_MARKER_PREFIX = "<tf1to2 IPython line "
_HELP_LINE = re.compile(r"[\w.*]+\?{1,2}")


@dataclasses.dataclass(frozen=True)
class CellResult:
    """One code cell; ``index`` is the cell's 1-based position among all cells of the notebook."""

    index: int
    before: str
    after: str
    diagnostics: tuple[Diagnostic, ...]
    units: tuple[Any, ...] = ()
    failed: bool = False  # could not be converted: kept as it was


@dataclasses.dataclass(frozen=True)
class NotebookResult:
    """``text`` is the notebook to write: the input itself when nothing changed or the notebook failed."""

    source: str
    text: str
    status: Status
    cells: tuple[CellResult, ...] = ()
    diagnostics: tuple[Diagnostic, ...] = ()  # about the notebook as a whole, not a cell
    reason: str = ""

    @property
    def units(self) -> tuple[Any, ...]:
        return tuple(unit for cell in self.cells for unit in cell.units)


def convert_notebook(text: str, path: str = "<notebook>") -> NotebookResult:
    try:
        notebook = json.loads(text)
    except ValueError as exc:
        return _failed(text, f"not a notebook: invalid JSON ({exc})")
    if not isinstance(notebook, dict) or not isinstance(notebook.get("cells"), list):
        reason = "not a notebook in nbformat 4 (no list of cells); upgrade it with `jupyter nbconvert --to notebook`"
        return _failed(text, reason)
    language = _language(notebook)
    if language and language.lower() != "python":
        return NotebookResult(text, text, Status.SKIPPED, reason=f"notebook kernel language is {language}, not Python")
    cells = []
    imports: list[str] = []  # of the cells above, as written: what a cell's names resolve through
    for index, cell in enumerate(notebook["cells"], start=1):
        if not isinstance(cell, dict) or cell.get("cell_type") != "code":
            continue
        result = _convert_cell(index, _cell_text(cell), path, imports)
        if result is None:
            continue
        imports.extend(top_level_imports(_mask_ipython(result.before)[0]))
        cells.append(result)
        if result.after != result.before:
            cell["source"] = _as_stored(result.after, cell["source"])
    changed = any(cell.after != cell.before for cell in cells)
    if not changed:
        return NotebookResult(text, text, Status.UNCHANGED, tuple(cells), reason=_cell_failures(cells))
    return NotebookResult(text, _dump(notebook, text), Status.CHANGED, tuple(cells), reason=_cell_failures(cells))


def _convert_cell(index: int, text: str, path: str, imports: list[str]) -> Optional[CellResult]:
    if _foreign_cell_magic(text):
        return None
    masked, ipython_lines = _mask_ipython(text)
    cell_magic_lines = 1 if text.lstrip().startswith("%%") else 0
    result = convert_with_imports(masked, path, imports, cell_magic_lines)
    if result.status is Status.FAILED:
        return CellResult(index, text, text, result.diagnostics, failed=True)
    after = _unmask(result.text, ipython_lines)
    if after is None:
        message = "an IPython line (magic, shell or help) could not be kept in place; cell left unchanged"
        lost = Diagnostic("TF402", Severity.ERROR, 1, 0, message)
        return CellResult(index, text, text, (lost,), failed=True)
    return CellResult(index, text, after, result.diagnostics, result.units)


def _foreign_cell_magic(text: str) -> bool:
    first = text.lstrip().split("\n", 1)[0]
    if not first.startswith("%%"):
        return False
    name = first[2:].split(maxsplit=1)[0] if first[2:].strip() else ""
    return name not in PYTHON_CELL_MAGICS


def _mask_ipython(text: str) -> tuple[str, list[str]]:
    """Replace IPython-only lines with numbered ``pass`` markers; returns the text and the lines' bodies.

    A cell that already parses as Python is returned as is: ``% b`` on a continuation line is modulo.
    """
    try:
        ast.parse(text)
        return text, []
    except (SyntaxError, ValueError):
        pass
    if _MARKER_PREFIX in text:
        return text, []
    bodies: list[str] = []
    out = []
    for line in text.splitlines(keepends=True):
        content = line.rstrip("\r\n")
        body = content.lstrip()
        if not _is_ipython_line(body):
            out.append(line)
            continue
        indent = content[: len(content) - len(body)]
        out.append(indent + _MARKER.format(len(bodies)) + line[len(content):])
        bodies.append(body)
    return "".join(out), bodies


def _is_ipython_line(body: str) -> bool:
    return body.startswith(("%", "!", "?")) or bool(_HELP_LINE.fullmatch(body))


def _unmask(text: str, bodies: list[str]) -> Optional[str]:
    """Put the IPython lines back; None when a marker was lost or duplicated by the conversion."""
    for number, body in enumerate(bodies):
        marker = _MARKER.format(number)
        if text.count(marker) != 1:
            return None
        text = text.replace(marker, body)
    return text


def _cell_text(cell: dict) -> str:
    source = cell.get("source", "")
    return "".join(source) if isinstance(source, list) else str(source)


def _as_stored(text: str, original: Any) -> Any:
    """nbformat stores a cell's source as a list of lines (each with its newline) or as one string."""
    return text.splitlines(keepends=True) if isinstance(original, list) else text


def _language(notebook: dict) -> Optional[str]:
    metadata = notebook.get("metadata") or {}
    kernelspec = metadata.get("kernelspec") or {}
    language_info = metadata.get("language_info") or {}
    return kernelspec.get("language") or language_info.get("name")


def _dump(notebook: dict, original: str) -> str:
    """Serialize like the input: its indent (nbformat: 1), its escaping, its trailing newline."""
    indent_match = re.search(r"\n( +)\S", original)
    indent = len(indent_match.group(1)) if indent_match else 1
    ensure_ascii = original.isascii() and "\\u" in original
    text = json.dumps(notebook, indent=indent, ensure_ascii=ensure_ascii)
    return text + "\n" if original.endswith("\n") or not original else text


def _cell_failures(cells: list[CellResult]) -> str:
    failed = [str(cell.index) for cell in cells if cell.failed]
    if not failed:
        return ""
    return f"cell{'s' if len(failed) > 1 else ''} {', '.join(failed)} left unchanged (see the errors)"


def _failed(text: str, reason: str) -> NotebookResult:
    diagnostic = Diagnostic("TF400", Severity.ERROR, 1, 0, reason + "; file left unchanged")
    return NotebookResult(text, text, Status.FAILED, diagnostics=(diagnostic,), reason=reason)
