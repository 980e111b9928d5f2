"""IR → plan for a whole module: which functions become layers, where their instances live.

1. Functions that create variables (directly or through functions that do) are candidates.
2. Each candidate is planned callees first (``functions.FunctionPlanner``); one that cannot be followed
   is left as TF1 code with the reason, and so is every function that calls it.
3. Calls of converted functions outside converted functions (module code, graph-building functions,
   methods) become instances created once, before the first use, keyed by scope path: calls that
   address the same TF1 variables use the same instance. In a method that reuses by a parameter
   (``fc(X, "pi", n, reuse=reuse)``) or ``AUTO_REUSE``, the instance is a class attribute, created by the
   object that does not reuse and called by every object, as TF1 shared the variables between them.
4. Module-level ``with tf.variable_scope(...)`` blocks and module-level variables become layers of
   their own (``blocks``).

The result is pure data (``ModulePlan``) that ``emit`` turns into edits.
"""
from __future__ import annotations

import dataclasses
from typing import Optional

from tf1to2.analysis import syntax
from tf1to2.analysis.imports import ImportMap
from tf1to2.analysis.module import ModuleContext
from tf1to2.analysis.syntax import Arg, Call, ModuleIR, Stmt
from tf1to2.analysis.variables import FunctionCallSite, VariableGraph, analyze
from tf1to2.rules.variables_to_layers import names
from tf1to2.rules.variables_to_layers.blocks import BlockPlanner, Shared
from tf1to2.rules.variables_to_layers.classes import plan_classes
from tf1to2.rules.variables_to_layers.dataflow import Unsupported, is_shape_helper
from tf1to2.rules.variables_to_layers.functions import (
    FunctionPlanner, GraphCode, variable_factories, callee_key, check_caller_defaults, scope_path,
)
from tf1to2.rules.variables_to_layers.model import ClassPlan
from tf1to2.rules.variables_to_layers.signature import REUSE, Bound, Signature, bind, constructor_arguments


@dataclasses.dataclass(frozen=True)
class Skipped:
    """Something that creates variables and stays TF1 code, with the reason."""

    code: str
    line: int
    col: int
    message: str


@dataclasses.dataclass(frozen=True)
class FunctionUnit:
    plan: ClassPlan
    start: int  # the def statement (decorators included)
    end: int
    signature: Signature


@dataclasses.dataclass(frozen=True)
class Use:
    """One call of a converted function, rewritten to call an instance."""

    call: Call
    tensors: tuple[Arg, ...]
    reuse: bool  # a later call of the same instance (TF1 reused its variables here)


@dataclasses.dataclass(frozen=True)
class Instance:
    """An instance of a converted class created once in a graph-building context and called where TF1 called the function."""

    variable: str
    class_name: str
    function: str
    arguments: tuple[str, ...]
    insert_at: int  # offset of the line before which it is created
    indent: str
    context: str
    uses: tuple[Use, ...]
    scope_name: Optional[str]
    line: int
    # In a method that reuses by a parameter (``fc(X, "pi", n, reuse=reuse)``): a class attribute, created
    # by the instance that does not reuse and called by every instance, as TF1 shared the variables.
    shared: Optional[Shared] = None


@dataclasses.dataclass(frozen=True)
class ModulePlan:
    tf: str
    unit: str
    functions: tuple[FunctionUnit, ...] = ()
    instances: tuple[Instance, ...] = ()
    blocks: tuple = ()
    classes: tuple = ()
    skipped: tuple[Skipped, ...] = ()
    graph: Optional[VariableGraph] = None


def plan_module(module: ModuleContext) -> ModulePlan:
    tf = tensorflow_alias(module.imports)
    if tf is None:
        return ModulePlan(tf="tf", unit="    ")
    ir = syntax.build(module)
    graph = analyze(module, ir)
    return _ModulePlanner(module, ir, graph, tf).plan()


def tensorflow_alias(imports: ImportMap) -> Optional[str]:
    """The local name code should use for TensorFlow (``tf`` for ``import tensorflow.compat.v1 as tf``)."""
    candidates = [b.local for b in imports.bindings.values() if b.target in ("tensorflow", "tensorflow.compat.v1")]
    if not candidates:
        return None
    return "tf" if "tf" in candidates else sorted(candidates)[0]


def indent_unit(ir: ModuleIR) -> str:
    for stmt in ir.walk():
        for child in stmt.children():
            if child.indent and stmt.indent == "":
                return child.indent
    return "    "


class _ModulePlanner:
    def __init__(self, module: ModuleContext, ir: ModuleIR, graph: VariableGraph, tf: str) -> None:
        self.module = module
        self.ir = ir
        self.graph = graph
        self.tf = tf
        self.helpers = {name for name, stmt in graph.functions.items() if is_shape_helper(stmt)}
        self.creating = self._creating_functions()
        self.skipped: dict[str, Skipped] = {}
        self.base_taken = _all_names(ir)
        self.taken = set(self.base_taken)
        self.block_skips: list[Skipped] = []
        self.classes: list = []

    factories: set[str] = set()

    def _layer_functions(self) -> set[str]:
        """Functions whose variables come from TF1 layer calls, and that build nothing else of a graph."""
        found = set()
        for name in {s.location.context for s in self.graph.layers} & set(self.graph.functions):
            view = self.graph.in_context(name)
            layer_calls = {(s.call.start, s.call.end) for s in view.layers}
            if all((m.call.start, m.call.end) in layer_calls for m in view.markers):
                found.add(name)
        return found

    def _creating_functions(self) -> set[str]:
        self.factories = variable_factories(self.graph)
        creating = {v.location.context for v in self.graph.variables if v.location.context in self.graph.functions}
        creating -= self.factories
        creating |= self._layer_functions()
        # A nested function creating variables makes its enclosing function one to report.
        creating |= {v.location.context.split(".")[0] for v in self.graph.variables
                     if self.graph.contexts[v.location.context].kind == "nested"
                     and v.location.context.split(".")[0] in self.graph.functions}
        changed = True
        while changed:
            changed = False
            for site in self.graph.calls:
                context = site.location.context
                if site.call.callee in creating and context in self.graph.functions and context not in creating:
                    creating.add(context)
                    changed = True
        return creating

    def plan(self) -> ModulePlan:
        while True:
            signatures, planners = self._plan_functions()
            uses, failed = self._outside_uses(signatures)
            self.block_skips = []
            if not failed:
                self.classes, class_skips = plan_classes(self.graph, self.tf, self.creating, indent_unit(self.ir))
                blocks, block_failures = self._blocks(signatures)
                self.block_skips.extend(Skipped("TF440", line, 0, message) for line, message in class_skips)
                failed = block_failures
            if not failed:
                break
            for name, reason in failed.items():
                stmt = self.graph.functions[name]
                code, message = reason if isinstance(reason, tuple) else ("TF443", reason)
                self.skipped[name] = Skipped(code, stmt.line, len(stmt.indent), message)
        self._report_factories(signatures)
        units = []
        for name, planner in planners.items():
            stmt = self.graph.functions[name]
            try:
                plan = planner.plan(signatures[name].class_name)
            except Unsupported as exc:
                # Composition problems surface late; the function then stays TF1 code.
                self.skipped[name] = Skipped("TF443", stmt.line, len(stmt.indent), str(exc))
                self.creating.discard(name)
                return _ModulePlanner(self.module, self.ir, self.graph, self.tf)._retry(self.skipped)
            units.append(FunctionUnit(plan, stmt.start, stmt.end, signatures[name]))
        instances = self._instances(uses, signatures, blocks)
        return ModulePlan(
            tf=self.tf,
            unit=indent_unit(self.ir),
            functions=tuple(units),
            instances=tuple(instances),
            blocks=tuple(blocks),
            classes=tuple(self.classes),
            skipped=tuple(self.skipped.values()) + tuple(self.block_skips),
            graph=self.graph,
        )

    def _blocks(self, signatures: dict[str, Signature]) -> tuple[list, dict[str, str]]:
        """Variable scopes opened in graph code (module, methods, graph-building functions) become layers.

        A block left as TF1 code leaves the functions it calls as TF1 code too.
        """
        blocks: list = []
        taken = set(self.base_taken)
        for context in self._graph_contexts(signatures):
            planner = BlockPlanner(self.graph, self.tf, indent_unit(self.ir), signatures, taken, context)
            found = planner.plan()
            blocks.extend(found)
            self.block_skips.extend(Skipped("TF440", line, 0, message) for line, message in planner.skipped)
            if found and context in self.skipped:
                del self.skipped[context]  # its scoped graph code became layers; the rest stays graph code
        self.taken = taken
        converted = {(b.context, b.line) for b in blocks}
        failed: dict[str, str] = {}
        for site in self.graph.calls:
            if site.call.callee not in signatures or not site.location.scopes:
                continue
            if site.location.context in signatures:
                continue
            top = self.graph.stmts[site.location.top_stmt_id]
            if _reopens_current(self.graph, top):
                continue
            if top.kind == "with" and (site.location.context, top.line) not in converted:
                failed.setdefault(
                    site.call.callee, f"`{site.call.callee}` is called in graph code that stays TF1 (`{site.location.context}`)"
                )
        return blocks, failed

    def _graph_contexts(self, signatures: dict[str, Signature]) -> list[str]:
        """Contexts that are not converted functions but hold variable scopes with variables or layer calls."""
        wanted = []
        for name, context in self.graph.contexts.items():
            if name in signatures or context.kind == "nested":
                continue
            if context.kind == "function" and not self._graph_code(name):
                continue  # a function that could not become a layer stays TF1 code as a whole
            if context.kind == "method" and context.class_name in {c.name for c in self.classes}:
                continue  # the class itself becomes a layer
            has_variables = any(
                v.location.context == name and (v.location.scopes or name == "<module>") for v in self.graph.variables
            )
            has_calls = any(c.location.context == name and c.location.scopes and c.call.callee in signatures for c in self.graph.calls)
            if has_variables or has_calls:
                wanted.append(name)
        return wanted

    def _report_factories(self, signatures: dict[str, Signature]) -> None:
        """Variable factories, and the functions taking their variables, stay TF1 code: say so."""
        for name in sorted(self.factories):
            stmt = self.graph.functions[name]
            self.skipped.setdefault(name, Skipped(
                "TF443", stmt.line, len(stmt.indent),
                f"`{name}` returns a new variable each call: it stays TF1 code (tf.Variable also runs in TF2); "
                "a layer made from its callers would need its variables created once",
            ))
        for site in self.graph.calls:
            caller = site.location.context
            if site.call.callee not in self.factories or caller not in self.graph.functions:
                continue
            if caller in signatures or caller in self.skipped or self._graph_code(caller):
                continue
            stmt = self.graph.functions[caller]
            self.skipped[caller] = Skipped(
                "TF443", stmt.line, len(stmt.indent),
                f"`{caller}` gets its variables from `{site.call.callee}`, which stays TF1 code, so it does too",
            )

    def _retry(self, skipped: dict[str, Skipped]) -> ModulePlan:
        self.skipped = dict(skipped)
        return self.plan()

    # -- functions -----------------------------------------------------------------------------------
    def _plan_functions(self) -> tuple[dict[str, Signature], dict[str, FunctionPlanner]]:
        signatures: dict[str, Signature] = {}
        planners: dict[str, FunctionPlanner] = {}
        for name in self._callees_first():
            stmt = self.graph.functions[name]
            if self._graph_code(name) and not any(v.location.context == name for v in self.graph.variables):
                continue  # graph code that only calls layers: those calls become instances it creates
            try:
                self._check_callees(name, signatures)
                planner = FunctionPlanner(
                    self.graph, stmt, signatures, self.helpers, self.tf, self.taken, self.creating, self.factories
                )
                signature = planner.signature()
            except GraphCode as exc:
                if any(v.location.context == name for v in self.graph.variables):
                    self.skipped[name] = Skipped("TF443", stmt.line, len(stmt.indent), str(exc))
                continue  # it only calls layers: those calls become instances it creates
            except Unsupported as exc:
                self.skipped[name] = Skipped("TF443", stmt.line, len(stmt.indent), str(exc))
                continue
            class_name = names.unique(signature.class_name, self.taken - {name})
            signatures[name] = dataclasses.replace(signature, class_name=class_name)
            planners[name] = planner
        return signatures, planners

    def _check_callees(self, name: str, signatures: dict[str, Signature]) -> None:
        for site in self.graph.in_context(name).calls:
            callee = site.call.callee
            if callee in self.creating and callee not in signatures and not self._graph_code(callee):
                reason = self.skipped[callee].message if callee in self.skipped else "it is recursive"
                raise Unsupported(f"`{name}` calls `{callee}`, which stays TF1 code ({reason})")

    def _callees_first(self) -> list[str]:
        order: list[str] = []
        state: dict[str, str] = {}

        def visit(name: str) -> None:
            if state.get(name) == "done" or name in self.skipped:
                return
            if state.get(name) == "active":
                self.skipped[name] = Skipped("TF443", self.graph.functions[name].line, 0, f"`{name}` is recursive")
                return
            state[name] = "active"
            for site in self.graph.in_context(name).calls:
                if site.call.callee in self.creating:
                    visit(site.call.callee)
            state[name] = "done"
            if name not in self.skipped:
                order.append(name)

        for name in sorted(self.creating, key=lambda n: self.graph.functions[n].start):
            visit(name)
        return order

    # -- calls outside converted functions -----------------------------------------------------------
    def _outside_uses(self, signatures: dict[str, Signature]) -> tuple[list, dict[str, str]]:
        uses: list[tuple[FunctionCallSite, Bound, tuple]] = []
        failed: dict[str, str] = {}
        for site in self.graph.calls:
            callee = site.call.callee
            if callee not in signatures or site.location.context in signatures:
                continue
            caller = site.location.context
            if caller in self.skipped and caller in self.graph.functions and not self._graph_code(caller):
                failed.setdefault(callee, f"`{callee}` is called from `{caller}`, which stays TF1 code")
                continue
            top = self.graph.stmts[site.location.top_stmt_id]
            if top.kind == "with" and site.location.scopes and not _reopens_current(self.graph, top):
                continue  # inside a variable scope of graph code: that block's layer holds the instance
            try:
                bound = bind(signatures[callee], site.call)
                check_caller_defaults(self.graph, site, signatures[callee])
                key = self._outside_key(site, signatures[callee], bound)
            except Unsupported as exc:
                failed.setdefault(callee, str(exc))
                continue
            uses.append((site, bound, key))
        templated = self._templated()
        for name in self._bare_references(signatures):
            if name in templated:
                failed.setdefault(name, (
                    "TF440",
                    f"`{name}` is wrapped by tf.make_template: its variables are created by the template's first call "
                    "and reused by later calls; it stays TF1 code (make it a layer by hand and call one instance)",
                ))
            else:
                failed.setdefault(name, f"`{name}` is used other than by calling it (passed as a value)")
        return uses, failed

    def _templated(self) -> set[str]:
        """Functions given to ``tf.make_template``."""
        found = set()
        for marker in self.graph.markers:
            if marker.kind == "make_template":
                for arg in marker.call.args:
                    if arg.value.kind == "name" and (arg.keyword in (None, "func_")):
                        found.add(arg.value.name)
        return found

    def _graph_code(self, name: str) -> bool:
        """A function that builds graph pieces (placeholders, sessions...): its calls get local instances."""
        return any(m.location.context == name and m.kind != "other_variables" for m in self.graph.markers)

    def _outside_key(self, site: FunctionCallSite, signature: Signature, bound: Bound) -> tuple:
        context = self.graph.contexts[site.location.context]
        if context.kind == "nested":
            raise Unsupported(f"`{signature.function}` is called from a nested function")
        components: list = []
        for scope in self.graph.scope_chain(site.location):
            if not scope.is_variable_scope or scope.reopens_current:
                continue
            if scope.name is not None and scope.name.literal is not None and isinstance(scope.name.literal, str):
                components.append(("const", scope.name.literal))
            else:
                raise Unsupported(f"`{signature.function}` is called inside a variable scope named at run time")
        if site.location.loops:
            raise Unsupported(f"`{signature.function}` is called in a loop outside a converted function")
        return tuple(components) + callee_key(signature, bound, site.call.start)

    def _bare_references(self, signatures: dict[str, Signature]) -> set[str]:
        """Converted functions referenced other than as the callee of a call (they would be broken)."""
        call_spans = {(s.call.func.start, s.call.func.end) for s in self.graph.calls}
        found: set[str] = set()
        for stmt in self.ir.walk():
            for ref in stmt.reads():
                if ref.name in signatures and (ref.start, ref.end) not in call_spans and not ref.store:
                    found.add(ref.name)
        return found

    def _instances(self, uses: list, signatures: dict[str, Signature], blocks: list) -> list[Instance]:
        class_attributes: dict[str, set[str]] = {}
        for block in blocks:
            if block.shared is not None:
                class_attributes.setdefault(block.shared.owner, set()).add(block.shared.attr)
        groups: dict[tuple, list] = {}
        for site, bound, key in uses:
            groups.setdefault((site.location.context, key), []).append((site, bound))
        instances = []
        converted = set(signatures)
        references = self._references()
        for (context, key), members in sorted(groups.items(), key=lambda item: item[1][0][0].call.start):
            site, bound = members[0]
            signature = signatures[site.call.callee]
            base = self._instance_name(key, signature)
            allowed = {signature.function} if references.get(signature.function, 0) <= sum(
                1 for u in uses if u[0].call.callee == signature.function
            ) else set()
            taken = (self.taken - allowed) | {i.variable for i in instances if i.context == context}
            taken |= self._locals_of(context)
            variable = names.unique(base, taken)
            shared = self._shared(context, members, signature, base, class_attributes)
            if shared is not None:
                variable = f"{shared.owner}.{shared.attr}"
            before = self._insertion_point([s for s, _ in members])
            instances.append(
                Instance(
                    variable=variable,
                    class_name=signature.class_name,
                    function=signature.function,
                    arguments=tuple(constructor_arguments(signature, bound)),
                    insert_at=self.ir.line_start(before.start),
                    indent=before.indent,
                    context=context,
                    uses=tuple(Use(s.call, b.tensors, index > 0) for index, (s, b) in enumerate(members)),
                    scope_name=scope_path(key, signature),
                    line=site.call.func.start,
                    shared=shared,
                )
            )
            if context == "<module>":
                self.taken.add(variable)
        del converted
        return instances

    def _shared(
        self, context: str, members: list, signature: Signature, base: str, class_attributes: dict[str, set[str]]
    ) -> Optional[Shared]:
        """The class attribute holding a method's instance when the method reuses by a parameter or AUTO_REUSE."""
        ctx = self.graph.contexts[context]
        if ctx.kind != "method" or ctx.stmt is None:
            return None
        _, bound = members[0]
        value = next((bound.args[p.name].value for p in signature.of(REUSE) if p.name in bound.args), None)
        if value is None:
            return None
        if value.kind == "name" and value.name in {p.name for p in ctx.stmt.params}:
            condition = f"not {value.name} or {{holder}} is None"
        elif value.tf_name == "tf.AUTO_REUSE":
            condition = "{holder} is None"
        else:
            return None
        class_stmt = next((s for s in self.ir.body if s.kind == "class" and s.name == ctx.class_name), None)
        if class_stmt is None:
            return None
        taken = class_attributes.setdefault(ctx.class_name, set())
        taken |= {n for stmt in class_stmt.body for n in stmt.targets} | BlockPlanner._attribute_writes(class_stmt)
        attr = names.unique(base, taken)
        taken.add(attr)
        first = next((s for s in class_stmt.body if not s.is_docstring), class_stmt.body[0])
        holder = f"{ctx.class_name}.{attr}"
        return Shared(ctx.class_name, attr, self.ir.line_start(first.start), first.indent, condition.format(holder=holder))

    def _insertion_point(self, sites: list[FunctionCallSite]) -> Stmt:
        """The statement before which one instance serves every use: in the innermost block holding them all."""
        paths = [self._ancestors(site.location.stmt_id) for site in sites]
        depth = 0
        while all(len(p) > depth + 1 for p in paths) and len({p[depth].id for p in paths}) == 1:
            owner = paths[0][depth]
            # Uses under one statement but in different blocks of it (if / else) stay above it.
            if len({self._block_of(owner, p[depth + 1]) for p in paths}) != 1:
                break
            depth += 1
        candidates = {p[depth].id: p[depth] for p in paths}
        return min(candidates.values(), key=lambda stmt: stmt.start)

    def _ancestors(self, stmt_id: int) -> list[Stmt]:
        chain = [self.graph.stmts[stmt_id]]
        parent = self.graph.parents.get(stmt_id)
        while parent is not None and self.graph.stmts[parent].kind not in ("def", "class"):
            chain.append(self.graph.stmts[parent])
            parent = self.graph.parents.get(parent)
        return list(reversed(chain))

    @staticmethod
    def _block_of(owner: Stmt, child: Stmt) -> str:
        for field in ("body", "orelse", "finalbody"):
            if any(c.id == child.id for c in getattr(owner, field)):
                return field
        return f"handler{next(i for i, h in enumerate(owner.handlers) if any(c.id == child.id for c in h))}"

    def _locals_of(self, context: str) -> set[str]:
        ctx = self.graph.contexts[context]
        if ctx.stmt is None:
            return set()
        found = {p.name for p in ctx.stmt.params}
        for top in ctx.body:
            for stmt in top.walk():
                found.update(stmt.targets)
                found.update(ref.name for ref in stmt.reads())
        return found

    def _instance_name(self, key: tuple, signature: Signature) -> str:
        last = key[-1]
        if last[0] == "unique" or last[0] == "const" and str(last[1]).startswith("<"):
            return names.identifier(signature.function)
        parts = [names.literal_prefix(c) for c in key if c[0] == "const"]
        return names.identifier("_".join(p for p in parts if p), signature.function)

    def _references(self) -> dict[str, int]:
        counts: dict[str, int] = {}
        for stmt in self.ir.walk():
            for ref in stmt.reads():
                if not ref.store:
                    counts[ref.name] = counts.get(ref.name, 0) + 1
        return counts


def _reopens_current(graph: VariableGraph, stmt: Stmt) -> bool:
    """``with tf.variable_scope(tf.get_variable_scope(), reuse=...)``: no new scope, only a reuse mode."""
    sites = graph.scopes.get(stmt.id, ())
    return stmt.kind == "with" and bool(sites) and all(s.reopens_current for s in sites)


def _all_names(ir: ModuleIR) -> set[str]:
    """Names a new module-level name must not shadow: module bindings and names functions read as globals."""
    found: set[str] = set()
    for stmt in _module_level(ir.body):
        found.update(stmt.targets)
        found.update(ref.name for ref in stmt.reads())
    for stmt in ir.walk():
        if stmt.kind != "def":
            continue
        local = {p.name for p in stmt.params} | {n for s in stmt.body for inner in s.walk() for n in inner.targets}
        for inner in (i for s in stmt.body for i in s.walk()):
            found.update(ref.name for ref in inner.reads() if ref.name not in local)
    return found


def _module_level(body) -> list[Stmt]:
    out: list[Stmt] = []
    for stmt in body:
        out.append(stmt)
        if stmt.kind == "class":
            out.extend(s for s in stmt.body if s.kind != "def")
        elif stmt.kind != "def":
            out.extend(_module_level(list(stmt.children())))
    return out
