"""TF1 layer calls inside variable-creating functions → Keras sublayers (TF430, TF443)."""
from __future__ import annotations

import textwrap

import pytest

from variables_rule_testing import class_source, convert

ENCODER = '''\
import tensorflow as tf

x = tf.placeholder(tf.float32, [None, 16])


def encoder(x, is_training, reuse=False):
    with tf.variable_scope("encoder", reuse=reuse):
        h = tf.layers.dense(x, 64, activation=tf.nn.relu)
        h = tf.layers.batch_normalization(h, training=is_training)
        h = tf.layers.dropout(h, rate=0.1, training=is_training)
        return tf.layers.dense(h, 8, name="code")


train_code = encoder(x, True)
eval_code = encoder(x, False, reuse=True)
'''


def test_encoder_becomes_a_layer_with_keras_sublayers_and_a_training_parameter():
    result = convert(ENCODER)
    assert class_source(result.text, "Encoder") == textwrap.dedent('''\
        class Encoder(tf.keras.layers.Layer):
            """Keras layer converted from the TF1 function ``encoder``."""

            def __init__(self, name="encoder", **kwargs):
                super().__init__(name=name, **kwargs)
                self.dense = tf.keras.layers.Dense(units=64, activation=tf.nn.relu, name="dense")
                self.batch_normalization = tf.keras.layers.BatchNormalization(name="batch_normalization")
                self.dropout = tf.keras.layers.Dropout(rate=0.1, name="dropout")
                self.code = tf.keras.layers.Dense(units=8, name="code")

            def call(self, x, training=None):
                h = self.dense(x)
                h = self.batch_normalization(h, training=training)
                h = self.dropout(h, training=training)
                return self.code(h)''')
    assert "encoder = Encoder()\ntrain_code = encoder(x, training=True)\neval_code = encoder(x, training=False)\n" in result.text


def test_manifest_maps_each_tf1_variable_to_its_sublayer_attribute():
    result = convert(ENCODER)
    (unit,) = result.units
    assert [(w.tf1_name, w.attribute, w.trainable) for w in unit.weights] == [
        ("encoder/dense/kernel", "dense.kernel", True),
        ("encoder/dense/bias", "dense.bias", True),
        ("encoder/batch_normalization/gamma", "batch_normalization.gamma", True),
        ("encoder/batch_normalization/beta", "batch_normalization.beta", True),
        ("encoder/batch_normalization/moving_mean", "batch_normalization.moving_mean", False),
        ("encoder/batch_normalization/moving_variance", "batch_normalization.moving_variance", False),
        ("encoder/code/kernel", "code.kernel", True),
        ("encoder/code/bias", "code.bias", True),
    ]
    assert unit.call_params == ("x", "training")
    assert unit.example.call == "(unit(x, training=True), unit(x, training=False))"


@pytest.mark.parametrize(
    "body, expected",
    [
        pytest.param(
            '''\
            def mlp(x):
                with tf.variable_scope("mlp"):
                    h = tf.layers.dense(x, 32)
                    h = tf.layers.dense(h, 32)
                    return tf.layers.dense(h, 4)
            ''',
            ['self.dense = tf.keras.layers.Dense(units=32, name="dense")',
             'self.dense_1 = tf.keras.layers.Dense(units=32, name="dense_1")',
             'self.dense_2 = tf.keras.layers.Dense(units=4, name="dense_2")'],
            id="unnamed layers take TF1's counted names",
        ),
        pytest.param(
            '''\
            def mlp(x, hidden):
                with tf.variable_scope("mlp"):
                    with tf.variable_scope("block"):
                        h = tf.layers.dense(x, hidden)
                    return tf.layers.dense(h, 4)
            ''',
            ['self.block_dense = tf.keras.layers.Dense(units=hidden, name="dense")',
             'self.dense = tf.keras.layers.Dense(units=4, name="dense")'],
            id="a nested scope keeps its own count and a configuration parameter goes to the constructor",
        ),
        pytest.param(
            '''\
            def tower(x, reuse=False):
                with tf.variable_scope("tower", reuse=reuse):
                    h = tf.layers.dense(x, 8, name="fc")
                    return tf.layers.dense(h, 8, name="fc", reuse=True)
            ''',
            ['self.fc = tf.keras.layers.Dense(units=8, name="fc")', "return self.fc(h)"],
            id="a layer name reused inside the function is one sublayer",
        ),
        pytest.param(
            '''\
            def head(x, scope):
                with tf.variable_scope(scope):
                    h = tf.contrib.layers.fully_connected(x, 32)
                    w = tf.get_variable("w", [32, 4], initializer=tf.zeros_initializer())
                    return tf.matmul(h, w)
            ''',
            ['self.fully_connected = tf.keras.layers.Dense(\n            units=32,\n            activation="relu",',
             'self.w = self.add_weight(name="w", shape=[32, 4], initializer=tf.keras.initializers.Zeros())',
             "return tf.matmul(h, self.w)"],
            id="contrib layers mixed with get_variable: contrib's ReLU default written",
        ),
        pytest.param(
            '''\
            def block(x, is_training=False):
                with tf.variable_scope("block"):
                    return tf.layers.batch_normalization(x, training=is_training)
            ''',
            ["def call(self, x, training=False):", "return self.batch_normalization(x, training=training)"],
            id="a training flag with a default keeps it as call's default",
        ),
        pytest.param(
            '''\
            def block(x, is_training):
                with tf.variable_scope("block"):
                    return tf.contrib.layers.batch_norm(x, is_training=is_training)
            ''',
            ["def call(self, x, training=None):", "return self.batch_norm(x, training=training)",
             'name="BatchNorm"'],
            id="contrib's is_training= becomes Keras' training=",
        ),
        pytest.param(
            '''\
            def classifier(images):
                net = tf.layers.conv2d(images, 16, 3)
                net = tf.layers.max_pooling2d(net, 2, 2)
                return tf.layers.dense(tf.layers.flatten(net), 10)
            ''',
            ['self.conv2d = tf.keras.layers.Conv2D(filters=16, kernel_size=3, name="conv2d")',
             "return self.dense(self.flatten(net))"],
            id="a function without a scope called once",
        ),
    ],
)
def test_layer_calls_become_sublayers(body, expected):
    header = textwrap.dedent(body).split(")", 1)[0]
    name, params = header[4:].split("(")
    arguments = {"hidden": "16", "scope": '"head"', "is_training": "True"}
    given = ", ".join(arguments.get(p.strip(), "") for p in params.split(",")[1:] if p.strip() in arguments)
    call = f"{name}(tf.zeros([2, 8, 8, 3]){', ' + given if given else ''})"
    source = "import tensorflow as tf\n\n\n" + textwrap.dedent(body) + f"\n\ny = {call}\n"
    result = convert(source)
    assert "TF430" in result.codes(), result.findings
    for text in expected:
        assert text in result.text


@pytest.mark.parametrize(
    "body, calls, reason",
    [
        pytest.param(
            '''\
            def mlp(x):
                with tf.variable_scope("mlp"):
                    for _ in range(2):
                        x = tf.layers.dense(x, 8)
                    return x
            ''',
            "y = mlp(x)\n",
            "runs inside a loop or branch",
            id="a layer call in a loop stays TF1",
        ),
        pytest.param(
            '''\
            def mlp(x):
                h = tf.layers.dense(x, 8)
                return tf.layers.dense(h, 2)
            ''',
            "a = mlp(x)\nb = mlp(x)\n",
            "called more than once",
            id="a function without a scope called twice stays TF1 (TF1 names its layers anew)",
        ),
        pytest.param(
            '''\
            def mlp(x):
                with tf.variable_scope("mlp"):
                    return tf.layers.batch_normalization(x, renorm=True)
            ''',
            "y = mlp(x)\n",
            "renorm",
            id="an argument Keras cannot take stays TF1",
        ),
        pytest.param(
            '''\
            def mlp(x):
                with tf.variable_scope("mlp", initializer=tf.zeros_initializer()):
                    return tf.layers.dense(x, 8)
            ''',
            "y = mlp(x)\n",
            "initializer= applies to its variables",
            id="a scope default initializer around a layer stays TF1",
        ),
        pytest.param(
            '''\
            def mlp(x):
                with tf.variable_scope("mlp"):
                    return tf.contrib.layers.fully_connected(x, 8, normalizer_fn=tf.contrib.layers.batch_norm)
            ''',
            "y = mlp(x)\n",
            "normalizer_fn",
            id="a contrib normalizer_fn stays TF1",
        ),
    ],
)
def test_layer_calls_that_cannot_be_followed_keep_the_function_tf1(body, calls, reason):
    source = "import tensorflow as tf\n\nx = tf.zeros([2, 4])\n\n\n" + textwrap.dedent(body) + "\n\n" + calls
    result = convert(source)
    if "TF430" in result.codes():
        pytest.fail(f"converted: {result.text}")
    assert any(reason in m for m in result.messages("TF443")), result.findings
    assert "class " not in result.text
