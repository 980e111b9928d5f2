"""From a graph scope (``analysis.graph``) to a plan: which functions replace which session sites.

The plan is pure data, testable without source text: every distinct ``sess.run`` becomes a
``Function`` made of the graph statements its fetches need (a backward slice through the scope's
statements, stopping at state such as variables and layers), with the placeholders it needs as
parameters and a ``Step`` per train op it runs. A scope that cannot be converted gets a ``fallback``
reason and no edits.
"""
from __future__ import annotations

import ast
import dataclasses
import re
from typing import Iterable, Optional

from tf1to2.analysis.graph import MOVABLE, Fetch, GraphModule, GraphScope, Kind, Placeholder, Site, Statement, TrainOp
from tf1to2.diagnostics import Severity
from tf1to2.rules.sessions import codes
from tf1to2.rules.sessions.saving import Replacement, check_summaries, plan_saving
from tf1to2.rules.sessions.training import OptimizerChange, ScheduleChange, StepAlias, Unconvertible, plan_training


@dataclasses.dataclass(frozen=True)
class Param:
    """A placeholder as a parameter. ``flag``: a scalar bool the graph uses as a layer's training mode
    (``training=is_training``, ``tf.cond(is_training, ...)``): a Python bool, not a tensor, since Keras
    layers take ``training`` as one."""

    name: str
    dtype: str
    shape: Optional[str]
    default: Optional[str]
    flag: bool = False


@dataclasses.dataclass(frozen=True)
class Step:
    """One train op run by a function.

    ``minimize``: a gradient step of ``optimizer`` on ``loss`` over ``variables`` (var_list as written;
    None: the variables the tape watched). ``apply_gradients``: ``optimizer.apply_gradients(grads_and_vars)``.
    """

    train_op: str
    optimizer: str  # the optimizer's name in the output
    method: str
    loss: str
    variables: Optional[str]
    grads_and_vars: Optional[str]
    global_step: Optional[str]  # the TF1 global step the TF1 optimizer (compat) increments
    compat: bool  # the TF1 optimizer is kept
    learning_rate: Optional[str] = None  # a fed learning rate, assigned before the update


@dataclasses.dataclass(frozen=True)
class Function:
    """A generated function. With a tape, ``forward`` statements (those the losses depend on) run inside
    it, ``after`` statements (gradients, clipping, other fetches) after it, then the steps' updates."""

    name: str
    params: tuple[Param, ...]
    forward: tuple[int, ...]  # scope statements, in order
    after: tuple[int, ...]
    steps: tuple[Step, ...]
    result: str  # the return expression
    fetch: Fetch
    compiled: bool  # wrapped in tf.function
    signature: bool  # with an input_signature from the placeholders (none with a training flag)
    insert_at: int  # offset where the definition goes
    sites: tuple[int, ...]  # indexes into scope.sites
    tape: bool = False
    watch: tuple[str, ...] = ()  # placeholders gradients are taken with respect to
    watched: bool = False  # some gradient is over every variable the tape watched
    gradient_calls: tuple[int, ...] = ()  # indexes into scope.gradient_calls, rewritten to the tape
    pre_update: bool = False  # the results read values an update changes: computed before the updates
    kind: str = "run"  # the first site's kind (``run``, ``eval``, ``op_run``), for the docstring
    # batch normalization layers whose moving statistics a run in training mode leaves as they were: TF1
    # updated them only with the UPDATE_OPS (the train op's), Keras at every call in training mode
    kept_statistics: tuple[str, ...] = ()

    @property
    def statements(self) -> tuple[int, ...]:
        return tuple(sorted(self.forward + self.after))


@dataclasses.dataclass(frozen=True)
class CallSite:
    site: int
    function: str
    arguments: tuple[tuple[str, str], ...]  # (parameter, value source text)


@dataclasses.dataclass(frozen=True)
class Substitution:
    """Replace ``start:end`` with ``text``, or a call of a generated helper, wherever the statement ends up."""

    start: int
    end: int
    helper: Optional[str] = None  # canonical helper name
    arguments: str = ""
    text: str = ""


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
    substitutions: tuple[Substitution, ...] = ()
    aliases: tuple[StepAlias, ...] = ()
    schedules: tuple[ScheduleChange, ...] = ()
    statement_replacements: tuple[tuple[int, Replacement], ...] = ()  # (statement, its call rewritten)
    site_replacements: tuple[tuple[int, Optional[Replacement]], ...] = ()  # (site, None: statement removed)
    extra_helpers: frozenset[str] = frozenset()

    @property
    def helpers(self) -> frozenset[str]:
        found = {"numpy_results"} if self.functions else set()
        if any(f.kept_statistics for f in self.functions):
            found.add("unchanged_moving_statistics")
        found.update(s.helper for s in self.substitutions if s.helper)
        found.update(self.extra_helpers)
        found.update(c.converted.helper for c in self.optimizers if c.converted.helper)
        return frozenset(found)


_Unconvertible = Unconvertible


def plan_scope(scope: GraphScope, module: GraphModule, text: str = "") -> ScopePlan:
    """Plan one scope; a scope with a problem falls back whole (its sites stay graph code)."""
    if module.tf_alias is None:
        return _fallback(scope, scope.line, 0, "TensorFlow is not imported as a module name (import tensorflow as tf)")
    if scope.problems:
        first = scope.problems[0]
        return _fallback(scope, first.line, first.col, first.message)
    try:
        return _Planner(scope, module, text).plan()
    except _Unconvertible as exc:
        return _fallback(scope, exc.line, exc.col, exc.message)


def fallback(scope: GraphScope, reason: str) -> ScopePlan:
    """The plan of a scope kept as graph code because of ``reason`` (found elsewhere in the file)."""
    return _fallback(scope, scope.line, 0, reason)


def _fallback(scope: GraphScope, line: int, col: int, reason: str) -> ScopePlan:
    """When the reason is about one of the scope's sites (``line:col``), the others are kept only because a
    scope falls back whole: their findings say so rather than repeat a reason that is not theirs."""
    sites = [s for s in scope.sites if s.kind != "close"]
    culprit = next((s for s in sites if (s.line, s.col) == (line, col)), None)

    def why(site: Site) -> str:
        return reason if culprit is None or site is culprit else f"with the rest of its scope ({_site_label(culprit)}: {reason})"

    notes = [Note(codes.SITE_KEPT, s.line, s.col, f"{_site_label(s)} kept as graph code: {why(s)}", Severity.WARNING)
             for s in sites]
    if not notes:
        notes.append(Note(codes.SITE_KEPT, line, col, f"graph code kept: {reason}", Severity.WARNING))
    return ScopePlan(scope=scope, notes=tuple(notes), fallback=f"line {line}: {reason}")


def _site_label(site: Site) -> str:
    text = " ".join(site.text.split())
    return text if len(text) <= 70 else text[:67] + "..."


class _Planner:
    def __init__(self, scope: GraphScope, module: GraphModule, text: str) -> None:
        self.scope = scope
        self.module = module
        self.module_text = text
        self.statements = scope.statements
        self.placeholders = {p.name: p for p in scope.placeholders}
        self.train_ops = {t.statement: t for t in scope.train_ops}
        # a train op's name is free once its statement is gone (its function may take it)
        self.used_names = set(module.names) - {t.name for t in scope.train_ops}
        self.functions: dict[tuple, Function] = {}
        self.calls: list[CallSite] = []
        self.removed_sites: list[int] = []
        self.notes: list[Note] = []
        self.substitutions: list[Substitution] = []
        self._flags: Optional[frozenset[str]] = None

    def plan(self) -> ScopePlan:
        self._check_initializer_runs()
        self._plan_variable_queries()
        for call in self.scope.gradient_calls:
            if call.problem:
                raise _Unconvertible(call.line, call.col, call.problem)
        self.training = plan_training(self.scope, self._binding, self._fresh, self.module_text)
        self.optimizer_changes = self.training.changes
        self.optimizer_names = self.training.names
        self.saving = plan_saving(self.scope, self.training, self.module.tf_alias or "tf", self._binding)
        check_summaries(self.scope, {leaf for s in self.scope.sites if s.fetch for leaf in
                                     (lf.text.strip() for lf in s.fetch.leaves())})
        for code, line, col, message, severity, statement, site in self.saving.notes:
            self.notes.append(Note(code, line, col, message, severity, site=site, statement=statement))
        self._schedule_substitutions()
        for number, site in enumerate(self.scope.sites):
            self._plan_site(number, site)
        if not self.functions and not self.removed_sites:
            raise _Unconvertible(self.scope.line, 0, "no session runs this graph in the same scope"
                                 + self._runner_elsewhere())
        removed = self._removed()
        self._statement_notes(removed)
        return ScopePlan(
            scope=self.scope, functions=self._placed(tuple(self.functions.values())), calls=tuple(self.calls),
            removed=tuple(sorted(removed)), removed_sites=tuple(self.removed_sites),
            optimizers=tuple(self.optimizer_changes.values()), notes=tuple(self.notes),
            substitutions=tuple(self.substitutions), aliases=tuple(self.training.aliases),
            schedules=tuple(self.training.schedules.values()),
            statement_replacements=tuple(self.saving.statements.items()),
            site_replacements=tuple(self.saving.sites.items()), extra_helpers=frozenset(self.saving.helpers),
        )

    def _schedule_substitutions(self) -> None:
        """In graph code a decay's name stands for its value: ``lr(optimizer.iterations)``."""
        for statement in self.statements:
            if statement.kind not in (Kind.TENSOR, Kind.GRADIENTS):
                continue
            for name, start, end in statement.nested_reads:
                change = self.training.schedules.get(name)
                binding = self._binding(name, statement.index)
                if change is not None and binding is not None and binding.kind is Kind.SCHEDULE:
                    self.substitutions.append(Substitution(start, end, text=change.value))

    def _check_initializer_runs(self) -> None:
        """Running the initializers again (a second session, a loop) resets the variables in TF1; eager
        variables keep their values, so that program stays graph code."""
        runs = [s for s in self.scope.sites if s.fetch and all(leaf.initializer for leaf in s.fetch.leaves())]
        again = next((s for s in runs if s.in_loop), runs[1] if len(runs) > 1 else None)
        if again is not None:
            raise _Unconvertible(again.line, again.col, "the variables are initialized again (their values reset, "
                                                        "which eager variables cannot be told to do)")

    # graph collections

    def _plan_variable_queries(self) -> None:
        for query in self.scope.variable_queries:
            if not query.plain:
                raise _Unconvertible(query.line, query.col, f"{query.api}(scope) is not converted")
            steps = {t.global_step.strip() for t in self.scope.train_ops if t.global_step}
            holders = list(dict.fromkeys(
                name for s in self.statements[:query.statement] if s.holds_variables for name in s.binds
                if name not in steps  # a global step is no model variable (it becomes optimizer.iterations)
            ))
            if not holders:
                raise _Unconvertible(query.line, query.col, f"{query.api}() with no variables created before it")
            arguments = ", ".join(holders) + ("" if query.api == "tf.trainable_variables" else ", trainable=False")
            self.substitutions.append(Substitution(query.start, query.end, "graph_variables", arguments))
            self.notes.append(Note(
                codes.VARIABLE_QUERY, query.line, query.col,
                f"{query.api}() → the variables of {', '.join(holders)} (eager code has no graph collections)",
                Severity.INFO, statement=query.statement,
            ))

    # optimizers

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
        if site.kind in ("save", "restore", "add_summary", "add_graph"):
            return  # planned with the savers and writers
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
        names = {p.name for p in params}
        if site.feed_name:
            arguments = tuple((_feed_name(k), f'{site.feed_name}["{_feed_name(k)}"]') for k, _ in site.feeds
                              if _feed_name(k) in names)
            for start, end, key in site.feed_keys:
                if not any(s.start == start for s in self.substitutions):
                    self.substitutions.append(Substitution(start, end, text=f'"{key}"'))
        else:
            arguments = tuple((_feed_name(k), v) for k, v in site.feeds if _feed_name(k) in names)
        flags = {p.name for p in params if p.flag}
        arguments = tuple((name, _python_bool(value) if name in flags else value) for name, value in arguments)
        self.calls.append(CallSite(number, function.name, arguments))
        if not steps and not function.kept_statistics:
            self._training_mode_note(number, site, params, dict(arguments))
        self.notes.append(Note(
            codes.SITE_CONVERTED, site.line, site.col,
            f"{_site_label(site)} → {function.name}({', '.join(f'{p}=...' for p, _ in arguments)})", Severity.INFO,
            site=number,
        ))

    def _training_mode_note(self, number: int, site: Site, params: list[Param], arguments: dict[str, str]) -> None:
        """Keras layers called in training mode update their state (batch normalization's moving statistics)
        at every call; TF1 updated it only when the update ops ran, usually as control dependencies of the
        train op. A site that runs no train op in training mode updates it after conversion."""
        modes = [(p.name, arguments.get(p.name, p.default or "")) for p in params if p.flag]
        training = [(name, value.strip()) for name, value in modes if value.strip() != "False"]
        if not training:
            return
        name, value = training[0]
        mode = f"in training mode ({name}=True)" if value == "True" else f"possibly in training mode ({name})"
        self.notes.append(Note(
            codes.PLACEHOLDER, site.line, site.col,
            f"{_site_label(site)} runs no train op, {mode}: Keras batch "
            "normalization then updates its moving statistics, which TF1 updated only when the update ops ran "
            "(UPDATE_OPS, usually with the train op)", Severity.WARNING,
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
                rate = self.training.fed_rates.get(self.optimizer_names[train.statement])
                if rate:
                    self._need([rate], train_bindings[0].index, needed, site)
                if train.var_list:
                    for name in train.var_list_names:
                        binding = self._binding(name, train_bindings[0].index)
                        if binding is not None and binding.kind in MOVABLE:
                            raise _Unconvertible(train.line, 0, f"var_list {train.var_list} is computed from the graph")
                continue
            summary = self.saving.summary_values.get(leaf.text.strip())
            binding = self._binding(leaf.text.strip(), site.statement) if summary else None
            if summary and binding is not None and binding.kind in (Kind.SUMMARY, Kind.MERGE):
                display, names = summary
                self._need(names, binding.index, needed, site)
                values[leaf.text] = display
                continue
            self._check_fetch(leaf, site)
            self._need(leaf.names, site.statement, needed, site)
            values[leaf.text] = self._schedule_values(leaf, site)
        return sorted(needed), steps, values

    def _schedule_values(self, leaf: Fetch, site: Site) -> str:
        text = leaf.text
        for name in leaf.names:
            change = self.training.schedules.get(name)
            binding = self._binding(name, site.statement)
            if change is not None and binding is not None and binding.kind is Kind.SCHEDULE:
                text = re.sub(rf"(?<![\w.]){re.escape(name)}(?!\w)", change.value, text)
        return text

    def _check_fetch(self, leaf: Fetch, site: Site) -> None:
        """A fetch must name graph values this analysis follows (not a Python object built elsewhere)."""
        bindings = [self._binding(name, site.statement) for name in leaf.names]
        graph = MOVABLE + (Kind.STATE, Kind.CONST, Kind.SCHEDULE)
        followed = [b for b in bindings if b is not None and b.kind in graph]
        if not followed or (leaf.text.strip().isidentifier() and bindings[0] is not None
                            and bindings[0].kind not in graph):
            builder = self._builder_of(bindings[0]) if bindings and bindings[0] is not None else None
            if builder is not None:
                raise _Unconvertible(site.line, site.col, (
                    f"fetches {leaf.text}, which {builder.name}() returns: the graph is built in function "
                    f"{builder.name} (line {builder.line}) and run here, and a graph built in one function and "
                    "run in another is not converted (build and run it in one function to convert it)"))
            raise _Unconvertible(site.line, site.col, f"fetches {leaf.text}, which is not graph code of this scope")

    def _builder_of(self, statement: Statement) -> Optional[GraphScope]:
        """The graph-building function of this module whose call binds ``statement``'s names, if any."""
        called = re.search(r"=\s*(\w+)\s*\(", self.module_text[statement.start:statement.end])
        if called is None:
            return None
        return next((s for s in self.module.scopes if s.kind == "function" and s.name == called.group(1)
                     and s is not self.scope and s.placeholders), None)

    def _runner_elsewhere(self) -> str:
        """Where the tensors of a function that builds a graph and runs none of it go: the functions of
        this module that call it and run sessions."""
        if self.scope.kind != "function":
            return ""
        call = re.compile(rf"(?<![\w.]){re.escape(self.scope.name)}\s*\(")
        for other in self.module.scopes:
            if other is self.scope or not other.sites:
                continue
            for statement in other.statements:
                if call.search(self.module_text[statement.start:statement.end]):
                    where = "the module" if other.kind == "module" else f"function {other.name}"
                    return (f": {self.scope.name}() returns its tensors to {where} (line {statement.line}), which "
                            "runs them, and a graph built in one function and run in another is not converted "
                            "(build and run it in one function to convert it)")
        return ""

    def _need(self, names: Iterable[str], before: int, needed: set[int], site: Site) -> None:
        for name in names:
            binding = self._binding(name, before)
            if binding is None or binding.kind not in MOVABLE or binding.index in needed:
                continue
            if binding.kind is Kind.TRAIN:
                raise _Unconvertible(site.line, site.col, f"{name}, a train op, is used as a value")
            if binding.foreign_calls and binding.kind is Kind.TENSOR:
                raise _Unconvertible(
                    binding.line, binding.col,
                    f"line {binding.line} calls {binding.foreign_calls[0]} from another module of the project, which "
                    "may create variables: in eager code at every run (convert that module too)",
                )
            if binding.creates_variables:
                raise _Unconvertible(
                    binding.line, binding.col,
                    f"line {binding.line} creates variables while computing from placeholders; in eager code it "
                    "would create new ones at every run (convert it to a layer first)",
                )
            needed.add(binding.index)
            if binding.kind in (Kind.TENSOR, Kind.GRADIENTS):
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
            dtype = placeholder.dtype or _literal_dtype(placeholder.default, self.module.tf_alias or "tf")
            params.append(Param(placeholder.name, dtype, placeholder.shape, placeholder.default,
                                flag=placeholder.name in self._training_flags()))
        # Python needs parameters with defaults last; keep the placeholders' order otherwise.
        return [p for p in params if p.default is None] + [p for p in params if p.default is not None]

    def _function(self, site: Site, needed: list[int], trains: list[TrainOp], params: list[Param],
                  values: dict[str, str]) -> Function:
        steps = []
        for train in trains:
            change = self.optimizer_changes[self._optimizer_statement(train)]
            steps.append(Step(
                train_op=train.name, optimizer=self.optimizer_names[train.statement], method=train.method,
                loss=train.loss or "", variables=train.var_list, grads_and_vars=train.grads_and_vars,
                global_step=self.training.compat_steps.get(train.name), compat=change.converted.kind == "compat",
                learning_rate=self.training.fed_rates.get(self.optimizer_names[train.statement]),
            ))
        name = self._fresh(_function_name(site, trains))
        computed = [i for i in needed if self.statements[i].kind in (Kind.TENSOR, Kind.GRADIENTS)]
        gradient_calls = tuple(n for n, g in enumerate(self.scope.gradient_calls) if g.statement in computed)
        tape = bool(steps) or bool(gradient_calls)
        forward = self._forward(site, trains, gradient_calls) if tape else set(computed)
        fetched = [self._binding(name, site.statement) for leaf in site.fetch.leaves() for name in leaf.names]
        fetched = [b.index for b in fetched if b is not None and b.index < site.statement]
        last = max(needed + fetched + [t.statement for t in trains] + [self._optimizer_statement(t) for t in trains],
                   default=0)
        calls = [self.scope.gradient_calls[n] for n in gradient_calls]
        watch = tuple(dict.fromkeys(
            name for call in calls for name in call.xs_names
            if (self._binding(name, call.statement) or self.statements[0]).kind is Kind.PLACEHOLDER
        ))
        watched = any(t.method == "minimize" and not t.var_list for t in trains) or any(
            c.api == "compute_gradients" and c.xs is None for c in calls
        )
        result = _result(site.fetch, values)
        flagged = any(p.flag for p in params)
        kept = () if steps or not flagged else self._batch_norms(computed)
        return Function(
            name=name, params=tuple(params), forward=tuple(sorted(forward)),
            after=tuple(i for i in computed if i not in forward), steps=tuple(steps),
            result=result, fetch=site.fetch, compiled=True,
            signature=all(p.dtype and not p.flag for p in params),
            insert_at=self._insertion_after(last), sites=(),
            tape=tape, watch=watch, watched=watched, gradient_calls=gradient_calls,
            pre_update=bool(steps) and not _only_names(result, self._bound_by(computed)), kind=site.kind,
            kept_statistics=kept,
        )

    def _batch_norms(self, computed: list[int]) -> tuple[str, ...]:
        """The batch normalization layers (as the structure pass writes them) the statements call."""
        found: list[str] = []
        for index in computed:
            for name in self.statements[index].reads:
                binding = self._binding(name, index)
                if binding is None or not binding.holds_variables or name in found:
                    continue
                if _BATCH_NORM.search(self.module_text[binding.start:binding.end]):
                    found.append(name)
        return tuple(found)

    def _training_flags(self) -> frozenset[str]:
        """The scalar bool placeholders some graph statement uses as a training mode. ``tf.cond`` wants a
        tensor predicate (it rejects a Python bool): there the flag becomes ``tf.constant(flag)``."""
        if self._flags is None:
            tf = self.module.tf_alias or "tf"
            candidates = {p.name for p in self.scope.placeholders if _scalar_bool(p, tf)}
            found: set[str] = set()
            predicates: list[tuple[str, int, int]] = []
            for statement in self.statements:
                if candidates and statement.kind in (Kind.TENSOR, Kind.GRADIENTS):
                    names, spans = _flags_used(self.module_text, statement.start, statement.end, candidates)
                    found |= names
                    predicates += spans
            self._flags = frozenset(found)
            for name, start, end in predicates:
                if name in found:
                    self.substitutions.append(Substitution(start, end, text=f"{tf}.constant({name})"))
        return self._flags

    def _forward(self, site: Site, trains: list[TrainOp], gradient_calls: tuple[int, ...]) -> set[int]:
        """The statements the differentiated values depend on: they run under the tape."""
        forward: set[int] = set()
        roots = [(name, t.statement) for t in trains if t.method == "minimize" for name in t.loss_names]
        for number in gradient_calls:
            call = self.scope.gradient_calls[number]
            roots += [(name, call.statement) for name in call.ys_names]
        stack = list(roots)
        while stack:
            name, before = stack.pop()
            binding = self._binding(name, before)
            if binding is None or binding.index in forward or binding.kind not in (Kind.TENSOR, Kind.GRADIENTS):
                continue
            if binding.kind is Kind.GRADIENTS:
                raise _Unconvertible(binding.line, binding.col,
                                     "a differentiated value depends on gradients (gradients of gradients)")
            forward.add(binding.index)
            stack.extend((read, binding.index) for read in binding.reads)
        return forward

    def _bound_by(self, indexes: list[int]) -> set[str]:
        return {name for i in indexes for name in self.statements[i].binds}

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
        return self.training.optimizer_statement(train)

    def _insertion_after(self, index: int) -> int:
        if index + 1 < len(self.statements):
            return self.statements[index + 1].lead
        return self.statements[index].end

    # statements

    def _removed(self) -> set[int]:
        removed = set(self.training.removed) | self.saving.removed
        for statement in self.statements:
            if statement.kind in (Kind.PLACEHOLDER, Kind.TENSOR, Kind.GRADIENTS, Kind.INIT, Kind.SESSION, Kind.GRAPH,
                                  Kind.UPDATE_OPS):
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
                if users and name in self._training_flags():
                    message += (": a Python bool, the training mode of the Keras layers (training=), not a "
                                "tensor; each function traces once per value")
                self.notes.append(Note(codes.PLACEHOLDER, line, col, message, Severity.INFO, statement=statement.index))
            elif statement.kind in (Kind.SUMMARY, Kind.MERGE):
                fetched = self._fetched_summary(statement.index)
                message = ("summary op → its value, returned by the functions that fetch it" if fetched
                           else "summary op no session site fetches: removed")
                self.notes.append(Note(codes.SUMMARY_WRITING if fetched else codes.UNUSED_GRAPH, line, col, message,
                                       Severity.INFO, statement=statement.index))
            elif statement.kind in (Kind.TENSOR, Kind.GRADIENTS) and statement.index not in used:
                self.notes.append(Note(codes.UNUSED_GRAPH, line, col, "graph code no session site runs: removed",
                                       Severity.INFO, statement=statement.index))
            elif statement.kind is Kind.INIT:
                self.notes.append(Note(codes.INITIALIZER_REMOVED, line, col,
                                       "initializer op removed: eager variables are initialized when created",
                                       Severity.INFO, statement=statement.index))
            elif statement.kind is Kind.UPDATE_OPS:
                self.notes.append(Note(codes.SESSION_REMOVED, line, col, "UPDATE_OPS collection removed: Keras "
                                       "layers (batch normalization) update their statistics when called with "
                                       "training=True", Severity.INFO, statement=statement.index))
            elif statement.kind in (Kind.SESSION, Kind.WRAPPER, Kind.GRAPH):
                what = {Kind.SESSION: "session", Kind.WRAPPER: "with block", Kind.GRAPH: "graph code"}[statement.kind]
                self.notes.append(Note(codes.SESSION_REMOVED, line, col,
                                       f"{what} removed: eager code runs where it is written", Severity.INFO,
                                       statement=statement.index))
        for change in self.optimizer_changes.values():
            train = self.train_ops.get(change.statement)
            self._optimizer_note(change, train, run)
        for code, line, col, message, severity, statement in self.training.notes:
            self.notes.append(Note(code, line, col, message, severity, statement=statement))
        for train in self.scope.train_ops:
            if train.name not in run:
                self.notes.append(Note(codes.UNUSED_GRAPH, train.line, 0,
                                       f"train op {train.name} is run by no session site: removed", Severity.INFO))

    def _fetched_summary(self, index: int) -> bool:
        """A summary op or merge some site fetches, itself or through a merge."""
        fetched = {leaf.text.strip() for s in self.scope.sites if s.fetch for leaf in s.fetch.leaves()}
        merges = [m for m in self.scope.merges if m.name in fetched]
        for number, op in enumerate(self.scope.summaries):
            if op.statement == index:
                return op.name in fetched or any(number in m.ops for m in merges)
        return any(m.statement == index for m in merges)

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
        bases = list(dict.fromkeys(bases))
        return ("_and_".join(bases) if len(bases) <= 2 else "train") + "_step"
    words = []
    for leaf in site.fetch.leaves():
        text = leaf.text.strip()
        dotted = all(part.isidentifier() for part in text.split("."))  # norm.moving_mean → norm_moving_mean
        words.append(text.replace(".", "_") if dotted else "fetches")
    name = "_and_".join(dict.fromkeys(words))
    if len(name) > 40:
        name = "fetches"
    return f"compute_{name}"


def _literal_dtype(default: Optional[str], tf: str) -> str:
    """The dtype TF1 gave a placeholder_with_default from its literal default (``1.0`` → float32)."""
    try:
        value = ast.literal_eval((default or "").strip())
    except (ValueError, SyntaxError):
        return ""
    if isinstance(value, bool):
        return f"{tf}.bool"
    if isinstance(value, int):
        return f"{tf}.int32"
    if isinstance(value, float):
        return f"{tf}.float32"
    if isinstance(value, str):
        return f"{tf}.string"
    return ""


_SCALAR_SHAPES = {None, "[]", "()", "None"}
_BATCH_NORM = re.compile(r"(?<![\w])BatchNormalization\(")
_FLAG_KEYWORDS = {"training", "is_training"}


def _scalar_bool(placeholder: Placeholder, tf: str) -> bool:
    """A placeholder that can only hold one bool (an unknown shape too: a training mode is a scalar)."""
    shape = None if placeholder.shape is None else re.sub(r"\s+", "", placeholder.shape)
    if shape not in _SCALAR_SHAPES:
        return False
    dtype = (placeholder.dtype or "").replace(" ", "")
    if placeholder.default is not None:
        return (placeholder.default or "").strip() in ("True", "False") and dtype in ("", f"{tf}.bool", "bool")
    return dtype in (f"{tf}.bool", "tf.bool", "bool")


def _flags_used(text: str, start: int, end: int, candidates: set[str]) -> tuple[set[str], list[tuple[str, int, int]]]:
    """The candidates the statement at ``text[start:end]`` passes as a training mode (``training=name`` /
    ``is_training=name`` in a call, the predicate of a ``cond`` / ``smart_cond``), and the spans of the
    ``cond`` predicates among them (``smart_cond`` takes a Python bool)."""
    source = text[start:end]
    indented = source[:1] in (" ", "\t")
    try:  # an indented statement parses as the body of a block, at its own columns
        tree = ast.parse("if 1:\n" + source if indented else source)
    except SyntaxError:
        return set(), []
    line_starts = [0] + [i + 1 for i, char in enumerate(source) if char == "\n"]
    found: set[str] = set()
    predicates = []
    for node in ast.walk(tree):
        if not isinstance(node, ast.Call):
            continue
        values = [k.value for k in node.keywords if k.arg in _FLAG_KEYWORDS]
        callee = node.func.attr if isinstance(node.func, ast.Attribute) else getattr(node.func, "id", "")
        conds = node.args[:1] + [k.value for k in node.keywords if k.arg == "pred"] \
            if callee in ("cond", "smart_cond") else []
        for value in values + conds:
            if not (isinstance(value, ast.Name) and value.id in candidates):
                continue
            found.add(value.id)
            if callee == "cond" and value in conds:
                line = value.lineno - 1 - indented
                column = len(source[line_starts[line]:].encode()[:value.col_offset].decode(errors="ignore"))
                offset = start + line_starts[line] + column
                predicates.append((value.id, offset, offset + len(value.id)))
    return found, predicates


def _python_bool(value: str) -> str:
    """A fed training mode as a Python bool (a numpy bool would reach the function as a tensor)."""
    return value if value.strip() in ("True", "False") else f"bool({value.strip()})"


def _only_names(result: str, bound: set[str]) -> bool:
    """True when the return expression only names values computed in the function (and None)."""
    words = re.findall(r"[A-Za-z_][\w.]*", re.sub(r"(['\"]).*?\1", "", result))
    return all(word == "None" or word in bound for word in words)


def _result(fetch: Fetch, values: dict[str, str]) -> str:
    if fetch.kind == "leaf":
        return values.get(fetch.text, fetch.text)
    parts = [_result(child, values) for child in fetch.children]
    if fetch.kind == "list":
        return "[" + ", ".join(parts) + "]"
    if fetch.kind == "tuple":
        return "(" + ", ".join(parts) + ("," if len(parts) == 1 else "") + ")"
    return "{" + ", ".join(f"{k}: {v}" for k, v in zip(fetch.keys, parts)) + "}"
