"""TF1 initializers keep their TF1 numbers: defaults that differ in TF2 are written out.

Before:
    w = tf.get_variable("w", [3, 4], initializer=tf.random_normal_initializer())
    b = tf.get_variable("b", [4], initializer=tf.random_uniform_initializer(seed=1))
    k = tf.truncated_normal_initializer(0.0, 0.02, dtype=tf.float32)

After:
    w = tf.compat.v1.get_variable("w", [3, 4], initializer=tf.random_normal_initializer(stddev=1.0))
    b = tf.compat.v1.get_variable("b", [4], initializer=tf.random_uniform_initializer(seed=1, minval=0.0, maxval=1.0))
    k = tf.keras.initializers.TruncatedNormal(0.0, 0.02)

Caveats:
    The TF2 form is the TF2 symbol of the same name, or the Keras class that draws the same
    distribution; the TF1 defaults come from the installed signatures (tools/gen_api_tables.py).
    TF2 initializers take no ``dtype`` (the variable's dtype is used when it is called): a ``dtype``
    argument is removed and reported, since an initializer called directly then returns float32.
    An initializer referenced without a call (``initializer=tf.random_normal_initializer``) is
    reported, not converted; so is one called with ``*args``/``**kwargs``. TF1's
    ``distribution="normal"`` for VarianceScaling is not rewritten.
"""
from __future__ import annotations

from typing import Iterator

import gast

from tf1to2.analysis.module import ModuleContext
from tf1to2.diagnostics import Severity
from tf1to2.rewrite.edits import Edit
from tf1to2.rules import api_calls, api_names, api_tables
from tf1to2.rules.base import Finding

CODE = "TF418"
SUMMARY = "TF1 initializer: TF1 defaults written explicitly in the TF2 form, dtype reported"
SEVERITY = Severity.INFO


def check(module: ModuleContext) -> Iterator[Finding]:
    table = api_tables.initializers()
    for name in api_names.tf_names(module):
        entry = table.get(name.api)
        if entry is None:
            continue
        line, col = module.position(name.node)
        call = api_names.called(module, name.node)
        if call is not None:
            yield from _call(module, call, name, entry, line, col)
        elif entry["explicit"]:
            differ = ", ".join(f"{p}={v} in TF1, {entry['tf2_defaults'][p]} in TF2" for p, v in entry["explicit"].items())
            message = f"{name.api} is used without a call and its defaults differ ({differ}): call it with the TF1 values"
            yield Finding(CODE, line, col, message, severity=Severity.WARNING)


def _call(module: ModuleContext, call: gast.Call, name, entry: dict, line: int, col: int) -> Iterator[Finding]:
    args = api_calls.arguments(module, call)
    if len(api_calls.positional(args)) > len(entry["tf1_parameters"]):
        yield Finding(CODE, line, col, f"{name.api}: more positional arguments than TF1's signature has", severity=Severity.WARNING)
        return
    edits, dropped = api_calls.resignature(
        module, call, args, entry["tf1_parameters"], entry["tf2_parameters"], entry["dropped"]
    )
    params = api_calls.bound_parameters(args, entry["tf1_parameters"])
    notes = [f"{params[i]} removed (TF2 initializers take the variable's dtype)" for i in sorted(dropped)]
    subject, text = name.api, api_names.spell(module, name.binding, entry["tf2"])
    if entry["tf2"] != name.api and text:
        edits.append(Edit(*module.span(name.node), text))
        subject += f" → {entry['tf2']}"
    # In TF1 signature order (the table's keys are sorted): minval before maxval.
    missing = {p: entry["explicit"][p] for p in entry["tf1_parameters"] if p in entry["explicit"] and p not in params}
    written = ", ".join(f"{p}={v}" for p, v in missing.items())
    warn = bool(dropped) or api_calls.has_unpacking(args)
    if missing and api_names.looks_like_tf1(module):
        edits.append(api_calls.append_edit(module, call, [a for i, a in enumerate(args) if i not in dropped], written))
        notes += [f"TF1 default {p}={v} written out (TF2's is {entry['tf2_defaults'][p]})" for p, v in missing.items()]
    elif missing:
        notes.append(f"TF1 default {written} differs from TF2's; no TF1-only API here, so this is taken as TF2 code and left as is")
        warn = True
    if api_calls.has_unpacking(args) and entry["explicit"]:
        notes.append("*args/**kwargs may hide arguments whose TF1 defaults differ: check them")
    if notes or edits:
        message = subject + (": " + "; ".join(notes) if notes else " (the same distribution)")
        yield Finding(CODE, line, col, message, tuple(edits), Severity.WARNING if warn else Severity.INFO)
