"""``sess.run`` sites against their replacement functions over the script's own run.

The pieces on hand-made records first (no TensorFlow), then whole scripts: golden case
``session_gan_var_lists`` (three sites, two sharing ``g_step``) verifies, and bugs planted in its converted
script fail on the trace, naming the site, the step and the fetch.
"""
from __future__ import annotations

import dataclasses
import json
import re
import sys
import textwrap
from pathlib import Path

import numpy as np
import pytest
from click.testing import CliRunner

from tf1to2.cli import cli
from tf1to2.verify import script_weights, session_trace, tf2_trace, traces
from tf1to2.verify.report import Comparison, Tolerance

GOLDEN = Path(__file__).resolve().parents[2] / "golden"
TOLERANCE = Tolerance(rtol=1e-5, atol=1e-6)


# --- what the runners are told --------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("fetches", "names"),
    [
        pytest.param("accuracy", {"": "accuracy"}, id="a single fetch is the whole value"),
        pytest.param("[train_op, loss]", {"[0]": "train_op", "[1]": "loss"}, id="a list by position"),
        pytest.param("{'loss': loss, 'acc': acc}", {"['acc']": "acc", "['loss']": "loss"}, id="a dict by key"),
        pytest.param("[[sgd, adam], losses]", {"[0][0]": "sgd", "[0][1]": "adam", "[1]": "losses"},
                     id="nested lists"),
        pytest.param("model.logits[:, 0]", {"": "model.logits[:, 0]"}, id="an expression keeps its source"),
    ],
)
def test_fetches_name_the_values_they_return(fetches, names):
    assert traces.fetch_names(fetches) == names


def test_a_site_spanning_lines_is_known_by_all_of_them():
    source = "x = 1\n_, c = sess.run([train_op, loss],\n                feed_dict={X: x})\nprint(acc.eval())\n"
    sites = [{"line": 2, "col": 7}, {"line": 4, "col": 6}]
    assert traces.original_sites(source, sites) == [
        {"index": 0, "line": 2, "col": 7, "end_line": 3},
        {"index": 1, "line": 4, "col": 6, "end_line": 4},
    ]


def test_calls_of_replacement_functions_are_found_by_name_wherever_they_are():
    source = textwrap.dedent("""\
        def main(_):
            for step in range(3):
                _, c = train_step(
                    x=data)
            print(compute_w(), compute_b(), len(data))
        """)
    assert traces.converted_calls(source, {"train_step", "compute_w", "compute_b"}) == [
        {"function": "train_step", "line": 3, "end_line": 4},
        {"function": "compute_w", "line": 5, "end_line": 5},
        {"function": "compute_b", "line": 5, "end_line": 5},
    ]


def test_calls_of_replacement_methods_through_self_are_found():
    source = textwrap.dedent("""\
        class Model(tf.Module):
            def train(self, bx, by):
                _, l = self.train_step(x=bx, y=by)
                return other.train_step(l)
        """)
    assert traces.converted_calls(source, {"train_step"}) == [
        {"function": "train_step", "line": 3, "end_line": 3, "receiver": "self"},
    ]


def test_sites_sharing_a_line_take_its_calls_in_column_order():
    lines = session_trace.SiteLines([{"index": 0, "line": 23, "col": 78, "end_line": 23},
                                     {"index": 1, "line": 23, "col": 62, "end_line": 23},
                                     {"index": 2, "line": 20, "col": 4, "end_line": 22}])
    assert [lines.site_at(23)["index"] for _ in range(4)] == [1, 0, 1, 0]
    assert lines.site_at(22)["index"] == 2
    assert lines.site_at(24) is None


def test_values_are_flattened_with_their_paths():
    flat = session_trace.flatten_values([None, {"loss": np.float32(2.5), "step": 3}, b"\x08\x01"])
    assert [(path, kind) for path, kind, _ in flat] == [
        ("[0]", "none"), ("[1]['loss']", "array"), ("[1]['step']", "array"), ("[2]", "opaque")]
    assert flat[3][2] == "bytes of 2 characters"


@dataclasses.dataclass(eq=False)
class Op:
    type: str
    control_inputs: list = dataclasses.field(default_factory=list)


def test_an_initializer_is_recognised_through_the_groups_that_run_it():
    assign = Op("Assign")
    init = Op("NoOp", [assign, Op("Assign")])
    scaffold_group = Op("NoOp", [init, Op("NoOp")])
    assert session_trace.reaches(scaffold_group, {assign})
    assert not session_trace.reaches(Op("NoOp", [Op("Assign")]), {assign})
    assert not session_trace.reaches(Op("MatMul", [assign]), {assign})  # a computation, not a group


CONVERTED_SCRIPT = """\
import functools


def numpy_results(function):
    def call(*args, **kwargs):
        return function(*args, **kwargs)
    return call


def wrapped(method):
    @functools.wraps(method)
    def error_handler(*args, **kwargs):
        return method(*args, **kwargs)
    return error_handler


class Function:
    def __init__(self, python_function):
        self.python_function = python_function

    @wrapped
    def __call__(self, *args, **kwargs):
        return self.python_function(*args, **kwargs)


compute_w = numpy_results(lambda: 1.0)
compute_b = numpy_results(lambda: 2.0)
train_step = Function(lambda x: [None, x * 2])


def helper(value):
    return value


for step in range(2):
    _, loss = train_step(
        helper(step))
    print(compute_w(), compute_b(), helper(3))
"""


def test_converted_calls_are_recorded_by_call_site_and_callee(tmp_path):
    """Replacement functions sharing a wrapper's code, and an object whose ``__call__`` is wrapped by a
    ``(*args, **kwargs)`` function (as ``tf.function``'s is); other calls on the same lines are not
    recorded."""
    path = tmp_path / "converted.py"
    path.write_text(CONVERTED_SCRIPT, encoding="utf-8")
    calls = traces.converted_calls(CONVERTED_SCRIPT, {"train_step", "compute_w", "compute_b"})
    first_calls = []
    recorder = tf2_trace.ConvertedRecorder(str(path), calls, first_calls.append)
    sys.settrace(recorder)
    try:
        exec(compile(CONVERTED_SCRIPT, str(path), "exec"), {"__name__": "__main__"})
    finally:
        sys.settrace(None)
    assert [call["key"] for call in recorder.trace.calls] == ["train_step", "compute_w", "compute_b"] * 2
    assert [float(recorder.trace.arrays[call["values"][-1][2]]) for call in recorder.trace.calls] == [
        0.0, 1.0, 2.0, 2.0, 1.0, 2.0]
    assert len(first_calls) == 1


# --- comparing ------------------------------------------------------------------------------------------


@dataclasses.dataclass
class Recording:
    """One side's calls and arrays, in the runners' format."""

    calls: list = dataclasses.field(default_factory=list)
    arrays: dict = dataclasses.field(default_factory=dict)

    def add(self, key, *values, error=None):
        trace = session_trace.Trace()
        trace.record(key, list(values) if len(values) > 1 else values[0], error=error)
        call = trace.calls[0]
        for entry in call["values"]:
            if entry[1] == "array":
                name = f"a{len(self.arrays)}"
                self.arrays[name] = trace.arrays[entry[2]]
                entry[2] = name
        self.calls.append(call)
        return self


SITES = [
    {"line": 49, "function": "d_step", "fetches": "[d_optim, d_loss]"},
    {"line": 50, "function": "g_step", "fetches": "[g_optim, g_loss]"},
    {"line": 52, "function": "g_step", "fetches": "[g_optim, g_loss]"},
]


def gan_run(losses):
    """A run of the three sites per step: d_step, then g_step twice, each returning [None, loss]."""
    original, converted = Recording(), Recording()
    for d_loss, g_loss_1, g_loss_2, *changed in losses:
        original.add(0, None, np.float32(d_loss)).add(1, None, np.float32(g_loss_1)).add(2, None, np.float32(g_loss_2))
        values = changed or (d_loss, g_loss_1, g_loss_2)
        converted.add("d_step", None, np.float32(values[0])).add("g_step", None, np.float32(values[1]))
        converted.add("g_step", None, np.float32(values[2]))
    return original, converted


def checks_of(original, converted):
    return traces.trace_checks(SITES, {"calls": original.calls}, original.arrays,
                               {"calls": converted.calls}, converted.arrays, TOLERANCE)


def failures(checks):
    return [(check.unit, check.subject, check.step, check.detail) for check in checks if not check.passed]


def test_equal_runs_pass_with_one_row_per_site():
    checks = checks_of(*gan_run([(1.0, 2.0, 3.0), (1.5, 2.5, 3.5)]))
    assert failures(checks) == []
    assert {check.comparison for check in checks} == {Comparison.TRACE}
    assert [(check.unit, check.subject) for check in checks] == [
        ("d_step (line 49)", "runs"), ("d_step (line 49)", "d_loss"),
        ("g_step (line 50)", "runs"), ("g_step (line 50)", "g_loss"),
        ("g_step (line 52)", "runs"), ("g_step (line 52)", "g_loss"),
    ]


def test_a_differing_value_names_the_site_the_step_the_fetch_and_both_values():
    checks = checks_of(*gan_run([(1.0, 2.0, 3.0), (1.5, 2.5, 3.5, 1.5, 2.5, 3.6)]))
    assert failures(checks) == [("g_step (line 52)", "g_loss", 2, "original 3.5, converted 3.6")]


def test_calls_of_a_shared_function_are_paired_in_order_across_its_sites():
    original, converted = gan_run([(1.0, 2.0, 3.0)])
    converted.calls[1:3] = converted.calls[2:0:-1]  # g_step's two calls swapped
    assert [(unit, step) for unit, _, step, _ in failures(checks_of(original, converted))] == [
        ("g_step (line 50)", 1), ("g_step (line 52)", 1)]


def test_a_missing_call_fails_on_the_number_of_runs_of_its_site():
    original, converted = gan_run([(1.0, 2.0, 3.0), (1.5, 2.5, 3.5)])
    del converted.calls[-1]
    assert failures(checks_of(original, converted)) == [
        ("g_step (line 52)", "runs", 2,
         "the original ran this site 2 times, the converted script called g_step 1 times in its place")]


def test_a_value_where_the_original_returns_none_fails():
    original = Recording().add(0, None, np.float32(2.0))
    converted = Recording().add("g_step", np.float32(0.5), np.float32(2.0))
    checks = traces.trace_checks(SITES[1:2], {"calls": original.calls}, original.arrays, {"calls": converted.calls},
                                 converted.arrays, TOLERANCE)
    assert failures(checks) == [
        ("g_step (line 50)", "g_optim", 1, "the original returns None here (a train op), the other a value")]


def test_a_serialized_summary_is_reported_as_not_compared():
    sites = [{"line": 43, "function": "train_step", "fetches": "[merged, train_op, loss]"}]
    original = Recording().add(0, b"\n\x0b\n\x04loss", None, np.float32(1.0))
    converted = Recording().add("train_step", {("scalar", "loss"): np.float32(1.0)}, None, np.float32(1.0))
    checks = traces.trace_checks(sites, {"calls": original.calls}, original.arrays, {"calls": converted.calls},
                                 converted.arrays, TOLERANCE)
    assert failures(checks) == []
    [summary] = [check for check in checks if check.subject == "merged"]
    assert summary.skipped and "serialized summary" in summary.detail


def test_runs_past_the_budget_of_kept_values_are_counted_not_compared():
    original, converted = gan_run([(1.0, 2.0, 3.0), (1.5, 2.5, 3.5, 1.5, 2.5, 9.0)])
    converted.calls[-1]["values"] = None
    assert failures(checks_of(original, converted)) == []
    trace = session_trace.Trace(budget=4)
    trace.record("g_step", [None, np.float32(1.0)])
    trace.record("g_step", [None, np.float32(2.0)])
    assert [call["values"] is None for call in trace.calls] == [False, True]


def test_a_replacement_that_raises_fails_at_its_step():
    original = Recording().add(0, None, np.float32(2.0)).add(0, None, np.float32(2.5))
    converted = Recording().add("g_step", None, np.float32(2.0)).add("g_step", None, error="ValueError: no gradients")
    checks = traces.trace_checks(SITES[1:2], {"calls": original.calls}, original.arrays, {"calls": converted.calls},
                                 converted.arrays, TOLERANCE)
    assert failures(checks) == [("g_step (line 50)", "(the call)", 2, "g_step raised: ValueError: no gradients")]


# --- whole scripts --------------------------------------------------------------------------------------

CASE = GOLDEN / "session_gan_var_lists"


@dataclasses.dataclass(frozen=True)
class Planted:
    """A bug planted in the case's converted script: ``old`` (occurring once) becomes ``new``."""

    name: str
    old: str
    new: str
    failing: frozenset  # (site, fetch, step) that must fail on the trace


PLANTED = (
    # g_loss is fetched in the run that updates: line 50's first value is before any g update, line 52's
    # first comes after one.
    Planted("g learning rate doubled", "g_optimizer = tf.keras.optimizers.Adam(\n    learning_rate=0.01",
            "g_optimizer = tf.keras.optimizers.Adam(\n    learning_rate=0.02",
            frozenset({("g_step (line 52)", "g_loss", 1), ("g_step (line 50)", "g_loss", 2)})),
    Planted("g loss sign flipped", "    return [None, g_loss]", "    return [None, -g_loss]",
            frozenset({("g_step (line 50)", "g_loss", 1), ("g_step (line 52)", "g_loss", 1)})),
    Planted("second g step dropped",
            "    # run g_optim twice to make sure that d_loss does not go to zero (as DCGAN does)\n"
            "    _, g_value = g_step(z=noise)\n", "",
            frozenset({("g_step (line 52)", "runs", 8)})),
)


def verify_case(converted: Path, tmp_path: Path, *extra: str) -> tuple[int, str, list[dict]]:
    report = tmp_path / "report.json"
    result = CliRunner().invoke(cli, ["verify", str(CASE / "input.py"), str(converted), "--manifest",
                                      str(CASE / "manifest.json"), "--json", str(report), *extra])
    assert result.exit_code in (0, 1), result.output
    return result.exit_code, result.stdout, json.loads(report.read_text())["checks"]


def planted_copy(tmp_path: Path, old: str, new: str) -> Path:
    text = (CASE / "output.py").read_text(encoding="utf-8")
    assert text.count(old) == 1, f"{old!r} must occur once in the converted script"
    path = tmp_path / "output.py"
    path.write_text(text.replace(old, new, 1), encoding="utf-8")
    return path


@pytest.mark.requires_tf
def test_a_golden_session_script_verifies_with_every_site_traced(tmp_path):
    code, stdout, checks = verify_case(CASE / "output.py", tmp_path)
    assert code == 0, stdout
    traced = [check for check in checks if check["comparison"] == Comparison.TRACE.value]
    assert {check["unit"] for check in traced} == {"d_step (line 49)", "g_step (line 50)", "g_step (line 52)"}
    assert {c["detail"] for c in traced if c["subject"] == "runs"} == {"15 runs on both sides"}
    assert re.search(r"g_step \(line 52\) +sess\.run trace +ok", stdout), stdout


@pytest.mark.requires_tf
@pytest.mark.parametrize("planted", PLANTED, ids=lambda planted: planted.name)
def test_a_planted_bug_fails_on_the_trace_naming_the_site_and_step(planted, tmp_path):
    code, stdout, checks = verify_case(planted_copy(tmp_path, planted.old, planted.new), tmp_path)
    assert code == 1
    failing = {(c["unit"], c["subject"], c["step"]) for c in checks
               if not c["passed"] and c["comparison"] == Comparison.TRACE.value}
    assert planted.failing <= failing, stdout
    unit, fetch, step = sorted(planted.failing)[0]
    assert f"{unit} · sess.run trace · {fetch} · step {step}: " in stdout


@pytest.mark.requires_tf
def test_weights_are_transferred_not_taken_from_the_converted_script(tmp_path):
    """Initial weights changed in the converted script: the initializer comparison sees it, the trace
    does not, since the script's layers get the original's values before the first step."""
    converted = planted_copy(tmp_path, "    return tf.constant_initializer(START[name])",
                             "    return tf.constant_initializer(START[name] * 2)")
    code, stdout, checks = verify_case(converted, tmp_path)
    failing = {c["comparison"] for c in checks if not c["passed"]}
    assert failing == {"initializers"}, stdout
    assert any(c["comparison"] == Comparison.TRACE.value and c["subject"] == "g_loss" for c in checks)


def test_the_tf1_side_of_tracing_is_standalone():
    """session_trace.py runs next to tf1_runner.py on Python 3.7 + TF 1.15: nothing from the package."""
    source = Path(session_trace.__file__).read_text(encoding="utf-8")
    assert "tf1to2" not in "".join(line for line in source.splitlines() if line.startswith(("import", "from")))


LINES = Path(__file__).resolve().parents[1] / "fixtures" / "verify" / "session_lines"


def verify_lines(tmp_path: Path, *extra: str) -> tuple[str, dict]:
    report = tmp_path / "report.json"
    result = CliRunner().invoke(cli, ["verify", str(LINES / "original.py"), str(LINES / "converted.py"),
                                      "--manifest", str(LINES / "manifest.json"), "--json", str(report), *extra])
    assert result.exit_code == 0, result.output
    return result.stdout, json.loads(report.read_text())


def assert_lines_traced(data: dict) -> None:
    """Every site ran 3 times on both sides, from the original's weights (the converted layer starts at
    zero), and a shape the manifest leaves null does not stop the transfer."""
    runs = {c["unit"]: c["detail"] for c in data["checks"]
            if c["comparison"] == Comparison.TRACE.value and c["subject"] == "runs"}
    assert runs == {"train_step (line 16)": "3 runs on both sides", "compute_w (line 19)": "3 runs on both sides",
                    "compute_b (line 19)": "3 runs on both sides"}
    assert data["notes"] == []


@pytest.mark.requires_tf
def test_a_call_spanning_lines_and_two_calls_on_one_line_are_traced(tmp_path):
    _, data = verify_lines(tmp_path)
    assert_lines_traced(data)


@pytest.mark.requires_tf
def test_sites_traced_with_the_original_on_real_tf_1_15(reference_python, tmp_path):
    """Python 3.7 reports a call spanning lines at its last line, later versions at its first."""
    stdout, data = verify_lines(tmp_path, "--reference-python", str(reference_python))
    assert data["original_side"]["tensorflow"].startswith("1.15"), stdout
    assert_lines_traced(data)


@pytest.mark.requires_tf
@pytest.mark.parametrize("traced", [True, False], ids=["inside a tf.function", "eagerly"])
def test_weights_a_layer_makes_on_its_first_call_are_transferred_before_they_are_used(tf, tmp_path, traced):
    np.savez(tmp_path / "weights.npz", **{"fc/kernel": np.full((2, 3), 2.0, np.float32),
                                          "fc/bias": np.full((3,), 0.5, np.float32)})
    weights = [{"tf1_name": f"fc/{name}", "attribute": name, "shape": shape, "dtype": "float32", "trainable": True,
                "initializer": None, "transform": None, "repeat": None}
               for name, shape in (("kernel", [2, 3]), ("bias", [3]))]
    units = [{"class_name": "Dense", "example": None, "weights": weights}]
    layer = tf.keras.layers.Dense(3, name="fc")
    transfer = script_weights.WeightTransfer(tf, units, script_weights.NpzReader(str(tmp_path / "weights.npz")))
    transfer.start(sys._getframe())  # the layer is a local of this frame, not built yet
    step = tf.function(layer) if traced else layer
    assert np.allclose(step(tf.ones((1, 2))).numpy(), 4.5)  # 2 + 2 + 0.5
    assert transfer.finish() == []
