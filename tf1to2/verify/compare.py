"""Compare what the two runners recorded, one ``Check`` per thing compared.

Plain numpy: this runs in the CLI process, which never imports TensorFlow. Arrays are keyed alike on both
sides (``output/output[0]``, ``gradient/weight/<tf1 name>``, ``train/<regime>/<step>/<tf1 name>``,
``fresh/<tf1 name>``); see the runners' docstrings.
"""
from __future__ import annotations

import dataclasses
import difflib
import math
from typing import Any, Iterable, Mapping, Optional, Sequence

import numpy as np

from tf1to2.manifest import Weight, weight_shape
from tf1to2.verify import layouts, repeats
from tf1to2.verify.report import Check, Comparison, Tolerance

# Fewer fresh values than this cannot tell one random initializer from another: the check is skipped.
MIN_INITIALIZER_SAMPLES = 20
# Allowed differences between two samples of n₁ and n₂ values, in standard errors: the means within
# 6·√(σ₁²/n₁ + σ₂²/n₂), the stds within a factor exp(6·√(1/2n₁ + 1/2n₂)) (the log of a sample std has
# standard error ≈ 1/√(2n)). Six keeps false alarms out of reach; a stddev of 0.05 instead of 1.0 (a
# factor 20) fails from n = 20.
STANDARD_ERRORS = 6.0


@dataclasses.dataclass(frozen=True)
class Difference:
    passed: bool
    max_abs: Optional[float]
    max_rel: Optional[float]
    detail: str


@dataclasses.dataclass(frozen=True)
class Side:
    """One runner's record of one unit, and its arrays."""

    record: Mapping[str, Any]
    arrays: Mapping[str, np.ndarray]


def array_difference(original: np.ndarray, converted: np.ndarray, tolerance: Tolerance) -> Difference:
    """Elementwise ``|converted - original| <= atol + rtol * (|original| + max |original|)``; the worst
    element is named.

    rtol applies to each element and to the array's largest magnitude: float32 sums (matmul, convolution
    and their gradients) err in proportion to their largest terms, so a small element of a large
    reduction legitimately differs by more than rtol of itself. The reported relative error is taken over
    elements whose original magnitude exceeds atol.
    """
    a = np.asarray(original, dtype=np.float64)
    b = np.asarray(converted, dtype=np.float64)
    if a.shape != b.shape:
        return Difference(False, None, None, f"shape {a.shape} in the original, {b.shape} converted")
    if a.size == 0:
        return Difference(True, 0.0, 0.0, "")
    nan_a, nan_b = np.isnan(a), np.isnan(b)
    with np.errstate(invalid="ignore"):  # inf - inf: equal infinities are caught by a == b first
        difference = np.where((a == b) | (nan_a & nan_b), 0.0, np.abs(a - b))
        difference = np.where(nan_a ^ nan_b, np.inf, difference)
        # An infinite original allows no difference (equal infinities are already at 0).
        magnitude = np.abs(np.where(np.isfinite(a), a, 0.0))
        allowed = tolerance.atol + tolerance.rtol * (magnitude + magnitude.max())
        large = np.isfinite(a) & (np.abs(a) > tolerance.atol)
        max_rel = float((difference[large] / np.abs(a[large])).max()) if large.any() else 0.0
    passed = bool((difference <= allowed).all())
    worst = np.unravel_index(int(np.argmax(difference - allowed)), a.shape)
    detail = ""
    if not passed:
        where = f" at {list(int(i) for i in worst)}" if a.ndim else ""
        detail = f"{where} original {a[worst]:.7g}, converted {b[worst]:.7g}".strip()
    return Difference(passed, float(difference.max()), max_rel, detail)


def compare_unit(
    unit: Mapping[str, Any], original: Side, converted: Side, tolerance: Tolerance, regimes: Sequence[Mapping[str, Any]]
) -> list[Check]:
    name = unit["class_name"]
    if converted.record.get("error"):
        return [Check(name, Comparison.RUN, f"converted unit ({converted.record.get('stage', 'run')})", False,
                      detail=converted.record.get("message") or last_line(converted.record["error"]))]
    checks = variable_checks(name, unit, original.record, converted.record)
    if converted.record.get("skipped"):
        return checks
    checks += forward_checks(name, original, converted, tolerance)
    checks += gradient_checks(name, original, converted, tolerance)
    checks += regularization_checks(name, original, converted, tolerance)
    for regime in regimes:
        checks += training_checks(name, regime, original, converted, tolerance)
    checks += initializer_checks(name, original, converted, tolerance)
    return checks


def last_line(text: str) -> str:
    lines = [line for line in text.strip().splitlines() if line.strip()]
    return lines[-1].strip() if lines else text


# --- variables ------------------------------------------------------------------------------------------


def _shape(shape: Iterable[Optional[int]]) -> tuple[Optional[int], ...]:
    return tuple(None if d is None else int(d) for d in shape)


def _shapes_agree(recorded: Optional[Sequence[Optional[int]]], actual: Sequence[Optional[int]]) -> bool:
    if recorded is None:  # a manifest shape the converter could not know
        return True
    recorded, actual = _shape(recorded), _shape(actual)
    return len(recorded) == len(actual) and all(r is None or a is None or r == a for r, a in zip(recorded, actual))


def _describe(entry: Mapping[str, Any]) -> str:
    state = "trainable" if entry.get("trainable", True) else "not trainable"
    return f"shape {_shape(entry['shape'])}, {entry.get('dtype', 'float32')}, {state}"


def _closest(name: str, candidates: Iterable[str]) -> str:
    found = difflib.get_close_matches(name, list(candidates), n=1, cutoff=0.5)
    return f" (closest: {found[0]})" if found else ""


def _property_mismatch(label: str, expected: Mapping[str, Any], actual: Mapping[str, Any]) -> Optional[str]:
    if not _shapes_agree(expected["shape"], actual["shape"]):
        return f"{label} has shape {_shape(actual['shape'])}, the original {_shape(expected['shape'])}"
    if expected.get("dtype", "float32") != actual.get("dtype", "float32"):
        return f"{label} is {actual.get('dtype')}, the original {expected.get('dtype')}"
    if bool(expected.get("trainable", True)) != bool(actual.get("trainable", True)):
        def state(entry: Mapping[str, Any]) -> str:
            return "trainable" if entry.get("trainable", True) else "not trainable"

        return f"{label} is {state(actual)}, the original's is {state(expected)}"
    return None


def variable_checks(
    name: str, unit: Mapping[str, Any], original: Mapping[str, Any], converted: Mapping[str, Any]
) -> list[Check]:
    """The original's variables, the manifest's weights and the converted weights must be the same set."""
    created = {v["name"]: v for v in original.get("variables", ())}
    weights = [Weight(**{**w, "shape": weight_shape(w["shape"])}) for w in unit["weights"]]
    recorded = {w.tf1_name: dataclasses.asdict(w) for w in repeats.expand_by_names(weights, created)}
    # A re-laid out weight records its converted shape and may read more TF1 variables than it names (a GRU
    # kernel reads gates/ and candidate/): their TF1-layout shapes are checked on the converted side below.
    relaid: set[str] = set()
    for entry in list(recorded.values()):
        if entry.get("transform"):
            for source in layouts.source_names(Weight(**entry)):
                relaid.add(source)
                recorded.setdefault(source, {**entry, "tf1_name": source})
    binding = converted.get("variables", {})
    mapped = {m["tf1_name"]: m for m in binding.get("mapped", ())}
    problems: list[tuple[str, str]] = []
    for tf1_name in created.keys() - recorded.keys():
        described = _describe(created[tf1_name])
        problems.append((tf1_name, f"the original creates it ({described}) but the manifest does not record it"))
    for tf1_name in recorded.keys() - created.keys():
        closest = _closest(tf1_name, created)
        problems.append((tf1_name, f"the manifest records it but the original does not create it{closest}"))
    for tf1_name in recorded.keys() & created.keys():
        entry = recorded[tf1_name]
        if tf1_name in relaid or entry["shape"] is None:
            # A re-laid out weight records its converted shape; null is a shape the converter could not
            # know: the original's is taken, and the converted weight is still held to it below.
            entry = {**entry, "shape": created[tf1_name]["shape"]}
        mismatch = _property_mismatch("the manifest entry", created[tf1_name], entry)
        if mismatch:
            problems.append((tf1_name, mismatch))
    for tf1_name, problem in binding.get("problems", ()):
        problems.append((tf1_name, f"converted: {problem}"))
    for tf1_name, entry in mapped.items():
        expected = created.get(tf1_name) or recorded.get(tf1_name)
        mismatch = _property_mismatch(f"converted weight {entry['path']}", expected, entry) if expected else None
        if mismatch:
            problems.append((tf1_name, mismatch))
    for entry in binding.get("unmapped", ()):
        described = _describe(entry)
        problems.append((entry["path"], f"the converted unit has this weight ({described}) but no TF1 variable maps to it"))
    for tf1_name, problem in converted.get("load_problems", ()):
        problems.append((tf1_name, f"loading the TF1 value: {problem}"))
    if problems:
        return [Check(name, Comparison.VARIABLES, subject, False, detail=text) for subject, text in sorted(problems)]
    count = len(created)
    return [Check(name, Comparison.VARIABLES, f"{count} variable{'s' if count != 1 else ''}", True,
                  detail="names, shapes, dtypes and trainable flags match")]


# --- values ---------------------------------------------------------------------------------------------


def _keys(arrays: Mapping[str, np.ndarray], prefix: str) -> list[str]:
    return sorted(key[len(prefix):] for key in arrays if key.startswith(prefix))


def _value_checks(name: str, kind: Comparison, prefix: str, original: Side, converted: Side, tolerance: Tolerance,
                  missing: str) -> list[Check]:
    checks = []
    for subject in _keys(original.arrays, prefix):
        if prefix + subject not in converted.arrays:
            checks.append(Check(name, kind, subject, False, detail=missing))
            continue
        diff = array_difference(original.arrays[prefix + subject], converted.arrays[prefix + subject], tolerance)
        checks.append(Check(name, kind, subject, diff.passed, max_abs=diff.max_abs, max_rel=diff.max_rel,
                            allowed=str(tolerance), detail=diff.detail))
    for subject in _keys(converted.arrays, prefix):
        if prefix + subject not in original.arrays and not subject.startswith("weight/(unmapped)"):
            checks.append(Check(name, kind, subject, False, detail="the converted unit has it, the original does not"))
    return checks


def forward_checks(name: str, original: Side, converted: Side, tolerance: Tolerance) -> list[Check]:
    return _value_checks(name, Comparison.FORWARD, "output/", original, converted, tolerance,
                         "the converted unit does not return this output")


def gradient_checks(name: str, original: Side, converted: Side, tolerance: Tolerance) -> list[Check]:
    return _value_checks(name, Comparison.GRADIENTS, "gradient/", original, converted, tolerance,
                         "no gradient on the converted side (the weight is missing, unmapped or not trainable)")


def regularization_checks(name: str, original: Side, converted: Side, tolerance: Tolerance) -> list[Check]:
    expected = float(original.arrays.get("regularization", 0.0))
    actual = float(converted.arrays.get("regularization", 0.0))
    if expected == 0.0 and actual == 0.0:
        return []
    diff = array_difference(np.float64(expected), np.float64(actual), tolerance)
    return [Check(name, Comparison.REGULARIZATION, "total regularization loss", diff.passed, max_abs=diff.max_abs,
                  max_rel=diff.max_rel, allowed=str(tolerance), detail=diff.detail)]


def training_checks(
    name: str, regime: Mapping[str, Any], original: Side, converted: Side, tolerance: Tolerance
) -> list[Check]:
    """One check per weight: the worst error over the steps, and the first step that fails."""
    kind = Comparison(regime["comparison"])
    per_weight: dict[str, list[tuple[int, str]]] = {}
    prefix = f"train/{regime['name']}/"
    for key in _keys(original.arrays, prefix):
        step, weight = key.split("/", 1)
        per_weight.setdefault(weight, []).append((int(step), key))
    checks = []
    for weight, steps in sorted(per_weight.items()):
        worst_abs, worst_rel, failed_step, detail = 0.0, 0.0, None, ""
        for step, key in sorted(steps):
            if prefix + key not in converted.arrays:
                failed_step, detail = step, "the converted unit has no weight for it"
                break
            diff = array_difference(original.arrays[prefix + key], converted.arrays[prefix + key], tolerance)
            worst_abs = max(worst_abs, diff.max_abs if diff.max_abs is not None else math.inf)
            worst_rel = max(worst_rel, diff.max_rel if diff.max_rel is not None else math.inf)
            if not diff.passed and failed_step is None:
                failed_step, detail = step, diff.detail
        last = max(step for step, _ in steps)
        checks.append(Check(name, kind, weight, failed_step is None, step=failed_step or last, max_abs=worst_abs,
                            max_rel=worst_rel, allowed=str(tolerance), detail=detail))
    return checks


def initializer_checks(name: str, original: Side, converted: Side, tolerance: Tolerance) -> list[Check]:
    """Moments of fresh values: exact when both initializers are constants, statistical otherwise."""
    checks = []
    constant = converted.record.get("fresh_constant", {})
    for weight, moments in sorted(original.record.get("initializers", {}).items()):
        fresh = converted.arrays.get(f"fresh/{weight}")
        if fresh is None:
            continue  # no converted weight: the variables check already fails for it
        fresh = np.asarray(fresh, dtype=np.float64)
        checks.append(_initializer_check(name, weight, moments, fresh, bool(constant.get(weight)), tolerance))
    return checks


def _initializer_check(name: str, weight: str, moments: Mapping[str, Any], fresh: np.ndarray, fresh_constant: bool,
                       tolerance: Tolerance) -> Check:
    """Both constant: the moments must agree to the tolerance. Otherwise both are samples of a distribution
    (a constant drawn once from numpy is one sample too): a two-sample test on mean and std."""
    mean, std = (float(fresh.mean()), float(fresh.std())) if fresh.size else (0.0, 0.0)
    detail = f"original mean {moments['mean']:.4g}, std {moments['std']:.4g}; converted mean {mean:.4g}, std {std:.4g}"
    delta_mean, delta_std = abs(mean - moments["mean"]), abs(std - moments["std"])
    relative = delta_std / moments["std"] if moments["std"] else None
    # A constant's repeated runs are one sample: count its values once.
    original_n = moments["count"] // moments["runs"] if moments["deterministic"] else moments["count"]
    if moments["deterministic"] and fresh_constant:
        allowed_mean = tolerance.atol + tolerance.rtol * abs(moments["mean"])
        allowed_std = tolerance.atol + tolerance.rtol * moments["std"]
        passed = delta_mean <= allowed_mean and delta_std <= allowed_std
        allowed = f"mean, std exact ±{max(allowed_mean, allowed_std):.2g}"
    elif min(original_n, fresh.size) < MIN_INITIALIZER_SAMPLES:
        return Check(name, Comparison.INITIALIZERS, weight, True, skipped=True,
                     detail=f"{min(original_n, fresh.size)} values are too few to estimate a distribution")
    else:
        standard_error = math.sqrt(moments["std"] ** 2 / original_n + std ** 2 / fresh.size)
        allowed_mean = STANDARD_ERRORS * standard_error + tolerance.atol
        factor = math.exp(STANDARD_ERRORS * math.sqrt(1 / (2 * original_n) + 1 / (2 * fresh.size)))
        ratio = std / moments["std"] if moments["std"] else (1.0 if std == 0 else math.inf)
        passed = delta_mean <= allowed_mean and 1 / factor <= ratio <= factor
        allowed = f"mean ±{allowed_mean:.2g}, std ×÷{factor:.3g} (n={fresh.size})"
    return Check(name, Comparison.INITIALIZERS, weight, passed, max_abs=max(delta_mean, delta_std), max_rel=relative,
                 allowed=allowed, detail=detail)
