"""Name the TF1 API a callee's source text refers to, through a module's imports (for ``resolve=``)."""
from __future__ import annotations

import ast
from typing import Callable, Optional

import gast

from tf1to2.analysis.imports import ImportMap, tf1_api_name


def resolver(imports: ImportMap) -> Callable[[str], Optional[str]]:
    """``resolve("slim.l2_regularizer")`` → ``tf.contrib.layers.l2_regularizer`` under ``import ... as slim``."""

    def resolve(text: str) -> Optional[str]:
        try:
            node = gast.ast_to_gast(ast.parse(text.strip(), mode="eval")).body
        except SyntaxError:
            return None
        return tf1_api_name(imports.qualified_name(node))

    return resolve
