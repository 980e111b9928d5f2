"""Converted dynamic_rnn / bidirectional_dynamic_rnn compute TF1's outputs and final states.

Each script is converted; its RNN manifest unit's ``example.original`` runs as TF1 (TF 1.15 with
TF1TO2_REFERENCE_PYTHON, else compat.v1 with tf-keras) with every variable at random values. Here
(Keras 3, eager) the unit is constructed from ``example.construct`` in the converted module's namespace
(its initializer class and instances), every manifest weight is filled from
the TF1 variable it names through its ``tf1to2.relayout`` transform, and ``example.call`` — the Keras
layer's result put back into TF1's ``(outputs, state)`` structure, an LSTM state as (c, h) — must equal
TF1's to 1e-5. Every Keras weight must be filled exactly once.
"""
from __future__ import annotations

import ast
import importlib.util
from pathlib import Path
from typing import Any

import numpy as np
import pytest

import tf1to2
from tf1to2 import relayout
from tf1to2.manifest import Unit

pytestmark = pytest.mark.requires_tf

_SPEC = importlib.util.spec_from_file_location(
    "catalog_reference", Path(__file__).resolve().parents[1] / "catalog" / "catalog_reference.py"
)
catalog_reference = importlib.util.module_from_spec(_SPEC)
_SPEC.loader.exec_module(catalog_reference)

INPUTS = np.random.RandomState(3).normal(size=(3, 5, 4)).astype(np.float32)  # batch, time, features
HEADER = "import tensorflow as tf\ntokens = tf.placeholder(tf.float32, [None, 5, 4])\n"
SCRIPTS = {
    "LSTMCell, named cell, forget bias 0.5": "cell = tf.nn.rnn_cell.LSTMCell(6, forget_bias=0.5)\n"
                                              "outputs, state = tf.nn.dynamic_rnn(cell, tokens, dtype=tf.float32)\n",
    "BasicLSTMCell inline, default forget bias": "outputs, state = tf.nn.dynamic_rnn(tf.nn.rnn_cell.BasicLSTMCell(6), "
                                                 "tokens, dtype=tf.float32)\n",
    "GRUCell with a scope": "outputs, state = tf.nn.dynamic_rnn(tf.nn.rnn_cell.GRUCell(5), tokens, dtype=tf.float32, "
                            "scope='encoder')\n",
    "BasicRNNCell": "outputs, state = tf.nn.dynamic_rnn(tf.nn.rnn_cell.BasicRNNCell(3), tokens, dtype=tf.float32)\n",
    "bidirectional LSTMCells": "fw = tf.nn.rnn_cell.LSTMCell(4)\nbw = tf.nn.rnn_cell.LSTMCell(4, forget_bias=0.0)\n"
                               "(out_fw, out_bw), (state_fw, state_bw) = tf.nn.bidirectional_dynamic_rnn("
                               "fw, bw, tokens, dtype=tf.float32)\n",
    "bidirectional GRUCells, one named, one name for each result": "outputs, states = tf.nn.bidirectional_dynamic_rnn("
                                                         "tf.nn.rnn_cell.GRUCell(3, name='forward_gru'), "
                                                         "tf.nn.rnn_cell.GRUCell(3), tokens, "
                                                         "dtype=tf.float32)\n",
}


def rnn_unit(script: str) -> Unit:
    result = tf1to2.convert_source(HEADER + script, "model.py")
    [unit] = [u for u in result.units if isinstance(u, Unit) and "rnn" in u.source]
    return unit


def construction_namespace(tf: Any, script: str) -> dict:
    """What ``example.construct`` needs of the converted module: the initializer class and its instances."""
    converted = tf1to2.convert_source(HEADER + script, "model.py").text
    namespace = {"tf": tf}
    for node in ast.parse(converted).body:
        defines = isinstance(node, ast.ClassDef) or (isinstance(node, ast.Expr) and "register" in ast.unparse(node))
        initializer = isinstance(node, ast.Assign) and ast.unparse(node.targets[0]).endswith("_initializer")
        if defines or initializer:
            exec(compile(ast.Module([node], []), "converted.py", "exec"), namespace)
    return namespace


@pytest.fixture(scope="module")
def tf1_runs() -> dict:
    cases = [{"id": case, "original": rnn_unit(script).example.original} for case, script in SCRIPTS.items()]
    return catalog_reference.run("rnn_units.py", {"inputs": INPUTS.tolist(), "cases": cases})


def resolve(root: Any, path: str) -> Any:
    for part in path.split("."):
        root = getattr(root, part)
    return root


def load_through_manifest(tf: Any, instance: Any, unit: Unit, variables: dict) -> None:
    read = lambda name: np.asarray(variables[name], dtype=np.float32)  # noqa: E731
    filled = []
    for weight in unit.weights:
        value = relayout.apply_transform(weight.transform, weight.tf1_name, read) if weight.transform \
            else read(weight.tf1_name)
        target = resolve(instance, weight.attribute)
        assert tuple(target.shape) == value.shape, weight
        target.assign(value)
        filled.append(id(target))
    assert sorted(filled) == sorted(id(v) for v in instance.weights), "every Keras weight filled exactly once"


@pytest.mark.parametrize("case", [pytest.param(c, id=c) for c in SCRIPTS])
def test_converted_rnn_computes_tf1s_outputs_and_states(case: str, tf: Any, tf1_runs: dict) -> None:
    unit, run = rnn_unit(SCRIPTS[case]), tf1_runs[case]
    namespace = construction_namespace(tf, SCRIPTS[case])
    instance = eval(unit.example.construct, namespace)
    inputs = tf.constant(INPUTS)
    eval(unit.example.call, namespace, {"unit": instance, "inputs": inputs})  # builds the weights
    load_through_manifest(tf, instance, unit, run["variables"])
    got = tf.nest.flatten(eval(unit.example.call, namespace, {"unit": instance, "inputs": inputs}))
    assert len(got) == len(run["results"])
    for mine, theirs in zip(got, run["results"]):
        np.testing.assert_allclose(mine.numpy(), np.asarray(theirs), rtol=1e-5, atol=1e-5)


def test_the_comparison_fails_with_the_gates_in_tf1s_order(tf: Any, tf1_runs: dict) -> None:
    case = "LSTMCell, named cell, forget bias 0.5"
    unit, run = rnn_unit(SCRIPTS[case]), tf1_runs[case]
    instance = eval(unit.example.construct, construction_namespace(tf, SCRIPTS[case]))
    inputs = tf.constant(INPUTS)
    eval(unit.example.call, {"tf": tf}, {"unit": instance, "inputs": inputs})
    load_through_manifest(tf, instance, unit, run["variables"])
    kernel = instance.cell.kernel.numpy()
    instance.cell.kernel.assign(np.concatenate([kernel[:, 6:12], kernel[:, :6], kernel[:, 12:]], axis=1))
    got = tf.nest.flatten(eval(unit.example.call, {"tf": tf}, {"unit": instance, "inputs": inputs}))
    assert not np.allclose(got[0].numpy(), np.asarray(run["results"][0]), atol=1e-3)
