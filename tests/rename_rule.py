"""A stand-in rule for file, tree, notebook and CLI tests.

Those tests are about bytes, paths and reports, not about TensorFlow, so they must not depend on what
the real rules rewrite today. The ``rename_rule`` fixture replaces the passes with one small rule:

- every loaded name ``old_api`` becomes ``new_api`` (an INFO finding, fixed, carrying a manifest unit);
- every name ``shaky_api`` gets a WARNING finding without an edit.

Positions come from the parsed tree exactly as real rules get them, so encodings, CRLF, tabs and
non-ASCII text before an edited column are exercised for real.
"""
from __future__ import annotations

import types
from typing import Iterator

import gast
import pytest

from tf1to2 import rules as registry
from tf1to2.analysis.module import ModuleContext
from tf1to2.diagnostics import Severity
from tf1to2.manifest import Unit
from tf1to2.rewrite.edits import Edit
from tf1to2.rules.base import Finding

CODE = "TF999"
WARNING_CODE = "TF998"


def _check(module: ModuleContext) -> Iterator[Finding]:
    for node in gast.walk(module.tree):
        if not isinstance(node, gast.Name):
            continue
        line, col = module.position(node)
        if node.id == "old_api":
            start, end = module.span(node)
            unit = Unit(kind="layer", source="old_api", line=line, class_name="NewApi")
            yield Finding(CODE, line, col, "old_api renamed to new_api", (Edit(start, end, "new_api"),), units=(unit,))
        elif node.id == "shaky_api":
            yield Finding(WARNING_CODE, line, col, "shaky_api needs a human", severity=Severity.WARNING)


def make_rule_module() -> types.ModuleType:
    module = types.ModuleType(
        "rename_rule",
        "Rename old_api to new_api.\n\nBefore:\n    old_api(x)\n\nAfter:\n    new_api(x)\n\nCaveats:\n    None.",
    )
    module.CODES = {CODE: "old_api is renamed to new_api", WARNING_CODE: "shaky_api is reported"}
    module.SEVERITY = Severity.INFO
    module.check = _check
    return module


@pytest.fixture
def rename_rule(monkeypatch: pytest.MonkeyPatch) -> types.ModuleType:
    module = make_rule_module()
    monkeypatch.setattr(registry, "passes", lambda: [registry.Pass("api", (module,))])
    return module
