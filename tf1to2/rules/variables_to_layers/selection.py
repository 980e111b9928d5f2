"""Variables selected by name → the matching layers' variables (TF434).

TF1 code picks variables for an optimizer by their scoped names::

    t_vars = tf.trainable_variables()
    d_vars = [var for var in t_vars if 'd_' in var.name]
    g_vars = tf.trainable_variables(scope="generator")

Keras 3 names a variable by its short name (``variable.path`` holds the scoped one), so the same
comprehension over ``model.trainable_variables`` would silently select nothing. The converter knows the
TF1 name of every weight of the module's layers, evaluates the selection on those names, and writes the
result in terms of the layers: ``discriminator.trainable_variables`` when whole layers match, their
weights one by one otherwise. When the module still holds variables no layer does, or the condition is
not a test of the name, the code is left alone and reported.
"""
from __future__ import annotations

import dataclasses
import re
from typing import Iterator, Optional

from tf1to2.analysis.scopes import bind
from tf1to2.analysis.syntax import Call, Expr, Stmt
from tf1to2.manifest import Weight
from tf1to2.rewrite.edits import Edit

_SOURCES = {
    "tf.trainable_variables": True,
    "tf.global_variables": False,
    "tf.all_variables": False,
    "tf.model_variables": False,
}
_COLLECTIONS = {"tf.GraphKeys.TRAINABLE_VARIABLES": True, "tf.GraphKeys.GLOBAL_VARIABLES": False}


@dataclasses.dataclass(frozen=True)
class ModuleLayer:
    variable: str
    weights: tuple[Weight, ...]  # attributes relative to the module (``discriminator.d_h0_conv.w``)
    created_at: int


@dataclasses.dataclass(frozen=True)
class Selection:
    start: int
    end: int
    edit: Optional[Edit]
    message: str


class Selector:
    def __init__(self, statements: list[Stmt], layers: list[ModuleLayer], complete: Optional[str]) -> None:
        self.layers = layers
        self.complete = complete
        self.statements = statements
        self.bound: dict[str, tuple[bool, Optional[str], int]] = {}  # name → (trainable, scope, position)

    def selections(self) -> Iterator[Selection]:
        for stmt in self.statements:
            for expr in stmt.exprs:
                yield from self._in_expr(stmt, expr)

    def _in_expr(self, stmt: Stmt, expr: Expr) -> Iterator[Selection]:
        comprehension = expr.comprehension
        if comprehension is not None:
            source = self._source(comprehension.iterable)
            if source is not None:
                yield self._select(expr.start, expr.end, source, comprehension.predicate, expr.text)
                return
        for call in expr.calls:
            source = _source_of_call(call)
            if source is None or any(c.start <= call.start < c.end for c in expr.calls if c is not call and c.start < call.start):
                continue
            if stmt.kind == "assign" and len(stmt.targets) == 1 and stmt.value is not None and stmt.value.start == call.start:
                self.bound[stmt.targets[0]] = source + (call.start,)
            yield self._select(call.start, call.end, source, ("true",), call.func.text + "()")

    def _source(self, iterable: Expr) -> Optional[tuple[bool, Optional[str]]]:
        if iterable.kind == "call" and iterable.calls:
            return _source_of_call(iterable.calls[0])
        if iterable.kind == "name" and iterable.name in self.bound:
            trainable, scope, _ = self.bound[iterable.name]
            return trainable, scope
        return None

    def _select(self, start: int, end: int, source, predicate: tuple, what: str) -> Selection:
        if source[1] is False:
            return Selection(start, end, None, f"`{what}` kept: its scope is computed at run time")
        if self.complete is not None:
            return Selection(start, end, None, f"`{what}` kept: {self.complete}")
        trainable, scope = source
        layers = [l for l in self.layers if l.created_at < start]
        chosen: list[tuple[ModuleLayer, list[Weight]]] = []
        for layer in layers:
            pool = [w for w in layer.weights if w.trainable or not trainable]
            picked = []
            for weight in pool:
                verdict = _matches(weight, scope, predicate)
                if verdict is None:
                    return Selection(start, end, None, f"`{what}` kept: the condition is not a test of the variable's name")
                if verdict:
                    picked.append(weight)
            if picked:
                chosen.append((layer, picked if len(picked) < len(pool) else []))
        parts = []
        for layer, picked in chosen:
            if not picked:
                parts.append(f"{layer.variable}.{'trainable_variables' if trainable else 'weights'}")
            else:
                parts.append("[" + ", ".join(w.attribute for w in picked) + "]")
        text = " + ".join(parts) if parts else "[]"
        names = ", ".join(f"`{layer.variable}`" for layer, _ in chosen) or "no layer"
        return Selection(start, end, Edit(start, end, text), f"`{_short(what)}` → the variables of {names}, matched by their TF1 names")


def _source_of_call(call: Call) -> Optional[tuple]:
    """(trainable only?, scope pattern or None; False when the scope is not a literal) of a variable query."""
    if call.tf_name in _SOURCES:
        value = bind(call, ("scope",)).get("scope")
        return _SOURCES[call.tf_name], _scope(value)
    if call.tf_name == "tf.get_collection" and call.positional:
        key = call.positional[0].value.tf_name
        if key in _COLLECTIONS:
            value = bind(call, ("key", "scope")).get("scope")
            return _COLLECTIONS[key], _scope(value)
    return None


def _scope(value: Optional[Expr]):
    if value is None or value.literal is None:
        return None
    return value.literal if isinstance(value.literal, str) else False


def _matches(weight: Weight, scope: Optional[str], predicate: tuple) -> Optional[bool]:
    """Whether TF1 would select this variable; None when the condition cannot be decided from names."""
    names = [weight.tf1_name]
    if weight.repeat:
        # One entry stands for a list: the answer must not depend on the index.
        names = [weight.tf1_name.replace("{" + field + "}", digit) for digit in "0179" for field in weight.repeat.split(",")]
    verdicts = set()
    for name in names:
        if scope is not None and re.match(scope, name) is None:
            verdicts.add(False)
            continue
        verdicts.add(_evaluate(predicate, name + ":0"))
    if None in verdicts or len(verdicts) > 1:
        return None
    return verdicts.pop()


def _evaluate(predicate: tuple, name: str) -> Optional[bool]:
    kind = predicate[0]
    if kind == "true":
        return True
    if kind == "contains":
        return predicate[1] in name
    if kind == "startswith":
        return name.startswith(predicate[1])
    if kind == "endswith":
        return name.endswith(predicate[1])
    if kind == "not":
        inner = _evaluate(predicate[1], name)
        return None if inner is None else not inner
    if kind in ("and", "or"):
        values = [_evaluate(p, name) for p in predicate[1]]
        if None in values:
            return None
        return all(values) if kind == "and" else any(values)
    return None


def _short(text: str) -> str:
    text = " ".join(text.split())
    return text if len(text) <= 60 else text[:57] + "..."
