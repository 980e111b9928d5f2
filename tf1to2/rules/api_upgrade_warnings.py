"""What tf_upgrade_v2 warns about is reported too: API changes that need a person, not a rename.

Before:
    emb = tf.nn.embedding_lookup(params, ids, partition_strategy="div")
    glimpse = tf.image.extract_glimpse(x, size, offsets)

After (unchanged; reported):
    tf1to2 reports tf_upgrade_v2's warning for each (partition_strategy is gone, extract_glimpse's
    noise argument changed), at the call.

Caveats:
    The messages are tf_upgrade_v2's (``function_warnings``, ``function_arg_warnings``,
    ``module_deprecations``), except where they are wrong for TF >= 2.16 (tools/gen_api_tables.py).
    Names that TF410 renames carry the remark in their rename finding instead; contrib is TF420.
    ``*.save`` matches every method named ``save``, as in tf_upgrade_v2. TF429 covers the calls
    tf_upgrade_v2 rewrites specially and tf1to2 leaves for a person (with the reason).
"""
from __future__ import annotations

from typing import Iterator, Optional

import gast

from tf1to2.analysis.module import ModuleContext
from tf1to2.diagnostics import Severity
from tf1to2.rules import api_calls, api_names, api_tables
from tf1to2.rules.base import Finding

CODES = {
    "TF423": "tf_upgrade_v2 warning: an API change that needs a manual check",
    "TF429": "call tf_upgrade_v2 rewrites specially, left for a manual check (the finding says why)",
}
SEVERITY = Severity.WARNING


def check(module: ModuleContext) -> Iterator[Finding]:
    tables = api_tables.warnings()
    for name in api_names.tf_names(module):
        note = _symbol_note(name, tables)
        if note:
            yield _finding(module, name.node, "TF423", name.api, note)
    for node in api_names.nodes(module):
        if not isinstance(node, gast.Call):
            continue
        name = api_names.call_name(module, node)
        api = name.api if name else None
        method = api_tables.method_key(node.func.attr) if isinstance(node.func, gast.Attribute) else None
        if api is None and method in tables["function_warnings"]:
            yield _finding(module, node, "TF423", module.snippet(node.func), tables["function_warnings"][method])
        yield from _argument_notes(module, node, api, method, tables)
        special = tables["special_cases"].get(api or "", {})
        if special.get("handled_by") == "TF429" and not api_tables.rename_of(api):
            yield _finding(module, node, "TF429", api, special)


def _symbol_note(name: api_names.TFName, tables: dict) -> Optional[dict]:
    if name.api.startswith("tf.contrib"):
        return None
    for prefix in name.prefixes():
        if api_tables.rename_of(prefix) or prefix in api_tables.symbols()["kept"]:
            return None
        note = tables["function_warnings"].get(prefix) or tables["module_deprecations"].get(prefix)
        if note:
            return note
    return None


def _argument_notes(module, call, api: Optional[str], method: Optional[str], tables: dict) -> Iterator[Finding]:
    if api and api_tables.rename_of(api) == "tf.compat.v1." + api[len("tf."):]:
        return  # tf.compat.v1 keeps the TF1 arguments
    entries = tables["argument_warnings"].get(api or "", []) + tables["argument_warnings"].get(method or "", [])
    if not entries:
        return
    args = api_calls.arguments(module, call)
    for entry in entries:
        if api_calls.argument(args, entry["argument"], entry["position"]) is not None:
            yield _finding(module, call, "TF423", api or method, entry)


def _finding(module: ModuleContext, node: gast.AST, code: str, subject: str, note: dict) -> Finding:
    line, col = module.position(node)
    return Finding(code, line, col, f"{subject}: {note['message']}", severity=Severity(note["severity"]))
