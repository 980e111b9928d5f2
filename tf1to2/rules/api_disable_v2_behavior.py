"""``tf.disable_v2_behavior()`` is removed once no graph-mode API is left; otherwise it stays, as compat.v1.

Before:
    import tensorflow.compat.v1 as tf
    tf.disable_v2_behavior()
    y = tf.nn.relu(tf.constant([1.0]))

After:
    import tensorflow as tf
    y = tf.nn.relu(tf.constant([1.0]))

Caveats:
    The call is kept (as ``tf.compat.v1.disable_v2_behavior()``, with a warning naming what needs it)
    while the module still uses an API that raises or changes meaning under eager execution:
    placeholders, sessions, ``tf.compat.v1.train``, variable scopes and ``get_variable`` (which creates a
    new variable on every call in eager mode), collections, metrics, ``tf.compat.v1.layers``. The structural
    conversions remove those; then the call goes. A call that is the only statement of a block becomes
    ``pass``.
"""
from __future__ import annotations

from typing import Iterator

import gast

from tf1to2.analysis.imports import is_tensorflow
from tf1to2.analysis.module import ModuleContext
from tf1to2.diagnostics import Severity
from tf1to2.rewrite.edits import Edit
from tf1to2.rules import api_names, api_tables
from tf1to2.rules.base import Finding

CODE = "TF414"
SUMMARY = "tf.disable_v2_behavior() removed (or kept while graph-mode APIs remain)"
SEVERITY = Severity.INFO
DISABLE = "tensorflow.compat.v1.disable_v2_behavior"
# APIs that raise, or silently behave differently, under eager execution.
GRAPH_MODE_APIS = (
    "tf.compat.v1.placeholder", "tf.compat.v1.sparse_placeholder", "tf.compat.v1.Session",
    "tf.compat.v1.InteractiveSession", "tf.compat.v1.train.", "tf.compat.v1.get_variable",
    "tf.compat.v1.variable_scope", "tf.compat.v1.get_default_graph", "tf.compat.v1.get_collection",
    "tf.compat.v1.add_to_collection", "tf.compat.v1.metrics.", "tf.compat.v1.layers.",
    "tf.compat.v1.data.make_initializable_iterator", "tf.compat.v1.summary.",
)


def check(module: ModuleContext) -> Iterator[Finding]:
    calls = [
        node for node in api_names.nodes(module)
        if isinstance(node, gast.Expr) and isinstance(node.value, gast.Call)
        and module.imports.qualified_name(node.value.func) == DISABLE
    ]
    if not calls:
        return
    needing = sorted({api for api in _final_names(module) if api.startswith(GRAPH_MODE_APIS)})
    for statement in calls:
        line, col = module.position(statement)
        if needing:
            func = statement.value.func
            name = api_names.tf_name(module, func)
            text = api_names.spell(module, name.binding, "tf.compat.v1.disable_v2_behavior") if name else None
            edits = (Edit(*module.span(func), text),) if text and text != module.snippet(func) else ()
            message = "tf.compat.v1.disable_v2_behavior() kept: graph mode is still needed by " + ", ".join(needing)
            yield Finding(CODE, line, col, message, edits, Severity.WARNING)
        else:
            message = "tf.disable_v2_behavior() removed: every TF1 API use is upgraded, the code runs eagerly"
            yield Finding(CODE, line, col, message, (_removal(module, statement),))


def _final_names(module: ModuleContext) -> Iterator[str]:
    """The API name of every TF reference once the pass has renamed it."""
    for node in api_names.nodes(module):
        if not isinstance(node, (gast.Name, gast.Attribute)) or not isinstance(node.ctx, gast.Load):
            continue
        name = api_names.tf_name(module, node)
        if name is None:
            qualified = module.imports.qualified_name(node)
            if qualified and is_tensorflow(qualified):
                yield "tf" + qualified[len("tensorflow"):]  # spelled out: tf.compat.v1.X
            continue
        yield _final_name(name)


def _final_name(name: api_names.TFName) -> str:
    parts = name.api.split(".")
    for length in range(len(parts), 1, -1):
        prefix = ".".join(parts[:length])
        target = api_tables.import_target(prefix)
        if target != prefix:
            return target + name.api[len(prefix):]
    return name.api


def _removal(module: ModuleContext, statement: gast.stmt) -> Edit:
    start, end = module.span(statement)
    parent = module.parents.get(id(statement))
    alone_in_block = any(
        getattr(parent, field, None) == [statement] for field in ("body", "orelse", "finalbody")
    )
    line_start = module.lines.starts[statement.lineno - 1]
    line_end = module.lines.starts[statement.end_lineno] if statement.end_lineno < len(module.lines.starts) else len(module.text)
    if alone_in_block or module.text[line_start:start].strip() or module.text[end:line_end].strip():
        return Edit(start, end, "pass")
    return Edit(line_start, line_end, "")
