"""``tf.layers.Dense(...)`` and the other class forms → the Keras layer; ``layer.apply(x)`` → ``layer(x)``.

Before:
    class Policy:
        def __init__(self):
            self.hidden = tf.layers.Dense(64, tf.nn.tanh)
            self.out = tf.layers.Dense(2, name="logits")

        def __call__(self, x):
            return self.out.apply(self.hidden(x))

After:
    class Policy:
        def __init__(self):
            self.hidden = tf.keras.layers.Dense(units=64, activation=tf.nn.tanh)
            self.out = tf.keras.layers.Dense(units=2, name="logits")

        def __call__(self, x):
            return self.out(self.hidden(x))

A TF1 layer object is constructed once wherever it is written, like a Keras layer, so the class forms
convert in place (in functions and methods too), with the arguments mapped by the layer catalog.
``.apply`` (TF1's alias of calling the layer, absent from Keras 3) is dropped on the names the
converted constructions were assigned to.

Caveats:
    An unnamed TF1 layer object takes its variable scope at its first call (``dense``, ``dense_1`` in the
    scope it is called in); Keras names it at construction (``dense``, ``dense_1`` in construction order).
    Give the layer a ``name`` where checkpoint names matter. ``.apply`` is recognized only on the very
    expression the construction was assigned to (``self.out``, ``layer``).
"""
from __future__ import annotations

from typing import Iterator

from tf1to2.analysis import syntax
from tf1to2.analysis.module import ModuleContext
from tf1to2.catalog import layers
from tf1to2.catalog.resolve import resolver
from tf1to2.diagnostics import Severity
from tf1to2.rewrite.edits import Edit
from tf1to2.rules import api_names
from tf1to2.rules.base import Finding

CODE = "TF471"
SUMMARY = "tf.layers class (tf.layers.Dense, ...) → the Keras layer class; .apply(x) → a call"
SEVERITY = Severity.INFO


def check(module: ModuleContext) -> Iterator[Finding]:
    tf = api_names.tf_alias(module)
    if tf is None:
        return
    ir = syntax.build(module)
    resolve = resolver(module.imports)
    instances: set[str] = set()
    for stmt in ir.walk():
        for call in stmt.calls():
            record = layers.lookup(call.tf_name)
            if record is None or not record.is_class:
                continue
            line, col = _position(module, call.start)
            layer = layers.keras_constructor(record, call, tf=tf, resolve=resolve)
            if layer.unmapped:
                reasons = "; ".join(f"{u.param}: {u.reason}" for u in layer.unmapped)
                yield Finding("TF472", line, col, f"{record.api} is not converted to a Keras layer: {reasons}",
                              severity=Severity.WARNING)
                continue
            if stmt.kind == "assign" and stmt.value is not None and (stmt.value.start, stmt.value.end) == (
                    call.start, call.end):
                instances.update(target.text for target in stmt.target_exprs)
            message = f"{record.api} → tf.keras.layers.{record.keras_class}" + "".join(f"; {n}" for n in layer.notes)
            severity = Severity.INFO if layer.exact else Severity.WARNING
            yield Finding(CODE, line, col, message, (Edit(call.start, call.end, layer.code),), severity=severity)
    yield from _apply_calls(module, ir, instances)


def _apply_calls(module: ModuleContext, ir: syntax.ModuleIR, instances: set[str]) -> Iterator[Finding]:
    for stmt in ir.walk():
        for call in stmt.calls():
            if call.method != "apply" or call.func.kind != "attribute":
                continue
            base = call.func.text[: -len(".apply")].rstrip()
            if base not in instances:
                continue
            dot = call.func.start + len(base)
            line, col = _position(module, call.start)
            yield Finding(CODE, line, col, f"{base}.apply(...) → {base}(...): Keras layers are called directly",
                          (Edit(dot, call.func.end, ""),))


def _position(module: ModuleContext, offset: int) -> tuple[int, int]:
    line = module.lines.line_of(offset)
    return line, offset - module.lines.starts[line - 1]
