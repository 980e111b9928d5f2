"""Manifest weights bound to the converted unit's variables, and the converted unit itself.

TF1 names a weight by its variable name (``model/h0/attn/c_attn/w``), the converted unit by an attribute
path from the unit instance (``blocks[0].attn.w``); the manifest pairs them. TensorFlow is imported
lazily: the CLI imports this module, and ``convert`` never imports TensorFlow.
"""
from __future__ import annotations

import ast
import contextlib
import dataclasses
import importlib
import re
import warnings
from pathlib import Path
from typing import Any, Iterator, Mapping, Optional, Sequence, Union

from tf1to2.manifest import Example, Unit, Weight
from tf1to2.verify import layouts, repeats, sources
# CheckpointError and the attribute-path helpers are used through this module too.
from tf1to2.verify.paths import (  # noqa: F401
    CheckpointError,
    attribute_steps,
    object_key,
    resolve_attribute,
)


# --- binding manifest weights to the converted unit's variables -----------------------------------------


def unit_variables(instance: Any) -> list[Any]:
    """Every weight of a Keras layer/model or a tf.Module."""
    found = getattr(instance, "weights", None)
    if found is None:
        found = getattr(instance, "variables", ())
    return list(found)


def trainable_variables(instance: Any) -> list[Any]:
    found = getattr(instance, "trainable_weights", None)
    if found is None:
        found = getattr(instance, "trainable_variables", ())
    return list(found)


def is_variable(value: Any) -> bool:
    return hasattr(value, "assign") and hasattr(value, "shape") and hasattr(value, "dtype")


def dtype_name(variable: Any) -> str:
    import tensorflow as tf

    return tf.as_dtype(variable.dtype).name


def keras_version(tf: Any) -> str:
    """``3.15.1`` for Keras 3, ``2.21.0 (tf-keras)`` under TF_USE_LEGACY_KERAS=1, ``2.15.0`` for TF 2.15's Keras."""
    package = tf.keras.__name__.split(".")[0]  # keras.api..., keras._tf_keras..., tf_keras.api...
    version = str(getattr(importlib.import_module(package), "__version__", ""))
    return f"{version} (tf-keras)" if package == "tf_keras" else version


def variable_path(variable: Any) -> str:
    return str(getattr(variable, "path", None) or variable.name)


@dataclasses.dataclass
class Binding:
    """Manifest weights paired with the converted unit's variables.

    ``unmapped``: converted weights no manifest entry points at (a shared weight split in two shows up
    here). ``problems``: attribute paths that do not resolve, or name no variable, or two TF1 names that
    land on one variable.
    """

    bound: list[tuple[Weight, Any]]
    unmapped: list[Any]
    problems: list[tuple[str, str]]  # (tf1 name, what is wrong)

    def variable_of(self, tf1_name: str) -> Optional[Any]:
        return next((variable for weight, variable in self.bound if weight.tf1_name == tf1_name), None)

    def tf1_name_of(self, variable: Any) -> Optional[str]:
        return next((weight.tf1_name for weight, bound in self.bound if bound is variable), None)

    def weight_of(self, variable: Any) -> Optional[Weight]:
        return layouts.weight_of(self.bound, variable)


def bind_weights(instance: Any, weights: Sequence[Weight]) -> Binding:
    """Pair every manifest weight (repeated entries expanded over the unit's lists) with its variable."""
    expanded, problems = repeats.expand_on_unit(instance, weights)
    bound: list[tuple[Weight, Any]] = []
    owner: dict[int, str] = {}
    for weight in expanded:
        try:
            value = resolve_attribute(instance, weight.attribute)
        except CheckpointError as exc:
            problems.append((weight.tf1_name, f"attribute {weight.attribute!r}: {exc}"))
            continue
        if not is_variable(value):
            kind = type(value).__name__
            problems.append((weight.tf1_name, f"attribute {weight.attribute!r} holds {kind!r}, not a variable"))
            continue
        if id(value) in owner:
            other = owner[id(value)]
            problems.append((weight.tf1_name, f"attribute {weight.attribute!r} is the same variable as {other!r}"))
            continue
        owner[id(value)] = weight.tf1_name
        bound.append((weight, value))
    unmapped = [v for v in unit_variables(instance) if id(v) not in owner]
    return Binding(bound, unmapped, problems)


def needs_build(instance: Any, weights: Sequence[Weight]) -> bool:
    """True while some weight is still missing (or None, as Keras layers set them in ``__init__``): it is
    created in ``build()`` on the first call."""
    expanded, problems = repeats.expand_on_unit(instance, weights)
    if problems:
        return True
    for weight in expanded:
        try:
            if not is_variable(resolve_attribute(instance, weight.attribute)):
                return True
        except CheckpointError:
            return True
    return False


# --- running converted code -----------------------------------------------------------------------------


@dataclasses.dataclass
class LoadedModule:
    """A converted module's namespace, and the top-level statements that could not run eagerly."""

    namespace: dict[str, Any]
    skipped: list[str] = dataclasses.field(default_factory=list)  # "line 22: ValueError: ..."


def load_module(path: Union[str, Path]) -> LoadedModule:
    """Execute a converted module in a fresh namespace (it is not imported: its name may clash).

    A converted file that keeps graph-mode code switches TensorFlow to graph mode at the top, but the
    units it defines must run eagerly here. Then the switch is made a no-op and the module runs statement
    by statement: statements that need graph mode (placeholders, sessions) fail and are skipped, while
    classes, functions and eager module-level objects (a shared layer the examples pass around) remain.
    """
    import sys

    path = Path(path).resolve()
    if str(path.parent) not in sys.path:
        sys.path.insert(0, str(path.parent))
    source = path.read_bytes()  # bytes: compile() and ast.parse() honour a PEP 263 coding line
    loaded = LoadedModule({"__name__": "__tf1to2_converted__", "__file__": str(path)})
    if not sources.disables_eager(source.decode("utf-8", errors="replace")):
        exec(compile(source, str(path), "exec"), loaded.namespace)
        return loaded
    with _graph_mode_switches_disabled():
        for statement in ast.parse(source, str(path)).body:
            try:
                exec(compile(ast.Module(body=[statement], type_ignores=[]), str(path), "exec"), loaded.namespace)
            except Exception as exc:  # graph-mode code, or code that depends on it  # noqa: BLE001
                loaded.skipped.append(f"line {statement.lineno}: {error_message(exc)}")
    return loaded


def error_message(exc: BaseException) -> str:
    """``AttributeError: 'Dense' object has no attribute 'bias'``, without Keras' call-site preamble."""
    text = re.sub(r"\x1b\[[0-9;]*m", "", str(exc))
    lines = [line.strip() for line in text.splitlines() if line.strip()]
    if len(lines) > 1 and lines[0].startswith("Exception encountered when calling"):
        lines = lines[1:]
    if len(lines) > 1 and lines[0].startswith("in user code"):  # a tf.function's trace: the error comes last
        lines = lines[-1:]
    if not lines:
        return type(exc).__name__
    return lines[0] if lines[0].startswith(type(exc).__name__ + ":") else f"{type(exc).__name__}: {lines[0]}"


@contextlib.contextmanager
def _graph_mode_switches_disabled() -> Iterator[None]:
    """The switches made no-ops in every module that offers them: ``tf.compat.v1`` and the module objects
    ``import tensorflow.compat.v1`` / ``from tensorflow.compat.v1.train import ...`` leave in
    ``sys.modules``, which need not be the same object (so ``tf.compat.v1`` may name either later). A
    module wrapper that cached a no-op while it was in place gets the original back too."""
    import tensorflow as tf

    originals = {name: getattr(tf.compat.v1, name) for name in sources.GRAPH_MODE_SWITCHES}
    no_ops = {name: (lambda *args, **kwargs: None) for name in originals}
    _replace_in_tensorflow_modules({id(f): no_ops[name] for name, f in originals.items()}, tf)
    try:
        yield
    finally:
        _replace_in_tensorflow_modules({id(no_ops[name]): f for name, f in originals.items()}, tf)


def _replace_in_tensorflow_modules(replacements: dict[int, Any], tf: Any) -> None:
    """Rebind every module attribute that holds one of the keys' objects (by id) to its replacement."""
    import sys

    modules = [tf.compat.v1] + [m for name, m in list(sys.modules.items()) if name.startswith("tensorflow") and m]
    for module in {id(m): m for m in modules}.values():
        for name in sources.GRAPH_MODE_SWITCHES:
            value = vars(module).get(name)
            if value is not None and id(value) in replacements:
                setattr(module, name, replacements[id(value)])


def example_tensors(example: Example, batch_size: int = 1) -> dict[str, Any]:
    """Zero inputs of the example's shapes (unknown dimensions become ``batch_size``), to build a unit."""
    import numpy as np
    import tensorflow as tf

    tensors = {}
    for spec in example.inputs:
        shape = [batch_size if d is None else int(d) for d in spec.shape]
        tensors[spec.name] = tf.constant(np.zeros(shape, dtype=spec.dtype))
    return tensors


def construct_unit(namespace: Mapping[str, Any], unit: Unit, inputs: Mapping[str, Any], *, call: bool = False) -> Any:
    """The converted unit from the example's ``construct``, called once on ``inputs`` when ``call`` is set
    or some weight is made in ``build()`` (Keras also saves only built layers)."""
    if unit.example is None:
        raise CheckpointError(f"unit {unit.class_name} has no example saying how to construct it")
    instance = eval(unit.example.construct, dict(namespace))
    if call or needs_build(instance, unit.weights):
        with warnings.catch_warnings():
            # Keras 3 warns about layers without build() whose sublayers made weights in __init__; this
            # call only builds the unit, the user's code is not at fault here.
            warnings.simplefilter("ignore", UserWarning)
            eval(unit.example.call, dict(namespace), {"unit": instance, **inputs})
    return instance


def assign_from_reader(binding: Binding, reader: Any) -> list[tuple[str, str]]:
    """Copy every bound weight's TF1 value, re-laid out by its manifest transform, into its variable;
    returns (tf1 name, problem) pairs."""
    problems = []
    for weight, variable in binding.bound:
        try:
            absent = [name for name in layouts.source_names(weight) if not reader.has_tensor(name)]
            if absent:
                problems.append((absent[0], "not in the checkpoint"))
                continue
            value = layouts.converted_value(weight, reader.get_tensor)
        except KeyError as exc:  # an unknown transform id: refused, never copied as is
            problems.append((weight.tf1_name, str(exc.args[0])))
            continue
        except ValueError as exc:  # a TF1 name or value the re-layout cannot split
            problems.append((weight.tf1_name, f"re-layout {weight.transform}: {exc}"))
            continue
        if tuple(value.shape) != tuple(variable.shape):
            shapes = f"checkpoint shape {tuple(value.shape)} != converted {tuple(variable.shape)}"
            if weight.transform:
                shapes += f" (after {weight.transform})"
            problems.append((weight.tf1_name, shapes))
            continue
        if _initialized_later(variable):
            variable._initializer = _constant(value)
        else:
            variable.assign(value)
    return problems


def _initialized_later(variable: Any) -> bool:
    """A Keras 3 variable made in a stateless scope (a sublayer built while Keras traces a parent layer
    that has no ``build``): it has no value yet, and its initializer runs later. Assigning it now would
    be lost (the scope records and drops the update), so its initializer is replaced instead."""
    return getattr(variable, "_value", 0) is None and getattr(variable, "_initializer", None) is not None


def _constant(value: Any) -> Any:
    def initializer(shape: Any, dtype: Any = None) -> Any:
        return value.astype(dtype) if dtype is not None else value

    return initializer
