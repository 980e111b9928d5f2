"""Describe original statements as ``Moved`` parts: which are copied, dropped or unwrapped."""
from __future__ import annotations

from typing import Callable, Iterable

from tf1to2.analysis.syntax import ModuleIR, Stmt
from tf1to2.rules.variables_to_layers.model import Moved

Decide = Callable[[Stmt], str]  # statement → keep, drop or unwrap


def moved(ir: ModuleIR, stmts: Iterable[Stmt], decide: Decide) -> tuple[Moved, ...]:
    out = []
    for stmt in stmts:
        action = decide(stmt)
        children: tuple[Moved, ...] = ()
        header_end = 0
        if action == "unwrap":
            children = moved(ir, stmt.body, decide)
            header_end = ir.line_start(stmt.body[0].start) if stmt.body else ir.line_end(stmt.start)
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
            )
        )
    return tuple(out)


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
