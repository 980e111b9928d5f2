"""Resolve names through imports, never by spelling.

``import tensorflow.compat.v1 as tf``, ``import tensorflow as tf2``, ``from tensorflow import placeholder``
and ``import tensorflow.contrib.slim as slim`` all bind a local name to a fully qualified module path;
``ImportMap.qualified_name`` turns ``tf.nn.relu`` into ``tensorflow.compat.v1.nn.relu`` whatever the
alias. ``tf1_api_name`` then names the TF1 API symbol (``tf.nn.relu``) the upgrade tables are keyed by.
"""
from __future__ import annotations

import collections
import dataclasses
from typing import Iterator, Optional

import gast

# Packages that are TF1 API under another distribution name.
_PACKAGE_ALIASES = {"tf_slim": "tensorflow.contrib.slim"}
_V1_PREFIXES = ("tensorflow.compat.v1.", "tensorflow.")
_V1_MODULES = ("tensorflow.compat.v1", "tensorflow")


@dataclasses.dataclass(frozen=True)
class Binding:
    """A local name bound by an import statement to ``target`` (a dotted path)."""

    local: str
    target: str
    line: int


class ImportMap:
    def __init__(self, bindings: dict[str, Binding]) -> None:
        self.bindings = bindings

    @classmethod
    def from_tree(cls, tree: gast.AST) -> "ImportMap":
        bindings: dict[str, Binding] = {}
        for node in _statements(tree):
            for binding in _bindings_of(node):
                bindings[binding.local] = binding
        return cls(bindings)

    def qualified_name(self, node: gast.AST) -> Optional[str]:
        """``tensorflow.compat.v1.nn.relu`` for ``tf.nn.relu`` when ``tf`` is bound by an import."""
        parts: list[str] = []
        while isinstance(node, gast.Attribute):
            parts.append(node.attr)
            node = node.value
        if not isinstance(node, gast.Name) or node.id not in self.bindings:
            return None
        parts.append(self.bindings[node.id].target)
        return ".".join(reversed(parts))

    def root_binding(self, node: gast.AST) -> Optional[Binding]:
        while isinstance(node, gast.Attribute):
            node = node.value
        if isinstance(node, gast.Name):
            return self.bindings.get(node.id)
        return None

    def aliases_of(self, module: str) -> list[str]:
        return [b.local for b in self.bindings.values() if b.target == module]

    def imports_tensorflow(self) -> bool:
        return any(is_tensorflow(b.target) for b in self.bindings.values())


def is_tensorflow(qualified: str) -> bool:
    return qualified == "tensorflow" or qualified.startswith("tensorflow.")


def tf1_api_name(qualified: Optional[str]) -> Optional[str]:
    """``tensorflow.compat.v1.nn.relu`` and ``tensorflow.nn.relu`` → ``tf.nn.relu``; others → None."""
    if qualified is None:
        return None
    if qualified in _V1_MODULES:
        return "tf"
    for prefix in _V1_PREFIXES:
        if qualified.startswith(prefix):
            return "tf." + qualified[len(prefix):]
    return None


# Nodes that hold statements; expressions never do, so the walk for imports need not enter them.
_STATEMENT_HOLDERS = (gast.stmt, gast.excepthandler, gast.match_case)


def _statements(tree: gast.AST) -> Iterator[gast.AST]:
    """The module, its statements and the nodes holding them, in ``gast.walk``'s breadth-first order.

    Only the order among imports matters (a later binding of a name wins), and it is the same as a
    walk of the whole tree's: every ancestor of a statement is a statement or holds statements.
    """
    queue = collections.deque([tree])
    while queue:
        node = queue.popleft()
        yield node
        queue.extend(child for child in gast.iter_child_nodes(node) if isinstance(child, _STATEMENT_HOLDERS))


def _bindings_of(node: gast.AST) -> Iterator[Binding]:
    if isinstance(node, gast.Import):
        for alias in node.names:
            target = _PACKAGE_ALIASES.get(alias.name, alias.name)
            if alias.asname:
                yield Binding(alias.asname, target, node.lineno)
            else:
                # ``import tensorflow.contrib`` binds ``tensorflow`` to the top package.
                top = alias.name.split(".")[0]
                yield Binding(top, _PACKAGE_ALIASES.get(top, top), node.lineno)
    elif isinstance(node, gast.ImportFrom) and node.module and not node.level:
        module = _PACKAGE_ALIASES.get(node.module, node.module)
        for alias in node.names:
            if alias.name == "*":
                continue
            yield Binding(alias.asname or alias.name, f"{module}.{alias.name}", node.lineno)
