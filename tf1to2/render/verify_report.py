"""``verify`` as a table a person reads at a glance, plus the failures in full; JSON with everything.

Also the one-screen summaries of ``diff-checkpoint`` and ``convert-checkpoint``.
"""
from __future__ import annotations

import json
from typing import Iterable, Optional, Sequence

from tf1to2.verify.report import Check, CheckpointDiff, ConvertedCheckpoint, NameProblem, Side, VerifyReport

# Failures shown per unit and comparison, and skipped module statements; the JSON has all of them.
FAILURES_SHOWN = 5
SKIPPED_SHOWN = 3


def _number(value: Optional[float]) -> str:
    return "-" if value is None else f"{value:.3g}"


def _side(side: Side) -> str:
    keras = f", Keras {side.keras}" if side.keras else ""
    return f"TensorFlow {side.tensorflow}{keras}, Python {side.python}"


def _status(checks: Sequence[Check]) -> str:
    if any(not check.passed for check in checks):
        return "FAIL"
    if all(check.skipped for check in checks):
        return "skipped"
    return "ok"


def _worst(checks: Sequence[Check]) -> Check:
    failing = [check for check in checks if not check.passed] or [c for c in checks if not c.skipped] or list(checks)
    return max(failing, key=lambda check: check.max_abs if check.max_abs is not None else -1.0)


def _table(rows: list[list[str]]) -> list[str]:
    widths = [max(len(row[i]) for row in rows) for i in range(len(rows[0]))]
    return ["  ".join(cell.ljust(width) for cell, width in zip(row, widths)).rstrip() for row in rows]


def _groups(checks: Iterable[Check]) -> dict[tuple[str, str], list[Check]]:
    groups: dict[tuple[str, str], list[Check]] = {}
    for check in checks:
        groups.setdefault((check.unit, check.comparison.value), []).append(check)
    return groups


def failure_line(check: Check) -> str:
    """``Unit · comparison · subject · step N: what differs (max abs …, held to …)``."""
    where = " · ".join(part for part in (check.unit, check.comparison.value, check.subject) if part)
    if check.step is not None:
        where += f" · step {check.step}"
    numbers = []
    if check.max_abs is not None:
        numbers.append(f"max abs {_number(check.max_abs)}, max rel {_number(check.max_rel)}")
    if check.allowed:
        numbers.append(f"held to {check.allowed}")
    suffix = f" ({'; '.join(numbers)})" if numbers else ""
    return f"{where}: {check.detail or 'differs'}{suffix}"


def table(report: VerifyReport) -> str:
    lines = [
        f"original:  {report.original} ({_side(report.original_side)})",
        f"converted: {report.converted} ({_side(report.converted_side)})",
        f"manifest:  {report.manifest}; {report.steps} training steps; default tolerance {report.tolerance}",
    ]
    skipped = report.converted_side.skipped_statements
    if skipped:
        lines.append(f"note: {len(skipped)} top-level statement{'s' if len(skipped) != 1 else ''} of the converted "
                     f"module need graph mode and did not run: " + "; ".join(skipped[:SKIPPED_SHOWN])
                     + ("; ..." if len(skipped) > SKIPPED_SHOWN else ""))
    lines += [f"note: {note}" for note in report.notes]
    lines.append("")
    rows = [["unit", "comparison", "result", "checks", "max abs", "max rel", "held to"]]
    groups = _groups(report.checks)
    for (unit, comparison), checks in groups.items():
        worst = _worst(checks)
        rows.append([unit, comparison, _status(checks), str(len(checks)), _number(worst.max_abs),
                     _number(worst.max_rel), worst.allowed or ("exact" if comparison == "variables" else "-")])
    lines += _table(rows)
    if report.failures:
        lines += ["", f"Failures ({len(report.failures)}):"]
        for checks in groups.values():
            failing = [check for check in checks if not check.passed]
            lines += [f"  {failure_line(check)}" for check in failing[:FAILURES_SHOWN]]
            if len(failing) > FAILURES_SHOWN:
                group = f"{failing[0].unit} · {failing[0].comparison.value}"
                lines.append(f"  ... and {len(failing) - FAILURES_SHOWN} more of {group} (see --json)")
    if report.workdir:
        lines += ["", f"exchanged files kept in {report.workdir}"]
    total = len(report.checks)
    if report.equivalent:
        lines += ["", f"EQUIVALENT: {total} checks passed"]
    else:
        lines += ["", f"NOT EQUIVALENT: {len(report.failures)} of {total} checks failed"]
    return "\n".join(lines) + "\n"


def to_json(report: VerifyReport) -> str:
    return json.dumps(report.as_dict(), indent=2) + "\n"


def _problem_rows(problems: Sequence[NameProblem], closest_label: str) -> list[str]:
    rows = []
    width = max((len(problem.name) for problem in problems), default=0)
    for problem in problems:
        parts = [problem.name.ljust(width)]
        if problem.actual_shape is not None:
            parts.append(f"manifest {_shape(problem.expected_shape)}, checkpoint {_shape(problem.actual_shape)}")
        elif problem.expected_shape is not None:
            parts.append(f"shape {_shape(problem.expected_shape)}")
        if problem.closest:
            parts.append(f"{closest_label}: {problem.closest}")
        if problem.note:
            parts.append(f"({problem.note})")
        rows.append(("    " + "   ".join(parts)).rstrip())
    return rows


def _shape(shape: Optional[Sequence[Optional[int]]]) -> str:
    if shape is None:
        return "-"
    return "(" + ", ".join("?" if d is None else str(d) for d in shape) + ")"


def checkpoint_diff(diff: CheckpointDiff) -> str:
    names = "TF1 variable names" if diff.kind == "tf1" else "tf.train.Checkpoint attribute paths"
    lines = [f"checkpoint {diff.checkpoint} ({names}) against manifest {diff.manifest}",
             f"  {diff.matched} weight{'s' if diff.matched != 1 else ''} match"]
    if diff.missing:
        lines.append(f"  missing ({len(diff.missing)}): the manifest needs them, the checkpoint lacks them")
        lines += _problem_rows(diff.missing, "closest in the checkpoint")
    if diff.wrong_shape:
        lines.append(f"  wrong shape ({len(diff.wrong_shape)}):")
        lines += _problem_rows(diff.wrong_shape, "")
    if diff.unexpected:
        lines.append(f"  unexpected ({len(diff.unexpected)}): in the checkpoint, no manifest weight")
        lines += _problem_rows(diff.unexpected, "closest in the manifest")
    if diff.optimizer_state:
        shown = ", ".join(diff.optimizer_state[:6]) + (", ..." if len(diff.optimizer_state) > 6 else "")
        lines.append(f"  optimizer state, not weights ({len(diff.optimizer_state)}): {shown}")
    lines.append("  OK: every weight is there with its shape" if diff.clean else "  MISMATCH")
    return "\n".join(lines) + "\n"


def checkpoint_diff_json(diff: CheckpointDiff) -> str:
    return json.dumps(diff.as_dict(), indent=2) + "\n"


def converted_checkpoint(result: ConvertedCheckpoint) -> str:
    line = f"wrote {result.output}: {result.weights} weights of {result.unit} from {result.source}"
    if result.optimizer:
        line += f"; {result.optimizer} state: {result.slots} slots"
        if result.iterations is not None:
            line += f", {result.iterations} iterations"
    return line + "\n"
