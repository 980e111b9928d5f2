"""Compose a planned function's Layer class: signatures, weights, sublayers and the three bodies.

``functions.FunctionPlanner`` decides what the function holds (weights and sublayers by key, parameter
roles); the composer decides where each piece goes: attributes for configuration, ``__init__`` or
``build`` for each creation (with the statements computing its shape replayed there, names rewritten
for the place), and ``call`` made of the original statements with scopes unwrapped, reuse switches
dropped and variables read as attributes.
"""
from __future__ import annotations

import dataclasses
from typing import Iterable, Optional

from tf1to2.analysis.syntax import Expr, Param, Stmt
from tf1to2.rules.variables_to_layers import names
from tf1to2.rules.variables_to_layers.bodies import moved
from tf1to2.rules.variables_to_layers.dataflow import Needs, Unsupported, reads
from tf1to2.rules.variables_to_layers.functions import (
    FunctionPlanner, _SublayerGroup, _WeightGroup, _creation_exprs, call_rewrites, key_text, scope_path,
)
from tf1to2.rules.variables_to_layers.layer_calls import LayerGroup, keras_weights
from tf1to2.rules.variables_to_layers.model import Block, ClassPlan, Loop, Rewrite, SublayerPlan, WeightPlan
from tf1to2.rules.variables_to_layers.signature import CONFIG, SCOPE, TENSOR, Bound, Signature, constructor_arguments
from tf1to2.rules.variables_to_layers.weights import code, plain, render, text_of, weight_spec


class Composer:
    """Turns a FunctionPlanner's findings into a ClassPlan."""

    def __init__(self, planner: FunctionPlanner, class_name: str) -> None:
        self.p = planner
        self.ir = planner.graph.module
        self.class_name = class_name
        self.roles = planner.roles
        self.tensors = [p for p in planner.params if self.roles[p.name] == TENSOR]
        self.config = [p for p in planner.params if self.roles[p.name] == CONFIG]
        self.scope_param = next((p for p in planner.params if self.roles[p.name] == SCOPE), None)
        self.training = planner.training_param()
        self.taken: set[str] = set(names.RESERVED_ATTRIBUTES)
        self.config_attrs: dict[str, str] = {}
        # The scope parameter is the layer's name; where the body reads it besides its variable_scope
        # (an initializer table keyed by scope, a name built from it) it keeps its value as an attribute.
        self.scope_attr: Optional[str] = None
        self.scope_read_after_init = False
        self.shape_var = self._shape_var()
        self.code: dict[int, tuple] = {}  # id(plan) → (arguments as Code, prelude as Code, loop iterable Code)

    def _shape_var(self) -> str:
        if not self.tensors:
            return "input_shape"
        base = self.tensors[0].name.rstrip("_")
        return "input_shape" if base in ("input", "inputs") else f"{base}_shape"

    def compose(self) -> ClassPlan:
        p = self.p
        for param in self.config:
            if param.name == "name" and self.scope_param is None:
                self.config_attrs["name"] = "name"  # it names the variables: it is the layer's name
                continue
            self.config_attrs[param.name] = names.attribute(param.name, self.taken)
            self.taken.add(self.config_attrs[param.name])
        if self.scope_param is not None:
            self.scope_attr = names.attribute(self.scope_param.name, self.taken)
            self.taken.add(self.scope_attr)
            self.config_attrs[self.scope_param.name] = self.scope_attr
        weights = [self._weight(group) for group in p.weights]
        sublayers = [self._sublayer(group) for group in p.sublayers]
        sublayers += [self._layer_sublayer(group) for group in p.layer_groups]
        placements = {w.placement for w in weights} | {s.placement for s in sublayers}
        call_block, call_reads = self._call_block(weights, sublayers)
        build_block, build_reads = self._build_block(weights, sublayers) if "build" in placements else (None, set())
        used_config = [c for c in self.config if c.name in call_reads | build_reads]
        init_block = self._init_block(weights, sublayers, used_config)
        docstring = next((s for s in p.stmt.body if s.is_docstring), None)
        return ClassPlan(
            class_name=self.class_name,
            source=p.name,
            kind="layer",
            line=p.stmt.line,
            docstring=docstring.value.text if docstring else "",
            init_signature=self._init_signature(),
            super_name=self._super_name(),
            init=init_block,
            build=build_block,
            call_signature=self._call_signature(),
            call=call_block,
            weights=tuple(weights),
            sublayers=tuple(sublayers),
            config_params=tuple(c.name for c in self.config),
            tensor_params=tuple(t.name if t.name != self.training else "training" for t in self.tensors),
            default_scope=p.signature().default_scope,
        )

    # -- signatures ----------------------------------------------------------------------------------
    def _init_signature(self) -> str:
        positional = [c for c in self.config if c.kind == "positional"]
        keyword_only = [c for c in self.config if c.kind == "keyword_only"]
        parts = [_param_text(c) for c in positional]
        name_default = "None"
        if self.scope_param is not None and self.scope_param.default is not None:
            name_default = self.scope_param.default.text
        elif self.scope_param is None and self.p.own is not None and self.p.signature().default_scope:
            name_default = names.python_string(self.p.signature().default_scope)
        if keyword_only:
            parts.append("*")
            parts.extend(_param_text(c) for c in keyword_only)
        if "name" not in {c.name for c in self.config}:
            parts.append(f"name={name_default}")
        parts.append("**kwargs")
        return ", ".join(parts)

    def _call_signature(self) -> str:
        """The tensors as written; a training flag last, as Keras' ``training=None``."""
        if self.training is None:
            return _signature(self.tensors)
        flag = next(t for t in self.tensors if t.name == self.training)
        default = flag.default.text if flag.default is not None else "None"  # Keras uses it when none is given
        rest = _signature([t for t in self.tensors if t.name != self.training])
        return ", ".join(filter(None, [rest, f"training={default}"]))

    def _super_name(self) -> str:
        own = self.p.own
        if self.scope_param is None or own is None or own.name is None:
            return "name"
        rewrites = [Rewrite(r.start, r.end, "name") for r in own.name.names if r.name == self.scope_param.name]
        text = _splice(own.name.text, own.name.start, rewrites)
        if own.default_name is not None and own.default_name.literal is not None:
            text = f"{text} or {own.default_name.text}"
        return text

    # -- weights and sublayers -----------------------------------------------------------------------
    def _weight(self, group: _WeightGroup) -> WeightPlan:
        site = group.sites[0]
        needs = self._needs(group)
        placement = "build" if needs.shape_params else "init"
        literal = [names.literal_prefix(c).strip("_") for c in group.key]
        if all(names.is_constant(c) for c in group.key) or not site.assigned_to:
            attr_base = "_".join(part or "w" for part in literal)
        else:
            attr_base = site.assigned_to  # ``W = tf.get_variable(name + "W", ...)``: the name TF1 code used
        attr = names.attribute(attr_base, self.taken, fallback="w")
        self.taken.add(attr)
        leaf = group.key[-1]
        weight_name = names.literal_prefix(leaf) if group.loop else "_".join(names.literal_prefix(c) for c in group.key)
        spec = weight_spec(site, weight_name, self.p.graph, self.p.tf, f"`{self.p.name}`")
        name_expr = site.arg("name")
        if not group.loop and len(group.key) == 1 and not names.is_constant(leaf) and name_expr is not None:
            # The weight's name is computed from configuration: keep the expression.
            spec = dataclasses.replace(spec, arguments=(("name", code(name_expr)),) + spec.arguments[1:])
        loop, loop_code = self._loop(group.loop) if group.loop is not None else (None, ())
        plan = WeightPlan(
            attr=attr,
            key=group.key,
            tf1_name=key_text(group.key),
            shape=None,
            dtype=spec.dtype,
            trainable=spec.trainable,
            initializer=spec.initializer,
            arguments=tuple((k, text_of(v)) for k, v in spec.arguments),
            placement=placement,
            order=site.call.start,
            loop=loop,
            notes=spec.notes,
            prelude=tuple(text_of(c) for c in spec.prelude),
        )
        self.code[id(plan)] = (spec.arguments, spec.prelude, loop_code)
        return plan

    def _needs(self, group) -> Needs:
        if isinstance(group, _WeightGroup):
            site = group.sites[0]
            needs = self.p.body.needs(_creation_exprs(site), site.call.start)
        elif isinstance(group, LayerGroup):
            needs = self.p.body.needs(group.exprs, group.uses[0].site.call.start)
        else:
            site, bound = group.calls[0]
            exprs = [a.value for a in bound.config] + ([bound.scope.value] if bound.scope else [])
            needs = self.p.body.needs(exprs, site.call.start)
        if group.loop is not None:
            needs.merge(self.p.body.needs([group.loop.iter], group.loop.start))
        return needs

    def _sublayer(self, group: _SublayerGroup) -> SublayerPlan:
        site, bound = group.calls[0]
        needs = self._needs(group)
        placement = "build" if needs.shape_params else "init"
        last = group.key[-1]
        if last[0] == "unique":
            base = group.callee.function
        else:
            prefixes = [names.literal_prefix(c).strip("_") for c in group.key if c[0] != "unique"]
            base = "_".join(x for x in prefixes if x and not x.startswith("<")) or group.callee.function
        attr = names.attribute(base, self.taken, fallback=group.callee.function)
        self.taken.add(attr)
        arguments = self._constructor_code(group.callee, bound)
        loop, loop_code = self._loop(group.loop) if group.loop is not None else (None, ())
        plan = SublayerPlan(
            attr=attr,
            key=group.key,
            unit=group.callee.function,
            class_name=group.callee.class_name,
            arguments=tuple(text_of(a) for a in arguments),
            placement=placement,
            order=site.call.start,
            scope_name=scope_path(group.key, group.callee),
            loop=loop,
        )
        self.code[id(plan)] = (arguments, (), loop_code)
        return plan

    def _layer_sublayer(self, group: LayerGroup) -> SublayerPlan:
        """A TF1 layer call's Keras layer, created in ``__init__`` (Keras builds it on its first input)."""
        if self._needs(group).shape_params:
            raise Unsupported(f"{group.api} in `{self.p.name}` is configured from an input's shape")
        last = group.key[-1]
        prefixes = [names.literal_prefix(c).strip("_") for c in group.key if c[0] != "unique"]
        base = "_".join(x for x in prefixes if x) if last[0] != "unique" else last[1]
        attr = names.attribute(base or last[1], self.taken, fallback="layer")
        self.taken.add(attr)
        plan = SublayerPlan(
            attr=attr,
            key=group.key,
            unit=group.api,
            class_name=group.layer.code.split("(", 1)[0],
            arguments=(),
            placement="init",
            order=group.uses[0].site.call.start,
            scope_name=key_text(group.key) if last[0] != "unique" else None,
            keras=group.layer.code,
            keras_weights=keras_weights(group),
            notes=group.layer.notes,
        )
        self.code[id(plan)] = ((), (), ())
        return plan

    def _constructor_code(self, callee: Signature, bound: Bound) -> list:
        plain_args = constructor_arguments(callee, bound)
        args = [bound.args[p.name] for p in callee.of(CONFIG) if p.name in bound.args]
        if bound.scope is not None:
            args.append(bound.scope)
        out = []
        for text, arg in zip(plain_args, args):
            prefix = text[: len(text) - len(arg.value.text)]
            out.append(plain(prefix) + code(arg.value) if prefix else code(arg.value))
        return out

    def _loop(self, loop: Stmt) -> tuple[Loop, tuple]:
        target = loop.for_target
        iterable = loop.iter
        call = iterable.calls[0] if iterable.kind == "call" and iterable.calls else None
        if call is not None and call.callee == "range" and target.kind == "name" and (
            len(call.args) == 1 or call.args[0].value.literal == 0
        ):
            index = target.name  # range(n): the loop variable is the position in the list
        elif call is not None and call.callee == "enumerate" and target.kind == "tuple" and target.names:
            index = target.names[0].name
        elif target.kind == "name":
            # ``for name in names``: the loop variable names each scope, so it keys the layers.
            return Loop(target=target.text, iterable=iterable.text, index=target.name, kind="dict"), code(iterable)
        else:
            raise Unsupported(f"layers made in a loop over `{iterable.text}` with a target that is not one name")
        return Loop(target=target.text, iterable=iterable.text, index=index), code(iterable)

    # -- bodies --------------------------------------------------------------------------------------
    def _pieces(self, weights: list[WeightPlan], sublayers: list[SublayerPlan], placement: str) -> list:
        pieces = [w for w in weights if w.placement == placement] + [s for s in sublayers if s.placement == placement]
        return sorted(pieces, key=lambda piece: piece.order)

    def _group_of(self, piece):
        if isinstance(piece, SublayerPlan) and piece.keras is not None:
            return next(g for g in self.p.layer_groups if g.key == piece.key)
        groups = self.p.weights if isinstance(piece, WeightPlan) else self.p.sublayers
        return next(g for g in groups if g.key == piece.key)

    def _init_block(self, weights: list[WeightPlan], sublayers: list[SublayerPlan], used_config: list[Param]) -> Block:
        parts: list = [f"self.{self.config_attrs[c.name]} = {c.name}" for c in used_config if c.name != "name"]
        pieces = self._pieces(weights, sublayers, "init")
        needs = Needs()
        for piece in pieces:
            needs.merge(self._needs(self._group_of(piece)))
        if self.scope_attr is not None and self.scope_read_after_init:
            parts.append(f"self.{self.scope_attr} = name")
        scope = self.scope_param.name if self.scope_param is not None else None
        if scope not in (None, "name") and self._read_in_init(scope, pieces, needs):
            parts.append(f"{scope} = name")  # the constructor's ``name`` is the scope TF1 was given
        parts.extend(moved(self.ir, needs.statements, lambda s: "keep"))
        parts.extend(self._creation_text(piece, build=False) for piece in pieces)
        return Block(parts=tuple(parts))

    def _build_block(self, weights: list[WeightPlan], sublayers: list[SublayerPlan]) -> tuple[Block, set[str]]:
        pieces = self._pieces(weights, sublayers, "build")
        needs = Needs()
        for piece in pieces:
            needs.merge(self._needs(self._group_of(piece)))
        rewrites: list[Rewrite] = []
        for stmt in needs.statements:
            for expr in stmt.exprs:
                rewrites.extend(self._build_rewrites(expr))
        parts: list = [f"{self.shape_var} = {self.p.tf}.TensorShape(input_shape)"]
        parts.extend(moved(self.ir, needs.statements, lambda s: "keep"))
        parts.extend(self._creation_text(piece, build=True) for piece in pieces)
        config_reads = {c.name for c in self.config if c.name in reads(needs.statements)}
        for piece in pieces:
            config_reads |= self._piece_reads(piece)
        return Block(parts=tuple(parts), rewrites=tuple(_dedupe(rewrites))), config_reads

    def _read_in_init(self, name: str, pieces: list, needs: Needs) -> bool:
        if name in reads(needs.statements):
            return True
        return any(name in self._piece_reads(piece) for piece in pieces)

    def _piece_reads(self, piece) -> set[str]:
        arguments, prelude, loop_code = self.code[id(piece)]
        pieces = [v for _, v in arguments] if isinstance(piece, WeightPlan) else list(arguments)
        found: set[str] = set()
        for item in [*pieces, *prelude, loop_code]:
            for text, start in item:
                expr = _expr_at(self.p, start, len(text)) if start is not None else None
                if expr is not None:
                    found.update(r.name for r in expr.names if not r.store)
        return found

    def _build_rewrites(self, expr: Expr) -> list[Rewrite]:
        """In build: shape reads of the input become its TensorShape, configuration becomes attributes."""
        rewrites: list[Rewrite] = []
        covered: list[tuple[int, int]] = []
        if self.tensors:
            first = self.tensors[0].name
            for read in expr.shape_reads:
                if read.name == first:
                    rewrites.append(Rewrite(read.start, read.end, self.shape_var))
                    covered.append((read.start, read.end))
            for call in expr.calls:
                if call.callee in self.p.helpers and len(call.args) == 1 and call.args[0].value.name == first:
                    rewrites.append(Rewrite(call.start, call.end, f"{self.shape_var}.as_list()"))
                    covered.append((call.start, call.end))
            for start, end in expr.dimension_values:
                rewrites.append(Rewrite(start, end, ""))
        for ref in expr.names:
            if ref.store or _inside(ref.start, ref.end, covered):
                continue
            if ref.name in self.config_attrs:
                rewrites.append(Rewrite(ref.start, ref.end, f"self.{self.config_attrs[ref.name]}"))
                self._note_scope_read(ref.name)
        return rewrites

    def _note_scope_read(self, name: str) -> None:
        if self.scope_param is not None and name == self.scope_param.name:
            self.scope_read_after_init = True

    def _render(self, piece_code: tuple, build: bool) -> str:
        if not build:
            return render(piece_code)

        def rewrite(text: str, start: int) -> str:
            expr = _expr_at(self.p, start, len(text))
            return text if expr is None else _splice(text, start, self._build_rewrites(expr))

        return render(piece_code, rewrite)

    def _creation_text(self, piece, build: bool) -> str:
        """The statement creating a weight or sublayer, its arguments rewritten for where it goes."""
        arguments, prelude, loop_code = self.code[id(piece)]
        if isinstance(piece, WeightPlan):
            args = ", ".join(f"{k}={self._render(v, build)}" for k, v in arguments)
            value = f"self.add_weight({args})"
        elif piece.keras is not None:
            value = piece.keras
        else:
            args = ", ".join(self._render(a, build) for a in arguments)
            value = f"{piece.class_name}({args})"
        lines = [self._render(line, build) for line in prelude]
        if piece.loop is not None:
            if lines:
                raise Unsupported("a list of variables whose initial values are computed")
            iterable = self._render(loop_code, build)
            if piece.loop.kind == "dict":
                target = piece.loop.target
                return f"self.{piece.attr} = {{\n    {target}: {value}\n    for {target} in {iterable}\n}}"
            return f"self.{piece.attr} = [\n    {value}\n    for {piece.loop.target} in {iterable}\n]"
        return "\n".join(lines + [f"self.{piece.attr} = {value}"])

    def _call_block(self, weights: list[WeightPlan], sublayers: list[SublayerPlan]) -> tuple[Block, set[str]]:
        p = self.p
        rewrites: list[Rewrite] = []
        deleted: list[tuple[int, int]] = []
        for r in p.view.reuses:
            stmt = p.graph.stmts[r.site.stmt_id]
            if stmt.kind != "expr" or stmt.value.start != r.site.call.start:
                raise Unsupported("reuse_variables() used inside an expression")
        drop = {r.site.stmt_id for r in p.view.reuses}
        drop |= {s.id for s in p._reuse_ifs()}
        drop |= {s.id for s in p.stmt.body if s.is_docstring}
        aliases: dict[str, str] = {}
        weight_of = {w.key: w for w in weights}
        for group in p.weights:
            plan = weight_of[group.key]
            access = f"self.{plan.attr}" + (f"[{plan.loop.index}]" if plan.loop else "")
            for site in group.sites:
                alias = site.assigned_to
                if alias and self._inlinable(alias):
                    drop.add(site.location.stmt_id)
                    aliases[alias] = access
                else:
                    rewrites.append(Rewrite(site.call.start, site.call.end, access))
                    deleted.append((site.call.start, site.call.end))
        sub_of = {s.key: s for s in sublayers}
        for group in p.sublayers:
            plan = sub_of[group.key]
            access = f"self.{plan.attr}" + (f"[{plan.loop.index}]" if plan.loop else "")
            for site, bound in group.calls:
                edits, gaps = call_rewrites(self.ir.text, site.call, bound.tensors, access)
                rewrites.extend(edits)
                deleted.extend(gaps)
        for group in p.layer_groups:
            access = f"self.{sub_of[group.key].attr}"
            for use in group.uses:
                edits, gaps = call_rewrites(self.ir.text, use.site.call, use.kept, access)
                if use.added:
                    close = use.site.call.end - 1
                    edits.append(Rewrite(close, close, "".join(f", {k}={v}" for k, v in use.added)))
                rewrites.extend(edits)
                deleted.extend(gaps)
        unwrap = {
            sid for sid, sites in p.graph.scopes.items()
            if all(s.is_variable_scope for s in sites) and _in_function(p, sid)
        }
        for sid in unwrap:
            if len(p.graph.stmts[sid].with_items) != 1:
                raise Unsupported("a variable_scope combined with other context managers in one with statement")
        # Statements needed only to create weights leave call when nothing else reads them.
        creation_stmts = self._creation_statements()
        for _ in range(len(creation_stmts) + 1):
            still_read = self._reads_outside(p, drop, deleted)
            dead = [
                s for s in creation_stmts
                if s.id not in drop and not (set(s.targets) & still_read) and _is_pure(s, p.helpers)
            ]
            if not dead:
                break
            drop.update(s.id for s in dead)
        # The headers of unwrapped scopes go away with what they read.
        headers = [(p.graph.stmts[sid].start, self.ir.line_start(p.graph.stmts[sid].body[0].start))
                   for sid in unwrap if p.graph.stmts[sid].body]
        scope_objects = {s.as_name for sid in unwrap for s in p.graph.scopes[sid] if s.as_name}
        for top in p.stmt.body:
            for stmt in top.walk():
                if stmt.id in drop or _under(p, stmt.id, drop):
                    continue
                for expr in stmt.exprs:
                    for ref in expr.names:
                        if ref.store or _inside(ref.start, ref.end, deleted) or _inside(ref.start, ref.end, headers):
                            continue
                        if ref.name in scope_objects:
                            raise Unsupported(
                                f"`{p.name}` reads the variable scope object `{ref.name}` (`with ... as {ref.name}`), "
                                "which a Keras layer has no equivalent of"
                            )
                        if ref.name in aliases:
                            rewrites.append(Rewrite(ref.start, ref.end, aliases[ref.name]))
                        elif ref.name in self.config_attrs:
                            rewrites.append(Rewrite(ref.start, ref.end, f"self.{self.config_attrs[ref.name]}"))
                            self._note_scope_read(ref.name)
                        elif ref.name == self.training and ref.name != "training":
                            rewrites.append(Rewrite(ref.start, ref.end, "training"))

        rewrites.extend(self._nested_def_rewrites(aliases))

        def decide(stmt: Stmt) -> str:
            if stmt.id in drop:
                return "drop"
            return "unwrap" if stmt.id in unwrap else "keep"

        parts = moved(self.ir, p.stmt.body, decide)
        reads_left = self._reads_outside(p, drop, deleted)
        return Block(parts=parts, rewrites=tuple(_dedupe(rewrites))), reads_left

    def _nested_def_rewrites(self, aliases: dict[str, str]) -> list[Rewrite]:
        """Nested functions read configuration and weights as free names: they become attributes too."""
        rewrites: list[Rewrite] = []
        for top in self.p.stmt.body:
            for stmt in top.walk():
                if stmt.kind == "def":
                    rewrites.extend(self._def_rewrites(stmt, aliases, set()))
        return rewrites

    def _def_rewrites(self, definition: Stmt, aliases: dict[str, str], shadowed: set[str]) -> list[Rewrite]:
        local = shadowed | {q.name for q in definition.params}
        local |= {n for s in definition.body for inner in s.walk() for n in inner.targets}
        rewrites: list[Rewrite] = []
        for top in definition.body:
            for stmt in top.walk():
                if stmt.kind == "def" and stmt is not top or stmt.kind == "def":
                    if stmt is not definition:
                        rewrites.extend(self._def_rewrites(stmt, aliases, local))
                    if stmt.kind == "def":
                        continue
                for expr in stmt.exprs:
                    for ref in expr.names:
                        if ref.store or ref.name in local:
                            continue
                        if ref.name in aliases:
                            rewrites.append(Rewrite(ref.start, ref.end, aliases[ref.name]))
                        elif ref.name in self.config_attrs:
                            rewrites.append(Rewrite(ref.start, ref.end, f"self.{self.config_attrs[ref.name]}"))
                            self._note_scope_read(ref.name)
        return rewrites

    def _inlinable(self, alias: str) -> bool:
        p = self.p
        return alias not in {q.name for q in p.params} and len(p.body.bindings.get(alias, [])) == 1

    def _creation_statements(self) -> list[Stmt]:
        needs = Needs()
        for group in [*self.p.weights, *self.p.sublayers, *self.p.layer_groups]:
            needs.merge(self._needs(group))
        return needs.statements

    @staticmethod
    def _reads_outside(p: "FunctionPlanner", drop: set[int], deleted: list[tuple[int, int]]) -> set[str]:
        found: set[str] = set()
        for top in p.stmt.body:
            for stmt in top.walk():
                if stmt.id in drop or _under(p, stmt.id, drop):
                    continue
                for expr in stmt.exprs:
                    for ref in expr.names:
                        if not ref.store and not _inside(ref.start, ref.end, deleted):
                            found.add(ref.name)
        return found


def _under(planner: "FunctionPlanner", stmt_id: int, drop: set[int]) -> bool:
    parent = planner.graph.parents.get(stmt_id)
    while parent is not None:
        if parent in drop:
            return True
        parent = planner.graph.parents.get(parent)
    return False


def _expr_at(planner: FunctionPlanner, start: int, length: int) -> Optional[Expr]:
    for top in planner.stmt.body:
        for stmt in top.walk():
            for expr in stmt.exprs:
                found = _find_expr(expr, start, start + length)
                if found is not None:
                    return found
    return None


def _find_expr(expr: Expr, start: int, end: int) -> Optional[Expr]:
    if expr.start == start and expr.end == end:
        return expr
    if not (expr.start <= start and end <= expr.end):
        return None
    for call in expr.calls:
        for candidate in [call.func, *(a.value for a in call.args)]:
            if candidate.start <= start and end <= candidate.end:
                found = _find_expr(candidate, start, end)
                if found is not None:
                    return found
    return None


def _inside(start: int, end: int, regions: list[tuple[int, int]]) -> bool:
    return any(s <= start and end <= e for s, e in regions)


def _dedupe(rewrites: list[Rewrite]) -> list[Rewrite]:
    seen = set()
    out = []
    for rewrite in sorted(rewrites, key=lambda r: (r.start, r.end)):
        if (rewrite.start, rewrite.end) in seen:
            continue
        seen.add((rewrite.start, rewrite.end))
        out.append(rewrite)
    return out


def _splice(text: str, base: int, rewrites: Iterable[Rewrite]) -> str:
    pieces = []
    cursor = 0
    for rewrite in sorted(rewrites, key=lambda r: (r.start, r.end)):
        start, end = rewrite.start - base, rewrite.end - base
        if start < cursor or start < 0 or end > len(text):
            continue
        pieces.append(text[cursor:start])
        pieces.append(rewrite.text)
        cursor = end
    pieces.append(text[cursor:])
    return "".join(pieces)


def _signature(params: list[Param]) -> str:
    """Parameters as written, with ``*`` before the first keyword-only one."""
    parts: list[str] = []
    for param in params:
        if param.kind == "keyword_only" and "*" not in parts:
            parts.append("*")
        parts.append(_param_text(param))
    return ", ".join(parts)


def _param_text(param: Param) -> str:
    return param.name if param.default is None else f"{param.name}={param.default.text}"


def _in_function(planner: FunctionPlanner, stmt_id: int) -> bool:
    return any(s.id == stmt_id for top in planner.stmt.body for s in top.walk())


def _is_pure(stmt: Stmt, helpers: set[str]) -> bool:
    """An assignment computing only from shapes and numbers (safe to drop when nothing reads it)."""
    if stmt.kind != "assign" or stmt.value is None:
        return False
    for call in stmt.value.calls:
        if call.callee in helpers or call.callee in ("int", "len", "list", "tuple", "max", "min"):
            continue
        if call.tf_name and ("initializer" in call.tf_name or call.tf_name.startswith(("tf.keras.initializers.", "tf.initializers."))):
            continue  # an initializer object is made, nothing is computed
        if call.method in ("get_shape", "as_list"):
            continue
        if call.tf_name == "tf.shape":
            continue
        return False
    return True
