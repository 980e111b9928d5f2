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
from tf1to2.rules import api_calls, api_names
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
            yield Finding(CODE, line, col, message, (api_calls.statement_removal(module, statement),))


def _final_names(module: ModuleContext) -> Iterator[str]:
    """The API name of every TF reference once the pass has renamed it (``tf.compat.v1.X`` as written)."""
    for node in api_names.nodes(module):
        if isinstance(node, (gast.Name, gast.Attribute)) and isinstance(node.ctx, gast.Load):
            name = api_names.tf_name(module, node)
            qualified = module.imports.qualified_name(node) or ""
            if name is not None:
                yield api_names.upgraded(name)
            elif is_tensorflow(qualified):
                yield "tf" + qualified[len("tensorflow"):]
