"""Run the original TF1 code in graph mode and record what ``verify`` compares.

A standalone script: it runs on Python 3.7 with TensorFlow 1.15, and on TensorFlow 2.x through
``tf.compat.v1`` with v2 behaviour disabled. It imports nothing from tf1to2 (the reference interpreter
does not have the package) and only the standard library, numpy and TensorFlow.

Usage: ``python tf1_runner.py JOB.json``. The job (written by ``tf1to2.verify.driver``) names the original
module, the units to run (the manifest's units as JSON), the inputs (an npz with ``<unit key>/<input>``
arrays), the number of training steps, the loss scales of the training regimes and the output directory.

For each unit, in a fresh graph with a fresh namespace of the original module, the runner evaluates the
manifest's ``Example.original`` expression and records:

- the variables the unit created (name, shape, dtype, trainable);
- moments of fresh values drawn from every variable's own initializer (re-run until enough samples);
- a TF1 checkpoint of the unit's variables (``<out>/<key>/model.ckpt``): the weights ``verify`` transfers;
- forward outputs, gradients of (sum of outputs + regularization losses) with respect to float inputs
  and trainable variables, and the regularization loss itself;
- the variables after each of K optimizer steps, per training regime (the loss multiplied by the
  regime's scale), with the unit's optimizer expression or plain gradient descent.

Arrays go to ``<out>/<key>.npz``, everything else to ``<out>/result.json``, written last and atomically:
its appearance tells the converted side that the checkpoints are ready.
"""
from __future__ import print_function

import json
import os
import sys
import time
import traceback

import numpy as np

OPTIMIZER_SLOT_SUFFIXES = ("/Adam", "/Adam_1", "/Momentum", "/RMSProp", "/RMSProp_1", "/Adagrad", "/Adadelta",
                           "/Adadelta_1", "/Ftrl", "/Ftrl_1")
OPTIMIZER_NON_SLOTS = ("beta1_power", "beta2_power", "global_step")
MAX_INITIALIZER_RUNS = 64


def import_tf1():
    """TensorFlow's v1 API in graph mode; ``import tensorflow`` in the original then gets it too."""
    import tensorflow

    if tensorflow.__version__.startswith("1."):
        return tensorflow
    import tensorflow.compat.v1 as tf

    tf.disable_v2_behavior()
    # Original code says ``import tensorflow as tf`` and means the v1 API.
    sys.modules["tensorflow"] = tf
    return tf


def main(argv):
    if len(argv) != 2:
        print("usage: tf1_runner.py JOB.json", file=sys.stderr)
        return 2
    with open(argv[1]) as handle:
        job = json.load(handle)
    os.environ.setdefault("TF_CPP_MIN_LOG_LEVEL", "2")
    started = time.time()
    tf = import_tf1()
    imported = time.time()
    tf.logging.set_verbosity(tf.logging.ERROR)
    with open(job["module"]) as handle:
        source = handle.read()
    module_dir = os.path.dirname(os.path.abspath(job["module"]))
    if module_dir not in sys.path:
        sys.path.insert(0, module_dir)
    inputs = dict(np.load(job["inputs"]))
    results = []
    for unit in job["units"]:
        try:
            results.append(run_unit(tf, job, unit, source, inputs))
        except Exception:  # one unit's failure is reported, the others still run
            results.append({"key": unit["key"], "error": traceback.format_exc()})
    version = tf.version.VERSION
    payload = {
        "tensorflow": version if version.startswith("1.") else version + " (tf.compat.v1, graph mode)",
        "python": sys.version.split()[0],
        "units": results,
        "seconds": {"import tensorflow": imported - started, "run units": time.time() - imported},
    }
    write_json_atomically(os.path.join(job["out"], "result.json"), payload)
    return 0


def run_unit(tf, job, unit, source, inputs):
    example = unit["example"]
    key = unit["key"]
    graph = tf.Graph()
    with graph.as_default():
        namespace = {"__name__": "__tf1to2_original__", "__file__": os.path.abspath(job["module"])}
        exec(compile(source, job["module"], "exec"), namespace)
        feed, placeholders = {}, []
        if example.get("uses_module_placeholders"):
            owned_before = set()
            regularizers_before = set()
            for spec in example["inputs"]:
                tensor = module_placeholder(graph, namespace, spec["name"])
                feed[tensor] = inputs[key + "/" + spec["name"]]
                placeholders.append((spec["name"], tensor))
            fetched = eval(example["original"], namespace)
        else:
            owned_before = set(id(v) for v in tf.global_variables())
            regularizers_before = set(id(t) for t in tf.get_collection(tf.GraphKeys.REGULARIZATION_LOSSES))
            bound = {}
            for spec in example["inputs"]:
                shape = [None if d is None else int(d) for d in spec["shape"]]
                tensor = tf.placeholder(tf.as_dtype(spec["dtype"]), shape=shape, name=spec["name"])
                bound[spec["name"]] = tensor
                feed[tensor] = inputs[key + "/" + spec["name"]]
                placeholders.append((spec["name"], tensor))
            fetched = eval(example["original"], namespace, bound)
        outputs = flatten_outputs(tf, fetched, "output")
        excluded = optimizer_variable_ids(tf, namespace)
        variables = [v for v in tf.global_variables()
                     if id(v) not in owned_before and id(v) not in excluded and not is_optimizer_name(v.op.name)]
        trainable_ids = set(id(v) for v in tf.trainable_variables())
        trainable = [v for v in variables if id(v) in trainable_ids]
        regularizers = [t for t in tf.get_collection(tf.GraphKeys.REGULARIZATION_LOSSES)
                        if id(t) not in regularizers_before]
        regularization = tf.add_n([tf.cast(t, tf.float32) for t in regularizers]) if regularizers else tf.constant(0.0)
        float_outputs = [t for _, t in outputs if t.dtype.is_floating]
        loss = tf.add_n([tf.reduce_sum(tf.cast(t, tf.float32)) for t in float_outputs] + [regularization])
        float_inputs = [(name, t) for name, t in placeholders if t.dtype.is_floating]
        gradient_targets = [t for _, t in float_inputs] + trainable
        gradients = tf.gradients(loss, gradient_targets) if gradient_targets else []
        optimizer = make_optimizer(tf, unit, namespace, job)
        train_ops = []
        update_ops = tf.get_collection(tf.GraphKeys.UPDATE_OPS)
        for regime in job["regimes"]:
            with tf.control_dependencies(update_ops):
                train_ops.append(optimizer.minimize(loss * regime["scale"], var_list=trainable))
        optimizer_state = tf.variables_initializer(optimizer.variables())
        saver = tf.train.Saver(var_list=dict((v.op.name, v) for v in variables)) if variables else None

        arrays = {}
        record = {"key": key, "error": None, "outputs": [name for name, _ in outputs]}
        record["variables"] = [describe_variable(v, id(v) in trainable_ids) for v in variables]
        config = tf.ConfigProto(intra_op_parallelism_threads=1, inter_op_parallelism_threads=1)
        with tf.Session(graph=graph, config=config) as session:
            session.run([tf.global_variables_initializer(), tf.local_variables_initializer(),
                         tf.tables_initializer()])
            record["initializers"] = initializer_moments(session, variables, job["initializer_samples"])
            checkpoint = os.path.join(job["out"], key, "model.ckpt")
            if saver is not None:
                record["checkpoint"] = saver.save(session, checkpoint, write_meta_graph=False)
            else:
                record["checkpoint"] = None
            values = session.run([t for _, t in outputs] + gradients + [regularization], feed)
            for (name, _), value in zip(outputs, values):
                arrays["output/" + name] = value
            gradient_values = values[len(outputs):len(outputs) + len(gradients)]
            names = ["input/" + n for n, _ in float_inputs] + ["weight/" + v.op.name for v in trainable]
            for name, target, value in zip(names, gradient_targets, gradient_values):
                arrays["gradient/" + name] = dense_value(value, target, session)
            arrays["regularization"] = np.asarray(values[-1], dtype=np.float32)
            for regime, train_op in zip(job["regimes"], train_ops):
                if saver is not None:
                    saver.restore(session, record["checkpoint"])
                session.run(optimizer_state)
                for step in range(1, job["steps"] + 1):
                    session.run(train_op, feed)
                    for variable, value in zip(variables, session.run(variables)):
                        arrays["train/%s/%d/%s" % (regime["name"], step, variable.op.name)] = value
        np.savez(os.path.join(job["out"], key + ".npz"), **arrays)
        return record


def module_placeholder(graph, namespace, name):
    """The module's own input: a module-level name bound to a tensor, else a graph tensor name."""
    value = namespace.get(name)
    if value is not None and hasattr(value, "graph") and hasattr(value, "op"):
        return value
    return graph.get_tensor_by_name(name if ":" in name else name + ":0")


def flatten_outputs(tf, value, path):
    """(name, tensor) pairs: ``output``, ``output[0]``, ``output['logits']``; non-tensors are skipped."""
    if isinstance(value, (tf.Tensor, tf.Variable)):
        return [(path, tf.convert_to_tensor(value))]
    if isinstance(value, dict):
        pairs = []
        for key in sorted(value, key=str):
            pairs.extend(flatten_outputs(tf, value[key], "%s[%r]" % (path, key)))
        return pairs
    if isinstance(value, (list, tuple)):
        pairs = []
        for index, item in enumerate(value):
            pairs.extend(flatten_outputs(tf, item, "%s[%d]" % (path, index)))
        return pairs
    return []


def optimizer_variable_ids(tf, namespace):
    """Slots and accumulators of optimizers the module itself built are training state, not the unit's."""
    ids = set()
    for value in list(namespace.values()):
        if isinstance(value, tf.train.Optimizer):
            ids.update(id(v) for v in value.variables())
    step = tf.train.get_global_step()
    if step is not None:
        ids.add(id(step))
    return ids


def is_optimizer_name(name):
    return name.endswith(OPTIMIZER_SLOT_SUFFIXES) or name.split("/")[-1] in OPTIMIZER_NON_SLOTS


def make_optimizer(tf, unit, namespace, job):
    spec = unit.get("optimizer")
    if spec and spec.get("original"):
        return eval(spec["original"], namespace)
    return tf.train.GradientDescentOptimizer(job["learning_rate"])


def describe_variable(variable, trainable):
    return {
        "name": variable.op.name,
        "shape": [None if d is None else int(d) for d in variable.shape.as_list()],
        "dtype": variable.dtype.base_dtype.name,
        "trainable": trainable,
    }


def dense_value(value, target, session):
    """Gradients come back as arrays, IndexedSlices values (embedding lookups) or None (not connected)."""
    if value is None:
        return np.zeros(target.shape.as_list(), dtype=target.dtype.base_dtype.as_numpy_dtype)
    if hasattr(value, "indices"):
        dense = np.zeros(value.dense_shape, dtype=value.values.dtype)
        np.add.at(dense, value.indices, value.values)
        return dense
    return value


def initializer_moments(session, variables, samples_wanted):
    """Mean and std of fresh values from each variable's initializer, pooled over repeated runs.

    ``deterministic`` is true when every run gave the same values (constants, identity): then the
    converted weight must match the moments exactly rather than statistically.
    """
    moments = {}
    for variable in variables:
        first = np.asarray(session.run(variable), dtype=np.float64)
        runs = [first]
        size = max(first.size, 1)
        # At least two runs, so a deterministic initializer is told apart from a random one.
        while len(runs) < 2 or (len(runs) * size < samples_wanted and len(runs) < MAX_INITIALIZER_RUNS):
            session.run(variable.initializer)
            runs.append(np.asarray(session.run(variable), dtype=np.float64))
        deterministic = all(np.array_equal(run, first) for run in runs[1:])
        pooled = np.concatenate([run.ravel() for run in runs]) if first.size else np.zeros(0)
        moments[variable.op.name] = {
            "mean": float(pooled.mean()) if pooled.size else 0.0,
            "std": float(pooled.std()) if pooled.size else 0.0,
            "count": int(pooled.size),
            "runs": len(runs),
            "deterministic": deterministic,
        }
    return moments


def write_json_atomically(path, payload):
    temporary = path + ".tmp"
    with open(temporary, "w") as handle:
        json.dump(payload, handle, indent=1, default=repr)
    os.replace(temporary, path)


if __name__ == "__main__":
    sys.exit(main(sys.argv))
