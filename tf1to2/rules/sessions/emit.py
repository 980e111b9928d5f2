"""From a scope plan to edits: functions rendered from templates, statements removed, sites replaced.

Every edit is a whole-line deletion, an insertion at a line start, or a replacement of a span the
analysis named; the bodies of removed ``with tf.Session()`` blocks are dedented line by line, so the
positions of everything else (and of later passes' findings) stay exact.
"""
from __future__ import annotations

import dataclasses
from typing import Iterable, Optional

from tf1to2.analysis.graph import GraphModule, GraphScope, Statement
from tf1to2.rewrite.edits import Edit
from tf1to2.rules.sessions import templates
from tf1to2.rules.sessions.plan import Function, ScopePlan, Step
from tf1to2.source import LineIndex


MAX_LINE = 100


@dataclasses.dataclass(frozen=True)
class Names:
    """Module-wide names of the generated helpers and TensorFlow's alias."""

    tf: str
    helpers: dict  # canonical helper name → name in the output
    used: frozenset[str]


@dataclasses.dataclass(frozen=True)
class ScopeEdits:
    """The edits of one scope, by what they convert, so each finding carries its own."""

    functions: tuple[Edit, ...]  # the inserted functions (and ``pass`` for a body left empty)
    statements: dict  # statement index → edits (removal, optimizer rewrite, a with block's dedent)
    sites: dict  # site index → edits replacing it


def scope_edits(text: str, lines: LineIndex, graph: GraphModule, plan: ScopePlan, names: Names) -> ScopeEdits:
    scope = plan.scope
    statements: dict[int, list[Edit]] = {}
    site_edits: dict[int, list[Edit]] = {}
    for index in plan.removed:
        statement = scope.statements[index]
        statements.setdefault(index, []).append(Edit(statement.lead, statement.end, ""))
    for change in plan.optimizers:
        statement = scope.statements[change.statement]
        constructor = _constructor(change.converted, names)
        if constructor is None:
            continue
        if change.replace_statement:
            line = f"{scope.indent}{change.name} = {constructor}"
            if len(line) > MAX_LINE:
                line = f"{scope.indent}{change.name} = {_constructor(change.converted, names, scope.indent)}"
            statements.setdefault(change.statement, []).append(Edit(statement.start, statement.end, line + "\n"))
        else:
            line_start = lines.starts[lines.line_of(change.tf1_call[0]) - 1]
            if change.tf1_call[0] - line_start + len(constructor) > MAX_LINE:
                constructor = _constructor(change.converted, names, scope.indent)
            statements.setdefault(change.statement, []).append(Edit(*change.tf1_call, constructor))
    amounts = _dedent_amounts(lines, scope)
    for site_index in plan.removed_sites:
        site = scope.sites[site_index]
        line = lines.line_of(site.stmt_start)
        text_line = lines.line_text(line)
        indent = text_line[: len(text_line) - len(text_line.lstrip(" \t"))]
        indent = indent[: max(0, len(indent) - amounts.get(line, (None, 0))[1])]
        replacement = f"{indent}pass\n" if site.sole else ""
        site_edits.setdefault(site_index, []).append(Edit(site.stmt_start, site.stmt_end, replacement))
    for call in plan.calls:
        site = scope.sites[call.site]
        arguments = ", ".join(f"{name}={value}" for name, value in call.arguments)
        site_edits.setdefault(call.site, []).append(Edit(site.start, site.end, f"{call.function}({arguments})"))
    owners: dict[int, list[Edit]] = {}
    for number, wrapper in enumerate(scope.wrappers):
        group = statements if wrapper.statement is not None else site_edits
        owner = wrapper.statement if wrapper.statement is not None else wrapper.site
        group.setdefault(owner, []).append(Edit(wrapper.start, wrapper.body_start, ""))
        owners[number] = group.setdefault(owner, [])
    removed_spans = [(e.start, e.end) for group in statements.values() for e in group if e.end > e.start and not e.replacement]
    functions = _insertions(text, lines, plan, names, removed_spans)
    taken = functions + [e for g in list(statements.values()) + list(site_edits.values()) for e in g]
    for number, edit in _dedents(lines, scope, taken, amounts):
        owners[number].append(edit)
    if scope.kind == "function" and _empties_body(scope, plan):
        first = scope.statements[0]
        functions.append(Edit(first.lead, first.lead, f"{scope.indent}pass\n"))
    return ScopeEdits(
        tuple(functions), {k: tuple(v) for k, v in statements.items()}, {k: tuple(v) for k, v in site_edits.items()},
    )


def _empties_body(scope: GraphScope, plan: ScopePlan) -> bool:
    removed = set(plan.removed) | {i for i, s in enumerate(scope.statements) if s.kind.value == "wrapper"}
    gone_sites = {scope.sites[i].statement for i in plan.removed_sites if scope.sites[i].alone}
    return all(s.index in removed or s.index in gone_sites for s in scope.statements) and not plan.functions


def _constructor(converted, names: Names, wrap_at: Optional[str] = None) -> Optional[str]:
    """The Keras constructor call; with ``wrap_at`` (the statement's indentation) its arguments go on
    their own line."""
    if converted.kind != "keras":
        return None
    arguments = ", ".join(f"{k}={v}" for k, v in converted.keywords)
    if wrap_at is not None:
        arguments = f"\n{wrap_at}    {arguments}\n{wrap_at}"
    if converted.helper:
        return f"{names.helpers[converted.helper]}({arguments})"
    return f"{names.tf}.keras.optimizers.{converted.keras_class}({arguments})"


# functions


def _insertions(text: str, lines: LineIndex, plan: ScopePlan, names: Names,
                removed: list[tuple[int, int]]) -> list[Edit]:
    scope = plan.scope
    by_offset: dict[int, list[Function]] = {}
    for function in plan.functions:
        by_offset.setdefault(function.insert_at, []).append(function)
    unit = _unit_of(scope)
    edits = []
    for offset, functions in by_offset.items():
        blank = "\n\n" if not scope.indent else "\n"
        rendered = blank.join(render_function(text, lines, scope, f, names, unit) for f in functions)
        blanks, opener = _before(text, offset, removed)
        before = "" if opener else blank[: max(0, len(blank) - blanks)]
        after = blank[: max(0, len(blank) - _blank_lines_after(text, offset, removed))]
        edits.append(Edit(offset, offset, before + rendered + after))
    return edits


def _unit_of(scope: GraphScope) -> str:
    return "    "


def _blank_lines_after(text: str, offset: int, removed: list[tuple[int, int]]) -> int:
    """Blank lines that will follow ``offset`` once the removed statements are gone."""
    count = 0
    position = offset
    while position < len(text):
        span = next(((a, b) for a, b in removed if a == position), None)
        if span is not None:
            position = span[1]
            continue
        end = text.find("\n", position)
        end = len(text) if end < 0 else end + 1
        if text[position:end].strip():
            break
        count += 1
        position = end
    return count


def _before(text: str, offset: int, removed: list[tuple[int, int]]) -> tuple[int, bool]:
    """Blank lines that will precede ``offset`` once the removed statements are gone, and whether the
    line before them opens a block (``def main():``), after which no blank line goes."""
    count = 0
    position = offset
    while position > 0:
        span = next(((a, b) for a, b in removed if b == position), None)
        if span is not None:
            position = span[0]
            continue
        start = text.rfind("\n", 0, position - 1) + 1
        line = text[start:position]
        if line.strip():
            return count, line.split("#")[0].rstrip().endswith(":")
        count += 1
        position = start
    return count, False


def render_function(text: str, lines: LineIndex, scope: GraphScope, function: Function, names: Names,
                    unit: str) -> str:
    tf = names.tf
    forward = _statement_block(text, lines, scope, [scope.statements[i] for i in function.statements])
    decorators = [f"@{names.helpers['numpy_results']}"]
    if function.compiled:
        decorators.append(f"@{tf}.function{_signature(function, tf)}")
    if function.steps:
        body = _tape(forward, function.steps, names)
    else:
        body = forward
    params = ", ".join(p.name if p.default is None else f"{p.name}={p.default}" for p in function.params)
    values = {
        "decorators": "\n".join(decorators), "name": function.name, "params": params,
        "doc": _doc(function), "body": body, "result": function.result,
    }
    return templates.render(templates.FUNCTION, values, indent=scope.indent)


def _signature(function: Function, tf: str) -> str:
    if not function.signature:
        return ""
    specs = ", ".join(f"{tf}.TensorSpec({p.shape or 'None'}, {p.dtype})" for p in function.params)
    return f"(input_signature=[{specs}])" if function.params else ""


def _doc(function: Function) -> str:
    fetch = " ".join(function.fetch.text.split())
    if len(fetch) > 60:
        fetch = fetch[:57] + "..."
    fetch = fetch.replace("\\", "\\\\").replace('"', "'")
    return f"What sess.run({fetch}) computed, as a function of the fed values."


def _tape(forward: templates.Block, steps: tuple[Step, ...], names: Names) -> templates.Block:
    used = set(names.used)
    tape = _fresh("tape", used)
    extra_forward = []
    updates = []
    for step in steps:
        loss = step.loss.strip()
        if not loss.isidentifier():
            loss_name = _fresh("loss_value", used)
            extra_forward.append(f"{loss_name} = {loss}")
            loss = loss_name
        prefix = "" if len(steps) == 1 else f"{step.optimizer}_"
        gradients = _fresh(prefix + "gradients", used)
        values = {"tape": tape, "loss": loss, "gradients": gradients, "optimizer": step.optimizer}
        if step.variables:
            values["var_list"] = step.variables
            updates.append(templates.render(templates.STEP_LISTED, values))
        else:
            values["variables"] = _fresh(prefix + "variables", used)
            updates.append(templates.render(templates.STEP_WATCHED, values))
    forward_text = forward.text + "".join(line + "\n" for line in extra_forward)
    inner = templates.Block(forward_text, forward.protected)
    body = templates.render(templates.TAPE, {
        "tf": names.tf, "persistent": "persistent=True" if len(steps) > 1 else "", "tape": tape,
        "forward": inner, "updates": "".join(updates),
    })
    # protected lines move down by one (the ``with`` line)
    return templates.Block(body, frozenset(n + 1 for n in forward.protected))


def _fresh(base: str, used: set[str]) -> str:
    name = base
    number = 2
    while name in used:
        name = f"{base}_{number}"
        number += 1
    used.add(name)
    return name


def _statement_block(text: str, lines: LineIndex, scope: GraphScope, statements: Iterable[Statement]) -> templates.Block:
    """The statements' own lines (with the comments above them) at indentation 0."""
    out: list[str] = []
    protected: set[int] = set()
    for statement in statements:
        chunk = text[statement.lead:statement.end]
        if not chunk.endswith("\n"):
            chunk += "\n"
        first = lines.line_of(statement.lead)
        count = chunk.count("\n")
        mine = frozenset(n - first + 1 for n in scope.protected_lines if first <= n < first + count)
        offset = sum(part.count("\n") for part in out)
        out.append(templates.indent_block(chunk, statement.indent, "", mine))
        protected.update(n + offset for n in mine)
    return templates.Block("".join(out), frozenset(protected))


# dedenting the bodies of removed with blocks


def _dedent_amounts(lines: LineIndex, scope: GraphScope) -> dict[int, tuple[int, int]]:
    """Line → (the outermost removed with block around it, how far it moves left)."""
    amounts: dict[int, tuple[int, int]] = {}
    for number, wrapper in enumerate(scope.wrappers):
        width = len(wrapper.inner) - len(wrapper.outer)
        first = lines.line_of(wrapper.body_start)
        last = lines.line_of(max(wrapper.body_end - 1, wrapper.body_start))
        for line in range(first, last + 1):
            owner, total = amounts.get(line, (number, 0))
            amounts[line] = (owner, total + width)
    return amounts


def _dedents(lines: LineIndex, scope: GraphScope, taken: list[Edit],
             amounts: dict[int, tuple[int, int]]) -> list[tuple[int, Edit]]:
    """One edit per line of a removed with block's body, owned by the outermost wrapper around it."""
    edits = []
    for line, (owner, width) in sorted(amounts.items()):
        if line in scope.protected_lines:
            continue
        start = lines.starts[line - 1]
        if any(e.start <= start < e.end for e in taken if e.end > e.start):
            continue
        text = lines.line_text(line)
        if not text.strip():
            continue
        leading = len(text) - len(text.lstrip(" \t"))
        if min(width, leading):
            edits.append((owner, Edit(start, start + min(width, leading), "")))
    return edits
