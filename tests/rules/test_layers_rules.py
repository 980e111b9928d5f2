"""TF470-TF472: module-level tf.layers / contrib / Slim calls and class forms → Keras layers."""
from __future__ import annotations

from types import ModuleType

import pytest

from tf1to2.analysis.module import ModuleContext
from tf1to2.rewrite import edits as edit_ops
from tf1to2.rules import layers_classes, layers_module_level

TF_IMPORT = "import tensorflow as tf\n"
SLIM_IMPORT = "import tensorflow.contrib.slim as slim\n"


def run(rule: ModuleType, body: str) -> tuple[str, list]:
    """Apply one rule's edits as the engine does; return the text after ``import tensorflow as tf``.

    A body using ``slim`` gets ``import tensorflow.contrib.slim as slim`` first, so the expected text
    shows whether the import stays.
    """
    text = TF_IMPORT + (SLIM_IMPORT if "slim." in body and not body.startswith(SLIM_IMPORT) else "") + body
    findings = list(rule.check(ModuleContext.parse(text)))
    accepted, rejected = edit_ops.select_compatible(f.edits for f in findings)
    assert not rejected, "the rule's own edits overlap"
    return edit_ops.apply(text, accepted)[len(TF_IMPORT):], findings


@pytest.mark.parametrize(
    ("body", "expected"),
    [
        pytest.param(
            "h = tf.layers.dense(x, 10)\n",
            'dense = tf.keras.layers.Dense(units=10, name="dense")\nh = dense(x)\n',
            id="dense becomes a layer created once and called",
        ),
        pytest.param(
            "a = tf.layers.dense(x, 3)\nb = tf.layers.dense(x, 3)\nc = tf.layers.dense(x, 3, name='dense_2')\n"
            "d = tf.layers.dense(x, 3)\n",
            'dense = tf.keras.layers.Dense(units=3, name="dense")\na = dense(x)\n'
            'dense_1 = tf.keras.layers.Dense(units=3, name="dense_1")\nb = dense_1(x)\n'
            "dense_2 = tf.keras.layers.Dense(units=3, name='dense_2')\nc = dense_2(x)\n"
            'dense_3 = tf.keras.layers.Dense(units=3, name="dense_3")\nd = dense_3(x)\n',
            id="TF1 default names are reproduced",
        ),
        pytest.param(
            "h = tf.layers.dense(tf.layers.flatten(x), 10, activation=tf.nn.relu)\n",
            'flatten = tf.keras.layers.Flatten(name="flatten")\n'
            'dense = tf.keras.layers.Dense(units=10, activation=tf.nn.relu, name="dense")\nh = dense(flatten(x))\n',
            id="nested calls: the inner layer is created first",
        ),
        pytest.param(
            "h = tf.layers.dropout(x, 0.3, training=is_training)\nh = tf.layers.batch_normalization(h, fused=False)\n",
            'dropout = tf.keras.layers.Dropout(rate=0.3, name="dropout")\nh = dropout(x, training=is_training)\n'
            'batch_normalization = tf.keras.layers.BatchNormalization(name="batch_normalization")\n'
            "h = batch_normalization(h, training=False)\n",
            id="training flags go to the call, TF1's default False included",
        ),
        pytest.param(
            "with tf.variable_scope('block'):\n    h = tf.layers.dense(x, 4)\n"
            "with tf.variable_scope('block', reuse=True):\n    g = tf.layers.dense(y, 4)\n",
            "with tf.variable_scope('block'):\n    block_dense = tf.keras.layers.Dense(units=4, name=\"dense\")\n"
            "    h = block_dense(x)\nwith tf.variable_scope('block', reuse=True):\n    g = block_dense(y)\n",
            id="a reused scope calls the same instance",
        ),
        pytest.param(
            "net = slim.conv2d(images, 64, [3, 3], scope='conv1')\nnet = slim.max_pool2d(net, [2, 2])\n",
            "conv1 = tf.keras.layers.Conv2D(filters=64, kernel_size=[3, 3], padding=\"same\", activation=\"relu\", "
            "name='conv1')\nnet = conv1(images)\n"
            'max_pool2d = tf.keras.layers.MaxPooling2D(pool_size=[2, 2], strides=2, padding="valid")\n'
            "net = max_pool2d(net)\n",
            id="slim conv2d and max_pool2d with their contrib defaults",
        ),
        pytest.param(
            "h = slim.fully_connected(x, 8, normalizer_fn=slim.batch_norm)\n",
            "fully_connected = tf.keras.layers.Dense(units=8, activation=None, use_bias=False, "
            'name="fully_connected")\nfully_connected_batch_norm = tf.keras.layers.BatchNormalization('
            'momentum=0.999, scale=False, epsilon=0.001, name="BatchNorm")\n'
            "h = tf.nn.relu(fully_connected_batch_norm(fully_connected(x), training=True))\n",
            id="normalizer_fn: no bias, then the normalizer, then relu",
        ),
        pytest.param(
            "bn = {'decay': 0.9, 'is_training': training}\n"
            "with slim.arg_scope([slim.conv2d], padding='VALID', normalizer_fn=slim.batch_norm,\n"
            "                    normalizer_params=bn):\n"
            "    with slim.arg_scope([slim.conv2d, slim.max_pool2d], stride=1):\n"
            "        net = slim.conv2d(x, 8, 3, scope='conv1')\n"
            "        net = slim.conv2d(net, 8, 3, padding='SAME', normalizer_fn=None)\n",
            "bn = {'decay': 0.9, 'is_training': training}\n"
            "conv1 = tf.keras.layers.Conv2D(filters=8, kernel_size=3, strides=1, padding=\"valid\", "
            "activation=None, use_bias=False, name='conv1')\n"
            "conv1_batch_norm = tf.keras.layers.BatchNormalization(momentum=0.9, scale=False, epsilon=0.001, "
            "name=\"BatchNorm\")\n"
            "net = tf.nn.relu(conv1_batch_norm(conv1(x), training=training))\n"
            "conv = tf.keras.layers.Conv2D(filters=8, kernel_size=3, strides=1, padding=\"same\", "
            "activation=\"relu\", name=\"Conv\")\n"
            "net = conv(net)\n",
            id="slim.arg_scope defaults pushed into each call, the scopes and the import removed",
        ),
        pytest.param(
            "h = tf.layers.batch_normalization(x, training=True)\n"
            "update_ops = tf.get_collection(tf.GraphKeys.UPDATE_OPS)\n"
            "with tf.control_dependencies(update_ops):\n"
            "    train_op = optimizer.minimize(loss)\n",
            "batch_normalization = tf.keras.layers.BatchNormalization(name=\"batch_normalization\")\n"
            "h = batch_normalization(x, training=True)\n"
            "train_op = optimizer.minimize(loss)\n",
            id="the UPDATE_OPS dependency goes once no TF1 batch norm is left",
        ),
        pytest.param(
            "if __name__ == '__main__':\n    h = tf.layers.dense(x, 2)\n",
            "if __name__ == '__main__':\n    dense = tf.keras.layers.Dense(units=2, name=\"dense\")\n    h = dense(x)\n",
            id="a script's main block runs once",
        ),
    ],
)
def test_module_level_calls_convert(body: str, expected: str) -> None:
    converted, findings = run(layers_module_level, body)
    assert converted == expected
    assert {f.code for f in findings} <= {"TF470", "TF473", "TF474", "TF475"}


@pytest.mark.parametrize(
    ("body", "reason"),
    [
        pytest.param("for i in range(3):\n    x = tf.layers.dense(x, 4)\n", "loop", id="in a loop"),
        pytest.param("for i in range(3):\n    x = tf.layers.dense(x, 4)\ny = tf.layers.dense(x, 4)\n", "unknowable",
                     id="default name after a loop"),
        pytest.param("with tf.variable_scope(name):\n    h = tf.layers.dense(x, 4)\n", "computed",
                     id="under a computed scope name"),
        pytest.param("h = tf.layers.batch_normalization(x, renorm=True)\n", "renormalization", id="renorm"),
        pytest.param("a = tf.layers.dense(x, 4, name='fc')\nb = tf.layers.dense(x, 4, name='fc')\n", "already exists",
                     id="the same name twice without reuse"),
        pytest.param("h = tf.layers.dense(x, 4, name='a/b')\n", "'/'", id="a name with a slash"),
        pytest.param("with slim.arg_scope(vgg_arg_scope()):\n    h = slim.conv2d(x, 4, 3)\n", "arg_scope",
                     id="an arg_scope given as a saved scope"),
    ],
)
def test_calls_that_cannot_convert_are_reported_and_kept(body: str, reason: str) -> None:
    converted, findings = run(layers_module_level, body)
    refused = [f for f in findings if f.code == "TF472"]
    assert refused and reason in refused[-1].message
    assert any(kept in converted for kept in ("tf.layers.dense(", "tf.layers.batch_normalization(", "slim.conv2d("))


def test_kept_calls_keep_their_scope_and_collection() -> None:
    body = ("with slim.arg_scope([slim.conv2d], padding='VALID'):\n    net = build(x)\n"
            "h = tf.layers.batch_normalization(x, renorm=True)\n"
            "with tf.control_dependencies(tf.get_collection(tf.GraphKeys.UPDATE_OPS)):\n    op = opt.minimize(loss)\n")
    converted, findings = run(layers_module_level, body)
    assert converted == SLIM_IMPORT + body
    assert [f.code for f in findings] == ["TF472"]


@pytest.mark.parametrize(
    "body",
    [
        pytest.param("def model(x):\n    return tf.layers.dense(x, 10)\n", id="inside a function"),
        pytest.param("h = tf.keras.layers.Dense(10)(x)\n", id="already Keras"),
        pytest.param("with tf.variable_scope('v'):\n    w = tf.get_variable('w', [3])\n    h = tf.layers.dense(x, 3)\n",
                     id="a block the variable-graph converter owns"),
    ],
)
def test_module_level_rule_leaves_alone(body: str) -> None:
    converted, findings = run(layers_module_level, body)
    assert converted == body and not findings


@pytest.mark.parametrize(
    ("body", "expected"),
    [
        pytest.param("layer = tf.layers.Dense(10, tf.nn.relu)\nh = layer.apply(x)\n",
                     "layer = tf.keras.layers.Dense(units=10, activation=tf.nn.relu)\nh = layer(x)\n",
                     id="class form and apply"),
        pytest.param("class P:\n    def __init__(self):\n        self.out = tf.layers.Dense(2, name='logits')\n"
                     "    def __call__(self, x):\n        return self.out.apply(x)\n",
                     "class P:\n    def __init__(self):\n        self.out = tf.keras.layers.Dense(units=2, name='logits')\n"
                     "    def __call__(self, x):\n        return self.out(x)\n",
                     id="in a class, on self attributes"),
        pytest.param("pool = tf.layers.MaxPooling2D(2, 2, padding='SAME')\n",
                     'pool = tf.keras.layers.MaxPooling2D(pool_size=2, strides=2, padding="same")\n',
                     id="pooling class"),
    ],
)
def test_class_forms_convert(body: str, expected: str) -> None:
    converted, findings = run(layers_classes, body)
    assert converted == expected
    assert all(f.code == "TF471" for f in findings)


def test_apply_on_other_objects_is_left_alone() -> None:
    body = "df = frame.apply(fn)\n"
    converted, findings = run(layers_classes, body)
    assert converted == body and not findings


def test_converted_output_is_stable() -> None:
    once, _ = run(layers_module_level, "h = tf.layers.conv2d(x, 8, 3)\nh = tf.layers.dense(h, 2)\n")
    twice, findings = run(layers_module_level, once)
    assert twice == once and not findings


@pytest.mark.parametrize(
    ("body", "expected"),
    [
        pytest.param(
            "net = slim.repeat(x, 2, slim.conv2d, 8, [3, 3], scope='conv1')\n",
            'conv1_conv1_1 = tf.keras.layers.Conv2D(filters=8, kernel_size=[3, 3], padding="same", activation="relu", '
            'name="conv1_1")\nconv1_conv1_2 = tf.keras.layers.Conv2D(filters=8, kernel_size=[3, 3], padding="same", '
            'activation="relu", name="conv1_2")\nnet = conv1_conv1_2(conv1_conv1_1(x))\n',
            id="slim.repeat becomes layers named as slim names them, called in turn",
        ),
        pytest.param(
            "net = slim.stack(x, slim.fully_connected, [4, (2, None)])\n",
            'stack_fully_connected_1 = tf.keras.layers.Dense(units=4, activation="relu", name="fully_connected_1")\n'
            'stack_fully_connected_2 = tf.keras.layers.Dense(units=2, activation=None, name="fully_connected_2")\n'
            "net = stack_fully_connected_2(stack_fully_connected_1(x))\n",
            id="slim.stack without a scope: Stack/<function>_<n>, a tuple element gives several arguments",
        ),
    ],
)
def test_slim_repeat_and_stack_convert(body: str, expected: str) -> None:
    converted, findings = run(layers_module_level, body)
    assert converted == expected
    assert [f.code for f in findings if f.code.startswith("TF47")] == ["TF470", "TF475"]


def test_slim_repeat_names_its_variables_under_its_scope() -> None:
    _, findings = run(layers_module_level, "net = slim.repeat(x, 2, slim.conv2d, 8, [3, 3])\n")
    names = [w.tf1_name for f in findings for u in f.units for w in u.weights]
    assert names == ["Repeat/convolution2d_1/weights", "Repeat/convolution2d_1/biases",
                     "Repeat/convolution2d_2/weights", "Repeat/convolution2d_2/biases"]


def test_slim_stack_names_its_variables_under_its_scope() -> None:
    _, findings = run(layers_module_level, "net = slim.stack(x, slim.fully_connected, [4, 2], scope='fc')\n")
    names = [w.tf1_name for f in findings for u in f.units for w in u.weights]
    assert names == ["fc/fc_1/weights", "fc/fc_1/biases", "fc/fc_2/weights", "fc/fc_2/biases"]


@pytest.mark.parametrize(
    ("body", "reason"),
    [
        pytest.param("net = slim.repeat(x, n, slim.conv2d, 8, [3, 3])\n", "repetitions", id="a computed count"),
        pytest.param("net = slim.stack(x, slim.fully_connected, sizes)\n", "literal list", id="computed stack arguments"),
        pytest.param("net = slim.repeat(x, 2, my_layer, 8)\n", "not a layer function", id="an unknown layer"),
    ],
)
def test_slim_repeat_and_stack_that_cannot_convert(body: str, reason: str) -> None:
    converted, findings = run(layers_module_level, body)
    assert converted.endswith(body)
    assert [f.code for f in findings] == ["TF472"] and reason in findings[0].message
