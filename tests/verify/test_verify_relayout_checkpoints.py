"""``convert-checkpoint`` on a TF1 LSTM checkpoint: the manifest's re-layouts split the one TF1 kernel
into Keras' kernel and recurrent kernel, fold the forget bias, and re-lay out Adam's slots without it.

The check is independent of ``tf1to2.relayout``: the converted LSTM must compute what TF1's ``LSTMCell``
computes from the TF1 values (written out below in numpy, gate order i, j, f, o)."""
from __future__ import annotations

import json
from pathlib import Path

import numpy as np
import pytest

from tf1to2.manifest import Manifest
from tf1to2.verify import binding as bind
from tf1to2.verify import checkpoints, slots

CASE = Path(__file__).resolve().parents[1] / "fixtures" / "verify" / "lstm_dynamic_rnn"
UNITS, INPUTS, STEPS = 4, 3, 6
pytestmark = [
    pytest.mark.requires_tf,
    pytest.mark.filterwarnings("ignore:`build\\(\\)` was called on layer:UserWarning"),
]


def sigmoid(x):
    return 1 / (1 + np.exp(-x))


def tf1_lstm(x: np.ndarray, kernel: np.ndarray, bias: np.ndarray, forget_bias: float = 1.0) -> np.ndarray:
    """``tf.nn.dynamic_rnn(LSTMCell(units), x)``'s outputs, zero initial state."""
    h = np.zeros((x.shape[0], UNITS))
    c = np.zeros((x.shape[0], UNITS))
    outputs = []
    for t in range(x.shape[1]):
        i, j, f, o = np.split(np.concatenate([x[:, t], h], axis=1) @ kernel + bias, 4, axis=1)
        c = sigmoid(f + forget_bias) * c + sigmoid(i) * np.tanh(j)
        h = sigmoid(o) * np.tanh(c)
        outputs.append(h)
    return np.stack(outputs, axis=1)


@pytest.fixture(scope="module")
def tf1_checkpoint(tmp_path_factory):
    """A TF1-named checkpoint of the fixture's LSTM with Adam state, written with raw SaveV2."""
    import tensorflow as tf

    rng = np.random.default_rng(1)
    values = {
        "rnn/lstm_cell/kernel": rng.normal(size=(INPUTS + UNITS, 4 * UNITS)),
        "rnn/lstm_cell/bias": rng.normal(size=4 * UNITS),
        "beta1_power": np.array(0.9 ** 4), "beta2_power": np.array(0.999 ** 4),
    }
    for name in ("rnn/lstm_cell/kernel", "rnn/lstm_cell/bias"):
        values[f"{name}/Adam"] = rng.normal(size=values[name].shape)
        values[f"{name}/Adam_1"] = rng.uniform(size=values[name].shape)
    values = {name: value.astype(np.float32) for name, value in values.items()}
    prefix = str(tmp_path_factory.mktemp("lstm") / "model.ckpt")
    tf.raw_ops.SaveV2(prefix=prefix, tensor_names=list(values), shape_and_slices=[""] * len(values),
                      tensors=[tf.constant(v) for v in values.values()])
    return prefix, values


def fresh_encoder():
    unit = Manifest.from_json((CASE / "manifest.json").read_text()).units[0]
    namespace = bind.load_module(CASE / "converted.py").namespace
    return unit, bind.construct_unit(namespace, unit, bind.example_tensors(unit.example), call=True)


@pytest.mark.parametrize("file_name", [pytest.param("lstm", id="checkpoint prefix"),
                                       pytest.param("lstm.weights.h5", id="keras weights file")])
def test_the_converted_lstm_computes_what_the_tf1_cell_computes(tf1_checkpoint, tmp_path, file_name):
    prefix, values = tf1_checkpoint
    if file_name.endswith(".weights.h5") and checkpoints.keras3_saving(fresh_encoder()[1]) is None:
        pytest.skip("Keras 2 writes .weights.h5 for models only; the converted LSTM is a layer")
    output = str(tmp_path / file_name)
    converted = checkpoints.convert_checkpoint(prefix, CASE / "manifest.json", output)
    assert converted.weights == 3
    _, encoder = fresh_encoder()
    checkpoints.load_weights(encoder, output)
    x = np.random.default_rng(2).normal(size=(2, STEPS, INPUTS)).astype(np.float32)
    expected = tf1_lstm(x, values["rnn/lstm_cell/kernel"], values["rnn/lstm_cell/bias"])
    np.testing.assert_allclose(encoder(x).numpy(), expected, rtol=1e-5, atol=1e-5)


def test_adam_slots_take_the_re_layout_without_the_forget_bias(tf1_checkpoint, tmp_path):
    import tensorflow as tf

    prefix, values = tf1_checkpoint
    output = str(tmp_path / "lstm")
    converted = checkpoints.convert_checkpoint(prefix, CASE / "manifest.json", output, with_optimizer=True)
    assert (converted.optimizer, converted.slots, converted.iterations) == ("Adam", 6, 3)
    unit, encoder = fresh_encoder()
    optimizer = tf.keras.optimizers.Adam()
    variables = bind.trainable_variables(encoder)
    optimizer.build(variables)
    tf.train.Checkpoint(model=encoder, optimizer=optimizer).read(output).assert_consumed()
    binding = bind.bind_weights(encoder, unit.weights)
    momentums = getattr(optimizer, slots.SLOT_LAYOUTS["Adam"].slots["Adam"])
    by_attribute = {binding.weight_of(v).attribute: np.asarray(m.numpy()) for v, m in zip(variables, momentums)}
    tf1_momentum, gate_order = values["rnn/lstm_cell/kernel/Adam"], np.r_[0:4, 8:12, 4:8, 12:16]  # i j f o → i f c o
    np.testing.assert_allclose(by_attribute["lstm.cell.kernel"], tf1_momentum[:INPUTS, gate_order])
    np.testing.assert_allclose(by_attribute["lstm.cell.recurrent_kernel"], tf1_momentum[INPUTS:, gate_order])
    np.testing.assert_allclose(by_attribute["lstm.cell.bias"], values["rnn/lstm_cell/bias/Adam"][gate_order])


def test_a_tf1_lstm_checkpoint_diffs_clean_though_one_kernel_fills_two_weights(tf1_checkpoint):
    prefix, _ = tf1_checkpoint
    diff = checkpoints.diff_checkpoint(prefix, CASE / "manifest.json")
    assert (diff.matched, diff.missing, diff.unexpected, diff.wrong_shape) == (3, (), (), ())


def test_a_gru_weight_without_its_candidate_variable_is_missing(tmp_path):
    import tensorflow as tf

    prefix = str(tmp_path / "gru.ckpt")
    tf.raw_ops.SaveV2(prefix=prefix, tensor_names=["rnn/gru_cell/gates/kernel"], shape_and_slices=[""],
                      tensors=[tf.zeros((7, 8))])
    manifest = json.loads((CASE / "manifest.json").read_text())
    manifest["units"][0]["weights"] = [{"tf1_name": "rnn/gru_cell/gates/kernel", "attribute": "gru.cell.kernel",
                                        "shape": [3, 12], "transform": "tf1_gru.kernel"}]
    path = tmp_path / "gru.json"
    path.write_text(json.dumps(manifest))
    diff = checkpoints.diff_checkpoint(prefix, path)
    assert [problem.name for problem in diff.missing] == ["rnn/gru_cell/candidate/kernel"]
    assert diff.unexpected == ()
