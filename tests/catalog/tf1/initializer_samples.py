"""Run by the reference interpreter: moments of TF1 initializers' draws.

Reads JSON ``[{"id", "expr", "shape"}]`` on stdin (``expr`` is TF1 source using ``tf`` and
``contrib_layers``); writes one JSON line ``{id: moments or null}`` (null: contrib missing).
Standard library + numpy + TensorFlow only.
"""
import json
import sys

import numpy as np
import tensorflow.compat.v1 as tf

tf.disable_v2_behavior()
try:
    from tensorflow.contrib import layers as contrib_layers
except ImportError:
    contrib_layers = None


def moments(values):
    values = np.asarray(values, dtype=np.float64).ravel()
    mean = values.mean()
    std = values.std()
    centered = (values - mean) / std
    return {"mean": mean, "std": std, "kurtosis": float((centered ** 4).mean()), "max_abs": float(np.abs(values).max()),
            "count": int(values.size)}


def main():
    cases = json.loads(sys.stdin.read())
    out = {}
    for case in cases:
        if "contrib_layers" in case["expr"] and contrib_layers is None:
            out[case["id"]] = None
            continue
        with tf.Graph().as_default():
            initializer = eval(case["expr"], {"tf": tf, "contrib_layers": contrib_layers})
            variable = tf.get_variable("w", case["shape"], initializer=initializer)
            with tf.Session() as session:
                session.run(tf.global_variables_initializer())
                out[case["id"]] = moments(session.run(variable))
    sys.stdout.write(json.dumps(out) + "\n")


main()
