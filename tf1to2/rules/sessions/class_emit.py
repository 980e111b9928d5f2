"""A model class's plan (``class_plan``) → edits: the class's base, the bodies of ``__init__`` and of the
methods building the graph rebuilt without the graph code, one method per distinct ``self.sess.run``
rendered from templates, and the calls replacing the session sites."""
from __future__ import annotations

import ast
from typing import Callable, Optional

from tf1to2.analysis.graph.classes import Body, InitStatement, ModelClass, Reference
from tf1to2.rewrite.edits import Edit
from tf1to2.rules.sessions import optimizers, templates
from tf1to2.rules.sessions.class_plan import HELPER, ClassPlan, Method, local_name
from tf1to2.rules.sessions.emit import MAX_LINE

METHOD = '''
@$numpy
@$tf.function$signature
def $name(self, $params):
    """$doc"""
    $body
    return $result
'''

TAPE = '''
with $tf.GradientTape() as tape:
    $forward
variables = tape.watched_variables()
gradients = tape.gradient($loss, variables)
self.$optimizer.apply_gradients(zip(gradients, variables))
'''


def class_edits(text: str, plan: ClassPlan, tf: str, helpers: dict[str, str], unit: str) -> tuple[Edit, ...]:
    model = plan.model
    edits: list[Edit] = []
    if plan.module_base:
        if model.bases_span:
            edits.append(Edit(*model.bases_span, f"{tf}.Module"))
        else:
            edits.append(Edit(model.header_insert, model.header_insert, f"({tf}.Module)"))
    changes: dict[int, tuple[int, int, str]] = {}  # statement → (start, end, replacement), whole lines
    for train, name, converted in zip(model.trains, plan.optimizer_names, plan.optimizers):
        construction = _optimizer(text, model, train, converted, tf, helpers)
        assignment = _wrapped_assignment(model.body_indent, unit, f"self.{name}", construction)
        at = train.optimizer_statement if train.optimizer_statement is not None else train.statement
        changes[at] = (*_line_span(text, model.statements[at]), assignment)
        if at != train.statement:
            changes[train.statement] = (*_line_span(text, model.statements[train.statement]), "")
    for index, statement in enumerate(model.statements):
        if index in changes:
            continue
        if statement.kind in ("placeholder", "tensor", "session", "initializer", "optimizer", "train", "graph",
                              "wrapper", "saver"):
            changes[index] = (*_line_span(text, statement), "")
            continue
        renamed = [r for r in statement.references if r.key in plan.promoted]
        if statement.dedent:  # out of a removed ``with graph.as_default():``: whole lines, one level left
            start, end = _line_span(text, statement)
            replaced = _renamed(text, start, end, renamed, lambda key: f"self.{key}")
            changes[index] = (start, end, templates.indent_block(replaced, model.body_indent + statement.dedent,
                                                                 model.body_indent))
        elif renamed:
            replaced = _renamed(text, statement.start, statement.end, renamed, lambda key: f"self.{key}")
            changes[index] = (statement.start, statement.end, replaced)
    for body in model.bodies:
        own = {i: c for i, c in changes.items() if body.start <= c[0] < body.end}
        edits.append(Edit(body.start, body.end, _init_body(text, model, plan, own, body)))
    methods = "".join("\n" + _method(text, plan, method, tf, helpers, unit) for method in plan.methods)
    edits.append(Edit(model.init_end, model.init_end, methods))
    for method in plan.methods:
        for number in method.sites:
            site = model.sites[number]
            feeds = dict(site.feeds)
            arguments = ", ".join(f"{local_name(p)}={feeds[p]}" for p in method.params)
            edits.append(Edit(site.start, site.end, f"self.{method.name}({arguments})"))
    for call in model.saver_calls:
        checkpoint = f"{tf}.train.Checkpoint(model=self)"
        if call.method == "restore":
            replacement = f"{checkpoint}.restore({call.path})"
        elif call.step is None:
            replacement = f"{checkpoint}.write({call.path})"
        else:
            replacement = (f"{helpers.get('save_checkpoint', 'save_checkpoint')}({checkpoint}, {call.path}, "
                           f"{call.step}, max_to_keep={model.max_to_keep})")
        edits.append(Edit(call.start, call.end, replacement))
    for start, end, alone in model.closes:
        indent = text[start:len(text) - len(text[start:].lstrip(" \t"))]
        edits.append(Edit(start, end, f"{indent}pass\n" if alone else ""))
    return tuple(edits)


def _init_body(text: str, model: ModelClass, plan: ClassPlan, changes: dict[int, tuple[int, int, str]],
               body: Body) -> str:
    """The new body of __init__ or of a method building the graph (after its docstring): removed statements
    go with the blank line that separated them from what stays."""
    out: list[str] = []
    cursor = body.start
    dedents = {_line_span(text, s)[0]: s.dedent for s in model.statements if s.dedent}
    for start, end, replacement in sorted(changes.values()):
        # comments between statements (never inside a string) leave a removed ``with`` block with them
        out.append(templates.indent_block(text[cursor:start], body.indent + dedents[start], body.indent)
                   if dedents.get(start) else text[cursor:start])
        out.append(replacement)
        cursor = end
        if replacement == "" and (not "".join(out).strip() or "".join(out).endswith("\n\n")):
            while cursor < body.end and text[cursor:text.find("\n", cursor) + 1].strip() == "":
                cursor = text.find("\n", cursor) + 1
    out.append(text[cursor:body.end])
    written = "".join(out)
    written = written.rstrip() + "\n" if written.strip() else ""
    first = f"{body.indent}super().__init__()\n" if plan.module_base and body.method == "__init__" else ""
    if not first and not written.strip():
        first = f"{body.indent}pass\n"
    return first + written


def _line_span(text: str, statement: InitStatement) -> tuple[int, int]:
    start = text.rfind("\n", 0, statement.start) + 1
    end = text.find("\n", statement.end)
    return start, len(text) if end < 0 else end + 1


def _renamed(text: str, start: int, end: int, references: list[Reference], name: Callable[[str], str]) -> str:
    """``text[start:end]`` with each reference renamed; continuation lines aligned with a bracket of the
    first line follow it when the renames move it."""
    out, cursor = [], start
    for reference in sorted(references, key=lambda r: r.start):
        if reference.start < start or reference.end > end:
            continue
        out.append(text[cursor:reference.start])
        out.append(name(reference.key))
        cursor = reference.end
    out.append(text[cursor:end])
    return _realigned(text[start:end], "".join(out), start - (text.rfind("\n", 0, start) + 1))


def _realigned(old: str, new: str, column: int) -> str:
    old_lines, new_lines = old.split("\n"), new.split("\n")
    old_brackets, new_brackets = _open_brackets(old_lines[0]), _open_brackets(new_lines[0])
    if len(old_lines) == 1 or len(old_lines) != len(new_lines) or len(old_brackets) != len(new_brackets):
        return new
    moves = {column + a + 1: column + b + 1 for a, b in zip(old_brackets, new_brackets) if a != b}
    for number, line in enumerate(new_lines[1:], start=1):
        indent = len(line) - len(line.lstrip(" "))
        if line.strip() and indent in moves and old_lines[number].startswith(" " * indent):
            new_lines[number] = " " * moves[indent] + line.lstrip(" ")
    return "\n".join(new_lines)


def _open_brackets(line: str) -> list[int]:
    """Columns of the brackets a line leaves open (strings and comments skipped)."""
    stack: list[int] = []
    quote = ""
    for column, char in enumerate(line):
        if quote:
            if char == quote and line[column - 1] != "\\":
                quote = ""
        elif char in "'\"":
            quote = char
        elif char == "#":
            break
        elif char in "([{":
            stack.append(column)
        elif char in ")]}" and stack:
            stack.pop()
    return stack


def _optimizer(text: str, model: ModelClass, train, converted: optimizers.Converted, tf: str,
               helpers: dict[str, str]) -> str:
    if converted.kind != "keras":
        arguments = ", ".join(v if k is None else f"{k}={v}" for k, v in train.optimizer_args)
        return f"{tf}.compat.v1.train.{train.optimizer_api.rsplit('.', 1)[-1]}({arguments})"
    cls = helpers.get(converted.helper, converted.helper) if converted.helper else \
        f"{tf}.keras.optimizers.{converted.keras_class}"
    return f"{cls}({', '.join(f'{k}={v}' for k, v in converted.keywords)})"


def _wrapped_assignment(indent: str, unit: str, target: str, construction: str) -> str:
    """``target = Cls(a, b)``, its arguments on a line of their own when the whole is too long."""
    line = f"{indent}{target} = {construction}\n"
    if len(line) - 1 <= MAX_LINE or not construction.endswith(")"):
        return line
    head, arguments = construction.split("(", 1)
    return f"{indent}{target} = {head}(\n{indent}{unit}{arguments[:-1]}\n{indent})\n"


def _method(text: str, plan: ClassPlan, method: Method, tf: str, helpers: dict[str, str], unit: str) -> str:
    model = plan.model
    site = model.sites[method.sites[0]]
    placeholders = [model.placeholder(key) for key in method.params]
    literal = all(p is not None and _literal(p.shape) for p in placeholders)
    if literal and placeholders:
        specs = ", ".join(f"{tf}.TensorSpec({p.shape or 'None'}, {p.dtype})" for p in placeholders)
        signature = f"(input_signature=[{specs}])"
        if len(model.method_indent) + len(f"@{tf}.function{signature}") > MAX_LINE:
            indent = model.method_indent
            signature = "(input_signature=[\n" + "".join(
                f"{indent}{unit}{tf}.TensorSpec({p.shape or 'None'}, {p.dtype}),\n" for p in placeholders
            ) + f"{indent}])"
        casts = []
    else:
        signature = "(reduce_retracing=True)"
        casts = [f"{local_name(p.key)} = {tf}.cast({local_name(p.key)}, {p.dtype})" for p in placeholders]
    statements = []
    for index in method.statements:
        statement = model.statements[index]
        line_start = text.rfind("\n", 0, statement.start) + 1
        body = _renamed(text, statement.start, statement.end, list(statement.references),
                        lambda key: f"self.{key}" if key in plan.promoted else local_name(key))
        block = templates.indent_block(text[line_start:statement.start] + body, model.body_indent + statement.dedent,
                                       "")
        statements.append(block.rstrip("\n"))
    forward = "\n".join(statements)
    if method.train is not None:
        train = model.trains[method.train]
        body = templates.render(TAPE, {"tf": tf, "forward": templates.Block(forward + "\n"),
                                       "loss": local_name(train.loss),
                                       "optimizer": plan.optimizer_names[method.train]}, unit=unit)
    else:
        body = forward + "\n"
    body = "".join(c + "\n" for c in casts) + body
    trains = {t.key for t in model.trains}
    result = _renamed(text, site.fetch_start, site.fetch_start + len(site.fetch_text), list(site.fetch_references),
                      lambda key: "None" if key in trains else local_name(key))
    fetch = " ".join(site.fetch_text.split()).replace('"', "'")
    session = f"self.{model.session}.run"
    doc = f"Computes what {session}({fetch}) fetched." if len(fetch) <= 40 else \
        f"Computes what {session}({fetch[:37]}...) fetched."
    return templates.render(METHOD, {
        "numpy": helpers.get(HELPER, HELPER), "tf": tf, "signature": signature, "name": method.name,
        "params": ", ".join(local_name(k) for k in method.params), "doc": doc,
        "body": templates.Block(body), "result": " ".join(result.split()),
    }, indent=model.method_indent, unit=unit).replace("(self, )", "(self)")


def _literal(shape: Optional[str]) -> bool:
    if shape is None:
        return True
    try:
        ast.literal_eval(shape)
    except (ValueError, SyntaxError):
        return False
    return True
