"""Static shapes along a module's chain of converted layer calls, for manifest examples and weight shapes.

Shared by the ``layers_*`` rules (not a rule itself). Starting from module placeholders with literal
shapes, each statement ``y = <layer call>(x)`` whose input ``x`` has a known shape gives ``y`` the
layer's output shape, computed from the Keras constructor's literal keywords (channels-last only).
Any other assignment forgets what was known about its targets, so ``net = tf.reshape(net, ...)`` or a
loop ends the chain. Only literal configuration is read; anything else makes the shape unknown.
"""
from __future__ import annotations

import ast
import math
from typing import Any, Optional

from tf1to2.analysis.syntax import ModuleIR
from tf1to2.catalog.args import literal
from tf1to2.manifest import TensorSpec
from tf1to2.rules.layers_plan import Planned

Shape = tuple[Optional[int], ...]
_SAME_SHAPE = ("BatchNormalization", "LayerNormalization", "Dropout", "Activation")


def input_shapes(ir: ModuleIR, planned: list[Planned], placeholders: dict[str, TensorSpec]) -> dict[int, TensorSpec]:
    """call start → the spec (shape, dtype) of the tensor the converted layer call is applied to."""
    known: dict[str, TensorSpec] = {}
    by_stmt = {item.stmt.start: item for item in planned if item.converted and item.layer is not None
               and not item.repeat}
    found: dict[int, TensorSpec] = {}
    statements = sorted((s for s in ir.walk() if s.kind not in ("def", "class", "with", "if")), key=lambda s: s.start)
    for stmt in statements:
        item = by_stmt.get(stmt.start)
        spec = None
        if item is not None and item.layer.inputs is not None:
            spec = known.get(item.layer.inputs.strip())
            if spec is not None:
                found[item.call.start] = spec
        for target in stmt.targets:
            known.pop(target, None)
            if target in placeholders:  # bound once: this is the placeholder's own statement
                known[target] = placeholders[target]
        if spec is None or stmt.kind != "assign" or len(stmt.targets) != 1 or stmt.value is None:
            continue
        if (stmt.value.start, stmt.value.end) != (item.call.start, item.call.end):
            continue  # a normalizer and an activation keep the shape: the layer's own output shape holds
        shape = output_shape(item.layer.record.keras_class, constructor_keywords(item.layer.code), spec.shape)
        if shape is not None:
            known[stmt.targets[0]] = TensorSpec(stmt.targets[0], shape, spec.dtype)
    return found


def constructor_keywords(code: str) -> dict[str, Any]:
    """Literal keyword values of the Keras constructor call text (``units=64`` → {"units": 64})."""
    try:
        node = ast.parse(code.strip(), mode="eval").body
    except SyntaxError:
        return {}
    if not isinstance(node, ast.Call):
        return {}
    return {k.arg: literal(ast.unparse(k.value)) for k in node.keywords if k.arg}


def output_shape(keras_class: str, keywords: dict, shape: Shape) -> Optional[Shape]:
    if not shape or keywords.get("data_format") not in (None, "channels_last"):
        return None
    if keras_class in _SAME_SHAPE:
        return shape
    if keras_class == "Dense":
        units = keywords.get("units")
        return (*shape[:-1], units) if isinstance(units, int) else None
    if keras_class == "Flatten":
        rest = shape[1:]
        return (shape[0], math.prod(rest)) if all(isinstance(d, int) for d in rest) else (shape[0], None)
    if keras_class.startswith(("Conv", "MaxPooling", "AveragePooling")) and "Transpose" not in keras_class:
        return _windowed(keras_class, keywords, shape)
    return None


def _windowed(keras_class: str, keywords: dict, shape: Shape) -> Optional[Shape]:
    """Convolutions and pooling, channels last: out = ceil(d / s) with SAME, ceil((d - k + 1) / s) VALID."""
    rank = len(shape) - 2
    pooling = not keras_class.startswith("Conv")
    window = _dims(keywords.get("pool_size" if pooling else "kernel_size", 2 if pooling else None), rank)
    strides = _dims(keywords.get("strides", window if pooling else 1), rank)
    dilation = _dims(keywords.get("dilation_rate", 1), rank)
    padding = str(keywords.get("padding", "valid")).lower()
    if window is None or strides is None or dilation != (1,) * rank or padding not in ("same", "valid"):
        return None
    spatial = []
    for size, k, s in zip(shape[1:-1], window, strides):
        if size is None:
            spatial.append(None)
        else:
            spatial.append(math.ceil(size / s) if padding == "same" else math.ceil((size - k + 1) / s))
    channels = shape[-1] if pooling else keywords.get("filters")
    if not isinstance(channels, int) and not (pooling and channels is None):
        return None
    return (shape[0], *spatial, channels)


def _dims(value: Any, rank: int) -> Optional[tuple[int, ...]]:
    if isinstance(value, int) and not isinstance(value, bool):
        return (value,) * rank
    if isinstance(value, (list, tuple)) and len(value) == rank and all(isinstance(v, int) for v in value):
        return tuple(value)
    return None
