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
from tf1to2.analysis.syntax import MISSING, Arg, Expr, Param, Stmt, StaticStr
from tf1to2.analysis.variables import FunctionCallSite, Location, VariableGraph, VariableSite
from tf1to2.rules.variables_to_layers import names
from tf1to2.rules.variables_to_layers.dataflow import Body, Needs, Unsupported
from tf1to2.rules.variables_to_layers.layer_calls import layer_groups
from tf1to2.rules.variables_to_layers.model import ClassPlan, Rewrite
from tf1to2.rules.variables_to_layers.signature import CONFIG, REUSE, SCOPE, TENSOR, Bound, Signature, bind

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
        if stmt.exprs:
            raise Unsupported(f"`{self.name}` is decorated; a decorator would not apply to a layer class")
        self.body = Body(stmt.body, [p.name for p in self.params], helpers)
        self._check_constructs()
        self.own = self._own_scope()
        self.weights = self._weight_groups()
        self.sublayers = self._sublayer_groups()
        self.layer_groups = layer_groups(self)
        self.roles = self._roles()

    # -- what the function does ------------------------------------------------------------------------
    def _check_constructs(self) -> None:
        for site in self.view.calls:
            if site.call.callee in self.factories:
                raise Unsupported(
                    f"`{self.name}` gets variables from `{site.call.callee}`, a function returning a new variable "
                    "each call; such factories stay TF1 code (tf.Variable also runs in TF2), and so does its caller"
                )
        layer_calls = {(s.call.start, s.call.end) for s in self.view.layers}
        for marker in self.view.markers:
            if (marker.call.start, marker.call.end) in layer_calls:
                continue  # a sublayer (layer_calls)
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
        ids |= {sid for s in self.view.layers for sid in s.location.scopes}
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
        ) or any(s.location.stmt_id in ids for s in self.view.layers)

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
        flags = [n for n in self._training_flags(all_reads)
                 if n not in roles and n != first and n not in creation.params]
        if len(flags) == 1:
            roles[flags[0]] = TENSOR  # a training flag, even with a default: it goes to call as ``training``
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
        for layer_group in self.layer_groups:
            needs.merge(self.body.needs(layer_group.exprs, layer_group.uses[0].site.call.start))
        for site in self._scope_sites():
            if site.is_variable_scope and site.name is not None and (self.own is None or site.id != self.own.id):
                needs.merge(self.body.needs([site.name], site.call.start))
        return needs

    def _looks_like_config(self, param: Param) -> bool:
        default = param.default
        if default is not None and default.literal is not None and (
            default.literal is not MISSING or default.kind in ("attribute", "name")
        ):
            return True
        for top in self.stmt.body:
            for stmt in top.walk():
                for expr in stmt.exprs:
                    if param.name in expr.called_names:
                        return True
                    if any(base == param.name and attr not in _TENSOR_ATTRIBUTES for base, attr in expr.attr_reads):
                        return True
                if stmt.kind in ("if", "while") and stmt.test is not None and " is " not in stmt.test.text:
                    # ``if p:`` needs a Python value (a TF1 tensor cannot be a condition); ``if x.shape[-1] > 2``
                    # only reads a tensor's static shape.
                    shape_spans = [(r.start, r.end) for r in stmt.test.shape_reads]
                    if any(r.name == param.name and not any(a <= r.start < b for a, b in shape_spans)
                           for r in stmt.test.names):
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
                unique = True  # without a name, TF1 makes a new scope (conv, conv_1, ...) on each call
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
            training=self.training_param(),
        )

    def training_param(self) -> Optional[str]:
        """The tensor parameter read only as the ``training=`` argument of its layers and sublayers."""
        tensors = [p.name for p in self.params if self.roles[p.name] == TENSOR]
        found = [name for name in self._training_flags(self._param_reads()) if name in tensors[1:]]
        if len(found) != 1 or "training" in {p.name for p in self.params} - {found[0]}:
            return None
        return found[0]

    def _training_flags(self, reads: dict[str, int]) -> list[str]:
        """Parameters read only as ``training=`` of the function's layers (or its sublayers' flag)."""
        flags: dict[str, int] = {}
        for group in self.layer_groups:
            for use in group.uses:
                for arg in use.kept:
                    if arg.keyword == "training" and arg.value.kind == "name":
                        flags[arg.value.name] = flags.get(arg.value.name, 0) + 1
        for group in self.sublayers:
            for _, bound in group.calls:
                arg = bound.args.get(group.callee.training) if group.callee.training else None
                if arg is not None and arg.value.kind == "name":
                    flags[arg.value.name] = flags.get(arg.value.name, 0) + 1
        return [p.name for p in self.params if flags.get(p.name) and flags[p.name] == reads.get(p.name)]

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
        if any(g.layer.weights for g in self.layer_groups):
            found |= {"initializer", "regularizer"}  # a TF1 layer's variables take a caller scope's defaults
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
        from tf1to2.rules.variables_to_layers.compose import Composer

        return Composer(self, class_name).compose()


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


def _creation_exprs(site: VariableSite) -> list[Expr]:
    keys = ("shape", "dtype", "initializer", "regularizer", "trainable", "constraint", "initial_value", "name")
    return [site.args[k] for k in keys if k in site.args]


def key_text(key: tuple) -> str:
    return "/".join(names.describe(c) if c[0] != "unique" else c[1] for c in key)


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
        if arg.keyword is not None and text[arg.start:arg.value.start].split("=")[0].strip() != arg.keyword:
            # A parameter renamed in ``call`` (``is_training`` → ``training``): passed by its new keyword.
            gaps.append((arg.start, arg.value.start))
            rewrites.append(Rewrite(arg.start, arg.value.start, f"{arg.keyword}="))
        cursor = arg.end
    if cursor < close_paren and text[cursor:close_paren].strip():
        gaps.append((cursor, close_paren))
        rewrites.append(Rewrite(cursor, close_paren, ""))
    return rewrites, gaps
