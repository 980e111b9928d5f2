"""Keyword renames, positional reorders, and argument-dependent fallbacks of TF1 calls.

Before:
    tf.reduce_sum(x, 1, keep_dims=True)
    tf.nn.conv2d(x, w, [1, 1, 1, 1], "SAME", use_cudnn_on_gpu=True)
    tf.zeros_like(x, optimize=False)

After:
    tf.reduce_sum(x, 1, keepdims=True)
    tf.nn.conv2d(x, filters=w, strides=[1, 1, 1, 1], padding="SAME")
    tf.compat.v1.zeros_like(x, optimize=False)

Caveats:
    Tables come from tf_upgrade_v2 (``function_keyword_renames``, ``function_reorders``, the
    ``_rename_if_arg_found`` and ``_add_argument`` transformers). Positional arguments whose meaning
    moved are passed by keyword from the first moved one on. Method tables (``*.minimize``) apply to
    any object's method of that name. With ``*args`` or ``**kwargs`` the hidden arguments cannot be
    checked: the call gets a warning. When TF2 rejects an argument value (TF428), the whole call goes
    to ``tf.compat.v1``, which keeps the TF1 signature.
"""
from __future__ import annotations

from typing import Iterator, Optional

import gast

from tf1to2.analysis.module import ModuleContext
from tf1to2.diagnostics import Severity
from tf1to2.rewrite.edits import Edit
from tf1to2.rules import api_arguments_plan as plan
from tf1to2.rules import api_names, api_tables
from tf1to2.rules.base import Finding

CODES = {
    "TF416": "keyword arguments renamed or removed, positional arguments passed by keyword",
    "TF428": "call moved to tf.compat.v1 (or given an argument) because of an argument TF2 treats differently",
}
SEVERITY = Severity.INFO


def check(module: ModuleContext) -> Iterator[Finding]:
    for node in api_names.nodes(module):
        if not isinstance(node, gast.Call):
            continue
        name = api_names.call_name(module, node)
        method = node.func.attr if isinstance(node.func, gast.Attribute) else None
        if name is None and method is None:
            continue
        finding = _fallback(module, node, name) if name else None
        if finding is not None:
            yield finding
            continue
        result = plan.upgrade(module, node, name.api if name else None, method)
        if result is None:
            continue
        line, col = module.position(node)
        severity = Severity.WARNING if result.needs_check else Severity.INFO
        yield Finding(result.code, line, col, result.message, tuple(result.edits), severity)


def _fallback(module: ModuleContext, call: gast.Call, name: api_names.TFName) -> Optional[Finding]:
    """``tf.zeros_like(x, optimize=False)``: TF2 would ignore the argument; compat.v1 honours it."""
    rule = api_tables.arguments()["compat_unless_argument"].get(name.api)
    if rule is None:
        return None
    found = plan.find(module, call, rule["argument"], rule["position"])
    if found is None or plan.accepted(found.value, rule["accepted"]):
        return None
    line, col = module.position(call)
    text = api_names.spell(module, name.binding, "tf.compat.v1." + name.api[len("tf."):])
    edits = (Edit(*module.span(call.func), text),) if text else ()
    return Finding("TF428", line, col, f"{name.api} → tf.compat.v1: {rule['message']}", edits)
