"""Everything rules read about one module: parsed once per text and shared by every rule that reads it."""
from __future__ import annotations

import ast
import dataclasses
import functools
from typing import Any, Callable, TypeVar

import gast

from tf1to2.analysis.imports import ImportMap
from tf1to2.source import LineIndex

_Analysis = TypeVar("_Analysis")


@dataclasses.dataclass(frozen=True)
class ModuleContext:
    path: str
    text: str
    tree: gast.AST
    lines: LineIndex
    imports: ImportMap
    # Analyses already computed for this module (see ``derived``); not part of what the module is.
    _derived: dict[Callable[..., Any], Any] = dataclasses.field(
        default_factory=dict, init=False, repr=False, compare=False
    )

    @classmethod
    def parse(cls, text: str, path: str = "<string>") -> "ModuleContext":
        """Parse ``text``; SyntaxError propagates with the interpreter's own line and message."""
        return cls.from_ast(text, ast.parse(text, filename=path, type_comments=False), path)

    @classmethod
    def from_ast(cls, text: str, tree: ast.Module, path: str = "<string>") -> "ModuleContext":
        """The module of ``text`` from its ``ast`` parse, for callers that parsed it already."""
        gast_tree = gast.ast_to_gast(tree)
        return cls(path=path, text=text, tree=gast_tree, lines=LineIndex(text), imports=ImportMap.from_tree(gast_tree))

    def derived(self, analysis: Callable[["ModuleContext"], _Analysis]) -> _Analysis:
        """``analysis(self)``, computed on first use and then shared.

        Several rules of a pass read the same analysis of the same module; the analyses are plain
        frozen data, so one copy serves them all.
        """
        if analysis not in self._derived:
            self._derived[analysis] = analysis(self)
        return self._derived[analysis]

    def position(self, node: gast.AST) -> tuple[int, int]:
        """(line, character column) of a node, for diagnostics."""
        return node.lineno, self.lines.char_col(node.lineno, node.col_offset)

    def snippet(self, node: gast.AST) -> str:
        return self.lines.snippet(node)

    def span(self, node: gast.AST) -> tuple[int, int]:
        return self.lines.span(node)

    @functools.cached_property
    def nodes(self) -> tuple[gast.AST, ...]:
        """Every node of the tree in ``gast.walk`` order, for rules that look at all of them."""
        return tuple(gast.walk(self.tree))

    @functools.cached_property
    def parents(self) -> dict[int, gast.AST]:
        """id(child) → parent, for rules that need to look one level up."""
        table: dict[int, gast.AST] = {}
        for parent in self.nodes:
            for child in gast.iter_child_nodes(parent):
                table[id(child)] = parent
        return table
