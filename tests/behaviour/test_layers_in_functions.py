"""Functions building networks from tf.layers / contrib calls compute, as Keras layers, what TF1 computed.

Each original runs as TF1 graph code on TensorFlow 1.15 (``TF1TO2_REFERENCE_PYTHON``: ``tf.layers`` needs
TF1's own Keras, which TF 2.x with Keras 3 no longer has); the converted layer is built from its manifest
example, given the TF1 weights through the manifest, and compared (variables, outputs, gradients, 1e-5).
Dropout is compared in inference mode (its masks are random); batch normalization in both modes.
"""
from __future__ import annotations

import os
import textwrap
import zlib

import numpy as np
import pytest

import layer_equivalence as harness
from tf1to2.engine import convert_source

pytestmark = pytest.mark.requires_tf

ENCODER = '''\
import tensorflow as tf

x = tf.placeholder(tf.float32, [None, 16], name="x")


def encoder(x, is_training, reuse=False):
    with tf.variable_scope("encoder", reuse=reuse):
        h = tf.layers.dense(x, 64, activation=tf.nn.relu)
        h = tf.layers.batch_normalization(h, training=is_training)
        h = tf.layers.dropout(h, rate=0.1, training=is_training)
        return tf.layers.dense(h, 8, name="code")


{calls}
'''

SOURCES = {
    # Inference mode, called twice with reuse: one instance, TF1's moving statistics.
    "encoder_inference": ENCODER.format(calls="code = encoder(x, False)\ncode_again = encoder(x, False, reuse=True)\n"),
    # Training-mode batch normalization (batch statistics), no dropout.
    "batch_norm_training": textwrap.dedent('''\
        import tensorflow as tf

        x = tf.placeholder(tf.float32, [None, 10], name="x")


        def block(x, is_training):
            with tf.variable_scope("block"):
                h = tf.layers.dense(x, 32)
                h = tf.layers.batch_normalization(h, training=is_training, momentum=0.9)
                h = tf.nn.relu(h)
                return tf.layers.dense(h, 4, name="out")


        y = block(x, True)
        '''),
    "conv_classifier": textwrap.dedent('''\
        import tensorflow as tf

        images = tf.placeholder(tf.float32, [None, 12, 12, 3], name="images")


        def classifier(images, num_classes=5):
            net = tf.layers.conv2d(images, 8, 3, padding="same", activation=tf.nn.relu)
            net = tf.layers.max_pooling2d(net, 2, 2)
            net = tf.layers.conv2d(net, 16, 3, activation=tf.nn.relu)
            net = tf.layers.flatten(net)
            net = tf.layers.dropout(net, rate=0.5)
            return tf.layers.dense(net, num_classes, name="logits")


        logits = classifier(images)
        '''),
    "contrib_batch_norm_training": textwrap.dedent('''\
        import tensorflow as tf

        x = tf.placeholder(tf.float32, [None, 10], name="x")


        def block(x, is_training, scope="block"):
            with tf.variable_scope(scope):
                h = tf.contrib.layers.fully_connected(x, 16, activation_fn=None)
                h = tf.contrib.layers.batch_norm(h, is_training=is_training, scale=True)
                return tf.nn.relu(h)


        y = block(x, True)
        '''),
    "contrib_with_get_variable": textwrap.dedent('''\
        import tensorflow as tf

        x = tf.placeholder(tf.float32, [None, 12], name="x")


        def head(x, size, scope):
            with tf.variable_scope(scope):
                h = tf.contrib.layers.fully_connected(x, 32)
                h = tf.contrib.layers.fully_connected(h, 16, activation_fn=tf.nn.tanh, scope="hidden")
                w = tf.get_variable("w", [16, size], initializer=tf.random_normal_initializer(stddev=0.1))
                return tf.matmul(h, w)


        out = head(x, 4, "head")
        '''),
}


def _case(name: str, source: str) -> harness.Case:
    result = convert_source(source, "input.py")
    assert result.status.value == "changed", result.reason
    units = [u for u in result.units if getattr(u, "example", None) is not None]
    rng = np.random.default_rng(zlib.crc32(name.encode()))
    inputs = []
    for unit in units:
        inputs.append({
            spec.name: rng.standard_normal([harness.BATCH if d is None else d for d in spec.shape]).astype(spec.dtype)
            for spec in unit.example.inputs
        })
    return harness.Case(name, source, result.text, units, inputs)


@pytest.fixture(scope="module")
def compared(tmp_path_factory):
    python = os.environ.get("TF1TO2_REFERENCE_PYTHON")
    if not python:
        pytest.skip("tf.layers originals run on TF 1.15 only (set TF1TO2_REFERENCE_PYTHON)")
    tf = pytest.importorskip("tensorflow")
    cases = {name: _case(name, source) for name, source in SOURCES.items()}
    workdir = tmp_path_factory.mktemp("tf1_layers_in_functions")
    harness.run_tf1(list(cases.values()), workdir, python=python)
    return tf, cases, harness.read_tf1(workdir)


@pytest.mark.parametrize(
    "name",
    [
        pytest.param("encoder_inference", id="encoder reused in inference mode matches TF1"),
        pytest.param("batch_norm_training", id="batch norm in training mode matches TF1"),
        pytest.param("conv_classifier", id="conv classifier without a scope matches TF1"),
        pytest.param("contrib_with_get_variable", id="contrib layers mixed with get_variable match TF1"),
        pytest.param("contrib_batch_norm_training", id="contrib batch_norm given is_training matches TF1 in training mode"),
    ],
)
def test_converted_function_matches_tf1(name, compared):
    tf, cases, tf1 = compared
    case = cases[name]
    assert len(case.units) == 1, [u.class_name for u in case.units]
    namespace, unexpected = harness.load_converted(case.converted)
    assert unexpected == []
    record, arrays = tf1[f"{name}#0"]
    check = harness.check_unit(tf, namespace, case.units[0], case.inputs[0], record, arrays)
    assert check.problems == []


def test_reused_encoder_is_one_instance(compared):
    tf, cases, tf1 = compared
    case = cases["encoder_inference"]
    namespace, _ = harness.load_converted(case.converted)
    record, arrays = tf1["encoder_inference#0"]
    check = harness.check_unit(tf, namespace, case.units[0], case.inputs[0], record, arrays)
    kernel = check.bound["encoder/code/kernel"]
    kernel.assign(np.asarray(kernel) + 1.0)
    outputs = harness.outputs_of(tf, namespace, case.units[0], check.instance, check.inputs)
    np.testing.assert_allclose(outputs[0], outputs[1])
    assert not np.allclose(outputs[0], arrays["output/output[0]"])


def test_training_flag_reaches_batch_norm(compared):
    """``training=True`` normalizes with the batch's statistics, ``training=False`` with the moving ones."""
    tf, cases, _ = compared
    case = cases["encoder_inference"]
    namespace, _ = harness.load_converted(case.converted)
    instance = eval(case.units[0].example.construct, dict(namespace))
    x = tf.constant(case.inputs[0]["x"] * 5.0 + 3.0)
    inference = np.asarray(instance(x, training=False))
    np.testing.assert_allclose(np.asarray(instance(x)), inference)  # TF1's tf.layers default: inference
    assert not np.asarray(instance.batch_normalization.moving_mean).any()
    training = np.asarray(instance(x, training=True))
    assert not np.allclose(training, inference)
    assert np.asarray(instance.batch_normalization.moving_mean).any()  # Keras updates them in a training call
