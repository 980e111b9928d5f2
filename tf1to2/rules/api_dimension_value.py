"""``x.shape[i].value`` and ``x.get_shape()[i].value`` become ``x.shape[i]`` (TF2 dimensions are ints).

Before:
    n = x.shape[1].value
    m = x.get_shape()[-1].value

After:
    n = x.shape[1]
    m = x.shape[-1]

Caveats:
    Only in modules that import TensorFlow, and only the subscript forms above; a ``Dimension`` kept in
    a variable (``d = x.shape[1]; d.value``) or ``x.shape.dims[i].value`` is not seen. Under
    ``tf.compat.v1.disable_v2_behavior()`` TF still builds ``Dimension`` objects, which compare and
    compute like the ints they hold.
"""
from __future__ import annotations

from typing import Iterator

import gast

from tf1to2.analysis.module import ModuleContext
from tf1to2.diagnostics import Severity
from tf1to2.rewrite.edits import Edit
from tf1to2.rules import api_names
from tf1to2.rules.base import Finding

CODE = "TF421"
SUMMARY = "Dimension .value removed: x.shape[i].value → x.shape[i]"
SEVERITY = Severity.INFO


def check(module: ModuleContext) -> Iterator[Finding]:
    if not module.imports.imports_tensorflow():
        return
    for node in api_names.nodes(module):
        if not (isinstance(node, gast.Attribute) and node.attr == "value" and isinstance(node.value, gast.Subscript)):
            continue
        shape = node.value.value
        edits = []
        if isinstance(shape, gast.Call) and not shape.args and not shape.keywords and _is_attr(shape.func, "get_shape"):
            edits.append(Edit(module.span(shape.func.value)[1], module.span(shape)[1], ".shape"))
        elif not _is_attr(shape, "shape"):
            continue
        edits.append(Edit(module.span(node.value)[1], module.span(node)[1], ""))
        line, col = module.position(node)
        before = module.snippet(node)
        yield Finding(CODE, line, col, f"{before}: TF2 shapes hold ints, .value is gone", tuple(edits))


def _is_attr(node: gast.AST, name: str) -> bool:
    return isinstance(node, gast.Attribute) and node.attr == name
