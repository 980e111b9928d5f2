"""What verify needs to know about a module's source before running it, read without running it."""
from __future__ import annotations

import ast
from typing import Optional

import gast

from tf1to2.analysis.imports import ImportMap, is_tensorflow

# Module prefixes that make the original need tf-keras on TF >= 2.16 (tf.compat.v1.layers and the TF1 RNN
# cells live there).
LEGACY_KERAS_PREFIXES = (
    "tensorflow.layers",
    "tensorflow.compat.v1.layers",
    "tensorflow.keras",
    "tensorflow.compat.v1.keras",
    "tensorflow.nn.rnn_cell",
    "tensorflow.compat.v1.nn.rnn_cell",
)
GRAPH_MODE_SWITCHES = ("disable_eager_execution", "disable_v2_behavior")


def _parse(source: str) -> Optional[tuple[gast.AST, ImportMap]]:
    try:
        tree = gast.ast_to_gast(ast.parse(source))
    except (SyntaxError, ValueError):
        return None
    return tree, ImportMap.from_tree(tree)


def uses_legacy_keras(source: str) -> bool:
    """Whether the original uses tf.layers / tf.keras / RNN cells (through any alias): TF 2.x then runs it with
    tf-keras."""
    parsed = _parse(source)
    if parsed is None:
        return False
    tree, imports = parsed
    names = [binding.target for binding in imports.bindings.values()]
    names += [imports.qualified_name(node) or "" for node in gast.walk(tree) if isinstance(node, gast.Attribute)]
    return any(name == prefix or name.startswith(prefix + ".") for name in names for prefix in LEGACY_KERAS_PREFIXES)


def disables_eager(source: str) -> bool:
    """Whether the module switches TensorFlow to graph mode when it runs (converted files that keep some
    graph-mode code do): verify then runs its module-level code in a throwaway graph."""
    parsed = _parse(source)
    if parsed is None:
        return False
    tree, imports = parsed
    called = [imports.qualified_name(node.func) or "" for node in gast.walk(tree) if isinstance(node, gast.Call)]
    return any(is_tensorflow(name) and name.rsplit(".", 1)[-1] in GRAPH_MODE_SWITCHES for name in called)


def uses_contrib(source: str) -> bool:
    """Whether the original uses ``tf.contrib``, which only TensorFlow 1.x has (``tf_slim`` is a package of
    its own and does not count)."""
    parsed = _parse(source)
    if parsed is None:
        return False
    tree, imports = parsed
    for node in gast.walk(tree):
        if isinstance(node, gast.Import) and any(_is_contrib(alias.name) for alias in node.names):
            return True
        if isinstance(node, gast.ImportFrom) and node.module and (
            _is_contrib(node.module) or (node.module == "tensorflow" and any(a.name == "contrib" for a in node.names))
        ):
            return True
        if isinstance(node, gast.Attribute) and node.attr == "contrib":
            root = imports.root_binding(node)
            if root is not None and root.target in ("tensorflow", "tensorflow.compat.v1"):
                return True
    return False


def _is_contrib(module: str) -> bool:
    return module == "tensorflow.contrib" or module.startswith("tensorflow.contrib.")

