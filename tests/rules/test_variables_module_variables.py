"""Module-level ``tf.Variable``s (dicts of them, values from numpy) → a layer (TF431): where values are
computed, what the manifest records of them."""
from __future__ import annotations

import pytest

from variables_rule_testing import class_source, convert

DICTS = '''\
import numpy as np
import tensorflow as tf

rng = np.random.RandomState(0)
x = tf.placeholder(tf.float32, [None, 3])
weights = {
    'h1': tf.Variable(rng.randn(3, 4).astype(np.float32)),
    'out': tf.Variable(rng.randn(4, 2).astype(np.float32)),
}
b = tf.Variable(rng.randn(2).astype(np.float32))


def model(x):
    return tf.matmul(tf.matmul(x, weights['h1']), weights['out']) + b


y = model(x)
'''


def _init_lines(text: str, class_name: str) -> list[str]:
    init = class_source(text, class_name).split("def __init__", 1)[1].split("def call", 1)[0]
    return [line.strip() for line in init.splitlines() if line.strip()]


def test_initial_values_of_a_dict_are_computed_before_the_dict_in_source_order():
    lines = _init_lines(convert(DICTS).text, "Model")
    order = [
        "initial_weights_h1 = tf.convert_to_tensor(rng.randn(3, 4).astype(np.float32))",
        "initial_weights_out = tf.convert_to_tensor(rng.randn(4, 2).astype(np.float32))",
        "self.weights_ = {",
        "initial_b = tf.convert_to_tensor(rng.randn(2).astype(np.float32))",
        "self.b = self.add_weight(",
    ]
    assert [lines.index(line) for line in order] == sorted(lines.index(line) for line in order)


def test_every_initial_value_is_assigned_before_it_is_read():
    lines = _init_lines(convert(DICTS).text, "Model")
    for name in ("initial_weights_h1", "initial_weights_out", "initial_b"):
        assigned = lines.index(next(line for line in lines if line.startswith(f"{name} =")))
        first_read = min(i for i, line in enumerate(lines) if f"{name}." in line or f"({name})" in line)
        assert assigned < first_read, name


SHAPES = '''\
import numpy as np
import tensorflow as tf

n_in = 4
n_out = 3
rng = np.random.RandomState(0)


def start(*shape):
    return rng.randn(*shape).astype(np.float32)


x = tf.placeholder(tf.float32, [None, n_in])
w = tf.Variable({value})
y = x * w
'''


@pytest.mark.parametrize(
    "value, shape",
    [
        pytest.param("tf.random_normal([n_in, n_out])", (4, 3), id="tf.random_normal of module constants"),
        pytest.param("tf.truncated_normal([n_in, n_out], stddev=0.1)", (4, 3), id="tf.truncated_normal"),
        pytest.param("tf.random_normal([n_in, n_out]) * 0.1", (4, 3), id="a random value scaled"),
        pytest.param("tf.zeros([n_out]) + 0.1", (3,), id="tf.zeros shifted"),
        pytest.param("np.zeros(n_out, np.float32)", (3,), id="np.zeros of a length"),
        pytest.param("np.zeros((n_in, n_out))", (4, 3), id="np.zeros of a tuple"),
        pytest.param("rng.randn(n_in, n_out).astype(np.float32) * 0.5", (4, 3), id="a numpy generator's randn"),
        pytest.param("np.random.normal(0.0, 1.0, (n_in, n_out))", (4, 3), id="np.random.normal with a size"),
        pytest.param("0.0", (), id="a float is a scalar"),
        pytest.param("[[0.3]]", (1, 1), id="a nested list literal"),
        pytest.param("start(n_in, n_out)", None, id="a function of the module: unknown"),
        pytest.param("np.zeros(n_out) * start(n_in, n_out)", None, id="arithmetic with an unknown operand: unknown"),
        pytest.param("tf.random_normal([n_in, unknown])", (4, None), id="an unknown dimension is null alone"),
    ],
)
def test_manifest_records_the_shape_of_an_initial_value_or_null(value, shape):
    result = convert(SHAPES.format(value=value))
    assert "TF431" in result.codes()
    assert [w.shape for w in result.units[0].weights] == [shape]


def test_a_shape_is_never_guessed_from_a_module_name_that_shadows_numpy():
    source = SHAPES.format(value="np.zeros(n_out)").replace("import numpy as np", "import numpy\nimport mylib as np")
    assert [w.shape for w in convert(source).units[0].weights] == [None]


TRAINING = '''\
import tensorflow as tf

x = tf.placeholder(tf.float32, [None, 3])
t = tf.placeholder(tf.float32, [None, 1])
W = tf.Variable(tf.zeros([3, 1]))
b = tf.Variable(tf.zeros([1]))
y = tf.matmul(x, W) + b
loss = tf.reduce_mean(tf.square(y - t))
{training}
'''


@pytest.mark.parametrize(
    "training",
    [
        pytest.param(
            'global_step = tf.Variable(0, trainable=False, name="global_step")\n'
            "train_op = tf.train.GradientDescentOptimizer(0.1).minimize(loss, global_step=global_step)",
            id="a global step variable next to the train op",
        ),
        pytest.param(
            "optimizer = tf.train.AdamOptimizer(0.01)\ntrain_op = optimizer.minimize(loss, var_list=[W, b])",
            id="minimize with the variables as var_list",
        ),
        pytest.param("grads = tf.gradients(loss, [W, b])", id="tf.gradients of the variables"),
        pytest.param(
            "optimizer = tf.train.GradientDescentOptimizer(0.1)\n"
            "train_op = optimizer.apply_gradients(optimizer.compute_gradients(loss, [W, b]))",
            id="compute_gradients and apply_gradients",
        ),
    ],
)
def test_training_code_never_goes_into_a_layer(training):
    result = convert(TRAINING.format(training=training))
    for unit in result.units:
        layer = class_source(result.text, unit.class_name)
        for word in ("Optimizer", "minimize", "gradients"):
            assert word not in layer
    module_code = result.text.split("\n\n\n")[-1]
    for line in training.splitlines():
        if "tf.Variable" not in line:
            assert line.split(" = ", 1)[0] + " = " in module_code


def test_the_model_computation_is_still_called_when_training_code_reads_the_variables():
    result = convert(TRAINING.format(training="optimizer = tf.train.AdamOptimizer(0.01)\n"
                                             "train_op = optimizer.minimize(loss, var_list=[W, b])"))
    tail = result.text.split("\n\n\n")[-1]
    assert "W = model.w\nb = model.b\n" in tail
    assert "train_op = optimizer.minimize(loss, var_list=[W, b])" in tail
    assert "y = model(x)\n" in tail


def test_the_layer_is_built_where_tf1_created_the_last_variable():
    source = DICTS.replace("\n\ndef model(x):", "\ndata = rng.randn(5, 3)\n\n\ndef model(x):")
    module_code = convert(source).text.split("\n\n\n", 2)[-1]
    assert module_code.index("model = Model()") < module_code.index("data = rng.randn(5, 3)")
    assert "def model" not in module_code


def test_code_tf1_ran_between_the_variables_is_reported_when_it_now_runs_first():
    source = DICTS.replace("b = tf.Variable(", "noise = rng.randn(3)\nb = tf.Variable(")
    result = convert(source)
    [warning] = result.messages("TF433")
    assert "`noise = rng.randn(3)` (line 10), which TF1 ran between the variables, now runs before all of them" in warning


def test_adjacent_variables_are_not_reported():
    assert convert(DICTS).messages("TF433") == []


UNSCOPED = '''\
import numpy as np
import tensorflow as tf

rng = np.random.RandomState(0)
x = tf.placeholder(tf.float32, [None, 3])
W = tf.Variable(rng.randn(3, 4).astype(np.float32))
{between}
V = tf.Variable(rng.randn(4, n_out).astype(np.float32))
y = tf.matmul(tf.matmul(x, W), V)
'''


def test_module_variables_are_built_after_the_names_their_values_read():
    module_code = convert(UNSCOPED.format(between="n_out = 2")).text.split("\n\n\n")[-1]
    assert module_code == "n_out = 2\nmodel = Model()\ny = model(x)\n"


def test_module_variables_read_in_between_are_built_where_the_first_was():
    source = UNSCOPED.format(between="scale = tf.reduce_sum(W)\nnoise = rng.randn(2)").replace("n_out", "2")
    result = convert(source)
    module_code = result.text.split("\n\n\n")[-1]
    assert module_code.index("model = Model()") < module_code.index("scale = tf.reduce_sum(W)")
    assert "now runs after all of them" in result.messages("TF433")[0]


def test_module_variables_that_cannot_be_built_in_one_place_stay_tf1_code():
    source = UNSCOPED.format(between="n_out = 2\nscale = tf.reduce_sum(W)")
    result = convert(source)
    assert result.text == source
    assert "read `n_out`, bound between them" in result.messages("TF440")[0]
