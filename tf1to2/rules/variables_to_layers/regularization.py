"""``tf.losses.get_regularization_loss()`` → the sum of the converted layers' ``losses`` (TF435).

TF1 adds every regularizer's loss to a graph collection; Keras keeps them on the layers that own the
weights (``layer.losses``, nested layers included). Once the module's variables are all converted, the
collection is exactly the losses of the module's layer instances created so far::

    loss = xent + tf.losses.get_regularization_loss()    →    loss = xent + sum(model.losses)
    tf.get_collection(tf.GraphKeys.REGULARIZATION_LOSSES) →    model.losses

A ``scope`` argument keeps the layers whose TF1 scope it matches (TF1 matches names with ``re.match``).
When variables remain that no layer holds, the call is left alone and reported.
"""
from __future__ import annotations

import dataclasses
import re
from typing import Iterator, Optional

from tf1to2.analysis.scopes import bind
from tf1to2.analysis.syntax import Call
from tf1to2.rewrite.edits import Edit

LOSS_CALLS = ("tf.losses.get_regularization_loss", "tf.losses.get_regularization_losses")
_COLLECTION = "tf.GraphKeys.REGULARIZATION_LOSSES"


@dataclasses.dataclass(frozen=True)
class Layer:
    variable: str  # how module code reaches it
    scope: Optional[str]  # its TF1 scope, when it has one
    created_at: int


@dataclasses.dataclass(frozen=True)
class Replacement:
    call: Call
    edit: Optional[Edit]
    message: str


def replacements(plan, layers: list[Layer], complete: Optional[str]) -> Iterator[Replacement]:
    """Every module-level regularization-loss query, and its replacement (None when it cannot be made).

    ``complete`` is None when every variable of the module is held by a layer, else the reason why not.
    """
    for stmt in _module_statements(plan.graph.module.body):
        for call in stmt.calls():
            kind = _kind(call)
            if kind is None:
                continue
            if complete is not None:
                yield Replacement(call, None, f"{call.func.text}() kept: {complete}")
                continue
            scope = _scope_argument(call, kind)
            if scope is False:
                yield Replacement(call, None, f"{call.func.text}() kept: its scope is computed at run time")
                continue
            chosen = [l for l in layers if l.created_at < call.start and (scope is None or _matches(scope, l.scope))]
            losses = " + ".join(f"{l.variable}.losses" for l in chosen) or "[]"
            text = f"sum({losses})" if kind == "sum" else losses
            names = ", ".join(f"`{l.variable}`" for l in chosen) or "no layer"
            yield Replacement(
                call,
                Edit(call.start, call.end, text),
                f"{call.func.text}() → the regularization losses of {names} (Keras keeps them on the layers)",
            )


def _kind(call: Call) -> Optional[str]:
    if call.tf_name == "tf.losses.get_regularization_loss":
        return "sum"
    if call.tf_name == "tf.losses.get_regularization_losses":
        return "list"
    if call.tf_name == "tf.get_collection" and call.positional and call.positional[0].value.tf_name == _COLLECTION:
        return "list"
    return None


def _scope_argument(call: Call, kind: str):
    """The scope filter: None (all), a string, or False when it is not a literal."""
    params = ("scope", "name") if call.tf_name != "tf.get_collection" else ("key", "scope")
    value = bind(call, params).get("scope")
    if value is None or value.literal is None:
        return None
    return value.literal if isinstance(value.literal, str) else False


def _matches(pattern: str, scope: Optional[str]) -> bool:
    return scope is not None and re.match(pattern, scope) is not None


def _module_statements(body):
    for stmt in body:
        if stmt.kind in ("def", "class"):
            continue
        yield stmt
        yield from _module_statements(list(stmt.children()))
