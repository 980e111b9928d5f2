"""Notes on dropout masks the two sides drew differently.

Both runners draw every dropout mask from one deterministic source (``dropout_masks``), restarted per phase
(``<unit key>/forward``, ``<unit key>/training/<regime>``, ``script``) and logged by shape. Masks match only
when both sides draw the same number of masks, in the same order and shapes: a ``DropoutWrapper`` draws one
mask per time step, ``tf.nn.dropout`` over the whole sequence one mask. A failing comparison whose phase drew
differently gets a note saying that the dropout masks differ, and where the draws part.
"""
from __future__ import annotations

from typing import Any, Mapping, Sequence

from tf1to2.verify.report import Check, Comparison

SHOWN_SHAPES = 3


def phase_comparisons(
    runnable: Sequence[Mapping[str, Any]], regimes: Sequence[Mapping[str, Any]]
) -> dict[str, tuple[str, set[str]]]:
    """Each phase: the unit label its checks carry and the comparisons computed from its masks."""
    phases: dict[str, tuple[str, set[str]]] = {}
    for unit in runnable:
        label = unit["class_name"]
        phases[f"{unit['key']}/forward"] = (label, {Comparison.FORWARD.value, Comparison.GRADIENTS.value})
        for regime in regimes:
            phases[f"{unit['key']}/training/{regime['name']}"] = (label, {regime["comparison"]})
    return phases


def dropout_notes(original: Mapping[str, Any], converted: Mapping[str, Any], checks: Sequence[Check],
                  runnable: Sequence[Mapping[str, Any]], regimes: Sequence[Mapping[str, Any]]) -> list[str]:
    """A note per phase that drew other masks on the two sides and has a failing check."""
    failing = [check for check in checks if not check.passed and not check.skipped]
    phases = phase_comparisons(runnable, regimes)
    notes = []
    for phase in sorted(set(original) | set(converted)):
        ours, theirs = original.get(phase, {"count": 0, "shapes": []}), converted.get(phase, {"count": 0, "shapes": []})
        parting = first_difference(ours, theirs)
        if parting is None:
            continue
        if phase == "script":
            affected = [c for c in failing if c.comparison == Comparison.TRACE]
            where = "the script's run"
        else:
            label, comparisons = phases.get(phase, ("", set()))
            affected = [c for c in failing if c.unit == label and c.comparison.value in comparisons]
            where = f"{label} ({', '.join(sorted(comparisons))})"
        if not affected:
            continue
        notes.append(f"dropout masks differ in {where}: the original drew {describe(ours)}, the converted code "
                     f"{describe(theirs)}; {parting}: values computed with these masks differ even where "
                     "the layers agree")
    return notes


def first_difference(original: Mapping[str, Any], converted: Mapping[str, Any]) -> str | None:
    """Where two logs of drawn shapes part, or None when they agree."""
    for index, (ours, theirs) in enumerate(zip(original["shapes"], converted["shapes"]), start=1):
        if list(ours) != list(theirs):
            return f"draw {index} is {shape(ours)} against {shape(theirs)}"
    fewer = min(original["count"], converted["count"])
    if original["count"] == converted["count"]:
        return None
    if fewer == 0:
        return f"only the {'original' if original['count'] else 'converted code'} drew masks"
    return f"the first {fewer} draws agree in shape, then one side draws more"


def describe(log: Mapping[str, Any]) -> str:
    count, shapes = log["count"], log["shapes"]
    if not count:
        return "no mask"
    shown = ", ".join(shape(s) for s in shapes[:SHOWN_SHAPES]) + (", ..." if count > SHOWN_SHAPES else "")
    return f"{count} mask{'s' if count != 1 else ''} ({shown})"


def shape(dims: Sequence[int]) -> str:
    return "[" + ", ".join(str(d) for d in dims) + "]"
