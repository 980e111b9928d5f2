"""Plan module-level graph code: ``with tf.variable_scope(...)`` blocks and module-level variables.

Seed 004's examples create variables at module level and compute with them right there::

    with tf.variable_scope("my_layer") as scope:
        W = tf.get_variable("weights", shape=[10, 5], initializer=tf.random_normal_initializer())
        b = tf.get_variable("biases", shape=[5], initializer=tf.zeros_initializer())
        x1 = tf.placeholder(tf.float32, shape=[None, 10])
        y1 = tf.matmul(x1, W) + b
        scope.reuse_variables()
        x2 = tf.placeholder(tf.float32, shape=[None, 10])
        y2 = tf.matmul(x2, W) + b

Each block (and the module's unscoped variables) becomes a layer: its variables are weights created in
``__init__``; the statements computing with them are *applications*. When every application computes
the same thing up to renaming (``y1`` from ``x1``, ``y2`` from ``x2``: TF1 reuse), that computation is
``call`` and each application becomes ``y1 = my_layer(x1)``. Placeholders and other statements stay where
they were. When applications differ, the layer only holds the weights and the module reads them as
attributes. Weights of an earlier block used in a later one (seed 004's shared matrix) are reached
through that block's layer, passed to the later one's constructor.
"""
from __future__ import annotations

import dataclasses
from typing import Optional

from tf1to2.analysis.syntax import Expr, ModuleIR, Stmt
from tf1to2.analysis.variables import VariableGraph, VariableSite
from tf1to2.rules.variables_to_layers import names
from tf1to2.rules.variables_to_layers.bodies import leading_comments, moved
from tf1to2.rules.variables_to_layers.dataflow import Unsupported
from tf1to2.rules.variables_to_layers.functions import call_rewrites, callee_key, key_text
from tf1to2.rules.variables_to_layers.model import Block, ClassPlan, Rewrite, SublayerPlan, WeightPlan
from tf1to2.rules.variables_to_layers.signature import Signature, bind, constructor_arguments
from tf1to2.rules.variables_to_layers.weights import render, text_of, weight_spec


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
class BlockUnit:
    plan: ClassPlan
    variable: str  # the module-level instance
    constructor: str  # ``MyLayer()`` / ``Layer1(shared_weights)``
    class_at: int  # offset where the class definition is inserted
    head_start: int  # the statement replaced by the instance (the with block, or the first variable)
    head_end: int
    head_text: str  # rendered replacement of the head (instance, bindings, kept statements)
    removed: tuple[tuple[int, int], ...]  # other statements that disappear (module-level variables)
    applications: tuple[Application, ...]
    scope: Optional[str]  # the TF1 scope of the block, None for unscoped module variables
    foreign: tuple[str, ...]  # instances of other units whose weights this one uses
    line: int
    weights_only: bool
    placeholders: dict  # input name → (shape, dtype) from tf.placeholder
    note: Optional[str] = None
    creation_stmts: tuple[int, ...] = ()


@dataclasses.dataclass
class _Weight:
    name: Optional[str]  # the module name it is assigned to
    site: VariableSite
    key: tuple
    attr: str = ""
    dict_key: object = None  # for ``weights = {"h1": tf.Variable(...)}``


@dataclasses.dataclass
class _Unit:
    stmt: Optional[Stmt]  # the with statement; None for unscoped module variables
    scope: Optional[str]
    weights: list[_Weight]
    statements: list[Stmt]  # flattened body (with blocks) or creation statements (root)
    dicts: dict  # module name → attr for dict-of-variables statements
    variable: str = ""
    class_name: str = ""


class BlockPlanner:
    def __init__(self, graph: VariableGraph, tf: str, unit: str, signatures: dict[str, Signature], taken: set[str]) -> None:
        self.graph = graph
        self.ir: ModuleIR = graph.module
        self.tf = tf
        self.indent_unit = unit
        self.signatures = signatures
        self.taken = taken
        self.skipped: list[tuple[int, str]] = []
        self.top = list(self.ir.body)
        self.reuse_stmts = {r.site.stmt_id for r in graph.reuses if r.location.context == "<module>"}
        self.placeholders = self._placeholders()

    def plan(self) -> list[BlockUnit]:
        units = self._units()
        if not units:
            return []
        owner: dict[str, tuple[_Unit, str]] = {}
        for unit in units:
            for weight in unit.weights:
                if weight.name and weight.dict_key is None:
                    owner[weight.name] = (unit, weight.attr)
            for name, attr in unit.dicts.items():
                owner[name] = (unit, attr)
        results = []
        for unit in units:
            try:
                results.append(self._plan_unit(unit, owner, results))
            except Unsupported as exc:
                line = unit.stmt.line if unit.stmt else unit.statements[0].line
                self.skipped.append((line, str(exc)))
                for name in [n for n, (u, _) in owner.items() if u is unit]:
                    del owner[name]
        spans = [(a.start, a.end) for r in results for a in r.applications]
        finished = []
        for unit, result in zip([u for u in units if u.variable], results):
            bindings = self._bindings(unit, owner, spans)
            head_start, head_end, head_text, removed = self._head(unit, result, bindings)
            finished.append(dataclasses.replace(result, head_start=head_start, head_end=head_end, head_text=head_text, removed=tuple(removed)))
        return finished

    # -- finding the units ---------------------------------------------------------------------------
    def _units(self) -> list[_Unit]:
        module_vars = [v for v in self.graph.variables if v.location.context == "<module>"]
        calls = [c for c in self.graph.calls if c.location.context == "<module>" and c.call.callee in self.signatures]
        units: list[_Unit] = []
        root: list[VariableSite] = []
        for stmt in self.top:
            if stmt.kind == "with" and stmt.id in self.graph.scopes:
                inner_vars = [v for v in module_vars if v.location.top_stmt_id == stmt.id]
                inner_calls = [c for c in calls if c.location.top_stmt_id == stmt.id]
                if not inner_vars and not inner_calls:
                    continue
                try:
                    units.append(self._block_unit(stmt, inner_vars))
                except Unsupported as exc:
                    self.skipped.append((stmt.line, str(exc)))
            else:
                root.extend(v for v in module_vars if v.location.top_stmt_id == stmt.id)
        if root:
            try:
                units.insert(0, self._root_unit(root))
            except Unsupported as exc:
                self.skipped.append((root[0].call.func.start and self.graph.stmts[root[0].location.stmt_id].line, str(exc)))
        units.sort(key=lambda u: (u.stmt or u.statements[0]).start)
        return units

    def _block_unit(self, stmt: Stmt, sites: list[VariableSite]) -> _Unit:
        site = self.graph.scopes[stmt.id]
        if len(site) != 1 or len(stmt.with_items) != 1 or not site[0].is_variable_scope:
            raise Unsupported("a module-level variable_scope combined with other context managers")
        scope = site[0]
        if scope.unfollowable:
            from tf1to2.analysis.scopes import UNFOLLOWABLE

            raise Unsupported(f"variable_scope with {scope.unfollowable[0]}: {UNFOLLOWABLE[scope.unfollowable[0]]}")
        if scope.reopens_current or scope.name is None or not isinstance(scope.name.literal, str):
            raise Unsupported("a module-level variable_scope whose name is not a string literal")
        statements = self._flatten(stmt.body)
        weights, dicts = self._weights(sites, skip_scope=stmt.id)
        return _Unit(stmt, scope.name.literal, weights, statements, dicts)

    def _root_unit(self, sites: list[VariableSite]) -> _Unit:
        weights, dicts = self._weights(sites, skip_scope=None)
        statements = sorted({self.graph.stmts[v.location.top_stmt_id].id: self.graph.stmts[v.location.top_stmt_id] for v in sites}.values(), key=lambda s: s.start)
        for stmt in statements:
            if stmt.kind != "assign" or len(stmt.targets) != 1:
                raise Unsupported("module-level variables created inside a larger statement")
        return _Unit(None, None, weights, statements, dicts)

    def _flatten(self, body) -> list[Stmt]:
        out = []
        for stmt in body:
            if stmt.kind == "with" and stmt.id in self.graph.scopes and all(s.is_variable_scope for s in self.graph.scopes[stmt.id]):
                if len(stmt.with_items) != 1:
                    raise Unsupported("a variable_scope combined with other context managers")
                out.extend(self._flatten(stmt.body))
            else:
                out.append(stmt)
        return out

    def _weights(self, sites: list[VariableSite], skip_scope: Optional[int]) -> tuple[list[_Weight], dict]:
        weights: list[_Weight] = []
        dicts: dict[str, str] = {}
        seen: dict[tuple, _Weight] = {}
        auto: dict[tuple, int] = {}
        for site in sites:
            components = []
            for scope in self.graph.scope_chain(site.location):
                if scope.id == skip_scope or not scope.is_variable_scope or scope.reopens_current:
                    continue
                if scope.name is None or not isinstance(scope.name.literal, str):
                    raise Unsupported("a nested variable_scope whose name is not a string literal")
                components.extend(("const", p) for p in scope.name.literal.split("/"))
            name = site.arg("name")
            if site.kind == "Variable" and (name is None or name.literal is None):
                prefix = tuple(components)
                count = auto.get(prefix, 0)
                auto[prefix] = count + 1
                leaf = ("const", "Variable" if count == 0 else f"Variable_{count}")
            elif name is not None and isinstance(name.literal, str):
                leaf = ("const", name.literal)
            else:
                raise Unsupported("a module-level variable whose name is computed")
            key = tuple(components) + (leaf,)
            stmt = self.graph.stmts[site.location.stmt_id]
            dict_key = None
            assigned = site.assigned_to
            if assigned is None and stmt.kind == "assign" and stmt.value is not None and stmt.value.kind == "dict":
                entry = next((k for k, v in stmt.value.dict_items if v.start == site.call.start and v.end == site.call.end), None)
                if entry is not None and len(stmt.targets) == 1:
                    assigned, dict_key = stmt.targets[0], entry
            if key in seen:
                if site.kind == "Variable":
                    raise Unsupported("two module-level variables with one name")
                weights.append(_Weight(assigned, site, key, seen[key].attr))
                continue
            weight = _Weight(assigned, site, key, dict_key=dict_key)
            seen[key] = weight
            weights.append(weight)
        taken = set(names.RESERVED_ATTRIBUTES)
        for weight in weights:
            if weight.attr:
                continue
            if weight.dict_key is not None:
                if weight.name not in dicts:
                    dicts[weight.name] = names.attribute(weight.name, taken)
                    taken.add(dicts[weight.name])
                weight.attr = dicts[weight.name]
                continue
            base = weight.name or "_".join(names.literal_prefix(c) for c in weight.key)
            weight.attr = names.attribute("_".join(names.literal_prefix(c) for c in weight.key) if weight.site.kind == "get_variable" else base, taken)
            taken.add(weight.attr)
        return weights, dicts

    def _placeholders(self) -> dict[str, tuple]:
        found: dict[str, tuple] = {}
        for marker in self.graph.markers:
            if marker.kind != "placeholder" or marker.location.context != "<module>" or marker.call.tf_name != "tf.placeholder":
                continue
            stmt = self.graph.stmts[marker.location.stmt_id]
            if stmt.kind != "assign" or len(stmt.targets) != 1 or stmt.value.start != marker.call.start:
                continue
            from tf1to2.analysis.scopes import bind as bind_params

            args = bind_params(marker.call, ("dtype", "shape", "name"))
            shape = args.get("shape")
            dtype = args.get("dtype")
            shape_value = tuple(shape.literal) if shape is not None and isinstance(shape.literal, (list, tuple)) else None
            dtype_name = dtype.tf_name.rsplit(".", 1)[-1] if dtype is not None and dtype.tf_name else "float32"
            found[stmt.targets[0]] = (shape_value, dtype_name)
        return found

    # -- planning one unit ---------------------------------------------------------------------------
    def _plan_unit(self, unit: _Unit, owner: dict, earlier: list[BlockUnit]) -> BlockUnit:
        scope = unit.scope
        base = names.identifier(scope or "model")
        unit.class_name = names.unique(names.class_name(scope or "model"), self.taken)
        self.taken.add(unit.class_name)
        unit.variable = names.unique(base, self.taken)
        self.taken.add(unit.variable)
        creation_stmts = {w.site.location.stmt_id for w in unit.weights if self._is_creation_stmt(w)}
        own_names = {n for n, (u, _) in owner.items() if u is unit}
        sublayer_calls = [
            c for c in self.graph.calls
            if c.location.context == "<module>" and c.call.callee in self.signatures and unit.stmt is not None
            and c.location.top_stmt_id == unit.stmt.id
        ]
        runs = self._runs(unit, owner, creation_stmts, sublayer_calls)
        foreign = self._foreign(runs, owner, unit)
        applications, call_block, weights_only = self._applications(unit, runs, owner, foreign, sublayer_calls)
        weights = self._weight_plans(unit)
        sublayers = self._sublayer_plans(unit, sublayer_calls)
        init_parts: list = [f"self.{var} = {var}" for var in foreign]
        init_parts += self._init_creations(unit, weights, sublayers)
        if weights_only:
            init_parts.append("self.built = True  # holds weights only: Keras never calls it to build it")
        signature_parts = list(foreign) + [f"name={names.python_string(scope) if scope else 'None'}", "**kwargs"]
        inputs = applications[0].inputs if applications else ()
        plan = ClassPlan(
            class_name=unit.class_name,
            source="<module>",
            kind="model",
            line=(unit.stmt or unit.statements[0]).line,
            docstring=_docstring(scope),
            init_signature=", ".join(signature_parts),
            super_name="name",
            init=Block(parts=tuple(init_parts)),
            build=None,
            call_signature=", ".join(inputs),
            call=None if weights_only else call_block,
            weights=tuple(weights),
            sublayers=tuple(sublayers),
            default_scope=scope,
        )
        constructor = f"{unit.class_name}({', '.join(foreign)})"
        return BlockUnit(
            plan=plan,
            variable=unit.variable,
            constructor=constructor,
            class_at=self.ir.line_start(leading_comments(self.ir, (unit.stmt or unit.statements[0]).start)),
            head_start=0,
            head_end=0,
            head_text="",
            removed=(),
            creation_stmts=tuple(sorted(creation_stmts)),
            applications=tuple(applications),
            scope=scope,
            foreign=tuple(foreign),
            line=(unit.stmt or unit.statements[0]).line,
            weights_only=weights_only,
            placeholders={n: self.placeholders[n] for a in applications for n in a.inputs if n in self.placeholders},
            note=None if not weights_only or not runs else "the statements using these weights differ, so they stay at module level and read the weights as attributes",
        )

    def _is_creation_stmt(self, weight: _Weight) -> bool:
        stmt = self.graph.stmts[weight.site.location.stmt_id]
        if weight.dict_key is not None:
            return all(
                any(w.site.call.start == v.start for w in [weight] + [])
                or v.kind == "call" and v.calls and v.calls[0].tf_name in ("tf.Variable", "tf.get_variable")
                for _, v in stmt.value.dict_items
            )
        return weight.site.assigned_to is not None and stmt.kind == "assign"

    def _runs(self, unit: _Unit, owner: dict, creation_stmts: set[int], sublayer_calls: list) -> list[list[Stmt]]:
        """Consecutive statements computing with the unit's weights (in the block, then after it)."""
        own = {n for n, (u, _) in owner.items() if u is unit}
        inline = {v.site.location.stmt_id for v in unit.weights} - creation_stmts
        call_stmts = {c.location.stmt_id for c in sublayer_calls}
        runs: list[list[Stmt]] = []
        current: list[Stmt] = []

        def close() -> None:
            nonlocal current
            if current:
                runs.append(current)
            current = []

        sequence = list(unit.statements) if unit.stmt is not None else []
        start_after = (unit.stmt or unit.statements[-1]).end
        for stmt in sequence:
            if stmt.id in creation_stmts or stmt.id in self.reuse_stmts:
                close()
                continue
            reads = _reads(stmt)
            if stmt.id in inline or stmt.id in call_stmts or (reads & set(owner)):
                if stmt.kind not in ("assign", "augassign", "expr", "annassign"):
                    raise Unsupported("module-level statements computing with variables inside a compound statement")
                current.append(stmt)
            else:
                close()
        close()
        for stmt in self.top:
            if stmt.start < start_after or (unit.stmt is None and stmt in unit.statements):
                continue
            reads = _reads(stmt)
            users = {owner[n][0].variable or id(owner[n][0]) for n in reads & set(owner)}
            if stmt.kind in ("assign", "expr", "augassign") and reads & own and len({id(owner[n][0]) for n in reads & set(owner)}) == 1 and not self._has_calls(stmt):
                current.append(stmt)
            else:
                close()
            del users
        close()
        return runs

    def _has_calls(self, stmt: Stmt) -> bool:
        return any(c.callee in self.signatures for c in stmt.calls())

    def _foreign(self, runs: list[list[Stmt]], owner: dict, unit: _Unit) -> list[str]:
        found: list[str] = []
        for run in runs:
            for stmt in run:
                for name in sorted(_reads(stmt) & set(owner)):
                    other = owner[name][0]
                    if other is not unit and other.variable and other.variable not in found:
                        found.append(other.variable)
                    elif other is not unit and not other.variable:
                        raise Unsupported(f"the statements use `{name}`, a variable of a later block")
        return found

    def _applications(self, unit: _Unit, runs: list[list[Stmt]], owner: dict, foreign: list[str], sublayer_calls: list):
        if not runs:
            return [], None, True
        interfaces = [self._interface(run, owner) for run in runs]
        first = runs[0]
        mappings = []
        for run, (inputs, outputs) in zip(runs[1:], interfaces[1:]):
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
            forward = {k: v for k, v in mapping.items()}
            applications.append(
                Application(
                    run[0].start, run[-1].end, run[0].indent,
                    tuple(forward.get(n, n) for n in inputs0), tuple(forward.get(n, n) for n in outputs), run[0].line,
                )
            )
        call_block = self._call_block(unit, first, owner, tuple(outputs), foreign, sublayer_calls)
        return applications, call_block, False

    def _interface(self, run: list[Stmt], owner: dict) -> tuple[list[str], list[str]]:
        defined: set[str] = set()
        inputs: list[str] = []
        for stmt in run:
            for ref in (r for e in stmt.exprs for r in e.names if not r.store):
                name = ref.name
                if name in defined or name in owner or name in inputs or not self._is_tensor_name(name, stmt.start):
                    continue
                inputs.append(name)
            defined.update(stmt.targets)
        run_ids = {s.id for s in run}
        used_later = self._read_elsewhere(run_ids, run[-1].end)
        outputs = [n for s in run for n in s.targets if n in used_later]
        if not outputs and run[-1].targets:
            outputs = list(run[-1].targets)
        return inputs, list(dict.fromkeys(outputs))

    def _is_tensor_name(self, name: str, before: int) -> bool:
        """A module-level name bound, before ``before``, to something that is not a constant, import or def."""
        bindings = [s for s in self._module_statements() if name in s.targets and s.start < before]
        if not bindings:
            return False
        last = bindings[-1]
        if last.kind in ("import", "def", "class"):
            return False
        if last.kind == "assign" and last.value is not None and last.value.literal is not syntax_missing():
            return False
        return True

    def _module_statements(self) -> list[Stmt]:
        """Statements that run at module level (inside module-level with/if/for blocks too)."""
        out: list[Stmt] = []
        stack = list(reversed(self.top))
        while stack:
            stmt = stack.pop()
            out.append(stmt)
            if stmt.kind not in ("def", "class"):
                stack.extend(reversed(list(stmt.children())))
        return out

    def _read_elsewhere(self, run_ids: set[int], after: int) -> set[str]:
        found: set[str] = set()
        for stmt in self.ir.walk():
            if stmt.id in run_ids:
                continue
            for ref in stmt.reads():
                if not ref.store and (ref.start >= after or stmt.kind == "def" or self._in_def(stmt)):
                    found.add(ref.name)
        return found

    def _in_def(self, stmt: Stmt) -> bool:
        parent = self.graph.parents.get(stmt.id)
        while parent is not None:
            if self.graph.stmts[parent].kind in ("def", "class"):
                return True
            parent = self.graph.parents.get(parent)
        return stmt.id not in {s.id for s in self.top} and not any(
            stmt.start >= t.start and stmt.end <= t.end and t.kind not in ("def", "class") for t in self.top
        )

    def _call_block(self, unit: _Unit, run: list[Stmt], owner: dict, outputs: tuple, foreign: list[str], sublayer_calls: list) -> Block:
        rewrites: list[Rewrite] = []
        deleted: list[tuple[int, int]] = []
        sublayer_of = self._sublayer_attrs(unit, sublayer_calls)
        run_ids = {s.id for s in run}
        for call_site in sublayer_calls:
            if call_site.location.stmt_id in run_ids:
                attr, tensors = sublayer_of[call_site.call.start]
                edits, gaps = call_rewrites(self.ir.text, call_site.call, tensors, f"self.{attr}")
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
            if site.location.loops:
                raise Unsupported(f"`{signature.function}` is called in a loop at module level")
            key = self._relative(site, unit) + callee_key(signature, bound, site.call.start)
            if key not in by_key:
                base = "_".join(names.literal_prefix(c) for c in key if c[0] == "const" and not str(c[1]).startswith("<"))
                by_key[key] = names.attribute(base or signature.function, taken)
                taken.add(by_key[key])
            attrs[site.call.start] = (by_key[key], bound.tensors)
        return attrs

    def _relative(self, site, unit: _Unit) -> tuple:
        components = []
        for scope in self.graph.scope_chain(site.location):
            if unit.stmt is not None and scope.id == unit.stmt.id or not scope.is_variable_scope or scope.reopens_current:
                continue
            if scope.name is None or not isinstance(scope.name.literal, str):
                raise Unsupported("a nested variable_scope whose name is not a string literal")
            components.extend(("const", p) for p in scope.name.literal.split("/"))
        return tuple(components)

    def _weight_plans(self, unit: _Unit) -> list[WeightPlan]:
        plans = []
        seen: set[str] = set()
        for weight in unit.weights:
            if weight.attr in seen and weight.dict_key is None:
                continue
            seen.add(weight.attr)
            name = weight.attr if weight.dict_key is None else f"{weight.attr.rstrip('_')}_{weight.dict_key}"
            spec = weight_spec(weight.site, name if weight.site.kind == "Variable" else "_".join(names.literal_prefix(c) for c in weight.key), self.graph, self.tf, "module-level code")
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
            key = self._relative(site, unit) + callee_key(signature, bound, site.call.start)
            plans[attr] = SublayerPlan(
                attr=attr,
                key=key,
                unit=signature.function,
                class_name=signature.class_name,
                arguments=tuple(constructor_arguments(signature, bound)),
                placement="init",
                order=site.call.start,
                scope_name=None if key[-1][0] == "unique" else key_text(key),
            )
        return list(plans.values())

    def _init_creations(self, unit: _Unit, weights: list[WeightPlan], sublayers: list[SublayerPlan]) -> list[str]:
        pieces = sorted([*weights, *sublayers], key=lambda p: p.order)
        lines: list[str] = []
        dict_entries: dict[str, list[str]] = {}
        for piece in pieces:
            if isinstance(piece, SublayerPlan):
                lines.append(f"self.{piece.attr} = {piece.class_name}({', '.join(piece.arguments)})")
                continue
            arguments = ", ".join(f"{k}={v}" for k, v in piece.arguments)
            value = f"self.add_weight({arguments})"
            lines.extend(piece.prelude)
            if "[" in piece.attr:
                attr, key = piece.attr.split("[", 1)
                if attr not in dict_entries:
                    dict_entries[attr] = []
                    lines.append(("dict", attr))
                dict_entries[attr].append(f"{key[:-1]}: {value},")
            else:
                lines.append(f"self.{piece.attr} = {value}")
        out = []
        for line in lines:
            if isinstance(line, tuple):
                entries = "\n".join(self.indent_unit + e for e in dict_entries[line[1]])
                out.append(f"self.{line[1]} = {{\n{entries}\n}}")
            else:
                out.append(line)
        return out

    def _bindings(self, unit: _Unit, owner: dict, app_spans: list[tuple[int, int]]) -> list[str]:
        """``W = my_layer.weights_`` for weights the module still reads outside the applications."""
        names_needed = []
        for name, (other, attr) in owner.items():
            if other is not unit:
                continue
            for stmt in self.ir.walk():
                if any(s <= stmt.start and stmt.end <= e for s, e in app_spans):
                    continue
                if any(not r.store and r.name == name for r in stmt.reads()):
                    if not self._is_own_creation(stmt, unit):
                        names_needed.append(name)
                        break
        return [f"{n} = {unit.variable}.{owner[n][1]}" for n in dict.fromkeys(names_needed)]

    def _is_own_creation(self, stmt: Stmt, unit: _Unit) -> bool:
        return any(w.site.location.stmt_id == stmt.id for w in unit.weights)

    def _head(self, unit: _Unit, result: BlockUnit, bindings: list[str]):
        lines = [f"{unit.variable} = {result.constructor}"] + bindings
        app_by_start = {a.start: a for a in result.applications}
        creation_stmts = set(result.creation_stmts)
        if unit.stmt is None:
            first = unit.statements[0]
            head = "\n".join(first.indent + line for line in lines)
            removed = [(s.start, s.end) for s in unit.statements[1:]]
            return first.start - len(first.indent), first.end, head, removed
        # A block: the with statement becomes the instance, then what stays at module level.
        out = [line + "\n" for line in lines]
        skip_until = -1
        for stmt in unit.statements:
            if stmt.start < skip_until:
                continue
            if stmt.id in creation_stmts or stmt.id in self.reuse_stmts:
                continue
            app = app_by_start.get(stmt.start)
            if app is not None:
                out.append(_application_line(app, unit.variable) + "\n")
                skip_until = app.end
                continue
            chunk = self.ir.text[leading_comments(self.ir, stmt.start):self.ir.line_end(stmt.end)]
            from tf1to2.rewrite.templates import reindent

            out.append(reindent(chunk if chunk.endswith("\n") else chunk + "\n", stmt.indent, ""))
        start = self.ir.line_start(unit.stmt.start)
        return start, unit.stmt.end, "".join(out).rstrip("\n"), []


def _application_line(app: Application, variable: str) -> str:
    call = f"{variable}({', '.join(app.inputs)})"
    if not app.outputs:
        return call
    return f"{', '.join(app.outputs)} = {call}"


def _docstring(scope: Optional[str]) -> str:
    if scope:
        return f'"""Keras layer holding the TF1 variables of scope ``{scope}`` and the computations using them."""'
    return '"""Keras layer holding the module-level TF1 variables and the computations using them."""'


def _reads(stmt: Stmt) -> set[str]:
    return {r.name for r in stmt.reads() if not r.store}


def _defined(run: list[Stmt]) -> set[str]:
    return {n for s in run for n in s.targets}


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


def syntax_missing():
    from tf1to2.analysis.syntax import MISSING

    return MISSING
