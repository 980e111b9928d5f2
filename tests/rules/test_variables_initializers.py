"""TF1 initializers → Keras initializers with TF1 defaults written out (NUMERICS.md).

The table in ``initializers.py`` is checked against the installed TensorFlow: every TF1 name exists in
``tf.compat.v1``, every Keras class exists, every default the table writes out is the TF1 default, and
the converted initializer draws from the TF1 distribution.
"""
from __future__ import annotations

import inspect

import numpy as np
import pytest

from tf1to2.analysis import syntax
from tf1to2.analysis.module import ModuleContext
from tf1to2.rules.variables_to_layers import initializers


def _expr(text: str):
    module = ModuleContext.parse(f"import tensorflow as tf\nx = {text}\n")
    return syntax.build(module).body[1].value


@pytest.mark.parametrize(
    "tf1, keras",
    [
        pytest.param("tf.random_normal_initializer()", "tf.keras.initializers.RandomNormal(mean=0.0, stddev=1.0)", id="random normal: stddev 1.0, not Keras' 0.05"),
        pytest.param("tf.random_normal_initializer(0.5, 0.02)", "tf.keras.initializers.RandomNormal(mean=0.5, stddev=0.02)", id="random normal: positional mean and stddev"),
        pytest.param("tf.truncated_normal_initializer(stddev=0.1, dtype=tf.float32)", "tf.keras.initializers.TruncatedNormal(mean=0.0, stddev=0.1)", id="truncated normal: dtype goes to the weight"),
        pytest.param("tf.random_uniform_initializer()", "tf.keras.initializers.RandomUniform(minval=0.0, maxval=1.0)", id="random uniform: [0, 1), not [-0.05, 0.05)"),
        pytest.param("tf.constant_initializer(0.1)", "tf.keras.initializers.Constant(value=0.1)", id="constant"),
        pytest.param("tf.zeros_initializer()", "tf.keras.initializers.Zeros()", id="zeros"),
        pytest.param(
            "tf.variance_scaling_initializer(distribution='normal')",
            'tf.keras.initializers.VarianceScaling(scale=1.0, mode="fan_in", distribution="truncated_normal")',
            id="variance scaling: TF1's 'normal' meant truncated normal",
        ),
        pytest.param("tf.orthogonal_initializer(gain=2.0)", "tf.keras.initializers.Orthogonal(gain=2.0)", id="orthogonal"),
        pytest.param("tf.contrib.layers.xavier_initializer()", "tf.keras.initializers.GlorotUniform()", id="contrib xavier (uniform) is glorot uniform"),
        pytest.param("tf.keras.initializers.he_normal()", "tf.keras.initializers.he_normal()", id="a Keras initializer stays"),
        pytest.param("ortho_init(1.0)", "ortho_init(1.0)", id="a hand-written initializer stays (TF1 signature works with add_weight)"),
    ],
)
def test_initializer_conversion(tf1, keras):
    assert initializers.initializer(_expr(tf1), "tf").text == keras


def test_default_initializer_depends_on_dtype():
    assert initializers.initializer(None, "tf", dtype_is_float=True).text == "tf.keras.initializers.GlorotUniform()"
    assert initializers.initializer(None, "tf", dtype_is_float=False).text == "tf.keras.initializers.Zeros()"


def test_inexact_conversions_say_why():
    converted = initializers.initializer(_expr("tf.contrib.layers.xavier_initializer(uniform=False)"), "tf")
    assert "0.29 %" in converted.note


@pytest.mark.parametrize(
    "tf1, keras",
    [
        pytest.param("tf.contrib.layers.l2_regularizer(0.001)", "tf.keras.regularizers.L2(0.0005)", id="l2_regularizer(s) is L2(s / 2): l2_loss halves"),
        pytest.param("tf.contrib.layers.l2_regularizer(scale)", "tf.keras.regularizers.L2(scale / 2)", id="l2_regularizer with a computed scale"),
        pytest.param("tf.contrib.layers.l1_regularizer(0.01)", "tf.keras.regularizers.L1(0.01)", id="l1_regularizer is L1"),
        pytest.param("lambda w: 0.1 * tf.nn.l2_loss(w)", "lambda w: 0.1 * tf.nn.l2_loss(w)", id="a regularizer function stays"),
    ],
)
def test_regularizer_conversion(tf1, keras):
    assert initializers.regularizer(_expr(tf1), "tf").text == keras


@pytest.mark.parametrize(
    "value, shape, initializer",
    [
        pytest.param("tf.random_normal([784, 10])", "[784, 10]", "tf.keras.initializers.RandomNormal(mean=0.0, stddev=1.0)", id="random_normal"),
        pytest.param("tf.truncated_normal(shape, stddev=0.1)", "shape", "tf.keras.initializers.TruncatedNormal(mean=0.0, stddev=0.1)", id="truncated_normal"),
        pytest.param("tf.zeros([10])", "[10]", "tf.keras.initializers.Zeros()", id="zeros"),
        pytest.param("tf.constant(0.1, shape=[32])", "[32]", "tf.keras.initializers.Constant(0.1)", id="constant with a shape"),
        pytest.param("0.0", "()", "tf.keras.initializers.Constant(0.0)", id="a scalar"),
    ],
)
def test_initial_values(value, shape, initializer):
    converted = initializers.initial_value(_expr(value), "tf")
    assert (converted.shape, converted.initializer, converted.needs_value) == (shape, initializer, False)


def test_any_other_initial_value_is_computed_first():
    assert initializers.initial_value(_expr("np.load('w.npy')"), "tf").needs_value


# -- checked against the installed TensorFlow ----------------------------------------------------------

@pytest.fixture(scope="module")
def tf():
    return pytest.importorskip("tensorflow")


@pytest.mark.requires_tf
@pytest.mark.parametrize("name", sorted(initializers.INITIALIZERS))
def test_table_matches_the_installed_tensorflow(name, tf):
    class_name, params = initializers.INITIALIZERS[name]
    assert hasattr(tf.keras.initializers, class_name)
    tf1 = tf.compat.v1
    for part in name.split(".")[1:]:
        tf1 = getattr(tf1, part)
    signature = inspect.signature(tf1.__init__ if inspect.isclass(tf1) else tf1)
    for param, default in params:
        if default is None:
            continue
        actual = signature.parameters[param].default
        if param == "maxval" and actual is None:
            actual = 1.0  # TF1: maxval None means 1 for floating point
        expected = eval(default)
        assert expected == actual or float(expected) == float(actual), (name, param)


@pytest.mark.requires_tf
@pytest.mark.parametrize(
    "tf1",
    [
        "tf.random_normal_initializer()",
        "tf.truncated_normal_initializer(stddev=0.5)",
        "tf.random_uniform_initializer()",
        "tf.random_uniform_initializer(-0.1, 0.3)",
        "tf.variance_scaling_initializer(scale=2.0)",
        "tf.glorot_uniform_initializer()",
    ],
)
def test_converted_initializer_draws_like_tf1(tf1, tf):
    converted = initializers.initializer(_expr(tf1), "tf").text
    shape = (400, 300)
    original = np.asarray(eval(tf1, {"tf": tf.compat.v1})(shape))
    keras = np.asarray(eval(converted, {"tf": tf})(shape))
    assert abs(original.mean() - keras.mean()) < 0.02 * max(1.0, original.std())
    assert abs(original.std() - keras.std()) < 0.02 * original.std()
