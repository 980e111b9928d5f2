"""Dropout masks from one deterministic source (``tf1to2/verify/dropout_masks.py``) on every side.

The same small program (two dropouts in a row, the second with a ``noise_shape``; an RNN cell with input
and output dropout over three steps) runs as TF1 graph code and as eager TF2 code, each in a process of
its own (the patches and ``disable_v2_behavior`` are process-wide), and must give the same values and
draw the same masks in the same order.
"""
from __future__ import annotations

import json
import os
import subprocess
import sys
import zlib
from pathlib import Path

import numpy as np
import pytest

import tf1to2.verify

VERIFY_DIR = Path(tf1to2.verify.__file__).resolve().parent
pytestmark = pytest.mark.requires_tf

PROGRAM = r'''
import json, sys
import numpy as np
sys.path.insert(0, sys.argv[2])
import dropout_masks
import tensorflow as tf

mode = sys.argv[1]
if mode == "graph" and not tf.__version__.startswith("1."):
    import tensorflow.compat.v1 as tf
    tf.disable_v2_behavior()
dropout_masks.install(tf)
ones = np.ones((3, 4), np.float32)
sequence = np.linspace(-1.0, 1.0, 2 * 3 * 3).reshape(2, 3, 3).astype(np.float32)
if mode == "graph":
    x = tf.placeholder(tf.float32, [None, 4])
    first = tf.nn.dropout(x, keep_prob=0.5)
    second = tf.layers.dropout(first * 2.0, rate=0.5, noise_shape=[1, 4], training=True)
    steps = tf.placeholder(tf.float32, [None, 3, 3])
    cell = tf.nn.rnn_cell.DropoutWrapper(tf.nn.rnn_cell.BasicRNNCell(5), input_keep_prob=0.7, output_keep_prob=0.6)
    with tf.variable_scope("rnn", initializer=tf.constant_initializer(0.1)):
        outputs, _ = tf.nn.dynamic_rnn(cell, steps, dtype=tf.float32)
    with tf.Session() as session:
        session.run(tf.global_variables_initializer())
        dropout_masks.reset("mlp")
        mlp = [session.run(second, {x: ones}) for _ in range(2)]
        dropout_masks.reset("rnn")
        rnn = session.run(outputs, {steps: sequence})
else:
    import keras
    dropout = keras.layers.Dropout(0.5, noise_shape=(1, 4))

    @tf.function
    def second_call(x):
        return dropout(tf.nn.dropout(x, rate=0.5) * 2.0, training=True)

    dropout_masks.reset("mlp")
    mlp = [dropout(tf.nn.dropout(ones, rate=0.5) * 2.0, training=True).numpy(), second_call(ones).numpy()]
    dropout_masks.reset("rnn")
    kernel, state, rnn = tf.fill([8, 5], 0.1), tf.zeros([2, 5]), []
    for step in range(3):
        inputs = tf.nn.dropout(sequence[:, step], rate=1 - 0.7)
        state = tf.tanh(tf.matmul(tf.concat([inputs, state], 1), kernel))
        rnn.append(tf.nn.dropout(state, rate=1 - 0.6))
    rnn = tf.stack(rnn, axis=1).numpy()
print("RESULT " + json.dumps({"mlp": [m.tolist() for m in mlp], "rnn": rnn.tolist(),
                              "draws": dropout_masks.draws()}))
'''


def run_program(python: str, mode: str, tmp_path: Path) -> dict:
    script = tmp_path / f"dropout_{mode}.py"
    script.write_text(PROGRAM, encoding="utf-8")
    # Importing TensorFlow 2 in this process set TF2_BEHAVIOR=1; inherited, it would make TF 1.15 eager.
    env = {name: value for name, value in os.environ.items() if name not in ("TF2_BEHAVIOR", "PYTHONPATH")}
    env.update(TF_CPP_MIN_LOG_LEVEL="2", TF_USE_LEGACY_KERAS="1" if mode == "graph" else "0")
    done = subprocess.run([python, str(script), mode, str(VERIFY_DIR)], capture_output=True, text=True, env=env,
                          timeout=300)
    [line] = [line for line in done.stdout.splitlines() if line.startswith("RESULT ")] or [done.stderr[-3000:]]
    return json.loads(line[len("RESULT "):])


@pytest.fixture(scope="module")
def eager(tmp_path_factory):
    return run_program(sys.executable, "eager", tmp_path_factory.mktemp("eager"))


def expected_first_mlp_run() -> np.ndarray:
    """The masks from the numpy generator by hand: keep where the draw is at least the rate, scale 1/keep."""
    generator = np.random.RandomState(zlib.crc32(b"mlp"))
    first = (generator.random_sample((3, 4)).astype(np.float32) >= 0.5) * 2.0
    second = (generator.random_sample((1, 4)).astype(np.float32) >= 0.5) * 2.0
    return first * 2.0 * second


def test_eager_masks_are_the_generators_in_call_order_with_noise_shape(eager):
    np.testing.assert_allclose(eager["mlp"][0], expected_first_mlp_run())
    assert eager["draws"]["mlp"]["shapes"] == [[3, 4], [1, 4], [3, 4], [1, 4]]
    # Variational: the second mask is shared by the batch.
    second_mask = np.asarray(eager["mlp"][1]) != 0
    assert not np.asarray(eager["mlp"][1]).all() or second_mask.all()
    assert eager["draws"]["rnn"]["shapes"] == [[2, 3], [2, 5]] * 3


@pytest.mark.parametrize("python", [pytest.param(None, id="tf.compat.v1 graph")])
def test_tf1_graph_draws_the_same_masks_in_the_same_order(python, eager, tmp_path):
    graph = run_program(python or sys.executable, "graph", tmp_path)
    assert graph["draws"] == eager["draws"]
    np.testing.assert_allclose(graph["mlp"], eager["mlp"], rtol=1e-6)
    np.testing.assert_allclose(graph["rnn"], eager["rnn"], rtol=1e-5, atol=1e-6)


def test_real_tf_1_15_draws_the_same_masks_in_the_same_order(reference_python, eager, tmp_path):
    graph = run_program(str(reference_python), "graph", tmp_path)
    assert graph["draws"] == eager["draws"]
    np.testing.assert_allclose(graph["mlp"], eager["mlp"], rtol=1e-6)
    np.testing.assert_allclose(graph["rnn"], eager["rnn"], rtol=1e-5, atol=1e-6)
