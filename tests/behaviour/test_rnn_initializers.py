"""Fresh weights of a converted dynamic_rnn are drawn as TF1's cells draw theirs.

TF1 draws one glorot-uniform matrix over [inputs + units, columns] per cell kernel (a GRU two: gates and
candidate); the converter gives Keras' kernel and recurrent_kernel an initializer drawing each slice within
that matrix's limit. The TF1 side (the reference interpreter) runs each variable's own initializer and
returns the moments of the draw; the Keras side (Keras 3 here, Keras 2 / tf-keras in a process of its
own) builds the converted layer, puts its fresh weights back into TF1's layout with ``tf1to2.relayout``'s
inverses and compares the moments per TF1 variable (5σ). Biases start at the same constants. Keras' own
initializers (what the converter emitted before) must be told apart.
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
from typing import Any

import numpy as np
import pytest

_SPEC = importlib.util.spec_from_file_location(
    "catalog_reference", Path(__file__).resolve().parents[1] / "catalog" / "catalog_reference.py"
)
catalog_reference = importlib.util.module_from_spec(_SPEC)
_SPEC.loader.exec_module(catalog_reference)

DEPTH, UNITS = 300, 200  # an LSTM kernel of 400,000 values: its std known to ±0.15 % (1σ)
CELLS = {
    "LSTMCell": ("tf.nn.rnn_cell.LSTMCell(200)", ["rnn/lstm_cell/kernel", "rnn/lstm_cell/bias"]),
    "BasicLSTMCell, forget bias 0.5": ("tf.nn.rnn_cell.BasicLSTMCell(200, forget_bias=0.5)",
                                       ["rnn/basic_lstm_cell/kernel", "rnn/basic_lstm_cell/bias"]),
    "GRUCell": ("tf.nn.rnn_cell.GRUCell(200)", ["rnn/gru_cell/gates/kernel", "rnn/gru_cell/candidate/kernel",
                                                 "rnn/gru_cell/gates/bias", "rnn/gru_cell/candidate/bias"]),
    "BasicRNNCell": ("tf.nn.rnn_cell.BasicRNNCell(200)", ["rnn/basic_rnn_cell/kernel", "rnn/basic_rnn_cell/bias"]),
}
TF1_SCRIPT = """import tensorflow.compat.v1 as tf
x = tf.placeholder(tf.float32, [None, 1, {depth}])
outputs, state = tf.nn.dynamic_rnn({cell}, x, dtype=tf.float32)
def moments(name):
    value = [v for v in tf.global_variables() if v.op.name == name][0].initial_value
    x = tf.cast(tf.reshape(value, [-1]), tf.float64)
    mean, std = tf.reduce_mean(x), tf.sqrt(tf.reduce_mean(tf.square(x - tf.reduce_mean(x))))
    kurtosis = tf.reduce_mean(((x - mean) / tf.maximum(std, 1e-30)) ** 4)
    return tf.stack([mean, std, kurtosis, tf.reduce_max(tf.abs(x)), tf.cast(tf.size(x), tf.float64)])
result = tf.stack([moments(name) for name in {names!r}])
"""
# The Keras side, run here (Keras 3) and by a second interpreter with TF_USE_LEGACY_KERAS=1 (Keras 2).
KERAS_SIDE = '''
import json, sys
import numpy as np
import tensorflow as tf
from tf1to2 import relayout

def moments(values):
    values = np.asarray(values, dtype=np.float64).ravel()
    std = values.std()
    return [values.mean(), std, float((((values - values.mean()) / max(std, 1e-30)) ** 4).mean()),
            float(np.abs(values).max()), values.size]

def tf1_layout(layer, names, forget_bias):
    cell = layer.cell
    kernel, recurrent, bias = (np.asarray(w) for w in (cell.kernel, cell.recurrent_kernel, cell.bias))
    if len(names) == 4:
        parts = relayout.gru_to_tf1(kernel, recurrent, bias)
        return [parts[n.split("gru_cell/")[1]] for n in names]
    if kernel.shape[1] == 4 * recurrent.shape[0]:
        return list(relayout.lstm_to_tf1(kernel, recurrent, bias, forget_bias))
    return [np.concatenate([kernel, recurrent]), bias]

def main(request):
    out = {}
    for case in request:
        namespace = {"tf": tf}
        exec(case["code"], namespace)
        layer = namespace[case["layer"]]
        layer(tf.zeros([2, 1, case["depth"]]))
        layer = getattr(layer, case["part"]) if case.get("part") else layer
        out[case["id"]] = [moments(v) for v in tf1_layout(layer, case["names"], case["forget_bias"])]
    keras = tf.keras.layers.Layer.__module__.split(".")[0]
    return {"keras": keras, "cases": out}

if __name__ == "__main__":
    sys.stdout.write(json.dumps(main(json.loads(sys.stdin.read()))) + "\\n")
'''


def converted_layer_code(cell: str, known_depth: bool, bidirectional: bool = False) -> str:
    """The RNN rule's output for ``dynamic_rnn(cell, x)``, without the call: helper, initializer, layer."""
    from tf1to2.analysis.module import ModuleContext
    from tf1to2.rewrite import edits as edit_ops
    from tf1to2.rules import layers_rnn

    inputs = f"x = tf.placeholder(tf.float32, [None, 1, {DEPTH}])\n" if known_depth else "x = make_inputs()\n"
    call = f"tf.nn.bidirectional_dynamic_rnn({cell}, {cell}, x" if bidirectional else "tf.nn.dynamic_rnn(cell, x"
    named = "" if bidirectional else f"cell = {cell}\n"
    text = f"import tensorflow as tf\n{inputs}{named}outputs, state = {call}, dtype=tf.float32)\n"
    findings = list(layers_rnn.check(ModuleContext.parse(text)))
    assert [f.code for f in findings] == ["TF476"], [f.message for f in findings]
    converted = edit_ops.apply(text, [e for f in findings for e in f.edits])
    kept = [line for line in converted.splitlines(keepends=True) if not re.match(r"(x|outputs.*|state) = ", line)]
    return "".join(kept)


NAIVE = {  # Keras' defaults for the layer's kernels: what a conversion without the initializer draws
    "LSTMCell": "cell = tf.keras.layers.LSTM(200, recurrent_activation='sigmoid', unit_forget_bias=True)\n",
    "GRUCell": "cell = tf.keras.layers.GRU(200, recurrent_activation='sigmoid', reset_after=False, "
               "bias_initializer=tf.keras.initializers.Constant([1.0] * 400 + [0.0] * 200))\n",
}


def keras_cases(known_depth: bool) -> list[dict]:
    cases = []
    for case, (cell, names) in CELLS.items():
        forget_bias = 0.5 if "0.5" in cell else 1.0
        cases.append({"id": case, "code": converted_layer_code(cell, known_depth), "layer": "cell",
                      "depth": DEPTH, "names": names, "forget_bias": forget_bias})
    if known_depth:  # Keras rebuilds a Bidirectional layer's forward layer from its configuration
        cases.append({"id": "bidirectional GRUCell, forward layer", "layer": "bidirectional_rnn",
                      "part": "forward_layer",
                      "code": converted_layer_code(CELLS["GRUCell"][0], True, bidirectional=True), "depth": DEPTH,
                      "names": CELLS["GRUCell"][1], "forget_bias": 1.0})
    cases += [{"id": f"naive {case}", "code": code, "layer": "cell", "depth": DEPTH, "names": CELLS[case][1],
               "forget_bias": 1.0} for case, code in NAIVE.items()]
    return cases


def run_keras_side(cases: list[dict], legacy: bool) -> dict:
    env = {**os.environ, "TF_CPP_MIN_LOG_LEVEL": "3", "TF_USE_LEGACY_KERAS": "1" if legacy else "0"}
    done = subprocess.run([sys.executable, "-c", KERAS_SIDE], input=json.dumps(cases), capture_output=True,
                          text=True, env=env, timeout=600)
    assert done.returncode == 0, done.stderr[-3000:]
    return json.loads(done.stdout.strip().splitlines()[-1])


@pytest.fixture(scope="module")
def tf1_moments() -> dict:
    out = {}
    for case, (cell, names) in CELLS.items():
        script = TF1_SCRIPT.format(depth=DEPTH, cell=cell, names=names)
        out[case] = catalog_reference.run("module_script.py", {"script": script, "fetch": "result"})["result"]
    return out


def differences(tf1: list, tf2: list) -> list[str]:
    """What differs beyond sampling error (5σ of the difference of two samples of n values each, hence the
    √2); constants (std 0) must be equal."""
    (mean1, std1, kurt1, max1, n), (mean2, std2, kurt2, max2, _) = tf1, tf2
    if std1 == 0:
        return [] if std2 == 0 and abs(mean1 - mean2) < 1e-7 and abs(max1 - max2) < 1e-7 else \
            [f"constant {mean1:.6g} (max {max1:.6g}) vs mean {mean2:.6g}, std {std2:.6g}, max {max2:.6g}"]
    problems = []
    if abs(mean1 - mean2) > 5 * std1 * math.sqrt(2 / n):
        problems.append(f"mean {mean1:.6g} vs {mean2:.6g}")
    if abs(std1 - std2) / std1 > 5 * math.sqrt(2 * (kurt1 - 1) / (4 * n)):
        problems.append(f"std {std1:.6g} vs {std2:.6g}")
    if abs(kurt1 - kurt2) > 5 * math.sqrt(2 * 24 / n) + 0.01:
        problems.append(f"kurtosis {kurt1:.4f} vs {kurt2:.4f}")
    if abs(max1 - max2) / max1 > 0.01:
        problems.append(f"max |x| {max1:.6g} vs {max2:.6g}")
    return problems


@pytest.mark.parametrize("legacy", [pytest.param(False, id="Keras 3"), pytest.param(True, id="Keras 2 (tf-keras)")])
@pytest.mark.parametrize("known_depth", [pytest.param(True, id="input depth known"),
                                         pytest.param(False, id="input depth learned at build")])
def test_fresh_rnn_weights_are_drawn_like_tf1s(tf: Any, tf1_moments: dict, legacy: bool, known_depth: bool) -> None:
    if legacy and importlib.util.find_spec("tf_keras") is None:
        pytest.skip("tf-keras is not installed")
    keras = run_keras_side(keras_cases(known_depth), legacy)
    assert keras["keras"] == ("tf_keras" if legacy else "keras")
    for case, (_, names) in CELLS.items():
        for name, theirs, mine in zip(names, tf1_moments[case], keras["cases"][case]):
            assert differences(theirs, mine) == [], (case, name)
    if known_depth:
        for name, theirs, mine in zip(CELLS["GRUCell"][1], tf1_moments["GRUCell"],
                                      keras["cases"]["bidirectional GRUCell, forward layer"]):
            assert differences(theirs, mine) == [], ("bidirectional GRUCell, forward layer", name)
    for case in NAIVE:
        kernel = CELLS[case][1][0]
        assert differences(tf1_moments[case][0], keras["cases"][f"naive {case}"][0]), f"naive {case} {kernel}"


def test_the_initializer_limit_is_the_joint_matrixs(tf: Any) -> None:
    namespace = {"tf": tf}
    exec(converted_layer_code(CELLS["GRUCell"][0], known_depth=True), namespace)
    kernel = np.asarray(namespace["cell_initializer"]([DEPTH, 3 * UNITS]))
    gates, candidate = np.abs(kernel[:, :2 * UNITS]).max(), np.abs(kernel[:, 2 * UNITS:]).max()
    assert gates <= math.sqrt(6 / (DEPTH + UNITS + 2 * UNITS)) < candidate <= math.sqrt(6 / (DEPTH + 2 * UNITS))
