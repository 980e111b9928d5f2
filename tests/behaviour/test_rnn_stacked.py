"""A MultiRNNCell under dynamic_rnn becomes one Keras layer per cell, called in turn: same outputs and states.

The TF1 script runs in the reference interpreter (every variable at random values); the converted script
(the RNN rule, then the API upgrade) runs here eagerly. Each Keras layer is found by the name the
converter gave it (``cell_<i>``), filled through its manifest unit (TF1 name → attribute, relayout
transform), and the script's ``result`` (every output and state tensor, flattened) must equal TF1's.
"""
from __future__ import annotations

import importlib.util
import re
from pathlib import Path
from typing import Any

import numpy as np
import pytest

import tf1to2
from tf1to2 import relayout
from tf1to2 import rules as registry
from tf1to2.manifest import Unit
from tf1to2.rules import layers_rnn

pytestmark = pytest.mark.requires_tf

_SPEC = importlib.util.spec_from_file_location(
    "catalog_reference", Path(__file__).resolve().parents[1] / "catalog" / "catalog_reference.py"
)
catalog_reference = importlib.util.module_from_spec(_SPEC)
_SPEC.loader.exec_module(catalog_reference)

HEADER = """import numpy as np
import tensorflow.compat.v1 as tf
tokens = tf.constant(np.random.RandomState(4).normal(size=(3, 5, 4)).astype(np.float32))
"""
FLATTEN = "result = tf.concat([tf.reshape(t, [-1]) for t in tf.nest.flatten((outputs, state))], 0)\n"
SCRIPTS = {
    "two LSTMCells, the second with forget bias 0.5": (
        "cell = tf.nn.rnn_cell.MultiRNNCell([tf.nn.rnn_cell.LSTMCell(6), tf.nn.rnn_cell.LSTMCell(3, forget_bias=0.5)])\n"
        "outputs, state = tf.nn.dynamic_rnn(cell, tokens, dtype=tf.float32)\n"),
    "three GRUCells from a comprehension": (
        "outputs, state = tf.nn.dynamic_rnn(tf.nn.rnn_cell.MultiRNNCell([tf.nn.rnn_cell.GRUCell(4) for _ in range(3)]), "
        "tokens, dtype=tf.float32, scope='decoder')\n"),
}


def converted_with_units(text: str, monkeypatch: pytest.MonkeyPatch) -> tuple[str, list[Unit]]:
    api = [p for p in registry.passes() if p.name == "api"][0]
    monkeypatch.setattr(registry, "passes", lambda: [registry.Pass("structure", (layers_rnn,)), api])
    result = tf1to2.convert_source(text, "script.py")
    assert result.status.value == "changed", result.reason
    return result.text, [u for u in result.units if isinstance(u, Unit)]


@pytest.mark.parametrize("case", [pytest.param(c, id=c) for c in SCRIPTS])
def test_stacked_cells_compute_tf1s_outputs_and_states(case: str, tf: Any, monkeypatch: pytest.MonkeyPatch) -> None:
    original = HEADER + SCRIPTS[case] + FLATTEN
    reference = catalog_reference.run("module_script.py", {"script": original, "fetch": "result"})
    converted, units = converted_with_units(original, monkeypatch)
    assert "MultiRNNCell" not in converted and "dynamic_rnn" not in converted, converted
    namespace: dict = {}
    exec(compile(converted, "converted.py", "exec"), namespace)  # builds every Keras layer
    layers = {v.name: v for v in namespace.values() if isinstance(v, tf.keras.layers.Layer)}
    read = lambda name: np.asarray(reference["variables"][name], dtype=np.float32)  # noqa: E731
    loaded = set()
    for index, unit in enumerate(units):
        layer = layers[f"cell_{index}"]
        for weight in unit.weights:
            target = layer
            for part in weight.attribute.split("."):
                target = getattr(target, part)
            target.assign(relayout.apply_transform(weight.transform, weight.tf1_name, read))
            loaded |= set(relayout.source_names(weight.transform, weight.tf1_name))
    assert loaded == set(reference["variables"]), "every TF1 variable is read into a Keras weight"
    rerun = "".join(line for line in converted.splitlines(keepends=True)
                    if not re.match(r"\s*\w+ = tf\.keras\.layers\.", line))
    exec(compile(rerun, "converted.py", "exec"), namespace)
    np.testing.assert_allclose(np.asarray(namespace["result"]), np.asarray(reference["result"]), rtol=1e-5, atol=1e-5)
