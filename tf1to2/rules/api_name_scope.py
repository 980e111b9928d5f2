"""``tf.name_scope(name, default_name, values)`` becomes TF2's ``tf.name_scope(name)``.

Before:
    with tf.name_scope(None, "block", [x]):
    with tf.name_scope("block", values=[x]):
    with tf.name_scope(scope):

After:
    with tf.name_scope("block"):
    with tf.name_scope("block"):
    with tf.compat.v1.name_scope(scope):

Caveats:
    TF2's name_scope takes a name only: ``values`` (graph selection) is dropped, ``default_name`` becomes
    the name when no name is given. A name that is not a string literal could be ``None`` or an open
    scope, and a literal ending in "/" re-enters a scope: both only work with ``tf.compat.v1.name_scope``,
    which they get (in a module with TF1-only API; otherwise the call is taken as TF2 code). A plain
    string name is TF2 already and is not reported.
"""
from __future__ import annotations

from typing import Iterator

import gast

from tf1to2.analysis.module import ModuleContext
from tf1to2.diagnostics import Severity
from tf1to2.rewrite.edits import Edit
from tf1to2.rules import api_calls, api_names
from tf1to2.rules.base import Finding

CODE = "TF427"
SUMMARY = "tf.name_scope(name, default_name, values) rewritten to TF2's tf.name_scope(name)"
SEVERITY = Severity.INFO


def check(module: ModuleContext) -> Iterator[Finding]:
    for call, name in api_names.tf_calls(module):
        if name.api != "tf.name_scope":
            continue
        args = api_calls.arguments(module, call)
        scope = api_calls.argument(args, "name", 0)
        default = api_calls.argument(args, "default_name", 1)
        values = api_calls.argument(args, "values", 2)
        line, col = module.position(call)
        named = scope is not None and not _is_none(scope.value)
        if (named and not _plain_string(scope.value) or api_calls.has_unpacking(args)) and api_names.looks_like_tf1(module):
            text = api_names.spell(module, name.binding, "tf.compat.v1.name_scope")
            edits = (Edit(*module.span(call.func), text),) if text else ()
            yield Finding(CODE, line, col, "tf.name_scope → tf.compat.v1.name_scope: the name may be None, a scope, or re-enter one", edits)
            continue
        drop = {i for i, a in enumerate(args) if a is values or (not named and a is scope)}
        if named:
            drop |= {i for i, a in enumerate(args) if a is default}
        edits = api_calls.removal_edits(module, call, args, drop)
        if not named and default is not None and default.keyword:
            edits.append(api_calls.keyword_name_edit(default, "name"))
        if not drop and not (default is not None and default.keyword and not named):
            continue
        yield Finding(CODE, line, col, "tf.name_scope: TF2 takes only a name (default_name becomes it; values is dropped)", tuple(edits))


def _is_none(node: gast.AST) -> bool:
    return isinstance(node, gast.Constant) and node.value is None


def _plain_string(node: gast.AST) -> bool:
    return isinstance(node, gast.Constant) and isinstance(node.value, str) and not node.value.endswith("/")
