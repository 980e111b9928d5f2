"""Converted weights mapped back to TF1 names and layout, for the comparisons (numpy only, no TensorFlow)."""
from __future__ import annotations

import numpy as np
import pytest

from tf1to2.manifest import Weight
from tf1to2.verify import layouts

RNG = np.random.default_rng(0)
LSTM = (
    Weight("rnn/lstm_cell/kernel", "cell.kernel", (3, 8), transform="tf1_lstm.kernel"),
    Weight("rnn/lstm_cell/kernel", "cell.recurrent_kernel", (2, 8), transform="tf1_lstm.recurrent_kernel"),
    Weight("rnn/lstm_cell/bias", "cell.bias", (8,), transform="tf1_lstm.bias(forget_bias=0.5)"),
)
GRU = (
    Weight("rnn/gru_cell/gates/kernel", "cell.kernel", (3, 6), transform="tf1_gru.kernel"),
    Weight("rnn/gru_cell/gates/kernel", "cell.recurrent_kernel", (2, 6), transform="tf1_gru.recurrent_kernel"),
    Weight("rnn/gru_cell/gates/bias", "cell.bias", (6,), transform="tf1_gru.bias"),
)
BASIC = (
    Weight("rnn/basic_rnn_cell/kernel", "cell.kernel", (3, 2), transform="tf1_rnn.kernel"),
    Weight("rnn/basic_rnn_cell/kernel", "cell.recurrent_kernel", (2, 2), transform="tf1_rnn.recurrent_kernel"),
    Weight("rnn/basic_rnn_cell/bias", "cell.bias", (2,)),
)
TF1_VALUES = {
    "rnn/lstm_cell/kernel": RNG.normal(size=(5, 8)), "rnn/lstm_cell/bias": RNG.normal(size=8),
    "rnn/gru_cell/gates/kernel": RNG.normal(size=(5, 4)), "rnn/gru_cell/gates/bias": RNG.normal(size=4),
    "rnn/gru_cell/candidate/kernel": RNG.normal(size=(5, 2)), "rnn/gru_cell/candidate/bias": RNG.normal(size=2),
    "rnn/basic_rnn_cell/kernel": RNG.normal(size=(5, 2)), "rnn/basic_rnn_cell/bias": RNG.normal(size=2),
}


@pytest.mark.parametrize("weights", [
    pytest.param(LSTM, id="an LSTM cell"),
    pytest.param(GRU, id="a GRU cell, gates and candidate"),
    pytest.param(BASIC, id="a basic RNN cell and a bias copied as is"),
])
def test_loading_then_mapping_back_gives_the_tf1_values(weights):
    converted = [(w, layouts.converted_value(w, TF1_VALUES.__getitem__)) for w in weights]
    back = layouts.to_tf1(converted)
    assert set(back) == set(layouts.tf1_names(weights))
    for name, value in back.items():
        np.testing.assert_allclose(value, TF1_VALUES[name])


def test_the_forget_bias_is_folded_into_values_but_not_into_gradients():
    gradients = [(w, np.ones(w.shape)) for w in LSTM]
    assert layouts.to_tf1(gradients, gradient=True)["rnn/lstm_cell/bias"].tolist() == [1.0] * 8
    assert layouts.to_tf1(gradients)["rnn/lstm_cell/bias"].tolist() == [1, 1, 1, 1, 0.5, 0.5, 1, 1]


def test_slots_take_the_re_layout_without_the_forget_bias():
    zero = layouts.converted_value(LSTM[2], lambda name: np.zeros(8), shift=False)
    assert zero.tolist() == [0.0] * 8
    assert layouts.converted_value(LSTM[2], lambda name: np.zeros(8)).tolist() == [0, 0, 0.5, 0.5, 0, 0, 0, 0]


def test_a_cell_missing_a_weight_cannot_be_mapped_back_and_says_which():
    with pytest.raises(ValueError, match="tf1_lstm.recurrent_kernel"):
        layouts.to_tf1([(w, np.zeros(w.shape)) for w in (LSTM[0], LSTM[2])])


def test_a_gru_weight_reads_its_candidate_sibling():
    assert layouts.source_names(GRU[0]) == ["rnn/gru_cell/gates/kernel", "rnn/gru_cell/candidate/kernel"]
