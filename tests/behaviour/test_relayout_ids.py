"""tf1to2.relayout without TensorFlow: inverses, transform ids, the TF1 variables each one reads."""
from __future__ import annotations

import numpy as np
import pytest

from tf1to2 import relayout
from tf1to2.catalog import rnn

RNG = np.random.RandomState(0)


def test_lstm_relayout_inverts() -> None:
    kernel, bias = RNG.normal(size=(7 + 5, 20)), RNG.normal(size=20)
    keras = (relayout.lstm_kernel(kernel), relayout.lstm_recurrent_kernel(kernel), relayout.lstm_bias(bias, 0.3))
    assert keras[0].shape == (7, 20) and keras[1].shape == (5, 20)
    back_kernel, back_bias = relayout.lstm_to_tf1(*keras, forget_bias=0.3)
    np.testing.assert_allclose(back_kernel, kernel)
    np.testing.assert_allclose(back_bias, bias)


def test_lstm_gate_blocks_move_from_ijfo_to_ifco() -> None:
    units = 2
    bias = np.repeat([1.0, 2.0, 3.0, 4.0], units)  # i, j, f, o
    assert relayout.lstm_bias(bias, forget_bias=0.5).tolist() == [1, 1, 3.5, 3.5, 2, 2, 4, 4]


def test_gru_relayout_inverts() -> None:
    gates_kernel, candidate_kernel = RNG.normal(size=(3 + 4, 8)), RNG.normal(size=(3 + 4, 4))
    gates_bias, candidate_bias = RNG.normal(size=8), RNG.normal(size=4)
    back = relayout.gru_to_tf1(relayout.gru_kernel(gates_kernel, candidate_kernel),
                               relayout.gru_recurrent_kernel(gates_kernel, candidate_kernel),
                               relayout.gru_bias(gates_bias, candidate_bias))
    for name, value in {"gates/kernel": gates_kernel, "candidate/kernel": candidate_kernel,
                        "gates/bias": gates_bias, "candidate/bias": candidate_bias}.items():
        np.testing.assert_allclose(back[name], value)


def test_gru_update_gate_comes_first_in_keras() -> None:
    units = 2
    gates_bias = np.repeat([1.0, 2.0], units)  # reset, update
    assert relayout.gru_bias(gates_bias, np.full(units, 3.0)).tolist() == [2, 2, 1, 1, 3, 3]


def test_transform_ids_apply_with_parameters_and_siblings() -> None:
    values = {"rnn/gru_cell/gates/bias": np.repeat([1.0, 2.0], 2), "rnn/gru_cell/candidate/bias": np.full(2, 3.0),
              "rnn/lstm_cell/bias": np.zeros(8)}
    assert relayout.apply_transform("tf1_gru.bias", "rnn/gru_cell/gates/bias", values.__getitem__).tolist() == [
        2, 2, 1, 1, 3, 3]
    assert relayout.apply_transform("tf1_lstm.bias(forget_bias=1.0)", "rnn/lstm_cell/bias",
                                    values.__getitem__).tolist() == [0, 0, 1, 1, 0, 0, 0, 0]
    assert relayout.source_names("tf1_gru.kernel", "a/gru_cell/gates/kernel") == [
        "a/gru_cell/gates/kernel", "a/gru_cell/candidate/kernel"]


@pytest.mark.parametrize(
    "transform",
    [
        pytest.param("tf1_lstm.unknown", id="unknown id"),
        pytest.param("tf1_lstm.kernel(forget_bias=1.0)", id="a parameter the transform does not take"),
    ],
)
def test_bad_transform_ids_are_refused(transform: str) -> None:
    with pytest.raises(KeyError):
        relayout.parse(transform)


def test_gru_transform_needs_a_gates_name() -> None:
    with pytest.raises(ValueError, match="gates/kernel"):
        relayout.source_names("tf1_gru.kernel", "rnn/gru_cell/kernel")


def test_every_transform_the_rnn_catalog_names_exists() -> None:
    for record in rnn.RECORDS.values():
        for weight in rnn.weights(record, "0.25"):
            if weight.transform:
                relayout.parse(weight.transform)
