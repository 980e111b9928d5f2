"""Run by the reference interpreter: TF1 batch normalization trained K steps, its moving statistics.

Reads JSON ``{"inputs": [...], "steps": K, "layer": source}``: ``layer`` is TF1 source using ``tf`` and
``x`` (a placeholder of the inputs' shape) that returns the normalized tensor in training mode. Each
step runs the ``UPDATE_OPS`` with the output. Writes one JSON line ``{"outputs": [...],
"moving_mean": [...], "moving_variance": [...]}`` after the last step, the fused flag TF1 used, and
``{"skipped": reason}`` when the layer needs contrib this TensorFlow lacks. Standard library + numpy + TF.
"""
import json
import sys

import numpy as np
import tensorflow.compat.v1 as tf

tf.disable_v2_behavior()


def main():
    request = json.loads(sys.stdin.read())
    inputs = np.asarray(request["inputs"], dtype=np.float32)
    x = tf.placeholder(tf.float32, inputs.shape)
    try:
        y = eval(request["layer"], {"tf": tf, "x": x})
    except (AttributeError, ImportError) as exc:
        sys.stdout.write(json.dumps({"skipped": str(exc)}) + "\n")
        return
    updates = tf.get_collection(tf.GraphKeys.UPDATE_OPS)
    fused = any(op.type.startswith("FusedBatchNorm") for op in tf.get_default_graph().get_operations())
    mean = [v for v in tf.global_variables() if v.op.name.endswith("moving_mean")][0]
    variance = [v for v in tf.global_variables() if v.op.name.endswith("moving_variance")][0]
    with tf.Session() as session:
        session.run(tf.global_variables_initializer())
        for _ in range(request["steps"]):
            outputs, _ = session.run([y, updates], {x: inputs})
        got_mean, got_variance = session.run([mean, variance])
    sys.stdout.write(json.dumps({"outputs": outputs.tolist(), "moving_mean": got_mean.tolist(),
                                 "moving_variance": got_variance.tolist(), "fused": fused}) + "\n")


main()
