"""Initializer, regularizer, optimizer and RNN cell tables: the TF2 code each TF1 call renders to.

Numbers are checked in tests/behaviour/test_catalog_numerics.py; here, the text and what is reported.
"""
from __future__ import annotations

import pytest

from tf1to2.catalog import initializers, optimizers, regularizers, rnn
from tf1to2.catalog.initializers import CONTRIB_TRUNCATED_SCALE


def pairs(*args: str, **kwargs: str) -> list:
    return [(None, a) for a in args] + list(kwargs.items())


@pytest.mark.parametrize(
    ("api", "args", "expected"),
    [
        pytest.param("tf.random_normal_initializer", pairs(), "RandomNormal(mean=0.0, stddev=1.0)",
                     id="random normal stddev 1.0"),
        pytest.param("tf.random_normal_initializer", pairs(stddev="0.02"), "RandomNormal(mean=0.0, stddev=0.02)",
                     id="random normal given stddev"),
        pytest.param("tf.truncated_normal_initializer", pairs("0.0", "0.1"), "TruncatedNormal(mean=0.0, stddev=0.1)",
                     id="truncated normal positional"),
        pytest.param("tf.random_uniform_initializer", pairs(), "RandomUniform(minval=0.0, maxval=1.0)",
                     id="random uniform [0, 1)"),
        pytest.param("tf.initializers.random_uniform", pairs("-0.1", "0.1"), "RandomUniform(minval=-0.1, maxval=0.1)",
                     id="tf.initializers alias"),
        pytest.param("tf.glorot_uniform_initializer", pairs(), "GlorotUniform()", id="glorot uniform"),
        pytest.param("tf.glorot_normal_initializer", pairs(seed="1"), "GlorotNormal(seed=1)", id="glorot normal seed"),
        pytest.param("tf.variance_scaling_initializer", pairs(distribution="'normal'"),
                     'VarianceScaling(scale=1.0, mode="fan_in", distribution="truncated_normal")',
                     id="TF1 normal distribution is the truncated one"),
        pytest.param("tf.orthogonal_initializer", pairs(), "Orthogonal(gain=1.0)", id="orthogonal"),
        pytest.param("tf.zeros_initializer", pairs(), "Zeros()", id="zeros"),
        pytest.param("tf.constant_initializer", pairs("0.1"), "Constant(value=0.1)", id="constant"),
        pytest.param("tf.uniform_unit_scaling_initializer", pairs("1.43"),
                     'VarianceScaling(scale=1.43 ** 2, mode="fan_in", distribution="uniform")',
                     id="uniform unit scaling"),
        pytest.param("tf.contrib.layers.xavier_initializer", pairs(),
                     'VarianceScaling(scale=1.0, mode="fan_avg", distribution="uniform")', id="contrib xavier uniform"),
        pytest.param("tf.contrib.layers.xavier_initializer", pairs(uniform="False"),
                     f'VarianceScaling(scale={CONTRIB_TRUNCATED_SCALE}, mode="fan_avg", distribution="truncated_normal")',
                     id="contrib xavier normal keeps the 1.3 factor"),
        pytest.param("tf.contrib.layers.variance_scaling_initializer", pairs(),
                     f'VarianceScaling(scale={CONTRIB_TRUNCATED_SCALE} * 2.0, mode="fan_in", '
                     'distribution="truncated_normal")', id="contrib variance scaling factor 2"),
        pytest.param("tf.contrib.slim.variance_scaling_initializer", pairs(factor="1.0", mode="'FAN_AVG'", uniform="True"),
                     'VarianceScaling(scale=1.0, mode="fan_avg", distribution="uniform")',
                     id="slim variance scaling uniform"),
    ],
)
def test_initializers(api: str, args: list, expected: str) -> None:
    rendered = initializers.render(initializers.lookup(api), args)
    assert rendered.code == f"tf.keras.initializers.{expected}"
    assert not rendered.unmapped


def test_initializer_dtype_is_noted_and_verify_shape_reported() -> None:
    rendered = initializers.render(initializers.lookup("tf.constant_initializer"), pairs("1", dtype="tf.int32",
                                                                                         verify_shape="True"))
    assert rendered.code == "tf.keras.initializers.Constant(value=1)"
    assert any("dtype" in note for note in rendered.notes)
    assert [u.param for u in rendered.unmapped] == ["verify_shape"]


def test_contrib_variance_scaling_with_computed_uniform_is_reported() -> None:
    rendered = initializers.render(initializers.lookup("tf.contrib.layers.variance_scaling_initializer"),
                                   pairs(uniform="flag"))
    assert [u.param for u in rendered.unmapped] == ["uniform"]


@pytest.mark.parametrize(
    ("api", "args", "expected"),
    [
        pytest.param("tf.contrib.layers.l2_regularizer", pairs("0.0005"), "L2(l2=0.00025)", id="l2 is halved"),
        pytest.param("tf.contrib.layers.l2_regularizer", pairs("weight_decay"), "L2(l2=weight_decay / 2)",
                     id="l2 expression is halved"),
        pytest.param("tf.contrib.layers.l1_regularizer", pairs("0.1"), "L1(l1=0.1)", id="l1 is kept"),
        pytest.param("tf.contrib.slim.l1_l2_regularizer", pairs(), "L1L2(l1=1.0, l2=0.5)", id="l1_l2 defaults"),
    ],
)
def test_regularizers(api: str, args: list, expected: str) -> None:
    assert regularizers.render(regularizers.lookup(api), args).code == f"tf.keras.regularizers.{expected}"


@pytest.mark.parametrize(
    ("api", "args", "expected"),
    [
        pytest.param("tf.train.GradientDescentOptimizer", pairs("0.1"), "SGD(learning_rate=0.1)", id="sgd"),
        pytest.param("tf.train.AdamOptimizer", pairs(),
                     "Adam(learning_rate=0.001, beta_1=0.9, beta_2=0.999, epsilon=1e-08)", id="adam epsilon 1e-8"),
        pytest.param("tf.train.AdamOptimizer", pairs("lr", beta1="0.5"),
                     "Adam(learning_rate=lr, beta_1=0.5, beta_2=0.999, epsilon=1e-08)", id="adam beta1 renamed"),
        pytest.param("tf.train.RMSPropOptimizer", pairs("0.01"),
                     "RMSprop(learning_rate=0.01, rho=0.9, momentum=0.0, epsilon=1e-10)", id="rmsprop epsilon 1e-10"),
        pytest.param("tf.train.AdagradOptimizer", pairs("0.1"),
                     "Adagrad(learning_rate=0.1, initial_accumulator_value=0.1, epsilon=0.0)", id="adagrad no epsilon"),
        pytest.param("tf.train.AdadeltaOptimizer", pairs(), "Adadelta(learning_rate=0.001, rho=0.95, epsilon=1e-08)",
                     id="adadelta epsilon 1e-8"),
        pytest.param("tf.train.MomentumOptimizer", pairs("0.1", "0.9", use_nesterov="True"),
                     "SGD(learning_rate=0.1, momentum=0.9, nesterov=True)", id="momentum nesterov"),
    ],
)
def test_optimizers(api: str, args: list, expected: str) -> None:
    rendered = optimizers.render(optimizers.lookup(api), args)
    assert rendered.code == f"tf.keras.optimizers.{expected}"
    assert not rendered.unmapped and not rendered.notes


def test_rmsprop_comes_with_the_slot_fix() -> None:
    rendered = optimizers.render(optimizers.lookup("tf.train.RMSPropOptimizer"), pairs("0.01"), optimizer="opt")
    assert rendered.after_build == "for _slot in opt._velocities:\n    _slot.assign(tf.ones_like(_slot))"


def test_momentum_with_a_schedule_is_noted_inexact() -> None:
    rendered = optimizers.render(optimizers.lookup("tf.train.MomentumOptimizer"), pairs("decayed_lr", "0.9"))
    assert any("constant" in note for note in rendered.notes)


def test_missing_learning_rate_is_reported() -> None:
    rendered = optimizers.render(optimizers.lookup("tf.train.GradientDescentOptimizer"), pairs())
    assert [u.param for u in rendered.unmapped] == ["learning_rate"]


def test_optimizers_without_keras_equivalent_say_why() -> None:
    record = optimizers.lookup("tf.train.ProximalAdagradOptimizer")
    assert record.keras_class is None and "compat.v1" in record.reason
    with pytest.raises(ValueError, match="no Keras equivalent"):
        optimizers.render(record, pairs("0.1"))


@pytest.mark.parametrize(
    ("api", "args", "expected"),
    [
        pytest.param("tf.nn.rnn_cell.LSTMCell", pairs("128"),
                     'LSTM(units=128, unit_forget_bias=True, recurrent_activation="sigmoid", return_sequences=True, '
                     "return_state=True)", id="lstm forget bias 1 is unit_forget_bias"),
        pytest.param("tf.nn.rnn_cell.BasicLSTMCell", pairs("n", forget_bias="0.0"),
                     'LSTM(units=n, unit_forget_bias=False, recurrent_activation="sigmoid", return_sequences=True, '
                     "return_state=True)", id="basic lstm forget bias 0"),
        pytest.param("tf.contrib.rnn.BasicLSTMCell", pairs("n", forget_bias="0.5"),
                     "LSTM(units=n, unit_forget_bias=False, bias_initializer=tf.keras.initializers.Constant("
                     '[0.0] * n + [0.5] * n + [0.0] * (2 * n)), recurrent_activation="sigmoid", return_sequences=True, '
                     "return_state=True)", id="other forget bias starts where TF1 starts"),
        pytest.param("tf.nn.rnn_cell.GRUCell", pairs("64"),
                     "GRU(units=64, bias_initializer=tf.keras.initializers.Constant([1.0] * (2 * 64) + [0.0] * 64), "
                     'recurrent_activation="sigmoid", reset_after=False, return_sequences=True, return_state=True)',
                     id="gru gate biases start at 1"),
        pytest.param("tf.nn.rnn_cell.BasicRNNCell", pairs("32", activation="tf.nn.relu"),
                     "SimpleRNN(units=32, activation=tf.nn.relu, return_sequences=True, return_state=True)",
                     id="basic rnn"),
    ],
)
def test_rnn_cells(api: str, args: list, expected: str) -> None:
    rendered = rnn.keras_layer(rnn.lookup(api), args)
    assert rendered.code == f"tf.keras.layers.{expected}"
    assert not rendered.unmapped


def test_rnn_cell_features_keras_lacks_are_reported() -> None:
    rendered = rnn.keras_layer(rnn.lookup("tf.nn.rnn_cell.LSTMCell"), pairs("10", use_peepholes="True", num_proj="5"))
    assert [u.param for u in rendered.unmapped] == ["use_peepholes", "num_proj"]


def test_rnn_weights_name_their_relayout() -> None:
    weights = rnn.weights(rnn.lookup("tf.nn.rnn_cell.LSTMCell"), "0.5")
    assert [(w.tf1, w.keras, w.transform) for w in weights] == [
        ("kernel", "cell.kernel", "tf1_lstm.kernel"),
        ("kernel", "cell.recurrent_kernel", "tf1_lstm.recurrent_kernel"),
        ("bias", "cell.bias", "tf1_lstm.bias(forget_bias=0.5)"),
    ]
