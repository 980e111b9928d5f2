"""Call arguments as source spans, and the edits that rename, remove, add or name them (or remove a
whole statement).

Shared by the ``api_*`` rules (not a rule itself). Edits touch only the characters they must, so the
formatting and comments of the rest of the call survive.
"""
from __future__ import annotations

import dataclasses
from typing import Iterable, Optional

import gast

from tf1to2.analysis.module import ModuleContext
from tf1to2.rewrite.edits import Edit

# Expressions that need no parentheses as an operand of ``1 - x`` or as a keyword value.
ATOMS = (gast.Name, gast.Attribute, gast.Call, gast.Subscript, gast.Constant, gast.List, gast.Tuple, gast.Dict)


@dataclasses.dataclass(frozen=True)
class Argument:
    keyword: Optional[str]  # None: positional (or ``**kwargs``, see ``double_star``)
    value: gast.AST
    start: int
    end: int
    starred: bool = False
    double_star: bool = False

    @property
    def positional(self) -> bool:
        return self.keyword is None and not self.starred and not self.double_star


def arguments(module: ModuleContext, call: gast.Call) -> list[Argument]:
    """The call's arguments in source order, each with the span of ``kw=value`` or ``value``."""
    found = []
    opening = module.text.index("(", module.span(call.func)[1])
    for arg in call.args:
        start, end = _widen(module.text, *module.span(arg), opening)
        found.append(Argument(None, arg, start, end, starred=isinstance(arg, gast.Starred)))
    for kw in call.keywords:
        start, end = module.span(kw)
        found.append(Argument(kw.arg, kw.value, start, end, double_star=kw.arg is None))
    return sorted(found, key=lambda a: a.start)


def _widen(text: str, start: int, end: int, opening: int) -> tuple[int, int]:
    """Include the parentheses around a positional argument (``f((a + b))``), not the call's own."""
    while True:
        before = len(text[:start].rstrip()) - 1
        after = len(text) - len(text[end:].lstrip())
        if before <= opening or text[before] != "(" or after >= len(text) or text[after] != ")":
            return start, end
        start, end = before, after + 1


def has_unpacking(args: Iterable[Argument]) -> bool:
    return any(a.starred or a.double_star for a in args)


def positional(args: list[Argument]) -> list[Argument]:
    return [a for a in args if a.positional]


def keyword(args: list[Argument], name: str) -> Optional[Argument]:
    return next((a for a in args if a.keyword == name), None)


def argument(args: list[Argument], name: str, position: Optional[int]) -> Optional[Argument]:
    """The argument passed as ``name=`` or at ``position``."""
    found = keyword(args, name)
    plain = positional(args)
    if found is None and position is not None and position < len(plain):
        found = plain[position]
    return found


def bound_parameters(args: list[Argument], names: list[str]) -> list[str]:
    """The parameter each argument binds to under the signature ``names`` ("" when none)."""
    plain = positional(args)
    return [
        (names[plain.index(a)] if plain.index(a) < len(names) else "") if a.positional else (a.keyword or "")
        for a in args
    ]


def resignature(
    module: ModuleContext, call: gast.Call, args: list[Argument], old: list[str], new: list[str], dropped: list[str]
) -> tuple[list[Edit], set[int]]:
    """Edits that make a call to signature ``old`` a call to ``new``: ``dropped`` parameters removed,
    positional arguments passed by keyword from the first whose position changed."""
    params = bound_parameters(args, old)
    removed = {i for i, p in enumerate(params) if p in dropped}
    kept = [(a, p) for a, p in zip(args, params) if a.positional and p not in dropped]
    moved = next((i for i, (_, p) in enumerate(kept) if new[i:i + 1] != [p]), len(kept))
    return [name_positional_edit(a, p) for a, p in kept[moved:]] + removal_edits(module, call, args, removed), removed


def keyword_name_edit(arg: Argument, new_name: str) -> Edit:
    return Edit(arg.start, arg.start + len(arg.keyword or ""), new_name)


def name_positional_edit(arg: Argument, name: str) -> Edit:
    return Edit(arg.start, arg.start, f"{name}=")


def removal_edits(module: ModuleContext, call: gast.Call, args: list[Argument], removed: set[int]) -> list[Edit]:
    """Remove the arguments at the given indexes of ``args`` with their commas."""
    edits = []
    close = module.span(call)[1] - 1
    index = 0
    while index < len(args):
        if index not in removed:
            index += 1
            continue
        last = index
        while last + 1 in removed:
            last += 1
        if index > 0:
            edits.append(Edit(args[index - 1].end, args[last].end, ""))
        elif last + 1 < len(args):
            edits.append(Edit(args[0].start, args[last + 1].start, ""))
        else:
            edits.append(Edit(args[0].start, close, ""))
        index = last + 1
    return edits


def append_edit(module: ModuleContext, call: gast.Call, args: list[Argument], text: str) -> Edit:
    """Add ``text`` (``name=value, ...``) as the last arguments."""
    if args:
        return Edit(args[-1].end, args[-1].end, ", " + text)
    close = module.span(call)[1] - 1
    return Edit(close, close, text)


def operand(module: ModuleContext, node: gast.AST) -> str:
    """Source of ``node``, parenthesized unless it is an atom."""
    text = module.snippet(node)
    if isinstance(node, ATOMS) and not (isinstance(node, gast.Constant) and str(text).startswith("-")):
        return text
    return f"({text})"


def is_literal(node: gast.AST, accepted: str) -> bool:
    """Whether ``node`` is what a table's ``accepted`` names: "string", "True" or "False"."""
    if accepted == "string":
        return isinstance(node, gast.Constant) and isinstance(node.value, (str, bytes)) or isinstance(
            node, gast.JoinedStr
        )
    return isinstance(node, gast.Constant) and repr(node.value) == accepted


def statement_removal(module: ModuleContext, statement: gast.stmt) -> Edit:
    """Remove a statement with its line; ``pass`` where it is alone in a block or shares its line."""
    start, end = module.span(statement)
    parent = module.parents.get(id(statement))
    alone = any(getattr(parent, field, None) == [statement] for field in ("body", "orelse", "finalbody"))
    starts = module.lines.starts
    line_start = starts[statement.lineno - 1]
    line_end = starts[statement.end_lineno] if statement.end_lineno < len(starts) else len(module.text)
    if alone or module.text[line_start:start].strip() or module.text[end:line_end].strip():
        return Edit(start, end, "pass")
    first, last = statement.lineno, statement.end_lineno
    if 1 < first and last + 1 < len(starts) and not (module.lines.line_text(first - 1) + module.lines.line_text(last + 1)).strip():
        line_end = starts[last + 1]  # no double blank line where the statement was
    return Edit(line_start, line_end, "")
