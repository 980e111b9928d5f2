"""Manifest attribute paths → the converted unit's variables (plain Python objects, no TensorFlow)."""
from __future__ import annotations

import numpy as np
import pytest

from tf1to2.manifest import Weight
from tf1to2.verify import binding as bind


class FakeVariable:
    """Quacks like a variable: ``assign``, ``shape``, ``dtype``."""

    def __init__(self, shape):
        self.shape, self.dtype = shape, "float32"

    def assign(self, value):
        self.value = value


class Node:
    def __init__(self, **attributes):
        self.__dict__.update(attributes)


@pytest.mark.parametrize(
    ("path", "steps"),
    [
        pytest.param("w", [("attr", "w")], id="a plain attribute"),
        pytest.param("blocks[0].attn.w", [("attr", "blocks"), ("item", 0), ("attr", "attn"), ("attr", "w")],
                     id="a list index inside a path"),
        pytest.param("towers['left'].kernel", [("attr", "towers"), ("item", "left"), ("attr", "kernel")],
                     id="a dict key inside a path"),
    ],
)
def test_attribute_steps(path, steps):
    assert bind.attribute_steps(path) == steps


@pytest.mark.parametrize(
    "path",
    [
        pytest.param("blocks[i].w", id="a computed index"),
        pytest.param("make().w", id="a call"),
        pytest.param("w +", id="not an expression"),
    ],
)
def test_attribute_paths_beyond_names_and_literal_indices_are_refused(path):
    with pytest.raises(bind.CheckpointError):
        bind.attribute_steps(path)


def test_resolve_attribute_walks_lists_and_dicts():
    w = FakeVariable((3, 2))
    unit = Node(blocks=[Node(attn=Node(w=w))], towers={"left": Node(kernel=w)})
    assert bind.resolve_attribute(unit, "blocks[0].attn.w") is w
    assert bind.resolve_attribute(unit, "towers['left'].kernel") is w


def test_resolve_attribute_says_how_far_it_got():
    unit = Node(blocks=[Node(attn=Node())])
    with pytest.raises(bind.CheckpointError, match=r"unit\.blocks\[0\]\.attn\.w does not exist"):
        bind.resolve_attribute(unit, "blocks[0].attn.w")


def test_object_key_is_the_tf_checkpoint_path():
    assert bind.object_key("blocks[0].attn.w") == "blocks/0/attn/w"


def weight(name, attribute):
    return Weight(tf1_name=name, attribute=attribute, shape=(3, 2))


def test_bind_weights_pairs_names_and_reports_extra_missing_and_doubled():
    kernel, bias, extra = FakeVariable((3, 2)), FakeVariable((2,)), FakeVariable((3, 2))
    unit = Node(dense=Node(kernel=kernel, bias=bias, not_a_variable=3), weights=[kernel, bias, extra])
    binding = bind.bind_weights(unit, [
        weight("dense/kernel", "dense.kernel"),
        weight("dense/bias", "dense.bias"),
        weight("dense/tied", "dense.kernel"),
        weight("dense/gone", "dense.gone"),
        weight("dense/scale", "dense.not_a_variable"),
    ])
    assert [(w.tf1_name, v) for w, v in binding.bound] == [("dense/kernel", kernel), ("dense/bias", bias)]
    assert binding.unmapped == [extra]
    assert [name for name, _ in binding.problems] == ["dense/tied", "dense/gone", "dense/scale"]
    assert "same variable as 'dense/kernel'" in binding.problems[0][1]
    assert "holds 'int', not a variable" in binding.problems[2][1]


def test_needs_build_until_every_weight_resolves():
    unit = Node()
    weights = [weight("linear/w", "w")]
    assert bind.needs_build(unit, weights)
    unit.w = FakeVariable((3, 2))
    assert not bind.needs_build(unit, weights)


class FakeReader:
    def __init__(self, tensors):
        self.tensors = tensors

    def has_tensor(self, name):
        return name in self.tensors

    def get_tensor(self, name):
        return self.tensors[name]


def lstm_binding(bias_transform="tf1_lstm.bias(forget_bias=1.0)"):
    cell = Node(kernel=FakeVariable((3, 8)), recurrent_kernel=FakeVariable((2, 8)), bias=FakeVariable((8,)))
    weights = [
        Weight("rnn/lstm_cell/kernel", "cell.kernel", (3, 8), transform="tf1_lstm.kernel"),
        Weight("rnn/lstm_cell/kernel", "cell.recurrent_kernel", (2, 8), transform="tf1_lstm.recurrent_kernel"),
        Weight("rnn/lstm_cell/bias", "cell.bias", (8,), transform=bias_transform),
    ]
    return cell, bind.bind_weights(Node(cell=cell), weights)


def test_one_tf1_kernel_fills_kernel_and_recurrent_kernel_and_the_bias_takes_the_forget_bias():
    cell, binding = lstm_binding()
    kernel = np.arange(40, dtype=np.float32).reshape(5, 8)  # columns i i j j f f o o
    bias = np.zeros(8, dtype=np.float32)
    reader = FakeReader({"rnn/lstm_cell/kernel": kernel, "rnn/lstm_cell/bias": bias})
    assert bind.assign_from_reader(binding, reader) == []
    np.testing.assert_array_equal(cell.kernel.value, kernel[:3][:, [0, 1, 4, 5, 2, 3, 6, 7]])
    np.testing.assert_array_equal(cell.recurrent_kernel.value, kernel[3:][:, [0, 1, 4, 5, 2, 3, 6, 7]])
    np.testing.assert_array_equal(cell.bias.value, [0, 0, 1, 1, 0, 0, 0, 0])


def test_an_unknown_transform_is_refused_rather_than_copied():
    cell, binding = lstm_binding(bias_transform="lstm_split")
    reader = FakeReader({"rnn/lstm_cell/kernel": np.zeros((5, 8)), "rnn/lstm_cell/bias": np.zeros(8)})
    assert bind.assign_from_reader(binding, reader) == [("rnn/lstm_cell/bias", "unknown weight transform 'lstm_split'")]
    assert not hasattr(cell.bias, "value")


def test_a_gru_weight_whose_candidate_is_missing_names_it():
    unit = Node(kernel=FakeVariable((3, 6)))
    binding = bind.bind_weights(unit, [Weight("gru_cell/gates/kernel", "kernel", (3, 6), transform="tf1_gru.kernel")])
    reader = FakeReader({"gru_cell/gates/kernel": np.zeros((5, 4))})
    assert bind.assign_from_reader(binding, reader) == [("gru_cell/candidate/kernel", "not in the checkpoint")]


@pytest.mark.parametrize(
    ("message", "expected"),
    [
        pytest.param("'Dense' object has no attribute 'bias'", "AttributeError: 'Dense' object has no attribute 'bias'",
                     id="a plain message"),
        pytest.param("Exception encountered when calling Dense.call().\n\n\x1b[1m'Dense' object has no attribute "
                     "'bias'\x1b[0m\n\nArguments received by Dense.call():\n  • x=tf.Tensor(shape=(2, 3))",
                     "AttributeError: 'Dense' object has no attribute 'bias'", id="Keras' call-site preamble"),
        pytest.param("in user code:\n\n    File \"m.py\", line 3, in f\n\n    AttributeError: no bias",
                     "AttributeError: no bias", id="a tf.function trace"),
    ],
)
def test_error_messages_name_the_error_not_the_wrapping(message, expected):
    assert bind.error_message(AttributeError(message)) == expected


def test_graph_mode_switches_do_nothing_through_any_alias_while_a_converted_module_loads(tf, tmp_path):
    """``import tensorflow as tfv1`` after ``from tensorflow.compat.v1.train import ...``: ``tfv1.compat.v1``
    may be another module object than ``tf.compat.v1`` was; afterwards every alias has the real switch."""
    module = tmp_path / "converted.py"
    module.write_text("from tensorflow.compat.v1.train import AdamOptimizer\nimport tensorflow as tfv1\n"
                      "tfv1.compat.v1.disable_eager_execution()\nimport tensorflow.compat.v1 as v1\n"
                      "v1.disable_v2_behavior()\nx = tfv1.constant(1.0)\n", encoding="utf-8")
    loaded = bind.load_module(module)
    assert tf.executing_eagerly() and loaded.skipped == []
    import tensorflow.compat.v1 as v1

    assert tf.compat.v1.disable_eager_execution.__name__ == "disable_eager_execution"
    assert v1.disable_v2_behavior.__name__ == "disable_v2_behavior"
