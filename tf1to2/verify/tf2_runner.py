"""Run the converted code eagerly and record what ``verify`` compares with the original.

Usage: ``python -m tf1to2.verify.tf2_runner JOB.json`` (written by ``tf1to2.verify.driver``), started at
the same time as the TF1 runner so the two TensorFlow imports overlap. For each unit it:

1. constructs the converted unit (calling it once when weights come from ``build()``) a few times and
   keeps the fresh values of every manifest weight, for the initializer comparison;
2. binds the manifest's attribute paths to the unit's variables (missing, extra and doubly mapped
   weights are recorded, not fatal);
3. waits for the TF1 runner's ``result.json``, then loads the TF1 checkpoint through the manifest;
4. records outputs, gradients of (sum of outputs + ``unit.losses``) with respect to float inputs and
   weights, the regularization loss, and the weights after each of K optimizer steps per regime (the
   unit's optimizer expression, copied fresh per regime, or ``SGD`` at the job's learning rate).

With a ``script`` part (the manifest has ``sess.run`` sites), it then runs the converted module as a
program and records what each replacement function returns (``tf2_trace``).

Arrays go to ``<out>/<key>.npz`` under the TF1 runner's names (weights by their TF1 names), the rest to
``<out>/result.json``. A converted unit that raises is recorded with the stage it failed at.
"""
from __future__ import annotations

import json
import os
import sys
import time
import traceback
from typing import Any, Optional

import numpy as np

from tf1to2.manifest import Example, TensorSpec, Unit, Weight, weight_shape
from tf1to2.verify import binding as bind
from tf1to2.verify import dropout_masks, layouts, session_trace, tf2_trace

# Constructions used for the initializer moments: enough for FRESH_SAMPLES values of the largest weight
# (the one most likely drawn at random; biases are mostly constants, compared exactly), at most
# MAX_CONSTRUCTIONS, and at most MAX_FRESH_VALUES values in all (a big model is built once). Each
# construction of a unit that makes weights in build() costs a call: they dominate the converted side.
FRESH_SAMPLES = 100
MAX_CONSTRUCTIONS = 8
MAX_FRESH_VALUES = 20_000_000


def main(argv: Optional[list[str]] = None) -> int:
    argv = sys.argv[1:] if argv is None else argv
    if len(argv) != 1:
        print("usage: python -m tf1to2.verify.tf2_runner JOB.json", file=sys.stderr)
        return 2
    with open(argv[0], encoding="utf-8") as handle:
        job = json.load(handle)
    os.environ.setdefault("TF_CPP_MIN_LOG_LEVEL", "2")
    started = time.monotonic()
    import tensorflow as tf

    imported = time.monotonic()
    keras = bind.keras_version(tf)
    dropout_masks.install(tf)  # the original side draws the same masks, in the same order

    tf.config.threading.set_intra_op_parallelism_threads(1)
    tf.config.threading.set_inter_op_parallelism_threads(1)
    session_trace.absl_flags()  # absl's own flags, before the module defines any
    import_error, import_message = None, ""
    module = bind.LoadedModule({})
    try:
        if job["units"]:
            module = bind.load_module(job["module"])
    except Exception as exc:  # the converted module itself does not run: every unit fails at "import"
        import_error, import_message = traceback.format_exc(), bind.error_message(exc)
    arrays_in = dict(np.load(job["inputs"]))
    results = []
    for raw in job["units"]:
        unit = unit_from_json(raw)
        state = UnitRun(tf, job, raw["key"], unit, raw.get("optimizer"), module.namespace, arrays_in)
        if import_error:
            results.append(state.failure("import", import_error, import_message))
            continue
        results.append(state.run())
    seconds = {"import tensorflow": imported - started, "wait for the original": sum(r.get("waited", 0.0) for r in results)}
    seconds["run units"] = time.monotonic() - imported - seconds["wait for the original"]
    payload = {"tensorflow": tf.__version__, "keras": keras, "python": sys.version.split()[0], "units": results,
               "seconds": seconds, "skipped_statements": module.skipped}
    if job.get("script"):
        ran_units = time.monotonic()
        original_script = tf2_trace.wait_for_original_script(job)
        waited = time.monotonic()
        dropout_masks.reset("script")
        payload["script"] = tf2_trace.record_converted(tf, job, original_script)
        dropout_masks.stop()
        seconds["wait for the original"] += waited - ran_units
        seconds["run the script"] = time.monotonic() - waited
    payload["dropout_draws"] = dropout_masks.draws()
    temporary = os.path.join(job["out"], "result.json.tmp")
    with open(temporary, "w", encoding="utf-8") as handle:
        json.dump(payload, handle, indent=1, default=repr)
    os.replace(temporary, os.path.join(job["out"], "result.json"))
    return 0




def unit_from_json(raw: dict[str, Any]) -> Unit:
    example = raw["example"]
    inputs = tuple(TensorSpec(i["name"], tuple(i["shape"]), i.get("dtype", "float32")) for i in example["inputs"])
    return Unit(
        kind=raw["kind"],
        source=raw["source"],
        line=raw["line"],
        class_name=raw["class_name"],
        weights=tuple(Weight(**{**w, "shape": weight_shape(w["shape"])}) for w in raw["weights"]),
        example=Example(**{**example, "inputs": inputs}),
    )


class UnitRun:
    """One unit through the stages; ``stage`` names where a failure happened."""

    def __init__(
        self, tf: Any, job: dict, key: str, unit: Unit, optimizer: Optional[dict], namespace: dict, arrays: dict
    ):
        self.tf, self.job, self.key, self.unit, self.optimizer = tf, job, key, unit, optimizer
        self.namespace = namespace
        self.inputs = {spec.name: tf.constant(arrays[f"{key}/{spec.name}"]) for spec in unit.example.inputs}
        self.arrays: dict[str, np.ndarray] = {}
        self.fresh_constant: dict[str, bool] = {}  # the same values on every construction
        self.initial_values: dict[int, np.ndarray] = {}  # id of a tf.Variable -> its value when created
        self.stage = "construct"

    def failure(self, stage: str, error: str, message: str = "") -> dict:
        return {"key": self.key, "error": error, "message": message, "stage": stage}

    def run(self) -> dict:
        try:
            record = self._run()
        except Exception as exc:
            return self.failure(self.stage, traceback.format_exc(), bind.error_message(exc))
        np.savez(os.path.join(self.job["out"], f"{self.key}.npz"), **self.arrays)
        return record

    def _run(self) -> dict:
        instance, _ = self.construct_with_fresh_values()
        binding = bind.bind_weights(instance, self.unit.weights)
        record: dict[str, Any] = {"key": self.key, "error": None, "variables": describe_binding(binding)}
        record["fresh_constant"] = dict(self.fresh_constant)
        self.stage = "wait for the original"
        waiting = time.monotonic()
        original = wait_for_original(self.job, self.key)
        record["waited"] = time.monotonic() - waiting
        if original is None or original.get("error"):
            record["skipped"] = "the original did not run"
            return record
        self.stage = "load the checkpoint"
        record["load_problems"] = []
        if original.get("checkpoint"):
            reader = self.tf.train.load_checkpoint(original["checkpoint"])
            record["load_problems"] = bind.assign_from_reader(binding, reader)
        self.stage = "call"
        variables = bind.unit_variables(instance)
        loaded = [np.array(v.numpy()) for v in variables]
        dropout_masks.reset(f"{self.key}/forward")
        record["outputs"] = self.forward_and_gradients(instance, binding)
        dropout_masks.stop()
        self.stage = "train"
        template = self.make_optimizer()
        for regime in self.job["regimes"]:
            for variable, value in zip(variables, loaded):
                variable.assign(value)
            dropout_masks.reset(f"{self.key}/training/{regime['name']}")
            self.train(instance, binding, regime, self.fresh_optimizer(template, original["learning_rate"]))
            dropout_masks.stop()
        return record

    def construct(self) -> Any:
        # Each variable's value as created: the call that builds the unit may already change some (a batch
        # norm called in training mode updates its moving statistics), and fresh values are initial values.
        def keep_initial_value(next_creator: Any, **kwargs: Any) -> Any:
            variable = next_creator(**kwargs)
            try:
                self.initial_values[id(variable)] = np.array(variable.numpy())
            except Exception:  # noqa: BLE001 - made while a tf.function traces: its value after the call is kept
                pass
            return variable

        with self.tf.variable_creator_scope(keep_initial_value):
            instance = eval(self.unit.example.construct, dict(self.namespace))
            if bind.needs_build(instance, self.unit.weights):
                self.call(instance)
        return instance

    def initial_value(self, variable: Any) -> np.ndarray:
        # A Keras 3 variable holds the tf.Variable the creator saw as ``_value``.
        created = self.initial_values.get(id(getattr(variable, "_value", variable)))
        return created if created is not None else variable.numpy()

    def construct_with_fresh_values(self) -> tuple[Any, dict[str, np.ndarray]]:
        """The first construction, and fresh values of every weight over a few constructions (at least two,
        to tell a constant initializer from a random one: a constant's values are kept once)."""
        first = self.construct()
        sizes = [int(np.prod(w.shape)) for w in self.unit.weights
                 if w.shape is not None and None not in w.shape] or [FRESH_SAMPLES]
        wanted = max(2, -(-FRESH_SAMPLES // max(max(sizes), 1)))
        constructions = max(1, min(wanted, MAX_CONSTRUCTIONS, MAX_FRESH_VALUES // max(sum(sizes), 1)))
        instances = [first] + [self.construct() for _ in range(constructions - 1)]
        fresh: dict[str, list[np.ndarray]] = {}
        seen: set[int] = set()
        for instance in instances:
            # A weight the construction passes in (a module-level shared layer) is the same variable
            # every time: its values count once, or the sample would look larger than it is.
            bound = bind.bind_weights(instance, self.unit.weights).bound
            pairs = [(weight, self.initial_value(variable)) for weight, variable in bound if id(variable) not in seen]
            seen.update(id(variable) for _, variable in bound)
            for name, value in layouts.to_tf1(pairs).items():  # re-laid out weights: back to TF1 layout
                fresh.setdefault(name, []).append(np.asarray(value).ravel())
        joined = {}
        for name, parts in fresh.items():
            constant = len(parts) > 1 and all(np.array_equal(part, parts[0]) for part in parts[1:])
            joined[name] = parts[0] if constant else np.concatenate(parts)
            self.fresh_constant[name] = constant
            self.arrays[f"fresh/{name}"] = joined[name]
        return first, joined

    def call(self, instance: Any) -> Any:
        return eval(self.unit.example.call, dict(self.namespace), {"unit": instance, **self.inputs})

    def loss(self, instance: Any, outputs: list[tuple[str, Any]]) -> tuple[Any, Any]:
        tf = self.tf
        losses = [tf.cast(loss, tf.float32) for loss in getattr(instance, "losses", ())]
        regularization = tf.add_n(losses) if losses else tf.constant(0.0)
        sums = [tf.reduce_sum(tf.cast(t, tf.float32)) for _, t in outputs if t.dtype.is_floating]
        return tf.add_n(sums + [regularization]), regularization

    def forward_and_gradients(self, instance: Any, binding: bind.Binding) -> list[str]:
        tf = self.tf
        float_inputs = [(name, t) for name, t in self.inputs.items() if t.dtype.is_floating]
        trainable = bind.trainable_variables(instance)
        with tf.GradientTape(persistent=True) as tape:
            for _, tensor in float_inputs:
                tape.watch(tensor)
            outputs = flatten_outputs(tf, self.call(CallsWithoutStateUpdates(instance)), "output")
            total, regularization = self.loss(instance, outputs)
        for name, tensor in outputs:
            self.arrays[f"output/{name}"] = tensor.numpy()
        self.arrays["regularization"] = np.asarray(regularization.numpy(), dtype=np.float32)
        targets = [t for _, t in float_inputs] + trainable
        gradients = tape.gradient(total, targets) if targets else []
        values = [dense(tf, gradient, target) for target, gradient in zip(targets, gradients)]
        for (name, _), value in zip(float_inputs, values):
            self.arrays[f"gradient/input/{name}"] = value
        mapped = []
        for variable, value in zip(trainable, values[len(float_inputs):]):
            weight = binding.weight_of(variable)
            if weight is None:
                self.arrays[f"gradient/weight/(unmapped) {bind.variable_path(variable)}"] = value
            else:
                mapped.append((weight, value))
        # Gradients of re-laid out weights are compared in the TF1 layout, under the TF1 names.
        for name, value in layouts.to_tf1(mapped, gradient=True).items():
            self.arrays[f"gradient/weight/{name}"] = value
        del tape
        return [name for name, _ in outputs]

    def make_optimizer(self) -> Any:
        if self.optimizer and self.optimizer.get("converted"):
            return eval(self.optimizer["converted"], dict(self.namespace))
        return None

    def fresh_optimizer(self, template: Any, learning_rate: float) -> Any:
        # One optimizer instance per regime: Keras optimizers are built once, for one variable list. Plain
        # gradient descent takes the step size the original side chose from its gradients.
        if template is None:
            return self.tf.keras.optimizers.SGD(learning_rate=learning_rate)
        return type(template).from_config(template.get_config())

    def train(self, instance: Any, binding: bind.Binding, regime: dict, optimizer: Any) -> None:
        tf = self.tf
        trainable = bind.trainable_variables(instance)
        for step in range(1, self.job["steps"] + 1):
            calls = CallsWithoutStateUpdates(instance)
            with tf.GradientTape() as tape:
                outputs = flatten_outputs(tf, self.call(calls), "output")
                total, _ = self.loss(instance, outputs)
                scaled = total * regime["scale"]
            gradients = tape.gradient(scaled, trainable)
            pairs = [(g, v) for g, v in zip(gradients, trainable) if g is not None]
            if pairs:
                optimizer.apply_gradients(pairs)
            calls.keep_updates()
            weights = layouts.to_tf1((weight, np.array(variable.numpy())) for weight, variable in binding.bound)
            for name, value in weights.items():
                self.arrays[f"train/{regime['name']}/{step}/{name}"] = value


class CallsWithoutStateUpdates:
    """The unit as its example calls it, each call starting from the loaded non-trainable state.

    The original's forward values are fetched without running ``UPDATE_OPS``, so no call there sees the
    moving statistics another training-mode call would update; a Keras batch norm updates them in the
    call itself, which would make an inference-mode call after a training-mode one read other values.
    In a training step every call reads the statistics the step started with, and the updates are kept
    once the step is done (``keep_updates``), as TF1's UPDATE_OPS run with the train op.
    """

    def __init__(self, instance: Any):
        self.instance = instance
        self.state = [(v, np.array(v.numpy())) for v in bind.unit_variables(instance) if not v.trainable]
        self.updated: dict[int, np.ndarray] = {}

    def __call__(self, *args: Any, **kwargs: Any) -> Any:
        for variable, value in self.state:
            variable.assign(value)
        result = self.instance(*args, **kwargs)
        for variable, value in self.state:
            now = variable.numpy()
            if not np.array_equal(now, value):
                self.updated[id(variable)] = np.array(now)
        return result

    def keep_updates(self) -> None:
        """After a training step: the statistics its training-mode calls computed, as TF1's UPDATE_OPS
        (run with the train op) left them."""
        for variable, _ in self.state:
            if id(variable) in self.updated:
                variable.assign(self.updated[id(variable)])

    def __getattr__(self, name: str) -> Any:
        return getattr(self.instance, name)


def describe_binding(binding: bind.Binding) -> dict[str, Any]:
    def describe(variable: Any) -> dict[str, Any]:
        return {
            "path": bind.variable_path(variable),
            "shape": [int(d) for d in variable.shape],
            "dtype": bind.dtype_name(variable),
            "trainable": bool(variable.trainable),
        }

    problems = [list(problem) for problem in binding.problems]
    try:
        mapped = describe_mapped(binding, describe)
    except (KeyError, ValueError) as exc:  # an unknown transform, or a cell missing one of its weights
        mapped = [{"tf1_name": w.tf1_name, "attribute": w.attribute, **describe(v)} for w, v in binding.bound]
        problems.append([binding.bound[0][0].tf1_name, str(exc.args[0] if exc.args else exc)])
    return {"mapped": mapped, "unmapped": [describe(v) for v in binding.unmapped], "problems": problems}


def describe_mapped(binding: bind.Binding, describe: Any) -> list[dict[str, Any]]:
    """One entry per TF1 variable: a re-laid out weight is described by its TF1-layout shape, and the
    converted weights it fills are listed together (``cell.kernel + cell.recurrent_kernel``)."""
    plain = [(w, v) for w, v in binding.bound if w.transform is None]
    entries = [{"tf1_name": w.tf1_name, "attribute": w.attribute, **describe(v)} for w, v in plain]
    relaid = [(w, v) for w, v in binding.bound if w.transform is not None]
    if not relaid:
        return entries
    zeros = [(weight, np.zeros(variable.shape)) for weight, variable in relaid]
    shapes = {name: list(value.shape) for name, value in layouts.to_tf1(zeros).items()}
    for name, shape in shapes.items():
        fillers = [(w, v) for w, v in relaid if name in layouts.source_names(w)]
        first = describe(fillers[0][1])
        entries.append({
            "tf1_name": name,
            "attribute": " + ".join(w.attribute for w, _ in fillers),
            "path": " + ".join(describe(v)["path"] for _, v in fillers),
            "shape": shape,
            "dtype": first["dtype"],
            "trainable": all(describe(v)["trainable"] for _, v in fillers),
        })
    return entries


def flatten_outputs(tf: Any, value: Any, path: str) -> list[tuple[str, Any]]:
    """Same names as the TF1 runner: ``output``, ``output[0]``, ``output['logits']``."""
    if tf.is_tensor(value) or isinstance(value, tf.Variable) or bind.is_variable(value):
        return [(path, tf.convert_to_tensor(value))]
    if isinstance(value, dict):
        return [pair for key in sorted(value, key=str) for pair in flatten_outputs(tf, value[key], f"{path}[{key!r}]")]
    if isinstance(value, (list, tuple)):
        return [pair for index, item in enumerate(value) for pair in flatten_outputs(tf, item, f"{path}[{index}]")]
    return []


def dense(tf: Any, gradient: Any, target: Any) -> np.ndarray:
    if gradient is None:
        return np.zeros([int(d) for d in target.shape], dtype=tf.as_dtype(target.dtype).as_numpy_dtype)
    return np.asarray(tf.convert_to_tensor(gradient).numpy())


def wait_for_original(job: dict, key: str) -> Optional[dict]:
    """The TF1 runner's record of this unit."""
    units = tf2_trace.wait_for_original_result(job)["units"]
    return next((u for u in units if u["key"] == key), None)


if __name__ == "__main__":
    sys.exit(main())
