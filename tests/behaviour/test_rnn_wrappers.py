"""DropoutWrapper, sequence_length, initial_state and static_rnn around a converted RNN: TF1's numbers.

As in test_rnn_stacked: the TF1 script runs in the reference interpreter (every variable at random
values); the converted script (the RNN rule, then the API upgrade) runs here eagerly, each Keras layer
filled through its manifest unit, and the script's ``result`` (every output and state, flattened) must
equal TF1's to 1e-5. Dropout with keep probability 1.0 (a literal, or a placeholder defaulting to it)
computes the same numbers; below 1.0 the converted dropout is checked to drop as often as TF1's.
"""
from __future__ import annotations

from typing import Any

import numpy as np
import pytest
from rnn_scripts import FLATTEN, HEADER, catalog_reference, converted_with_units, run_converted

pytestmark = pytest.mark.requires_tf

# case: (script, the Keras layers' names in the manifest units' order)
SCRIPTS = {
    "DropoutWrapper, keep probabilities 1.0": (
        "cell = tf.nn.rnn_cell.DropoutWrapper(tf.nn.rnn_cell.LSTMCell(6), input_keep_prob=1.0, output_keep_prob=1.0)\n"
        "outputs, state = tf.nn.dynamic_rnn(cell, tokens, dtype=tf.float32)\n", ["rnn"]),
    "DropoutWrapper, keep probability a placeholder defaulting to 1.0": (
        "keep = tf.placeholder_with_default(1.0, [])\n"
        "cell = tf.nn.rnn_cell.DropoutWrapper(tf.nn.rnn_cell.GRUCell(5), keep, output_keep_prob=keep)\n"
        "outputs, state = tf.nn.dynamic_rnn(cell, tokens, dtype=tf.float32)\n", ["rnn"]),
    "DropoutWrapper in every cell of a MultiRNNCell": (
        "keep = tf.placeholder_with_default(1.0, [])\n"
        "cells = tf.nn.rnn_cell.MultiRNNCell([tf.nn.rnn_cell.DropoutWrapper(tf.nn.rnn_cell.BasicLSTMCell(4), "
        "output_keep_prob=keep) for _ in range(2)])\n"
        "outputs, state = tf.nn.dynamic_rnn(cells, tokens, dtype=tf.float32)\n",
        ["cell_0", "cell_1"]),
    "LSTMCell, sequence lengths 5, 2 and 0, an LSTMStateTuple initial state": (
        "c0 = tf.constant(np.full((3, 6), 0.3, np.float32))\n"
        "h0 = tf.constant(np.linspace(-1, 1, 18, dtype=np.float32).reshape(3, 6))\n"
        "cell = tf.nn.rnn_cell.LSTMCell(6, forget_bias=0.5)\n"
        "outputs, state = tf.nn.dynamic_rnn(cell, tokens, sequence_length=tf.constant([5, 2, 0]), "
        "initial_state=tf.nn.rnn_cell.LSTMStateTuple(c0, h0), dtype=tf.float32)\n", ["rnn"]),
    "GRUCell in a DropoutWrapper, sequence lengths, an initial state": (
        "keep = tf.placeholder_with_default(1.0, [])\n"
        "lengths = tf.placeholder_with_default(tf.constant([3, 5, 1]), [None])\n"
        "cell = tf.nn.rnn_cell.DropoutWrapper(tf.nn.rnn_cell.GRUCell(5), output_keep_prob=keep)\n"
        "outputs, state = tf.nn.dynamic_rnn(cell, tokens, sequence_length=lengths, "
        "initial_state=tf.constant(np.linspace(-1, 1, 15, dtype=np.float32).reshape(3, 5)), dtype=tf.float32)\n",
        ["rnn"]),
    "bidirectional LSTMCells, sequence lengths, initial states": (
        "start = tf.constant(np.linspace(-1, 1, 12, dtype=np.float32).reshape(3, 4))\n"
        "outputs, state = tf.nn.bidirectional_dynamic_rnn(tf.nn.rnn_cell.LSTMCell(4), tf.nn.rnn_cell.LSTMCell(4), "
        "tokens, "
        "sequence_length=tf.constant([4, 5, 2]), initial_state_fw=tf.nn.rnn_cell.LSTMStateTuple(start, -start), "
        "initial_state_bw=tf.nn.rnn_cell.LSTMStateTuple(0.5 * start, start), dtype=tf.float32)\n",
        ["bidirectional_rnn"]),
    "MultiRNNCell, sequence lengths, one initial state per cell": (
        "first = tf.constant(np.linspace(-1, 1, 12, dtype=np.float32).reshape(3, 4))\n"
        "outputs, state = tf.nn.dynamic_rnn(tf.nn.rnn_cell.MultiRNNCell([tf.nn.rnn_cell.GRUCell(4), "
        "tf.nn.rnn_cell.LSTMCell(4)]), tokens, sequence_length=tf.constant([2, 5, 3]), "
        "initial_state=(first, tf.nn.rnn_cell.LSTMStateTuple(first * 0.5, -first)), dtype=tf.float32)\n",
        ["cell_0", "cell_1"]),
    "static_rnn over a list of steps, sequence lengths, an initial state": (
        "steps = tf.unstack(tokens, axis=1)\n"
        "start = tf.constant(np.linspace(-1, 1, 15, dtype=np.float32).reshape(3, 5))\n"
        "outputs, state = tf.nn.static_rnn(tf.nn.rnn_cell.LSTMCell(5), steps, "
        "initial_state=tf.nn.rnn_cell.LSTMStateTuple(start, -start), "
        "sequence_length=tf.constant([5, 3, 1]), dtype=tf.float32)\n", ["rnn"]),
    "static_rnn over a MultiRNNCell in DropoutWrappers": (
        "outputs, state = tf.nn.static_rnn(tf.nn.rnn_cell.MultiRNNCell([tf.nn.rnn_cell.DropoutWrapper("
        "tf.nn.rnn_cell.GRUCell(3), input_keep_prob=1.0) for _ in range(2)]), tf.unstack(tokens, axis=1), "
        "dtype=tf.float32, scope='steps')\n", ["cell_0", "cell_1"]),
    "time-major inputs, sequence lengths": (
        "steps_first = tf.transpose(tokens, [1, 0, 2])\n"
        "outputs, state = tf.nn.dynamic_rnn(tf.nn.rnn_cell.LSTMCell(5), steps_first, "
        "sequence_length=tf.constant([4, 5, 2]), "
        "time_major=True, dtype=tf.float32)\n", ["rnn"]),
    "time-major inputs, a MultiRNNCell": (
        "steps_first = tf.transpose(tokens, [1, 0, 2])\n"
        "outputs, state = tf.nn.dynamic_rnn(tf.nn.rnn_cell.MultiRNNCell([tf.nn.rnn_cell.GRUCell(3), "
        "tf.nn.rnn_cell.BasicRNNCell(2)]), "
        "steps_first, time_major=True, dtype=tf.float32)\n", ["cell_0", "cell_1"]),
    "bidirectional MultiRNNCells, sequence lengths, initial states": (
        "first = tf.constant(np.linspace(-1, 1, 12, dtype=np.float32).reshape(3, 4))\n"
        "outputs, state = tf.nn.bidirectional_dynamic_rnn(\n"
        "    tf.nn.rnn_cell.MultiRNNCell([tf.nn.rnn_cell.LSTMCell(4), tf.nn.rnn_cell.GRUCell(4)]),\n"
        "    tf.nn.rnn_cell.MultiRNNCell([tf.nn.rnn_cell.GRUCell(4) for _ in range(2)]), tokens,\n"
        "    sequence_length=tf.constant([4, 5, 2]), initial_state_fw=(tf.nn.rnn_cell.LSTMStateTuple(first, -first), "
        "first),\n    initial_state_bw=(0.5 * first, -first), dtype=tf.float32)\n",
        ["fw_cell_0", "fw_cell_1", "bw_cell_0", "bw_cell_1"]),
    "bidirectional: a MultiRNNCell forward, one GRUCell backward, time-major": (
        "(out_fw, out_bw), (state_fw, state_bw) = tf.nn.bidirectional_dynamic_rnn(\n"
        "    tf.nn.rnn_cell.MultiRNNCell([tf.nn.rnn_cell.BasicRNNCell(3), tf.nn.rnn_cell.GRUCell(2)]),\n"
        "    tf.nn.rnn_cell.GRUCell(5), tf.transpose(tokens, [1, 0, 2]), time_major=True, dtype=tf.float32)\n"
        "outputs, state = (out_fw, out_bw), (state_fw, state_bw)\n",
        ["fw_cell_0", "fw_cell_1", "bw_cell_0"]),
    "bidirectional GRUCells in DropoutWrappers, sequence lengths": (
        "keep = tf.placeholder_with_default(1.0, [])\n"
        "outputs, state = tf.nn.bidirectional_dynamic_rnn(\n"
        "    tf.nn.rnn_cell.DropoutWrapper(tf.nn.rnn_cell.GRUCell(3), input_keep_prob=keep, output_keep_prob=keep),\n"
        "    tf.nn.rnn_cell.DropoutWrapper(tf.nn.rnn_cell.GRUCell(3), keep), tokens, sequence_length=tf.constant([4, 5, 2]),\n"
        "    dtype=tf.float32)\n", ["fw_cell_0", "bw_cell_0"]),
}


@pytest.mark.parametrize("case", [pytest.param(c, id=c) for c in SCRIPTS])
def test_wrapped_rnn_computes_tf1s_outputs_and_states(case: str, tf: Any, monkeypatch: pytest.MonkeyPatch) -> None:
    script, layer_names = SCRIPTS[case]
    original = HEADER + script + FLATTEN
    reference = catalog_reference.run("module_script.py", {"script": original, "fetch": "result"})
    converted, units = converted_with_units(original, monkeypatch)
    assert not any(f"{api}(" in converted for api in ("dynamic_rnn", "static_rnn", "Wrapper")), converted
    got = run_converted(tf, converted, units, layer_names, reference["variables"])
    np.testing.assert_allclose(got, np.asarray(reference["result"]), rtol=1e-5, atol=1e-5)


def test_dropout_below_one_drops_as_often_as_tf1s(tf: Any, monkeypatch: pytest.MonkeyPatch) -> None:
    """keep 0.5 on the inputs and 0.25 on the outputs: TF1 drops on every run, so does the converted code;
    the mean magnitude of the outputs (tanh, then scaled by 1 / keep) tells the scaling too."""
    script = ("tokens = tf.ones([200, 20, 10])\n"
              "cell = tf.nn.rnn_cell.DropoutWrapper(tf.nn.rnn_cell.BasicRNNCell(10), "
              "input_keep_prob=0.5, output_keep_prob=0.25)\n"
              "outputs, state = tf.nn.dynamic_rnn(cell, tokens, dtype=tf.float32)\n"
              "result = tf.stack([tf.reduce_mean(tf.cast(tf.equal(outputs, 0.0), tf.float32)), "
              "tf.reduce_mean(tf.abs(outputs))])\n")
    original = "import tensorflow.compat.v1 as tf\n" + script
    reference = catalog_reference.run("module_script.py", {"script": original, "fetch": "result"})
    converted, units = converted_with_units(original, monkeypatch)
    got = run_converted(tf, converted, units, ["rnn"], reference["variables"])
    assert abs(got[0] - 0.75) < 0.01 and abs(reference["result"][0] - 0.75) < 0.01, (got, reference["result"])
    # each mean of 40,000 values is known to about 1 %: 7 % is 5σ of their difference
    assert abs(got[1] - reference["result"][1]) < 0.07 * reference["result"][1], (got, reference["result"])


def test_the_comparison_fails_without_zeroing_the_outputs_past_the_lengths(tf: Any,
                                                                          monkeypatch: pytest.MonkeyPatch) -> None:
    script, layer_names = SCRIPTS["LSTMCell, sequence lengths 5, 2 and 0, an LSTMStateTuple initial state"]
    original = HEADER + script + FLATTEN
    reference = catalog_reference.run("module_script.py", {"script": original, "fetch": "result"})
    converted, units = converted_with_units(original, monkeypatch)
    unmasked = "".join(line for line in converted.splitlines(keepends=True) if "tf.cast(cell_mask" not in line)
    assert unmasked != converted
    got = run_converted(tf, unmasked, units, layer_names, reference["variables"])
    assert not np.allclose(got, np.asarray(reference["result"]), atol=1e-3)


def test_variational_dropout_keeps_its_mask_over_the_steps_and_the_batch_as_tf1s(
        tf: Any, monkeypatch: pytest.MonkeyPatch) -> None:
    """keep 0.5 on the outputs with variational_recurrent: TF1 draws one mask for the whole batch and every
    step, so about half the units are zero everywhere, and no value is zero otherwise."""
    script = ("tokens = tf.ones([20, 10, 4])\n"
              "cell = tf.nn.rnn_cell.DropoutWrapper(tf.nn.rnn_cell.BasicRNNCell(400), output_keep_prob=0.5, "
              "variational_recurrent=True, dtype=tf.float32)\n"
              "outputs, state = tf.nn.dynamic_rnn(cell, tokens, dtype=tf.float32)\n"
              "zero = tf.cast(tf.equal(outputs, 0.0), tf.float32)\n"
              "result = tf.stack([tf.reduce_mean(tf.reduce_min(zero, axis=[0, 1])), tf.reduce_mean(zero)])\n")
    original = "import tensorflow.compat.v1 as tf\n" + script
    reference = catalog_reference.run("module_script.py", {"script": original, "fetch": "result"})
    converted, units = converted_with_units(original, monkeypatch)
    got = run_converted(tf, converted, units, ["rnn"], reference["variables"])
    for zero_everywhere, zero in (got, reference["result"]):
        # 400 units: the fraction dropped is 0.5 ± 0.025 (1σ)
        assert abs(zero_everywhere - 0.5) < 0.125 and abs(zero - zero_everywhere) < 1e-6, (got, reference["result"])
