"""Run by the reference interpreter: a TF1 optimizer's first steps on a fixed quadratic.

Reads JSON ``{"start": [...], "curvature": [...], "steps": K, "dtype": D, "cases": [{"id", "expr"}]}``; minimizes
``0.5 * sum(curvature * w ** 2)`` from ``start`` with each optimizer (``expr`` is TF1 source using ``tf``)
and writes one JSON line ``{id: [weights after step 1, ..., after step K]}``.
Standard library + numpy + TensorFlow only.
"""
import json
import sys

import tensorflow.compat.v1 as tf

tf.disable_v2_behavior()


def main():
    request = json.loads(sys.stdin.read())
    out = {}
    for case in request["cases"]:
        with tf.Graph().as_default():
            dtype = tf.as_dtype(request.get("dtype", "float32"))
            w = tf.Variable(request["start"], dtype=dtype)
            loss = 0.5 * tf.reduce_sum(tf.constant(request["curvature"], dtype) * tf.square(w))
            step = eval(case["expr"], {"tf": tf}).minimize(loss)
            with tf.Session() as session:
                session.run(tf.global_variables_initializer())
                trajectory = []
                for _ in range(request["steps"]):
                    session.run(step)
                    trajectory.append(session.run(w).tolist())
        out[case["id"]] = trajectory
    sys.stdout.write(json.dumps(out) + "\n")


main()
