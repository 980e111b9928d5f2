"""Everything rules read about one module, parsed once per pass."""
from __future__ import annotations

import ast
import dataclasses
import functools

import gast

from tf1to2.analysis.imports import ImportMap
from tf1to2.source import LineIndex


@dataclasses.dataclass(frozen=True)
class ModuleContext:
    path: str
    text: str
    tree: gast.AST
    lines: LineIndex
    imports: ImportMap

    @classmethod
    def parse(cls, text: str, path: str = "<string>") -> "ModuleContext":
        """Parse ``text``; SyntaxError propagates with the interpreter's own line and message."""
        tree = gast.ast_to_gast(ast.parse(text, filename=path, type_comments=False))
        return cls(path=path, text=text, tree=tree, lines=LineIndex(text), imports=ImportMap.from_tree(tree))

    def position(self, node: gast.AST) -> tuple[int, int]:
        """(line, character column) of a node, for diagnostics."""
        return node.lineno, self.lines.char_col(node.lineno, node.col_offset)

    def snippet(self, node: gast.AST) -> str:
        return self.lines.snippet(node)

    def span(self, node: gast.AST) -> tuple[int, int]:
        return self.lines.span(node)

    @functools.cached_property
    def parents(self) -> dict[int, gast.AST]:
        """id(child) → parent, for rules that need to look one level up."""
        table: dict[int, gast.AST] = {}
        for parent in gast.walk(self.tree):
            for child in gast.iter_child_nodes(parent):
                table[id(child)] = parent
        return table
