"""TF1 symbols become their TF2 names, or ``tf.compat.v1`` names where TF2 has none with the same meaning.

Before:
    import tensorflow as tf
    x = tf.placeholder(tf.float32, [None, 3])
    noise = tf.random_normal([3])
    cell = tf.nn.rnn_cell.LSTMCell(8)

After:
    import tensorflow as tf
    x = tf.compat.v1.placeholder(tf.float32, [None, 3])
    noise = tf.random.normal([3])
    cell = tf.compat.v1.nn.rnn_cell.LSTMCell(8)

Caveats:
    The table is tf_upgrade_v2's (tools/gen_api_tables.py), minus its renames that are wrong for
    TF >= 2.16: ``tf.keras.optimizers.Adam`` stays (never ``.legacy.``), ``tf.layers`` and ``tf.estimator``
    are reported by TF419 and TF422, initializers by TF418. A target that exists only with tf-keras
    (``TF_USE_LEGACY_KERAS=1``) is applied with a warning (TF411); a target missing from the installed
    TensorFlow is not applied (TF412). Names written ``tf.compat.v1.X`` stay as written. A name reached
    through ``getattr`` or a variable is not seen.
"""
from __future__ import annotations

from typing import Iterator

from tf1to2.analysis.module import ModuleContext
from tf1to2.diagnostics import Severity
from tf1to2.rewrite.edits import Edit
from tf1to2.rules import api_names, api_tables
from tf1to2.rules.base import Finding

CODES = {
    "TF410": "TF1 symbol renamed to its TF2 name, or to tf.compat.v1 where TF2 has no equivalent",
    "TF411": "TF1 symbol renamed to a tf.compat.v1 name that needs tf-keras under TF >= 2.16",
    "TF412": "TF1 symbol whose TF2 replacement is missing from TensorFlow 2.16+",
}
SEVERITY = Severity.INFO
SEVERITIES = {"TF411": Severity.WARNING, "TF412": Severity.ERROR}


def check(module: ModuleContext) -> Iterator[Finding]:
    table = api_tables.symbols()
    for name in api_names.tf_names(module):
        for prefix in name.prefixes():
            if prefix in table["kept"]:
                break
            if prefix in table["renames_unavailable"]:
                yield _unavailable(module, name, prefix, table["renames_unavailable"][prefix])
                break
            target = api_tables.rename_of(prefix)
            if target is None:
                continue
            yield from _renamed(module, name, prefix, target)
            break


def _renamed(module: ModuleContext, name: api_names.TFName, source: str, target: str) -> Iterator[Finding]:
    line, col = module.position(name.node)
    text = api_names.spell(module, name.binding, target + name.api[len(source):])
    if text == module.snippet(name.node):
        return
    legacy = api_tables.needs_tf_keras(target)
    note = api_tables.remark(source)
    severity = Severity.WARNING if legacy or (note and note["severity"] != "info") else Severity.INFO
    message = f"{source} → {target}"
    if target.startswith("tf.compat.v1."):
        message += " (TF2 has no equivalent with the same meaning)"
    if legacy:
        message += "; under TF >= 2.16 it exists only with tf-keras and TF_USE_LEGACY_KERAS=1"
    if note:
        message += f"; {note['message']}"
    if text is None:
        message += "; not applied: no `import tensorflow` binding to spell it with"
    edits = (Edit(*module.span(name.node), text),) if text else ()
    yield Finding("TF411" if legacy else "TF410", line, col, message, edits, severity)


def _unavailable(module: ModuleContext, name: api_names.TFName, source: str, target: str) -> Finding:
    line, col = module.position(name.node)
    message = f"{source}: its TF2 replacement {target} is not in TensorFlow 2.16+; rewrite this use by hand"
    return Finding("TF412", line, col, message, severity=Severity.ERROR)
