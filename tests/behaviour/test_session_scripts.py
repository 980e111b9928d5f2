"""Session scripts print the same numbers before and after conversion.

Each ``golden/session_*/input.py`` is a whole TF1 script (placeholders, a model, optimizers, a
``tf.Session`` loop). The original runs in TF1 graph mode (``tensorflow.compat.v1`` with v2 behaviour
disabled and tf-keras behind ``tf.layers``, in its own process; real TF 1.15 too when
``TF1TO2_REFERENCE_PYTHON`` names it), the converted
script runs eagerly on TF 2 (Keras 3, and tf-keras with ``TF_USE_LEGACY_KERAS=1``). Scripts initialize
their weights from numpy values they compute themselves, so both sides start from the same weights; the
printed losses, accuracies and predictions must match to 1e-5 and the text around them exactly.
"""
from __future__ import annotations

import importlib.util
import json
import math
import os
import re
import subprocess
import sys
from pathlib import Path
from unittest import mock

import pytest

from tf1to2 import Status, convert_source
from tf1to2 import rules as registry

GOLDEN = Path(__file__).resolve().parents[2] / "golden"
CASES = sorted(p.name for p in GOLDEN.glob("session_*") if (p / "input.py").is_file())
TOLERANCE = 1e-5
_NUMBER = re.compile(r"[-+]?(?:\d+\.\d*|\.\d+|\d+)(?:[eE][-+]?\d+)?|nan|inf")

# Runs each script of a job in a fresh namespace and its own working directory, recording its stdout.
# Stays Python 3.7 compatible: it also runs on the TF 1.15 reference interpreter.
RUNNER = r'''
import contextlib, io, json, os, runpy, sys, traceback

mode, job_path, out_path = sys.argv[1:4]
job = json.load(open(job_path))
if mode == "original":
    import tensorflow
    if tensorflow.__version__.startswith("1."):
        tf = tensorflow
    else:
        import tensorflow.compat.v1 as tf
        tf.disable_v2_behavior()
        sys.modules["tensorflow"] = tf  # the script says ``import tensorflow as tf`` and means TF1
results = {}
# Converted scripts that keep graph code switch eager execution off for the whole process: they run
# after the eager ones, each in a fresh default graph.
order = sorted(job, key=lambda name: ("disable_eager_execution()" in open(job[name]["path"]).read(), name))
for name in order:
    spec = job[name]
    if mode == "original" or "disable_eager_execution()" in open(spec["path"]).read():
        import tensorflow.compat.v1 as v1
        v1.reset_default_graph()
    os.chdir(spec["cwd"])
    sys.argv = [spec["path"]]
    from absl import app, flags  # noqa: F401  (app defines absl's own flags on import: they stay)
    defined = set(flags.FLAGS)  # each script starts from absl's own flags, unparsed
    out = io.StringIO()
    error = None
    try:
        with contextlib.redirect_stdout(out):
            runpy.run_path(spec["path"], run_name="__main__")
    except SystemExit as exc:
        if exc.code not in (None, 0):
            error = "exit %r" % (exc.code,)
    except BaseException:
        error = traceback.format_exc()
    results[name] = {"stdout": out.getvalue(), "error": error}
    for flag in set(flags.FLAGS) - defined:
        delattr(flags.FLAGS, flag)
    flags.FLAGS.unparse_flags()
json.dump(results, open(out_path, "w"))
'''


def run_scripts(python: str, mode: str, scripts: dict[str, Path], workdir: Path, env: dict | None = None) -> dict:
    """Run every script in one interpreter process (one TensorFlow import for all of them)."""
    workdir.mkdir(parents=True, exist_ok=True)
    runner = workdir / "runner.py"
    runner.write_text(RUNNER, encoding="utf-8")
    job = {}
    for name, path in scripts.items():
        cwd = workdir / name
        cwd.mkdir(exist_ok=True)
        job[name] = {"path": str(path), "cwd": str(cwd)}
    job_path = workdir / "job.json"
    job_path.write_text(json.dumps(job), encoding="utf-8")
    out_path = workdir / "results.json"
    # Importing TensorFlow 2 sets TF2_BEHAVIOR=1, which would turn a TF 1.15 child process eager.
    environment = {k: v for k, v in os.environ.items() if k != "TF2_BEHAVIOR"}
    environment.update({"TF_CPP_MIN_LOG_LEVEL": "3", **(env or {})})
    process = subprocess.run(
        [python, str(runner), mode, str(job_path), str(out_path)],
        capture_output=True, text=True, env=environment, timeout=900,
    )
    assert out_path.exists(), f"{mode} runner failed:\n{process.stderr[-3000:]}"
    return json.loads(out_path.read_text(encoding="utf-8"))


# Failures of the converted script that are known and belong to another pass, by case: (what the error
# says, why). The test reports them as expected failures; once fixed the case simply passes.
KNOWN: dict[str, tuple[str, str]] = {}


def converted_scripts(workdir: Path, without_structure: bool = False) -> dict[str, Path]:
    workdir.mkdir(parents=True, exist_ok=True)
    scripts = {}
    passes = [p for p in registry.passes() if not (without_structure and p.name == "structure")]
    for name in CASES:
        source = (GOLDEN / name / "input.py").read_text(encoding="utf-8")
        with mock.patch.object(registry, "passes", lambda: passes):
            result = convert_source(source, "input.py")
        assert result.status is not Status.FAILED, f"{name}: {result.reason}"
        path = workdir / f"{name}.py"
        path.write_text(result.text, encoding="utf-8")
        scripts[name] = path
    return scripts


def split_numbers(text: str) -> tuple[str, list[float]]:
    """The text with every number replaced by ``#`` and no whitespace (numpy pads arrays to the width
    of their values), and the numbers."""
    numbers = [float(m.group()) for m in _NUMBER.finditer(text)]
    return "".join(_NUMBER.sub("#", text).split()), numbers


def differences(original: str, converted: str) -> list[str]:
    """Where two outputs differ: text (exactly) or numbers (beyond the tolerance)."""
    problems = []
    original_lines, converted_lines = original.splitlines(), converted.splitlines()
    if len(original_lines) != len(converted_lines):
        problems.append(f"{len(original_lines)} lines printed by the original, {len(converted_lines)} after conversion")
    for number, (a, b) in enumerate(zip(original_lines, converted_lines), start=1):
        text_a, numbers_a = split_numbers(a)
        text_b, numbers_b = split_numbers(b)
        if text_a != text_b or len(numbers_a) != len(numbers_b):
            problems.append(f"line {number}: {a!r} != {b!r}")
            continue
        for x, y in zip(numbers_a, numbers_b):
            if not math.isclose(x, y, rel_tol=TOLERANCE, abs_tol=TOLERANCE):
                problems.append(f"line {number}: {x} != {y} ({a!r} / {b!r})")
    return problems


@pytest.fixture(scope="module")
def originals(tmp_path_factory) -> dict:
    pytest.importorskip("tensorflow")
    scripts = {name: GOLDEN / name / "input.py" for name in CASES}
    # tf.compat.v1.layers needs Keras 2 (tf-keras) on TF >= 2.16, as TF 1.15's tf.layers was Keras 2
    legacy = {"TF_USE_LEGACY_KERAS": "1"} if importlib.util.find_spec("tf_keras") else {}
    return run_scripts(sys.executable, "original", scripts, tmp_path_factory.mktemp("original"), env=legacy)


@pytest.fixture(scope="module", params=[
    pytest.param(({}, False), id="keras 3"),
    pytest.param(({"TF_USE_LEGACY_KERAS": "1"}, False), id="tf-keras"),
    # The sessions pass on the TF1 variables themselves (no Keras layers): its own part, whatever the
    # structure pass makes of the variables.
    pytest.param(({}, True), id="keras 3, structure pass off"),
])
def converted(request, tmp_path_factory) -> dict:
    pytest.importorskip("tensorflow")
    env, without_structure = request.param
    if env.get("TF_USE_LEGACY_KERAS"):
        pytest.importorskip("tf_keras")
    workdir = tmp_path_factory.mktemp("converted")
    scripts = converted_scripts(workdir / "scripts", without_structure)
    results = run_scripts(sys.executable, "converted", scripts, workdir / "runs", env=env)
    return {"results": results, "structure": not without_structure}


@pytest.mark.requires_tf
@pytest.mark.parametrize("case", CASES)
def test_converted_script_prints_what_the_original_printed(case, originals, converted):
    original, result = originals[case], converted["results"][case]
    assert original["error"] is None, f"the original itself fails:\n{original['error']}"
    if not converted["structure"] and "is not available with Keras 3" in (result["error"] or ""):
        pytest.skip("tf.layers is missing under Keras 3: only the structure pass makes Keras layers of it")
    known = KNOWN.get(case)
    if known and converted["structure"] and result["error"] and known[0] in result["error"]:
        pytest.xfail(known[1])
    assert result["error"] is None, f"the converted script fails:\n{result['error']}"
    assert original["stdout"].strip(), "the original prints nothing to compare"
    problems = differences(original["stdout"], result["stdout"])
    assert not problems, "\n".join(problems[:20])


@pytest.mark.requires_tf
def test_originals_match_tf1_reference(reference_python, originals, tmp_path):
    """The compat.v1 run that the converted scripts are compared with is what real TF 1.15 prints."""
    scripts = {name: GOLDEN / name / "input.py" for name in CASES}
    reference = run_scripts(str(reference_python), "original", scripts, tmp_path)
    for case in CASES:
        assert reference[case]["error"] is None, f"{case} fails on TF 1.15:\n{reference[case]['error']}"
        problems = differences(reference[case]["stdout"], originals[case]["stdout"])
        assert not problems, f"{case}:\n" + "\n".join(problems[:20])


# The comparison itself, without TensorFlow: it must catch what it exists to catch.


@pytest.mark.parametrize(
    ("original", "converted", "expected"),
    [
        pytest.param("loss 0.50000000\n", "loss 0.50000040\n", 0, id="numbers within the tolerance"),
        pytest.param("loss 0.50000000\n", "loss 0.50010000\n", 1, id="a number beyond the tolerance"),
        pytest.param("loss 0.5\n", "cost 0.5\n", 1, id="different text around the numbers"),
        pytest.param(" [-1.1019869 ]\n", " [-1.1019864]\n", 0, id="numpy padding"),
        pytest.param("a 1\nb 2\n", "a 1\n", 1, id="a missing line"),
        pytest.param("[[1. 2.]]\n", "tf.Tensor([[1. 2.]], shape=(1, 2))\n", 1, id="a tensor printed instead of numpy"),
    ],
)
def test_differences(original, converted, expected):
    assert len(differences(original, converted)) == expected
