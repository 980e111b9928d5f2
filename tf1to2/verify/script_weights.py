"""The original script's initialized weights, loaded into the converted script's layers.

On the first call of a replacement function, before it runs (``tf2_trace``), every manifest unit gets
one instance of its class: among those reachable from the calling frames (their locals, the module's
globals; else any live object), the only one whose weights have the original's shapes, or the one named
after the weights' TF1 scope (``Linear(..., name="clipped")`` for ``clipped/w``). Its weights take the
original's values through the manifest's attribute paths and re-layouts, as a unit's do.

A layer that makes its weights on its first call (``build()``, the Keras layers a ``tf.layers`` call
became) has none yet: it is chosen by its name (or as the only instance), and its ``build`` and its
sublayers' are wrapped, so each weight takes the original's value as soon as it exists — inside a
``tf.function`` being traced too, under ``tf.init_scope()``: the traced function reads the variable when
it runs, after the trace. A unit left as the script made it is noted.
"""
from __future__ import annotations

import dataclasses
import functools
import gc
from typing import Any, Optional

import numpy as np

from tf1to2.manifest import Weight, weight_shape
from tf1to2.verify import binding as bind


class NpzReader:
    """The original's weights as ``tf.train.load_checkpoint`` would give them."""

    def __init__(self, path: str):
        with np.load(path) as data:
            self.values = {name: data[name] for name in data.files}

    def has_tensor(self, name: str) -> bool:
        return name in self.values

    def get_tensor(self, name: str) -> np.ndarray:
        return self.values[name]


@dataclasses.dataclass
class _Pending:
    """A unit whose instance has not made all its weights yet."""

    unit: str
    weights: list[Weight]
    instance: Any
    assigned: set[str] = dataclasses.field(default_factory=set)


class WeightTransfer:
    def __init__(self, tf: Any, units: list[dict[str, Any]], reader: Optional[NpzReader]):
        self.tf = tf
        self.units = units
        self.reader = reader
        self.notes: list[str] = []
        self.pending: list[_Pending] = []
        self.wrapped: set[int] = set()

    def start(self, frame: Any) -> None:
        """At the first call of a replacement function: transfer, or wait for the weights to exist."""
        if self.reader is None:
            return
        reachable = reachable_objects(frame)
        wanted = {unit["class_name"] for unit in self.units}
        if any(not any(type(o).__name__ == name for o in reachable) for name in wanted):
            known = {id(o) for o in reachable}
            reachable += [o for o in gc.get_objects() if type(o).__name__ in wanted and id(o) not in known]
        for unit in self.units:
            weights = [Weight(**{**w, "shape": weight_shape(w["shape"])}) for w in unit["weights"]]
            if not weights:
                continue
            if not unit.get("example") and not any(self.reader.has_tensor(w.tf1_name) for w in weights):
                continue  # a part of another unit (names relative to it), transferred through that unit
            candidates = [o for o in reachable if type(o).__name__ == unit["class_name"]]
            instance, built, why = choose_instance(candidates, weights, self.reader)
            if instance is None:
                self.notes.append(f"{unit['class_name']}: weights not transferred to the script's layer: {why}")
                continue
            pending = _Pending(unit["class_name"], weights, instance)
            self.assign(pending)
            if not built:
                self.pending.append(pending)
                self.wrap_builds(instance)

    def assign(self, pending: _Pending) -> bool:
        """Assign the weights that exist and are not assigned yet; True once all are."""
        binding = bind.bind_weights(pending.instance, pending.weights)
        fresh = [(w, v) for w, v in binding.bound if w.tf1_name not in pending.assigned]
        if fresh:
            with self.tf.init_scope():  # eagerly, also while a tf.function is being traced
                problems = bind.assign_from_reader(bind.Binding(fresh, [], []), self.reader)
            pending.assigned.update(w.tf1_name for w, _ in fresh)
            self.notes += [f"{pending.unit}: {name} not transferred: {problem}" for name, problem in problems]
        return not binding.problems

    def wrap_builds(self, instance: Any) -> None:
        flatten = getattr(instance, "_flatten_layers", None)
        layers = list(flatten(include_self=True, recursive=True)) if flatten else [instance]
        for layer in layers:
            if id(layer) in self.wrapped or not callable(getattr(layer, "build", None)):
                continue
            self.wrapped.add(id(layer))
            layer.build = self.after(layer.build)

    def after(self, build: Any) -> Any:
        @functools.wraps(build)
        def build_then_transfer(*args: Any, **kwargs: Any) -> Any:
            result = build(*args, **kwargs)
            self.pending = [pending for pending in self.pending if not self.assign(pending)]
            return result

        return build_then_transfer

    def finish(self) -> list[str]:
        """Notes, once the script has run: units whose weights never all appeared included."""
        for pending in self.pending:
            missing = [w.tf1_name for w in pending.weights if w.tf1_name not in pending.assigned]
            self.notes.append(f"{pending.unit}: weights not transferred to the script's layer: "
                              f"{', '.join(missing)} never appeared")
        return self.notes


def reachable_objects(frame: Any) -> list[Any]:
    """Values of the converted script's frames on the stack, innermost first, then the module's globals."""
    found: list[Any] = []
    seen: set[int] = set()
    path = frame.f_code.co_filename
    while frame is not None:
        if frame.f_code.co_filename == path:
            for scope in (frame.f_locals, frame.f_globals):
                for value in list(scope.values()):
                    if id(value) not in seen:
                        seen.add(id(value))
                        found.append(value)
        frame = frame.f_back
    return found


def choose_instance(candidates: list[Any], weights: list[Weight], reader: NpzReader) -> tuple[Optional[Any], bool, str]:
    """(instance, whether its weights exist, why none): the one instance the original's values fit, or the
    one named after their TF1 scope; an instance without its weights yet by its name, or as the only one."""
    if not candidates:
        return None, False, "no instance of it exists when the first replacement function is called"
    fitting, unbuilt = [], []
    for candidate in candidates:
        binding = bind.bind_weights(candidate, weights)
        if binding.problems:
            unbuilt.append(candidate)
            continue
        plain = [(w, v) for w, v in binding.bound if w.transform is None]
        if all(reader.has_tensor(w.tf1_name) and reader.get_tensor(w.tf1_name).shape == tuple(v.shape)
               for w, v in plain):
            fitting.append(candidate)
    scope = weights[0].tf1_name.rsplit("/", 1)[0] if "/" in weights[0].tf1_name else None

    def named(instances: list[Any]) -> list[Any]:
        """Those named after the scope, else after its last part (``slim.repeat``'s ``conv1/conv1_1`` is a
        layer named ``conv1_1``)."""
        if scope is None:
            return []
        exact = [c for c in instances if getattr(c, "name", None) == scope]
        return exact or [c for c in instances if getattr(c, "name", None) == scope.rsplit("/", 1)[-1]]

    if len(fitting) == 1:
        return fitting[0], True, ""
    if len(named(fitting)) == 1:
        return named(fitting)[0], True, ""
    if fitting:
        return None, False, f"{len(fitting)} instances fit its weights and none is named {scope!r}"
    if len(candidates) == len(unbuilt) == 1:
        return unbuilt[0], False, ""
    if len(named(unbuilt)) == 1:
        return named(unbuilt)[0], False, ""
    if unbuilt:
        return None, False, f"{len(unbuilt)} instances have not made their weights yet and none is named {scope!r}"
    return None, False, "no instance has weights of the original's names and shapes"
