"""ModulePlan → findings: each converted unit's edits, message and manifest entry."""
from __future__ import annotations

from typing import Iterator, Optional

from tf1to2.analysis.module import ModuleContext
from tf1to2.diagnostics import Severity
from tf1to2.rewrite import templates
from tf1to2.rewrite.edits import Edit
from tf1to2.rules.base import Finding
from tf1to2.rules.variables_to_layers import manifest_units, regularization, selection
from tf1to2.rules.variables_to_layers.emit import Emitter
from tf1to2.rules.variables_to_layers.functions import call_rewrites
from tf1to2.rules.variables_to_layers.blocks import BlockUnit, _application_line as application_line
from tf1to2.rules.variables_to_layers.plan import FunctionUnit, Instance, ModulePlan


def findings(module: ModuleContext, plan: ModulePlan) -> Iterator[Finding]:
    if plan.graph is None:
        return
    emitter = Emitter(plan.graph.module, plan.tf, plan.unit)
    instances_of: dict[str, list[Instance]] = {}
    for instance in plan.instances:
        instances_of.setdefault(instance.function, []).append(instance)
    units = manifest_units.Builder(module, plan)
    # Class attributes holding shared instances go together, one blank line after the last of each class.
    ordered = [i for unit in plan.functions for i in instances_of.get(unit.signature.function, [])]
    last_shared = {i.shared.owner: id(i) for i in ordered if i.shared is not None}
    for unit in plan.functions:
        edits = [Edit(unit.start, unit.end, emitter.layer_class(unit.plan).rstrip("\n"))]
        for instance in instances_of.get(unit.signature.function, []):
            edits.extend(instance_edits(module.text, instance, plan.unit, id(instance) in last_shared.values()))
        line, col = module.lines.line_of(unit.start), 0
        yield Finding(
            code="TF430",
            line=line,
            col=col,
            message=_function_message(unit, instances_of.get(unit.signature.function, [])),
            edits=tuple(edits),
            severity=Severity.WARNING if any(s.notes for s in unit.plan.sublayers) else Severity.INFO,
            units=units.function_units(unit),
        )
        for instance in instances_of.get(unit.signature.function, []):
            if len(instance.uses) > 1:
                use = instance.uses[1]
                yield Finding(
                    code="TF432",
                    line=module.lines.line_of(use.call.start),
                    col=use.call.start - module.lines.starts[module.lines.line_of(use.call.start) - 1],
                    message=(
                        f"`{unit.signature.function}` called {len(instance.uses)} times on scope "
                        f"`{instance.scope_name or unit.signature.function}`: one instance `{instance.variable}` "
                        "is used each time (the TF1 variables were shared)"
                    ),
                    severity=Severity.INFO,
                )
        for weight in unit.plan.weights:
            for note in weight.notes:
                yield Finding(code="TF433", line=line, col=col, message=f"`{unit.signature.function}` weight `{weight.tf1_name}`: {note}", severity=Severity.WARNING)
    for block in plan.blocks:
        yield _block_finding(module, emitter, block, units)
        for warning in block.warnings:
            yield Finding(code="TF433", line=block.line, col=0, message=f"`{block.variable}`: {warning}",
                          severity=Severity.WARNING)
    for unit in plan.classes:
        count = len(unit.weights)
        yield Finding(
            code="TF436",
            line=unit.line,
            col=0,
            message=f"class `{unit.name}` → Keras layer subclass ({count} weight{'s' if count != 1 else ''} "
            f"made with add_weight{'; __call__ is now call' if unit.call_method else ''})",
            edits=unit.edits,
            severity=Severity.INFO,
            units=units.class_units(unit),
        )
    yield from _regularization_findings(module, plan)
    yield from _selection_findings(module, plan, units)
    yield from _reuse_findings(module, plan)
    for skipped in plan.skipped:
        yield Finding(code=skipped.code, line=skipped.line, col=skipped.col, message=skipped.message, severity=Severity.WARNING)


def instance_edits(text: str, instance: Instance, unit: str = "    ", last_shared: bool = True) -> list[Edit]:
    arguments = ", ".join(instance.arguments)
    creation = f"{instance.indent}{instance.variable} = {instance.class_name}({arguments})\n"
    edits = []
    shared = instance.shared
    if shared is not None:
        scope = instance.scope_name or instance.function
        comment = f"# the layer of TF1 scope `{scope}`, shared by every instance (TF1 reused its variables)"
        edits.append(Edit(shared.insert_at, shared.insert_at, f"{shared.indent}{shared.attr} = None  {comment}\n" + ("\n" if last_shared else "")))
        creation = f"{instance.indent}if {shared.create_when}:\n{unit}{creation}"
    edits.append(Edit(instance.insert_at, instance.insert_at, creation))
    for use in instance.uses:
        rewrites, _ = call_rewrites(text, use.call, use.tensors, instance.variable)
        edits.extend(Edit(r.start, r.end, r.text) for r in rewrites)
    return edits


def _function_message(unit: FunctionUnit, instances: list[Instance]) -> str:
    plan = unit.plan
    parts = [f"`{plan.source}` → Keras layer `{plan.class_name}`"]
    counts = []
    if plan.weights:
        counts.append(f"{len(plan.weights)} weight{'s' if len(plan.weights) != 1 else ''}")
    if plan.sublayers:
        counts.append(f"{len(plan.sublayers)} sublayer{'s' if len(plan.sublayers) != 1 else ''}")
    if counts:
        parts.append(" (" + ", ".join(counts) + ")")
    if instances:
        parts.append("; calls use " + ", ".join(f"`{i.variable}`" for i in instances))
    notes = [f"`{s.attr}`: {note}" for s in plan.sublayers for note in s.notes]
    return "".join(parts) + "".join(f"; {note}" for note in notes)


def _block_finding(module: ModuleContext, emitter: Emitter, block: BlockUnit, units) -> Finding:
    class_text = emitter.layer_class(block.plan)
    edits = [Edit(block.class_at, block.class_at, _blank_lines_before(module.text, block.class_at) + class_text + "\n\n")]
    if block.shared is not None:
        shared = block.shared
        comment = f"# the layer of TF1 scope `{block.scope}`, shared by every instance (TF1 reused its variables)"
        edits.append(Edit(shared.insert_at, shared.insert_at, f"{shared.indent}{shared.attr} = None  {comment}\n\n"))
    edits.append(Edit(block.head_start, block.head_end, block.head_text))
    for start, end in block.removed:
        edits.append(_removal(module.text, start, end))
    for app in block.applications:
        if block.head_start <= app.start < block.head_end or block.function is not None:
            continue
        edits.append(Edit(app.start, app.end, application_line(app, block.variable)))
    what = f"scope `{block.scope}`" if block.scope else "module-level variables"
    if block.function is not None:
        what = f"`{block.function}` and the module-level variables it computes with"
    if block.context != "<module>":
        what += f" in `{block.context}`"
    parts = [_count(len(block.plan.weights), "weight"), _count(len(block.plan.sublayers), "sublayer")]
    contents = ", ".join(p for p in parts if p)
    message = f"{what} → Keras layer `{block.plan.class_name}`" + (f" ({contents})" if contents else "")
    message += f", instance `{block.variable}`"
    if block.shared is not None:
        message += " shared by the class's instances"
    if block.weights_only:
        message += "; " + (block.note or "no statement computes with the weights in place")
    else:
        message += f", called {len(block.applications)} time{'s' if len(block.applications) != 1 else ''}"
    return Finding(
        code="TF431",
        line=block.line,
        col=0,
        message=message,
        edits=tuple(edits),
        severity=Severity.INFO,
        units=units.block_units(block),
    )


def _count(number: int, noun: str) -> str:
    return "" if number == 0 else f"{number} {noun}{'s' if number != 1 else ''}"


def _blank_lines_before(text: str, offset: int) -> str:
    """Newlines that give a new top-level class two blank lines above it."""
    if offset == 0:
        return ""
    blank = 0
    cursor = offset
    while cursor > 0 and blank < 2:
        previous = text.rfind("\n", 0, cursor - 1) + 1
        if text[previous:cursor].strip():
            break
        blank += 1
        cursor = previous
    return "\n" * (2 - blank)


def _removal(text: str, start: int, end: int) -> Edit:
    """Delete a statement with its own comment lines (and the blank lines after it, so no gap doubles)."""
    from tf1to2.rules.variables_to_layers.bodies import leading_comments_in

    lead = leading_comments_in(text, start)
    stop = _line_end(text, end)
    before_blank = lead == 0 or text[text.rfind("\n", 0, lead - 1) + 1:lead].strip() == ""
    while before_blank and stop < len(text) and text[stop:_line_end(text, stop)].strip() == "":
        stop = _line_end(text, stop)
    return Edit(lead, stop, "")


def _line_end(text: str, offset: int) -> int:
    end = text.find("\n", offset)
    return len(text) if end < 0 else end + 1


def _regularization_findings(module: ModuleContext, plan: ModulePlan) -> Iterator[Finding]:
    layers = [
        regularization.Layer(i.variable, i.scope_name, i.insert_at) for i in plan.instances if i.context == "<module>"
    ]
    layers += [
        regularization.Layer(b.variable, b.scope, b.head_start) for b in plan.blocks if b.context == "<module>"
    ]
    layers.sort(key=lambda layer: layer.created_at)
    for found in regularization.replacements(plan, layers, _incomplete(plan)):
        line = module.lines.line_of(found.call.start)
        col = found.call.start - module.lines.starts[line - 1]
        yield Finding(
            code="TF435",
            line=line,
            col=col,
            message=found.message,
            edits=(found.edit,) if found.edit else (),
            severity=Severity.INFO if found.edit else Severity.WARNING,
        )


def _incomplete(plan: ModulePlan) -> Optional[str]:
    """Why some TF1 variables of the module are held by no layer (None when all are)."""
    if plan.skipped:
        return "some variables stay TF1 code (see the other findings), so the layers do not hold them all"
    converted = {u.signature.function for u in plan.functions}
    for site in plan.graph.variables:
        context = site.location.context
        if context in converted:
            continue
        if not any(b.context == context and b.head_start <= site.call.start < max(b.head_end, b.function_span[1]) or
                   b.context == context and site.location.stmt_id in b.creation_stmts for b in plan.blocks):
            return f"the variable at line {plan.graph.stmts[site.location.stmt_id].line} is held by no layer"
    if any(m.kind == "other_variables" for m in plan.graph.markers):
        return "variables are also created by tf.layers, contrib or RNN cells, which other rules convert"
    return None


def _selection_findings(module: ModuleContext, plan: ModulePlan, builder) -> Iterator[Finding]:
    layers = [
        selection.ModuleLayer(i.variable, tuple(builder.instance_weights(i)), i.insert_at)
        for i in plan.instances if i.context == "<module>"
    ]
    layers += [
        selection.ModuleLayer(b.variable, tuple(builder.block_weights(b)), b.head_start)
        for b in plan.blocks if b.context == "<module>"
    ]
    layers.sort(key=lambda layer: layer.created_at)
    statements = list(regularization._module_statements(plan.graph.module.body))
    for found in selection.Selector(statements, layers, _incomplete(plan)).selections():
        line = module.lines.line_of(found.start)
        yield Finding(
            code="TF434",
            line=line,
            col=found.start - module.lines.starts[line - 1],
            message=found.message,
            edits=(found.edit,) if found.edit else (),
            severity=Severity.INFO if found.edit else Severity.WARNING,
        )


def _reuse_findings(module: ModuleContext, plan: ModulePlan) -> Iterator[Finding]:
    """Module-level reuse switches go once every variable is a layer's: sharing is the instance's."""
    if _incomplete(plan) is not None or not (plan.functions or plan.blocks):
        return
    graph = plan.graph
    in_blocks = [(b.head_start, b.head_end) for b in plan.blocks]
    for located in graph.reuses:
        stmt = graph.stmts[located.site.stmt_id]
        if located.location.context != "<module>" or any(s <= stmt.start < e for s, e in in_blocks):
            continue
        if stmt.kind != "expr" or stmt.value.start != located.site.call.start:
            continue
        yield Finding(
            code="TF432", line=stmt.line, col=len(stmt.indent),
            message=f"`{located.site.call.func.text}()` removed: the layers called after it are the instances TF1 reused",
            edits=(_removal(module.text, stmt.start, stmt.end),), severity=Severity.INFO,
        )
    for stmt in (s for s in graph.stmts.values() if s.kind == "with" and s.id in graph.scopes):
        sites = graph.scopes[stmt.id]
        if len(sites) != 1 or len(stmt.with_items) != 1 or not sites[0].reopens_current or sites[0].as_name:
            continue
        if graph.parents.get(stmt.id) is not None or not _module_level(graph, stmt):
            continue
        body_start = module.lines.starts[stmt.body[0].line - 1]
        header = Edit(module.lines.starts[stmt.line - 1], body_start, "")
        width = len(stmt.body[0].indent) - len(stmt.indent)
        edits = (header, *templates.dedent_edits(module.text, body_start, _line_end(module.text, stmt.end), width))
        yield Finding(
            code="TF432", line=stmt.line, col=len(stmt.indent),
            message="`with tf.variable_scope(tf.get_variable_scope(), reuse=...)` removed: its layers are the instances TF1 reused",
            edits=edits, severity=Severity.INFO,
        )


def _module_level(graph, stmt) -> bool:
    return any(top.id == stmt.id for top in graph.module.body)
