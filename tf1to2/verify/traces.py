"""``sess.run`` sites against their replacement functions over the script's own run.

Both runners run their script as a program and record, in order, every value a site returned: the
original by the line of its ``Session.run`` / ``Tensor.eval`` / ``Operation.run`` call
(``session_trace.py``), the converted script by the call of the replacement function
(``tf2_trace.py``). Here, in the CLI process (numpy only), the two sequences are paired and compared.

Sites sharing a replacement function (the same fetches and feeds at two places) are paired as one
sequence, in the order the calls happened on each side, and each original call keeps its site: the
conversion keeps the statements in order, so the n-th call of ``g_step`` is the n-th run of its sites.
A failure names the site by its TF1 line, the step (the site's n-th run), the fetch and both values.
"""
from __future__ import annotations

import ast
import dataclasses
import math
from typing import Any, Mapping, Optional, Sequence

import numpy as np

from tf1to2.verify.compare import array_difference, last_line
from tf1to2.verify.report import Check, Comparison, Tolerance

# The subject of a failure of the call itself (the replacement function raised).
CALL = "(the call)"

# --- what the runners are told --------------------------------------------------------------------------


def original_sites(source: str, sites: Sequence[Mapping[str, Any]]) -> list[dict[str, Any]]:
    """The manifest's sites with the last line of their call: a call spanning lines is reported at its
    last line by Python 3.7, at its first by later versions."""
    ends = {(node.lineno, node.col_offset): node.end_lineno for node in ast.walk(ast.parse(source))
            if isinstance(node, ast.Call)}
    return [{"index": index, "line": site["line"], "col": site["col"],
             "end_line": ends.get((site["line"], site["col"])) or site["line"]}
            for index, site in enumerate(sites)]


def converted_calls(source: str, functions: set[str]) -> list[dict[str, Any]]:
    """Every call of a replacement function in the converted script, with its lines: by name, or as a
    method of ``self`` (a model class's session runs become its methods)."""
    calls = []
    for node in ast.walk(ast.parse(source)):
        if not isinstance(node, ast.Call):
            continue
        func = node.func
        if isinstance(func, ast.Name) and func.id in functions:
            calls.append({"function": func.id, "line": node.lineno, "end_line": node.end_lineno})
        elif (isinstance(func, ast.Attribute) and func.attr in functions and isinstance(func.value, ast.Name)
              and func.value.id == "self"):
            calls.append({"function": func.attr, "line": node.lineno, "end_line": node.end_lineno, "receiver": "self"})
    return calls


def fetch_names(fetches: str) -> dict[str, str]:
    """Value paths of a fetch structure named by the source of what is fetched there:
    ``[train_op, loss]`` → ``{"[0]": "train_op", "[1]": "loss"}``; a single fetch is path ``""``."""
    try:
        tree = ast.parse(fetches, mode="eval").body
    except SyntaxError:
        return {"": fetches}
    names: dict[str, str] = {}

    def visit(node: ast.AST, path: str) -> None:
        if isinstance(node, (ast.List, ast.Tuple)):
            for index, element in enumerate(node.elts):
                visit(element, f"{path}[{index}]")
        elif isinstance(node, ast.Dict) and all(isinstance(key, ast.Constant) for key in node.keys):
            for key, value in sorted(zip(node.keys, node.values), key=lambda pair: repr(pair[0].value)):
                visit(value, f"{path}[{key.value!r}]")
        else:
            names[path] = ast.unparse(node)

    visit(tree, "")
    return names


# --- comparing ------------------------------------------------------------------------------------------


@dataclasses.dataclass
class _Step:
    """One run of a site: the original call and the converted call paired with it (None: missing)."""

    number: int
    original: Mapping[str, Any]
    converted: Optional[Mapping[str, Any]]


@dataclasses.dataclass
class _Worst:
    """The largest differences of one fetch over the steps, and the first step that failed."""

    max_abs: float = 0.0
    max_rel: float = 0.0
    failed_step: Optional[int] = None
    detail: str = ""
    last_step: int = 0
    compared: bool = False

    def fail(self, step: int, detail: str) -> None:
        if self.failed_step is None:
            self.failed_step, self.detail = step, detail


def site_label(site: Mapping[str, Any]) -> str:
    return f"{site['function']} (line {site['line']})"


def trace_checks(
    sites: Sequence[Mapping[str, Any]],
    original: Mapping[str, Any],
    original_arrays: Mapping[str, np.ndarray],
    converted: Mapping[str, Any],
    converted_arrays: Mapping[str, np.ndarray],
    tolerance: Tolerance,
) -> list[Check]:
    """Per site: the number of runs, then one check per fetch (the worst step, the first that fails)."""
    steps: dict[int, list[_Step]] = {index: [] for index in range(len(sites))}
    extra: dict[int, int] = {}
    for function in dict.fromkeys(site["function"] for site in sites):
        runs = [call for call in original.get("calls", ()) if sites[call["key"]]["function"] == function]
        calls = [call for call in converted.get("calls", ()) if call["key"] == function]
        for position, run in enumerate(runs):
            site_steps = steps[run["key"]]
            paired = calls[position] if position < len(calls) else None
            site_steps.append(_Step(len(site_steps) + 1, run, paired))
        if len(calls) > len(runs):
            last = runs[-1]["key"] if runs else next(i for i, s in enumerate(sites) if s["function"] == function)
            extra[last] = len(calls) - len(runs)
    checks = []
    for index, site in enumerate(sites):
        label = site_label(site)
        site_steps = steps[index]
        checks.append(_count_check(label, site, site_steps, extra.get(index, 0)))
        checks += _value_checks(label, site, site_steps, original_arrays, converted_arrays, tolerance)
    return checks


def script_checks(original: Optional[Mapping[str, Any]], converted: Optional[Mapping[str, Any]],
                  sites: Sequence[Mapping[str, Any]]) -> list[Check]:
    """The scripts themselves: the original raising leaves nothing to compare (skipped); the converted
    raising where the original did not is a failure."""
    if original is None or converted is None:
        return [Check("script", Comparison.TRACE, "run", False, detail="a runner recorded no script run")]
    if original.get("error"):
        error = last_line(original["error"])
        return [Check("script", Comparison.TRACE, "original script", True, skipped=True,
                      detail=f"the original script raised, so its sites are not compared: {error}")]
    if converted.get("error"):
        return [Check("script", Comparison.TRACE, "converted script", False, detail=last_line(converted["error"]))]
    return []


def random_notes(sites: Sequence[Mapping[str, Any]], original: Mapping[str, Any], checks: Sequence[Check]) -> list[str]:
    """A note per failing site whose values the original computed with TensorFlow's random ops (dropout,
    noise): those numbers differ between versions, so such values, and weights trained with them, can
    differ without a conversion error."""
    failing = {check.unit for check in checks if not check.passed}
    notes = []
    for index, names in sorted(original.get("random", {}).items(), key=lambda item: int(item[0])):
        if site_label(sites[int(index)]) not in failing:
            continue
        shown = ", ".join(names[:3]) + (", ..." if len(names) > 3 else "")
        notes.append(f"{site_label(sites[int(index)])} computes with random ops ({shown}): TensorFlow's random "
                     "numbers differ between versions, so its values, and weights trained with them, may differ")
    return notes


def _count_check(label: str, site: Mapping[str, Any], steps: list[_Step], extra: int) -> Check:
    runs = len(steps)
    calls = sum(1 for step in steps if step.converted is not None) + extra
    if runs == calls == 0:
        return Check(label, Comparison.TRACE, "runs", True, skipped=True,
                     detail="the original script never ran this site")
    if runs == calls:
        return Check(label, Comparison.TRACE, "runs", True, step=runs, detail=f"{runs} runs on both sides")
    return Check(label, Comparison.TRACE, "runs", False, step=min(runs, calls) + 1,
                 detail=f"the original ran this site {runs} times, the converted script called "
                        f"{site['function']} {calls} times in its place")


def _values(call: Mapping[str, Any]) -> dict[str, tuple[str, Any]]:
    return {path: (kind, ref) for path, kind, ref in call.get("values", ())}


def _value_checks(label: str, site: Mapping[str, Any], steps: list[_Step], original_arrays: Mapping[str, np.ndarray],
                  converted_arrays: Mapping[str, np.ndarray], tolerance: Tolerance) -> list[Check]:
    names = fetch_names(site.get("fetches", ""))
    worst: dict[str, _Worst] = {}
    opaque: dict[str, str] = {}
    for step in steps:
        if step.converted is None:
            break
        if step.converted.get("error"):
            run = worst.setdefault(CALL, _Worst())
            run.fail(step.number, f"{site['function']} raised: {last_line(step.converted['error'])}")
            break
        if step.original.get("values") is None or step.converted.get("values") is None:
            continue  # past a side's budget of kept values: counted, not compared
        expected, actual = _values(step.original), _values(step.converted)
        for path, (kind, ref) in expected.items():
            if kind == "opaque":
                opaque[path] = ref
                continue
            entry = worst.setdefault(path, _Worst())
            entry.last_step = step.number
            _compare_value(entry, step.number, kind, ref, actual.get(path), original_arrays, converted_arrays,
                           tolerance)
        for path in actual.keys() - expected.keys():
            if not any(path.startswith(prefix) for prefix in opaque):
                entry = worst.setdefault(path, _Worst())
                entry.fail(step.number, "the converted function returns a value here, the original fetches none")
    checks = []
    for path, entry in worst.items():
        if not entry.compared and entry.failed_step is None:
            continue  # train ops: None on both sides, nothing to compare
        subject = names.get(path) or (path if path == CALL else f"{site.get('fetches', '')}{path}")
        checks.append(Check(label, Comparison.TRACE, subject, entry.failed_step is None,
                            step=entry.failed_step or entry.last_step or None, max_abs=entry.max_abs,
                            max_rel=entry.max_rel, allowed=str(tolerance), detail=entry.detail))
    for path, what in opaque.items():
        subject = names.get(path) or f"{site.get('fetches', '')}{path}"
        checks.append(Check(label, Comparison.TRACE, subject, True, skipped=True,
                            detail=f"the original returns {what} (a serialized summary): not compared"))
    return checks


def _compare_value(entry: _Worst, step: int, kind: str, ref: Any, actual: Optional[tuple[str, Any]],
                   original_arrays: Mapping[str, np.ndarray], converted_arrays: Mapping[str, np.ndarray],
                   tolerance: Tolerance) -> None:
    if actual is None:
        entry.fail(step, "the converted function returns no value here")
        return
    actual_kind, actual_ref = actual
    if kind == "none" or actual_kind == "none":
        if kind != actual_kind:
            side = "original" if kind == "none" else "converted function"
            entry.fail(step, f"the {side} returns None here (a train op), the other a value")
        return
    if actual_kind != "array":
        entry.fail(step, f"the converted function returns {actual_ref} here, not an array")
        return
    expected_value, actual_value = np.asarray(original_arrays[ref]), np.asarray(converted_arrays[actual_ref])
    entry.compared = True
    if not (_numeric(expected_value) and _numeric(actual_value)):
        if expected_value.shape != actual_value.shape or not np.array_equal(expected_value, actual_value):
            entry.fail(step, f"original {expected_value!r}, converted {actual_value!r}")
        return
    diff = array_difference(expected_value, actual_value, tolerance)
    entry.max_abs = max(entry.max_abs, diff.max_abs if diff.max_abs is not None else math.inf)
    entry.max_rel = max(entry.max_rel, diff.max_rel if diff.max_rel is not None else math.inf)
    if not diff.passed:
        entry.fail(step, diff.detail)


def _numeric(value: np.ndarray) -> bool:
    return value.dtype.kind in "biuf"
