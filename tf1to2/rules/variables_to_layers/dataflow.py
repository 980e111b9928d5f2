"""Where the values a weight's shape or a sublayer's configuration need come from.

A weight moves from the middle of a function to ``__init__`` or ``build``; the statements computing its
shape (``nin = x.get_shape()[1].value``) must move with it. ``Body`` indexes a function body's
straight-line statements (those not under a branch or loop, ``with`` blocks included) and ``needs``
follows names back to parameters, recording whether a tensor parameter is read whole or only through
its shape.
"""
from __future__ import annotations

import builtins
import dataclasses
from typing import Iterable, Optional

from tf1to2.analysis.syntax import Expr, NameRef, Stmt

BUILTINS = frozenset(dir(builtins))


class Unsupported(Exception):
    """This unit cannot be converted; the message says which construct and why."""


@dataclasses.dataclass
class Needs:
    """What a set of expressions depends on."""

    params: set[str] = dataclasses.field(default_factory=set)  # parameters read whole
    shape_params: set[str] = dataclasses.field(default_factory=set)  # parameters read only for their shape
    statements: list[Stmt] = dataclasses.field(default_factory=list)  # local statements to replay, in order
    loop_targets: set[str] = dataclasses.field(default_factory=set)
    outer: set[str] = dataclasses.field(default_factory=set)  # names from the module (or builtins)

    def merge(self, other: "Needs") -> None:
        self.params |= other.params
        self.shape_params |= other.shape_params
        self.loop_targets |= other.loop_targets
        self.outer |= other.outer
        for stmt in other.statements:
            if all(stmt.id != s.id for s in self.statements):
                self.statements.append(stmt)
        self.statements.sort(key=lambda s: s.start)


class Body:
    """A function (or module) body: which statements bind which names, and how."""

    def __init__(self, body: tuple[Stmt, ...], params: Iterable[str], shape_helpers: Iterable[str] = ()) -> None:
        self.params = set(params)
        self.shape_helpers = set(shape_helpers)
        self.straight: list[Stmt] = []  # straight-line statements, source order
        self.bindings: dict[str, list[Stmt]] = {}  # name → every statement binding it (anywhere)
        self.loop_targets: dict[str, Stmt] = {}
        self._index(body, straight=True)

    def _index(self, body: Iterable[Stmt], straight: bool) -> None:
        for stmt in body:
            for name in stmt.targets:
                self.bindings.setdefault(name, []).append(stmt)
            if stmt.kind == "for":
                for name in stmt.targets:
                    self.loop_targets[name] = stmt
            if stmt.kind in ("def", "class"):
                continue
            if straight and stmt.kind not in ("for", "while", "if", "try", "with"):
                self.straight.append(stmt)
            if stmt.kind == "with":
                self._index(stmt.body, straight)
            else:
                for child in stmt.children():
                    self._index([child], straight=False)

    def is_local(self, name: str) -> bool:
        return name in self.bindings or name in self.params

    def single_binding(self, name: str) -> Optional[Stmt]:
        """The one straight-line assignment of ``name``, if that is its only binding."""
        stmts = self.bindings.get(name, [])
        if len(stmts) != 1 or stmts[0] not in self.straight:
            return None
        stmt = stmts[0]
        return stmt if stmt.kind in ("assign", "annassign") else None

    def needs(self, exprs: Iterable[Expr], before: int, seen: Optional[set[str]] = None) -> Needs:
        """Follow every name the expressions read back to parameters and replayable statements."""
        out = Needs()
        seen = set() if seen is None else seen
        for expr in exprs:
            shape_names = _shape_read_names(expr, self.shape_helpers)
            for ref in expr.names:
                if ref.store:
                    continue
                if _within_shape_read(ref, expr, self.shape_helpers):
                    continue
                self._need_name(ref.name, before, out, seen)
            for name in shape_names:
                if name in self.params:
                    out.shape_params.add(name)
                elif name in self.bindings:
                    raise Unsupported(f"a weight's shape depends on the shape of `{name}`, which is computed in the function")
        return out

    def _need_name(self, name: str, before: int, out: Needs, seen: set[str]) -> None:
        if name in seen:
            return
        seen.add(name)
        if name in self.loop_targets and name not in self.params:
            out.loop_targets.add(name)
            return
        if name in self.params and name not in self.bindings:
            out.params.add(name)
            return
        if name not in self.bindings:
            out.outer.add(name)
            return
        stmts = [s for s in self.bindings[name] if s.start < before]
        if not stmts:
            if name in self.params:
                out.params.add(name)
                return
            raise Unsupported(f"`{name}` is used before it is assigned")
        if len(stmts) > 1 or stmts[0] not in self.straight or stmts[0].kind not in ("assign", "annassign"):
            raise Unsupported(f"`{name}`, needed to create a weight, is assigned conditionally or more than once")
        stmt = stmts[0]
        inner = self.needs([stmt.value] if stmt.value is not None else [], stmt.start, seen)
        out.merge(inner)
        if all(stmt.id != s.id for s in out.statements):
            out.statements.append(stmt)
            out.statements.sort(key=lambda s: s.start)


def _shape_read_names(expr: Expr, helpers: set[str]) -> set[str]:
    names = {read.name for read in expr.shape_reads}
    for call in expr.calls:
        if call.callee in helpers and len(call.args) == 1 and call.args[0].value.kind == "name":
            names.add(call.args[0].value.name)
    return names


def _within_shape_read(ref: NameRef, expr: Expr, helpers: set[str]) -> bool:
    for read in expr.shape_reads:
        if read.start <= ref.start and ref.end <= read.end and ref.name == read.name:
            return True
    for call in expr.calls:
        if call.callee in helpers and len(call.args) == 1:
            arg = call.args[0].value
            if arg.kind == "name" and arg.start == ref.start:
                return True
    return False


def reads(stmts: Iterable[Stmt]) -> set[str]:
    """Names read anywhere in the statements (nested blocks included, nested defs excluded)."""
    found: set[str] = set()
    for stmt in stmts:
        for inner in stmt.walk():
            found.update(ref.name for ref in inner.reads() if not ref.store)
    return found


def is_shape_helper(stmt: Stmt) -> bool:
    """A one-parameter function that reads its argument only through its shape (GPT-2's ``shape_list``)."""
    if stmt.kind != "def" or len(stmt.params) != 1 or stmt.params[0].kind != "positional":
        return False
    param = stmt.params[0].name
    used = False
    for inner in (s for top in stmt.body for s in top.walk()):
        for expr in inner.exprs:
            for ref in expr.names:
                if ref.name != param or ref.store:
                    continue
                if not _within_shape_read(ref, expr, set()):
                    return False
                used = True
        if inner.kind in ("def", "class"):
            return False
    return used
