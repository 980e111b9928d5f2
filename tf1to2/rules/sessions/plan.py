"""From a graph scope (``analysis.graph``) to a plan: which functions replace which session sites.

The plan is pure data, testable without source text: every distinct ``sess.run`` becomes a
``Function`` made of the graph statements its fetches need (a backward slice through the scope's
statements, stopping at state such as variables and layers), with the placeholders it needs as
parameters and a ``Step`` per train op it runs. A scope that cannot be converted gets a ``fallback``
reason and no edits.
"""
from __future__ import annotations

import dataclasses
import re
from typing import Iterable, Optional

from tf1to2.analysis.graph import MOVABLE, Fetch, GraphModule, GraphScope, Kind, Site, Statement, TrainOp
from tf1to2.diagnostics import Severity
from tf1to2.rules.sessions import codes, optimizers


@dataclasses.dataclass(frozen=True)
class Param:
    name: str
    dtype: str
    shape: Optional[str]
    default: Optional[str]


@dataclasses.dataclass(frozen=True)
class Step:
    """One train op run by a function: a gradient step of ``optimizer`` on ``loss``."""

    train_op: str
    optimizer: str  # the optimizer's name in the output
    loss: str
    variables: Optional[str]  # var_list as written; None: the variables the tape watched
    global_step: Optional[str]
    compat: bool  # the TF1 optimizer is kept (its apply_gradients takes global_step)


@dataclasses.dataclass(frozen=True)
class Function:
    name: str
    params: tuple[Param, ...]
    statements: tuple[int, ...]  # scope statements, in order
    steps: tuple[Step, ...]
    result: str  # the return expression
    fetch: Fetch
    compiled: bool  # wrapped in tf.function
    signature: bool  # with an input_signature from the placeholders
    insert_at: int  # offset where the definition goes
    sites: tuple[int, ...]  # indexes into scope.sites


@dataclasses.dataclass(frozen=True)
class CallSite:
    site: int
    function: str
    arguments: tuple[tuple[str, str], ...]  # (parameter, value source text)


@dataclasses.dataclass(frozen=True)
class OptimizerChange:
    statement: int
    name: str  # the name the optimizer is bound to in the output
    converted: optimizers.Converted
    tf1_call: tuple[int, int]  # span of the TF1 constructor call
    replace_statement: bool  # a train op with an inline optimizer: the statement becomes ``name = ...``


@dataclasses.dataclass(frozen=True)
class Note:
    code: str
    line: int
    col: int
    message: str
    severity: Severity
    site: Optional[int] = None  # the session site the note is about (its edits travel with it)
    statement: Optional[int] = None  # the statement it is about (likewise)


@dataclasses.dataclass(frozen=True)
class ScopePlan:
    scope: GraphScope
    functions: tuple[Function, ...] = ()
    calls: tuple[CallSite, ...] = ()
    removed: tuple[int, ...] = ()  # statements deleted
    removed_sites: tuple[int, ...] = ()  # sites whose statement is deleted (initializer runs, close)
    optimizers: tuple[OptimizerChange, ...] = ()
    notes: tuple[Note, ...] = ()
    fallback: str = ""

    @property
    def helpers(self) -> frozenset[str]:
        found = {"numpy_results"} if self.functions else set()
        found.update(c.converted.helper for c in self.optimizers if c.converted.helper)
        return frozenset(found)


class _Unconvertible(Exception):
    def __init__(self, line: int, col: int, message: str) -> None:
        super().__init__(message)
        self.line = line
        self.col = col
        self.message = message


def plan_scope(scope: GraphScope, module: GraphModule) -> ScopePlan:
    """Plan one scope; a scope with a problem falls back whole (its sites stay graph code)."""
    if module.tf_alias is None:
        return _fallback(scope, scope.line, 0, "TensorFlow is not imported as a module name (import tensorflow as tf)")
    if scope.problems:
        first = scope.problems[0]
        return _fallback(scope, first.line, first.col, first.message)
    try:
        return _Planner(scope, module).plan()
    except _Unconvertible as exc:
        return _fallback(scope, exc.line, exc.col, exc.message)


def fallback(scope: GraphScope, reason: str) -> ScopePlan:
    """The plan of a scope kept as graph code because of ``reason`` (found elsewhere in the file)."""
    return _fallback(scope, scope.line, 0, reason)


def _fallback(scope: GraphScope, line: int, col: int, reason: str) -> ScopePlan:
    notes = [Note(codes.SITE_KEPT, s.line, s.col, f"{_site_label(s)} kept as graph code: {reason}", Severity.WARNING)
             for s in scope.sites if s.kind != "close"]
    if not notes:
        notes.append(Note(codes.SITE_KEPT, line, col, f"graph code kept: {reason}", Severity.WARNING))
    return ScopePlan(scope=scope, notes=tuple(notes), fallback=f"line {line}: {reason}")


def _site_label(site: Site) -> str:
    text = " ".join(site.text.split())
    return text if len(text) <= 70 else text[:67] + "..."


class _Planner:
    def __init__(self, scope: GraphScope, module: GraphModule) -> None:
        self.scope = scope
        self.module = module
        self.statements = scope.statements
        self.placeholders = {p.name: p for p in scope.placeholders}
        self.train_ops = {t.statement: t for t in scope.train_ops}
        self.used_names = set(module.names)
        self.functions: dict[tuple, Function] = {}
        self.calls: list[CallSite] = []
        self.removed_sites: list[int] = []
        self.notes: list[Note] = []
        self.optimizer_names: dict[int, str] = {}  # train op statement → optimizer name in the output
        self.optimizer_changes: dict[int, OptimizerChange] = {}

    def plan(self) -> ScopePlan:
        self._plan_optimizers()
        for number, site in enumerate(self.scope.sites):
            self._plan_site(number, site)
        if not self.functions and not self.removed_sites:
            raise _Unconvertible(self.scope.line, 0, "no session runs this graph in the same scope")
        removed = self._removed()
        self._statement_notes(removed)
        return ScopePlan(
            scope=self.scope, functions=self._placed(tuple(self.functions.values())), calls=tuple(self.calls),
            removed=tuple(sorted(removed)), removed_sites=tuple(self.removed_sites),
            optimizers=tuple(self.optimizer_changes.values()), notes=tuple(self.notes),
        )

    # optimizers

    def _plan_optimizers(self) -> None:
        named = {name: (call, index) for name, call, index in self.scope.optimizers}
        for name, (call, index) in named.items():
            converted = optimizers.convert(call.api, call.args)
            self.optimizer_changes[index] = OptimizerChange(index, name, converted, (call.start, call.end), False)
        for train in self.scope.train_ops:
            if train.optimizer_name is not None:
                self.optimizer_names[train.statement] = train.optimizer_name
                continue
            call = train.optimizer
            name = self._fresh(_optimizer_name(train.name))
            converted = optimizers.convert(call.api, call.args)
            self.optimizer_changes[train.statement] = OptimizerChange(
                train.statement, name, converted, (call.start, call.end), True
            )
            self.optimizer_names[train.statement] = name
        for train in self.scope.train_ops:
            if train.method != "minimize":
                raise _Unconvertible(train.line, 0, f"{train.method} is not converted yet")
            if train.global_step is not None:
                raise _Unconvertible(train.line, 0, "minimize(global_step=...) is not converted yet")

    def _fresh(self, base: str) -> str:
        name = base
        number = 2
        while name in self.used_names:
            name = f"{base}_{number}"
            number += 1
        self.used_names.add(name)
        return name

    # sites

    def _plan_site(self, number: int, site: Site) -> None:
        if site.problem:
            raise _Unconvertible(site.line, site.col, site.problem)
        if site.kind == "close":
            self._removable(site, "sess.close()")
            return
        if site.kind == "open":
            self._removable(site, "the session")
            return
        if site.kind == "with":
            self.notes.append(Note(codes.SESSION_REMOVED, site.line, site.col,
                                   "with block removed: eager code runs where it is written", Severity.INFO,
                                   site=number))
            return
        leaves = list(site.fetch.leaves())
        if all(leaf.initializer for leaf in leaves):
            self._removable(site, "running the variable initializers")
            return
        if any(leaf.initializer for leaf in leaves):
            raise _Unconvertible(site.line, site.col, "fetches an initializer together with other values")
        needed, steps, leaf_values = self._slice(site)
        params = self._params(site, needed)
        # one function per distinct fetch of the same graph code; which placeholders are fed does not
        # matter (unfed ones with a default are default arguments)
        key = (re.sub(r"\s+", "", site.fetch.text), tuple(needed), tuple(t.name for t in steps))
        function = self.functions.get(key)
        if function is None:
            function = self._function(site, needed, steps, params, leaf_values)
        function = dataclasses.replace(function, sites=function.sites + (number,))
        self.functions[key] = function
        arguments = tuple((_feed_name(k), v) for k, v in site.feeds if _feed_name(k) in {p.name for p in params})
        self.calls.append(CallSite(number, function.name, arguments))
        self.notes.append(Note(
            codes.SITE_CONVERTED, site.line, site.col,
            f"{_site_label(site)} → {function.name}({', '.join(f'{p}=...' for p, _ in arguments)})", Severity.INFO,
            site=number,
        ))

    def _removable(self, site: Site, what: str) -> None:
        if not site.alone:
            raise _Unconvertible(site.line, site.col, f"{what} is part of a larger expression")
        number = self.scope.sites.index(site)
        self.removed_sites.append(number)
        if "initializer" in what:
            code, message = codes.INITIALIZER_REMOVED, f"{what} removed: eager variables are initialized when created"
        else:
            code, message = codes.SESSION_REMOVED, f"{what} removed: there is no session"
        self.notes.append(Note(code, site.line, site.col, message, Severity.INFO, site=number))

    def _binding(self, name: str, before: int) -> Optional[Statement]:
        for statement in reversed(self.statements[:before]):
            if name in statement.binds:
                return statement
        for statement in reversed(self.statements):  # a function body runs after the graph is built
            if name in statement.binds and statement.kind in MOVABLE:
                return statement
        return None

    def _slice(self, site: Site) -> tuple[list[int], list[TrainOp], dict[str, str]]:
        """The statements the fetches need, the train ops they run, and each leaf's returned value."""
        needed: set[int] = set()
        steps: list[TrainOp] = []
        values: dict[str, str] = {}
        for leaf in site.fetch.leaves():
            trains = [self._binding(n, site.statement) for n in leaf.names]
            train_bindings = [b for b in trains if b is not None and b.kind is Kind.TRAIN]
            if train_bindings:
                if leaf.text.strip() not in train_bindings[0].binds or len(leaf.names) != 1:
                    raise _Unconvertible(site.line, site.col, f"train op {leaf.text} is fetched inside an expression")
                train = self.train_ops[train_bindings[0].index]
                if train not in steps:
                    steps.append(train)
                values[leaf.text] = "None"
                self._need(train.loss_names, train_bindings[0].index, needed, site)
                if train.var_list:
                    for name in train.var_list_names:
                        binding = self._binding(name, train_bindings[0].index)
                        if binding is not None and binding.kind in MOVABLE:
                            raise _Unconvertible(train.line, 0, f"var_list {train.var_list} is computed from the graph")
                continue
            self._need(leaf.names, site.statement, needed, site)
            values[leaf.text] = leaf.text
        return sorted(needed), steps, values

    def _need(self, names: Iterable[str], before: int, needed: set[int], site: Site) -> None:
        for name in names:
            binding = self._binding(name, before)
            if binding is None or binding.kind not in MOVABLE or binding.index in needed:
                continue
            if binding.kind is Kind.TRAIN:
                raise _Unconvertible(site.line, site.col, f"{name}, a train op, is used as a value")
            if binding.creates_variables:
                raise _Unconvertible(
                    binding.line, binding.col,
                    f"line {binding.line} creates variables while computing from placeholders; in eager code it "
                    "would create new ones at every run (convert it to a layer first)",
                )
            needed.add(binding.index)
            if binding.kind is Kind.TENSOR:
                self._need(binding.reads, binding.index, needed, site)

    def _params(self, site: Site, needed: list[int]) -> list[Param]:
        fed = {}
        for key, value in site.feeds:
            name = _feed_name(key)
            placeholder = self.placeholders.get(name or "")
            binding = self._binding(name, site.statement) if name else None
            if placeholder is None or binding is None or binding.kind is not Kind.PLACEHOLDER:
                raise _Unconvertible(site.line, site.col, f"feeds {key}, which is not a placeholder of this graph")
            fed[name] = value
        params = []
        for index in needed:
            statement = self.statements[index]
            if statement.kind is not Kind.PLACEHOLDER:
                continue
            placeholder = next(p for p in self.scope.placeholders if p.statement == index)
            if placeholder.name not in fed and placeholder.default is None:
                raise _Unconvertible(site.line, site.col, f"placeholder {placeholder.name} is not fed")
            params.append(Param(placeholder.name, placeholder.dtype, placeholder.shape, placeholder.default))
        # Python needs parameters with defaults last; keep the placeholders' order otherwise.
        return [p for p in params if p.default is None] + [p for p in params if p.default is not None]

    def _function(self, site: Site, needed: list[int], trains: list[TrainOp], params: list[Param],
                  values: dict[str, str]) -> Function:
        steps = []
        for train in trains:
            change = self.optimizer_changes[self._optimizer_statement(train)]
            steps.append(Step(
                train_op=train.name, optimizer=self.optimizer_names[train.statement], loss=train.loss or "",
                variables=train.var_list, global_step=train.global_step, compat=change.converted.kind == "compat",
            ))
        name = self._fresh(_function_name(site, trains))
        statements = [i for i in needed if self.statements[i].kind is Kind.TENSOR]
        last = max(needed + [t.statement for t in trains] + [self._optimizer_statement(t) for t in trains], default=0)
        return Function(
            name=name, params=tuple(params), statements=tuple(statements), steps=tuple(steps),
            result=_result(site.fetch, values), fetch=site.fetch, compiled=True,
            signature=all(p.dtype for p in params), insert_at=self._insertion_after(last), sites=(),
        )

    def _placed(self, functions: tuple[Function, ...]) -> tuple[Function, ...]:
        """All functions at the latest insertion point when that is still before every direct use."""
        latest = max((f.insert_at for f in functions), default=0)
        for function in functions:
            for number in function.sites:
                statement = self.statements[self.scope.sites[number].statement]
                if statement.start < latest and not statement.is_def:
                    return functions
        return tuple(dataclasses.replace(f, insert_at=latest) for f in functions)

    def _optimizer_statement(self, train: TrainOp) -> int:
        if train.optimizer_name is None:
            return train.statement
        for name, _, index in self.scope.optimizers:
            if name == train.optimizer_name:
                return index
        raise _Unconvertible(train.line, 0, f"optimizer {train.optimizer_name} not found")

    def _insertion_after(self, index: int) -> int:
        if index + 1 < len(self.statements):
            return self.statements[index + 1].lead
        return self.statements[index].end

    # statements

    def _removed(self) -> set[int]:
        removed = set()
        for statement in self.statements:
            if statement.kind in (Kind.PLACEHOLDER, Kind.TENSOR, Kind.INIT, Kind.SESSION, Kind.GRAPH):
                removed.add(statement.index)
            elif statement.kind is Kind.TRAIN and statement.index not in {
                c.statement for c in self.optimizer_changes.values() if c.replace_statement
            }:
                removed.add(statement.index)
        return removed

    def _statement_notes(self, removed: set[int]) -> None:
        used = {i for f in self.functions.values() for i in f.statements}
        run = {s.train_op for f in self.functions.values() for s in f.steps}
        for statement in self.statements:
            line, col = statement.line, statement.col
            if statement.kind is Kind.PLACEHOLDER:
                name = statement.binds[0] if statement.binds else "?"
                users = [f.name for f in self.functions.values() if any(p.name == name for p in f.params)]
                message = (f"placeholder {name} → argument of {', '.join(users)}" if users
                           else f"placeholder {name} is fed by no session site: removed")
                self.notes.append(Note(codes.PLACEHOLDER, line, col, message, Severity.INFO, statement=statement.index))
            elif statement.kind is Kind.TENSOR and statement.index not in used:
                self.notes.append(Note(codes.UNUSED_GRAPH, line, col, "graph code no session site runs: removed",
                                       Severity.INFO, statement=statement.index))
            elif statement.kind is Kind.INIT:
                self.notes.append(Note(codes.INITIALIZER_REMOVED, line, col,
                                       "initializer op removed: eager variables are initialized when created",
                                       Severity.INFO, statement=statement.index))
            elif statement.kind in (Kind.SESSION, Kind.WRAPPER, Kind.GRAPH):
                what = {Kind.SESSION: "session", Kind.WRAPPER: "with block", Kind.GRAPH: "graph"}[statement.kind]
                self.notes.append(Note(codes.SESSION_REMOVED, line, col,
                                       f"{what} removed: eager code runs where it is written", Severity.INFO,
                                       statement=statement.index))
        for change in self.optimizer_changes.values():
            train = self.train_ops.get(change.statement)
            self._optimizer_note(change, train, run)
        for train in self.scope.train_ops:
            if train.name not in run:
                self.notes.append(Note(codes.UNUSED_GRAPH, train.line, 0,
                                       f"train op {train.name} is run by no session site: removed", Severity.INFO))

    def _optimizer_note(self, change: OptimizerChange, train: Optional[TrainOp], run: set[str]) -> None:
        statement = self.statements[change.statement]
        converted = change.converted
        if converted.kind == "compat":
            self.notes.append(Note(codes.OPTIMIZER_KEPT, statement.line, statement.col,
                                   f"{change.name}: {converted.reason}", Severity.WARNING, statement=change.statement))
            return
        keywords = ", ".join(f"{k}={v}" for k, v in converted.keywords)
        message = f"{change.name} → {converted.keras_class}({keywords})"
        if converted.note:
            message += f": {converted.note}"
        self.notes.append(Note(codes.OPTIMIZER, statement.line, statement.col, message, Severity.INFO,
                               statement=change.statement))


def _feed_name(key: str) -> Optional[str]:
    key = key.strip()
    return key if key.isidentifier() else None


def _optimizer_name(train_op: str) -> str:
    base = train_op
    for suffix in ("_op", "_step", "_optim", "_opt", "_optimizer"):
        if base.endswith(suffix):
            base = base[: -len(suffix)]
            break
    if train_op in ("optimizer", "optim", "opt", "optimizer_op"):
        return train_op
    if base in ("train", "training", ""):
        return "optimizer"
    if base.startswith("train_"):
        base = base[len("train_"):]
    return f"{base}_optimizer"


def _function_name(site: Site, trains: list[TrainOp]) -> str:
    if trains:
        bases = []
        for train in trains:
            base = train.name
            for suffix in ("_op", "_optim", "_opt", "_optimizer", "_step"):
                if base.endswith(suffix):
                    base = base[: -len(suffix)]
                    break
            if base in ("optimizer", "optim", "opt", "train", ""):
                base = "train"
            bases.append(base)
        return "_and_".join(dict.fromkeys(bases)) + "_step"
    words = []
    for leaf in site.fetch.leaves():
        text = leaf.text.strip()
        words.append(text if text.isidentifier() else "fetches")
    name = "_and_".join(dict.fromkeys(words))
    if len(name) > 40:
        name = "fetches"
    return f"compute_{name}"


def _result(fetch: Fetch, values: dict[str, str]) -> str:
    if fetch.kind == "leaf":
        return values.get(fetch.text, fetch.text)
    parts = [_result(child, values) for child in fetch.children]
    if fetch.kind == "list":
        return "[" + ", ".join(parts) + "]"
    if fetch.kind == "tuple":
        return "(" + ", ".join(parts) + ("," if len(parts) == 1 else "") + ")"
    return "{" + ", ".join(f"{k}: {v}" for k, v in zip(fetch.keys, parts)) + "}"
