"""Module-level ``tf.layers`` / contrib / Slim calls → Keras layers created once, then called.

Before:
    x = tf.placeholder(tf.float32, [None, 784])
    h = tf.layers.dense(x, 256, activation=tf.nn.relu)
    h = tf.layers.dropout(h, 0.5, training=is_training)
    logits = tf.contrib.layers.fully_connected(h, 10, activation_fn=None)

After:
    x = tf.placeholder(tf.float32, [None, 784])
    dense = tf.keras.layers.Dense(units=256, activation=tf.nn.relu, name="dense")
    h = dense(x)
    dropout = tf.keras.layers.Dropout(rate=0.5, name="dropout")
    h = dropout(h, training=is_training)
    fully_connected = tf.keras.layers.Dense(units=10, activation=None, name="fully_connected")
    logits = fully_connected(h)

Each call's Keras layer comes from the layer catalog (``tf1to2.catalog.layers``): TF1 defaults Keras
does not share are written (contrib's ReLU and SAME padding, stride-2 pooling, batch_norm's
decay=0.999 and scale=False, layer_norm's eps 1e-12), ``training`` goes to the call (TF1's default
included: False for ``tf.layers``, True for contrib), a contrib ``normalizer_fn`` becomes a second layer
applied before the activation, and the layer gets the name TF1 gave it (``dense_1``, ``conv1``,
``fully_connected``), so TF1 variable ``block/dense_1/kernel`` is the Keras layer ``dense_1``'s kernel.
A call under ``reuse=True`` / ``AUTO_REUSE`` at a path already converted calls the same instance.
``slim.arg_scope`` defaults are pushed into each call they cover, and the ``with slim.arg_scope`` block
goes once all of them are converted (TF473); ``with tf.control_dependencies(UPDATE_OPS)`` goes once no
TF1 batch norm is left, since Keras updates the moving statistics in the call (TF474); a contrib or
Slim import nothing uses any more goes too (TF475).

Caveats:
    Only code that runs once is converted here: the module body and module-level ``with`` blocks.
    Calls in loops and branches, under a scope named at run time, with arguments Keras cannot take
    (``renorm``, ``*args``) or whose default name is unknowable stay as they are (TF472, with the reason;
    the API pass then keeps them as ``tf.compat.v1``). Functions are the variable-graph converter's.
    Keras layer names cannot hold the enclosing scope (``block/``): the layer is named ``dense_1`` and
    its variable path differs from TF1's by the scope prefix. TF1's fused batch norm updates the moving
    variance with the unbiased batch variance; Keras with the biased one (reported).
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
from tf1to2.rules import layers_imports, layers_manifest, layers_shapes, layers_unwrap
from tf1to2.rules.layers_plan import Planned, Planner, inputs_span

CODES = {
    "TF470": "module-level tf.layers / contrib / Slim call → a Keras layer created once and called",
    "TF472": "tf.layers / contrib / Slim call not converted to a Keras layer (the reason is given)",
    "TF473": "slim.arg_scope removed: its defaults are written in each converted call",
    "TF474": "UPDATE_OPS control dependency removed: Keras batch normalization updates its statistics in call",
    "TF475": "contrib / Slim import removed: every use was converted",
}
SEVERITY = Severity.INFO
SEVERITIES = {"TF472": Severity.WARNING}


def check(module: ModuleContext) -> Iterator[Finding]:
    ir = syntax.build(module)
    taken = {ref.name for stmt in ir.walk() for ref in stmt.reads()} | set(module.imports.bindings)
    taken |= {target for stmt in ir.walk() for target in stmt.targets} | {s.name for s in ir.walk() if s.name}
    tf = api_names.tf_alias(module)
    planned = Planner(ir, taken, resolver(module.imports), tf or "tf").plan()
    unwraps = layers_unwrap.find(ir, planned) if tf is not None else []
    dedent = layers_unwrap.Dedent(module.text, unwraps)
    shapes = layers_shapes.input_shapes(ir, planned, layers_manifest.module_placeholders(ir))
    groups: dict[int, list[Planned]] = {}
    for item in planned:
        line = module.lines.line_of(item.call.start)
        col = item.call.start - module.lines.starts[line - 1]
        if item.repeat and item.converted and tf is not None:
            groups.setdefault(item.call.start, []).append(item)
            if len(groups[item.call.start]) == item.repeat[1]:
                yield _repeated(groups[item.call.start], line, col, dedent)
        elif not item.converted:
            yield Finding("TF472", line, col, f"{item.api} is not converted to a Keras layer: {item.reason}",
                          severity=Severity.WARNING)
        elif tf is None:
            yield Finding("TF472", line, col, f"{item.api} is not converted: the module does not import tensorflow",
                          severity=Severity.WARNING)
        else:
            yield _converted(item, line, col, dedent, layers_manifest.units(item, shapes.get(item.call.start), line))
    for unwrap in unwraps:
        line, col = unwrap.stmt.line, len(unwrap.stmt.indent)
        yield Finding("TF473" if unwrap.kind == "arg_scope" else "TF474", line, col, _UNWRAP_MESSAGES[unwrap.kind],
                      tuple(dedent.edits(unwrap)), severity=Severity.INFO)
    if tf is not None:
        yield from layers_imports.unused_contrib_imports(module, ir, planned, unwraps, dedent)


_UNWRAP_MESSAGES = {
    "arg_scope": "slim.arg_scope removed: every call it covered is a Keras layer with those defaults written out",
    "update_ops": "control dependency on UPDATE_OPS removed: Keras batch normalization updates its moving "
                  "statistics when called with training=True",
}


def _converted(item: Planned, line: int, col: int, dedent: layers_unwrap.Dedent, units: tuple) -> Finding:
    layer = item.layer
    edits = [Edit(item.stmt.start, item.stmt.start, _creation(item, dedent))] if item.creates else []
    start, end = inputs_span(item.call, layers.lookup(item.api))
    prefix, suffix = _wrapping(item)
    edits += [Edit(item.call.start, start, prefix), Edit(end, item.call.end, suffix)]
    return Finding("TF470", line, col, _message(item), tuple(edits),
                   severity=Severity.INFO if layer.exact else Severity.WARNING, units=units)


def _repeated(items: list[Planned], line: int, col: int, dedent: layers_unwrap.Dedent) -> Finding:
    """``slim.repeat`` / ``slim.stack``: every layer created before the statement, the calls nested."""
    first = items[0]
    creation = "".join(_creation(item, dedent) for item in items)
    wrappings = [_wrapping(item) for item in items]
    prefix = "".join(p for p, _ in reversed(wrappings))
    suffix = "".join(s for _, s in wrappings)
    start, end = inputs_span(first.call, layers.lookup(first.api))
    edits = (Edit(first.stmt.start, first.stmt.start, creation), Edit(first.call.start, start, prefix),
             Edit(end, first.call.end, suffix))
    units = tuple(u for item in items for u in layers_manifest.units(item, None, line))
    api = first.call.tf_name
    text = f"{api} → {len(items)} Keras layers created once: " + ", ".join(
        f"`{item.variable}` ({item.tf1_path})" for item in items)
    notes = [note for item in items for note in item.layer.notes]
    text += "".join(f"; {note}" for note in dict.fromkeys(notes))
    exact = all(item.layer.exact for item in items)
    return Finding("TF470", line, col, text, edits, severity=Severity.INFO if exact else Severity.WARNING, units=units)


def _creation(item: Planned, dedent: layers_unwrap.Dedent) -> str:
    indent = item.stmt.indent[: len(item.stmt.indent) - dedent.width_at(item.stmt.start)]
    text = f"{item.variable} = {item.layer.code}\n{indent}"
    if item.layer.normalizer is not None:
        text += f"{item.normalizer_variable} = {item.layer.normalizer.code}\n{indent}"
    return text


def _wrapping(item: Planned) -> tuple[str, str]:
    """The text before and after the input that calls the layer (normalizer and activation included)."""
    layer = item.layer
    prefix, suffix = f"{item.variable}(", _kwargs(layer.call_kwargs) + ")"
    if layer.normalizer is not None:
        prefix = f"{item.normalizer_variable}(" + prefix
        suffix += _kwargs(layer.normalizer.call_kwargs) + ")"
    if layer.activation is not None:
        prefix = f"{layer.activation}(" + prefix
        suffix += ")"
    return prefix, suffix


def _kwargs(pairs: tuple) -> str:
    return "".join(f", {key}={value}" for key, value in pairs)


def _message(item: Planned) -> str:
    layer = item.layer
    target = f"tf.keras.layers.{layer.record.keras_class}"
    if not item.creates:
        text = f"{item.api} reuses {item.tf1_path}: calls the Keras layer `{item.variable}` created for it"
    else:
        text = f"{item.api} → {target} created once as `{item.variable}`"
        weights = [f"{item.tf1_path}/{w.tf1}" for w in layer.weights] if item.tf1_path else []
        if item.tf1_path and layer.normalizer is not None:
            scope = f"{item.tf1_path}/{layer.normalizer.record.default_name}"
            weights += [f"{scope}/{w.tf1}" for w in layer.normalizer.weights]
        if weights:
            text += f" (TF1 variables {', '.join(weights)})"
    if layer.normalizer is not None:
        text += f"; normalizer → `{item.normalizer_variable}`, bias dropped as contrib does"
    notes = list(layer.notes) + (list(layer.normalizer.notes) if layer.normalizer is not None else [])
    return text + "".join(f"; {note}" for note in dict.fromkeys(notes))
