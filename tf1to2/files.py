"""Convert files: bytes in, bytes out, with a typed per-file result.

``convert_source`` works on text; this module adds everything that is about files. Bytes are decoded as
Python would (PEP 263 coding line, BOM) and written back in the same encoding, with the same BOM and the
same newline style. A file that cannot be read, decoded, parsed or converted safely is reported as
failed and its original bytes are what gets written, so an output tree never holds an empty or
half-converted file. Writing is atomic (``tf1to2.atomic``), so ``--inplace`` never truncates a source.
"""
from __future__ import annotations

import codecs
import dataclasses
import enum
import os
import re
import shutil
from typing import Any, Optional

from tf1to2.atomic import existing_mode, write_atomic
from tf1to2.diagnostics import Diagnostic, Severity
from tf1to2.engine import Status, convert_source
from tf1to2.manifest import Manifest
from tf1to2.notebooks import convert_notebook
from tf1to2.source import SourceDecodeError, decode

MANIFEST_SUFFIX = ".tf1to2.json"
_ANY_NEWLINE = re.compile(r"\r\n?")


class Kind(str, enum.Enum):
    PYTHON = "python"
    NOTEBOOK = "notebook"
    OTHER = "other"  # copied as is into an output tree
    SYMLINK = "symlink"  # recreated as a link, never followed
    DIRECTORY = "directory"  # appears only when a directory cannot be read


@dataclasses.dataclass(frozen=True)
class FileDiagnostic:
    """A finding in a file; ``cell`` is the notebook cell (1-based position among all cells)."""

    diagnostic: Diagnostic
    cell: Optional[int] = None


@dataclasses.dataclass(frozen=True)
class TextChange:
    """One converted text, for diffs: a module, or one notebook cell (``label`` says which)."""

    label: str
    before: str
    after: str


@dataclasses.dataclass(frozen=True)
class FileResult:
    """What happened to one file.

    ``status``: changed (converted), unchanged, failed (left as it was, ``reason`` says why) or skipped
    (not converted: copied, a link, a notebook in another language; ``reason`` says which).
    ``output`` is the file written (None: nothing written); ``content`` the bytes written or that would be.
    """

    path: str
    kind: Kind
    status: Status
    reason: str = ""
    diagnostics: tuple[FileDiagnostic, ...] = ()
    units: tuple[Any, ...] = ()
    changes: tuple[TextChange, ...] = ()
    output: Optional[str] = None
    manifest_path: Optional[str] = None
    content: Optional[bytes] = dataclasses.field(default=None, repr=False, compare=False)

    @property
    def changed(self) -> bool:
        return self.status is Status.CHANGED

    def manifest(self, converted_path: str) -> Manifest:
        return Manifest(source=self.path, converted=converted_path, units=tuple(self.units))


def kind_of(path: str, *, in_tree: bool) -> Kind:
    """A file named on the command line is Python unless it is a notebook; in a tree only ``*.py`` is."""
    if path.endswith(".ipynb"):
        return Kind.NOTEBOOK
    if path.endswith(".py") or not in_tree:
        return Kind.PYTHON
    return Kind.OTHER


def manifest_path_for(converted_path: str) -> str:
    return os.path.splitext(converted_path)[0] + MANIFEST_SUFFIX


def convert_file(path: str, output: Optional[str] = None, *, kind: Optional[Kind] = None) -> FileResult:
    """Convert the file at ``path``; with ``output``, write the result there (``output == path``: in place).

    Nothing is written without ``output``; the bytes are in ``result.content`` either way. Never raises
    for a bad file: read, decode, parse and write errors are in the result.
    """
    kind = kind or kind_of(path, in_tree=False)
    try:
        with open(path, "rb") as stream:
            data = stream.read()
    except OSError as exc:
        return read_failure(path, kind, f"cannot read file: {exc.strerror or exc}")
    result = convert_bytes(data, path, kind)
    if output is None:
        return result
    return write_result(result, output, mode=existing_mode(path, default=0o644))


def convert_bytes(data: bytes, path: str, kind: Kind = Kind.PYTHON) -> FileResult:
    """Convert a file's bytes (``path`` only names it in findings). ``content`` holds the bytes to write."""
    if kind is Kind.NOTEBOOK:
        return _convert_notebook_bytes(data, path)
    try:
        decoded = decode(data)
    except SourceDecodeError as exc:
        return read_failure(path, kind, str(exc), line=exc.line, data=data)
    text = _ANY_NEWLINE.sub("\n", decoded.text)  # rules insert "\n"; the file's own style is restored below
    result = convert_source(text, path)
    diagnostics = tuple(FileDiagnostic(d) for d in result.diagnostics)
    if result.status is not Status.CHANGED:
        return FileResult(path, kind, result.status, result.reason, diagnostics, tuple(result.units), content=data)
    try:
        content = decoded.encode(result.text.replace("\n", decoded.newline))
    except UnicodeEncodeError as exc:
        reason = f"converted text cannot be written in the file's encoding {decoded.encoding}: {exc.reason}"
        return read_failure(path, kind, reason, code="TF402", data=data)
    change = TextChange(path, text, result.text)
    return FileResult(path, kind, Status.CHANGED, "", diagnostics, tuple(result.units), (change,), content=content)


def _convert_notebook_bytes(data: bytes, path: str) -> FileResult:
    has_bom = data.startswith(codecs.BOM_UTF8)
    body = data[len(codecs.BOM_UTF8):] if has_bom else data
    try:
        text = body.decode("utf-8")
    except UnicodeDecodeError as exc:
        return read_failure(path, Kind.NOTEBOOK, f"notebook is not valid UTF-8: {exc.reason}", data=data)
    notebook = convert_notebook(text, path)
    diagnostics = tuple(FileDiagnostic(d) for d in notebook.diagnostics) + tuple(
        FileDiagnostic(d, cell.index) for cell in notebook.cells for d in cell.diagnostics
    )
    if notebook.status is not Status.CHANGED:
        return FileResult(
            path, Kind.NOTEBOOK, notebook.status, notebook.reason, diagnostics, notebook.units, content=data
        )
    newline = "\r\n" if "\r\n" in text else "\n"  # JSON escapes newlines in strings: raw ones are layout
    content = (codecs.BOM_UTF8 if has_bom else b"") + notebook.text.replace("\n", newline).encode("utf-8")
    changes = tuple(
        TextChange(f"{path}:cell {cell.index}", cell.before, cell.after)
        for cell in notebook.cells
        if cell.after != cell.before
    )
    return FileResult(
        path, Kind.NOTEBOOK, Status.CHANGED, notebook.reason, diagnostics, notebook.units, changes, content=content
    )


def read_failure(
    path: str, kind: Kind, reason: str, *, line: int = 1, code: str = "TF400", data: Optional[bytes] = None
) -> FileResult:
    diagnostic = Diagnostic(code, Severity.ERROR, line, 0, reason + "; file left unchanged")
    return FileResult(path, kind, Status.FAILED, reason, (FileDiagnostic(diagnostic),), content=data)


def write_result(result: FileResult, output: str, *, mode: int) -> FileResult:
    """Write ``result.content`` to ``output`` atomically, and its manifest when it has units.

    In place (``output`` is the source), an unchanged or failed file is not touched at all.
    """
    if result.content is None:
        return result  # the file could not be read: there is nothing to write
    in_place = _same_file(result.path, output)
    if in_place:
        output = os.path.realpath(output)  # rewrite a symlink's target, keep the link
    written = None
    written_manifest = None
    try:
        if not (in_place and not result.changed):
            write_atomic(output, result.content, mode)
            written = output
        if result.units and result.status is not Status.FAILED:
            written_manifest = manifest_path_for(output)
            manifest = result.manifest(output).to_json().encode("utf-8")
            write_atomic(written_manifest, manifest, existing_mode(written_manifest, default=0o644))
    except OSError as exc:
        return _write_failure(result, output, exc)
    return dataclasses.replace(result, output=written, manifest_path=written_manifest)


def _write_failure(result: FileResult, output: str, exc: OSError) -> FileResult:
    reason = f"cannot write {output}: {exc.strerror or exc}"
    diagnostic = Diagnostic("TF404", Severity.ERROR, 1, 0, reason + "; output left as it was")
    return dataclasses.replace(
        result, status=Status.FAILED, reason=reason, diagnostics=result.diagnostics + (FileDiagnostic(diagnostic),)
    )


def copy_file(path: str, output: str) -> FileResult:
    """Copy a file that is not converted, keeping its mode and times."""
    try:
        shutil.copy2(path, output, follow_symlinks=False)
    except OSError as exc:
        return read_failure(path, Kind.OTHER, f"cannot copy to {output}: {exc.strerror or exc}")
    return FileResult(path, Kind.OTHER, Status.SKIPPED, "copied unchanged (not Python)", output=output)


def copy_link(path: str, output: str) -> FileResult:
    """Recreate a symbolic link with the same target text (relative links stay relative)."""
    try:
        target = os.readlink(path)
        if os.path.lexists(output):
            os.unlink(output)
        os.symlink(target, output)
    except OSError as exc:
        return read_failure(path, Kind.SYMLINK, f"cannot recreate symbolic link at {output}: {exc.strerror or exc}")
    return FileResult(path, Kind.SYMLINK, Status.SKIPPED, f"symbolic link kept (to {target})", output=output)


def _same_file(a: str, b: str) -> bool:
    return os.path.realpath(a) == os.path.realpath(b)
