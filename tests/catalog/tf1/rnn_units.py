"""Run by the reference interpreter: the TF1 side of converted RNN manifest units.

Reads JSON ``{"inputs": [[[...]]], "cases": [{"id", "original"}]}``: ``original`` is a unit's
``example.original`` (TF1 source using ``tf`` and the placeholder ``inputs``). Each runs in a fresh graph,
every variable set to random values (biases too, so their layout is tested). Writes one JSON line
``{id: {"variables": {name: value}, "results": [every tensor of the result, flattened]}}``.
Standard library + numpy + TensorFlow only.
"""
import json
import sys

import numpy as np
import tensorflow.compat.v1 as tf

tf.disable_v2_behavior()


def main():
    request = json.loads(sys.stdin.read())
    inputs = np.asarray(request["inputs"], dtype=np.float32)
    rng = np.random.RandomState(request.get("seed", 0))
    out = {}
    for case in request["cases"]:
        with tf.Graph().as_default():
            placeholder = tf.placeholder(tf.float32, [None] + list(inputs.shape[1:]), name="inputs")
            result = eval(case["original"], {"tf": tf, "inputs": placeholder})
            with tf.Session() as session:
                session.run(tf.global_variables_initializer())
                values = {}
                for variable in tf.global_variables():
                    value = rng.uniform(-0.5, 0.5, variable.shape.as_list()).astype(np.float32)
                    variable.load(value, session)
                    values[variable.op.name] = value.tolist()
                got = session.run(tf.nest.flatten(result), {placeholder: inputs})
        out[case["id"]] = {"variables": values, "results": [g.tolist() for g in got]}
    sys.stdout.write(json.dumps(out) + "\n")


main()
