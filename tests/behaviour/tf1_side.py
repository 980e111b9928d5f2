"""Run original TF1 code in graph mode and record what the converted layers must reproduce.

Standalone (stdlib, numpy, TensorFlow only): ``python tf1_side.py JOB.json``. The job lists cases, each with
the original source and the manifest units that have an example. For every unit, in a fresh graph and a
fresh namespace of the original module, the example's ``original`` expression is evaluated on the
recorded inputs; the script writes the variables the unit created (name, shape, dtype, trainable, value),
the outputs, the regularization loss, and the gradients of ``sum(outputs) + regularization`` with respect
to the float inputs and the trainable variables. Runs on TF 1.15 and on TF 2.x's ``tf.compat.v1``.
"""
from __future__ import print_function

import json
import sys
import traceback

import numpy as np


def import_tf1():
    import tensorflow

    if tensorflow.__version__.startswith("1."):
        return tensorflow
    import tensorflow.compat.v1 as tf

    tf.disable_v2_behavior()
    sys.modules["tensorflow"] = tf  # the original says ``import tensorflow as tf`` and means the v1 API
    return tf


def flatten(tf, value, path):
    if isinstance(value, (tf.Tensor, tf.Variable)):
        return [(path, tf.convert_to_tensor(value))]
    if isinstance(value, (list, tuple)):
        out = []
        for index, item in enumerate(value):
            out.extend(flatten(tf, item, "%s[%d]" % (path, index)))
        return out
    if isinstance(value, dict):
        out = []
        for key in sorted(value, key=str):
            out.extend(flatten(tf, value[key], "%s[%r]" % (path, key)))
        return out
    return []


def reachable(variables, tensors):
    ops, stack = set(), [t.op for t in tensors]
    while stack:
        op = stack.pop()
        if op in ops:
            continue
        ops.add(op)
        stack.extend(tensor.op for tensor in op.inputs)
        stack.extend(op.control_inputs)
    return [v for v in variables if v.op in ops]


def run_unit(tf, source, unit, inputs):
    example = unit["example"]
    module_graph = tf.Graph()
    with module_graph.as_default():
        tf.set_random_seed(1)
        namespace = {"__name__": "__original__"}
        exec(compile(source, "original.py", "exec"), namespace)
    # A function's example runs in a graph of its own: the module's own calls already created variables
    # under the example's scope names in the module's graph.
    graph = module_graph if example["uses_module_placeholders"] else tf.Graph()
    with graph.as_default():
        feed, placeholders = {}, []
        before = set()
        if example["uses_module_placeholders"]:
            for spec in example["inputs"]:
                name = spec["name"]
                tensor = namespace[name] if name in namespace else module_graph.get_tensor_by_name(name + ":0")
                feed[tensor] = inputs[spec["name"]]
                placeholders.append((spec["name"], tensor))
            fetched = eval(example["original"], namespace)
        else:
            tf.set_random_seed(1)
            bound = {}
            for spec in example["inputs"]:
                tensor = tf.placeholder(tf.as_dtype(spec["dtype"]), [None if d is None else d for d in spec["shape"]])
                bound[spec["name"]] = tensor
                feed[tensor] = inputs[spec["name"]]
                placeholders.append((spec["name"], tensor))
            fetched = eval(example["original"], namespace, bound)
        outputs = flatten(tf, fetched, "output")
        variables = [v for v in tf.global_variables() if id(v) not in before]
        if example["uses_module_placeholders"]:
            # The module built more than this unit: keep the variables its outputs read.
            variables = reachable(variables, [t for _, t in outputs])
        trainable_ids = set(id(v) for v in tf.trainable_variables())
        trainable = [v for v in variables if id(v) in trainable_ids]
        regularizers = tf.get_collection(tf.GraphKeys.REGULARIZATION_LOSSES)
        regularization = tf.add_n(regularizers) if regularizers else tf.constant(0.0)
        loss = tf.add_n([tf.reduce_sum(tf.cast(t, tf.float32)) for _, t in outputs if t.dtype.is_floating] + [regularization])
        float_inputs = [(n, t) for n, t in placeholders if t.dtype.is_floating]
        targets = [t for _, t in float_inputs] + trainable
        gradients = tf.gradients(loss, targets)
        with tf.Session() as session:
            session.run(tf.global_variables_initializer())
            values = session.run(variables)
            results = session.run([t for _, t in outputs] + [regularization], feed)
            grads = session.run([g for g in gradients if g is not None], feed) if any(g is not None for g in gradients) else []
        arrays = {}
        for variable, value in zip(variables, values):
            arrays["variable/" + variable.op.name] = value
        for (name, _), value in zip(outputs, results):
            arrays["output/" + name] = value
        arrays["regularization"] = np.asarray(results[-1], dtype=np.float32)
        names = ["input/" + n for n, _ in float_inputs] + ["variable/" + v.op.name for v in trainable]
        computed = iter(grads)
        for name, target, gradient in zip(names, targets, gradients):
            if gradient is None:
                arrays["gradient/" + name] = np.zeros(target.shape.as_list(), dtype=np.float32)
                continue
            value = next(computed)
            if hasattr(value, "indices"):  # IndexedSlices from an embedding lookup
                dense = np.zeros(value.dense_shape, dtype=value.values.dtype)
                np.add.at(dense, value.indices, value.values)
                value = dense
            arrays["gradient/" + name] = value
        record = {
            "variables": [
                {"name": v.op.name, "shape": v.shape.as_list(), "dtype": v.dtype.base_dtype.name, "trainable": id(v) in trainable_ids}
                for v in variables
            ],
            "outputs": [n for n, _ in outputs],
        }
        return record, arrays


def variable_names(tf, source, names):
    """``[v.op.name for v in <name>]`` for module-level lists of variables (what TF1 code selected)."""
    with tf.Graph().as_default():
        namespace = {"__name__": "__original__"}
        exec(compile(source, "original.py", "exec"), namespace)
        return dict((name, [v.op.name for v in namespace[name]]) for name in names)


def main(argv):
    with open(argv[1]) as handle:
        job = json.load(handle)
    tf = import_tf1()
    results = {}
    all_arrays = {}
    for case in job["cases"]:
        if case.get("selections"):
            try:
                results[case["name"] + "#selections"] = variable_names(tf, case["source"], case["selections"])
            except Exception:  # reported to the test that asked
                results[case["name"] + "#selections"] = {"error": traceback.format_exc()}
        for index, unit in enumerate(case["units"]):
            key = "%s#%d" % (case["name"], index)
            inputs = dict(np.load(case["inputs"][index])) if case["inputs"][index] else {}
            try:
                record, arrays = run_unit(tf, case["source"], unit, inputs)
                results[key] = record
                for name, value in arrays.items():
                    all_arrays[key + "|" + name] = value
            except Exception:  # one unit's failure is reported; the others still run
                results[key] = {"error": traceback.format_exc()}
    np.savez(job["out"] + ".npz", **all_arrays)
    with open(job["out"] + ".json", "w") as handle:
        json.dump(results, handle, indent=1)
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv))
