"""Every variable a module creates, where, under which scopes, and what else builds its graph.

``analyze`` walks each context (the module body, each function, each method) once and locates:

- variable creations (``tf.get_variable``, ``tf.Variable``) with their arguments bound by parameter name;
- variable and name scopes (``ScopeSite``) and reuse calls (``ReuseSite``);
- calls of the module's own functions (the helper chains that become nested layers);
- graph-building markers: placeholders, sessions, optimizers, collections, and variables created by
  constructs other rules convert (``tf.layers``, contrib, RNN cells, ``make_template``);
- calls of the layer functions the layer catalog knows (``LayerSite``, also markers), which a function
  converted to a layer holds as Keras sublayers.

Every record carries a ``Location``: its context, the statement holding it, the enclosing scopes and
loops. It is all plain data keyed by positions; no AST node leaves this module.
"""
from __future__ import annotations

import dataclasses
from typing import Iterator, Optional

from tf1to2.analysis import syntax
from tf1to2.analysis.module import ModuleContext
from tf1to2.analysis.scopes import ReuseSite, ScopeSite, bind, reuse_site, scope_site
from tf1to2.analysis.syntax import Call, Expr, ModuleIR, Stmt
from tf1to2.catalog import layers as layer_catalog

GET_VARIABLE_PARAMS = (
    "name", "shape", "dtype", "initializer", "regularizer", "trainable", "collections", "caching_device",
    "partitioner", "validate_shape", "use_resource", "custom_getter", "constraint", "synchronization",
    "aggregation",
)
VARIABLE_PARAMS = (
    "initial_value", "trainable", "collections", "validate_shape", "caching_device", "name", "variable_def",
    "dtype", "expected_shape", "import_scope", "constraint", "use_resource", "synchronization", "aggregation",
    "shape",
)
_CREATORS = {"tf.get_variable": ("get_variable", GET_VARIABLE_PARAMS), "tf.Variable": ("Variable", VARIABLE_PARAMS)}

# Graph-building constructs, by TF1 API name or prefix. A function holding one is not a layer.
_MARKERS_EXACT = {
    "tf.placeholder": "placeholder",
    "tf.placeholder_with_default": "placeholder",
    "tf.sparse_placeholder": "placeholder",
    "tf.Session": "session",
    "tf.InteractiveSession": "session",
    "tf.gradients": "optimizer",
    "tf.get_collection": "collection",
    "tf.add_to_collection": "collection",
    "tf.trainable_variables": "collection",
    "tf.global_variables": "collection",
    "tf.local_variables": "collection",
    "tf.global_variables_initializer": "initializer_op",
    "tf.initialize_all_variables": "initializer_op",
    "tf.make_template": "make_template",
    "tf.get_local_variable": "other_variables",
}
_MARKERS_PREFIX = (
    ("tf.summary.", "summary"),
    ("tf.layers.", "other_variables"),
    ("tf.contrib.", "other_variables"),
    ("tf.nn.rnn_cell.", "other_variables"),
    ("tf.keras.", "other_variables"),
)
# tf.train and tf.contrib hold plenty that creates nothing; only these count as markers there.
_NOT_MARKERS_PREFIX = ("tf.train.exponential_decay", "tf.contrib.layers.l1_regularizer", "tf.contrib.layers.l2_regularizer",
                       "tf.contrib.layers.xavier_initializer", "tf.contrib.layers.variance_scaling_initializer",
                       "tf.contrib.layers.l1_l2_regularizer", "tf.contrib.layers.sum_regularizer",
                       "tf.keras.initializers.", "tf.keras.regularizers.", "tf.keras.constraints.",
                       "tf.keras.backend.", "tf.keras.activations.")
_RNN_CALLS = ("tf.nn.dynamic_rnn", "tf.nn.bidirectional_dynamic_rnn", "tf.nn.static_rnn", "tf.nn.raw_rnn")


@dataclasses.dataclass(frozen=True)
class Location:
    context: str
    stmt_id: int  # innermost statement holding the site
    top_stmt_id: int  # the statement directly in the context's body holding it
    scopes: tuple[int, ...] = ()  # enclosing scope with-statements in this context, outermost first
    loops: tuple[int, ...] = ()  # enclosing for/while statements in this context
    branches: tuple[int, ...] = ()  # enclosing if/try statements in this context


@dataclasses.dataclass(frozen=True)
class VariableSite:
    kind: str  # "get_variable" or "Variable"
    call: Call
    args: dict
    location: Location
    assigned_to: Optional[str]  # ``w`` in ``w = tf.get_variable(...)``

    def arg(self, name: str) -> Optional[Expr]:
        return self.args.get(name)


@dataclasses.dataclass(frozen=True)
class FunctionCallSite:
    """A call of one of the module's own functions (by plain name)."""

    call: Call
    location: Location


@dataclasses.dataclass(frozen=True)
class LocatedReuse:
    site: ReuseSite
    location: Location


@dataclasses.dataclass(frozen=True)
class LayerSite:
    """A call of a TF1 layer function the layer catalog knows (``tf.layers.dense``, ``slim.conv2d``).

    It is also a marker (``other_variables``): rules that do not follow layer calls see it as before.
    """

    api: str  # the catalog's name
    call: Call
    location: Location


@dataclasses.dataclass(frozen=True)
class Marker:
    kind: str
    call: Call
    location: Location


@dataclasses.dataclass(frozen=True)
class Context:
    name: str  # "<module>", "linear", "Policy.__init__", "outer.inner"
    kind: str  # module, function, method, nested
    stmt: Optional[Stmt]
    body: tuple[Stmt, ...]
    class_name: Optional[str] = None


@dataclasses.dataclass(frozen=True)
class VariableGraph:
    module: ModuleIR
    contexts: dict
    scopes: dict  # with-statement id → tuple of ScopeSite (one per scope item)
    variables: tuple[VariableSite, ...]
    calls: tuple[FunctionCallSite, ...]
    reuses: tuple[LocatedReuse, ...]
    markers: tuple[Marker, ...]
    stmts: dict  # id → Stmt
    parents: dict  # statement id → parent statement id (absent at a context's top level)
    functions: dict  # module-level function name → Stmt
    layers: tuple[LayerSite, ...] = ()

    def in_context(self, name: str) -> "ContextView":
        return ContextView(self, name)

    def scope_chain(self, location: Location) -> list[ScopeSite]:
        return [site for sid in location.scopes for site in self.scopes[sid]]


@dataclasses.dataclass(frozen=True)
class ContextView:
    graph: VariableGraph
    name: str

    @property
    def variables(self) -> list[VariableSite]:
        return [v for v in self.graph.variables if v.location.context == self.name]

    @property
    def calls(self) -> list[FunctionCallSite]:
        return [c for c in self.graph.calls if c.location.context == self.name]

    @property
    def reuses(self) -> list[LocatedReuse]:
        return [r for r in self.graph.reuses if r.location.context == self.name]

    @property
    def markers(self) -> list[Marker]:
        return [m for m in self.graph.markers if m.location.context == self.name]

    @property
    def layers(self) -> list[LayerSite]:
        return [s for s in self.graph.layers if s.location.context == self.name]


def analyze(module: ModuleContext, ir: Optional[ModuleIR] = None) -> VariableGraph:
    ir = ir or syntax.build(module)
    walker = _Walker(ir)
    walker.context("<module>", "module", None, ir.body, None)
    return VariableGraph(
        module=ir,
        contexts=walker.contexts,
        scopes=walker.scopes,
        variables=tuple(walker.variables),
        calls=tuple(walker.calls),
        reuses=tuple(walker.reuses),
        markers=tuple(walker.markers),
        stmts=walker.stmts,
        parents=walker.parents,
        functions={s.name: s for s in ir.body if s.kind == "def"},
        layers=tuple(walker.layers),
    )


def variable_site(call: Call, location: Location, assigned_to: Optional[str]) -> Optional[VariableSite]:
    creator = _CREATORS.get(call.tf_name or "")
    if creator is None:
        return None
    kind, params = creator
    return VariableSite(kind, call, bind(call, params), location, assigned_to)


def marker_kind(call: Call) -> Optional[str]:
    """What graph-building construct ``call`` is, or None for ordinary computation."""
    name = call.tf_name
    if name is None:
        return "optimizer" if call.method in ("minimize", "compute_gradients", "apply_gradients") else None
    if name in _MARKERS_EXACT:
        return _MARKERS_EXACT[name]
    if name in _RNN_CALLS:
        return "other_variables"
    if name.startswith(_NOT_MARKERS_PREFIX):
        return None
    if name.startswith("tf.train."):
        leaf = name[len("tf.train."):]
        if leaf[:1].isupper():
            return "optimizer"
        return "other_variables" if "global_step" in leaf else None
    for prefix, kind in _MARKERS_PREFIX:
        if name.startswith(prefix):
            return kind
    return None


class _Walker:
    def __init__(self, ir: ModuleIR) -> None:
        self.ir = ir
        self.contexts: dict[str, Context] = {}
        self.scopes: dict[int, tuple[ScopeSite, ...]] = {}
        self.variables: list[VariableSite] = []
        self.calls: list[FunctionCallSite] = []
        self.reuses: list[LocatedReuse] = []
        self.markers: list[Marker] = []
        self.layers: list[LayerSite] = []
        self.stmts: dict[int, Stmt] = {}
        self.parents: dict[int, int] = {}
        self.function_names = {s.name for s in ir.body if s.kind == "def"}

    def context(self, name: str, kind: str, stmt: Optional[Stmt], body: tuple[Stmt, ...], class_name: Optional[str]) -> None:
        self.contexts[name] = Context(name, kind, stmt, body, class_name)
        scope_names: set[str] = set()
        for top in body:
            self._visit(top, name, top.id, (), (), (), scope_names)

    def _visit(self, stmt: Stmt, context: str, top: int, scopes: tuple, loops: tuple, branches: tuple, scope_names: set) -> None:
        self.stmts[stmt.id] = stmt
        if stmt.kind == "def":
            inner = stmt.name if context == "<module>" else f"{context}.{stmt.name}"
            kind = "function" if context == "<module>" else "nested"
            self._visit_exprs(stmt, context, top, scopes, loops, branches, scope_names)
            self.context(inner, kind, stmt, stmt.body, None)
            return
        if stmt.kind == "class":
            self._visit_exprs(stmt, context, top, scopes, loops, branches, scope_names)
            for member in stmt.body:
                self.stmts[member.id] = member
                self.parents[member.id] = stmt.id
                if member.kind == "def":
                    self.context(f"{stmt.name}.{member.name}", "method", member, member.body, stmt.name)
            return
        if stmt.kind == "with":
            sites = []
            for item in stmt.with_items:
                if item.expr.kind == "call":
                    site = scope_site(stmt.id, item.expr.calls[0], item.as_name)
                    if site is not None:
                        sites.append(site)
                        if site.as_name:
                            scope_names.add(site.as_name)
            if sites:
                self.scopes[stmt.id] = tuple(sites)
        self._visit_exprs(stmt, context, top, scopes, loops, branches, scope_names)
        inner_scopes = scopes + ((stmt.id,) if stmt.id in self.scopes else ())
        inner_loops = loops + ((stmt.id,) if stmt.kind in ("for", "while") else ())
        inner_branches = branches + ((stmt.id,) if stmt.kind in ("if", "try") else ())
        for child in stmt.children():
            self.parents[child.id] = stmt.id
            self._visit(child, context, top, inner_scopes, inner_loops, inner_branches, scope_names)

    def _visit_exprs(self, stmt: Stmt, context: str, top: int, scopes: tuple, loops: tuple, branches: tuple, scope_names: set) -> None:
        location = Location(context, stmt.id, top, scopes, loops, branches)
        assigned = stmt.targets[0] if stmt.kind == "assign" and len(stmt.targets) == 1 and stmt.target_exprs[0].kind == "name" else None
        for call in _calls_of(stmt):
            whole_value = stmt.value is not None and stmt.value.start == call.start and stmt.value.end == call.end
            variable = variable_site(call, location, assigned if whole_value else None)
            if variable is not None:
                self.variables.append(variable)
                continue
            reuse = reuse_site(stmt.id, call, scope_names)
            if reuse is not None:
                self.reuses.append(LocatedReuse(reuse, location))
                continue
            if call.callee in self.function_names:
                self.calls.append(FunctionCallSite(call, location))
                continue
            kind = marker_kind(call)
            if kind is not None:
                self.markers.append(Marker(kind, call, location))
            record = layer_catalog.lookup(call.tf_name) if kind == "other_variables" else None
            if record is not None and not record.is_class:
                self.layers.append(LayerSite(record.api, call, location))


def _calls_of(stmt: Stmt) -> Iterator[Call]:
    seen: set[tuple[int, int]] = set()
    for expr in stmt.exprs:
        for call in expr.calls:
            key = (call.start, call.end)
            if key not in seen:
                seen.add(key)
                yield call
