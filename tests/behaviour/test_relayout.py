"""TF1 RNN cells under dynamic_rnn and the Keras layers the catalog renders give the same numbers.

The TF1 side (TF 1.15 with TF1TO2_REFERENCE_PYTHON, else compat.v1 with tf-keras) sets every variable
to random values, biases included, and runs the cell; here, the catalog's Keras layer (Keras 3, eager)
gets those values through ``tf1to2.relayout`` and must give the same outputs and final states.
"""
from __future__ import annotations

import ast
import importlib.util
from pathlib import Path
from typing import Any

import numpy as np
import pytest

from tf1to2 import relayout
from tf1to2.catalog import rnn

pytestmark = pytest.mark.requires_tf

_SPEC = importlib.util.spec_from_file_location(
    "catalog_reference", Path(__file__).resolve().parents[1] / "catalog" / "catalog_reference.py"
)
catalog_reference = importlib.util.module_from_spec(_SPEC)
_SPEC.loader.exec_module(catalog_reference)

INPUTS = np.random.RandomState(7).normal(size=(3, 5, 4)).astype(np.float32)  # batch, time, features
MULTI = "rnn/multi_rnn_cell/cell_{}/"
# case → (TF1 cell source, [(cell API, its arguments, the cell's TF1 scope), ... one per stacked layer])
CASES = {
    "LSTMCell with the default forget bias": (
        "tf.nn.rnn_cell.LSTMCell(6)", [("tf.nn.rnn_cell.LSTMCell", "6", "rnn/lstm_cell")]),
    "LSTMCell with forget bias 0": (
        "tf.nn.rnn_cell.LSTMCell(6, forget_bias=0.0)",
        [("tf.nn.rnn_cell.LSTMCell", "6, forget_bias=0.0", "rnn/lstm_cell")]),
    "BasicLSTMCell with forget bias 0.7": (
        "tf.nn.rnn_cell.BasicLSTMCell(6, forget_bias=0.7)",
        [("tf.nn.rnn_cell.BasicLSTMCell", "6, forget_bias=0.7", "rnn/basic_lstm_cell")]),
    "GRUCell": ("tf.nn.rnn_cell.GRUCell(6)", [("tf.nn.rnn_cell.GRUCell", "6", "rnn/gru_cell")]),
    "BasicRNNCell": ("tf.nn.rnn_cell.BasicRNNCell(6)", [("tf.nn.rnn_cell.BasicRNNCell", "6", "rnn/basic_rnn_cell")]),
    "MultiRNNCell of two LSTMCells": (
        "tf.nn.rnn_cell.MultiRNNCell([tf.nn.rnn_cell.LSTMCell(6), tf.nn.rnn_cell.LSTMCell(3, forget_bias=0.5)])",
        [("tf.nn.rnn_cell.LSTMCell", "6", MULTI.format(0) + "lstm_cell"),
         ("tf.nn.rnn_cell.LSTMCell", "3, forget_bias=0.5", MULTI.format(1) + "lstm_cell")]),
    "MultiRNNCell of two GRUCells": (
        "tf.nn.rnn_cell.MultiRNNCell([tf.nn.rnn_cell.GRUCell(5), tf.nn.rnn_cell.GRUCell(6)])",
        [("tf.nn.rnn_cell.GRUCell", "5", MULTI.format(0) + "gru_cell"),
         ("tf.nn.rnn_cell.GRUCell", "6", MULTI.format(1) + "gru_cell")]),
}


@pytest.fixture(scope="module")
def tf1_runs() -> dict:
    cases = [{"id": case, "cell": cell} for case, (cell, _) in CASES.items()]
    return catalog_reference.run("rnn_cells.py", {"inputs": INPUTS.tolist(), "cases": cases})


def call_pairs(arguments: str) -> list:
    source = f"f({arguments})"
    call = ast.parse(source, mode="eval").body
    return [(None, ast.get_source_segment(source, a)) for a in call.args] + [
        (k.arg, ast.get_source_segment(source, k.value)) for k in call.keywords
    ]


def resolve(root: Any, path: str) -> Any:
    for part in path.split("."):
        root = getattr(root, part)
    return root


def tf1_state(record: rnn.CellRecord, parts: list) -> list:
    """TF1's state of one layer in the order Keras returns it: LSTM (c, h) → (h, c)."""
    return [parts[1], parts[0]] if record.keras_class == "LSTM" else parts


@pytest.mark.parametrize("case", [pytest.param(c, id=c) for c in CASES])
def test_keras_layers_with_relaid_weights_compute_tf1s_outputs(case: str, tf: Any, tf1_runs: dict) -> None:
    run = tf1_runs[case]
    variables = {name: np.asarray(value, np.float32) for name, value in run["variables"].items()}
    read = variables.__getitem__
    used: set[str] = set()
    x = tf.constant(INPUTS)
    expected_states = list(run["state"])
    for api, arguments, scope in CASES[case][1]:
        record = rnn.lookup(api)
        rendered = rnn.keras_layer(record, call_pairs(arguments))
        assert not rendered.unmapped
        layer = eval(rendered.code, {"tf": tf})
        layer(x)  # build
        for weight in rnn.call_weights(record, call_pairs(arguments)):
            tf1_name = f"{scope}/{weight.tf1}"
            value = relayout.apply_transform(weight.transform, tf1_name, read) if weight.transform else read(tf1_name)
            resolve(layer, weight.keras).assign(value)
            used.update(relayout.source_names(weight.transform, tf1_name) if weight.transform else [tf1_name])
        x, *states = layer(x)
        count = 2 if record.keras_class == "LSTM" else 1
        tf1_parts, expected_states = expected_states[:count], expected_states[count:]
        for got, want in zip(states, tf1_state(record, tf1_parts)):
            np.testing.assert_allclose(got.numpy(), np.asarray(want), atol=1e-5, rtol=0)
    np.testing.assert_allclose(x.numpy(), np.asarray(run["outputs"]), atol=1e-5, rtol=0)
    assert used == set(variables), "every TF1 variable is loaded, and nothing else"


def test_the_comparison_fails_without_the_forget_bias(tf: Any, tf1_runs: dict) -> None:
    """Loading the bias without folding forget_bias in must be caught."""
    case = "BasicLSTMCell with forget bias 0.7"
    variables = {name: np.asarray(value, np.float32) for name, value in tf1_runs[case]["variables"].items()}
    layer = tf.keras.layers.LSTM(6, recurrent_activation="sigmoid", return_sequences=True)
    layer(tf.constant(INPUTS))
    kernel = variables["rnn/basic_lstm_cell/kernel"]
    layer.cell.kernel.assign(relayout.lstm_kernel(kernel))
    layer.cell.recurrent_kernel.assign(relayout.lstm_recurrent_kernel(kernel))
    layer.cell.bias.assign(relayout.lstm_bias(variables["rnn/basic_lstm_cell/bias"], forget_bias=0.0))
    difference = np.abs(layer(tf.constant(INPUTS)).numpy() - np.asarray(tf1_runs[case]["outputs"])).max()
    assert difference > 1e-3
