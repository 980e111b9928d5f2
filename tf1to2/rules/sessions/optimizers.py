"""TF1 optimizers → Keras optimizers with TF1's exact hyperparameters (NUMERICS.md, "Optimizers").

The table is the catalog's (``tf1to2.catalog.optimizers``): each TF1 signature in positional order with
TF1's defaults, the Keras class and keywords, the parameters written even when the TF1 call leaves them
out because Keras' default differs (Adam's epsilon 1e-8 instead of 1e-7, ...). This module binds one TF1
call to it, as the sessions pass writes it:

- decay rates (Adam's betas, RMSProp's and Adadelta's rho: the record's ``float32``) are written as their
  float32 values: TF1 computes ``1 - beta`` in float32, Keras in Python floats, and the two differ by up to
  1.3e-5 relative (``1 - 0.999``), which moves Adam's losses by about 1e-5 within 40 steps. With the
  float32 values the first steps are bit-identical to TF1;
- only what changes the numbers is written: no ``name``, no parameter whose TF1 default is Keras' own;
- RMSProp's slot starting at 1.0 (the catalog's ``after_build``) is a generated subclass,
  ``RMSpropFromOne`` (``templates.RMSPROP_FROM_ONE``), since the step functions build the optimizer
  lazily;
- an optimizer Keras cannot reproduce (no Keras class, an argument with no Keras counterpart) is kept as
  the ``tf.compat.v1.train`` optimizer, which also runs eagerly: ``kind == "compat"``.
"""
from __future__ import annotations

import ast
import dataclasses
import struct
from typing import Optional

from tf1to2.catalog import optimizers as catalog
from tf1to2.catalog.records import REQUIRED, Role

# The subclass that starts RMSProp's slot at 1.0 (the catalog's after_build, done at build time).
FROM_ONE = "RMSpropFromOne"


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
    record = catalog.lookup(api)
    if record is None or record.keras_class is None:
        return Converted("compat", reason=f"{api} has no exact Keras counterpart; the TF1 optimizer runs eagerly")
    names = tuple(p.tf1 for p in record.params)
    values: dict[str, str] = {}
    for position, (keyword, text) in enumerate(args):
        if keyword is None and text.startswith("*"):
            return Converted("compat", reason=f"{api}(*args) cannot be bound to its parameters")
        name = keyword if keyword is not None else (names[position] if position < len(names) else None)
        if name not in names:
            return Converted("compat", reason=f"{api} argument {keyword or position} is not converted")
        values[name] = text
    keywords: list[tuple[str, str]] = []
    for param in record.params:
        given = values.get(param.tf1)
        if given is None and param.default == REQUIRED:
            return Converted("compat", reason=f"{api} is missing its {param.tf1} argument")
        if param.role is Role.IGNORED:  # use_locking & co.: no effect on the numbers at their default only
            if given is not None and given.strip() != param.default:
                return Converted("compat", reason=f"{api}({param.tf1}={given}) has no Keras counterpart")
            continue
        if param.keras is None or param.tf1 == "name":  # Keras names its optimizer itself
            continue
        written = param.explicit and param.tf1 not in record.same_default
        value = given if given is not None else (param.default if written else None)
        if value is None:
            continue
        keywords.append((param.keras, float32_literal(value) if param.tf1 in record.float32 else value))
    keywords.extend(record.fixed)
    helper = FROM_ONE if record.after_build else None
    return Converted(
        "keras", keras_class=helper or record.keras_class, keywords=tuple(keywords), helper=helper,
        learning_rate=values.get("learning_rate", None if "learning_rate" not in names else record.params[0].default),
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
