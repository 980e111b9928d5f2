"""Describe original statements as ``Moved`` parts: which are copied, dropped or unwrapped.

A statement that is copied may hold statements that are not (a ``get_variable`` line inside a loop, a
``variable_scope`` block inside a loop): those become rewrites of the copied text — lines deleted, a
``with`` header deleted and its body dedented — so the statement is copied once, in place, with its
own formatting. A block left empty gets ``pass``.
"""
from __future__ import annotations

from typing import Callable, Iterable

from tf1to2.analysis.syntax import ModuleIR, Stmt
from tf1to2.rewrite.templates import dedent_edits
from tf1to2.rules.variables_to_layers.model import Moved, Rewrite

Decide = Callable[[Stmt], str]  # statement → keep, drop or unwrap


def moved(ir: ModuleIR, stmts: Iterable[Stmt], decide: Decide) -> tuple[Moved, ...]:
    out = []
    for stmt in stmts:
        action = decide(stmt)
        children: tuple[Moved, ...] = ()
        header_end = 0
        inner: tuple[Rewrite, ...] = ()
        if action == "unwrap":
            children = moved(ir, stmt.body, decide)
            header_end = ir.line_start(stmt.body[0].start) if stmt.body else ir.line_end(stmt.start)
        elif action == "keep" and stmt.kind not in ("def", "class"):
            inner = tuple(_nested(ir, stmt, decide, 0))
        out.append(
            Moved(
                stmt_id=stmt.id,
                start=stmt.start,
                end=stmt.end,
                indent=stmt.indent,
                lead=leading_comments(ir, stmt.start),
                action=action,
                children=children,
                header_end=header_end,
                inner=inner,
            )
        )
    return tuple(out)


def _nested(ir: ModuleIR, stmt: Stmt, decide: Decide, shift: int) -> list[Rewrite]:
    """Rewrites of a kept statement's text: its own lines moved left by ``shift`` (the dedent of the
    ``with`` blocks unwrapped around it), nested statements dropped, unwrapped or handled the same way."""
    rewrites: list[Rewrite] = []
    children = [c for block in _blocks(stmt) for c in block] if stmt.kind not in ("def", "class") else []
    if shift:
        spans = [(leading_comments(ir, c.start), ir.line_end(c.end)) for c in children]
        for edit in dedent_edits(ir.text, leading_comments(ir, stmt.start), ir.line_end(stmt.end), shift):
            if edit.start != edit.end and not any(s <= edit.start < e for s, e in spans):
                rewrites.append(Rewrite(edit.start, edit.end, ""))
    if stmt.kind in ("def", "class"):
        return rewrites
    for block in _blocks(stmt):
        rewrites.extend(_block(ir, block, decide, shift))
    return rewrites


def _block(ir: ModuleIR, block: tuple[Stmt, ...], decide: Decide, shift: int, nested: bool = False) -> list[Rewrite]:
    """Rewrites for one block's statements; ``pass`` when none is left (unless the block is the body of an
    unwrapped ``with``, whose statements join the enclosing block)."""
    rewrites: list[Rewrite] = []
    for child in block:
        action = decide(child)
        if action == "drop":
            rewrites.append(Rewrite(leading_comments(ir, child.start), ir.line_end(child.end), ""))
        elif action == "unwrap" and child.body:
            rewrites.append(Rewrite(leading_comments(ir, child.start), ir.line_start(child.body[0].start), ""))
            width = len(child.body[0].indent) - len(child.indent)
            rewrites.extend(_block(ir, child.body, decide, shift + width, nested=True))
        else:
            rewrites.extend(_nested(ir, child, decide, shift))
    if block and not nested and not any(_leaves_code(c, decide) for c in block):
        last = block[-1]
        indent = last.indent[: max(0, len(last.indent) - shift)]
        rewrites.append(Rewrite(ir.line_end(last.end), ir.line_end(last.end), f"{indent}pass\n"))
    return rewrites


def _leaves_code(stmt: Stmt, decide: Decide) -> bool:
    action = decide(stmt)
    if action == "drop":
        return False
    if action == "unwrap":
        return any(_leaves_code(c, decide) for c in stmt.body)
    return True


def _blocks(stmt: Stmt) -> list[tuple[Stmt, ...]]:
    return [b for b in (stmt.body, stmt.orelse, *stmt.handlers, stmt.finalbody) if b]


def leading_comments(ir: ModuleIR, start: int) -> int:
    """Start of the comment lines directly above the statement (its own line start when there are none)."""
    return leading_comments_in(ir.text, start)


def leading_comments_in(text: str, start: int) -> int:
    lead = text.rfind("\n", 0, start) + 1
    while lead > 0:
        previous = text.rfind("\n", 0, lead - 1) + 1
        if not text[previous:lead].strip().startswith("#"):
            break
        lead = previous
    return lead
