"""TF1 initializers, initial values and regularizers as the Keras objects that reproduce them exactly.

Every TF1 default that differs in Keras is written out (NUMERICS.md): ``tf.random_normal_initializer()``
becomes ``RandomNormal(mean=0.0, stddev=1.0)``, not Keras' stddev 0.05; ``l2_regularizer(s)`` becomes
``L2(s / 2)`` because TF1's ``l2_loss`` halves the sum of squares. What has no exact Keras form keeps
working as TF1 wrote it (a TF1 initializer object or function is callable by ``add_weight`` with the
``(shape, dtype, partition_info)`` signature) and says why in a note.

The table below is checked against the installed TensorFlow by tests/rules/test_variables_initializers.py.
"""
from __future__ import annotations

import dataclasses
from typing import Any, Optional

from tf1to2.analysis.scopes import bind
from tf1to2.analysis.syntax import MISSING, Call, Expr

# TF1 initializer → (Keras class, TF1 parameters in positional order with the TF1 default written out
# (None: not written), TF1 parameters dropped because the variable's own dtype decides).
_P = tuple[tuple[str, Optional[str]], ...]
INITIALIZERS: dict[str, tuple[str, _P]] = {
    "tf.random_normal_initializer": ("RandomNormal", (("mean", "0.0"), ("stddev", "1.0"), ("seed", None))),
    "tf.initializers.random_normal": ("RandomNormal", (("mean", "0.0"), ("stddev", "1.0"), ("seed", None))),
    "tf.truncated_normal_initializer": ("TruncatedNormal", (("mean", "0.0"), ("stddev", "1.0"), ("seed", None))),
    "tf.initializers.truncated_normal": ("TruncatedNormal", (("mean", "0.0"), ("stddev", "1.0"), ("seed", None))),
    "tf.random_uniform_initializer": ("RandomUniform", (("minval", "0.0"), ("maxval", "1.0"), ("seed", None))),
    "tf.initializers.random_uniform": ("RandomUniform", (("minval", "0.0"), ("maxval", "1.0"), ("seed", None))),
    "tf.constant_initializer": ("Constant", (("value", "0.0"),)),
    "tf.initializers.constant": ("Constant", (("value", "0.0"),)),
    "tf.zeros_initializer": ("Zeros", ()),
    "tf.initializers.zeros": ("Zeros", ()),
    "tf.ones_initializer": ("Ones", ()),
    "tf.initializers.ones": ("Ones", ()),
    "tf.glorot_uniform_initializer": ("GlorotUniform", (("seed", None),)),
    "tf.initializers.glorot_uniform": ("GlorotUniform", (("seed", None),)),
    "tf.glorot_normal_initializer": ("GlorotNormal", (("seed", None),)),
    "tf.initializers.glorot_normal": ("GlorotNormal", (("seed", None),)),
    "tf.initializers.he_normal": ("HeNormal", (("seed", None),)),
    "tf.initializers.he_uniform": ("HeUniform", (("seed", None),)),
    "tf.initializers.lecun_normal": ("LecunNormal", (("seed", None),)),
    "tf.initializers.lecun_uniform": ("LecunUniform", (("seed", None),)),
    "tf.variance_scaling_initializer": (
        "VarianceScaling",
        (("scale", "1.0"), ("mode", '"fan_in"'), ("distribution", '"truncated_normal"'), ("seed", None)),
    ),
    "tf.initializers.variance_scaling": (
        "VarianceScaling",
        (("scale", "1.0"), ("mode", '"fan_in"'), ("distribution", '"truncated_normal"'), ("seed", None)),
    ),
    "tf.orthogonal_initializer": ("Orthogonal", (("gain", "1.0"), ("seed", None))),
    "tf.initializers.orthogonal": ("Orthogonal", (("gain", "1.0"), ("seed", None))),
    "tf.initializers.identity": ("Identity", (("gain", "1.0"),)),
}
# Parameters TF1 initializers take that Keras initializers do not: the weight's dtype is given to add_weight.
DROPPED = ("dtype", "verify_shape", "partition_info")
# TF1's "normal" distribution meant truncated normal; Keras 3 rejects the old spelling.
_DISTRIBUTIONS = {"normal": "truncated_normal"}

# Initial-value ops of ``tf.Variable(<op>(shape, ...))`` → (Keras initializer, TF1 parameters after shape).
INITIAL_VALUES: dict[str, tuple[str, _P]] = {
    "tf.random_normal": ("RandomNormal", (("mean", "0.0"), ("stddev", "1.0"), ("dtype", None), ("seed", None))),
    "tf.truncated_normal": ("TruncatedNormal", (("mean", "0.0"), ("stddev", "1.0"), ("dtype", None), ("seed", None))),
    "tf.random_uniform": ("RandomUniform", (("minval", "0.0"), ("maxval", "1.0"), ("dtype", None), ("seed", None))),
    "tf.zeros": ("Zeros", (("dtype", None),)),
    "tf.ones": ("Ones", (("dtype", None),)),
}


@dataclasses.dataclass(frozen=True)
class Converted:
    """The TF2 text of an initializer (or regularizer) and, when inexact or kept, why."""

    text: str
    note: Optional[str] = None


@dataclasses.dataclass(frozen=True)
class InitialValue:
    """What ``tf.Variable(initial_value)`` becomes: add_weight's shape, dtype and initializer."""

    shape: Optional[str]
    dtype: Optional[str]
    initializer: str
    needs_value: bool = False  # the value is computed first (``value = tf.convert_to_tensor(...)``)
    note: Optional[str] = None


def initializer(expr: Optional[Expr], tf: str, dtype_is_float: bool = True) -> Converted:
    """``add_weight``'s initializer for a get_variable ``initializer=`` argument (None: TF1's default)."""
    keras = f"{tf}.keras.initializers"
    if expr is None or expr.literal is None:
        # get_variable's default: glorot uniform for floating point, zeros otherwise (as Keras does).
        return Converted(f"{keras}.GlorotUniform()" if dtype_is_float else f"{keras}.Zeros()")
    call = expr.calls[0] if expr.kind == "call" else None
    if call is None:
        if expr.kind == "constant" or expr.kind in ("list", "tuple") and expr.literal is not MISSING:
            # get_variable(initializer=<constant>) gives the value itself (and then no shape).
            return Converted(f"{keras}.Constant({expr.text})")
        return Converted(expr.text)
    name = call.tf_name or ""
    if name.startswith("tf.keras.initializers."):
        return Converted(expr.text)
    if name in INITIALIZERS:
        class_name, params = INITIALIZERS[name]
        return Converted(f"{keras}.{class_name}({_arguments(call, params, _tf1_order(name, params))})")
    if name in ("tf.contrib.layers.xavier_initializer", "tf.contrib.layers.xavier_initializer_conv2d"):
        return _xavier(call, keras)
    if name == "tf.contrib.layers.variance_scaling_initializer":
        return _contrib_variance_scaling(call, keras)
    if call.tf_name is not None:
        return Converted(
            expr.text, f"{name} has no exact Keras initializer: kept as a TF1 initializer (callable by add_weight)"
        )
    # A function of the module (an orthogonal initializer written by hand): add_weight calls it with
    # (shape, dtype=...), which a TF1 ``(shape, dtype, partition_info=None)`` signature accepts.
    return Converted(expr.text)


def regularizer(expr: Optional[Expr], tf: str) -> Optional[Converted]:
    if expr is None or expr.literal is None:
        return None
    call = expr.calls[0] if expr.kind == "call" else None
    name = call.tf_name if call else None
    keras = f"{tf}.keras.regularizers"
    if name == "tf.contrib.layers.l2_regularizer":
        scale = _first(call, "scale")
        return Converted(f"{keras}.L2({half(scale)})") if scale else Converted(expr.text)
    if name == "tf.contrib.layers.l1_regularizer":
        scale = _first(call, "scale")
        return Converted(f"{keras}.L1({scale.text})") if scale else Converted(expr.text)
    if name == "tf.contrib.layers.l1_l2_regularizer":
        bound = bind(call, ("scale_l1", "scale_l2", "scope"))
        l1 = bound["scale_l1"].text if "scale_l1" in bound else "1.0"
        l2 = half(bound["scale_l2"]) if "scale_l2" in bound else "0.5"
        return Converted(f"{keras}.L1L2(l1={l1}, l2={l2})")
    return Converted(expr.text)


def initial_value(expr: Expr, tf: str) -> InitialValue:
    """``tf.Variable(tf.random_normal([784, 10]))`` → shape ``[784, 10]`` and ``RandomNormal(stddev=1.0)``."""
    keras = f"{tf}.keras.initializers"
    call = expr.calls[0] if expr.kind == "call" else None
    name = call.tf_name if call else None
    if call is not None and name in INITIAL_VALUES and call.positional:
        class_name, params = INITIAL_VALUES[name]
        bound = bind(call, ("shape",) + tuple(p for p, _ in params))
        dtype = bound.get("dtype")
        keras_params = tuple(p for p in params if p[0] != "dtype")
        arguments = _arguments(call, keras_params, ("shape",) + tuple(p for p, _ in params))
        return InitialValue(bound["shape"].text, dtype.text if dtype else None, f"{keras}.{class_name}({arguments})")
    if call is not None and name == "tf.constant":
        bound = bind(call, ("value", "dtype", "shape", "name", "verify_shape"))
        value, shape, dtype = bound.get("value"), bound.get("shape"), bound.get("dtype")
        if value is not None and isinstance(value.literal, (int, float)) and not isinstance(value.literal, bool):
            return InitialValue(shape.text if shape else "()", dtype.text if dtype else _literal_dtype(value.literal),
                                f"{keras}.Constant({value.text})")
    if call is not None and name == "tf.fill":
        bound = bind(call, ("dims", "value", "name"))
        if "dims" in bound and "value" in bound:
            return InitialValue(bound["dims"].text, _literal_dtype(bound["value"].literal),
                                f"{keras}.Constant({bound['value'].text})")
    if expr.kind == "constant" and isinstance(expr.literal, (int, float)) and not isinstance(expr.literal, bool):
        return InitialValue("()", _literal_dtype(expr.literal), f"{keras}.Constant({expr.text})")
    return InitialValue(None, None, f"{keras}.Constant(value)", needs_value=True)


def half(scale: Expr) -> str:
    """``s / 2`` written as simply as it can be: ``0.0005`` for a literal ``0.001``."""
    if isinstance(scale.literal, (int, float)) and not isinstance(scale.literal, bool):
        return repr(scale.literal / 2)
    text = scale.text if scale.kind in ("name", "attribute", "call", "subscript") else f"({scale.text})"
    return f"{text} / 2"


def _literal_dtype(value: Any) -> Optional[str]:
    if isinstance(value, bool):
        return '"bool"'
    if isinstance(value, int):
        return '"int32"'
    return None


def _tf1_order(name: str, params: _P) -> tuple[str, ...]:
    """Positional order of the TF1 initializer (its dtype sits where TF1 put it)."""
    order = [p for p, _ in params]
    if name in ("tf.constant_initializer", "tf.initializers.constant"):
        return ("value", "dtype", "verify_shape")
    if name in ("tf.zeros_initializer", "tf.ones_initializer", "tf.initializers.zeros", "tf.initializers.ones"):
        return ("dtype",)
    if name in ("tf.initializers.identity",):
        return ("gain", "dtype")
    return tuple(order) + ("dtype",)


def _arguments(call: Call, params: _P, order: tuple[str, ...]) -> str:
    bound = bind(call, order)
    parts = []
    for param, default in params:
        given = bound.get(param)
        if given is not None and given.literal is not None:
            text = given.text
            if param == "distribution" and isinstance(given.literal, str):
                text = '"' + _DISTRIBUTIONS.get(given.literal, given.literal) + '"'
            parts.append(f"{param}={text}")
        elif default is not None:
            parts.append(f"{param}={default}")
    return ", ".join(parts)


def _first(call: Call, name: str) -> Optional[Expr]:
    if call.positional:
        return call.positional[0].value
    arg = call.keyword(name)
    return arg.value if arg else None


def _xavier(call: Call, keras: str) -> Converted:
    bound = bind(call, ("uniform", "seed", "dtype"))
    uniform = bound.get("uniform")
    seed = f"seed={bound['seed'].text}" if "seed" in bound else ""
    if uniform is None or uniform.literal is True:
        return Converted(f"{keras}.GlorotUniform({seed})")
    if uniform.literal is False:
        return Converted(
            f'{keras}.VarianceScaling(scale=1.0, mode="fan_avg", distribution="truncated_normal"{", " + seed if seed else ""})',
            "xavier_initializer(uniform=False) draws a truncated normal with stddev sqrt(1.3 / fan_avg); "
            "Keras corrects the truncation, so the realized stddev is 0.29 % lower",
        )
    return Converted(call_text(call), "xavier_initializer with a computed `uniform` is kept as a TF1 initializer")


def _contrib_variance_scaling(call: Call, keras: str) -> Converted:
    bound = bind(call, ("factor", "mode", "uniform", "seed", "dtype"))
    factor = bound["factor"].text if "factor" in bound else "2.0"
    mode_expr = bound.get("mode")
    if mode_expr is None:
        mode = '"fan_in"'
    elif isinstance(mode_expr.literal, str):
        mode = '"' + mode_expr.literal.lower() + '"'
    else:
        mode = f"({mode_expr.text}).lower()"
    uniform = bound.get("uniform")
    if uniform is not None and uniform.literal is True:
        return Converted(f'{keras}.VarianceScaling(scale={factor}, mode={mode}, distribution="uniform")')
    if uniform is None or uniform.literal is False:
        return Converted(
            f'{keras}.VarianceScaling(scale={factor}, mode={mode}, distribution="truncated_normal")',
            "contrib variance_scaling_initializer draws a truncated normal with stddev sqrt(1.3 * factor / n); "
            "Keras corrects the truncation, so the realized stddev is 0.29 % lower",
        )
    return Converted(call_text(call), "variance_scaling_initializer with a computed `uniform` is kept as a TF1 initializer")


def call_text(call: Call) -> str:
    return call.func.text + "(" + ", ".join(_arg_text(a) for a in call.args) + ")"


def _arg_text(arg) -> str:
    prefix = arg.star or (f"{arg.keyword}=" if arg.keyword else "")
    return prefix + arg.value.text
