"""Variable scopes in graph code → layers called where TF1 computed (TF431), reuse switches (TF432)."""
from __future__ import annotations

import textwrap

import pytest

from variables_rule_testing import class_source, convert

SEED_REUSE = '''\
import tensorflow as tf

with tf.variable_scope("my_layer") as scope:
    W = tf.get_variable("weights", shape=[10, 5], initializer=tf.random_normal_initializer())
    b = tf.get_variable("biases", shape=[5], initializer=tf.zeros_initializer())
    x1 = tf.placeholder(tf.float32, shape=[None, 10])
    y1 = tf.matmul(x1, W) + b

    scope.reuse_variables()
    x2 = tf.placeholder(tf.float32, shape=[None, 10])
    y2 = tf.matmul(x2, W) + b
'''


def test_reused_scope_becomes_one_layer_called_twice():
    result = convert(SEED_REUSE)
    assert result.text.split("\n\n\n")[-1] == textwrap.dedent('''\
        my_layer = MyLayer()
        x1 = tf.placeholder(tf.float32, shape=[None, 10])
        y1 = my_layer(x1)
        x2 = tf.placeholder(tf.float32, shape=[None, 10])
        y2 = my_layer(x2)
        ''')
    assert "def call(self, x1):\n        y1 = tf.matmul(x1, self.weights_) + self.biases\n        return y1" in result.text
    assert result.messages("TF431") == [
        "scope `my_layer` → Keras layer `MyLayer` (2 weights), instance `my_layer`, called 2 times"
    ]


def test_manifest_example_runs_both_uses():
    example = convert(SEED_REUSE).units[0].example
    assert (example.original, example.call, example.uses_module_placeholders) == ("(y1, y2)", "(unit(x1), unit(x2))", True)


def test_different_uses_keep_the_computations_and_read_weights_as_attributes():
    source = SEED_REUSE.replace("y2 = tf.matmul(x2, W) + b", "y2 = tf.matmul(x2, W) - b")
    result = convert(source)
    assert "W = my_layer.weights_\nb = my_layer.biases\n" in result.text
    assert "y2 = tf.matmul(x2, W) - b" in result.text
    assert "def call" not in class_source(result.text, "MyLayer")
    assert "statements using these weights differ" in result.messages("TF431")[0]


def test_unscoped_module_variables_become_a_layer():
    source = '''\
        import tensorflow as tf

        x = tf.placeholder(tf.float32, [None, 784])
        W = tf.Variable(tf.zeros([784, 10]))
        b = tf.Variable(tf.zeros([10]))
        y = tf.nn.softmax(tf.matmul(x, W) + b)
        '''
    result = convert(source)
    assert result.text.endswith("        return y\n\n\nmodel = Model()\ny = model(x)\n")
    text = "".join(class_source(result.text, "Model").split())
    assert 'self.w=self.add_weight(name="w",shape=[784,10],initializer=tf.keras.initializers.Zeros(),)' in text
    assert [w.tf1_name for w in result.units[0].weights] == ["Variable", "Variable_1"]


def test_weights_of_an_earlier_scope_come_through_its_layer():
    source = '''\
        import tensorflow as tf

        with tf.variable_scope("shared"):
            W = tf.get_variable("w", shape=[5, 2])
        with tf.variable_scope("head"):
            b = tf.get_variable("b", shape=[2])
            x = tf.placeholder(tf.float32, shape=[None, 5])
            y = tf.matmul(x, W) + b
        '''
    result = convert(source)
    assert "def __init__(self, shared, name=\"head\", **kwargs):" in class_source(result.text, "Head")
    assert "y = tf.matmul(x, self.shared.w) + self.b" in class_source(result.text, "Head")
    assert "head = Head(shared)" in result.text
    assert [w.attribute for w in result.units[1].weights] == ["shared.w", "b"]


def test_reuse_switches_disappear_once_every_variable_is_a_layer():
    source = '''\
        import tensorflow as tf

        def linear(x, size, scope):
            with tf.variable_scope(scope):
                return tf.matmul(x, tf.get_variable("w", [4, size]))

        x = tf.placeholder(tf.float32, [None, 4])
        y = linear(x, 3, "fc")
        with tf.variable_scope(tf.get_variable_scope(), reuse=True):
            y2 = linear(x, 3, "fc")
        tf.get_variable_scope().reuse_variables()
        y3 = linear(x, 3, "fc")
        '''
    result = convert(source)
    assert result.text.endswith('fc = Linear(3, name="fc")\ny = fc(x)\ny2 = fc(x)\ny3 = fc(x)\n')
    assert result.codes().count("TF432") == 3


METHOD = '''\
import tensorflow as tf


def fc(x, scope, nh):
    with tf.variable_scope(scope):
        w = tf.get_variable("w", [x.get_shape()[1].value, nh])
        return tf.matmul(x, w)


class Policy(object):
    def __init__(self, n_actions, reuse=False):
        X = tf.placeholder(tf.float32, [None, 4])
        with tf.variable_scope("model", reuse=reuse):
            h = tf.tanh(fc(X, "fc1", 16))
            pi = fc(h, "pi", n_actions)
        self.pi = pi
'''


def test_scope_reused_by_instances_of_a_class_is_a_layer_the_class_holds():
    result = convert(METHOD)
    policy = class_source(result.text, "Policy")
    assert "model = None  # the layer of TF1 scope `model`, shared by every instance" in policy
    assert "if not reuse or Policy.model is None:\n            Policy.model = Model(n_actions)\n        pi = Policy.model(X)" in policy
    assert "def __init__(self, n_actions, name=\"model\", **kwargs):" in class_source(result.text, "Model")


@pytest.mark.parametrize(
    "reuse, created",
    [
        pytest.param("tf.AUTO_REUSE", "if Policy.model is None:", id="AUTO_REUSE creates the layer when it is missing"),
        pytest.param("None", "model = Model(n_actions)", id="no reuse: each instance has its own layer"),
    ],
)
def test_reuse_mode_decides_who_creates_the_layer(reuse, created):
    result = convert(METHOD.replace("reuse=reuse", f"reuse={reuse}"))
    assert created in class_source(result.text, "Policy")


NOT_CONVERTED = [
    pytest.param(
        "import tensorflow as tf\nnames = ['a']\nwith tf.variable_scope(names[0]):\n    w = tf.get_variable('w', [2])\n",
        "not a string literal",
        id="a module scope named from data",
    ),
    pytest.param(
        "import tensorflow as tf\nwith tf.variable_scope('s', custom_getter=lambda g, *a, **k: g(*a, **k)):\n"
        "    w = tf.get_variable('w', [2])\n",
        "custom_getter",
        id="a module scope with a custom getter",
    ),
]


@pytest.mark.parametrize("source, reason", NOT_CONVERTED)
def test_module_scopes_that_cannot_be_followed_stay(source, reason):
    result = convert(source)
    assert result.text == source
    assert result.codes() == ["TF440"]
    assert reason in result.findings[0].message


def test_a_graph_building_class_is_not_made_a_layer():
    # MlpPolicy-style classes create placeholders: only their variable scopes become layers.
    result = convert(METHOD)
    assert "class Policy(object):" in result.text
    assert "TF436" not in result.codes()


def test_a_class_setting_an_attribute_keras_owns_stays():
    source = '''\
        import tensorflow as tf

        class Net(object):
            def __init__(self):
                self.w = tf.Variable(tf.zeros([2, 2]))
                self.weights = [self.w]
        '''
    result = convert(source)
    assert result.text == textwrap.dedent(source)
    assert "sets `self.weights`" in result.findings[0].message


GRAPH_FUNCTION = '''\
import tensorflow as tf


def model(x, t):
    with tf.variable_scope("m"):
        w = tf.get_variable("w", [3, 1])
        loss = tf.reduce_mean(tf.square(tf.matmul(x, w) - t))
        train_op = tf.train.AdamOptimizer(0.1).minimize(loss)
        return loss, train_op


x = tf.placeholder(tf.float32, [None, 3])
t = tf.placeholder(tf.float32, [None, 1])
loss, train_op = model(x, t)
'''


def test_a_block_in_a_graph_function_takes_the_function_parameters_it_reads_as_inputs():
    result = convert(GRAPH_FUNCTION)
    assert "    def call(self, x, t):\n        loss = tf.reduce_mean(tf.square(tf.matmul(x, self.w) - t))" in result.text
    assert "    loss = m(x, t)\n    train_op = tf.train.AdamOptimizer(0.1).minimize(loss)\n" in result.text
