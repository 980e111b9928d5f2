"""Manifest units of module-level layer conversions: TF1 variable → Keras attribute, shape, trainability."""
from __future__ import annotations

import pytest

import tf1to2
from tf1to2.manifest import Manifest, Unit

HEADER = "import tensorflow as tf\nimport tensorflow.contrib.slim as slim\n"


def units(body: str) -> list[Unit]:
    result = tf1to2.convert_source(HEADER + body, "model.py")
    manifest = Manifest.from_json(result.manifest("model_tf2.py").to_json())  # the JSON round trip included
    return [unit for unit in manifest.units if unit.kind == "layer"]


def weights(body: str) -> dict[str, tuple]:
    return {w.tf1_name: (w.attribute, w.shape, w.trainable) for u in units(body) for w in u.weights}


@pytest.mark.parametrize(
    ("body", "expected"),
    [
        pytest.param(
            "x = tf.placeholder(tf.float32, [None, 20])\nh = tf.layers.dense(x, 8)\ny = tf.layers.dense(h, 3)\n",
            {"dense/kernel": ("kernel", (20, 8), True), "dense/bias": ("bias", (8,), True),
             "dense_1/kernel": ("kernel", (8, 3), True), "dense_1/bias": ("bias", (3,), True)},
            id="default names with shapes followed along the chain",
        ),
        pytest.param(
            "x = tf.placeholder(tf.float32, [None, 9, 9, 3])\n"
            "h = tf.layers.conv2d(x, 4, 3, strides=2)\nh = tf.layers.max_pooling2d(h, 2, 2)\n"
            "h = tf.layers.batch_normalization(h, training=True)\n",
            {"conv2d/kernel": ("kernel", (3, 3, 3, 4), True), "conv2d/bias": ("bias", (4,), True),
             "batch_normalization/gamma": ("gamma", (4,), True), "batch_normalization/beta": ("beta", (4,), True),
             "batch_normalization/moving_mean": ("moving_mean", (4,), False),
             "batch_normalization/moving_variance": ("moving_variance", (4,), False)},
            id="moving statistics are not trainable",
        ),
        pytest.param(
            "x = tf.placeholder(tf.float32, [None, 20])\n"
            "h = tf.contrib.layers.fully_connected(x, 8, normalizer_fn=tf.contrib.layers.batch_norm)\n",
            {"fully_connected/weights": ("kernel", (20, 8), True),
             "fully_connected/BatchNorm/beta": ("beta", (None,), True),
             "fully_connected/BatchNorm/moving_mean": ("moving_mean", (None,), False),
             "fully_connected/BatchNorm/moving_variance": ("moving_variance", (None,), False)},
            id="contrib names, no bias with a normalizer, the normalizer its own unit",
        ),
        pytest.param(
            "x = tf.placeholder(tf.float32, [None, 8, 8, 1])\n"
            "with slim.arg_scope([slim.conv2d], padding='VALID'):\n    h = slim.conv2d(x, 6, [3, 3], scope='conv1')\n",
            {"conv1/weights": ("kernel", (3, 3, 1, 6), True), "conv1/biases": ("bias", (6,), True)},
            id="slim names under an arg_scope",
        ),
        pytest.param(
            "h = tf.layers.dense(inputs_from_elsewhere, 8)\n",
            {"dense/kernel": ("kernel", (None, 8), True), "dense/bias": ("bias", (8,), True)},
            id="an input of unknown shape leaves that dimension unknown",
        ),
        pytest.param(
            "x = tf.placeholder(tf.float32, [None, 4])\nh = tf.layers.dense(x, 4, name='shared')\n"
            "g = tf.layers.dense(x, 4, name='shared', reuse=True)\nd = tf.layers.dropout(g)\n",
            {"shared/kernel": ("kernel", (4, 4), True), "shared/bias": ("bias", (4,), True)},
            id="a reusing call and a weightless layer add no unit",
        ),
    ],
)
def test_every_tf1_variable_has_one_weight(body: str, expected: dict) -> None:
    assert weights(body) == expected


def test_example_runs_the_tf1_call_alone_under_its_tf1_name() -> None:
    [_, second] = units("x = tf.placeholder(tf.float32, [None, 20])\nh = tf.layers.dense(x, 8)\n"
                        "y = tf.layers.dense(h, 3, activation=tf.nn.relu)\n")
    assert second.example is not None
    assert second.example.inputs[0].shape == (None, 8)
    assert second.example.original == 'tf.layers.dense(inputs, 3, activation=tf.nn.relu, name="dense_1")'
    assert second.example.construct == 'tf.keras.layers.Dense(units=3, activation=tf.nn.relu, name="dense_1")'
    assert second.example.call == "unit(inputs)"


def test_example_turns_training_off_on_both_sides() -> None:
    [unit] = units("is_training = tf.placeholder(tf.bool, [])\nx = tf.placeholder(tf.float32, [None, 5])\n"
                   "h = tf.contrib.layers.batch_norm(x, is_training=is_training)\n")
    assert unit.example.original == 'tf.contrib.layers.batch_norm(inputs, is_training=False, scope="BatchNorm")'
    assert unit.example.call == "unit(inputs, training=False)"


def test_contribs_default_activation_is_part_of_the_example() -> None:
    [unit] = units("x = tf.placeholder(tf.float32, [None, 5])\nh = tf.contrib.layers.fully_connected(x, 3)\n")
    assert 'activation="relu"' in unit.example.construct and unit.example.call == "unit(inputs)"
    assert unit.example.original.startswith("tf.contrib.layers.fully_connected(inputs, 3")


def test_example_writes_arg_scope_defaults_and_contribs_scope_name() -> None:
    [unit] = units("x = tf.placeholder(tf.float32, [None, 5])\nis_training = tf.placeholder(tf.bool, [])\n"
                   "with slim.arg_scope([slim.fully_connected], activation_fn=None):\n"
                   "    with slim.arg_scope([slim.batch_norm], is_training=is_training):\n"
                   "        h = slim.fully_connected(x, 3)\n        h = slim.batch_norm(h)\n")[1:]
    assert unit.example.original == 'slim.batch_norm(inputs, is_training=False, scope="BatchNorm")'
    assert unit.example.inputs[0].shape == (None, 3)


def test_slim_example_under_arg_scope() -> None:
    [unit] = units("x = tf.placeholder(tf.float32, [None, 5])\n"
                   "with slim.arg_scope([slim.fully_connected], activation_fn=None):\n"
                   "    h = slim.fully_connected(x, 3)\n")
    assert unit.example.original == 'slim.fully_connected(inputs, 3, activation_fn=None, scope="fully_connected")'


@pytest.mark.parametrize(
    "body",
    [
        pytest.param("with tf.variable_scope('block'):\n    h = tf.layers.dense(x, 3)\n", id="inside a variable scope"),
        pytest.param("h = tf.layers.dense(tf.nn.relu(x), 3)\n", id="an input that is no name"),
        pytest.param("x = tf.reshape(x, [-1, 5])\nh = tf.layers.dense(x, 3)\n", id="an input reassigned by other code"),
        pytest.param("h = tf.contrib.layers.fully_connected(x, 3, normalizer_fn=tf.contrib.layers.batch_norm)\n",
                     id="with a normalizer"),
    ],
)
def test_no_example_where_the_call_alone_would_not_be_the_modules_call(body: str) -> None:
    found = units("x = tf.placeholder(tf.float32, [None, 5])\n" + body)
    assert found and all(unit.example is None for unit in found)
