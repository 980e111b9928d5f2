"""Plan one variable-creating function as a Keras Layer subclass.

``def linear(x, size, scope, reuse=False)`` with ``get_variable`` inside ``variable_scope(scope)``:

- parameters are sorted into tensors (→ ``call``), configuration (→ ``__init__``), the scope (→ the layer
  name) and reuse flags (dropped), see ``signature``;
- every variable becomes a weight keyed by its path inside the function's own scope; two sites with one
  path (``reuse=True``, ``AUTO_REUSE``, re-fetching ``get_variable("w")``) are one weight;
- every call of another converted function becomes a sublayer keyed the same way (its scope name
  evaluated with the call's arguments); a name computed from a loop variable gives a list of sublayers;
- a weight or sublayer whose configuration is known from parameters is created in ``__init__``; one that
  needs an input's shape is created in ``build`` (with the statements computing it replayed there);
- the body becomes ``call``: scopes unwrapped, reuse statements dropped, variables read as attributes.
"""
from __future__ import annotations

import dataclasses
from typing import Iterable, Optional

from tf1to2.analysis.scopes import Reuse, ScopeSite
from tf1to2.analysis.syntax import Arg, Expr, Param, Stmt, StaticStr
from tf1to2.analysis.variables import FunctionCallSite, Location, VariableGraph, VariableSite
from tf1to2.rules.variables_to_layers import initializers, names
from tf1to2.rules.variables_to_layers.bodies import moved
from tf1to2.rules.variables_to_layers.dataflow import Body, Needs, Unsupported, reads
from tf1to2.rules.variables_to_layers.model import (
    Block, ClassPlan, Loop, Rewrite, SublayerPlan, WeightPlan,
)
from tf1to2.rules.variables_to_layers.signature import (
    CONFIG, REUSE, SCOPE, TENSOR, Bound, Signature, bind, constructor_arguments,
)
from tf1to2.rules.variables_to_layers.weights import code, plain, render, text_of, weight_spec

# Attributes of a tensor: reading them does not make a parameter configuration.
_TENSOR_ATTRIBUTES = frozenset({"shape", "get_shape", "dtype", "name", "op", "graph", "device", "set_shape", "eval"})


class GraphCode(Unsupported):
    """The function builds a graph (placeholders, sessions, optimizers): it is not a layer."""


@dataclasses.dataclass
class _WeightGroup:
    key: tuple
    sites: list[VariableSite]
    loop: Optional[Stmt] = None


@dataclasses.dataclass
class _SublayerGroup:
    key: tuple
    callee: Signature
    calls: list[tuple[FunctionCallSite, Bound]]
    loop: Optional[Stmt] = None


class FunctionPlanner:
    def __init__(
        self, graph: VariableGraph, stmt: Stmt, signatures: dict[str, Signature], helpers: set[str], tf: str,
        module_names: set[str], creating: set[str] = frozenset(), factories: set[str] = frozenset(),
    ) -> None:
        self.graph = graph
        self.stmt = stmt
        self.name = stmt.name
        self.signatures = signatures
        self.helpers = helpers
        self.tf = tf
        self.module_names = module_names
        self.creating = creating
        self.factories = factories
        self.view = graph.in_context(stmt.name)
        self.params = [p for p in stmt.params]
        if any(p.kind in ("var_positional", "var_keyword") for p in self.params):
            raise Unsupported(f"`{self.name}` takes *args or **kwargs")
        if any(p.name in ("self", "cls") for p in self.params[:1]):
            raise Unsupported(f"`{self.name}` looks like a method")
        self.body = Body(stmt.body, [p.name for p in self.params], helpers)
        self._check_constructs()
        self.own = self._own_scope()
        self.weights = self._weight_groups()
        self.sublayers = self._sublayer_groups()
        self.roles = self._roles()

    # -- what the function does ------------------------------------------------------------------------
    def _check_constructs(self) -> None:
        for site in self.view.calls:
            if site.call.callee in self.factories:
                raise Unsupported(
                    f"`{self.name}` gets variables from `{site.call.callee}`, a function returning a new variable "
                    "each call; such factories stay TF1 code (tf.Variable also runs in TF2), and so does its caller"
                )
        for marker in self.view.markers:
            if marker.kind == "other_variables":
                raise Unsupported(
                    f"`{self.name}` also creates variables through `{marker.call.tf_name or marker.call.func.text}`, "
                    "which another rule converts"
                )
            raise GraphCode(f"`{self.name}` builds graph pieces a layer cannot hold ({marker.kind}: `{marker.call.func.text}`)")
        for stmt in self.stmt.body:
            for inner in stmt.walk():
                if inner.kind == "other" and inner.skeleton == "" and inner.exprs == () and "global" in self.graph.module.text[inner.start:inner.start + 7]:
                    raise Unsupported(f"`{self.name}` assigns module globals")
                if inner.kind == "def" and inner is not self.stmt:
                    inner_view = self.graph.in_context(f"{self.name}.{inner.name}")
                    if inner_view.variables or any(c.call.callee in self.creating for c in inner_view.calls):
                        raise Unsupported(f"`{self.name}` creates variables in a nested function `{inner.name}`")
        for site in self._scope_sites():
            if site.unfollowable:
                raise Unsupported(
                    f"variable_scope with {site.unfollowable[0]} in `{self.name}`: "
                    + ", ".join(initializers_reason(k) for k in site.unfollowable)
                )

    def _scope_sites(self) -> list[ScopeSite]:
        ids = {sid for v in self.view.variables for sid in v.location.scopes}
        ids |= {sid for c in self.view.calls for sid in c.location.scopes}
        ids |= {s.id for top in self.stmt.body for s in top.walk() if s.id in self.graph.scopes}
        return [site for sid in sorted(ids) for site in self.graph.scopes.get(sid, ())]

    def _own_scope(self) -> Optional[ScopeSite]:
        """The variable scope wrapping everything the function creates, which names the layer."""
        top = [s for s in self.stmt.body if not s.is_docstring]
        withs = [s for s in top if s.kind == "with" and s.id in self.graph.scopes]
        creating = [s for s in top if self._creates(s)]
        if len(withs) != 1 or creating != withs:
            return None
        sites = self.graph.scopes[withs[0].id]
        if len(sites) != 1 or len(withs[0].with_items) != 1 or not sites[0].is_variable_scope:
            return None
        site = sites[0]
        if site.reopens_current:
            return None
        return site

    def _creates(self, stmt: Stmt) -> bool:
        ids = {s.id for s in stmt.walk()}
        return any(v.location.stmt_id in ids for v in self.view.variables) or any(
            c.location.stmt_id in ids and c.call.callee in self.signatures for c in self.view.calls
        )

    # -- weights ---------------------------------------------------------------------------------------
    def _components(self, location: Location, name_scopes: bool = False) -> tuple:
        """Scope path components inside the function's own scope (name scopes too for ``tf.Variable``)."""
        components: list = []
        for site in self.graph.scope_chain(location):
            if self.own is not None and site.id == self.own.id or site.reopens_current:
                continue
            if not site.is_variable_scope and not name_scopes:
                continue
            if site.name is None or site.name.literal is None:
                default = site.default_name
                if default is not None and isinstance(default.literal, str):
                    components.append(("const", default.literal))
                    continue
                raise Unsupported("a variable_scope without a name")
            static = site.name.static
            if static[0] == "const" and isinstance(static[1], str):
                components.extend(("const", part) for part in static[1].split("/"))
            elif names.is_known(static) and not (names.names_in(static) - self._symbolic_names(location)):
                components.append(static)
            else:
                raise Unsupported(
                    f"scope name `{site.name.text}` in `{self.name}` is computed at run time from data"
                )
        return tuple(components)

    def _symbolic_names(self, location: Location) -> set[str]:
        """Names a scope name may depend on and stay static per instance: parameters and loop targets."""
        allowed = {p.name for p in self.params}
        for loop_id in location.loops:
            allowed.update(self.graph.stmts[loop_id].targets)
        return allowed

    def _weight_groups(self) -> list[_WeightGroup]:
        groups: dict[tuple, _WeightGroup] = {}
        auto_names: dict[tuple, int] = {}
        for site in self.view.variables:
            components = self._components(site.location, name_scopes=site.kind == "Variable")
            name = site.arg("name")
            if site.kind == "Variable" and (name is None or name.literal is None):
                base = "Variable"
                count = auto_names.get(components, 0)
                auto_names[components] = count + 1
                leaf: StaticStr = ("const", base if count == 0 else f"{base}_{count}")
            elif name is not None and names.is_known(name.static) and not (
                names.names_in(name.static) - self._symbolic_names(site.location)
            ):
                leaf = name.static
            else:
                raise Unsupported(f"variable name in `{self.name}` is computed at run time")
            for arg in ("partitioner", "custom_getter"):
                value = site.arg(arg)
                if value is not None and value.literal is not None:
                    raise Unsupported(f"get_variable with {arg} in `{self.name}`: {initializers_reason(arg)}")
            key = components + (leaf,)
            loop = self._list_loop(key, site.location)
            if site.kind == "Variable" and key in groups:
                raise Unsupported(f"tf.Variable named `{names.describe(leaf)}` twice in `{self.name}`")
            if key in groups:
                groups[key].sites.append(site)
            else:
                groups[key] = _WeightGroup(key, [site], loop)
        return list(groups.values())

    def _list_loop(self, key: tuple, location: Location) -> Optional[Stmt]:
        """The loop whose target the key depends on (a list of weights or sublayers), if any."""
        depends = set().union(*(names.names_in(c) for c in key)) if key else set()
        loops = [self.graph.stmts[i] for i in location.loops if set(self.graph.stmts[i].targets) & depends]
        if not loops:
            return None
        if len(loops) > 1 or loops[0].kind != "for" or loops[0].id != location.loops[-1]:
            raise Unsupported(f"names built from nested loops in `{self.name}`")
        return loops[0]

    # -- sublayers -------------------------------------------------------------------------------------
    def _sublayer_groups(self) -> list[_SublayerGroup]:
        groups: dict[tuple, _SublayerGroup] = {}
        for site in self.view.calls:
            callee = self.signatures.get(site.call.callee)
            if callee is None:
                continue
            bound = bind(callee, site.call)
            check_caller_defaults(self.graph, site, callee)
            key = self._components(site.location) + callee_key(callee, bound, site.call.start)
            loop = self._list_loop(key, site.location)
            if key in groups:
                if groups[key].callee.function != callee.function:
                    raise Unsupported(f"scope `{names.describe(key[-1])}` holds two different functions in `{self.name}`")
                groups[key].calls.append((site, bound))
            else:
                groups[key] = _SublayerGroup(key, callee, [(site, bound)], loop)
        return list(groups.values())

    # -- parameter roles -------------------------------------------------------------------------------
    def _roles(self) -> dict[str, str]:
        roles: dict[str, str] = {}
        reuse_reads, scope_reads = self._reuse_reads(), set()
        if self.own is not None and self.own.name is not None:
            if not names.is_known(self.own.name.static):
                raise Unsupported(f"scope name `{self.own.name.text}` in `{self.name}` is computed at run time from data")
            scope_reads = {r.name for r in self.own.name.names} & {p.name for p in self.params}
            if len(scope_reads) > 1:
                raise Unsupported(f"the scope name of `{self.name}` combines several parameters")
        all_reads = self._param_reads()
        for param in self.params:
            if param.name in scope_reads:
                roles[param.name] = SCOPE
            elif param.name in reuse_reads and all_reads.get(param.name, 0) == reuse_reads[param.name]:
                roles[param.name] = REUSE
        creation = self._creation_needs()
        first = next((p.name for p in self.params if p.kind == "positional"), None)
        for param in self.params:
            if param.name in roles:
                continue
            unused = all_reads.get(param.name, 0) == 0 and param.name != first
            if param.name in creation.params or unused or self._looks_like_config(param):
                roles[param.name] = CONFIG
            else:
                roles[param.name] = TENSOR
        if any(r == SCOPE for r in roles.values()) and "name" in roles and roles["name"] != SCOPE:
            raise Unsupported(f"`{self.name}` has a parameter `name` that is not its scope")
        shape_params = creation.shape_params
        tensors = [p.name for p in self.params if roles[p.name] == TENSOR]
        for name in shape_params:
            if roles.get(name) != TENSOR:
                continue
            if tensors and name != tensors[0]:
                raise Unsupported(f"a weight of `{self.name}` depends on the shape of `{name}`, not its first input")
        return roles

    def _param_reads(self) -> dict[str, int]:
        counts: dict[str, int] = {}
        params = {p.name for p in self.params}
        for top in self.stmt.body:
            for stmt in top.walk():
                for ref in stmt.reads():
                    if ref.name in params and not ref.store:
                        counts[ref.name] = counts.get(ref.name, 0) + 1
        return counts

    def _reuse_reads(self) -> dict[str, int]:
        """Parameters read where only reuse is decided: ``reuse=p``, ``if p: scope.reuse_variables()``."""
        counts: dict[str, int] = {}
        for site in self._scope_sites():
            if site.reuse == Reuse.PARAM and site.reuse_expr is not None:
                counts[site.reuse_expr.name] = counts.get(site.reuse_expr.name, 0) + 1
        for stmt in self._reuse_ifs():
            for ref in stmt.test.names:
                counts[ref.name] = counts.get(ref.name, 0) + 1
        for group in self.sublayers:
            for _, bound in group.calls:
                for param in group.callee.of(REUSE):
                    arg = bound.args.get(param.name)
                    if arg is not None and arg.value.kind == "name":
                        counts[arg.value.name] = counts.get(arg.value.name, 0) + 1
        return counts

    def _reuse_ifs(self) -> list[Stmt]:
        reuse_stmts = {r.site.stmt_id for r in self.view.reuses}
        found = []
        for top in self.stmt.body:
            for stmt in top.walk():
                if stmt.kind == "if" and not stmt.orelse and stmt.body and all(s.id in reuse_stmts for s in stmt.body):
                    found.append(stmt)
        return found

    def _creation_needs(self) -> Needs:
        needs = Needs()
        for group in self.weights:
            for site in group.sites:
                needs.merge(self.body.needs(_creation_exprs(site), site.call.start))
            if group.loop is not None:
                needs.merge(self.body.needs([group.loop.iter], group.loop.start))
        for group in self.sublayers:
            for site, bound in group.calls:
                args = [a.value for a in bound.config] + ([bound.scope.value] if bound.scope else [])
                needs.merge(self.body.needs(args, site.call.start))
            if group.loop is not None:
                needs.merge(self.body.needs([group.loop.iter], group.loop.start))
        for site in self._scope_sites():
            if site.is_variable_scope and site.name is not None and (self.own is None or site.id != self.own.id):
                needs.merge(self.body.needs([site.name], site.call.start))
        return needs

    def _looks_like_config(self, param: Param) -> bool:
        default = param.default
        if default is not None and default.literal is not None and (
            default.literal is not initializers_missing() or default.kind in ("attribute", "name")
        ):
            return True
        for top in self.stmt.body:
            for stmt in top.walk():
                for expr in stmt.exprs:
                    if param.name in expr.called_names:
                        return True
                    if any(base == param.name and attr not in _TENSOR_ATTRIBUTES for base, attr in expr.attr_reads):
                        return True
                if stmt.kind in ("if", "while") and stmt.test is not None:
                    if any(r.name == param.name for r in stmt.test.names) and " is " not in stmt.test.text:
                        return True
                if stmt.kind == "for" and any(r.name == param.name for r in stmt.iter.names):
                    return True
        return False

    # -- the plan ------------------------------------------------------------------------------------
    def signature(self) -> Signature:
        own = self.own
        own_static: Optional[StaticStr] = None
        unique = False
        default_scope = None
        if own is not None:
            if own.name is None or own.name.literal is None:
                default = own.default_name
                own_static = ("const", default.literal) if default is not None and isinstance(default.literal, str) else None
                unique = True
            elif own.default_name is not None and isinstance(own.default_name.literal, str):
                own_static = ("or", own.name.static, ("const", own.default_name.literal))
            else:
                own_static = own.name.static
            if own_static is not None:
                env = {p.name: p.default.static for p in self.params if p.default is not None}
                folded = names.substitute(own_static, env)
                default_scope = folded[1] if folded[0] == "const" and isinstance(folded[1], str) else None
        return Signature(
            function=self.name,
            class_name=names.class_name(self.name),
            params=tuple(self.params),
            roles=dict(self.roles),
            own_scope=own_static,
            unique_scope=unique,
            default_scope=default_scope,
            name_params=self._name_params() if own is None else (),
            open_defaults=self._open_defaults(),
        )

    def _open_defaults(self) -> frozenset:
        """Defaults (initializer, regularizer) an enclosing scope of a caller would give our variables."""
        found: set[str] = set()
        for site in self.view.variables:
            if site.kind != "get_variable":
                continue
            for argument in ("initializer", "regularizer"):
                given = site.arg(argument)
                if (given is None or given.literal is None) and not self._scope_sets(site.location, argument):
                    found.add(argument)
        for group in self.sublayers:
            for site, _ in group.calls:
                found |= {a for a in group.callee.open_defaults if not self._scope_sets(site.location, a)}
        return frozenset(found)

    def _scope_sets(self, location: Location, argument: str) -> bool:
        return any(getattr(s, argument, None) is not None and getattr(s, argument).literal is not None
                   for s in self.graph.scope_chain(location))

    def _name_params(self) -> tuple[str, ...]:
        """Parameters the variable and sublayer names are built from (for a function without its own scope)."""
        found: set[str] = set()
        params = {p.name for p in self.params}
        for group in [*self.weights, *self.sublayers]:
            for component in group.key:
                if component[0] not in ("const", "unique"):
                    found |= names.names_in(component) & params
        return tuple(p.name for p in self.params if p.name in found)

    def plan(self, class_name: str) -> ClassPlan:
        return _Composer(self, class_name).compose()


def callee_key(callee: Signature, bound: Bound, call_start: int) -> tuple:
    """The key a call of ``callee`` adds under its parent: its own scope name, evaluated."""
    if callee.own_scope is None:
        env = bound.static_env(callee)
        values = tuple(names.substitute(("name", p), env) for p in callee.name_params)
        if not all(names.is_known(v) for v in values):
            raise Unsupported(f"the variable names given to `{callee.function}` are computed at run time")
        return (("const", f"<{callee.function}>"),) + tuple(v if v[0] != "const" else ("const", str(v[1])) for v in values)
    key = names.substitute(callee.own_scope, bound.static_env(callee))
    if callee.unique_scope and (bound.scope is None or bound.scope.value.literal is None):
        return (("unique", callee.function, call_start),)
    if key[0] == "const" and key[1] is None:
        return (("unique", callee.function, call_start),)
    if not names.is_known(key):
        raise Unsupported(f"the scope name given to `{callee.function}` is computed at run time")
    if key[0] == "const" and isinstance(key[1], str):
        return tuple(("const", part) for part in key[1].split("/"))
    return (key,)


def variable_factories(graph: VariableGraph) -> set[str]:
    """Module functions that return the variable they create (``def weight_variable(shape)``).

    Each call makes a new variable; as a layer it would be called without inputs. They stay TF1 code.
    """
    found = set()
    for name, stmt in graph.functions.items():
        sites = [v for v in graph.variables if v.location.context == name]
        if not sites:
            continue
        returns = [s for top in stmt.body for s in top.walk() if s.kind == "return" and s.value is not None]
        variable_names = {v.assigned_to for v in sites if v.assigned_to}
        spans = {(v.call.start, v.call.end) for v in sites}
        if returns and all(
            (r.value.start, r.value.end) in spans or r.value.kind == "name" and r.value.name in variable_names for r in returns
        ):
            found.add(name)
    return found


def check_caller_defaults(graph: VariableGraph, site: FunctionCallSite, callee: Signature) -> None:
    """A scope around a call that sets a default initializer or regularizer changes the callee's variables."""
    for scope in graph.scope_chain(site.location):
        for argument in ("initializer", "regularizer"):
            value = getattr(scope, argument, None)
            if value is not None and value.literal is not None and argument in callee.open_defaults:
                raise Unsupported(
                    f"`{callee.function}` is called inside a variable_scope whose {argument}= applies to its variables; "
                    f"the converted layer would not see it"
                )


def scope_path(key: tuple, callee: Signature) -> Optional[str]:
    """The TF1 scope a sublayer's variables live under, relative to its parent; None for a unique scope."""
    if key and key[-1][0] == "unique":
        return None
    if callee.own_scope is None:
        return key_text(key[: len(key) - 1 - len(callee.name_params)])
    return key_text(key)


def initializers_reason(argument: str) -> str:
    from tf1to2.analysis.scopes import UNFOLLOWABLE

    return UNFOLLOWABLE.get(argument, argument)


def initializers_missing():
    from tf1to2.analysis.syntax import MISSING

    return MISSING


def _creation_exprs(site: VariableSite) -> list[Expr]:
    keys = ("shape", "dtype", "initializer", "regularizer", "trainable", "constraint", "initial_value", "name")
    return [site.args[k] for k in keys if k in site.args]


def key_text(key: tuple) -> str:
    return "/".join(names.describe(c) if c[0] != "unique" else c[1] for c in key)


class _Composer:
    """Turns a FunctionPlanner's findings into a ClassPlan."""

    def __init__(self, planner: FunctionPlanner, class_name: str) -> None:
        self.p = planner
        self.ir = planner.graph.module
        self.class_name = class_name
        self.roles = planner.roles
        self.tensors = [p for p in planner.params if self.roles[p.name] == TENSOR]
        self.config = [p for p in planner.params if self.roles[p.name] == CONFIG]
        self.scope_param = next((p for p in planner.params if self.roles[p.name] == SCOPE), None)
        self.taken: set[str] = set(names.RESERVED_ATTRIBUTES)
        self.config_attrs: dict[str, str] = {}
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
        weights = [self._weight(group) for group in p.weights]
        sublayers = [self._sublayer(group) for group in p.sublayers]
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
            call_signature=_signature(self.tensors),
            call=call_block,
            weights=tuple(weights),
            sublayers=tuple(sublayers),
            config_params=tuple(c.name for c in self.config),
            tensor_params=tuple(t.name for t in self.tensors),
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
        if call is not None and call.callee == "range" and target.kind == "name":
            index = target.name
        elif call is not None and call.callee == "enumerate" and target.kind == "tuple" and target.names:
            index = target.names[0].name
        else:
            raise Unsupported(f"a list of layers over `{iterable.text}` (only range() and enumerate() loops are followed)")
        return Loop(target=target.text, iterable=iterable.text, index=index), code(iterable)

    # -- bodies --------------------------------------------------------------------------------------
    def _pieces(self, weights: list[WeightPlan], sublayers: list[SublayerPlan], placement: str) -> list:
        pieces = [w for w in weights if w.placement == placement] + [s for s in sublayers if s.placement == placement]
        return sorted(pieces, key=lambda piece: piece.order)

    def _group_of(self, piece):
        groups = self.p.weights if isinstance(piece, WeightPlan) else self.p.sublayers
        return next(g for g in groups if g.key == piece.key)

    def _init_block(self, weights: list[WeightPlan], sublayers: list[SublayerPlan], used_config: list[Param]) -> Block:
        parts: list = [f"self.{self.config_attrs[c.name]} = {c.name}" for c in used_config if c.name != "name"]
        pieces = self._pieces(weights, sublayers, "init")
        needs = Needs()
        for piece in pieces:
            needs.merge(self._needs(self._group_of(piece)))
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
        return rewrites

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
        else:
            args = ", ".join(self._render(a, build) for a in arguments)
            value = f"{piece.class_name}({args})"
        lines = [self._render(line, build) for line in prelude]
        if piece.loop is not None:
            if lines:
                raise Unsupported("a list of variables whose initial values are computed")
            iterable = self._render(loop_code, build)
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
        for top in p.stmt.body:
            for stmt in top.walk():
                if stmt.id in drop:
                    continue
                for expr in stmt.exprs:
                    for ref in expr.names:
                        if ref.store or _inside(ref.start, ref.end, deleted):
                            continue
                        if ref.name in aliases:
                            rewrites.append(Rewrite(ref.start, ref.end, aliases[ref.name]))
                        elif ref.name in self.config_attrs:
                            rewrites.append(Rewrite(ref.start, ref.end, f"self.{self.config_attrs[ref.name]}"))

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
        return rewrites

    def _inlinable(self, alias: str) -> bool:
        p = self.p
        return alias not in {q.name for q in p.params} and len(p.body.bindings.get(alias, [])) == 1

    def _creation_statements(self) -> list[Stmt]:
        needs = Needs()
        for group in [*self.p.weights, *self.p.sublayers]:
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


def call_rewrites(text: str, call, tensors: Iterable[Arg], access: str) -> tuple[list[Rewrite], list[tuple[int, int]]]:
    """``linear(x, 128, "fc1")`` → ``self.fc1(x)``: rename the function, delete all but tensor arguments."""
    rewrites = [Rewrite(call.func.start, call.func.end, access)]
    open_paren = text.index("(", call.func.end)
    close_paren = call.end - 1
    kept = sorted(tensors, key=lambda a: a.start)
    gaps: list[tuple[int, int]] = []
    cursor = open_paren + 1
    for index, arg in enumerate(kept):
        separator = "" if index == 0 else ", "
        if text[cursor:arg.start].strip(" \t\n,") or separator != text[cursor:arg.start]:
            gaps.append((cursor, arg.start))
            rewrites.append(Rewrite(cursor, arg.start, separator))
        cursor = arg.end
    if cursor < close_paren and text[cursor:close_paren].strip():
        gaps.append((cursor, close_paren))
        rewrites.append(Rewrite(cursor, close_paren, ""))
    return rewrites, gaps


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
