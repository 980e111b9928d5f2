"""``tf.app.flags`` / ``tf.flags`` → ``absl.flags``, in programs started by ``app.run``.

Before:
    import tensorflow as tf

    flags = tf.app.flags
    flags.DEFINE_integer("batch_size", 64, "Batch size.")
    FLAGS = flags.FLAGS
    ...
    tf.app.run()

After:
    import tensorflow as tf
    from absl import flags

    flags.DEFINE_integer("batch_size", 64, "Batch size.")
    FLAGS = flags.FLAGS
    ...
    app.run(main)

TF1's flags were absl's, behind a wrapper that parsed ``sys.argv`` the first time a flag was read.

Caveats:
    absl parses the command line in ``app.run``; reading a flag before that raises. So the conversion is
    made only in a module that calls ``tf.app.run`` (or absl's) and reads no flag value at module level;
    otherwise the flags stay TF1's (``tf.compat.v1.flags``, which still parses on first use) and the
    report says why.
"""
from __future__ import annotations

from typing import Iterator, Optional

import gast

from tf1to2.analysis.graph import api_of
from tf1to2.analysis.module import ModuleContext
from tf1to2.diagnostics import Severity
from tf1to2.rewrite.edits import Edit
from tf1to2.rules.base import Finding
from tf1to2.rules.sessions import app_run, names

CODE = "TF464"
SUMMARY = "tf.app.flags / tf.flags → absl.flags (in a program started by app.run)"
SEVERITY = Severity.INFO
FLAGS_MODULES = ("tf.app.flags", "tf.flags")


def check(module: ModuleContext) -> Iterator[Finding]:
    chains = [n for n in module.nodes if isinstance(n, gast.Attribute) and _is_flags_module(module, n)]
    if not chains:
        return
    line, col = module.position(chains[0])
    reason = _why_not(module)
    if reason:
        yield Finding(CODE, line, col, f"tf.app.flags kept (tf.compat.v1.flags): {reason}", severity=Severity.WARNING)
        return
    alias = _alias_statement(module, chains)
    edits: list[Edit] = []
    if alias is not None:  # ``flags = tf.app.flags`` goes; the import binds the same name
        local = alias.targets[0].id
        starts = module.lines.starts
        end = starts[alias.end_lineno] if alias.end_lineno < len(starts) else len(module.text)
        edits.append(Edit(starts[alias.lineno - 1], end, ""))
    else:
        local = "flags" if names.name_is_free(module, "flags") else "absl_flags"
    edits.append(names.import_edit(module, "from absl import flags" + ("" if local == "flags" else f" as {local}")))
    for chain in chains:
        if alias is not None and chain is alias.value:
            continue
        edits.append(Edit(*module.span(chain), local))
    yield Finding(CODE, line, col, f"{module.snippet(chains[0])} → absl.flags (as {local}); app.run parses them",
                  edits=tuple(edits))


def _is_flags_module(module: ModuleContext, node: gast.Attribute) -> bool:
    return api_of(module, node) in FLAGS_MODULES and names.tensorflow_root(module, node) is not None


def _why_not(module: ModuleContext) -> str:
    started = app_run.runs(module) or any(
        isinstance(n, gast.Call) and isinstance(n.func, gast.Attribute) and n.func.attr == "run"
        and names.binds(module, getattr(n.func.value, "id", ""), "absl.app")
        for n in module.nodes
    )
    if not started:
        return "the program is not started by tf.app.run, and absl reads the command line only there"
    flag_values = _flag_values_names(module)
    for statement in module.tree.body:
        if isinstance(statement, (gast.FunctionDef, gast.AsyncFunctionDef, gast.ClassDef, gast.If)):
            continue
        for node in gast.walk(statement):
            if isinstance(node, gast.Attribute) and isinstance(node.value, gast.Name) and node.value.id in flag_values:
                line = node.lineno
                return f"line {line} reads a flag at module level, before app.run parses the command line"
    return ""


def _flag_values_names(module: ModuleContext) -> set[str]:
    """Names bound to ``....FLAGS`` (``FLAGS = tf.app.flags.FLAGS``)."""
    found = set()
    for statement in module.tree.body:
        if isinstance(statement, gast.Assign) and isinstance(statement.value, gast.Attribute) \
                and statement.value.attr == "FLAGS":
            found.update(t.id for t in statement.targets if isinstance(t, gast.Name))
    return found


def _alias_statement(module: ModuleContext, chains: list[gast.Attribute]) -> Optional[gast.Assign]:
    """``flags = tf.app.flags`` at module level: it becomes ``from absl import flags``."""
    for statement in module.tree.body:
        if (isinstance(statement, gast.Assign) and len(statement.targets) == 1
                and isinstance(statement.targets[0], gast.Name) and any(statement.value is c for c in chains)):
            return statement
    return None
