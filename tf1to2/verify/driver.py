"""Run both sides of ``verify`` in their own processes and compare what they recorded.

    original ──(tf1_runner.py: reference Python, or this one via tf.compat.v1)──► checkpoint + values ─┐
    converted ─(tf2_runner: this interpreter, eager; waits for the checkpoint)──► values ──────────────┴─► compare

Graph mode and ``disable_v2_behavior`` are process-wide, and the reference interpreter is another Python,
so neither side runs in this process; this one only writes the jobs and the inputs, and compares with
numpy. Both runners start at once: importing TensorFlow dominates, and the imports overlap.
"""
from __future__ import annotations

import dataclasses
import json
import os
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path
from typing import Any, Optional

import numpy as np

from tf1to2.manifest import Manifest, TensorSpec
from tf1to2.verify import compare, dropout_notes, sources, tf1_runner, traces
from tf1to2.verify.report import Check, Comparison, Side, Tolerance, VerifyReport

# Each regime runs K optimizer steps on (sum of outputs + regularization) times its scale. At scale 1 a
# wrong learning rate or update rule shows; with gradients a millionth as large, Adam's epsilon (1e-8 in
# TF1, 1e-7 in Keras) is no longer negligible next to sqrt(v), so a dropped epsilon shows too.
REGIMES = (
    {"name": "training", "scale": 1.0, "comparison": Comparison.TRAINING.value},
    {"name": "small_gradients", "scale": 1e-6, "comparison": Comparison.TRAINING_SMALL_GRADIENTS.value},
)


class VerifyError(Exception):
    """Verification could not run (bad manifest, the original raised, a runner crashed): exit 2."""


@dataclasses.dataclass(frozen=True)
class VerifyOptions:
    steps: int = 3
    batch_size: int = 4
    rtol: float = 1e-5
    atol: float = 1e-6
    reference_python: Optional[str] = None
    keep: bool = False
    # Plain gradient descent (when the manifest records no optimizer) moves no weight by more than this
    # on its first step: the rate is divided by the largest weight gradient when that exceeds 1.
    learning_rate: float = 0.01
    initializer_samples: int = 4096
    timeout: float = 600.0
    seed: int = 0


def default_manifest(converted: Path) -> Path:
    """Where ``convert`` writes the manifest: ``<stem>.tf1to2.json`` next to the converted file."""
    return converted.with_name(converted.stem + ".tf1to2.json")


def read_units(manifest_path: Path) -> list[dict[str, Any]]:
    """The manifest's units as JSON, validated by ``Manifest.from_json``; keys verify honours beyond the
    dataclasses (``optimizer``: ``{"original": expr, "converted": expr}``) are kept."""
    try:
        text = manifest_path.read_text(encoding="utf-8")
        manifest = Manifest.from_json(text)
        raw_units = json.loads(text)["units"]
    except (OSError, ValueError, KeyError, TypeError) as exc:
        raise VerifyError(f"cannot read the manifest {manifest_path}: {exc}") from None
    units = []
    for index, (unit, raw) in enumerate(zip(manifest.units, raw_units)):
        data = json.loads(json.dumps(dataclasses.asdict(unit)))
        data["key"] = f"u{index}"
        data["optimizer"] = raw.get("optimizer")
        units.append(data)
    return units


def read_session_sites(manifest_path: Path) -> list[dict[str, Any]]:
    """The manifest's ``sess.run`` sites as JSON (``read_units`` has validated the manifest)."""
    manifest = Manifest.from_json(manifest_path.read_text(encoding="utf-8"))
    return [json.loads(json.dumps(dataclasses.asdict(site))) for site in manifest.session_sites]


def make_inputs(units: list[dict[str, Any]], batch_size: int, seed: int) -> dict[str, np.ndarray]:
    """One array per unit input, ``<key>/<name>``: floats standard normal, integers in [0, 4), booleans."""
    rng = np.random.default_rng(seed)
    arrays = {}
    for unit in units:
        for spec in unit["example"]["inputs"]:
            spec = TensorSpec(spec["name"], tuple(spec["shape"]), spec.get("dtype", "float32"))
            shape = tuple(batch_size if d is None else int(d) for d in spec.shape)
            dtype = np.dtype(spec.dtype)
            if dtype.kind == "f":
                value = rng.standard_normal(shape).astype(dtype)
            elif dtype.kind in "iu":
                value = rng.integers(0, 4, size=shape).astype(dtype)
            elif dtype.kind == "b":
                value = rng.random(shape) < 0.5
            else:
                raise VerifyError(f"unit {unit['class_name']}: verify cannot generate input {spec.name} of {spec.dtype}")
            arrays[f"{unit['key']}/{spec.name}"] = value
    return arrays


def verify(original: Path, converted: Path, manifest_path: Path, options: VerifyOptions) -> VerifyReport:
    units = read_units(manifest_path)
    sites = read_session_sites(manifest_path)
    runnable = [u for u in units if u.get("example")]
    if not runnable and not sites:
        raise VerifyError(f"the manifest {manifest_path} has no unit with an example and no sess.run site to run")
    if not options.reference_python and sources.uses_contrib(original.read_bytes().decode("utf-8", errors="replace")):
        raise VerifyError(f"{original} uses tf.contrib, which only TensorFlow 1.x has: pass --reference-python "
                          "(an interpreter with TensorFlow 1.15; tools/make_reference_venv.sh makes one)")
    workdir = Path(tempfile.mkdtemp(prefix="tf1to2-verify-"))
    try:
        report = _verify_in(workdir, original, converted, manifest_path, units, runnable, sites, options)
    finally:
        if not options.keep:
            shutil.rmtree(workdir, ignore_errors=True)
    return report


@dataclasses.dataclass(frozen=True)
class _Run:
    """One verification's exchange directory and the two runners' jobs."""

    workdir: Path
    original_job: Path
    converted_job: Path

    @property
    def original_out(self) -> Path:
        return self.workdir / "original"

    @property
    def converted_out(self) -> Path:
        return self.workdir / "converted"


def _verify_in(workdir: Path, original: Path, converted: Path, manifest_path: Path, units: list[dict],
               runnable: list[dict], sites: list[dict], options: VerifyOptions) -> VerifyReport:
    started = time.monotonic()
    run = _prepare(workdir, original, converted, runnable, options)
    if sites:
        _add_script(run, original, converted, units, sites)
    reference = options.reference_python or sys.executable
    legacy_keras = sources.uses_legacy_keras(original.read_bytes().decode("utf-8", errors="replace"))
    original_env = _original_environment(options.reference_python, legacy_keras)
    original_result, converted_result = _run_both(run, reference, original_env, runnable, options.timeout)
    ran = time.monotonic()
    tolerance = Tolerance(options.rtol, options.atol)
    checks: list[Check] = [
        Check(u["class_name"], Comparison.RUN, "not run", True, skipped=True, detail="the manifest has no example for it")
        for u in units
        if not u.get("example")
    ]
    by_key = {u["key"]: u for u in converted_result["units"]}
    for unit, record in zip(runnable, original_result["units"]):
        checks += compare.compare_unit(
            unit,
            compare.Side(record, _arrays(run.original_out, unit["key"])),
            compare.Side(by_key[unit["key"]], _arrays(run.converted_out, unit["key"])),
            tolerance,
            REGIMES,
        )
    notes: list[str] = []
    if sites:
        original_script, converted_script = original_result.get("script"), converted_result.get("script")
        checks += traces.script_checks(original_script, converted_script, sites)
        if original_script and converted_script and not original_script.get("error"):
            traced = traces.trace_checks(sites, original_script, _arrays(run.original_out, "trace"),
                                         converted_script, _arrays(run.converted_out, "trace"), tolerance)
            checks += traced
            notes += converted_script.get("notes", []) + traces.random_notes(sites, original_script, traced)
            if not original_script.get("weights"):
                notes.append("the original script read no variables before its first sess.run site: no weights "
                             "were transferred to the converted script")
    notes += dropout_notes.dropout_notes(original_result.get("dropout_draws", {}),
                                         converted_result.get("dropout_draws", {}), checks, runnable, REGIMES)
    return VerifyReport(
        original=str(original),
        converted=str(converted),
        manifest=str(manifest_path),
        original_side=Side(original_result["python"], reference, original_result["tensorflow"],
                           seconds=original_result.get("seconds", {})),
        converted_side=Side(converted_result["python"], sys.executable, converted_result["tensorflow"],
                            converted_result["keras"], seconds=converted_result.get("seconds", {}),
                            skipped_statements=tuple(converted_result.get("skipped_statements", ()))),
        tolerance=tolerance,
        steps=options.steps,
        checks=tuple(checks),
        workdir=str(workdir) if options.keep else None,
        seconds={"both processes": ran - started, "compare": time.monotonic() - ran,
                 "total": time.monotonic() - started},
        notes=tuple(notes),
    )


def _prepare(workdir: Path, original: Path, converted: Path, runnable: list[dict], options: VerifyOptions) -> _Run:
    inputs = workdir / "inputs.npz"
    np.savez(inputs, **make_inputs(runnable, options.batch_size, options.seed))
    common = {"units": runnable, "inputs": str(inputs), "steps": options.steps, "regimes": list(REGIMES),
              "learning_rate": options.learning_rate, "initializer_samples": options.initializer_samples}
    (workdir / "original").mkdir()
    (workdir / "converted").mkdir()
    original_job = _write_job(workdir / "original.json", {**common, "module": str(original.resolve()),
                                                          "out": str(workdir / "original")})
    converted_job = _write_job(workdir / "converted.json", {**common, "module": str(converted.resolve()),
                                                            "out": str(workdir / "converted"),
                                                            "original_out": str(workdir / "original"),
                                                            "timeout": options.timeout})
    return _Run(workdir, original_job, converted_job)


def _add_script(run: _Run, original: Path, converted: Path, units: list[dict], sites: list[dict]) -> None:
    """The jobs' ``script`` parts: the site lines for the original, the replacement functions' call lines
    and the units whose weights are transferred for the converted script; each runs in a directory of
    its own (scripts write checkpoints and summaries where they run)."""
    original_source = original.read_bytes().decode("utf-8", errors="replace")
    converted_source = converted.read_bytes().decode("utf-8", errors="replace")
    for side in ("original", "converted"):
        (run.workdir / f"{side}-script").mkdir()
    try:
        original_sites = traces.original_sites(original_source, sites)
        converted_calls = traces.converted_calls(converted_source, {s["function"] for s in sites})
    except SyntaxError as exc:
        raise VerifyError(f"cannot parse {exc.filename or 'a script'}: {exc}") from None
    for job_path, script in (
        (run.original_job, {"sites": original_sites, "cwd": str(run.workdir / "original-script")}),
        (run.converted_job, {"calls": converted_calls, "units": units, "cwd": str(run.workdir / "converted-script")}),
    ):
        _write_job(job_path, {**_read_json(job_path), "script": script})


def _run_both(run: _Run, reference: str, original_env: dict[str, str], runnable: list[dict],
              timeout: float) -> tuple[dict[str, Any], dict[str, Any]]:
    """Start both runners at once (the converted one waits for the checkpoints); stop both on any failure."""
    deadline = time.monotonic() + timeout
    original_log, converted_log = run.workdir / "original.log", run.workdir / "converted.log"
    with open(original_log, "wb") as original_output, open(converted_log, "wb") as converted_output:
        original_process = subprocess.Popen([reference, tf1_runner.__file__, str(run.original_job)], env=original_env,
                                            stdout=original_output, stderr=subprocess.STDOUT)
        converted_process = subprocess.Popen(
            [sys.executable, "-m", "tf1to2.verify.tf2_runner", str(run.converted_job)],
            env=_converted_environment(), stdout=converted_output, stderr=subprocess.STDOUT,
        )
        try:
            _wait(original_process, deadline, "original", original_log)
            if not (run.original_out / "result.json").exists():
                raise VerifyError(f"the original side wrote no result\n{_tail(original_log)}")
            original_result = _read_json(run.original_out / "result.json")
            _raise_for_original_errors(original_result, runnable)
            _wait(converted_process, deadline, "converted", converted_log)
        finally:
            for process in (original_process, converted_process):
                if process.poll() is None:
                    process.kill()
                    process.wait()
    return original_result, _read_json(run.converted_out / "result.json")


def _write_job(path: Path, job: dict[str, Any]) -> Path:
    path.write_text(json.dumps(job, indent=1), encoding="utf-8")
    return path


def _read_json(path: Path) -> dict[str, Any]:
    return json.loads(path.read_text(encoding="utf-8"))


def _arrays(directory: Path, key: str) -> dict[str, np.ndarray]:
    path = directory / f"{key}.npz"
    if not path.exists():
        return {}
    with np.load(path) as data:
        return {name: data[name] for name in data.files}


def _original_environment(reference_python: Optional[str], legacy_keras: bool) -> dict[str, str]:
    # Importing TensorFlow 2 sets TF2_BEHAVIOR=1 in its process; inherited, it turns TF 1.15 eager.
    env = {name: value for name, value in os.environ.items() if name != "TF2_BEHAVIOR"}
    env.setdefault("TF_CPP_MIN_LOG_LEVEL", "2")
    if reference_python:
        # The reference interpreter has its own site-packages; this interpreter's paths would break it.
        env.pop("PYTHONPATH", None)
        env.pop("PYTHONHOME", None)
    if legacy_keras:
        env["TF_USE_LEGACY_KERAS"] = "1"
    return env


def _converted_environment() -> dict[str, str]:
    env = dict(os.environ)
    env.setdefault("TF_CPP_MIN_LOG_LEVEL", "2")
    package_root = str(Path(__file__).resolve().parents[2])
    env["PYTHONPATH"] = os.pathsep.join(p for p in (package_root, env.get("PYTHONPATH", "")) if p)
    return env


def _wait(process: subprocess.Popen, deadline: float, side: str, log: Path) -> None:
    try:
        code = process.wait(timeout=max(deadline - time.monotonic(), 0.1))
    except subprocess.TimeoutExpired:
        raise VerifyError(f"the {side} side did not finish in time\n{_tail(log)}") from None
    if code != 0:
        raise VerifyError(f"the {side} side failed (exit {code})\n{_tail(log)}")


def _raise_for_original_errors(result: dict[str, Any], units: list[dict[str, Any]]) -> None:
    names = {u["key"]: u["class_name"] for u in units}
    failed = [(names[r["key"]], r["error"]) for r in result["units"] if r.get("error")]
    if failed:
        text = "\n".join(f"{name}: {error.strip()}" for name, error in failed)
        raise VerifyError(f"the original code raised, so there is nothing to compare against:\n{text}")


def _tail(log: Path, lines: int = 25) -> str:
    try:
        text = log.read_text(encoding="utf-8", errors="replace")
    except OSError:
        return ""
    return "\n".join(text.splitlines()[-lines:])
