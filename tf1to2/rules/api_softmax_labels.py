"""TF1's ``tf.nn.softmax_cross_entropy_with_logits`` did not backpropagate into labels; TF2's does.

Before:
    loss = tf.nn.softmax_cross_entropy_with_logits(labels=y, logits=z)

After:
    loss = tf.nn.softmax_cross_entropy_with_logits(labels=tf.stop_gradient(y), logits=z)

Caveats:
    Labels already wrapped in ``stop_gradient`` are left alone. In a module with no TF1-only API the
    call is taken as TF2 code and only reported. TF1's ``..._with_logits_v2`` (which did
    backpropagate into labels) is not touched by this rule: TF410 keeps it as
    ``tf.compat.v1.nn.softmax_cross_entropy_with_logits_v2``. A first positional argument is taken as the
    labels, as tf_upgrade_v2's reorder table (and TF416) does.
"""
from __future__ import annotations

from typing import Iterator

import gast

from tf1to2.analysis.module import ModuleContext
from tf1to2.diagnostics import Severity
from tf1to2.rewrite.edits import Edit
from tf1to2.rules import api_calls, api_names
from tf1to2.rules.base import Finding

CODE = "TF426"
SUMMARY = "softmax_cross_entropy_with_logits labels wrapped in tf.stop_gradient (TF1 did not backpropagate into them)"
SEVERITY = Severity.INFO
FUNCTION = "tf.nn.softmax_cross_entropy_with_logits"


def check(module: ModuleContext) -> Iterator[Finding]:
    for call, name in api_names.tf_calls(module):
        if name.api != FUNCTION:
            continue
        labels = api_calls.argument(api_calls.arguments(module, call), "labels", 0)
        if labels is None or _stops_gradient(module, labels.value):
            continue
        line, col = module.position(call)
        stop = api_names.spell(module, name.binding, "tf.stop_gradient")
        if stop is None or not api_names.looks_like_tf1(module):
            why = "no tensorflow alias to write it with" if stop is None else "no TF1-only API here: taken as TF2 code"
            message = f"{FUNCTION}: if this is TF1 code, wrap labels in tf.stop_gradient to keep its gradients ({why})"
            yield Finding(CODE, line, col, message, severity=Severity.WARNING)
            continue
        start, end = module.span(labels.value)
        edits = (Edit(start, start, f"{stop}("), Edit(end, end, ")"))
        yield Finding(CODE, line, col, f"{FUNCTION}: labels wrapped in tf.stop_gradient (TF1 did not backpropagate into labels)", edits)


def _stops_gradient(module: ModuleContext, node: gast.AST) -> bool:
    return isinstance(node, gast.Call) and isinstance(node.func, (gast.Name, gast.Attribute)) and (
        (module.imports.qualified_name(node.func) or "").endswith("stop_gradient")
    )
