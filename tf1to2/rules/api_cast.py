"""``tf.to_float(x)`` and the other ``tf.to_<type>`` functions become ``tf.cast(x, tf.<type>)``.

Before:
    y = tf.to_float(labels)
    n = tf.to_int64(tf.shape(x)[0], name="n")

After:
    y = tf.cast(labels, tf.float32)
    n = tf.cast(tf.shape(x)[0], name="n", dtype=tf.int64)

Caveats:
    ``to_float`` is float32 and ``to_double`` float64, as in TF1. A ``tf.to_<type>`` that is passed
    around instead of called becomes ``tf.compat.v1.to_<type>``. Without a ``tensorflow`` alias in the
    module (only ``from tensorflow import to_float``) the call is reported, not rewritten.
"""
from __future__ import annotations

from typing import Iterator

import gast

from tf1to2.analysis.module import ModuleContext
from tf1to2.diagnostics import Severity
from tf1to2.rewrite.edits import Edit
from tf1to2.rules import api_calls, api_names
from tf1to2.rules.base import Finding

CODE = "TF424"
SUMMARY = "tf.to_<type>(x) rewritten to tf.cast(x, tf.<type>)"
SEVERITY = Severity.INFO
DTYPES = {
    "tf.to_float": "float32", "tf.to_double": "float64", "tf.to_int32": "int32", "tf.to_int64": "int64",
    "tf.to_bfloat16": "bfloat16", "tf.to_complex64": "complex64", "tf.to_complex128": "complex128",
}


def check(module: ModuleContext) -> Iterator[Finding]:
    for name in api_names.tf_names(module):
        if name.api not in DTYPES:
            continue
        line, col = module.position(name.node)
        call = api_names.called(module, name.node)
        if call is None:
            text = api_names.spell(module, name.binding, "tf.compat.v1." + name.api[len("tf."):])
            if text and text != module.snippet(name.node):
                yield Finding(CODE, line, col, f"{name.api} → tf.compat.v1 (not called here)", (Edit(*module.span(name.node), text),))
            continue
        cast = api_names.spell(module, name.binding, "tf.cast")
        dtype = api_names.spell(module, name.binding, f"tf.{DTYPES[name.api]}")
        if len(api_calls.positional(api_calls.arguments(module, call))) > 2:
            yield Finding(CODE, line, col, f"{name.api}: more positional arguments than (x, name)", severity=Severity.ERROR)
            continue
        if not (cast and dtype):
            yield Finding(CODE, line, col, f"{name.api}: use tf.cast(x, tf.{DTYPES[name.api]}) (no tensorflow alias to write it with)", severity=Severity.WARNING)
            continue
        args = api_calls.arguments(module, call)
        edits = [Edit(*module.span(name.node), cast)]
        plain = api_calls.positional(args)
        if len(args) == 1 and len(plain) == 1:
            edits.append(api_calls.append_edit(module, call, args, dtype))
        else:
            edits += [api_calls.name_positional_edit(a, "name") for a in plain[1:2]]
            edits.append(api_calls.append_edit(module, call, args, f"dtype={dtype}"))
        yield Finding(CODE, line, col, f"{name.api}(x) → tf.cast(x, tf.{DTYPES[name.api]})", tuple(edits))
