"""TF1 weight regularizers and the Keras regularizers that add the same loss.

TF1's ``l2_regularizer(scale)`` adds ``scale * tf.nn.l2_loss(w) = scale * sum(w ** 2) / 2``; Keras'
``L2(l2)`` adds ``l2 * sum(w ** 2)``: the exact conversion is ``L2(l2=scale / 2)``.
"""
from __future__ import annotations

import dataclasses
from typing import Any, Optional

from tf1to2.catalog.args import arguments_of, bind, literal, operand
from tf1to2.catalog.initializers import Rendered
from tf1to2.catalog.params import apply, call_text
from tf1to2.catalog.records import REQUIRED, Param, Role


@dataclasses.dataclass(frozen=True)
class RegularizerRecord:
    api: str
    keras_class: str  # under ``tf.keras.regularizers``
    params: tuple[Param, ...]
    halved: tuple[str, ...] = ()  # Keras keywords that take half the TF1 value (l2 terms)


def _scope() -> Param:
    return Param("scope", None, "None", Role.IGNORED)


_RECORDS = [
    RegularizerRecord("tf.contrib.layers.l1_regularizer", "L1", (Param("scale", "l1", REQUIRED), _scope())),
    RegularizerRecord("tf.contrib.layers.l2_regularizer", "L2", (Param("scale", "l2", REQUIRED), _scope()), ("l2",)),
    RegularizerRecord("tf.contrib.layers.l1_l2_regularizer", "L1L2",
                      (Param("scale_l1", "l1", "1.0", explicit=True), Param("scale_l2", "l2", "1.0", explicit=True),
                       _scope()), ("l2",)),
]
RECORDS: dict[str, RegularizerRecord] = {r.api: r for r in _RECORDS}
ALIASES = {f"tf.contrib.slim.{r.api.rsplit('.', 1)[1]}": r.api for r in _RECORDS}


def lookup(api: Optional[str]) -> Optional[RegularizerRecord]:
    if api is None:
        return None
    return RECORDS.get(ALIASES.get(api, api))


def half(text: str) -> str:
    value = literal(text)
    if isinstance(value, (int, float)) and not isinstance(value, bool):
        return repr(value / 2)
    return f"{operand(text)} / 2"


def render(record: RegularizerRecord, call_args: Any = (), *, tf: str = "tf") -> Rendered:
    bound = bind([p.tf1 for p in record.params], arguments_of(call_args))
    out = apply(record.params, bound, record.api)
    for keyword in record.halved:
        if keyword in out.keywords:
            out.keywords[keyword] = half(out.keywords[keyword])
    return Rendered(call_text(f"{tf}.keras.regularizers.{record.keras_class}", out.keywords),
                    tuple(out.unmapped), tuple(out.notes))
