"""Run by the reference interpreter: TF1 RNN cells under dynamic_rnn, their weights and outputs.

Reads JSON ``{"inputs": [[[...]]], "cases": [{"id", "cell"}]}`` (``cell`` is TF1 source using ``tf``);
every variable is set to random values (biases too, so their layout is tested) before running. Writes
one JSON line ``{id: {"variables": {name: value}, "outputs": [...], "state": [state tensors...]}}``.
Standard library + numpy + TensorFlow only.
"""
import json
import sys

import numpy as np
import tensorflow.compat.v1 as tf

tf.disable_v2_behavior()


def flatten_state(state):
    if isinstance(state, (tuple, list)):
        return [t for part in state for t in flatten_state(part)]
    return [state]


def main():
    request = json.loads(sys.stdin.read())
    inputs = np.asarray(request["inputs"], dtype=np.float32)
    rng = np.random.RandomState(request.get("seed", 0))
    out = {}
    for case in request["cases"]:
        with tf.Graph().as_default():
            x = tf.placeholder(tf.float32, inputs.shape)
            cell = eval(case["cell"], {"tf": tf})
            outputs, state = tf.nn.dynamic_rnn(cell, x, dtype=tf.float32)
            with tf.Session() as session:
                session.run(tf.global_variables_initializer())
                values = {}
                for variable in tf.global_variables():
                    value = rng.uniform(-0.5, 0.5, variable.shape.as_list()).astype(np.float32)
                    variable.load(value, session)
                    values[variable.op.name] = value.tolist()
                got_outputs, got_state = session.run([outputs, flatten_state(state)], {x: inputs})
        out[case["id"]] = {"variables": values, "outputs": got_outputs.tolist(), "state": [s.tolist() for s in got_state]}
    sys.stdout.write(json.dumps(out) + "\n")


main()
