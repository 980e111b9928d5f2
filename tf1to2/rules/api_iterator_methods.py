"""``dataset.make_one_shot_iterator()`` becomes ``tf.compat.v1.data.make_one_shot_iterator(dataset)``.

Before:
    it = dataset.make_one_shot_iterator()
    it = dataset.make_initializable_iterator(shared_name="it")

After:
    it = tf.compat.v1.data.make_one_shot_iterator(dataset)
    it = tf.compat.v1.data.make_initializable_iterator(dataset, shared_name="it")

Caveats:
    TF2 datasets have no such methods. The receiver's type is not known: any method of that name in a
    module that imports TensorFlow is rewritten, hence a warning. In TF2 code, iterate the dataset
    directly (``for batch in dataset``) or use ``iter(dataset)``.
"""
from __future__ import annotations

from typing import Iterator

import gast

from tf1to2.analysis.imports import is_tensorflow
from tf1to2.analysis.module import ModuleContext
from tf1to2.diagnostics import Severity
from tf1to2.rewrite.edits import Edit
from tf1to2.rules import api_names
from tf1to2.rules.base import Finding

CODE = "TF425"
SUMMARY = "dataset.make_*_iterator() rewritten to tf.compat.v1.data.make_*_iterator(dataset)"
SEVERITY = Severity.WARNING
METHODS = ("make_one_shot_iterator", "make_initializable_iterator")


def check(module: ModuleContext) -> Iterator[Finding]:
    if not module.imports.imports_tensorflow():
        return
    alias = api_names.tf_alias(module)
    for call in api_names.nodes(module):
        if not (isinstance(call, gast.Call) and isinstance(call.func, gast.Attribute) and call.func.attr in METHODS):
            continue
        if is_tensorflow(module.imports.qualified_name(call.func) or ""):
            continue  # tf.compat.v1.data.make_one_shot_iterator(ds) is a function already
        line, col = module.position(call)
        method = call.func.attr
        receiver_start, receiver_end = module.span(call.func.value)
        opening = module.text.index("(", module.span(call.func)[1])
        between = "".join(module.text[receiver_end:opening].split())
        if alias is None or between != f".{method}":
            yield Finding(CODE, line, col, f".{method}() is not in TF2: use tf.compat.v1.data.{method}(dataset)")
            continue
        function = f"{alias}.compat.v1.data.{method}("
        separator = ", " if call.args or call.keywords else ""
        edits = (Edit(receiver_start, receiver_start, function), Edit(receiver_end, opening + 1, separator))
        yield Finding(CODE, line, col, f".{method}() → tf.compat.v1.data.{method}(dataset)", edits)
