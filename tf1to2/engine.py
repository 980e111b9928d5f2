"""Convert one module's text: run the passes, apply the edits, check the gates.

This is the whole conversion of a single source text; files, trees and notebooks are built on it.
"""
from __future__ import annotations

import ast
import dataclasses
import enum
from typing import Any, Optional

from tf1to2 import rules as registry
from tf1to2.analysis.module import ModuleContext
from tf1to2.diagnostics import Diagnostic, Severity
from tf1to2.manifest import Manifest
from tf1to2.rewrite import edits as edit_ops
from tf1to2.rewrite.offsets import OffsetMap
from tf1to2.rules.base import Finding, rules_of
from tf1to2.source import LineIndex


class Status(str, enum.Enum):
    CHANGED = "changed"
    UNCHANGED = "unchanged"
    FAILED = "failed"
    SKIPPED = "skipped"


@dataclasses.dataclass(frozen=True)
class ConvertResult:
    """The converted text (the input itself when the conversion failed), findings and manifest units."""

    path: str
    source: str
    text: str
    status: Status
    diagnostics: tuple[Diagnostic, ...]
    units: tuple[Any, ...] = ()
    reason: str = ""

    @property
    def changed(self) -> bool:
        return self.text != self.source

    def manifest(self, converted_path: str) -> Manifest:
        return Manifest(source=self.path, converted=converted_path, units=tuple(self.units))


class GateFailure(Exception):
    pass


@dataclasses.dataclass
class _PassOutput:
    text: str
    diagnostics: list[Diagnostic]
    units: list[Any]
    offsets: OffsetMap


def convert_source(text: str, path: str = "<string>", *, check_gates: bool = True) -> ConvertResult:
    """Convert TF1 source text to TF2. Never raises for bad input: failures are in the result."""
    try:
        tree = ast.parse(text, filename=path)
    except SyntaxError as exc:
        hint = " (Python 2 code? only Python 3 is converted)" if _looks_like_python2(exc) else ""
        return failed(path, text, "TF401", exc.lineno or 1, (exc.offset or 1) - 1, f"syntax error: {exc.msg}{hint}")
    except (ValueError, RecursionError, MemoryError) as exc:
        return failed(path, text, "TF401", 1, 0, f"cannot be parsed: {exc}")
    try:
        run = _run_passes(ModuleContext.from_ast(text, tree, path))
        if check_gates:
            _check_gates(run)
    except GateFailure as exc:
        return failed(path, text, "TF402", 1, 0, str(exc))
    except Exception as exc:  # one file's internal error must not abort a tree  # noqa: BLE001
        return failed(path, text, "TF403", 1, 0, f"internal error: {type(exc).__name__}: {exc}")
    converted = run.text
    status = Status.CHANGED if converted != text else Status.UNCHANGED
    return ConvertResult(path, text, converted, status, tuple(run.diagnostics), tuple(run.units))


def _looks_like_python2(exc: SyntaxError) -> bool:
    return "Missing parentheses" in (exc.msg or "") or "print" in (exc.text or "").split("(")[0]


def failed(path: str, source: str, code: str, line: int, col: int, message: str) -> ConvertResult:
    diagnostic = Diagnostic(code, Severity.ERROR, line, max(col, 0), message + "; file left unchanged")
    return ConvertResult(path, source, source, Status.FAILED, (diagnostic,), reason=message)


@dataclasses.dataclass
class _Run:
    """One conversion of a text through every pass."""

    path: str
    text: str
    diagnostics: list[Diagnostic]
    units: list[Any]
    # Each pass's input text → its output text, in pass order. Passes are pure functions of the text,
    # so the gate's second conversion need not run a pass again on a text it has already converted.
    outputs: list[dict[str, str]]
    last_parse: ModuleContext  # the input of the last pass, which is also the output when that pass changed nothing


def _run_passes(module: ModuleContext) -> _Run:
    """Run every pass over the module's text, each on the previous pass's output.

    A pass that changes nothing hands its parse to the next; a changed text is parsed once, when the
    next pass needs it (so an output that does not parse is the gate's finding, not an internal error).
    """
    original_lines = module.lines
    diagnostics: list[Diagnostic] = []
    units: list[Any] = []
    earlier_maps: list[OffsetMap] = []  # one per pass already run, oldest first
    outputs: list[dict[str, str]] = []
    text = module.text
    for pass_ in registry.passes():
        if not pass_.modules:
            continue
        if module.text != text:
            module = ModuleContext.parse(text, module.path)
        out = _run_pass(module, pass_.modules)
        diagnostics.extend(
            _to_original(d, module.lines, earlier_maps, original_lines) for d in out.diagnostics
        )
        units.extend(_unit_to_original(u, module.lines, earlier_maps, original_lines) for u in out.units)
        earlier_maps.append(out.offsets)
        outputs.append({module.text: out.text})
        text = out.text
    return _Run(module.path, text, _dedupe(diagnostics), units, outputs, module)


def _run_pass(module: ModuleContext, modules) -> _PassOutput:
    findings: list[tuple[Finding, Severity]] = []
    for rule_module in modules:
        severity = rules_of(rule_module)[0].severity
        findings.extend((finding, finding.severity or severity) for finding in rule_module.check(module))
    accepted, rejected = edit_ops.select_compatible(f.edits for f, _ in findings)
    rejected_set = set(rejected)
    diagnostics = []
    units: list[Any] = []
    for index, (finding, severity) in enumerate(findings):
        fixed = bool(finding.edits) and index not in rejected_set
        message = finding.message
        if finding.edits and not fixed:
            message += " (not applied: overlaps another conversion)"
        diagnostics.append(Diagnostic(finding.code, severity, finding.line, finding.col, message, fixed))
        if fixed or not finding.edits:
            units.extend(finding.units)
    new_text = edit_ops.apply(module.text, accepted)
    return _PassOutput(new_text, diagnostics, units, OffsetMap(accepted))


def _to_original(
    diagnostic: Diagnostic, lines: LineIndex, earlier_maps: list[OffsetMap], original: LineIndex
) -> Diagnostic:
    """Move a diagnostic of a later pass to its position in the input file."""
    if not earlier_maps:
        return diagnostic
    offset = lines.starts[min(diagnostic.line, len(lines.starts)) - 1] + diagnostic.col
    for offsets in reversed(earlier_maps):
        offset = offsets.original(offset)
    line = original.line_of(offset)
    return dataclasses.replace(diagnostic, line=line, col=offset - original.starts[line - 1])


def _unit_to_original(unit: Any, lines: LineIndex, earlier_maps: list[OffsetMap], original: LineIndex) -> Any:
    """A manifest record with a ``line`` and ``col`` from a later pass points into that pass's input:
    move it to the input file, as diagnostics are. Records without a column are left as they are."""
    if not earlier_maps or not dataclasses.is_dataclass(unit) or not hasattr(unit, "col") or not hasattr(unit, "line"):
        return unit
    moved = _to_original(Diagnostic("", Severity.INFO, unit.line, unit.col, ""), lines, earlier_maps, original)
    return dataclasses.replace(unit, line=moved.line, col=moved.col)


def _dedupe(diagnostics: list[Diagnostic]) -> list[Diagnostic]:
    seen = set()
    unique = []
    for diagnostic in sorted(diagnostics, key=lambda d: (d.line, d.col, d.code)):
        if diagnostic not in seen:
            seen.add(diagnostic)
            unique.append(diagnostic)
    return unique


def _check_gates(run: _Run) -> None:
    """The output parses, and converting it again changes nothing.

    The second conversion runs each pass on the output of the one before, as the first did; a pass
    whose input is a text it already converted in the first run is not run again, its output is known
    (a file no pass changed is thus not converted twice).
    """
    if run.last_parse.text == run.text:
        output = run.last_parse  # the last pass changed nothing: its input is the output, and it parsed
    else:
        try:
            tree = ast.parse(run.text, filename=run.path)
        except SyntaxError as exc:
            raise GateFailure(f"converted output does not parse (line {exc.lineno}: {exc.msg})") from None
        output = ModuleContext.from_ast(run.text, tree, run.path)
    if _convert_again(output, run.outputs) != run.text:
        raise GateFailure("converting the output again changes it (the conversion is not stable)")


def _convert_again(module: ModuleContext, known_outputs: list[dict[str, str]]) -> str:
    """The module's text after every pass, without diagnostics: all the gate needs."""
    text = module.text
    passes = [pass_ for pass_ in registry.passes() if pass_.modules]
    for pass_, known in zip(passes, known_outputs):
        if text in known:
            text = known[text]
            continue
        if module.text != text:
            module = ModuleContext.parse(text, module.path)
        text = _run_pass(module, pass_.modules).text
    return text
