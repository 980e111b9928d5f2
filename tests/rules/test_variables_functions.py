"""Variable-creating functions → Keras Layer subclasses (TF430, TF432)."""
from __future__ import annotations

import textwrap

import pytest

from variables_rule_testing import class_source, convert

LINEAR = '''\
import tensorflow as tf


def linear(x, size, scope, reuse=False):
    with tf.variable_scope(scope, reuse=reuse):
        w = tf.get_variable("w", [x.get_shape()[1], size], initializer=tf.random_normal_initializer(stddev=0.02))
        b = tf.get_variable("b", [size], initializer=tf.zeros_initializer())
        return tf.matmul(x, w) + b
'''


def test_linear_becomes_a_layer_with_input_dependent_weight_in_build():
    result = convert(LINEAR + 'x = tf.placeholder(tf.float32, [None, 4])\ny = linear(x, 3, "fc")\n')
    assert class_source(result.text, "Linear") == textwrap.dedent('''\
        class Linear(tf.keras.layers.Layer):
            """Keras layer converted from the TF1 function ``linear``."""

            def __init__(self, size, name=None, **kwargs):
                super().__init__(name=name, **kwargs)
                self.size = size
                self.b = self.add_weight(name="b", shape=[size], initializer=tf.keras.initializers.Zeros())

            def build(self, input_shape):
                x_shape = tf.TensorShape(input_shape)
                self.w = self.add_weight(
                    name="w",
                    shape=[x_shape[1], self.size],
                    initializer=tf.keras.initializers.RandomNormal(mean=0.0, stddev=0.02),
                )

            def call(self, x):
                return tf.matmul(x, self.w) + self.b''')
    assert result.codes() == ["TF430"]


@pytest.mark.parametrize(
    "calls, expected",
    [
        pytest.param(
            'y = linear(x, 3, "fc")\n',
            'fc = Linear(3, name="fc")\ny = fc(x)\n',
            id="a module-level call becomes an instance created before it",
        ),
        pytest.param(
            'y = linear(x, 3, "fc")\nz = linear(x, 3, "fc", reuse=True)\n',
            'fc = Linear(3, name="fc")\ny = fc(x)\nz = fc(x)\n',
            id="reuse=True on the same scope calls the same instance",
        ),
        pytest.param(
            'y = linear(x, 3, "a")\nz = linear(y, 2, "b")\n',
            'a = Linear(3, name="a")\ny = a(x)\nb = Linear(2, name="b")\nz = b(y)\n',
            id="different scopes are different instances",
        ),
        pytest.param(
            'y = linear(x, size=3, scope="fc")\n',
            'fc = Linear(size=3, name="fc")\ny = fc(x)\n',
            id="keyword arguments keep their keywords, the scope becomes the name",
        ),
    ],
)
def test_module_level_calls(calls, expected):
    result = convert(LINEAR + "x = tf.placeholder(tf.float32, [None, 4])\n" + calls)
    assert result.text.split("x = tf.placeholder(tf.float32, [None, 4])\n")[1] == expected


def test_reuse_is_reported_once_per_shared_instance():
    result = convert(LINEAR + 'x = tf.placeholder(tf.float32, [None, 4])\ny = linear(x, 3, "fc")\nz = linear(x, 3, "fc", reuse=True)\n')
    assert result.messages("TF432") == [
        "`linear` called 2 times on scope `fc`: one instance `fc` is used each time (the TF1 variables were shared)"
    ]


def test_helper_chain_becomes_nested_layers_created_once():
    source = LINEAR + textwrap.dedent('''
        def mlp(x, hidden, scope):
            with tf.variable_scope(scope):
                h = tf.nn.relu(linear(x, hidden, "fc1"))
                return linear(h, 1, "fc2")
        ''')
    result = convert(source)
    assert class_source(result.text, "Mlp") == textwrap.dedent('''\
        class Mlp(tf.keras.layers.Layer):
            """Keras layer converted from the TF1 function ``mlp``."""

            def __init__(self, hidden, name=None, **kwargs):
                super().__init__(name=name, **kwargs)
                self.fc1 = Linear(hidden, name="fc1")
                self.fc2 = Linear(1, name="fc2")

            def call(self, x):
                h = tf.nn.relu(self.fc1(x))
                return self.fc2(h)''')


def test_scope_names_computed_in_a_loop_give_a_list_of_sublayers():
    source = LINEAR + textwrap.dedent('''
        def tower(x, n_layers, scope="tower"):
            with tf.variable_scope(scope):
                for i in range(n_layers):
                    x = tf.nn.relu(linear(x, 8, "layer_%d" % i))
                return x
        ''')
    result = convert(source)
    text = class_source(result.text, "Tower")
    assert 'self.layer = [\n            Linear(8, name="layer_%d" % i)\n            for i in range(n_layers)\n        ]' in text
    assert "x = tf.nn.relu(self.layer[i](x))" in text


def test_auto_reuse_inside_a_function_is_one_sublayer_called_twice():
    source = LINEAR + textwrap.dedent('''
        def siamese(a, b):
            with tf.variable_scope("siamese", reuse=tf.AUTO_REUSE):
                left = linear(a, 4, "tower")
                right = linear(b, 4, "tower")
            return left - right
        ''')
    text = class_source(convert(source).text, "Siamese")
    assert text.count("Linear(4") == 1
    assert "left = self.tower(a)" in text and "right = self.tower(b)" in text


def test_weights_known_from_configuration_are_created_in_init():
    source = '''\
        import tensorflow as tf

        def dense(x, n_in, n_out, scope="dense"):
            with tf.variable_scope(scope):
                w = tf.get_variable("w", [n_in, n_out])
                return tf.matmul(x, w)
        '''
    text = class_source(convert(source).text, "Dense")
    assert "def build" not in text
    assert textwrap.dedent('''\
        def __init__(self, n_in, n_out, name="dense", **kwargs):
                super().__init__(name=name, **kwargs)
                self.w = self.add_weight(
                    name="w",
                    shape=[n_in, n_out],
                    initializer=tf.keras.initializers.GlorotUniform(),
                )''') in text


def test_reuse_variables_statements_and_reuse_parameter_disappear():
    source = '''\
        import tensorflow as tf

        def discriminator(x, reuse=False):
            with tf.variable_scope("discriminator") as scope:
                if reuse:
                    scope.reuse_variables()
                w = tf.get_variable("w", [4, 1])
                return tf.matmul(x, w)
        '''
    text = class_source(convert(source).text, "Discriminator")
    assert "reuse" not in text
    assert 'def __init__(self, name="discriminator", **kwargs):' in text


NOT_CONVERTED = [
    pytest.param(
        "import tensorflow as tf\n\ndef f(x):\n    return tf.nn.relu(x)\n",
        id="a function creating no variables",
    ),
    pytest.param(
        "import tensorflow as tf\n\nclass Dense(tf.keras.layers.Layer):\n    def build(self, s):\n"
        "        self.w = self.add_weight(shape=(s[-1], 2))\n",
        id="TF2 Keras code",
    ),
    pytest.param("def get_variable(name):\n    return name\n\nget_variable('w')\n", id="no TensorFlow import"),
]


@pytest.mark.parametrize("source", NOT_CONVERTED)
def test_no_change(source):
    result = convert(source)
    assert result.text == source
    assert result.findings == ()


@pytest.mark.parametrize(
    "source, reason",
    [
        pytest.param(
            '''\
            import tensorflow as tf

            def f(x, getter):
                with tf.variable_scope("f", custom_getter=getter):
                    w = tf.get_variable("w", [2, 2])
                    return tf.matmul(x, w)
            ''',
            "custom_getter",
            id="custom_getter stays TF1 with the reason",
        ),
        pytest.param(
            '''\
            import tensorflow as tf

            def f(x, names):
                with tf.variable_scope(names[x.shape[0]]):
                    w = tf.get_variable("w", [2, 2])
                    return tf.matmul(x, w)
            ''',
            "computed at run time",
            id="a scope name computed from data stays TF1 with the reason",
        ),
        pytest.param(
            '''\
            import tensorflow as tf

            def f(x):
                w = tf.get_variable("w", [2, 2], partitioner=tf.fixed_size_partitioner(2))
                return tf.matmul(x, w)
            ''',
            "partitioner",
            id="a partitioned variable stays TF1 with the reason",
        ),
        pytest.param(
            '''\
            import tensorflow as tf

            def model(x):
                w = tf.get_variable("w", [2, 2])
                for _ in range(2):
                    x = tf.layers.dense(x, 2)
                return tf.matmul(x, w)
            ''',
            "tf.layers.dense",
            id="a function calling tf.layers in a loop stays TF1 (TF1 makes a layer per iteration)",
        ),
    ],
)
def test_constructs_that_cannot_be_followed_stay_tf1(source, reason):
    result = convert(source)
    assert result.text == textwrap.dedent(source)
    assert result.codes() == ["TF443"]
    assert reason in result.findings[0].message


def test_a_caller_of_an_unconverted_function_stays_tf1_too():
    source = '''\
        import tensorflow as tf

        def inner(x):
            with tf.variable_scope("inner", custom_getter=None or print):
                return x * tf.get_variable("w", [2])

        def outer(x):
            with tf.variable_scope("outer"):
                return inner(x)
        '''
    result = convert(source)
    assert result.text == textwrap.dedent(source)
    assert sorted(result.codes()) == ["TF443", "TF443"]
    assert any("`outer` calls `inner`, which stays TF1 code" in m for m in result.messages("TF443"))


def test_a_default_regularizer_from_the_callers_scope_keeps_both_functions_tf1():
    source = '''\
        import tensorflow as tf

        def dense(x, n):
            with tf.variable_scope("dense"):
                w = tf.get_variable("w", [4, n])
                return tf.matmul(x, w)

        def model(x):
            with tf.variable_scope("model", regularizer=lambda t: tf.nn.l2_loss(t)):
                return dense(x, 2)
        '''
    result = convert(source)
    assert result.text == textwrap.dedent(source)
    assert any("regularizer= applies to its variables" in m for m in result.messages("TF443"))


def test_a_default_initializer_the_callee_overrides_does_not_matter():
    source = '''\
        import tensorflow as tf

        def dense(x, n):
            with tf.variable_scope("dense"):
                w = tf.get_variable("w", [4, n], initializer=tf.zeros_initializer(),
                                    regularizer=lambda t: tf.nn.l2_loss(t))
                return tf.matmul(x, w)

        def model(x):
            with tf.variable_scope("model", initializer=tf.ones_initializer()):
                return dense(x, 2)
        '''
    assert convert(source).codes() == ["TF430", "TF430"]


def test_a_function_wrapped_by_make_template_stays_tf1_with_the_reason():
    source = '''\
        import tensorflow as tf

        def net(x):
            w = tf.get_variable("w", [4, 2])
            return tf.matmul(x, w)

        template = tf.make_template("net", net)
        '''
    result = convert(source)
    assert result.text == textwrap.dedent(source)
    assert result.codes() == ["TF440"]
    assert "tf.make_template" in result.findings[0].message


@pytest.mark.parametrize(
    "main, expected",
    [
        pytest.param(
            'if __name__ == "__main__":\n    n = 3\n    y = linear(x, n, "fc")\n',
            'if __name__ == "__main__":\n    n = 3\n    fc = Linear(n, name="fc")\n    y = fc(x)\n',
            id="an instance is created in the block that uses it",
        ),
        pytest.param(
            'if flag:\n    y = linear(x, 3, "fc")\nelse:\n    y = linear(x, 3, "fc", reuse=True)\n',
            'fc = Linear(3, name="fc")\nif flag:\n    y = fc(x)\nelse:\n    y = fc(x)\n',
            id="uses in two branches share an instance created above them",
        ),
    ],
)
def test_instances_are_created_where_every_use_sees_them(main, expected):
    result = convert(LINEAR + "x = tf.placeholder(tf.float32, [None, 4])\nflag = True\n" + main)
    assert result.text.endswith(expected)


def test_variable_factories_and_their_callers_stay_tf1():
    source = '''\
        import tensorflow as tf

        def weight_variable(shape):
            initial = tf.truncated_normal(shape, stddev=0.1)
            return tf.Variable(initial)

        def deepnn(x):
            with tf.name_scope("fc1"):
                W_fc1 = weight_variable([784, 10])
                return tf.matmul(x, W_fc1)
        '''
    result = convert(source)
    assert result.text == textwrap.dedent(source)
    assert [m.split(" ")[0] for m in result.messages("TF443")] == ["`weight_variable`", "`deepnn`"]


def test_tf_variable_names_include_name_scopes():
    source = '''\
        import tensorflow as tf

        def dense(x, n):
            with tf.name_scope("dense"):
                w = tf.Variable(tf.zeros([4, n]))
                b = tf.Variable(tf.zeros([n]), name="bias")
                return tf.matmul(x, w) + b
        '''
    assert [w.tf1_name for w in convert(source).units[0].weights] == ["dense/Variable", "dense/bias"]


def test_unnamed_scopes_numbered_per_call_are_separate_instances():
    source = '''\
        import tensorflow as tf

        def conv(x, n, scope=None):
            with tf.variable_scope(scope, default_name="conv"):
                return tf.nn.conv2d(x, tf.get_variable("w", [3, 3, 3, n]), [1, 1, 1, 1], "SAME")

        x = tf.placeholder(tf.float32, [None, 8, 8, 3])
        a = conv(x, 3)
        b = conv(a, 3)
        '''
    assert convert(source).text.endswith("conv = Conv(3)\na = conv(x)\nconv_1 = Conv(3)\nb = conv_1(a)\n")


def test_statements_inside_kept_loops_are_dropped_and_unwrapped_in_place():
    source = '''\
        import tensorflow as tf

        def rnn(xs, n, steps):
            h = tf.zeros([tf.shape(xs)[0], n])
            for t in range(steps):
                with tf.variable_scope("cell", reuse=(t > 0)):
                    w = tf.get_variable("w", [n, n])
                    # one matrix for every step
                    h = tf.tanh(tf.matmul(h, w) + xs[:, t, :])
            return h
        '''
    text = class_source(convert(source).text, "Rnn")
    assert text.endswith(
        "    def call(self, xs):\n"
        "        h = tf.zeros([tf.shape(xs)[0], self.n])\n"
        "        for t in range(self.steps):\n"
        "            # one matrix for every step\n"
        "            h = tf.tanh(tf.matmul(h, self.cell_w) + xs[:, t, :])\n"
        "        return h"
    )


def test_layers_named_from_a_list_are_a_dict_keyed_by_name():
    source = '''\
        import tensorflow as tf

        def block(x, scope):
            with tf.variable_scope(scope):
                return tf.matmul(x, tf.get_variable("w", [4, 4]))

        def tower(x, names):
            for name in names:
                x = block(x, name)
            return x
        '''
    text = class_source(convert(source).text, "Tower")
    assert "self.block = {\n            name: Block(name=name)\n            for name in names\n        }" in text
    assert "x = self.block[name](x)" in text


def test_decorated_functions_stay_tf1():
    source = '''\
        import functools
        import tensorflow as tf

        @functools.lru_cache()
        def shared_bias():
            return tf.get_variable("b", [4]) * 1.0
        '''
    result = convert(source)
    assert result.text == textwrap.dedent(source)
    assert "is decorated" in result.messages("TF443")[0]
