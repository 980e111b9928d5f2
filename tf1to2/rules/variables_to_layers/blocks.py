"""Plan graph code that creates variables in place: ``with tf.variable_scope(...)`` blocks.

Seed 004's examples create variables at module level and compute with them right there::

    with tf.variable_scope("my_layer") as scope:
        W = tf.get_variable("weights", shape=[10, 5], initializer=tf.random_normal_initializer())
        b = tf.get_variable("biases", shape=[5], initializer=tf.zeros_initializer())
        x1 = tf.placeholder(tf.float32, shape=[None, 10])
        y1 = tf.matmul(x1, W) + b
        scope.reuse_variables()
        x2 = tf.placeholder(tf.float32, shape=[None, 10])
        y2 = tf.matmul(x2, W) + b

Each block (and, at module level, the unscoped variables) becomes a layer: its variables are weights
created in ``__init__``, the converted functions it calls are sublayers, and the statements computing
with them are *applications*. When every application computes the same thing up to renaming (``y1``
from ``x1``, ``y2`` from ``x2``: TF1 reuse), that computation is ``call`` and each application becomes
``y1 = my_layer(x1)``. Placeholders and other statements stay where they were. When applications
differ, the layer only holds the weights and the code reads them as attributes. Weights of an earlier
block used in a later one (seed 004's shared matrix) are reached through that block's layer, passed to
the later one's constructor.

The same holds inside a graph-building method (an actor-critic policy's ``__init__``): local values the
block's configuration needs become constructor arguments, and when the block reuses by a parameter
(``variable_scope("model", reuse=reuse)``) the layer is a class attribute, created by the instance that
does not reuse and called by every instance, as TF1 shared the variables between them.
"""
from __future__ import annotations

import dataclasses
from typing import Optional

from tf1to2.analysis.scopes import Reuse, UNFOLLOWABLE
from tf1to2.analysis.syntax import MISSING, ModuleIR, Stmt
from tf1to2.analysis.variables import VariableGraph, VariableSite
from tf1to2.rewrite.templates import reindent
from tf1to2.rules.variables_to_layers import names
from tf1to2.rules.variables_to_layers.bodies import leading_comments, moved
from tf1to2.rules.variables_to_layers.dataflow import Unsupported
from tf1to2.rules.variables_to_layers.emit import _LINE_LIMIT, wrap_long
from tf1to2.rules.variables_to_layers.functions import (
    call_rewrites, callee_key, check_caller_defaults, key_text, scope_path,
)
from tf1to2.rules.variables_to_layers.model import Block, ClassPlan, Rewrite, SublayerPlan, WeightPlan
from tf1to2.rules.variables_to_layers.signature import Signature, bind, constructor_arguments
from tf1to2.rules.variables_to_layers.weights import render, text_of, weight_spec

_SIMPLE = ("assign", "augassign", "expr", "annassign")


@dataclasses.dataclass(frozen=True)
class Application:
    """One run of statements computing with the unit's weights, and the call that replaces it."""

    start: int
    end: int
    indent: str
    inputs: tuple[str, ...]
    outputs: tuple[str, ...]
    line: int


@dataclasses.dataclass(frozen=True)
class Shared:
    """A block layer shared by a class's instances: TF1 reused the scope's variables between them."""

    owner: str  # the class
    attr: str  # its attribute holding the layer
    insert_at: int  # where ``<attr> = None`` goes in the class body
    indent: str
    create_when: str  # the condition under which an instance creates the layer ("" = always)


@dataclasses.dataclass(frozen=True)
class BlockUnit:
    plan: ClassPlan
    context: str
    variable: str  # how the code reaches the instance: ``my_layer``, ``MlpPolicy.model``
    constructor: str  # ``MyLayer()`` / ``Layer1(shared_weights)`` / ``Model(nact)``
    class_at: int  # offset where the class definition is inserted (module level)
    head_start: int  # what the instance replaces (the with block, or the first module variable)
    head_end: int
    head_text: str
    removed: tuple[tuple[int, int], ...]  # other statements that disappear (module variables)
    applications: tuple[Application, ...]
    scope: Optional[str]  # the TF1 scope of the block, None for unscoped module variables
    foreign: tuple[str, ...]  # instances of other units whose weights this one uses
    config: tuple[str, ...]  # local values passed to the constructor
    line: int
    weights_only: bool
    creation_stmts: tuple[int, ...] = ()
    shared: Optional[Shared] = None
    note: Optional[str] = None
    function: Optional[str] = None  # a module function that became the layer (its calls stay as written)
    function_span: tuple[int, int] = (0, 0)
    warnings: tuple[str, ...] = ()  # TF433: what runs in another order than in TF1


@dataclasses.dataclass
class _Weight:
    name: Optional[str]  # the name it is assigned to
    site: VariableSite
    key: tuple
    attr: str = ""
    dict_key: object = None  # for ``weights = {"h1": tf.Variable(...)}``


@dataclasses.dataclass
class _Unit:
    stmt: Optional[Stmt]  # the with statement; None for unscoped module variables
    scope: Optional[str]
    reuse: Reuse
    weights: list[_Weight]
    statements: list[Stmt]  # flattened body (with blocks) or creation statements (module variables)
    dicts: dict  # name → attr for dict-of-variables statements
    variable: str = ""
    class_name: str = ""
    inline: list = dataclasses.field(default_factory=list)  # module statements creating variables inline

    @property
    def first(self) -> Stmt:
        if self.stmt is not None:
            return self.stmt
        return min([*self.statements, *self.inline], key=lambda s: s.start)


class BlockPlanner:
    def __init__(
        self, graph: VariableGraph, tf: str, unit: str, signatures: dict[str, Signature], taken: set[str],
        context: str = "<module>",
    ) -> None:
        self.graph = graph
        self.ir: ModuleIR = graph.module
        self.tf = tf
        self.indent_unit = unit
        self.signatures = signatures
        self.taken = taken
        self.context = graph.contexts[context]
        self.is_module = context == "<module>"
        self.skipped: list[tuple[int, str]] = []
        self.top = list(self.context.body)
        self.statements = _statements(self.top)
        self.reuse_stmts = {r.site.stmt_id for r in graph.reuses if r.location.context == context}
        self.locals = self._locals()

    def plan(self) -> list[BlockUnit]:
        units = self._units()
        owner: dict[str, tuple[_Unit, str]] = {}
        for unit in units:
            for weight in unit.weights:
                if weight.name and weight.dict_key is None:
                    owner[weight.name] = (unit, weight.attr)
            for name, attr in unit.dicts.items():
                owner[name] = (unit, attr)
        planned: list[tuple[_Unit, BlockUnit]] = []
        for unit in units:
            try:
                planned.append((unit, self._plan_unit(unit, owner)))
            except Unsupported as exc:
                self.skipped.append((unit.first.line, str(exc)))
                for name in [n for n, (u, _) in owner.items() if u is unit]:
                    del owner[name]
        spans = [(a.start, a.end) for _, r in planned for a in r.applications]
        finished = []
        for unit, result in planned:
            bindings = self._bindings(unit, owner, spans)
            start, end, text, removed = self._head(unit, result, bindings, owner)
            finished.append(dataclasses.replace(result, head_start=start, head_end=end, head_text=text, removed=tuple(removed)))
        return finished

    # -- finding the units ---------------------------------------------------------------------------
    def _units(self) -> list[_Unit]:
        name = self.context.name
        variables = [v for v in self.graph.variables if v.location.context == name]
        calls = [c for c in self.graph.calls if c.location.context == name and c.call.callee in self.signatures]
        units: list[_Unit] = []
        loose: list[VariableSite] = []
        for stmt in self.top:
            inner_vars = [v for v in variables if v.location.top_stmt_id == stmt.id]
            inner_calls = [c for c in calls if c.location.top_stmt_id == stmt.id]
            if stmt.kind == "with" and stmt.id in self.graph.scopes:
                if not inner_vars and not inner_calls:
                    continue
                if all(site.reopens_current for site in self.graph.scopes[stmt.id]) and not inner_vars:
                    continue  # reopening the current scope only sets reuse: its calls are plain calls
                try:
                    units.append(self._block_unit(stmt, inner_vars))
                except Unsupported as exc:
                    self.skipped.append((stmt.line, str(exc)))
            elif inner_vars and self.is_module:
                loose.extend(inner_vars)
        if loose:
            try:
                units.insert(0, self._loose_unit(loose))
            except Unsupported as exc:
                self.skipped.append((self.graph.stmts[loose[0].location.stmt_id].line, str(exc)))
        units.sort(key=lambda u: u.first.start)
        return units

    def _block_unit(self, stmt: Stmt, sites: list[VariableSite]) -> _Unit:
        scopes = self.graph.scopes[stmt.id]
        if len(scopes) != 1 or len(stmt.with_items) != 1 or not scopes[0].is_variable_scope:
            raise Unsupported("a variable_scope combined with other context managers in one with statement")
        scope = scopes[0]
        if scope.unfollowable:
            raise Unsupported(f"variable_scope with {scope.unfollowable[0]}: {UNFOLLOWABLE[scope.unfollowable[0]]}")
        if scope.reopens_current or scope.name is None or not isinstance(scope.name.literal, str):
            raise Unsupported(f"a variable_scope whose name is not a string literal (`{scope.call.func.text}`)")
        if not self.is_module and (scope.reuse in (Reuse.PARAM, Reuse.AUTO, Reuse.TRUE)) and self.context.kind != "method":
            raise Unsupported("a reused variable scope inside a function that is not a layer")
        if scope.as_name and self._read_outside(scope.as_name, stmt):
            raise Unsupported(f"the scope object `{scope.as_name}` is used after its block (re-entered or passed on)")
        weights, dicts = self._weights(sites, skip_scope=stmt.id)
        return _Unit(stmt, scope.name.literal, scope.reuse, weights, self._flatten(stmt.body), dicts)

    def _read_outside(self, name: str, block: Stmt) -> bool:
        for stmt in self.ir.walk():
            if block.start <= stmt.start and stmt.end <= block.end:
                continue
            if any(ref.name == name and not ref.store for ref in stmt.reads()):
                return True
        return False

    def _loose_unit(self, sites: list[VariableSite]) -> _Unit:
        """Module-level variables outside any scope: the statements that only create them go into the
        layer; a statement computing with a variable it creates inline stays, calling the layer."""
        weights, dicts = self._weights(sites, skip_scope=None)
        by_id = {v.location.top_stmt_id: self.graph.stmts[v.location.top_stmt_id] for v in sites}
        statements, inline = [], []
        for stmt in sorted(by_id.values(), key=lambda s: s.start):
            if stmt.kind not in _SIMPLE:
                raise Unsupported("module-level variables created inside a loop or condition")
            if any(self._is_creation_stmt(w) for w in weights if w.site.location.stmt_id == stmt.id):
                statements.append(stmt)
            else:
                inline.append(stmt)
        return _Unit(None, None, Reuse.NONE, weights, statements, dicts, inline=inline)

    def _flatten(self, body) -> list[Stmt]:
        out = []
        for stmt in body:
            sites = self.graph.scopes.get(stmt.id, ())
            if stmt.kind == "with" and sites and all(s.is_variable_scope for s in sites):
                if len(stmt.with_items) != 1:
                    raise Unsupported("a variable_scope combined with other context managers in one with statement")
                out.extend(self._flatten(stmt.body))
            else:
                out.append(stmt)
        return out

    def _weights(self, sites: list[VariableSite], skip_scope: Optional[int]) -> tuple[list[_Weight], dict]:
        weights: list[_Weight] = []
        seen: dict[tuple, _Weight] = {}
        auto: dict[tuple, int] = {}
        for site in sites:
            components = list(self._relative_scopes(site.location, skip_scope))
            name = site.arg("name")
            if site.kind == "Variable" and (name is None or name.literal is None):
                prefix = tuple(components)
                count = auto.get(prefix, 0)
                auto[prefix] = count + 1
                leaf = ("const", "Variable" if count == 0 else f"Variable_{count}")
            elif name is not None and isinstance(name.literal, str):
                leaf = ("const", name.literal)
            else:
                raise Unsupported("a variable whose name is computed at run time")
            if site.location.loops or site.location.branches:
                raise Unsupported("variables created in a loop or under a condition outside a function")
            key = tuple(components) + (leaf,)
            stmt = self.graph.stmts[site.location.stmt_id]
            assigned, dict_key = site.assigned_to, None
            if assigned is None and stmt.kind == "assign" and stmt.value is not None and stmt.value.kind == "dict":
                entry = next((k for k, v in stmt.value.dict_items if (v.start, v.end) == (site.call.start, site.call.end)), MISSING)
                if entry is not MISSING and len(stmt.targets) == 1:
                    assigned, dict_key = stmt.targets[0], entry
            if key in seen:
                if site.kind == "Variable":
                    raise Unsupported("two variables with one name")
                weights.append(_Weight(assigned, site, key, seen[key].attr))
                continue
            weight = _Weight(assigned, site, key, dict_key=dict_key)
            seen[key] = weight
            weights.append(weight)
        taken = set(names.RESERVED_ATTRIBUTES)
        dicts: dict[str, str] = {}
        for weight in weights:
            if weight.attr:
                continue
            if weight.dict_key is not None:
                if weight.name not in dicts:
                    dicts[weight.name] = names.attribute(weight.name, taken)
                    taken.add(dicts[weight.name])
                weight.attr = dicts[weight.name]
                continue
            scoped = "_".join(names.literal_prefix(c) for c in weight.key)
            base = scoped if weight.site.kind == "get_variable" or not weight.name else weight.name
            weight.attr = names.attribute(base, taken)
            taken.add(weight.attr)
        for weight in weights:  # re-fetches share the first site's attribute
            if not weight.attr:
                weight.attr = seen[weight.key].attr
        return weights, dicts

    def _relative_scopes(self, location, skip_scope: Optional[int]) -> list:
        components = []
        for scope in self.graph.scope_chain(location):
            if scope.id == skip_scope or not scope.is_variable_scope or scope.reopens_current:
                continue
            if scope.name is None or not isinstance(scope.name.literal, str):
                raise Unsupported("a nested variable_scope whose name is not a string literal")
            components.extend(("const", part) for part in scope.name.literal.split("/"))
        return components

    def _locals(self) -> set[str]:
        """Names local to the context (a method's parameters and assignments); empty at module level."""
        if self.is_module or self.context.stmt is None:
            return set()
        found = {p.name for p in self.context.stmt.params}
        found |= {n for s in self.statements for n in s.targets}
        return found

    # -- planning one unit ---------------------------------------------------------------------------
    def _plan_unit(self, unit: _Unit, owner: dict) -> BlockUnit:
        user = self._user_function(unit, owner)
        if user is not None:
            return self._plan_user_function(unit, owner, user)
        scope = unit.scope
        unit.class_name = names.unique(names.class_name(scope or "model"), self.taken)
        self.taken.add(unit.class_name)
        creation_stmts = {w.site.location.stmt_id for w in unit.weights if self._is_creation_stmt(w)}
        sublayer_calls = [
            c for c in self.graph.calls
            if c.location.context == self.context.name and c.call.callee in self.signatures
            and unit.stmt is not None and c.location.top_stmt_id == unit.stmt.id
        ]
        runs = self._runs(unit, owner, creation_stmts, sublayer_calls)
        foreign = self._foreign(runs, owner, unit)
        applications, call_block, weights_only = self._applications(unit, runs, owner, sublayer_calls)
        weights = self._weight_plans(unit)
        sublayers = self._sublayer_plans(unit, sublayer_calls)
        config = self._config(unit, sublayer_calls)
        unit.variable, shared = self._instance(unit)
        init_parts: list = [f"self.{var} = {var}" for var in foreign]
        init_parts += self._init_creations(weights, sublayers)
        if weights_only:
            init_parts.append("self.built = True  # holds weights only: Keras never calls it to build it")
        signature = [*foreign, *config, f"name={names.python_string(scope) if scope else 'None'}", "**kwargs"]
        plan = ClassPlan(
            class_name=unit.class_name,
            source="<module>" if self.is_module else self.context.name,
            kind="model",
            line=unit.first.line,
            docstring=_docstring(scope, self.context.name),
            init_signature=", ".join(signature),
            super_name="name",
            init=Block(parts=tuple(init_parts)),
            build=None,
            call_signature=", ".join(applications[0].inputs) if applications else "",
            call=None if weights_only else call_block,
            weights=tuple(weights),
            sublayers=tuple(sublayers),
            config_params=tuple(config),
            default_scope=scope,
        )
        module_stmt = self._module_statement(unit.first)
        where = "module level" if self.is_module else f"`{self.context.name}`"
        return BlockUnit(
            plan=plan,
            context=self.context.name,
            variable=unit.variable,
            constructor=f"{unit.class_name}({', '.join([*foreign, *config])})",
            class_at=self.ir.line_start(leading_comments(self.ir, module_stmt.start)),
            head_start=0,
            head_end=0,
            head_text="",
            removed=(),
            applications=tuple(applications),
            scope=scope,
            foreign=tuple(foreign),
            config=tuple(config),
            line=unit.first.line,
            weights_only=weights_only,
            creation_stmts=tuple(sorted(creation_stmts)),
            shared=shared,
            note=None if not weights_only or not runs else (
                f"the statements using these weights differ, so they stay at {where} and read the weights as attributes"
            ),
            warnings=self._module_variables_reordered(unit, owner, weights),
        )

    def _module_variables_reordered(self, unit: _Unit, owner: dict, weights: list[WeightPlan]) -> tuple[str, ...]:
        if unit.stmt is not None or unit.first not in unit.statements:
            return ()
        at = self._built_at(unit, owner)
        first = min(unit.statements, key=lambda s: s.start)
        if at is first:
            # Built early: a later variable's value must not read what TF1 bound after the first variable.
            later = [s for s in unit.statements if s is not first]
            bound = {n for s in self.top if first.start < s.start and s not in unit.statements
                     and s.start < max(x.start for x in unit.statements) for n in s.targets}
            read = {n for s in later for n in _reads(s)} & bound
            if read:
                raise Unsupported(
                    f"module-level variables whose initial values read `{sorted(read)[0]}`, bound between them, "
                    "with code in between computing with the earlier ones"
                )
        return self._reordered(unit, weights, built_at_last=at is not first)

    # -- a module function computing with module-level variables -------------------------------------
    def _user_function(self, unit: _Unit, owner: dict) -> Optional[Stmt]:
        """The one module function computing with this unit's variables, when nothing else does.

        The tutorial pattern: ``weights = {"h1": tf.Variable(...)}`` at module level, read only by
        ``def multilayer_perceptron(x)``. The function is the layer's ``call``.
        """
        if not self.is_module or unit.stmt is not None:
            return None
        own = {n for n, (u, _) in owner.items() if u is unit}
        creation = {w.site.location.stmt_id for w in unit.weights}
        readers: set[str] = set()
        for top in self.top:
            if top.kind == "def":
                local = {p.name for p in top.params} | {n for s in top.body for i in s.walk() for n in i.targets}
                if (set().union(*(_reads(s) for s in top.body)) - local) & own:
                    readers.add(top.name)
            elif top.kind != "class" and top.id not in creation and _reads(top) & own:
                return None  # module code computes with the variables directly
        if len(readers) != 1:
            return None
        name = readers.pop()
        function = self.graph.functions[name]
        view = self.graph.in_context(name)
        if name in self.signatures or view.variables or view.markers or view.reuses:
            return None
        if any(c.call.callee in self.signatures for c in view.calls):
            return None
        if any(s.kind == "def" for top in function.body for s in top.walk()):
            return None
        return function

    def _plan_user_function(self, unit: _Unit, owner: dict, function: Stmt) -> BlockUnit:
        unit.class_name = names.unique(names.class_name(function.name), self.taken)
        self.taken.add(unit.class_name)
        unit.variable = function.name  # the instance replaces the function: its callers stay as they are
        own = {n: attr for n, (u, attr) in owner.items() if u is unit}
        local = {p.name for p in function.params} | {n for s in function.body for i in s.walk() for n in i.targets}
        rewrites = []
        for top in function.body:
            for stmt in top.walk():
                for ref in stmt.reads():
                    if not ref.store and ref.name in own and ref.name not in local:
                        rewrites.append(Rewrite(ref.start, ref.end, f"self.{own[ref.name]}"))
        docstring = next((s for s in function.body if s.is_docstring), None)
        parts = moved(self.ir, function.body, lambda s: "drop" if s.is_docstring else "keep")
        weights = self._weight_plans(unit)
        applications = self._calls_of(function.name)
        warnings = self._reordered(unit, weights, built_at_last=True)
        plan = ClassPlan(
            class_name=unit.class_name,
            source=function.name,
            kind="model",
            line=unit.first.line,
            docstring=docstring.value.text if docstring else (
                f'"""The TF1 function ``{function.name}`` and the module-level variables it computes with."""'
            ),
            init_signature="name=None, **kwargs",
            super_name="name",
            init=Block(parts=tuple(self._init_creations(weights, []))),
            build=None,
            call_signature=_param_list(self.ir, function),
            call=Block(parts=parts, rewrites=tuple(rewrites)),
            weights=tuple(weights),
            sublayers=(),
            default_scope=None,
        )
        return BlockUnit(
            plan=plan,
            context=self.context.name,
            variable=unit.variable,
            constructor=f"{unit.class_name}()",
            class_at=self.ir.line_start(leading_comments(self.ir, unit.first.start)),
            head_start=0,
            head_end=0,
            head_text="",
            removed=(),
            applications=tuple(applications),
            scope=None,
            foreign=(),
            config=(),
            line=unit.first.line,
            weights_only=False,
            creation_stmts=tuple(sorted({w.site.location.stmt_id for w in unit.weights})),
            function=function.name,
            function_span=(function.start, function.end),
            warnings=warnings,
        )

    def _reordered(self, unit: _Unit, weights: list[WeightPlan], built_at_last: bool) -> tuple[str, ...]:
        """Code TF1 ran between the variables, which now runs before (or after) all their initial values."""
        if not any(w.prelude for w in weights):
            return ()  # Keras initializers draw from their own generator anyway
        creation = {s.id for s in unit.statements}
        first, last = min(s.start for s in unit.statements), max(s.start for s in unit.statements)
        between = [s for s in self.top if first < s.start < last and s.id not in creation and any(s.calls())]
        if not between:
            return ()
        code = self.ir.text[between[0].start:between[0].end].split("\n")[0]
        where, when = ("last", "before") if built_at_last else ("first", "after")
        return (
            f"initial values are computed when the layer is built, where the {where} variable was: `{code}` "
            f"(line {between[0].line}), which TF1 ran between the variables, now runs {when} all of them "
            "(values drawn from a shared random generator come out in another order)",
        )

    def _calls_of(self, function: str) -> list[Application]:
        """``logits = multilayer_perceptron(X)`` at module level: the function's applications."""
        found = []
        for stmt in self.top:
            if stmt.kind != "assign" or stmt.value is None or stmt.value.kind != "call":
                continue
            call = stmt.value.calls[0]
            if call.callee != function or any(a.keyword or a.star or a.value.kind != "name" for a in call.args):
                continue
            found.append(Application(stmt.start, stmt.end, stmt.indent, tuple(a.value.name for a in call.args), stmt.targets, stmt.line))
        return found

    def _module_statement(self, stmt: Stmt) -> Stmt:
        """The module-level statement holding ``stmt`` (where a new class goes)."""
        for top in self.ir.body:
            if top.start <= stmt.start and stmt.end <= top.end:
                return top
        return stmt

    def _instance(self, unit: _Unit) -> tuple[str, Optional[Shared]]:
        base = names.identifier(unit.scope or "model")
        if self.is_module:
            variable = names.unique(base, self.taken)
            self.taken.add(variable)
            return variable, None
        if unit.reuse in (Reuse.PARAM, Reuse.AUTO, Reuse.TRUE) and self.context.kind == "method":
            owner = self.context.class_name
            class_stmt = next(s for s in self.ir.body if s.kind == "class" and s.name == owner)
            members = {n for s in class_stmt.body for n in s.targets}
            attr = names.unique(base, members | self._attribute_writes(class_stmt))
            first = next((s for s in class_stmt.body if not s.is_docstring), class_stmt.body[0])
            reuse = self.graph.scopes[unit.stmt.id][0].reuse_expr
            holder = f"{owner}.{attr}"
            condition = {
                Reuse.PARAM: f"not {reuse.text if reuse is not None else 'reuse'} or {holder} is None",
                Reuse.AUTO: f"{holder} is None",
                Reuse.TRUE: "",
            }[unit.reuse]
            create = "never" if unit.reuse == Reuse.TRUE else condition
            shared = Shared(owner, attr, self.ir.line_start(first.start), first.indent, create)
            return holder, shared
        variable = names.unique(base, self.locals | self.taken)
        self.locals.add(variable)
        return variable, None

    @staticmethod
    def _attribute_writes(class_stmt: Stmt) -> set[str]:
        found = set()
        for stmt in (s for top in class_stmt.body for s in _walk_all(top)):  # methods' ``self.x = ...`` too
            for target in stmt.target_exprs:
                if target.text.startswith("self."):
                    found.add(target.text[5:].split(".")[0].split("[")[0])
        return found

    def _config(self, unit: _Unit, sublayer_calls: list) -> list[str]:
        """Local values (of a method) the layer's weights or sublayers are configured with."""
        if self.is_module:
            return []
        read: set[str] = set()
        for weight in unit.weights:
            read |= {r.name for e in weight.site.args.values() for r in e.names if not r.store}
        for site in sublayer_calls:
            bound = bind(self.signatures[site.call.callee], site.call)
            for arg in [*bound.config, *([bound.scope] if bound.scope else [])]:
                read |= {r.name for r in arg.value.names if not r.store}
        params = [p.name for p in self.context.stmt.params] if self.context.stmt is not None else []

        def position(name: str) -> tuple[int, int]:
            """Parameters first, in their order, then locals where they are assigned (a stable order)."""
            starts = [s.start for s in self.statements if name in s.targets]
            return (min(starts), 0) if starts else (-1, params.index(name) if name in params else len(params))

        needed = sorted(read & self.locals, key=lambda n: (position(n), n))
        for name in needed:
            if len([s for s in self.statements if name in s.targets]) > 1:
                raise Unsupported(f"the layer's configuration `{name}` is assigned more than once")
        return needed

    def _is_creation_stmt(self, weight: _Weight) -> bool:
        stmt = self.graph.stmts[weight.site.location.stmt_id]
        if weight.dict_key is not None:
            return all(
                v.kind == "call" and v.calls and v.calls[0].tf_name in ("tf.Variable", "tf.get_variable")
                for _, v in stmt.value.dict_items
            )
        return weight.site.assigned_to is not None and stmt.kind == "assign"

    def _runs(self, unit: _Unit, owner: dict, creation_stmts: set[int], sublayer_calls: list) -> list[list[Stmt]]:
        """Consecutive statements computing with the unit's weights (in the block, then after it)."""
        own = {n for n, (u, _) in owner.items() if u is unit}
        inline = {w.site.location.stmt_id for w in unit.weights} - creation_stmts
        call_stmts = {c.location.stmt_id for c in sublayer_calls}
        runs: list[list[Stmt]] = []
        current: list[Stmt] = []

        def close() -> None:
            nonlocal current
            if current:
                runs.append(current)
            current = []

        for stmt in unit.statements if unit.stmt is not None else []:
            if stmt.id in creation_stmts or stmt.id in self.reuse_stmts or _is_training(stmt):
                close()
                continue
            contained = {s.id for s in stmt.walk()}
            if contained & (inline | call_stmts) or (_reads(stmt) & set(owner)):
                if stmt.kind not in _SIMPLE:
                    raise Unsupported("statements computing with the variables inside a loop or condition")
                current.append(stmt)
            else:
                close()
        close()
        after = unit.first.end if unit.stmt is not None else unit.first.start
        inline_ids = {s.id for s in unit.inline}
        for stmt in self.top:
            if stmt.start < after:
                continue
            if stmt in unit.statements:
                close()
                continue
            reads = _reads(stmt) & set(owner)
            users = {id(owner[n][0]) for n in reads}
            calls_layers = any(c.callee in self.signatures for c in stmt.calls())
            if _is_training(stmt) and stmt.id not in inline_ids:
                close()  # training code stays where it is, reading the weights as attributes
            elif stmt.id in inline_ids:
                if len(users - {id(unit)}) or calls_layers:
                    raise Unsupported("a module-level statement creating a variable inline also uses others")
                current.append(stmt)
            elif stmt.kind in _SIMPLE and reads & own and len(users) == 1 and not calls_layers:
                current.append(stmt)
            else:
                close()
        close()
        return runs

    def _foreign(self, runs: list[list[Stmt]], owner: dict, unit: _Unit) -> list[str]:
        found: list[str] = []
        for run in runs:
            for stmt in run:
                for name in sorted(_reads(stmt) & set(owner)):
                    other = owner[name][0]
                    if other is unit:
                        continue
                    if not other.variable or not self.is_module:
                        raise Unsupported(f"the statements use `{name}`, a variable of another block")
                    if other.variable not in found:
                        found.append(other.variable)
        return found

    def _applications(self, unit: _Unit, runs: list[list[Stmt]], owner: dict, sublayer_calls: list):
        if not runs:
            return [], None, True
        configuration = self._configuration_spans(sublayer_calls)
        interfaces = [self._interface(run, owner, configuration) for run in runs]
        first = runs[0]
        mappings = []
        for run, (inputs, _) in zip(runs[1:], interfaces[1:]):
            mapping = _alpha(first, run, set(interfaces[0][0]) | _defined(first), set(inputs) | _defined(run))
            if mapping is None:
                return [], None, True
            mappings.append(mapping)
        inputs0, outputs0 = interfaces[0]
        outputs = list(outputs0)
        for mapping, (_, outs) in zip(mappings, interfaces[1:]):
            back = {v: k for k, v in mapping.items()}
            for name in outs:
                original = back.get(name, name)
                if original not in outputs and original in _defined(first):
                    outputs.append(original)
        order = {name: index for index, name in enumerate(n for s in first for n in s.targets)}
        outputs.sort(key=lambda n: order.get(n, 0))
        applications = [Application(first[0].start, first[-1].end, first[0].indent, tuple(inputs0), tuple(outputs), first[0].line)]
        for run, mapping in zip(runs[1:], mappings):
            applications.append(
                Application(
                    run[0].start, run[-1].end, run[0].indent,
                    tuple(mapping.get(n, n) for n in inputs0), tuple(mapping.get(n, n) for n in outputs), run[0].line,
                )
            )
        return applications, self._call_block(unit, first, owner, tuple(outputs), sublayer_calls), False

    def _configuration_spans(self, sublayer_calls: list) -> list[tuple[int, int]]:
        """Where the layer calls' configuration arguments are: they move to constructors, not to call."""
        spans = []
        for site in sublayer_calls:
            bound = bind(self.signatures[site.call.callee], site.call)
            spans.extend((a.start, a.end) for a in [*bound.config, *([bound.scope] if bound.scope else [])])
        return spans

    def _interface(self, run: list[Stmt], owner: dict, configuration: list[tuple[int, int]]) -> tuple[list[str], list[str]]:
        defined: set[str] = set()
        inputs: list[str] = []
        for stmt in run:
            for ref in (r for e in stmt.exprs for r in e.names if not r.store):
                name = ref.name
                if any(s <= ref.start and ref.end <= e for s, e in configuration):
                    continue
                if name in defined or name in owner or name in inputs or not self._is_tensor_name(name, stmt.start):
                    continue
                inputs.append(name)
            defined.update(stmt.targets)
        used_later = self._read_after({s.id for s in run}, run[-1].end)
        outputs = [n for s in run for n in s.targets if n in used_later]
        if not outputs and run[-1].targets:
            outputs = list(run[-1].targets)
        return inputs, list(dict.fromkeys(outputs))

    def _is_tensor_name(self, name: str, before: int) -> bool:
        """A name bound before ``before`` in this context to something other than a constant, import or def."""
        bindings = [s for s in self.statements if name in s.targets and s.start < before]
        if not bindings:
            # A parameter of the graph-building function or method holding the block (``def model(x, t)``).
            stmt = None if self.is_module else self.context.stmt
            return stmt is not None and name in {p.name for p in stmt.params} - {"self", "cls"}
        last = bindings[-1]
        if last.kind in ("import", "def", "class"):
            return False
        return not (last.kind == "assign" and last.value is not None and last.value.literal is not MISSING)

    def _read_after(self, run_ids: set[int], after: int) -> set[str]:
        """Names read after ``after`` in this context, or anywhere in functions it defines (closures)."""
        found: set[str] = set()
        scope = self.ir.walk() if self.is_module else (s for top in self.top for s in _walk_all(top))
        for stmt in scope:
            if stmt.id in run_ids:
                continue
            for ref in stmt.reads():
                if not ref.store and (ref.start >= after or self._in_def(stmt)):
                    found.add(ref.name)
        return found

    def _in_def(self, stmt: Stmt) -> bool:
        parent = self.graph.parents.get(stmt.id)
        while parent is not None:
            kind = self.graph.stmts[parent].kind
            if kind in ("def", "class") and parent != (self.context.stmt.id if self.context.stmt else None):
                return True
            parent = self.graph.parents.get(parent)
        return False

    def _call_block(self, unit: _Unit, run: list[Stmt], owner: dict, outputs: tuple, sublayer_calls: list) -> Block:
        rewrites: list[Rewrite] = []
        deleted: list[tuple[int, int]] = []
        attrs = self._sublayer_attrs(unit, sublayer_calls)
        run_ids = {s.id for top in run for s in top.walk()}
        for site in sublayer_calls:
            if site.location.stmt_id in run_ids:
                attr, tensors = attrs[site.call.start]
                edits, gaps = call_rewrites(self.ir.text, site.call, tensors, f"self.{attr}")
                rewrites.extend(edits)
                deleted.extend(gaps)
        for weight in unit.weights:
            if weight.site.location.stmt_id in run_ids:
                rewrites.append(Rewrite(weight.site.call.start, weight.site.call.end, f"self.{weight.attr}"))
                deleted.append((weight.site.call.start, weight.site.call.end))
        for stmt in run:
            for ref in (r for e in stmt.exprs for r in e.names if not r.store):
                if ref.name not in owner or any(s <= ref.start and ref.end <= e for s, e in deleted):
                    continue
                other, attr = owner[ref.name]
                prefix = "self" if other is unit else f"self.{other.variable}"
                rewrites.append(Rewrite(ref.start, ref.end, f"{prefix}.{attr}"))
        parts: list = list(moved(self.ir, run, lambda s: "keep"))
        if outputs:
            parts.append("return " + ", ".join(outputs))
        return Block(parts=tuple(parts), rewrites=tuple(sorted(rewrites, key=lambda r: r.start)))

    def _sublayer_attrs(self, unit: _Unit, sublayer_calls: list) -> dict[int, tuple[str, tuple]]:
        attrs: dict[int, tuple[str, tuple]] = {}
        by_key: dict[tuple, str] = {}
        taken = set(names.RESERVED_ATTRIBUTES) | {w.attr for w in unit.weights}
        for site in sublayer_calls:
            signature = self.signatures[site.call.callee]
            bound = bind(signature, site.call)
            check_caller_defaults(self.graph, site, signature)
            if site.location.loops:
                raise Unsupported(f"`{signature.function}` is called in a loop outside a function")
            key = tuple(self._relative_scopes(site.location, unit.stmt.id)) + callee_key(signature, bound, site.call.start)
            if key not in by_key:
                base = "_".join(names.literal_prefix(c) for c in key if c[0] == "const" and not str(c[1]).startswith("<"))
                by_key[key] = names.attribute(base or signature.function, taken)
                taken.add(by_key[key])
            attrs[site.call.start] = (by_key[key], bound.tensors)
        return attrs

    def _weight_plans(self, unit: _Unit) -> list[WeightPlan]:
        plans = []
        seen: set[str] = set()
        for weight in unit.weights:
            if weight.attr in seen and weight.dict_key is None:
                continue
            seen.add(weight.attr)
            if weight.dict_key is not None:
                name = f"{weight.attr.rstrip('_')}_{weight.dict_key}"
            elif weight.site.kind == "Variable":
                name = weight.attr
            else:
                name = "_".join(names.literal_prefix(c) for c in weight.key)
            spec = weight_spec(weight.site, name, self.graph, self.tf, "module-level code")
            plans.append(
                WeightPlan(
                    attr=weight.attr if weight.dict_key is None else f"{weight.attr}[{weight.dict_key!r}]",
                    key=weight.key,
                    tf1_name=key_text(weight.key),
                    shape=None,
                    dtype=spec.dtype,
                    trainable=spec.trainable,
                    initializer=spec.initializer,
                    arguments=tuple((k, text_of(v)) for k, v in spec.arguments),
                    placement="init",
                    order=weight.site.call.start,
                    notes=spec.notes,
                    prelude=tuple(render(c) for c in spec.prelude),
                )
            )
        return plans

    def _sublayer_plans(self, unit: _Unit, sublayer_calls: list) -> list[SublayerPlan]:
        attrs = self._sublayer_attrs(unit, sublayer_calls)
        plans: dict[str, SublayerPlan] = {}
        for site in sublayer_calls:
            attr, _ = attrs[site.call.start]
            if attr in plans:
                continue
            signature = self.signatures[site.call.callee]
            bound = bind(signature, site.call)
            key = tuple(self._relative_scopes(site.location, unit.stmt.id)) + callee_key(signature, bound, site.call.start)
            plans[attr] = SublayerPlan(
                attr=attr,
                key=key,
                unit=signature.function,
                class_name=signature.class_name,
                arguments=tuple(constructor_arguments(signature, bound)),
                placement="init",
                order=site.call.start,
                scope_name=scope_path(key, signature),
            )
        return list(plans.values())

    def _init_creations(self, weights: list[WeightPlan], sublayers: list[SublayerPlan]) -> list[str]:
        lines: list = []
        entries: dict[str, list[str]] = {}
        # A dict literal's values are evaluated in order before the dict exists: every entry's initial
        # value is computed ahead of the dict, in source order (TF1 drew random numbers in that order).
        preludes: dict[str, list[str]] = {}
        for piece in sorted([*weights, *sublayers], key=lambda p: p.order):
            if isinstance(piece, SublayerPlan):
                lines.append(f"self.{piece.attr} = {piece.class_name}({', '.join(piece.arguments)})")
                continue
            value = "self.add_weight(" + ", ".join(f"{k}={v}" for k, v in piece.arguments) + ")"
            if "[" in piece.attr:
                value = wrap_long(value, self.indent_unit, limit=_LINE_LIMIT - 8)
                attr, key = piece.attr.split("[", 1)
                if attr not in entries:
                    entries[attr] = []
                    preludes[attr] = []
                    lines.append(("prelude", attr))
                    lines.append(("dict", attr))
                preludes[attr].extend(piece.prelude)
                entries[attr].append(f"{key[:-1]}: {value},")
            else:
                lines.extend(piece.prelude)
                lines.append(f"self.{piece.attr} = {value}")
        out = []
        for line in lines:
            if isinstance(line, tuple) and line[0] == "prelude":
                out.extend(preludes[line[1]])
            elif isinstance(line, tuple):
                body = "\n".join(reindent(entry + "\n", "", self.indent_unit).rstrip("\n") for entry in entries[line[1]])
                out.append(f"self.{line[1]} = {{\n{body}\n}}")
            else:
                out.append(line)
        return out

    def _bindings(self, unit: _Unit, owner: dict, app_spans: list[tuple[int, int]]) -> list[str]:
        """``W = my_layer.weights_`` for weights the code still reads outside the applications."""
        needed = []
        scope = self.ir.walk() if self.is_module else (s for top in self.top for s in _walk_all(top))
        statements = list(scope)
        for name, (other, attr) in owner.items():
            if other is not unit:
                continue
            for stmt in statements:
                if any(s <= stmt.start and stmt.end <= e for s, e in app_spans):
                    continue
                if self._in_function_of(unit, stmt):
                    continue
                if any(w.site.location.stmt_id == stmt.id for w in unit.weights):
                    continue
                if any(not r.store and r.name == name for r in stmt.reads()):
                    needed.append(name)
                    break
        return [f"{n} = {unit.variable}.{owner[n][1]}" for n in dict.fromkeys(needed)]

    def _in_function_of(self, unit: _Unit, stmt: Stmt) -> bool:
        user = unit.variable if unit.variable in self.graph.functions else None
        if user is None:
            return False
        function = self.graph.functions[user]
        return function.start <= stmt.start and stmt.end <= function.end

    def _built_at(self, unit: _Unit, owner: dict) -> Stmt:
        """Where module-level variables' layer is built: where TF1 made the last of them (every name their
        initial values read is bound there, as it was in TF1), unless code in between reads one of them."""
        ordered = sorted(unit.statements, key=lambda s: s.start)
        first, last = ordered[0], ordered[-1]
        own = {n for n, (u, _) in owner.items() if u is unit}
        between = [s for s in self.top if first.start < s.start < last.start and s not in unit.statements]
        return first if any(_reads(s) & own for s in between) else last

    def _head(self, unit: _Unit, result: BlockUnit, bindings: list[str], owner: dict):
        """The replacement of the block (or the first module variable): instance, bindings, kept statements."""
        indent = unit.first.indent
        if result.function is not None:
            # The variables go into the class and the function's def goes; the instance is created where
            # TF1 created the last variable, so initial values drawn from a numpy generator are drawn
            # before what the module draws after them, as in TF1.
            last = max(unit.statements, key=lambda s: s.start)
            removed = [(s.start, s.end) for s in unit.statements if s is not last] + [result.function_span]
            text = "\n".join([f"{result.variable} = {result.constructor}", *bindings])
            return last.start - len(last.indent), last.end, text, removed
        lines = self._creation_lines(result, indent)
        lines += [indent + line for line in bindings]
        if unit.stmt is None:
            first = unit.first
            if first not in unit.statements:
                # The first variable is created inside a computation: the instance comes just before it.
                at = self.ir.line_start(first.start)
                removed = [(s.start, s.end) for s in unit.statements]
                return at, at, "\n".join(lines) + "\n", removed
            at = self._built_at(unit, owner)
            removed = [(s.start, s.end) for s in unit.statements if s is not at]
            return at.start - len(at.indent), at.end, "\n".join(lines), removed
        out = [line + "\n" for line in lines]
        by_start = {a.start: a for a in result.applications}
        creation = set(result.creation_stmts)
        skip_until = -1
        for stmt in unit.statements:
            if stmt.start < skip_until or stmt.id in creation or stmt.id in self.reuse_stmts:
                continue
            app = by_start.get(stmt.start)
            if app is not None:
                out.append(indent + _application_line(app, result.variable) + "\n")
                skip_until = app.end
                continue
            chunk = self.ir.text[leading_comments(self.ir, stmt.start):self.ir.line_end(stmt.end)]
            out.append(reindent(chunk if chunk.endswith("\n") else chunk + "\n", stmt.indent, indent))
        return self.ir.line_start(unit.stmt.start), unit.stmt.end, "".join(out).rstrip("\n"), []

    def _creation_lines(self, result: BlockUnit, indent: str) -> list[str]:
        shared = result.shared
        if shared is None:
            return [f"{indent}{result.variable} = {result.constructor}"]
        if shared.create_when == "never":
            return []
        return [f"{indent}if {shared.create_when}:", f"{indent}{self.indent_unit}{result.variable} = {result.constructor}"]


def _param_list(ir: ModuleIR, function: Stmt) -> str:
    """A function's parameters as written (between the parentheses of its def)."""
    header = ir.text[function.start:function.body[0].start]
    opening = header.index("(")
    depth, index = 0, opening
    for index in range(opening, len(header)):
        depth += header[index] == "("
        depth -= header[index] == ")"
        if depth == 0:
            break
    return " ".join(header[opening + 1:index].split())


def _application_line(app: Application, variable: str) -> str:
    call = f"{variable}({', '.join(app.inputs)})"
    if not app.outputs:
        return call
    return f"{', '.join(app.outputs)} = {call}"


def _docstring(scope: Optional[str], context: str) -> str:
    if scope and context != "<module>":
        return f'"""TF1 scope ``{scope}`` of ``{context}`` as a layer: its variables and the computations using them."""'
    if scope:
        return f'"""Keras layer holding the TF1 variables of scope ``{scope}`` and the computations using them."""'
    return '"""Keras layer holding the module-level TF1 variables and the computations using them."""'


# Training code never goes into a layer: an optimizer reads the weights (``minimize(loss,
# global_step=global_step)``, ``var_list=[W, b]``) but is no computation of the model.
_TRAINING_METHODS = frozenset({"minimize", "compute_gradients", "apply_gradients"})
_TRAINING_FUNCTIONS = frozenset({"tf.gradients", "tf.train.exponential_decay", "tf.train.piecewise_constant",
                                 "tf.train.polynomial_decay", "tf.train.inverse_time_decay",
                                 "tf.train.natural_exp_decay", "tf.train.cosine_decay"})


def _is_training(stmt: Stmt) -> bool:
    """Statements building an optimizer, its train op, gradients or a learning-rate schedule."""
    for inner in stmt.walk():
        for call in inner.calls():
            name = call.tf_name or ""
            if name in _TRAINING_FUNCTIONS or name.startswith("tf.train.") and name.endswith("Optimizer"):
                return True
            if call.method in _TRAINING_METHODS or call.func.text.rsplit(".", 1)[-1] in _TRAINING_METHODS:
                return True
    return False


def _reads(stmt: Stmt) -> set[str]:
    return {r.name for s in stmt.walk() for r in s.reads() if not r.store}


def _defined(run: list[Stmt]) -> set[str]:
    return {n for s in run for n in s.targets}


def _statements(body) -> list[Stmt]:
    """Every statement of a body, nested blocks included, nested defs and classes not entered."""
    out: list[Stmt] = []
    for stmt in body:
        out.extend(stmt.walk())
    return out


def _walk_all(stmt: Stmt):
    yield stmt
    for child in stmt.children():
        yield from _walk_all(child)


def _alpha(first: list[Stmt], other: list[Stmt], renamable_first: set[str], renamable_other: set[str]) -> Optional[dict[str, str]]:
    """A renaming of ``first``'s inputs and results that makes it ``other``, or None."""
    if len(first) != len(other):
        return None
    mapping: dict[str, str] = {}
    for a, b in zip(first, other):
        if a.skeleton != b.skeleton or len(a.name_order) != len(b.name_order):
            return None
        for x, y in zip(a.name_order, b.name_order):
            if x in renamable_first or y in renamable_other:
                if x not in renamable_first or y not in renamable_other:
                    return None
                if mapping.setdefault(x, y) != y:
                    return None
            elif x != y:
                return None
    if len(set(mapping.values())) != len(mapping):
        return None
    return mapping
