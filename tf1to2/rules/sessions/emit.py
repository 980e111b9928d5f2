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
from tf1to2.rewrite.edits import apply as apply_edits
from tf1to2.rules.sessions import templates
from tf1to2.rules.sessions.plan import Function, ScopePlan
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
        if constructor is None and change.replace_statement:
            constructor = change.tf1_text  # the TF1 optimizer stays; only the minimize call goes
        if constructor is None:
            continue
        if change.replace_statement:
            line = f"{scope.indent}{change.name} = {constructor}"
            if len(line) > MAX_LINE and change.converted.kind == "keras":
                line = f"{scope.indent}{change.name} = {_constructor(change.converted, names, scope.indent)}"
            statements.setdefault(change.statement, []).append(Edit(statement.start, statement.end, line + "\n"))
        else:
            line_start = lines.starts[lines.line_of(change.tf1_call[0]) - 1]
            if change.tf1_call[0] - line_start + len(constructor) > MAX_LINE:
                constructor = _constructor(change.converted, names, scope.indent)
            statements.setdefault(change.statement, []).append(Edit(*change.tf1_call, constructor))
    removed = set(plan.removed)
    for substitution in plan.substitutions:
        statement = next(s for s in scope.statements if s.start <= substitution.start < s.end)
        if statement.index in removed:
            continue  # replaced in the copies inside the functions
        edit = Edit(substitution.start, substitution.end, _substitute(substitution, names))
        statements.setdefault(statement.index, []).append(edit)
    for change in plan.schedules:
        if change.keras is None:
            continue
        schedule = change.schedule
        keywords = ", ".join(f"{k}={v}" for k, v in change.keras.keywords)
        line_start = lines.starts[lines.line_of(schedule.start) - 1]
        if schedule.start - line_start + len(keywords) + 50 > MAX_LINE:
            keywords = f"\n{scope.indent}    {keywords}\n{scope.indent}"
        call = templates.render(templates.SCHEDULE, {"tf": names.tf, "cls": change.keras.keras_class,
                                                     "keywords": keywords}).strip()
        statements.setdefault(schedule.statement, []).append(Edit(schedule.start, schedule.end, call))
    for index, replacement in plan.statement_replacements:
        statements.setdefault(index, []).append(Edit(replacement.start, replacement.end, _replace(replacement, names)))
    for alias in plan.aliases:
        after = scope.statements[alias.after_statement]
        line = templates.render(templates.STEP_ALIAS, {"name": alias.name, "optimizer": alias.optimizer},
                                indent=scope.indent)
        statements.setdefault(alias.removed_statement, []).append(Edit(after.end, after.end, line))
    amounts = _dedent_amounts(lines, scope)
    for site_index in plan.removed_sites:
        site = scope.sites[site_index]
        line = lines.line_of(site.stmt_start)
        text_line = lines.line_text(line)
        indent = text_line[: len(text_line) - len(text_line.lstrip(" \t"))]
        indent = indent[: max(0, len(indent) - amounts.get(line, (None, 0))[1])]
        replacement = f"{indent}pass\n" if site.sole else ""
        site_edits.setdefault(site_index, []).append(Edit(site.stmt_start, site.stmt_end, replacement))
    for site_index, replacement in plan.site_replacements:
        site = scope.sites[site_index]
        if replacement is None:
            line = lines.line_of(site.stmt_start)
            text_line = lines.line_text(line)
            indent = text_line[: len(text_line) - len(text_line.lstrip(" \t"))]
            indent = indent[: max(0, len(indent) - amounts.get(line, (None, 0))[1])]
            edit = Edit(site.stmt_start, site.stmt_end, f"{indent}pass\n" if site.sole else "")
        else:
            edit = Edit(replacement.start, replacement.end, _replace(replacement, names))
        site_edits.setdefault(site_index, []).append(edit)
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
    removed_spans = [(e.start, e.end) for group in statements.values() for e in group
                     if e.end > e.start and not e.replacement]
    functions = _insertions(text, lines, plan, names, removed_spans)
    taken = functions + [e for g in list(statements.values()) + list(site_edits.values()) for e in g]
    for number, edit in _dedents(lines, scope, taken, amounts):
        owners[number].append(edit)
    if scope.kind == "function" and _empties_body(scope, plan):
        first = scope.statements[0]
        functions.append(Edit(first.lead, first.lead, f"{scope.indent}pass\n"))
    everything = functions + [e for g in list(statements.values()) + list(site_edits.values()) for e in g]
    tidy = _tidy_blank_lines(text, lines, scope, everything)
    return ScopeEdits(
        tuple(tidy.get(e, e) for e in functions),
        {k: tuple(tidy.get(e, e) for e in v) for k, v in statements.items()},
        {k: tuple(tidy.get(e, e) for e in v) for k, v in site_edits.items()},
    )


def _tidy_blank_lines(text: str, lines: LineIndex, scope: GraphScope, edits: list[Edit]) -> dict[Edit, Edit]:
    """A removed statement between two blank lines (or at the start of a block, before a blank line)
    takes the blank line after it along, so removing code leaves no growing gaps. Only a blank line no
    other edit touches is taken."""
    removals = sorted((e for e in edits if not e.replacement and e.end > e.start), key=lambda e: e.start)
    removed_until = {e.start: e.end for e in removals}
    changed: dict[Edit, Edit] = {}
    for edit in removals:
        start = edit.start
        while start in removed_until.values():  # several removals in a row count as one
            start = next(a for a, b in removed_until.items() if b == start)
        before = lines.line_of(start) - 1
        after = lines.line_of(edit.end) if edit.end < len(text) else None
        if after is None or before < 1 or after in scope.protected_lines:
            continue
        opens_block = lines.line_text(before).split("#")[0].rstrip().endswith(":")
        if (lines.line_text(before).strip() and not opens_block) or lines.line_text(after).strip() \
                or edit.end in removed_until:
            continue
        new_end = lines.starts[after] if after < len(lines.starts) else len(text)
        if any(other is not edit and edit.end <= other.start < new_end for other in edits):
            continue
        changed[edit] = Edit(edit.start, new_end, "")
    return changed


def _replace(replacement, names: Names) -> str:
    if replacement.helper is None:
        return replacement.text
    return f"{names.helpers[replacement.helper]}({replacement.text})"


def _substitute(substitution, names: Names) -> str:
    if substitution.helper is None:
        return substitution.text
    return f"{names.helpers[substitution.helper]}({substitution.arguments})"


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
        rendered = blank.join(
            render_function(text, lines, scope, f, names, unit, plan.substitutions) for f in functions
        )
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
                    unit: str, substitutions=()) -> str:
    tf = names.tf
    used = set(names.used) | {p.name for p in function.params}
    tape = _fresh("tape", used) if function.tape else ""
    variables = _fresh("variables", used) if function.watched else ""
    replacements = [(s.start, s.end, _substitute(s, names)) for s in substitutions]
    replacements += [
        _gradient_replacement(scope.gradient_calls[n], tape, variables) for n in function.gradient_calls
    ]
    forward = _statement_block(text, lines, scope, [scope.statements[i] for i in function.forward], replacements)
    conversions = _conversions(function, tf)
    after = _statement_block(text, lines, scope, [scope.statements[i] for i in function.after], replacements)
    decorators = [f"@{names.helpers['numpy_results']}"]
    if function.compiled:
        flags = [p.name for p in function.params if p.flag]
        if flags:
            decorators.append(templates.render(templates.FLAG_COMMENT, {"names": _words(flags)}).strip())
            decorators.append(f"@{tf}.function(reduce_retracing=True)")
        else:
            decorators.append(f"@{tf}.function{_signature(function, tf, scope.indent)}")
    result = function.result
    if function.tape:
        results = _fresh("results", used) if function.pre_update else ""
        body = _tape_body(forward, after, function, tape, variables, results, used, tf)
        result = results or result
    else:
        body = forward
    if function.kept_statistics:
        flag = " or ".join(p.name for p in function.params if p.flag)
        body = templates.render_block(templates.KEEP_STATISTICS, {
            "helper": names.helpers["unchanged_moving_statistics"], "layers": ", ".join(function.kept_statistics),
            "flag": flag, "body": body,
        }, unit=unit)
    if conversions:
        body = templates.Block(conversions + body.text, frozenset(n + conversions.count("\n") for n in body.protected))
    params = ", ".join(p.name if p.default is None else f"{p.name}={p.default}" for p in function.params)
    values = {
        "decorators": "\n".join(decorators), "name": function.name, "params": params,
        "doc": _doc(function), "body": body, "result": result,
    }
    return templates.render(templates.FUNCTION, values, indent=scope.indent)


def _conversions(function: Function, tf: str) -> str:
    """Without an input signature (a placeholder_with_default has no dtype to write, a training flag is a
    Python bool), the fed values of the other placeholders are converted to their dtypes, as feed_dict
    converted them."""
    if function.signature:
        return ""
    lines = [templates.render(templates.CONVERT, {"name": p.name, "tf": tf, "dtype": p.dtype}).strip()
             for p in function.params if p.dtype and p.default is None and not p.flag]
    return "".join(line + "\n" for line in lines)


def _gradient_replacement(call, tape: str, variables: str) -> tuple[int, int, str]:
    if call.api == "tf.gradients":
        return call.start, call.end, templates.render(templates.TF_GRADIENTS, {
            "tape": tape, "ys": call.ys, "xs": call.xs}).strip()
    return call.start, call.end, templates.render(templates.COMPUTE_GRADIENTS, {
        "tape": tape, "ys": call.ys, "xs": call.xs or variables}).strip()


def _tape_body(forward: templates.Block, after: templates.Block, function: Function, tape: str,
               variables: str, results: str, used: set[str], tf: str) -> templates.Block:
    """The body of a function that takes gradients: the forward statements under the tape, then what
    uses the gradients, then the optimizers' updates."""
    fill = lambda template, **values: templates.render(template, {"tape": tape, **values}).strip()  # noqa: E731
    extra_forward: list[str] = []
    updates: list[str] = []
    minimizing = [s for s in function.steps if s.method == "minimize"]
    for step in function.steps:
        extra = f", global_step={step.global_step}" if step.global_step else ""
        if step.learning_rate:
            updates.append(fill(templates.SET_LEARNING_RATE, optimizer=step.optimizer, rate=step.learning_rate))
        if step.method == "apply_gradients":
            updates.append(fill(templates.APPLY_GIVEN, optimizer=step.optimizer, grads_and_vars=step.grads_and_vars,
                                extra=extra))
            continue
        loss = step.loss.strip()
        if not loss.isidentifier():
            loss_name = _fresh("loss_value", used)
            extra_forward.append(fill(templates.LOSS_VALUE, name=loss_name, loss=loss))
            loss = loss_name
        gradients = _fresh("gradients" if len(minimizing) == 1 else f"{_stem(step.train_op)}_gradients", used)
        over = step.variables or variables
        updates.append(fill(templates.GRADIENT, gradients=gradients, loss=loss, variables=over))
        apply = templates.APPLY if step.variables or len(minimizing) == 1 else templates.APPLY_PRESENT
        updates.append(fill(apply, optimizer=step.optimizer, gradients=gradients, variables=over, extra=extra))
    gradient_count = len(minimizing) + len(function.gradient_calls)
    forward_block = templates.Block(forward.text + templates.lines(*extra_forward), forward.protected)
    if not forward_block.text.strip() and not function.watch:
        forward_block = templates.Block("pass\n")
    return templates.render_block(templates.TAPE, {
        "tf": tf, "tape": tape, "persistent": "persistent=True" if gradient_count > 1 else "",
        "watch": templates.lines(*(fill(templates.WATCH, name=name) for name in function.watch)),
        "forward": forward_block,
        "variables": fill(templates.WATCHED_VARIABLES, variables=variables) if variables else "",
        "after": after,
        "results": fill(templates.RESULTS, results=results, value=function.result) if results else "",
        "updates": templates.lines(*updates),
    })


def _words(names: list[str]) -> str:
    return names[0] if len(names) == 1 else ", ".join(names[:-1]) + " and " + names[-1]


def _stem(train_op: str) -> str:
    for suffix in ("_op", "_optim", "_opt", "_step"):
        if train_op.endswith(suffix) and len(train_op) > len(suffix):
            return train_op[: -len(suffix)]
    return train_op


def _signature(function: Function, tf: str, indent: str = "") -> str:
    if not function.signature or not function.params:
        return ""
    specs = [f"{tf}.TensorSpec({p.shape or 'None'}, {p.dtype})" for p in function.params]
    one_line = f"(input_signature=[{', '.join(specs)}])"
    if len(indent) + len(f"@{tf}.function") + len(one_line) <= MAX_LINE:
        return one_line
    return "(input_signature=[\n" + "".join(f"    {spec},\n" for spec in specs) + "])"


def _doc(function: Function) -> str:
    fetch = " ".join(function.fetch.text.split())
    if len(fetch) > 40:
        fetch = fetch[:37] + "..."
    fetch = fetch.replace("\\", "\\\\").replace('"', "'")
    if function.kind == "eval":
        return f"Computes what {fetch}.eval() returned."
    if function.kind == "op_run":
        return f"Runs what {fetch}.run() ran."
    return f"Computes what sess.run({fetch}) fetched."


def _fresh(base: str, used: set[str]) -> str:
    name = base
    number = 2
    while name in used:
        name = f"{base}_{number}"
        number += 1
    used.add(name)
    return name


def _statement_block(text: str, lines: LineIndex, scope: GraphScope, statements: Iterable[Statement],
                     substitutions: Iterable[tuple[int, int, str]] = ()) -> templates.Block:
    """The statements' own lines (with the comments above them) at indentation 0, substitutions made."""
    out: list[str] = []
    protected: set[int] = set()
    substitutions = list(substitutions)
    for statement in statements:
        local = [Edit(a - statement.lead, b - statement.lead, r) for a, b, r in substitutions
                 if statement.lead <= a and b <= statement.end]
        chunk = apply_edits(text[statement.lead:statement.end], local)
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
