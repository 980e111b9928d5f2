"""A bool placeholder used as the training mode (``is_training``) becomes a Python bool argument (TF458).

Keras layers take ``training`` as a Python bool: a symbolic one (a tensor of an ``input_signature``) is
rejected by Keras 3's BatchNormalization and Dropout. So a scalar bool placeholder that the graph passes as
``training=`` / ``is_training=`` or as a ``tf.cond`` predicate is a plain parameter of the generated
function, which then has no input signature and traces once per value.
"""
from __future__ import annotations

import textwrap
from unittest import mock

import pytest

from tf1to2 import ConvertResult, Status, convert_source
from tf1to2 import rules as registry

HEADER = "import numpy as np\nimport tensorflow as tf\n"
LAYERS = "dense = tf.keras.layers.Dense(3)\nnorm = tf.keras.layers.BatchNormalization()\n"


def sessions(source: str) -> ConvertResult:
    passes = [registry.Pass("sessions", tuple(registry.SESSIONS_PASS))]
    with mock.patch.object(registry, "passes", lambda: passes):
        result = convert_source(HEADER + source, "script.py")
    assert result.status is not Status.FAILED, result.reason
    return result


def program(graph: str) -> str:
    """Two Keras layers (as the structure pass writes them), then the graph and its session."""
    return LAYERS + textwrap.dedent(graph)


def converted(source: str) -> str:
    """The text after the generated helpers (``numpy_results``, ``unchanged_moving_statistics``)."""
    text = sessions(source).text
    for marker in ("    return call\n", "variable.assign(initializer(variable.shape, variable.dtype))\n"):
        if marker in text:
            text = text[text.index(marker) + len(marker):]
    return text.lstrip("\n")


def test_bool_placeholder_passed_as_training_becomes_a_python_bool():
    source = program("""\
    x = tf.placeholder(tf.float32, [None, 4])
    is_training = tf.placeholder(tf.bool, [])
    out = norm(dense(x), training=is_training)
    with tf.Session() as sess:
        for training in (True, False):
            print(sess.run(out, feed_dict={x: data, is_training: training}))
        print(sess.run(out, feed_dict={x: data, is_training: False}))
    """)
    assert converted(source) == LAYERS + textwrap.dedent('''\


        @numpy_results
        # is_training: a Python bool (Keras' training=), not a tensor: two traces, one per mode
        @tf.function(reduce_retracing=True)
        def compute_out(x, is_training):
            """Computes what sess.run(out) fetched."""
            x = tf.cast(x, tf.float32)
            with unchanged_moving_statistics(norm, training=is_training):
                out = norm(dense(x), training=is_training)
            return out


        for training in (True, False):
            print(compute_out(x=data, is_training=bool(training)))
        print(compute_out(x=data, is_training=False))
    ''')


def test_placeholder_with_default_false_is_the_default_mode():
    source = program("""\
    x = tf.placeholder(tf.float32, [None, 4])
    is_training = tf.placeholder_with_default(False, [], name="is_training")
    out = norm(dense(x), training=is_training)
    with tf.Session() as sess:
        sess.run(out, feed_dict={x: data, is_training: True})
        print(sess.run(out, feed_dict={x: data}))
    """)
    text = converted(source)
    assert "def compute_out(x, is_training=False):" in text
    assert "input_signature" not in text
    assert "tf.Session" not in text
    assert text.endswith("compute_out(x=data, is_training=True)\nprint(compute_out(x=data))\n")


def test_report_says_the_placeholder_is_a_python_bool():
    source = program("""\
    x = tf.placeholder(tf.float32, [None, 4])
    is_training = tf.placeholder(tf.bool, [])
    out = norm(dense(x), training=is_training)
    with tf.Session() as sess:
        print(sess.run(out, feed_dict={x: data, is_training: False}))
    """)
    messages = [d.message for d in sessions(source).diagnostics if d.code == "TF458"]
    assert messages[1] == ("placeholder is_training → argument of compute_out: a Python bool, the training mode of "
                           "the Keras layers (training=), not a tensor; each function traces once per value")


@pytest.mark.parametrize("use", [
    pytest.param("out = norm(dense(x), training=is_training)", id="training keyword of a layer call"),
    pytest.param("out = tf.compat.v1.layers.dropout(dense(x), training=is_training)",
                 id="training keyword of a function"),
    pytest.param("out = tf.cond(is_training, lambda: dense(x), lambda: tf.zeros([2, 3]))",
                 id="predicate of tf.cond"),
    pytest.param("out = tf.cond(pred=is_training, true_fn=lambda: dense(x), false_fn=lambda: 2.0 * x)",
                 id="predicate of tf.cond given by keyword"),
    pytest.param("out = slim_like(dense(x), is_training=is_training)", id="is_training keyword"),
])
def test_training_flag_uses(use):
    source = program(f"""\
    x = tf.placeholder(tf.float32, [None, 4])
    is_training = tf.placeholder(tf.bool)
    {use}
    with tf.Session() as sess:
        print(sess.run(out, feed_dict={{x: data, is_training: True}}))
    """)
    text = converted(source)
    assert "tf.TensorSpec([], tf.bool)" not in text and "tf.bool" not in text
    assert "@tf.function(reduce_retracing=True)" in text


@pytest.mark.parametrize("placeholder, use", [
    pytest.param("tf.placeholder(tf.bool, [None])", "out = tf.where(is_training, dense(x), 2.0 * dense(x))",
                 id="a bool vector is a mask, not a mode"),
    pytest.param("tf.placeholder(tf.bool, [])", "out = tf.where(is_training, dense(x), 2.0 * dense(x))",
                 id="a scalar bool used only as a tensor"),
    pytest.param("tf.placeholder(tf.float32, [])", "out = norm(dense(x), training=is_training > 0)",
                 id="a float placeholder compared in the training keyword"),
])
def test_other_placeholders_stay_tensors(placeholder, use):
    source = program(f"""\
    x = tf.placeholder(tf.float32, [None, 4])
    is_training = {placeholder}
    {use}
    with tf.Session() as sess:
        print(sess.run(out, feed_dict={{x: data, is_training: flag}}))
    """)
    text = converted(source)
    assert "input_signature=" in text
    assert "is_training=flag)" in text
    assert "reduce_retracing" not in text


def test_flag_through_the_structure_pass():
    """tf.layers calls with ``training=is_training`` become Keras layers called with it."""
    source = HEADER + textwrap.dedent("""\
    x = tf.placeholder(tf.float32, [None, 4])
    is_training = tf.placeholder_with_default(False, [])
    h = tf.layers.dense(x, 3)
    h = tf.layers.batch_normalization(h, training=is_training)
    h = tf.layers.dropout(h, rate=0.5, training=is_training)
    with tf.Session() as sess:
        sess.run(tf.global_variables_initializer())
        print(sess.run(h, feed_dict={x: data, is_training: True}))
    """)
    text = convert_source(source, "script.py").text
    assert "def compute_h(x, is_training=False):" in text
    assert "batch_normalization(h, training=is_training)" in text
    assert "dropout(h, training=is_training)" in text
    assert "print(compute_h(x=data, is_training=True))" in text
    assert "tf.bool" not in text


TRAINED = """\
x = tf.placeholder(tf.float32, [None, 4])
y = tf.placeholder(tf.float32, [None, 3])
is_training = tf.placeholder_with_default(False, [])
out = norm(dense(x), training=is_training)
loss = tf.reduce_mean(tf.square(out - y))
train_op = tf.train.GradientDescentOptimizer(0.1).minimize(loss)
with tf.Session() as sess:
    sess.run([train_op, loss], feed_dict={x: data, y: target, is_training: True})
    print(sess.run(loss, feed_dict={x: data, y: target, is_training: True}))
"""


def test_training_mode_run_without_the_train_op_keeps_the_moving_statistics():
    """TF1 ran batch normalization's updates only with UPDATE_OPS (the train op's); Keras at every call in
    training mode: a run without the train op puts the statistics back."""
    text = converted(program(TRAINED))
    step = text[text.index("def train_step"):text.index("def compute_loss")]
    compute = text[text.index("def compute_loss"):]
    assert "unchanged_moving_statistics" not in step
    assert "    with unchanged_moving_statistics(norm, training=is_training):\n        out = norm(" in compute
    assert sessions(program(TRAINED)).text.count("class unchanged_moving_statistics:") == 1


@pytest.mark.parametrize("feed, warned", [
    pytest.param("is_training: True", True, id="a training-mode run of a layer it cannot see into is warned"),
    pytest.param("is_training: mode", True, id="a run in a mode computed at run time is warned"),
    pytest.param("is_training: False", False, id="an inference-mode run is not"),
])
def test_training_mode_without_train_op_through_other_objects_is_reported(feed, warned):
    """A batch normalization inside another object (``model``) is not seen: the report says so."""
    source = program(f"""\
    x = tf.placeholder(tf.float32, [None, 4])
    is_training = tf.placeholder(tf.bool, [])
    out = model(x, training=is_training)
    with tf.Session() as sess:
        print(sess.run(out, feed_dict={{x: data, {feed}}}))
    """)
    messages = [d.message for d in sessions(source).diagnostics if d.code == "TF458"]
    assert any("runs no train op" in message for message in messages) is warned


def test_fetched_attribute_names_the_function():
    source = program("""\
    x = tf.placeholder(tf.float32, [None, 4])
    out = dense(x)
    with tf.Session() as sess:
        print(sess.run(norm.moving_mean))
        print(sess.run(out, feed_dict={x: data}))
    """)
    assert "def compute_norm_moving_mean():" in converted(source)


def test_cond_predicate_is_a_constant_of_the_flag():
    """tf.cond rejects a Python bool: its predicate becomes ``tf.constant(is_training)``."""
    source = program("""\
    x = tf.placeholder(tf.float32, [None, 4])
    is_training = tf.placeholder(tf.bool, [])
    if True:
        h = tf.cond(is_training, lambda: norm(dense(x), training=is_training), lambda: dense(x))
    out = tf.cond(pred=is_training, true_fn=lambda: 2.0 * h, false_fn=lambda: h)
    with tf.Session() as sess:
        print(sess.run(out, feed_dict={x: data, is_training: True}))
    """)
    text = converted(source)
    assert ("h = tf.cond(tf.constant(is_training), lambda: norm(dense(x), training=is_training), lambda: dense(x))"
            in text)
    assert "out = tf.cond(pred=tf.constant(is_training), true_fn=lambda: 2.0 * h, false_fn=lambda: h)" in text
