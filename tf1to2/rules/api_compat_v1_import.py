"""``import tensorflow.compat.v1 as tf`` becomes ``import tensorflow as tf``: every use is upgraded.

Before:
    import tensorflow.compat.v1 as tf
    x = tf.placeholder(tf.float32, [None, 3])
    y = tf.nn.relu(x)

After:
    import tensorflow as tf
    x = tf.compat.v1.placeholder(tf.float32, [None, 3])
    y = tf.nn.relu(x)

Caveats:
    The import is rewritten because the symbol renames (TF410) spell every TF1 name that TF2 lacks as
    ``tf.compat.v1.X``. A bare use of the alias (``getattr(tf, name)``, ``tf`` passed as a value) cannot
    be upgraded and gets a warning. ``from tensorflow.compat import v1 as tf`` is handled with the other
    from-imports (TF415); ``import tensorflow.compat.v1`` without an alias is already explicit.
"""
from __future__ import annotations

from typing import Iterator

import gast

from tf1to2.analysis.module import ModuleContext
from tf1to2.diagnostics import Severity
from tf1to2.rewrite.edits import Edit
from tf1to2.rules.api_names import COMPAT_V1
from tf1to2.rules import api_names
from tf1to2.rules.base import Finding

CODE = "TF413"
SUMMARY = "import tensorflow.compat.v1 as tf rewritten to import tensorflow as tf"
SEVERITY = Severity.INFO


def check(module: ModuleContext) -> Iterator[Finding]:
    for node in api_names.nodes(module):
        if not isinstance(node, gast.Import):
            continue
        for alias in node.names:
            if alias.name != COMPAT_V1 or not alias.asname:
                continue
            line, col = module.position(alias)
            edit = Edit(*module.span(alias), f"tensorflow as {alias.asname}")
            message = f"import {COMPAT_V1} as {alias.asname} → import tensorflow as {alias.asname}"
            yield Finding(CODE, line, col, message, (edit,))
    yield from _bare_uses(module)


def _bare_uses(module: ModuleContext) -> Iterator[Finding]:
    """Uses of the alias itself: after the rewrite they name the TF2 module, and nothing upgrades them."""
    aliases = {b.local for b in module.imports.bindings.values() if b.target == COMPAT_V1}
    if not aliases:
        return
    for node in api_names.chains(module):
        if not (isinstance(node, gast.Name) and node.id in aliases):
            continue
        line, col = module.position(node)
        message = (
            f"`{node.id}` is used as a value: it now names TF2's tensorflow module, and names looked up "
            "through it (getattr, a parameter) are not upgraded; use tf.compat.v1 there"
        )
        yield Finding(CODE, line, col, message, severity=Severity.WARNING)
