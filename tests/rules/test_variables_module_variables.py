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
