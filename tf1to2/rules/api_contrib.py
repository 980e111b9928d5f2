"""Every ``tf.contrib`` import and use is reported with its TF2 replacement (contrib is gone from TF2).

Before:
    import tensorflow.contrib.slim as slim
    from tensorflow.contrib import layers
    h = layers.fully_connected(x, 64)

After (unchanged; reported):
    tf1to2 reports: tensorflow.contrib.slim is not in TF2: tf.keras.layers, or the tf-slim package;
    tf.contrib.layers.fully_connected → tf.keras.layers.Dense(activation='relu') (TF1 defaulted to relu)

Caveats:
    The replacements come from a small hand-written table (``tf1to2/data/api_contrib.json``, checked
    against the installed TF) and tf_upgrade_v2's own contrib messages. Contrib names with an exact TF2
    name (``tf.contrib.data.AUTOTUNE``) are renamed by TF410 instead. The structural pass converts
    contrib layers inside variable-creating functions; this rule sees what is left. ``import tf_slim``
    is the maintained tf-slim package and is not reported.
"""
from __future__ import annotations

from typing import Iterator

import gast

from tf1to2.analysis.module import ModuleContext
from tf1to2.diagnostics import Severity
from tf1to2.rules import api_names, api_tables
from tf1to2.rules.base import Finding

CODE = "TF420"
SUMMARY = "tf.contrib import or use: not in TF2; the finding names the replacement"
SEVERITY = Severity.ERROR


def check(module: ModuleContext) -> Iterator[Finding]:
    slim_package = set()
    for node in api_names.nodes(module):
        if isinstance(node, gast.Import):
            slim_package |= {a.asname or a.name.split(".")[0] for a in node.names if a.name.startswith("tf_slim")}
            for alias in node.names:
                if alias.name.startswith("tensorflow.contrib"):
                    yield _finding(module, alias, "tf" + alias.name[len("tensorflow"):], "import")
        elif isinstance(node, gast.ImportFrom) and node.module and not node.level:
            if node.module.startswith("tf_slim"):
                slim_package |= {a.asname or a.name for a in node.names}
            for alias in node.names:
                api = api_names.api_of_target(f"{node.module}.{alias.name}")
                if api and api.startswith("tf.contrib"):
                    yield _finding(module, node, api, "import")
    for name in api_names.tf_names(module):
        if not name.api.startswith("tf.contrib") or name.binding.local in slim_package:
            continue
        table = api_tables.symbols()
        if any(api_tables.rename_of(p) or p in table["renames_unavailable"] for p in name.prefixes()):
            continue  # renamed (or reported) by TF410-TF412
        yield _finding(module, name.node, name.api, "use")


def _finding(module: ModuleContext, node: gast.AST, api: str, kind: str) -> Finding:
    line, col = module.position(node)
    message = f"{api} ({kind}) is not in TF2: {replacement(api)}"
    return Finding(CODE, line, col, message)


def replacement(api: str) -> str:
    table = api_tables.load("api_contrib.json")
    slim_as_layers = "tf.contrib.layers." + api[len("tf.contrib.slim."):] if api.startswith("tf.contrib.slim.") else ""
    for key in (api, slim_as_layers):
        if key in table["symbols"]:
            return "use " + table["symbols"][key]["replacement"]
    warning = api_tables.warnings()["function_warnings"].get(api)
    if warning:
        return warning["message"]
    parts = api.split(".")
    for length in range(len(parts), 1, -1):
        entry = table["modules"].get(".".join(parts[:length]))
        if entry:
            return "use " + entry["replacement"] if length > 2 else entry["replacement"]
    return table["modules"]["tf.contrib"]["replacement"]
