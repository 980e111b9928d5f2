"""A MultiRNNCell under dynamic_rnn becomes one Keras layer per cell, called in turn: same outputs and states.

The TF1 script runs in the reference interpreter (every variable at random values); the converted script
(the RNN rule, then the API upgrade) runs here eagerly. Each Keras layer is found by the name the
converter gave it (``cell_<i>``), filled through its manifest unit (TF1 name → attribute, relayout
transform), and the script's ``result`` (every output and state tensor, flattened) must equal TF1's.
"""
from __future__ import annotations

from typing import Any

import numpy as np
import pytest
from rnn_scripts import FLATTEN, HEADER, catalog_reference, converted_with_units, run_converted

pytestmark = pytest.mark.requires_tf

SCRIPTS = {
    "two LSTMCells, the second with forget bias 0.5": (
        "cell = tf.nn.rnn_cell.MultiRNNCell([tf.nn.rnn_cell.LSTMCell(6), tf.nn.rnn_cell.LSTMCell(3, forget_bias=0.5)])\n"
        "outputs, state = tf.nn.dynamic_rnn(cell, tokens, dtype=tf.float32)\n"),
    "three GRUCells from a comprehension": (
        "outputs, state = tf.nn.dynamic_rnn(tf.nn.rnn_cell.MultiRNNCell([tf.nn.rnn_cell.GRUCell(4) for _ in range(3)]), "
        "tokens, dtype=tf.float32, scope='decoder')\n"),
}


@pytest.mark.parametrize("case", [pytest.param(c, id=c) for c in SCRIPTS])
def test_stacked_cells_compute_tf1s_outputs_and_states(case: str, tf: Any, monkeypatch: pytest.MonkeyPatch) -> None:
    original = HEADER + SCRIPTS[case] + FLATTEN
    reference = catalog_reference.run("module_script.py", {"script": original, "fetch": "result"})
    converted, units = converted_with_units(original, monkeypatch)
    assert "MultiRNNCell" not in converted and "dynamic_rnn" not in converted, converted
    result = run_converted(tf, converted, units, [f"cell_{i}" for i in range(len(units))], reference["variables"])
    np.testing.assert_allclose(result, np.asarray(reference["result"]), rtol=1e-5, atol=1e-5)
