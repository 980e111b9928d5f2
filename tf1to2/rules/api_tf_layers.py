"""``tf.layers.*`` is kept as ``tf.compat.v1.layers.*``, with a warning: it needs tf-keras under TF >= 2.16.

Before:
    h = tf.layers.dense(x, 64, activation=tf.nn.relu)

After:
    h = tf.compat.v1.layers.dense(x, 64, activation=tf.nn.relu)

Caveats:
    tf_upgrade_v2 leaves ``tf.layers.dense`` untouched and silent, but TF2 has no ``tf.layers``, and under
    Keras 3 (TF >= 2.16) ``tf.compat.v1.layers`` is empty unless tf-keras is installed and
    ``TF_USE_LEGACY_KERAS=1`` is set. Layers inside variable-creating functions are converted to Keras
    layers by the structural pass; what reaches this rule was not. ``tf.layers.InputSpec`` has a TF2 name
    and is renamed by TF410.
"""
from __future__ import annotations

from typing import Iterator

from tf1to2.analysis.module import ModuleContext
from tf1to2.diagnostics import Severity
from tf1to2.rewrite.edits import Edit
from tf1to2.rules import api_names, api_tables
from tf1to2.rules.base import Finding

CODE = "TF419"
SUMMARY = "tf.layers kept as tf.compat.v1.layers, which needs tf-keras and TF_USE_LEGACY_KERAS=1 on TF >= 2.16"
SEVERITY = Severity.WARNING


def check(module: ModuleContext) -> Iterator[Finding]:
    for name in api_names.tf_names(module):
        if name.api != "tf.layers" and not name.api.startswith("tf.layers."):
            continue
        if any(api_tables.rename_of(prefix) for prefix in name.prefixes()):
            continue  # tf.layers.InputSpec → tf.keras.layers.InputSpec (TF410)
        target = "tf.compat.v1." + name.api[len("tf."):]
        text = api_names.spell(module, name.binding, target)
        edits = (Edit(*module.span(name.node), text),) if text and text != module.snippet(name.node) else ()
        line, col = module.position(name.node)
        message = (
            f"{name.api} → {target}: under TF >= 2.16 it exists only with tf-keras and TF_USE_LEGACY_KERAS=1; "
            "a Keras layer (tf.keras.layers) removes that dependency"
        )
        yield Finding(CODE, line, col, message, edits)
