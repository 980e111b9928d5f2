"""``from tensorflow import X`` imports X from where TF2 has it (``tensorflow.compat.v1`` if nowhere else).

Before:
    from tensorflow import placeholder, nn
    from tensorflow import random_normal as rnd
    from tensorflow.compat import v1 as tf

After:
    from tensorflow.compat.v1 import placeholder
    from tensorflow import nn
    from tensorflow.random import normal as rnd
    import tensorflow as tf

Caveats:
    Local names never change, so the uses stay as they are. A statement is rewritten whole, one
    statement per source module, at the original indentation; comments inside a parenthesized import
    list are lost. ``from tensorflow import *`` is left alone. Names the structural rules or TF419,
    TF420 and TF422 report (``tf.layers``, ``tf.contrib``, ``tf.estimator``) are imported as those rules
    expect; ``tf.layers`` gets a warning that it needs tf-keras under TF >= 2.16.
"""
from __future__ import annotations

from typing import Iterator

import gast

from tf1to2.analysis.module import ModuleContext
from tf1to2.diagnostics import Severity
from tf1to2.rewrite.edits import Edit
from tf1to2.rules import api_names, api_tables
from tf1to2.rules.base import Finding

CODE = "TF415"
SUMMARY = "from-import of a TF1 name rewritten to import it from its TF2 (or tf.compat.v1) module"
SEVERITY = Severity.INFO


def check(module: ModuleContext) -> Iterator[Finding]:
    for node in api_names.nodes(module):
        if not isinstance(node, gast.ImportFrom) or not node.module or node.level:
            continue
        if any(alias.name == "*" for alias in node.names):
            continue
        groups: dict[str, list[str]] = {}
        legacy = []
        for alias in node.names:
            local = alias.asname or alias.name
            api = api_names.api_of_target(f"{node.module}.{alias.name}")
            new = "tensorflow" + api_tables.import_target(api)[len("tf"):] if api else f"{node.module}.{alias.name}"
            parent, _, leaf = new.rpartition(".")
            groups.setdefault(parent, []).append(leaf if leaf == local else f"{leaf} as {local}")
            if api and api_tables.needs_tf_keras(api_tables.import_target(api)):
                legacy.append(local)
        statements = [_statement(parent, names) for parent, names in groups.items()]
        old = module.snippet(node)
        if statements == [old] or list(groups) == [node.module] and _same_names(node, groups[node.module]):
            continue
        line, col = module.position(node)
        indent = module.lines.line_text(node.lineno)[:col]
        joiner = "\n" + indent if not indent.strip() else "; "
        message = f"{' '.join(old.split())} → {'; '.join(statements)}"
        severity = Severity.INFO
        if legacy:
            message += f"; {', '.join(legacy)} exists under TF >= 2.16 only with tf-keras and TF_USE_LEGACY_KERAS=1"
            severity = Severity.WARNING
        yield Finding(CODE, line, col, message, (Edit(*module.span(node), joiner.join(statements)),), severity)


def _statement(parent: str, names: list[str]) -> str:
    if not parent:  # the package itself: from tensorflow.compat import v1 as tf
        return "; ".join(f"import {name}" for name in names)
    return f"from {parent} import {', '.join(names)}"


def _same_names(node: gast.ImportFrom, names: list[str]) -> bool:
    return names == [a.name if not a.asname or a.asname == a.name else f"{a.name} as {a.asname}" for a in node.names]
