"""TF1 optimizers → Keras optimizers with TF1's exact hyperparameters (NUMERICS.md, "Optimizers").

The layer catalog (``tf1to2/catalog``) describes layers, not optimizers, so the table lives here. Each
entry names the TF1 signature in positional order with TF1's defaults, the Keras class, and the Keras
keywords that must be written even when the TF1 call leaves them out because Keras' default differs
(Adam's epsilon 1e-8 instead of 1e-7, ...). An optimizer Keras cannot reproduce exactly is kept as the
``tf.compat.v1.train`` optimizer, which also runs eagerly: ``kind == "compat"``.

Decay rates (Adam's betas, RMSProp's and Adadelta's rho) are written as their float32 values: TF1
computes ``1 - beta`` in float32, Keras in Python floats, and the two differ by up to 1.3e-5 relative
(``1 - 0.999``), which moves Adam's losses by about 1e-5 within 40 steps. With the float32 values the first
steps are bit-identical to TF1.
"""
from __future__ import annotations

import ast
import dataclasses
import struct
from typing import Optional

REQUIRED = "<required>"


@dataclasses.dataclass(frozen=True)
class Param:
    tf1: str
    keras: Optional[str]  # None: no Keras counterpart (dropped when it has no effect on the numbers)
    default: str = REQUIRED
    write_default: bool = False  # Keras' default differs: always write TF1's value
    neutral: tuple[str, ...] = ()  # values of a dropped parameter that change nothing
    float32: bool = False  # a decay rate: written as its float32 value (see the module docstring)


@dataclasses.dataclass(frozen=True)
class OptimizerRecord:
    tf1: str  # tf.train.AdamOptimizer
    keras: str  # Adam
    params: tuple[Param, ...]
    helper: Optional[str] = None  # a generated subclass that reproduces TF1 (see templates.RMSPROP_FROM_ONE)
    note: str = ""

    @property
    def parameter_names(self) -> tuple[str, ...]:
        return tuple(p.tf1 for p in self.params)


_LOCKING = Param("use_locking", None, "False", neutral=("False",))
_NAME = Param("name", None, "None")

RECORDS = {
    record.tf1: record
    for record in (
        OptimizerRecord("tf.train.GradientDescentOptimizer", "SGD", (
            Param("learning_rate", "learning_rate"), _LOCKING, _NAME,
        )),
        OptimizerRecord("tf.train.AdamOptimizer", "Adam", (
            Param("learning_rate", "learning_rate", "0.001", write_default=True),
            Param("beta1", "beta_1", "0.9", write_default=True, float32=True),
            Param("beta2", "beta_2", "0.999", write_default=True, float32=True),
            Param("epsilon", "epsilon", "1e-08", write_default=True), _LOCKING, _NAME,
        ), note="epsilon 1e-8 as in TF1 (Keras' default is 1e-7)"),
        OptimizerRecord("tf.train.MomentumOptimizer", "SGD", (
            Param("learning_rate", "learning_rate"), Param("momentum", "momentum"), _LOCKING, _NAME,
            Param("use_nesterov", "nesterov", "False"),
        ), note="identical to TF1 while the learning rate is constant"),
        OptimizerRecord("tf.train.RMSPropOptimizer", "RMSprop", (
            Param("learning_rate", "learning_rate"), Param("decay", "rho", "0.9", write_default=True, float32=True),
            Param("momentum", "momentum", "0.0"), Param("epsilon", "epsilon", "1e-10", write_default=True),
            _LOCKING, Param("centered", "centered", "False"), _NAME,
        ), helper="RMSpropFromOne",
            note="epsilon 1e-10 and the mean-square slot starting at 1.0, as in TF1"),
        OptimizerRecord("tf.train.AdagradOptimizer", "Adagrad", (
            Param("learning_rate", "learning_rate"),
            Param("initial_accumulator_value", "initial_accumulator_value", "0.1", write_default=True),
            _LOCKING, _NAME,
        ), note="epsilon 0 as in TF1, which adds none"),
        OptimizerRecord("tf.train.AdadeltaOptimizer", "Adadelta", (
            Param("learning_rate", "learning_rate", "0.001", write_default=True),
            Param("rho", "rho", "0.95", write_default=True, float32=True),
            Param("epsilon", "epsilon", "1e-08", write_default=True), _LOCKING, _NAME,
        ), note="epsilon 1e-8 as in TF1 (Keras' default is 1e-7)"),
    )
}
# Keras keywords with no TF1 parameter that must be written to match TF1.
FIXED = {"tf.train.AdagradOptimizer": (("epsilon", "0.0"),)}


@dataclasses.dataclass(frozen=True)
class Converted:
    """How one TF1 optimizer construction is written in Keras, or why it is kept (``reason``)."""

    kind: str  # "keras" or "compat"
    keras_class: str = ""  # Adam, SGD, or a helper class name
    keywords: tuple[tuple[str, str], ...] = ()
    helper: Optional[str] = None
    learning_rate: Optional[str] = None  # source text of the TF1 learning rate
    note: str = ""
    reason: str = ""


def convert(api: str, args: tuple[tuple[Optional[str], str], ...]) -> Converted:
    """Bind the TF1 call's arguments and render the Keras keywords, or say why it stays TF1."""
    record = RECORDS.get(api)
    if record is None:
        return Converted("compat", reason=f"{api} has no exact Keras counterpart; the TF1 optimizer runs eagerly")
    values: dict[str, str] = {}
    for position, (keyword, text) in enumerate(args):
        if keyword is None and text.startswith("*"):
            return Converted("compat", reason=f"{api}(*args) cannot be bound to its parameters")
        name = keyword if keyword is not None else (
            record.parameter_names[position] if position < len(record.params) else None
        )
        if name not in record.parameter_names:
            return Converted("compat", reason=f"{api} argument {keyword or position} is not converted")
        values[name] = text
    keywords: list[tuple[str, str]] = []
    for param in record.params:
        given = values.get(param.tf1)
        if given is None and param.default == REQUIRED:
            return Converted("compat", reason=f"{api} is missing its {param.tf1} argument")
        if param.keras is None:
            if given is not None and param.neutral and given.strip() not in param.neutral:
                return Converted("compat", reason=f"{api}({param.tf1}={given}) has no Keras counterpart")
            continue
        value = given if given is not None else (param.default if param.write_default else None)
        if value is None:
            continue
        keywords.append((param.keras, float32_literal(value) if param.float32 else value))
    keywords.extend(FIXED.get(api, ()))
    keras_class = record.helper or record.keras
    return Converted(
        "keras", keras_class=keras_class, keywords=tuple(keywords), helper=record.helper,
        learning_rate=values.get("learning_rate", None if "learning_rate" not in record.parameter_names
                                 else record.params[0].default),
        note=record.note,
    )


def float32_literal(text: str) -> str:
    """A number literal as the float32 value TF1 computes with (``0.9`` → ``0.8999999761581421``)."""
    try:
        value = ast.literal_eval(text.strip())
    except (ValueError, SyntaxError):
        return text  # an expression: written as it is
    if isinstance(value, bool) or not isinstance(value, (int, float)):
        return text
    rounded = struct.unpack("f", struct.pack("f", float(value)))[0]
    return text if rounded == value else repr(rounded)
