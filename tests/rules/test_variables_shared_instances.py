"""Calls of a converted function in a graph-building method (TF430): a method reusing by a parameter or
AUTO_REUSE shares its layers between the class's instances, as TF1 shared the variables."""
from __future__ import annotations

import textwrap

import pytest

from variables_rule_testing import class_source, convert

POLICY = '''\
import tensorflow as tf


def fc(x, scope, nh, reuse=False):
    with tf.variable_scope(scope, reuse=reuse):
        w = tf.get_variable("w", [x.get_shape()[1], nh])
        return tf.matmul(x, w)


class Policy(object):
    def __init__(self, nbatch, n_actions, reuse=False):
        X = tf.placeholder(tf.float32, [nbatch, 4])
        h = tf.tanh(fc(X, "fc1", 16, reuse={reuse}))
        self.pi = fc(h, "pi", n_actions, reuse={reuse})


step_model = Policy(1, 3, reuse=False)
train_model = Policy(8, 3, reuse=True)
'''


def test_layers_reused_by_a_parameter_are_class_attributes_created_by_the_instance_that_does_not_reuse():
    policy = class_source(convert(POLICY.format(reuse="reuse")).text, "Policy")
    assert policy == textwrap.dedent('''\
        class Policy(object):
            fc1 = None  # the layer of TF1 scope `fc1`, shared by every instance (TF1 reused its variables)
            pi_1 = None  # the layer of TF1 scope `pi`, shared by every instance (TF1 reused its variables)

            def __init__(self, nbatch, n_actions, reuse=False):
                X = tf.placeholder(tf.float32, [nbatch, 4])
                if not reuse or Policy.fc1 is None:
                    Policy.fc1 = Fc(16, name="fc1")
                h = tf.tanh(Policy.fc1(X))
                if not reuse or Policy.pi_1 is None:
                    Policy.pi_1 = Fc(n_actions, name="pi")
                self.pi = Policy.pi_1(h)''')


def test_auto_reuse_creates_the_layer_when_it_is_missing():
    policy = class_source(convert(POLICY.format(reuse="tf.AUTO_REUSE")).text, "Policy")
    assert "if Policy.fc1 is None:\n            Policy.fc1 = Fc(16, name=\"fc1\")" in policy


@pytest.mark.parametrize(
    "reuse",
    [
        pytest.param("False", id="reuse=False: each instance has its own layers"),
        pytest.param("nbatch > 1", id="a computed reuse flag: each instance has its own layers"),
    ],
)
def test_other_reuse_arguments_keep_one_instance_per_call_of_the_method(reuse):
    policy = class_source(convert(POLICY.format(reuse=reuse)).text, "Policy")
    assert "= None  #" not in policy
    assert '    fc1 = Fc(16, name="fc1")' in policy

