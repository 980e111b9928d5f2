"""Run by the reference interpreter: a TF1 module-level script, its variables set to random values.

Reads JSON ``{"script": source, "fetch": name, "seed": n}``; runs the script in graph mode, loads every
variable with random values (moving variances positive), evaluates the ``fetch`` tensor and writes one
JSON line ``{"variables": {name: value}, "result": value}`` (``{"skipped": reason}`` when the script
needs contrib and this TensorFlow has none). Standard library + numpy + TensorFlow only.
"""
import json
import sys

import numpy as np
import tensorflow.compat.v1 as tf

tf.disable_v2_behavior()


def main():
    request = json.loads(sys.stdin.read())
    namespace = {"__name__": "tf1_script"}
    try:
        exec(compile(request["script"], "script.py", "exec"), namespace)
    except ImportError as exc:
        sys.stdout.write(json.dumps({"skipped": str(exc)}) + "\n")
        return
    rng = np.random.RandomState(request.get("seed", 0))
    values = {}
    with tf.Session() as session:
        session.run(tf.global_variables_initializer())
        for variable in tf.global_variables():
            low, high = (0.5, 1.5) if "variance" in variable.op.name else (-0.5, 0.5)
            value = rng.uniform(low, high, variable.shape.as_list()).astype(variable.dtype.as_numpy_dtype)
            variable.load(value, session)
            values[variable.op.name] = value.tolist()
        result = session.run(namespace[request["fetch"]])
    sys.stdout.write(json.dumps({"variables": values, "result": result.tolist()}) + "\n")


main()
