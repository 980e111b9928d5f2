"""contrib / Slim imports that nothing uses once the layer rules have run (shared, not a rule itself).

A binding is unused when every place its name is read lies in text the layer rules replace (the callee
and arguments of a converted call, the header of a removed ``arg_scope``) and no generated Keras code
mentions it. Only a statement importing that one name is removed.
"""
from __future__ import annotations

import re
from typing import Iterator

import gast

from tf1to2.analysis.module import ModuleContext
from tf1to2.analysis.syntax import ModuleIR
from tf1to2.catalog import layers
from tf1to2.diagnostics import Severity
from tf1to2.rewrite.edits import Edit
from tf1to2.rules.base import Finding
from tf1to2.rules.layers_plan import Planned, inputs_span
from tf1to2.rules.layers_unwrap import Dedent, Unwrap


def unused_contrib_imports(module: ModuleContext, ir: ModuleIR, planned: list[Planned], unwraps: list[Unwrap],
                           dedent: Dedent) -> Iterator[Finding]:
    replaced = _replaced_regions(planned, unwraps, dedent)
    generated = " ".join(_generated_code(planned))
    for node in module.nodes:
        if not isinstance(node, (gast.Import, gast.ImportFrom)) or len(node.names) != 1:
            continue
        local = _contrib_binding(module, node)
        if local is None or re.search(rf"(?<![\w.]){re.escape(local)}\b", generated):
            continue
        reads = [module.lines.offset(n.lineno, n.col_offset) for n in module.nodes
                 if isinstance(n, gast.Name) and n.id == local and isinstance(n.ctx, gast.Load)]
        if not reads or not all(any(start <= r < end for start, end in replaced) for r in reads):
            continue
        start, end = module.span(node)
        line_start = module.lines.starts[node.lineno - 1]
        line_end = module.lines.starts[node.end_lineno] if node.end_lineno < len(module.lines.starts) else end
        if module.text[line_start:start].strip() or module.text[end:line_end].strip():
            continue  # shares its line with other code
        yield Finding("TF475", node.lineno, module.lines.char_col(node.lineno, node.col_offset),
                      f"import of {local} removed: every use was converted to Keras",
                      (Edit(line_start, line_end, ""),), severity=Severity.INFO)


def _contrib_binding(module: ModuleContext, node: gast.AST):
    alias = node.names[0]
    local = alias.asname or alias.name.split(".")[0]
    binding = module.imports.bindings.get(local)
    if binding is None or binding.line != node.lineno:
        return None
    return local if binding.target.startswith("tensorflow.contrib") else None


def _replaced_regions(planned: list[Planned], unwraps: list[Unwrap], dedent: Dedent) -> list[tuple[int, int]]:
    regions = []
    for item in planned:
        if item.converted:
            start, end = inputs_span(item.call, layers.lookup(item.api))
            regions += [(item.call.start, start), (end, item.call.end)]
    for unwrap in unwraps:
        regions += [(e.start, e.end) for e in dedent.edits(unwrap) if e.end - e.start > 0]
    return regions


def _generated_code(planned: list[Planned]) -> Iterator[str]:
    for item in planned:
        if item.converted:
            yield item.layer.code
            if item.layer.normalizer is not None:
                yield item.layer.normalizer.code
            if item.layer.activation:
                yield item.layer.activation
