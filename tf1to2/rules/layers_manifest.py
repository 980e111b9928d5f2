"""Manifest units for module-level layer conversions: one unit per Keras instance that holds TF1 variables.

Shared by the ``layers_*`` rules (not a rule itself). Module-level ``tf.layers`` / contrib / Slim code has
no class of its own after conversion (the layers are module globals, and the session conversion moves
their calls into the functions replacing ``sess.run``), so each Keras instance is its own unit: kind
``"layer"``, ``source`` the TF1 API, ``weights`` its TF1 variables (``fc1/kernel``, ``BatchNorm/moving_mean``,
contrib's ``fully_connected/weights``) → the Keras attribute (``kernel``, ``moving_mean``), moving
statistics non-trainable. ``construct`` is the Keras constructor itself, so every construction is fresh.

The example runs the TF1 call alone in a fresh graph, on a placeholder ``inputs`` with the shape of the
tensor the module applies it to (``layers_shapes`` follows them from the module's placeholders), under the
name TF1 gave it (``name="conv2d_1"`` / ``scope="fully_connected_1"`` is added when the call relied on
default naming), with the ``slim.arg_scope`` defaults written into the call and its training flag at
``False`` on both sides. It exists only when that reproduces the module's call: a known input shape, no
enclosing variable scope, no normalizer. Otherwise the unit has no example (``convert-checkpoint`` and
``verify`` then cannot construct it on their own).
"""
from __future__ import annotations

import dataclasses
import re
from typing import Any, Optional

from tf1to2.analysis.syntax import ModuleIR
from tf1to2.catalog.args import literal
from tf1to2.catalog.records import KerasLayer, Role
from tf1to2.manifest import Example, TensorSpec, Unit, Weight
from tf1to2.rules.layers_plan import Planned
from tf1to2.rules.layers_shapes import constructor_keywords

_PLACEHOLDERS = ("tf.placeholder",)
_MOVING = ("moving_mean", "moving_variance")


def units(item: Planned, spec: Optional[TensorSpec], line: int) -> tuple[Unit, ...]:
    """The units one converted call creates (none for a reusing call or a weightless layer); ``spec``: the
    shape of the tensor it is applied to, when known statically."""
    if not item.creates or item.layer is None or item.tf1_path is None:
        return ()
    found = []
    layer_unit = _unit(item.layer, item.tf1_path, spec, line)
    if layer_unit.weights:
        example = _example(item, spec) if item.layer.normalizer is None else None
        found.append(dataclasses.replace(layer_unit, example=example))
    if item.layer.normalizer is not None:
        scope = f"{item.tf1_path}/{item.layer.normalizer.record.default_name}"
        normalizer = _unit(item.layer.normalizer, scope, None, line)
        if normalizer.weights:
            found.append(normalizer)
    return tuple(found)


def _unit(layer: KerasLayer, path: str, spec: Optional[TensorSpec], line: int) -> Unit:
    keywords = constructor_keywords(layer.code)
    last = spec.shape[-1] if spec is not None and spec.shape else None
    weights = tuple(
        Weight(
            tf1_name=f"{path}/{w.tf1}",
            attribute=w.keras,
            shape=_shape(layer.record.keras_class, w.keras, keywords, last),
            trainable=w.keras not in _MOVING,
        )
        for w in layer.weights
    )
    call_params = ("inputs", "training") if _training_param(layer) else ("inputs",)
    return Unit(kind="layer", source=layer.record.api, line=line, class_name=layer.record.keras_class,
                call_params=call_params, weights=weights)


def _example(item: Planned, spec: Optional[TensorSpec]) -> Optional[Example]:
    if spec is None or "/" in item.tf1_path:
        return None
    training = _training_param(item.layer)
    call = "unit(inputs, training=False)" if training else "unit(inputs)"
    if item.layer.activation is not None:  # contrib applies its activation outside the Keras layer
        call = f"{item.layer.activation}({call})"
    original = _original(item, training)
    if original is None:
        return None
    inputs = (TensorSpec("inputs", spec.shape, spec.dtype),)
    return Example(inputs=inputs, original=original, construct=item.layer.code, call=call)


def _original(item: Planned, training: Optional[str]) -> Optional[str]:
    """The TF1 call's text on the example's placeholder ``inputs``, named as TF1 named it, training off."""
    call, text = item.call, item.call.func.text
    input_arg = next((a for a in call.args if a.keyword is None and not a.star), None)
    input_arg = call.keyword(item.layer.record.params[0].tf1) or input_arg
    if input_arg is None or input_arg.value.kind != "name":
        return None
    arguments = []
    for arg in call.args:
        if arg is input_arg:
            arguments.append(f"{arg.keyword}=inputs" if arg.keyword else "inputs")
        elif training is not None and arg.keyword == training:
            arguments.append(f"{training}=False")
        elif arg.keyword is None and training is not None and _positional_index(call, arg) == _index(item, training):
            arguments.append("False")
        else:
            arguments.append(_arg_text(arg))
    arguments += [f"{keyword}={value}" for keyword, value in item.scope_defaults if keyword != training]
    if training is not None and call.keyword(training) is None and len(call.positional) <= _index(item, training):
        arguments.append(f"{training}=False")
    name = next((p.tf1 for p in item.layer.record.params if p.role is Role.NAME), None)
    if item.layer.name is None and name is not None:
        arguments.append(f'{name}="{item.tf1_path}"')
    return f"{text}({', '.join(arguments)})"


def _arg_text(arg) -> str:
    prefix = f"{arg.keyword}=" if arg.keyword else arg.star
    return prefix + arg.value.text


def _positional_index(call, arg) -> int:
    return list(call.positional).index(arg)


def _index(item: Planned, name: str) -> int:
    return item.layer.record.parameter_names.index(name)


def _training_param(layer: KerasLayer) -> Optional[str]:
    return next((p.tf1 for p in layer.record.params if p.role is Role.TRAINING), None)


def _dims(value: Any, rank: int) -> tuple[Optional[int], ...]:
    if isinstance(value, int):
        return (value,) * rank
    if isinstance(value, (list, tuple)) and len(value) == rank and all(isinstance(v, int) for v in value):
        return tuple(value)
    return (None,) * rank


def _int(value: Any) -> Optional[int]:
    return value if isinstance(value, int) and not isinstance(value, bool) else None


def _shape(keras_class: str, attribute: str, keywords: dict, last: Optional[int]) -> tuple[Optional[int], ...]:
    """The weight's shape from the Keras constructor and the input's last dimension; None where unknown."""
    filters = _int(keywords.get("filters"))
    if keras_class == "Dense":
        units = _int(keywords.get("units"))
        return (last, units) if attribute == "kernel" else (units,)
    if keras_class.startswith(("Conv", "SeparableConv", "DepthwiseConv")):
        match = re.search(r"(\d)D", keras_class)
        rank = int(match.group(1)) if match else 2
        kernel = _dims(keywords.get("kernel_size"), rank)
        if attribute == "bias":
            return (filters,)
        if attribute == "depthwise_kernel":
            return (*kernel, last, _int(keywords.get("depth_multiplier", 1)))
        if attribute == "pointwise_kernel":
            multiplier = _int(keywords.get("depth_multiplier", 1))
            channels = last * multiplier if last is not None and multiplier is not None else None
            return (*(1,) * rank, channels, filters)
        if keras_class.endswith("Transpose"):
            return (*kernel, filters, last)
        return (*kernel, last, filters)
    if keras_class in ("BatchNormalization", "LayerNormalization"):
        axis = keywords.get("axis", -1)
        return (last if axis in (-1, [-1], (-1,)) else None,)
    if keras_class == "Embedding":
        return (_int(keywords.get("input_dim")), _int(keywords.get("output_dim")))
    return ()


def module_placeholders(ir: ModuleIR) -> dict[str, TensorSpec]:
    """Module names bound once, at the top level, to ``tf.placeholder(dtype, shape)`` with a literal shape."""
    counts: dict[str, int] = {}
    for stmt in ir.walk():
        for target in stmt.targets:
            counts[target] = counts.get(target, 0) + 1
    found: dict[str, TensorSpec] = {}
    for stmt in ir.body:
        if stmt.kind != "assign" or len(stmt.targets) != 1 or stmt.value is None or stmt.value.kind != "call":
            continue
        call = stmt.value.calls[0]
        if call.tf_name not in _PLACEHOLDERS or counts.get(stmt.targets[0]) != 1:
            continue
        dtype = call.keyword("dtype") or (call.positional[0] if call.positional else None)
        shape = call.keyword("shape") or (call.positional[1] if len(call.positional) > 1 else None)
        shape_value = literal(shape.value.text) if shape is not None else None
        if not isinstance(shape_value, (list, tuple)) or not all(d is None or isinstance(d, int) for d in shape_value):
            continue
        dtype_name = (dtype.value.tf_name or "").rsplit(".", 1)[-1] if dtype is not None else "float32"
        if dtype_name not in ("float32", "float64", "float16"):
            continue
        found[stmt.targets[0]] = TensorSpec(stmt.targets[0], tuple(shape_value), dtype_name)
    return found
