"""A graph-building class instantiated twice, the second reusing the first's variables, shares one set of
layers once converted.

TF1 baselines-style policies build their layers in ``__init__`` with ``reuse=reuse``: the sampling policy
creates the variables and the training policy reuses them. The original runs in TF1 graph mode (a
subprocess); the converted classes run eagerly. Both sides give every variable the same values (drawn
from its TF1 name), and both policies must compute what TF1 computed, from exactly TF1's variables.
"""
from __future__ import annotations

import json
import subprocess
import sys
import zlib

import numpy as np
import pytest

from tf1to2 import convert_source

pytestmark = pytest.mark.requires_tf

SOURCE = '''\
import tensorflow as tf


def fc(x, scope, nh, reuse=False):
    with tf.variable_scope(scope, reuse=reuse):
        w = tf.get_variable("w", [x.get_shape()[1], nh])
        b = tf.get_variable("b", [nh], initializer=tf.zeros_initializer())
        return tf.matmul(x, w) + b


class Policy(object):
    def __init__(self, X, n_actions, reuse=False):
        h = tf.tanh(fc(X, "fc1", 16, reuse=reuse))
        self.pi = fc(h, "pi", n_actions, reuse={reuse})
'''

TF1_SIDE = r'''
import json, sys, zlib
import numpy as np
import tensorflow
if tensorflow.__version__.startswith("1."):
    tf = tensorflow
else:
    import tensorflow.compat.v1 as tf
    tf.disable_v2_behavior()
    sys.modules["tensorflow"] = tf
source, inputs = json.loads(sys.stdin.read())
namespace = {"__name__": "__original__"}
exec(compile(source, "original.py", "exec"), namespace)
x1 = tf.placeholder(tf.float32, [None, 4])
x2 = tf.placeholder(tf.float32, [None, 4])
step_model = namespace["Policy"](x1, 3)
train_model = namespace["Policy"](x2, 3, reuse=True)
with tf.Session() as sess:
    sess.run(tf.global_variables_initializer())
    names = []
    for variable in tf.global_variables():
        name = variable.op.name
        names.append(name)
        rng = np.random.RandomState(zlib.crc32(name.encode()))
        variable.load(rng.standard_normal(variable.shape.as_list()).astype(np.float32), sess)
    step, train = sess.run([step_model.pi, train_model.pi], {x1: inputs[0], x2: inputs[1]})
print(json.dumps({"names": names, "step": step.tolist(), "train": train.tolist()}))
'''


def _tf1(source: str, inputs: list, python: str = sys.executable) -> dict:
    process = subprocess.run(
        [python, "-c", TF1_SIDE], input=json.dumps([source, inputs]), capture_output=True, text=True,
        timeout=600, env={"TF_CPP_MIN_LOG_LEVEL": "3", "PATH": "/usr/bin:/bin"},
    )
    assert process.returncode == 0, process.stderr[-3000:]
    return json.loads(process.stdout.strip().splitlines()[-1])


@pytest.mark.parametrize(
    "reuse",
    [
        pytest.param("reuse", id="reuse=reuse: the training policy calls the sampling policy's layers"),
        pytest.param("tf.AUTO_REUSE", id="AUTO_REUSE: whichever policy comes first creates the layers"),
    ],
)
def test_two_policies_share_one_set_of_layers(reuse):
    import tensorflow as tf

    source = SOURCE.format(reuse=reuse)
    rng = np.random.default_rng(0)
    inputs = [rng.standard_normal((2, 4)).astype(np.float32), rng.standard_normal((5, 4)).astype(np.float32)]
    expected = _tf1(source, [a.tolist() for a in inputs])

    result = convert_source(source, "input.py")
    assert result.status.value == "changed", result.reason
    namespace: dict = {"__name__": "__converted__"}
    exec(compile(result.text, "converted.py", "exec"), namespace)
    policy = namespace["Policy"]
    policy(tf.constant(inputs[0]), 3)
    policy(tf.constant(inputs[1]), 3, reuse=True)

    layers = [value for value in vars(policy).values() if isinstance(value, tf.keras.layers.Layer)]
    variables = {f"{layer.name}/{weight.name.split('/')[-1].split(':')[0]}": weight for layer in layers for weight in layer.weights}
    assert sorted(variables) == sorted(expected["names"])
    for name, variable in variables.items():
        values = np.random.RandomState(zlib.crc32(name.encode())).standard_normal(variable.shape).astype(np.float32)
        variable.assign(values)
    # Eager code computes when called: both policies again, now on TF1's values.
    step_model = policy(tf.constant(inputs[0]), 3, reuse=True)
    train_model = policy(tf.constant(inputs[1]), 3, reuse=True)
    np.testing.assert_allclose(np.asarray(step_model.pi), np.asarray(expected["step"]), atol=1e-5)
    np.testing.assert_allclose(np.asarray(train_model.pi), np.asarray(expected["train"]), atol=1e-5)


def test_the_originals_reuse_the_same_way_on_tf_1_15(reference_python):
    source = SOURCE.format(reuse="reuse")
    inputs = [np.ones((2, 4), np.float32).tolist(), np.full((5, 4), 0.5, np.float32).tolist()]
    reference, compat = _tf1(source, inputs, reference_python), _tf1(source, inputs)
    assert reference["names"] == compat["names"]
    for key in ("step", "train"):
        np.testing.assert_allclose(reference[key], compat[key], atol=1e-5)
