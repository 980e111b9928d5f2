"""Behavioural equivalence of converted layers: the original run as TF1 graph code, the converted as TF2.

``tf1_results`` runs every case's original in one subprocess (``tf1_side.py``: graph mode is process-wide)
and returns, per unit, the TF1 variables with their values, the outputs and the gradients. ``check_unit``
builds the converted unit in eager TF2 from the manifest's ``Example``, copies the TF1 values into it
through the manifest's attribute paths, and compares: the variable set (names, shapes, dtypes,
trainability), the outputs and the gradients with respect to inputs and weights (to 1e-5).
"""
from __future__ import annotations

import ast
import dataclasses
import json
import subprocess
import sys
import zlib
from pathlib import Path
from typing import Any, Optional

import numpy as np

from tf1to2.engine import convert_source
from tf1to2.manifest import Example, Unit
from tf1to2.rules.variables_to_layers.manifest_units import expand

HERE = Path(__file__).resolve().parent
ROOT = HERE.parent.parent
TOLERANCE = 1e-5
BATCH = 3


@dataclasses.dataclass
class Case:
    name: str
    source: str
    converted: str
    units: list[Unit]  # units with an example
    inputs: list[dict[str, np.ndarray]]
    selections: tuple[str, ...] = ()  # module-level names of variable lists TF1 code selected by name


def load_case(
    name: str, int_high: int = 8, examples: Optional[dict[str, Example]] = None, selections: tuple[str, ...] = ()
) -> Case:
    """Convert a golden case; ``examples`` supplies an example for units the converter gave none.

    (A layer made from a scope inside a method has no example of its own: the test names the tensors.)
    """
    source = (ROOT / "golden" / name / "input.py").read_text(encoding="utf-8")
    result = convert_source(source, "input.py")
    assert result.status.value == "changed", f"{name}: conversion {result.status.value}: {result.reason}"
    given = examples or {}
    units = [
        dataclasses.replace(u, example=given[u.class_name]) if u.class_name in given else u
        for u in result.units
        if getattr(u, "example", None) is not None or getattr(u, "class_name", None) in given
    ]
    rng = np.random.default_rng(zlib.crc32(name.encode()))  # the same inputs in every process
    inputs = []
    for unit in units:
        arrays = {}
        for spec in unit.example.inputs:
            shape = [BATCH if d is None else d for d in spec.shape]
            if spec.dtype.startswith("int"):
                arrays[spec.name] = rng.integers(0, int_high, size=shape).astype(spec.dtype)
            else:
                arrays[spec.name] = rng.standard_normal(shape).astype(spec.dtype)
        inputs.append(arrays)
    return Case(name, source, result.text, units, inputs, tuple(selections))


def run_tf1(cases: list[Case], workdir: Path, python: str = sys.executable) -> None:
    """Run every case's original in one TF1 (graph mode) process; results go to ``workdir``."""
    job_cases = []
    for case in cases:
        paths = []
        for index, arrays in enumerate(case.inputs):
            path = workdir / f"{case.name}_{index}_inputs.npz"
            np.savez(path, **arrays)
            paths.append(str(path))
        job_cases.append(
            {
                "name": case.name, "source": case.source, "units": [dataclasses.asdict(u) for u in case.units],
                "inputs": paths, "selections": list(case.selections),
            }
        )
    out = workdir / "tf1"
    job = workdir / "job.json"
    job.write_text(json.dumps({"cases": job_cases, "out": str(out)}), encoding="utf-8")
    process = subprocess.run(
        [python, str(HERE / "tf1_side.py"), str(job)], capture_output=True, text=True, timeout=900,
        env={"TF_CPP_MIN_LOG_LEVEL": "3", "PATH": "/usr/bin:/bin"},
    )
    if process.returncode != 0:
        raise RuntimeError(f"TF1 side failed:\n{process.stderr[-4000:]}")


def read_tf1(workdir: Path) -> dict[str, tuple[dict, dict]]:
    """Per unit key (``case#index``): the TF1 record and its arrays."""
    records = json.loads((workdir / "tf1.json").read_text(encoding="utf-8"))
    arrays = dict(np.load(str(workdir / "tf1") + ".npz"))
    results: dict[str, tuple[dict, dict]] = {}
    for key, record in records.items():
        if key.endswith("#selections"):
            results[key] = (record, {})
            continue
        prefix = key + "|"
        results[key] = (record, {k[len(prefix):]: v for k, v in arrays.items() if k.startswith(prefix)})
    return results


def load_converted(text: str) -> tuple[dict, list[str]]:
    """Execute the converted module statement by statement.

    Module-level graph code (placeholders and what computes from them) waits for the session conversion
    and does not run eagerly; those statements are skipped, and so is a call switching the process to
    graph mode (the layers are checked in eager mode). Any other failure is returned: classes,
    functions and layer instances must all run.
    """
    namespace: dict[str, Any] = {"__name__": "__converted__"}
    unexpected: list[str] = []
    unbound: set[str] = set()  # names whose statement did not run
    for stmt in ast.parse(text).body:
        segment = ast.get_source_segment(text, stmt) or ""
        if "disable_eager_execution" in segment or "disable_v2_behavior" in segment:
            continue  # graph mode is process-wide; the converted layers are checked eagerly
        code = compile(ast.Module(body=[stmt], type_ignores=[]), "converted.py", "exec")
        try:
            exec(code, namespace)
        except Exception as exc:  # noqa: BLE001 - reported to the test, which decides
            if isinstance(stmt, (ast.ClassDef, ast.FunctionDef, ast.Import, ast.ImportFrom)):
                raise
            waiting = (
                "placeholder" in segment
                or "placeholder() is not compatible with eager execution" in str(exc)
                or isinstance(exc, NameError) and getattr(exc, "name", None) in unbound
            )
            if not waiting:
                unexpected.append(f"line {stmt.lineno}: {segment} ({type(exc).__name__}: {exc})")
            unbound.update(n.id for n in ast.walk(stmt) if isinstance(n, ast.Name) and isinstance(n.ctx, ast.Store))
    return namespace, unexpected


def resolve(instance: Any, path: str) -> Any:
    node = ast.parse(path, mode="eval").body
    steps = []
    while not isinstance(node, ast.Name):
        if isinstance(node, ast.Attribute):
            steps.append(("attr", node.attr))
            node = node.value
        elif isinstance(node, ast.Subscript):
            steps.append(("item", ast.literal_eval(node.slice)))
            node = node.value
        else:
            raise ValueError(f"unsupported attribute path {path}")
    steps.append(("attr", node.id))
    value = instance
    for kind, key in reversed(steps):
        value = getattr(value, key) if kind == "attr" else value[key]
    return value


def flatten(tf: Any, value: Any, path: str = "output") -> list[tuple[str, Any]]:
    if tf.is_tensor(value):
        return [(path, value)]
    if isinstance(value, (list, tuple)):
        return [pair for index, item in enumerate(value) for pair in flatten(tf, item, f"{path}[{index}]")]
    if isinstance(value, dict):
        return [pair for key in sorted(value, key=str) for pair in flatten(tf, value[key], f"{path}[{key!r}]")]
    return []


@dataclasses.dataclass
class Check:
    problems: list[str]
    built_at_construction: bool  # every TF1 variable existed right after the constructor
    instance: Any = None
    inputs: Optional[dict] = None
    bound: Optional[dict] = None  # TF1 name → converted variable


def check_unit(tf: Any, namespace: dict, unit: Unit, inputs: dict, record: dict, arrays: dict) -> Check:
    problems: list[str] = []
    if "error" in record:
        return Check([f"TF1 side failed: {record['error']}"], False)
    example = unit.example
    instance = eval(example.construct, dict(namespace))
    tf1 = {v["name"]: v for v in record["variables"]}
    built_at_construction = len({id(v) for v in instance.weights}) == len(tf1)
    tensors = {name: tf.constant(value) for name, value in inputs.items()}
    eval(example.call, dict(namespace), {"unit": instance, **tensors})
    pairs = expand(list(unit.weights), list(tf1))
    manifest_names = [name for name, _ in pairs]
    if sorted(manifest_names) != sorted(tf1):
        problems.append(f"variable set: TF1 has {sorted(tf1)}, manifest lists {sorted(manifest_names)}")
    bound: dict[str, Any] = {}
    for name, attribute in pairs:
        try:
            bound[name] = resolve(instance, attribute)
        except (AttributeError, KeyError, IndexError, TypeError) as exc:
            problems.append(f"{name}: attribute {attribute} does not resolve ({exc})")
    converted_ids = {id(v) for v in instance.weights}
    bound_ids = {id(v) for v in bound.values()}
    if converted_ids != bound_ids or len(bound_ids) != len(bound):
        problems.append(
            f"converted variables {sorted(v.path if hasattr(v, 'path') else v.name for v in instance.weights)} "
            f"do not match the TF1 variables one to one ({len(bound_ids)} distinct bound, {len(converted_ids)} in the layer)"
        )
    for name, variable in bound.items():
        spec = tf1.get(name)
        if spec is None:
            continue
        if list(variable.shape) != spec["shape"]:
            problems.append(f"{name}: shape {list(variable.shape)} != TF1 {spec['shape']}")
        if _dtype(variable) != spec["dtype"]:
            problems.append(f"{name}: dtype {_dtype(variable)} != TF1 {spec['dtype']}")
        if bool(variable.trainable) != spec["trainable"]:
            problems.append(f"{name}: trainable {variable.trainable} != TF1 {spec['trainable']}")
        if not problems:
            variable.assign(arrays["variable/" + name])
    if problems:
        return Check(problems, built_at_construction, instance, tensors, bound)
    float_inputs = {n: t for n, t in tensors.items() if t.dtype.is_floating}
    trainable = [(n, v) for n, v in bound.items() if tf1[n]["trainable"]]
    with tf.GradientTape(persistent=True) as tape:
        for tensor in float_inputs.values():
            tape.watch(tensor)
        outputs = flatten(tf, eval(example.call, dict(namespace), {"unit": instance, **tensors}))
        regularization = tf.add_n([tf.cast(l, tf.float32) for l in instance.losses]) if instance.losses else tf.constant(0.0)
        loss = tf.add_n([tf.reduce_sum(tf.cast(t, tf.float32)) for _, t in outputs if t.dtype.is_floating] + [regularization])
    if [n for n, _ in outputs] != record["outputs"]:
        problems.append(f"outputs {[n for n, _ in outputs]} != TF1 {record['outputs']}")
    for name, tensor in outputs:
        _compare(problems, f"output {name}", np.asarray(tensor), arrays.get("output/" + name))
    _compare(problems, "regularization loss", np.asarray(regularization), arrays["regularization"])
    for name, tensor in float_inputs.items():
        _compare(problems, f"gradient wrt input {name}", _dense(tf, tape.gradient(loss, tensor), tensor), arrays.get("gradient/input/" + name))
    for name, variable in trainable:
        gradient = tape.gradient(loss, variable)
        _compare(problems, f"gradient wrt {name}", _dense(tf, gradient, variable), arrays.get("gradient/variable/" + name))
    return Check(problems, built_at_construction, instance, tensors, bound)


def _dtype(variable: Any) -> str:
    dtype = variable.dtype
    return dtype if isinstance(dtype, str) else dtype.base_dtype.name


def _dense(tf: Any, gradient: Any, target: Any) -> np.ndarray:
    if gradient is None:
        return np.zeros(target.shape, dtype=np.float32)
    return np.asarray(tf.convert_to_tensor(gradient))


def _compare(problems: list[str], what: str, actual: np.ndarray, expected: Optional[np.ndarray]) -> None:
    if expected is None:
        problems.append(f"{what}: missing on the TF1 side")
        return
    if actual.shape != expected.shape:
        problems.append(f"{what}: shape {actual.shape} != TF1 {expected.shape}")
        return
    difference = float(np.max(np.abs(actual.astype(np.float64) - expected.astype(np.float64)))) if actual.size else 0.0
    scale = max(1.0, float(np.max(np.abs(expected))) if expected.size else 1.0)
    if difference > TOLERANCE * scale:
        problems.append(f"{what}: max difference {difference:.3g} (tolerance {TOLERANCE * scale:.3g})")


def outputs_of(tf: Any, namespace: dict, unit: Unit, instance: Any, tensors: dict) -> list[np.ndarray]:
    return [np.asarray(t) for _, t in flatten(tf, eval(unit.example.call, dict(namespace), {"unit": instance, **tensors}))]


def assignments(text: str) -> dict[str, str]:
    """Module-level ``name = expression`` statements of the converted text: name → expression."""
    found = {}
    for stmt in ast.parse(text).body:
        if isinstance(stmt, ast.Assign) and len(stmt.targets) == 1 and isinstance(stmt.targets[0], ast.Name):
            found[stmt.targets[0].id] = ast.get_source_segment(text, stmt.value)
    return found
