"""Spelling TensorFlow and absl names in the module being converted, and adding the imports they need."""
from __future__ import annotations

from typing import Optional

import gast

from tf1to2.analysis.module import ModuleContext
from tf1to2.rewrite.edits import Edit

TENSORFLOW_MODULES = ("tensorflow", "tensorflow.compat.v1", "tensorflow.compat.v2")


def tensorflow_root(module: ModuleContext, node: gast.AST) -> Optional[str]:
    """The local name of the TensorFlow module a name chain starts from (``tf`` in ``tf.app.run``)."""
    while isinstance(node, gast.Attribute):
        node = node.value
    if not isinstance(node, gast.Name):
        return None
    binding = module.imports.bindings.get(node.id)
    return node.id if binding is not None and binding.target in TENSORFLOW_MODULES else None


def imports_end(module: ModuleContext) -> int:
    """Offset after the last top-level import statement (0 when there is none)."""
    end = 0
    for node in module.tree.body:
        if isinstance(node, (gast.Import, gast.ImportFrom)):
            starts = module.lines.starts
            end = starts[node.end_lineno] if node.end_lineno < len(starts) else len(module.text)
    return end


def import_edit(module: ModuleContext, statement: str) -> Edit:
    """Insert ``statement`` (``from absl import app``) after the module's imports."""
    end = imports_end(module)
    prefix = "" if end == 0 or module.text[:end].endswith("\n") else "\n"
    return Edit(end, end, f"{prefix}{statement}\n")


def binds(module: ModuleContext, local: str, target: str) -> bool:
    binding = module.imports.bindings.get(local)
    return binding is not None and binding.target == target


def name_is_free(module: ModuleContext, name: str) -> bool:
    for node in gast.walk(module.tree):
        if isinstance(node, gast.Name) and node.id == name:
            return False
        if isinstance(node, (gast.FunctionDef, gast.AsyncFunctionDef, gast.ClassDef)) and node.name == name:
            return False
    return name not in module.imports.bindings
