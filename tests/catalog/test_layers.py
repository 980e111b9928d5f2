"""keras_constructor: what one TF1 layer call renders to, what it reports, which weights it names."""
from __future__ import annotations

import ast

import gast
import pytest

from tf1to2.analysis.imports import ImportMap
from tf1to2.catalog import layers
from tf1to2.catalog.records import KerasLayer
from tf1to2.catalog.resolve import resolver

IMPORTS = """
import tensorflow as tf
import tensorflow.contrib.slim as slim
from tensorflow.contrib import layers as contrib_layers
"""
RESOLVE = resolver(ImportMap.from_tree(gast.ast_to_gast(ast.parse(IMPORTS))))


def render(api: str, *args: str, **kwargs: str) -> KerasLayer:
    """Render a call written as source snippets: positional ``args``, keyword ``kwargs``."""
    pairs = [(None, a) for a in args] + list(kwargs.items())
    return layers.keras_constructor(layers.lookup(api), pairs, resolve=RESOLVE)


@pytest.mark.parametrize(
    ("api", "args", "kwargs", "expected"),
    [
        pytest.param("tf.layers.dense", ("x", "64"), {"activation": "tf.nn.relu", "name": "'fc1'"},
                     "tf.keras.layers.Dense(units=64, activation=tf.nn.relu, name='fc1')",
                     id="tf.layers.dense keeps its arguments and name"),
        pytest.param("tf.layers.conv2d", ("x", "32", "3", "(2, 2)", "'SAME'"), {},
                     'tf.keras.layers.Conv2D(filters=32, kernel_size=3, strides=(2, 2), padding="same")',
                     id="positional arguments are placed by the TF1 signature"),
        pytest.param("tf.layers.Dense", ("10",), {"use_bias": "False"},
                     "tf.keras.layers.Dense(units=10, use_bias=False)", id="class form tf.layers.Dense"),
        pytest.param("tf.layers.max_pooling2d", ("x", "2", "2"), {},
                     "tf.keras.layers.MaxPooling2D(pool_size=2, strides=2)", id="tf.layers pooling"),
        pytest.param("tf.layers.dropout", ("x",), {}, "tf.keras.layers.Dropout(rate=0.5)",
                     id="tf.layers.dropout writes rate 0.5"),
        pytest.param("tf.contrib.layers.fully_connected", ("x", "10"), {},
                     'tf.keras.layers.Dense(units=10, activation="relu")',
                     id="contrib fully_connected writes its relu default"),
        pytest.param("tf.contrib.layers.fully_connected", ("x", "10"), {"activation_fn": "None", "scope": "'logits'"},
                     "tf.keras.layers.Dense(units=10, activation=None, name='logits')",
                     id="contrib activation_fn None and scope as name"),
        pytest.param("tf.contrib.layers.conv2d", ("x", "64", "[3, 3]"), {},
                     'tf.keras.layers.Conv2D(filters=64, kernel_size=[3, 3], padding="same", activation="relu")',
                     id="contrib conv2d writes SAME padding and relu"),
        pytest.param("tf.contrib.layers.conv2d", ("x", "64", "3"), {"stride": "2", "rate": "2", "data_format": "'NCHW'"},
                     'tf.keras.layers.Conv2D(filters=64, kernel_size=3, strides=2, padding="same", '
                     'data_format="channels_first", dilation_rate=2, activation="relu")',
                     id="contrib stride, rate and NCHW become Keras names"),
        pytest.param("tf.contrib.layers.conv2d", ("x", "64", "3"), {"biases_initializer": "None"},
                     'tf.keras.layers.Conv2D(filters=64, kernel_size=3, padding="same", activation="relu", use_bias=False)',
                     id="biases_initializer None drops the bias"),
        pytest.param("tf.contrib.layers.max_pool2d", ("x", "[2, 2]"), {},
                     'tf.keras.layers.MaxPooling2D(pool_size=[2, 2], strides=2, padding="valid")',
                     id="contrib max_pool2d writes stride 2"),
        pytest.param("tf.contrib.layers.avg_pool2d", ("x", "3"), {"stride": "1", "padding": "'SAME'"},
                     'tf.keras.layers.AveragePooling2D(pool_size=3, strides=1, padding="same")',
                     id="contrib avg_pool2d with its own stride"),
        pytest.param("tf.contrib.layers.batch_norm", ("x",), {},
                     "tf.keras.layers.BatchNormalization(momentum=0.999, scale=False, epsilon=0.001)",
                     id="contrib batch_norm writes decay, scale and epsilon"),
        pytest.param("tf.contrib.layers.batch_norm", ("x",), {"data_format": "'NCHW'", "decay": "0.9", "scale": "True"},
                     "tf.keras.layers.BatchNormalization(momentum=0.9, scale=True, epsilon=0.001, axis=1)",
                     id="contrib batch_norm NCHW normalizes axis 1"),
        pytest.param("tf.contrib.layers.batch_norm", ("x",),
                     {"param_initializers": "{'gamma': tf.random_normal_initializer(1.0, 0.02)}"},
                     "tf.keras.layers.BatchNormalization(momentum=0.999, scale=False, epsilon=0.001, "
                     "gamma_initializer=tf.keras.initializers.RandomNormal(mean=1.0, stddev=0.02))",
                     id="contrib batch_norm param_initializers become keywords"),
        pytest.param("tf.contrib.layers.layer_norm", ("x",), {"begin_norm_axis": "-1"},
                     "tf.keras.layers.LayerNormalization(axis=-1, epsilon=1e-12)",
                     id="contrib layer_norm writes eps 1e-12"),
        pytest.param("tf.contrib.layers.dropout", ("x", "0.8"), {}, "tf.keras.layers.Dropout(rate=0.2)",
                     id="contrib dropout keep_prob becomes rate"),
        pytest.param("tf.contrib.layers.dropout", ("x",), {"keep_prob": "keep"}, "tf.keras.layers.Dropout(rate=1 - keep)",
                     id="a keep_prob expression becomes 1 - keep_prob"),
        pytest.param("tf.contrib.layers.embed_sequence", ("ids",), {"vocab_size": "1000", "embed_dim": "64"},
                     "tf.keras.layers.Embedding(input_dim=1000, output_dim=64, "
                     "embeddings_initializer=tf.keras.initializers.GlorotUniform())",
                     id="embed_sequence writes get_variable's glorot default"),
        pytest.param("tf.contrib.slim.conv2d", ("x", "64", "3"), {"weights_regularizer": "slim.l2_regularizer(0.0005)"},
                     'tf.keras.layers.Conv2D(filters=64, kernel_size=3, padding="same", activation="relu", '
                     "kernel_regularizer=tf.keras.regularizers.L2(l2=0.00025))",
                     id="slim alias with an l2 regularizer halved"),
        pytest.param("tf.contrib.layers.fully_connected", ("x", "10"),
                     {"weights_initializer": "contrib_layers.xavier_initializer(uniform=False)"},
                     'tf.keras.layers.Dense(units=10, activation="relu", kernel_initializer=tf.keras.initializers.'
                     'VarianceScaling(scale=1.3 * 0.87962566103423978 ** 2, mode="fan_avg", distribution="truncated_normal"))',
                     id="contrib xavier normal initializer argument is converted"),
        pytest.param("tf.contrib.layers.linear", ("x", "10"), {}, "tf.keras.layers.Dense(units=10)",
                     id="slim linear has no activation"),
    ],
)
def test_renders_keras_constructor(api: str, args: tuple, kwargs: dict, expected: str) -> None:
    layer = render(api, *args, **kwargs)
    assert layer.code == expected
    assert not layer.unmapped


def test_normalizer_fn_drops_bias_then_normalizes_then_activates() -> None:
    layer = render("tf.contrib.slim.conv2d", "x", "64", "3", normalizer_fn="slim.batch_norm",
                   normalizer_params="{'is_training': training, 'decay': 0.9}")
    assert layer.code == ('tf.keras.layers.Conv2D(filters=64, kernel_size=3, padding="same", activation=None, '
                          "use_bias=False)")
    assert [w.tf1 for w in layer.weights] == ["weights"]
    assert layer.normalizer.code == (
        'tf.keras.layers.BatchNormalization(momentum=0.9, scale=False, epsilon=0.001, name="BatchNorm")')
    assert layer.normalizer.call_kwargs == (("training", "training"),)
    assert layer.activation == "tf.nn.relu"


def test_normalizer_params_held_in_a_variable_is_reported() -> None:
    layer = render("tf.contrib.layers.fully_connected", "x", "10", normalizer_fn="slim.batch_norm",
                   normalizer_params="bn_params")
    assert [u.param for u in layer.unmapped] == ["normalizer_params"]


@pytest.mark.parametrize(
    ("api", "args", "kwargs", "param"),
    [
        pytest.param("tf.layers.batch_normalization", ("x",), {"renorm": "True"}, "renorm", id="renorm"),
        pytest.param("tf.layers.dense", ("x",), {}, "units", id="a required argument missing"),
        pytest.param("tf.layers.dense", ("x", "3"), {"bogus": "1"}, "bogus", id="an unknown keyword"),
        pytest.param("tf.contrib.layers.batch_norm", ("x",), {"zero_debias_moving_mean": "True"},
                     "zero_debias_moving_mean", id="zero-debiased moving mean"),
        pytest.param("tf.contrib.layers.layer_norm", ("x",), {"begin_params_axis": "1"}, "begin_params_axis",
                     id="layer norm parameters over several axes"),
        pytest.param("tf.contrib.layers.conv2d", ("x", "None", "3"), {}, "num_outputs", id="depthwise-only conv2d"),
        pytest.param("tf.contrib.layers.fully_connected", ("x", "3"), {"normalizer_fn": "my_norm"}, "normalizer_fn",
                     id="a normalizer_fn the catalog does not know"),
    ],
)
def test_reports_what_it_cannot_carry_over(api: str, args: tuple, kwargs: dict, param: str) -> None:
    layer = render(api, *args, **kwargs)
    assert param in [u.param for u in layer.unmapped]
    assert not layer.exact


def test_unpacked_arguments_are_reported() -> None:
    record = layers.lookup("tf.layers.dense")
    layer = layers.keras_constructor(record, [(None, "x"), (None, "3"), (None, "rest", "*")])
    assert [(u.param, u.text) for u in layer.unmapped] == [("*", "rest")]


@pytest.mark.parametrize(
    ("api", "args", "kwargs", "training"),
    [
        pytest.param("tf.layers.batch_normalization", ("x",), {}, "False", id="tf.layers batch norm defaults to inference"),
        pytest.param("tf.layers.dropout", ("x", "0.3"), {"training": "is_training"}, "is_training",
                     id="tf.layers dropout training flag"),
        pytest.param("tf.contrib.layers.batch_norm", ("x",), {}, "True", id="contrib batch norm defaults to training"),
        pytest.param("tf.contrib.layers.dropout", ("x",), {"is_training": "mode"}, "mode", id="contrib is_training"),
    ],
)
def test_training_flag_goes_to_the_call(api: str, args: tuple, kwargs: dict, training: str) -> None:
    layer = render(api, *args, **kwargs)
    assert layer.call_kwargs == (("training", training),)
    assert layer.call_code("self.bn") == f"self.bn(x, training={training})"


def test_fused_batch_norm_variance_is_noted_unless_fused_is_off() -> None:
    assert layers.FUSED_NOTE in render("tf.layers.batch_normalization", "x").notes
    assert layers.FUSED_NOTE not in render("tf.layers.batch_normalization", "x", fused="False").notes


def test_layer_norm_over_all_non_batch_axes_is_noted() -> None:
    layer = render("tf.contrib.layers.layer_norm", "x")
    assert layer.code == "tf.keras.layers.LayerNormalization(axis=-1, epsilon=1e-12)"
    assert any("rank-2" in note for note in layer.notes)


@pytest.mark.parametrize(
    ("api", "kwargs", "weights"),
    [
        pytest.param("tf.layers.dense", {}, [("kernel", "kernel"), ("bias", "bias")], id="dense kernel and bias"),
        pytest.param("tf.layers.dense", {"use_bias": "False"}, [("kernel", "kernel")], id="dense without bias"),
        pytest.param("tf.contrib.layers.fully_connected", {}, [("weights", "kernel"), ("biases", "bias")],
                     id="contrib weights and biases"),
        pytest.param("tf.contrib.layers.batch_norm", {},
                     [("beta", "beta"), ("moving_mean", "moving_mean"), ("moving_variance", "moving_variance")],
                     id="contrib batch norm has no gamma by default"),
        pytest.param("tf.layers.batch_normalization", {"center": "False"},
                     [("gamma", "gamma"), ("moving_mean", "moving_mean"), ("moving_variance", "moving_variance")],
                     id="batch norm without beta"),
    ],
)
def test_names_the_tf1_variables_and_keras_attributes(api: str, kwargs: dict, weights: list) -> None:
    args = ("x", "3") if "dense" in api or "fully" in api else ("x",)
    layer = render(api, *args, **kwargs)
    assert [(w.tf1, w.keras) for w in layer.weights] == weights


@pytest.mark.parametrize(
    ("api", "default_name"),
    [
        pytest.param("tf.layers.dense", "dense", id="tf.layers.dense"),
        pytest.param("tf.layers.Conv2DTranspose", "conv2d_transpose", id="tf.layers.Conv2DTranspose"),
        pytest.param("tf.layers.batch_normalization", "batch_normalization", id="tf.layers.batch_normalization"),
        pytest.param("tf.contrib.layers.fully_connected", "fully_connected", id="contrib fully_connected"),
        pytest.param("tf.contrib.slim.conv2d", "Conv", id="slim conv2d"),
        pytest.param("tf.contrib.layers.batch_norm", "BatchNorm", id="contrib batch_norm"),
        pytest.param("tf.contrib.layers.conv2d_transpose", "Conv2d_transpose", id="contrib conv2d_transpose"),
    ],
)
def test_default_tf1_names(api: str, default_name: str) -> None:
    assert layers.lookup(api).default_name == default_name


def test_an_explicit_name_wins_over_the_default_name() -> None:
    record = layers.lookup("tf.layers.dense")
    assert layers.keras_constructor(record, [(None, "x"), (None, "3")], name='"dense_1"').code.endswith('name="dense_1")')
    named = layers.keras_constructor(record, [(None, "x"), (None, "3"), ("name", "'fc'")], name='"dense_1"')
    assert named.code.endswith("name='fc')")


def test_without_resolve_initializer_arguments_are_kept() -> None:
    record = layers.lookup("tf.contrib.layers.fully_connected")
    layer = layers.keras_constructor(record, [(None, "x"), (None, "3"), ("weights_initializer", "init")])
    assert "kernel_initializer=init" in layer.code


def test_unknown_apis_have_no_record() -> None:
    assert layers.lookup("tf.layers.unknown_layer") is None
    assert layers.lookup(None) is None
