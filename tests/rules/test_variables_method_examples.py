"""The manifest example of a layer made from a scope a graph-building method builds (TF431): the module's
instances of the class, each fed through the placeholder it made."""
from __future__ import annotations

import pytest

from variables_rule_testing import convert

POLICY = '''\
import collections

import tensorflow as tf

Box = collections.namedtuple("Box", ["shape"])


class Policy(object):
    def __init__(self, ob_space, nbatch, n_actions, reuse=False):
        ob_shape = (nbatch,) + ob_space.shape
        X = tf.placeholder(tf.float32, ob_shape, name="Ob")
        with tf.variable_scope("model", reuse=reuse):
            w = tf.get_variable("w", [ob_space.shape[0], n_actions])
            pi = tf.matmul(X, w)
            vf = tf.reduce_sum(pi, axis=1)
        self.X = X
        self.pi = pi
        self.vf = vf


nenvs, nsteps = 4, 5
ob_space = Box(shape=(6,))
step_model = Policy(ob_space, nenvs, 3, reuse=False)
train_model = Policy(ob_space, nenvs * nsteps, 3, reuse=True)
'''


def _example(source):
    [unit] = convert(source).units
    return unit.example


def test_both_policies_are_the_example():
    example = _example(POLICY)
    assert example.original == "(step_model.pi, train_model.pi)"
    assert example.call == "(unit(Ob), unit(Ob_1))"
    assert [(i.name, i.shape, i.dtype) for i in example.inputs] == [("Ob", (4, 6), "float32"), ("Ob_1", (20, 6), "float32")]
    assert example.construct == "Model(ob_space, 3)"
    assert example.uses_module_placeholders


def test_one_policy_is_fetched_alone():
    example = _example(POLICY.replace("train_model = Policy(ob_space, nenvs * nsteps, 3, reuse=True)\n", ""))
    assert (example.original, example.call) == ("step_model.pi", "unit(Ob)")


@pytest.mark.parametrize(
    "old, new",
    [
        pytest.param(', name="Ob")', ")", id="a placeholder without a name: its graph name is not known"),
        pytest.param("nenvs, nsteps = 4, 5", "nenvs, nsteps = read_config()", id="a batch size computed at run time"),
        pytest.param("        self.pi = pi\n", "", id="an output not stored on self"),
        pytest.param('Box(shape=(6,))', 'Box(shape=(6,))\nlabel = "Ob"', id="the placeholder's name used elsewhere"),
    ],
)
def test_no_example_when_the_inputs_cannot_be_named_or_shaped(old, new):
    assert POLICY.count(old) == 1
    assert _example(POLICY.replace(old, new)) is None


def test_weight_shapes_come_from_the_first_instance():
    [unit] = convert(POLICY).units
    assert [w.shape for w in unit.weights] == [(6, 3)]
