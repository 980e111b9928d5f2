"""Run the original TF1 code in graph mode and record what ``verify`` compares.

A standalone script: it runs on Python 3.7 with TensorFlow 1.15, and on TensorFlow 2.x through
``tf.compat.v1`` with v2 behaviour disabled. It imports nothing from tf1to2 (the reference interpreter
does not have the package) and only the standard library, numpy and TensorFlow.

Usage: ``python tf1_runner.py JOB.json``. The job (written by ``tf1to2.verify.driver``) names the original
module, the units to run (the manifest's units as JSON), the inputs (an npz with ``<unit key>/<input>``
arrays), the number of training steps, the loss scales of the training regimes and the output directory.

For each unit, with a fresh namespace of the original module, the runner evaluates the manifest's
``Example.original`` expression in graph mode (see ``build_example``) and records:

- the variables the unit created (name, shape, dtype, trainable);
- moments of fresh values drawn from every variable's own initializer (re-run until enough samples);
- a TF1 checkpoint of the unit's variables (``<out>/<key>/model.ckpt``): the weights ``verify`` transfers;
- forward outputs, gradients of (sum of outputs + regularization losses) with respect to float inputs
  and trainable variables, and the regularization loss itself;
- the variables after each of K optimizer steps, per training regime (the loss multiplied by the
  regime's scale), with the unit's optimizer expression or plain gradient descent.

With a ``script`` part (the manifest has ``sess.run`` sites), it then runs the module as a program and
records what each site returns, and the weights right after initialization (``session_trace.py``).

Arrays go to ``<out>/<key>.npz``, everything else to ``<out>/result.json``, written last and atomically:
its appearance tells the converted side that the checkpoints are ready.
"""
from __future__ import print_function

import json
import os
import re
import sys
import time
import traceback

import numpy as np

OPTIMIZER_SLOT_SUFFIXES = ("/Adam", "/Adam_1", "/Momentum", "/RMSProp", "/RMSProp_1", "/Adagrad", "/Adadelta",
                           "/Adadelta_1", "/Ftrl", "/Ftrl_1")
OPTIMIZER_NON_SLOTS = ("beta1_power", "beta2_power", "global_step")
MAX_INITIALIZER_RUNS = 64
VARIABLE_OPS = ("VariableV2", "VarHandleOp", "Variable")


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
    # Its siblings, standalone too: this file's directory is on sys.path when it runs as a script.
    import dropout_masks
    import session_trace

    started = time.time()
    tf = import_tf1()
    dropout_masks.install(tf)  # the converted side draws the same masks, in the same order
    session_trace.absl_flags()  # absl's own flags, before the module defines any
    imported = time.time()
    tf.logging.set_verbosity(tf.logging.ERROR)
    with open(job["module"], "rb") as handle:
        source = handle.read()  # bytes: compile() honours a PEP 263 coding line
    module_dir = os.path.dirname(os.path.abspath(job["module"]))
    if module_dir not in sys.path:
        sys.path.insert(0, module_dir)
    inputs = dict(np.load(job["inputs"]))
    results = []
    for unit in job["units"]:
        try:
            results.append(run_unit(tf, job, unit, source, inputs, dropout_masks))
        except Exception:  # one unit's failure is reported, the others still run
            results.append({"key": unit["key"], "error": traceback.format_exc()})
    ran_units = time.time()
    version = tf.version.VERSION
    payload = {
        "tensorflow": version if version.startswith("1.") else version + " (tf.compat.v1, graph mode)",
        "python": sys.version.split()[0],
        "units": results,
        "seconds": {"import tensorflow": imported - started, "run units": ran_units - imported},
    }
    if job.get("script"):
        dropout_masks.reset("script")
        payload["script"] = session_trace.record_original(tf, job, source)
        dropout_masks.stop()
        payload["seconds"]["run the script"] = time.time() - ran_units
    payload["dropout_draws"] = dropout_masks.draws()
    write_json_atomically(os.path.join(job["out"], "result.json"), payload)
    return 0


def build_example(tf, job, unit, source, inputs):
    """The graph the unit's example builds: (graph, module namespace, feed, [(input name, tensor)], fetched).

    The module runs in a graph of its own first. A module unit fetches from that graph, fed through the
    module's own placeholders. A function unit is called in a fresh graph, so variables the module's own
    graph code already made under the same names (``fc1/w``) do not collide with the example's.
    """
    example, key = unit["example"], unit["key"]
    module_graph = tf.Graph()
    namespace = {"__name__": "__tf1to2_original__", "__file__": os.path.abspath(job["module"])}
    with module_graph.as_default():
        exec(compile(source, job["module"], "exec"), namespace)
    feed, placeholders = {}, []
    if example.get("uses_module_placeholders"):
        with module_graph.as_default():
            for spec in example["inputs"]:
                tensor = module_placeholder(module_graph, namespace, spec["name"])
                feed[tensor] = inputs[key + "/" + spec["name"]]
                placeholders.append((spec["name"], tensor))
            return module_graph, namespace, feed, placeholders, eval(example["original"], namespace)
    graph, bound = tf.Graph(), {}
    with graph.as_default():
        for spec in example["inputs"]:
            shape = [None if d is None else int(d) for d in spec["shape"]]
            tensor = tf.placeholder(tf.as_dtype(spec["dtype"]), shape=shape, name=spec["name"])
            bound[spec["name"]] = tensor
            feed[tensor] = inputs[key + "/" + spec["name"]]
            placeholders.append((spec["name"], tensor))
        return graph, namespace, feed, placeholders, eval(example["original"], namespace, bound)


class UnitGraph(object):
    """The tensors and ops one unit is measured with, built in the unit's graph."""

    def __init__(self, tf, job, unit, graph, namespace, placeholders, fetched):
        self.graph = graph
        self.outputs = flatten_outputs(tf, fetched, "output")
        excluded = optimizer_variable_ids(tf, namespace)
        variables = [v for v in tf.global_variables() if id(v) not in excluded and not is_optimizer_name(v.op.name)]
        update_ops = tf.get_collection(tf.GraphKeys.UPDATE_OPS)
        regularizers = tf.get_collection(tf.GraphKeys.REGULARIZATION_LOSSES)
        if unit["example"].get("uses_module_placeholders"):
            variables, update_ops, regularizers = module_unit_scope(
                [t for _, t in self.outputs], variables, update_ops, regularizers, unit["weights"])
        self.variables = variables
        self.trainable_ids = set(id(v) for v in tf.trainable_variables())
        self.trainable = [v for v in self.variables if id(v) in self.trainable_ids]
        self.regularization = (tf.add_n([tf.cast(t, tf.float32) for t in regularizers]) if regularizers
                               else tf.constant(0.0))
        sums = [tf.reduce_sum(tf.cast(t, tf.float32)) for _, t in self.outputs if t.dtype.is_floating]
        loss = tf.add_n(sums + [self.regularization])
        float_inputs = [(name, t) for name, t in placeholders if t.dtype.is_floating]
        self.gradient_targets = [t for _, t in float_inputs] + self.trainable
        self.gradient_names = ["input/" + n for n, _ in float_inputs] + ["weight/" + v.op.name for v in self.trainable]
        gradients = tf.gradients(loss, self.gradient_targets) if self.gradient_targets else []
        # A target the loss does not depend on has no gradient (None): zero, as the converted side records it.
        self.gradients = [tf.zeros_like(t) if g is None else g for g, t in zip(gradients, self.gradient_targets)]
        # Plain gradient descent's step is fed at run time: job["learning_rate"] divided by the largest
        # weight gradient, so the first step moves no weight by more than that (big models, whose summed
        # outputs have large gradients, otherwise jump far and amplify rounding differences).
        self.learning_rate = tf.placeholder(tf.float32, [], name="tf1to2_learning_rate")
        optimizer = make_optimizer(tf, unit, namespace, self.learning_rate)
        self.train_ops = []
        for regime in job["regimes"]:
            # TF1 code runs UPDATE_OPS (batch norm statistics) with the train op; Keras updates them in call.
            with tf.control_dependencies(update_ops):
                self.train_ops.append(optimizer.minimize(loss * regime["scale"], var_list=self.trainable))
        self.optimizer_state = tf.variables_initializer(optimizer.variables())
        self.saver = tf.train.Saver(var_list=dict((v.op.name, v) for v in self.variables)) if self.variables else None


def run_unit(tf, job, unit, source, inputs, masks):
    """``masks`` is the ``dropout_masks`` module: each measurement restarts the masks' generator."""
    graph, namespace, feed, placeholders, fetched = build_example(tf, job, unit, source, inputs)
    with graph.as_default():
        parts = UnitGraph(tf, job, unit, graph, namespace, placeholders, fetched)
        record = {"key": unit["key"], "error": None, "outputs": [name for name, _ in parts.outputs],
                  "variables": [describe_variable(v, id(v) in parts.trainable_ids) for v in parts.variables]}
        arrays = {}
        config = tf.ConfigProto(intra_op_parallelism_threads=1, inter_op_parallelism_threads=1)
        with tf.Session(graph=graph, config=config) as session:
            session.run([tf.global_variables_initializer(), tf.local_variables_initializer(), tf.tables_initializer()])
            record["initializers"] = initializer_moments(session, parts.variables, job["initializer_samples"])
            record["checkpoint"] = None
            if parts.saver is not None:
                record["checkpoint"] = parts.saver.save(session, os.path.join(job["out"], unit["key"], "model.ckpt"),
                                                        write_meta_graph=False)
            masks.reset("%s/forward" % unit["key"])
            arrays.update(measure(session, parts, feed))
            masks.stop()
            largest = max([float(np.abs(arrays["gradient/" + name]).max()) for name in parts.gradient_names
                           if name.startswith("weight/") and arrays["gradient/" + name].size] or [0.0])
            record["learning_rate"] = job["learning_rate"] / max(1.0, largest)
            train_feed = dict(feed)
            train_feed[parts.learning_rate] = record["learning_rate"]
            arrays.update(train(session, parts, train_feed, job, record["checkpoint"], unit["key"], masks))
    np.savez(os.path.join(job["out"], unit["key"] + ".npz"), **arrays)
    return record


def measure(session, parts, feed):
    """Outputs, gradients and the regularization loss at the saved weights."""
    fetches = [t for _, t in parts.outputs] + parts.gradients + [parts.regularization]
    values = session.run(fetches, feed)
    arrays = {}
    for (name, _), value in zip(parts.outputs, values):
        arrays["output/" + name] = value
    gradient_values = values[len(parts.outputs):len(parts.outputs) + len(parts.gradients)]
    for name, value in zip(parts.gradient_names, gradient_values):
        arrays["gradient/" + name] = dense_value(value)
    arrays["regularization"] = np.asarray(values[-1], dtype=np.float32)
    return arrays


def train(session, parts, feed, job, checkpoint, key, masks):
    """Every variable after each step of each regime, each regime from the saved weights and fresh slots."""
    arrays = {}
    for regime, train_op in zip(job["regimes"], parts.train_ops):
        if parts.saver is not None:
            parts.saver.restore(session, checkpoint)
        session.run(parts.optimizer_state)
        masks.reset("%s/training/%s" % (key, regime["name"]))
        for step in range(1, job["steps"] + 1):
            session.run(train_op, feed)
            for variable, value in zip(parts.variables, session.run(parts.variables)):
                arrays["train/%s/%d/%s" % (regime["name"], step, variable.op.name)] = value
        masks.stop()
    return arrays


def module_unit_scope(outputs, variables, update_ops, regularizers, weights):
    """What of a module's graph belongs to one module unit (a module may hold several): the variables its
    outputs read or its manifest entries name, the UPDATE_OPS (batch norm statistics) computed from what
    its outputs depend on, and the regularization losses of its variables."""
    used = ancestor_ops(outputs)
    own_updates = []
    for update in update_ops:
        reached = ancestor_ops([update])
        if any(op in used for op in reached if op.type not in VARIABLE_OPS):
            own_updates.append(update)
    for update in own_updates:
        used.update(ancestor_ops([update]))
    named = [re.compile(re.sub(r"\\\{\w+\\\}", "[0-9]+", re.escape(w["tf1_name"])) + r"\Z") for w in weights]
    owned = [v for v in variables if v.op in used or any(p.match(v.op.name) for p in named)]
    owned_ops = set(v.op for v in owned)
    own_regularizers = [t for t in regularizers if ancestor_ops([t]) & owned_ops]
    return owned, own_updates, own_regularizers


def ancestor_ops(tensors_or_ops):
    """Every op the given tensors or ops depend on, through data and control inputs."""
    pending = [getattr(t, "op", t) for t in tensors_or_ops]
    seen = set()
    while pending:
        op = pending.pop()
        if op in seen:
            continue
        seen.add(op)
        pending.extend(t.op for t in op.inputs)
        pending.extend(op.control_inputs)
    return seen


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


def make_optimizer(tf, unit, namespace, learning_rate):
    spec = unit.get("optimizer")
    if spec and spec.get("original"):
        return eval(spec["original"], namespace)
    return tf.train.GradientDescentOptimizer(learning_rate)


def describe_variable(variable, trainable):
    return {
        "name": variable.op.name,
        "shape": [None if d is None else int(d) for d in variable.shape.as_list()],
        "dtype": variable.dtype.base_dtype.name,
        "trainable": trainable,
    }


def dense_value(value):
    """Gradients come back as arrays or IndexedSlices values (embedding lookups)."""
    if hasattr(value, "indices"):
        dense = np.zeros(value.dense_shape, dtype=value.values.dtype)
        np.add.at(dense, value.indices, value.values)
        return dense
    return value


def initializer_moments(session, variables, samples_wanted):
    """Mean and std of fresh values from each variable's initializer, pooled over repeated runs.

    ``deterministic`` is true when every run gave the same values (constants, identity, numpy arrays
    baked into the graph): the values of one run are then one sample, not ``runs`` of them.
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
