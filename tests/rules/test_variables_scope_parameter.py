"""A converted function's scope parameter becomes the layer's name (TF430); where the body reads it besides
opening the scope, it keeps its value in the layer."""
from __future__ import annotations

import pytest

from variables_rule_testing import class_source, convert

TEMPLATE = '''\
import tensorflow as tf

TABLE = {{"fc": 0.1}}


def linear(x, size, {params}):
    with tf.variable_scope({scope_arg}):
        w = tf.get_variable("w", [x.get_shape()[1], size], initializer=tf.random_normal_initializer())
        b = tf.get_variable("b", [size], initializer={bias_init})
        return {result}


x = tf.placeholder(tf.float32, [None, 4])
y = linear(x, 3, "fc")
'''


def _linear(params="scope", scope_arg="scope", bias_init="tf.zeros_initializer()", result="tf.matmul(x, w) + b"):
    source = TEMPLATE.format(params=params, scope_arg=scope_arg, bias_init=bias_init, result=result)
    return class_source(convert(source).text, "Linear")


def test_a_scope_parameter_only_opening_the_scope_is_only_the_layer_name():
    layer = _linear()
    assert "scope" not in layer


@pytest.mark.parametrize(
    "where, expected",
    [
        pytest.param(
            {"bias_init": "tf.constant_initializer(TABLE[scope])"},
            ["scope = name\n", "initializer=tf.keras.initializers.Constant(value=TABLE[scope])"],
            id="an initializer created in __init__ reads the constructor's name",
        ),
        pytest.param(
            {"result": "tf.matmul(x, w) + b * TABLE[scope]"},
            ["self.scope = name\n", "return tf.matmul(x, self.w) + self.b * TABLE[self.scope]"],
            id="call reads the value kept as an attribute",
        ),
        pytest.param(
            {"bias_init": "tf.constant_initializer(TABLE[scope])", "result": "tf.matmul(x, w) + b + len(scope)"},
            ["self.scope = name\n", "scope = name\n", "+ len(self.scope)"],
            id="read in both places",
        ),
    ],
)
def test_a_scope_parameter_read_in_the_body_keeps_its_value(where, expected):
    layer = _linear(**where)
    for text in expected:
        assert text in layer
    assert "tf.variable_scope" not in layer


def test_a_scope_read_by_an_input_shaped_weight_is_an_attribute_in_build():
    source = TEMPLATE.format(params="scope", scope_arg="scope", bias_init="tf.zeros_initializer()",
                             result="tf.matmul(x, w) + b").replace(
        "initializer=tf.random_normal_initializer())", "initializer=tf.constant_initializer(TABLE[scope]))")
    layer = class_source(convert(source).text, "Linear")
    build = layer.split("def build", 1)[1].split("def call", 1)[0]
    assert "Constant(value=TABLE[self.scope])" in build
    assert "self.scope = name\n" in layer


def test_a_scope_parameter_named_name_is_read_as_an_attribute():
    layer = _linear(params="name", scope_arg="name", result="tf.matmul(x, w) + b * TABLE[name]")
    assert "self.name_ = name\n" in layer
    assert "TABLE[self.name_]" in layer


def test_a_scope_parameter_with_a_default_keeps_the_default():
    layer = _linear(params='scope="fc"', result="tf.matmul(x, w) + b * TABLE[scope]")
    assert 'def __init__(self, size, name="fc", **kwargs):' in layer
    assert "self.scope = name\n" in layer


def test_a_function_reading_its_variable_scope_object_stays_tf1_code():
    source = TEMPLATE.format(params="scope", scope_arg="scope", bias_init="tf.zeros_initializer()",
                             result="tf.matmul(x, w) + b").replace(
        "with tf.variable_scope(scope):", "with tf.variable_scope(scope) as vs:").replace(
        "        return ", "        print(vs.name)\n        return ")
    result = convert(source)
    assert "class Linear" not in result.text
    assert "reads the variable scope object `vs`" in result.messages("TF443")[0]


def test_a_scope_object_used_only_to_reuse_is_dropped_with_the_switch():
    source = TEMPLATE.format(params="scope, reuse=False", scope_arg="scope", bias_init="tf.zeros_initializer()",
                             result="tf.matmul(x, w) + b").replace(
        "with tf.variable_scope(scope):", "with tf.variable_scope(scope) as vs:\n        if reuse:\n            vs.reuse_variables()")
    layer = class_source(convert(source).text, "Linear")
    assert "vs." not in layer and "reuse_variables" not in layer
