"""TF1 graph-and-session code as plain data: placeholders, graph statements, train ops, session sites.

A TF1 script builds a dataflow graph statement by statement and runs pieces of it with
``sess.run(fetches, feed_dict)``. This module reads one module and describes, for every *graph scope*
(the module body or a function body that creates placeholders or runs a session on its own tensors):

- its statements in execution order, with the wrappers that have no eager meaning flattened away
  (``with tf.Session() as sess:``, ``with graph.as_default():``), each classified by what it does
  (``Kind``): a placeholder, a tensor computation, state (variables, layers, optimizers), a train op...;
- the placeholders, the train ops (``opt.minimize(loss)``) and the optimizers;
- every session site (``sess.run``, ``tensor.eval``, ``op.run``, initializer runs, ``sess.close()``) with
  its fetch structure and feeds;
- the problems that keep the scope in graph mode, each with a position and a reason.

Everything is keyed by character offsets into the module text; no AST node leaves this module.
"""
from __future__ import annotations

import dataclasses
import enum
import functools
import io
import re
import sys
import tokenize
from typing import Iterable, Iterator, Optional

import gast

from tf1to2.analysis.imports import tf1_api_name
from tf1to2.analysis.module import ModuleContext

PLACEHOLDERS = ("tf.placeholder", "tf.placeholder_with_default")
SESSIONS = ("tf.Session", "tf.InteractiveSession")
INITIALIZERS = (
    "tf.global_variables_initializer", "tf.initialize_all_variables", "tf.local_variables_initializer",
    "tf.initialize_local_variables", "tf.tables_initializer", "tf.variables_initializer",
    "tf.initialize_variables",
)
GRAPHS = ("tf.Graph",)
DEFAULT_SESSION = ("tf.get_default_session",)
# Calls that create variables or objects holding them: run once, kept where they are.
STATE_PREFIXES = (
    "tf.Variable", "tf.get_variable", "tf.layers.", "tf.contrib.layers.", "tf.contrib.slim.",
    "tf.keras.", "tf.make_template", "tf.nn.rnn_cell.", "tf.contrib.rnn.", "tf.train.ExponentialMovingAverage",
    "tf.metrics.", "tf.train.get_or_create_global_step", "tf.train.create_global_step",
)
# Names under STATE_PREFIXES that make no variables (initializers, regularizers, shape-only layers).
STATELESS_SUFFIXES = ("initializer", "regularizer", "flatten", "dropout", "pooling1d", "pooling2d", "pooling3d",
                      "pool2d", "pool", "l1_regularizer", "l2_regularizer", "sum_regularizer")
# Calls that return lists of existing variables (graph collections).
VARIABLE_LISTS = (
    "tf.trainable_variables", "tf.global_variables", "tf.all_variables", "tf.model_variables",
    "tf.local_variables", "tf.get_collection", "tf.moving_average_variables",
)
# Ops whose value changes from one run to the next although they read no variable.
RANDOM_OPS = (
    "tf.random_normal", "tf.random_uniform", "tf.truncated_normal", "tf.random_shuffle", "tf.multinomial",
    "tf.random_gamma", "tf.random_poisson", "tf.random_crop", "tf.random.",
)
TRAIN_METHODS = ("minimize", "apply_gradients")
SAVER = "tf.train.Saver"
FILE_WRITER = "tf.summary.FileWriter"
SUMMARY_OPS = ("tf.summary.scalar", "tf.summary.histogram", "tf.summary.image", "tf.summary.text",
               "tf.summary.audio")
DECAYS = (
    "tf.train.exponential_decay", "tf.train.inverse_time_decay", "tf.train.polynomial_decay",
    "tf.train.cosine_decay", "tf.train.piecewise_constant", "tf.train.natural_exp_decay",
    "tf.train.cosine_decay_restarts", "tf.train.linear_cosine_decay", "tf.train.noisy_linear_cosine_decay",
    "tf.train.piecewise_constant_decay",
)
# Packages whose functions are known not to create TF1 variables behind the converter's back.
_LIBRARIES = {"tensorflow", "numpy", "scipy", "pandas", "absl", "six", "matplotlib", "sklearn", "PIL", "cv2",
              "tqdm", "h5py", "yaml", "__future__"}
OPTIMIZER_SUFFIX = "Optimizer"
_SESSION_WORD = re.compile(r"(?i)(^|_)sess(ion)?(_|$)|session$")


class Kind(str, enum.Enum):
    """What a statement of a graph scope does."""

    PLACEHOLDER = "placeholder"  # x = tf.placeholder(...)
    TENSOR = "tensor"  # a graph computation: evaluated when a session runs it
    STATE = "state"  # creates (or names) variables, layers, schedules: runs once
    CONST = "const"  # a TF call reading nothing from the graph (configuration, a constant)
    OPTIMIZER = "optimizer"  # opt = tf.train.AdamOptimizer(...)
    TRAIN = "train"  # train_op = opt.minimize(loss) / opt.apply_gradients(...)
    GRADIENTS = "gradients"  # gv = opt.compute_gradients(loss), grads = tf.gradients(loss, tvars)
    SCHEDULE = "schedule"  # lr = tf.train.exponential_decay(0.1, global_step, ...)
    SAVER = "saver"  # saver = tf.train.Saver(...)
    SUMMARY = "summary"  # tf.summary.scalar("loss", loss): a summary op
    MERGE = "merge"  # merged = tf.summary.merge_all() / tf.summary.merge([...])
    WRITER = "writer"  # writer = tf.summary.FileWriter(logdir, sess.graph)
    UPDATE_OPS = "update_ops"  # update_ops = tf.get_collection(tf.GraphKeys.UPDATE_OPS)
    INIT = "init"  # init = tf.global_variables_initializer()
    SESSION = "session"  # sess = tf.Session(); sess.close()
    WRAPPER = "wrapper"  # ``with tf.Session() as sess:`` / ``with g.as_default():`` (its body is flattened)
    GRAPH = "graph"  # g = tf.Graph()
    USES = "uses"  # contains session sites: kept, the sites become calls
    PLAIN = "plain"  # Python that does not touch the graph


MOVABLE = (Kind.PLACEHOLDER, Kind.TENSOR, Kind.TRAIN, Kind.GRADIENTS)  # statements that become part of functions


@dataclasses.dataclass(frozen=True)
class Problem:
    line: int
    col: int
    message: str


@dataclasses.dataclass(frozen=True)
class Statement:
    """One statement of a scope's flattened sequence.

    ``start``/``end`` cover whole lines (``end`` is the start of the next line); ``lead`` is where the
    comment lines directly above it begin (they travel with it when it moves). ``depth`` counts the
    flattened wrappers around it.
    """

    index: int
    kind: Kind
    line: int
    col: int
    start: int
    end: int
    lead: int
    indent: str
    depth: int
    binds: tuple[str, ...]
    reads: tuple[str, ...]
    creates_variables: bool = False
    random: bool = False
    own_lines: bool = True
    note: str = ""  # why it was classified so, for reports
    nested_reads: tuple[tuple[str, int, int], ...] = ()  # (name, start, end) of loads, for unsupported uses
    is_def: bool = False
    holds_variables: bool = False  # binds variables or a layer (what ``tf.trainable_variables()`` lists)
    foreign_calls: tuple[str, ...] = ()  # functions imported from other modules of the project it calls


@dataclasses.dataclass(frozen=True)
class Placeholder:
    name: str
    statement: int
    line: int
    dtype: str  # source text, "tf.float32" when TF1's default applies
    shape: Optional[str]  # source text; None: any shape
    default: Optional[str]  # placeholder_with_default's input


@dataclasses.dataclass(frozen=True)
class Fetch:
    """The structure of ``sess.run``'s first argument: a leaf expression or a list/tuple/dict of fetches."""

    kind: str  # "leaf", "list", "tuple", "dict"
    text: str
    children: tuple["Fetch", ...] = ()
    keys: tuple[str, ...] = ()  # dict keys as source text
    names: tuple[str, ...] = ()  # leaf: names it reads
    initializer: bool = False  # leaf: an initializer op (``init``, ``tf.global_variables_initializer()``)

    def leaves(self) -> Iterator["Fetch"]:
        if self.kind == "leaf":
            yield self
        for child in self.children:
            yield from child.leaves()

    @property
    def structure(self) -> str:
        """``list[2]``, ``dict[loss, acc]``, ``single``: what the caller unpacks."""
        if self.kind == "leaf":
            return "single"
        if self.kind == "dict":
            return f"dict[{', '.join(self.keys)}]"
        return f"{self.kind}[{len(self.children)}]"


@dataclasses.dataclass(frozen=True)
class Site:
    """A session call: ``sess.run(...)``, ``t.eval(...)``, ``op.run(...)``, ``sess.close()``."""

    kind: str  # "run", "eval", "op_run", "close", "open" (sess = tf.Session()), "with" (a nested session block)
    line: int
    col: int
    start: int  # the call's span
    end: int
    text: str
    fetch: Optional[Fetch]
    feeds: tuple[tuple[str, str], ...]  # (key source text, value source text)
    statement: int  # index of the scope statement containing it
    alone: bool  # the call is a whole expression statement
    stmt_start: int  # whole lines of that expression statement
    stmt_end: int
    problem: str = ""
    sole: bool = False  # that statement is the only one of its block (removing it needs ``pass``)
    feed_name: Optional[str] = None  # ``feed_dict=feed``, ``feed`` being a dict display assigned once
    feed_keys: tuple[tuple[int, int, str], ...] = ()  # that display's keys: (start, end, placeholder name)


@dataclasses.dataclass(frozen=True)
class CallRecord:
    """A call the sessions pass rewrites (``tf.train.Saver(...)``, ``tf.summary.FileWriter(...)``)."""

    name: str  # the name it is assigned to
    statement: int
    api: str
    args: tuple[tuple[Optional[str], str], ...]
    start: int
    end: int
    line: int
    col: int


@dataclasses.dataclass(frozen=True)
class SummaryOp:
    """``tf.summary.scalar(tag, tensor)`` & co.: in TF2 the value is returned and written by the writer."""

    statement: int
    name: Optional[str]  # the name it is assigned to, if any
    kind: str  # scalar, histogram, image, text, audio
    tag: str
    value: str
    value_names: tuple[str, ...]
    line: int
    col: int
    problem: str = ""


@dataclasses.dataclass(frozen=True)
class Merge:
    """``tf.summary.merge_all()`` (``ops`` = every summary op before it) or ``tf.summary.merge([...])``."""

    statement: int
    name: str
    ops: tuple[int, ...]  # indexes into GraphScope.summaries
    line: int
    col: int
    problem: str = ""


@dataclasses.dataclass(frozen=True)
class Schedule:
    """``lr = tf.train.exponential_decay(...)`` and the other decays of ``tf.train``."""

    name: str
    statement: int
    api: str
    args: tuple[tuple[Optional[str], str], ...]
    start: int  # the call's span
    end: int
    line: int
    col: int


@dataclasses.dataclass(frozen=True)
class GradientCall:
    """``opt.compute_gradients(loss, var_list)`` or ``tf.gradients(ys, xs)`` inside a statement."""

    statement: int
    start: int
    end: int
    line: int
    col: int
    api: str  # "compute_gradients" or "tf.gradients"
    ys: str
    ys_names: tuple[str, ...]
    xs: Optional[str]  # var_list / xs as written; None: every trainable variable
    xs_names: tuple[str, ...]
    problem: str = ""


@dataclasses.dataclass(frozen=True)
class VariableQuery:
    """``tf.trainable_variables()`` / ``tf.global_variables()``: graph collections eager code lacks."""

    statement: int
    start: int
    end: int
    line: int
    col: int
    api: str
    plain: bool  # called without arguments (a scope filter is not converted)


@dataclasses.dataclass(frozen=True)
class Wrapper:
    """A ``with`` block that disappears (``with tf.Session() as sess:``, ``with g.as_default():``): its
    header lines go and its body moves left by ``len(inner) - len(outer)``.

    ``statement`` is its index in the scope's sequence when it is one of the flattened statements;
    ``site`` the index of the ``with`` site when it is nested in a kept statement (a loop, a function).
    """

    line: int
    col: int
    start: int
    body_start: int
    body_end: int
    inner: str
    outer: str
    statement: Optional[int] = None
    site: Optional[int] = None


@dataclasses.dataclass(frozen=True)
class OptimizerCall:
    api: str  # tf.train.AdamOptimizer
    args: tuple[tuple[Optional[str], str], ...]  # (keyword or None, source text)
    start: int
    end: int
    line: int
    col: int


@dataclasses.dataclass(frozen=True)
class TrainOp:
    name: str
    statement: int
    line: int
    method: str  # "minimize" or "apply_gradients"
    optimizer_name: Optional[str]  # a name bound by an OPTIMIZER statement
    optimizer: Optional[OptimizerCall]  # the constructor written inline
    loss: Optional[str]
    var_list: Optional[str]
    global_step: Optional[str]
    grads_and_vars: Optional[str] = None
    loss_names: tuple[str, ...] = ()
    var_list_names: tuple[str, ...] = ()


@dataclasses.dataclass(frozen=True)
class GraphScope:
    kind: str  # "module" or "function"
    name: str  # "<module>" or the function's name
    line: int
    indent: str  # indentation of the flattened statements after conversion
    statements: tuple[Statement, ...]
    placeholders: tuple[Placeholder, ...]
    train_ops: tuple[TrainOp, ...]
    optimizers: tuple[tuple[str, OptimizerCall, int], ...]  # (bound name, call, statement index)
    sites: tuple[Site, ...]
    sessions: tuple[str, ...]  # names bound to sessions
    wrappers: tuple[Wrapper, ...]
    problems: tuple[Problem, ...]
    variable_queries: tuple[VariableQuery, ...] = ()
    gradient_calls: tuple[GradientCall, ...] = ()
    schedules: tuple[Schedule, ...] = ()
    savers: tuple[CallRecord, ...] = ()
    writers: tuple[CallRecord, ...] = ()
    summaries: tuple[SummaryOp, ...] = ()
    merges: tuple[Merge, ...] = ()
    protected_lines: frozenset[int] = frozenset()  # lines starting inside a string

    def statement_binding(self, name: str, before: int) -> Optional[Statement]:
        """The last statement before index ``before`` that binds ``name``."""
        for statement in reversed(self.statements[:before]):
            if name in statement.binds:
                return statement
        return None


@dataclasses.dataclass(frozen=True)
class SessionCall:
    """A ``.run(...)`` on something that looks like a session, anywhere in the module (for the census:
    every session site gets a finding, converted or not)."""

    line: int
    col: int
    start: int
    end: int
    text: str
    origin: str  # "session" (tf.Session), "factory" (another session maker), "attribute", "name", "default"
    detail: str  # the factory call, the attribute chain or the name


@dataclasses.dataclass(frozen=True)
class GraphModule:
    scopes: tuple[GraphScope, ...]
    tf_alias: Optional[str]  # the local name TF is imported as (``tf``)
    imports_end: int  # offset after the last top-level import
    indent_unit: str
    graph_mode_calls: tuple[tuple[int, str], ...]  # (line, api) of disable_eager_execution & co.
    names: frozenset[str] = frozenset()  # every identifier of the module (to make fresh names)
    is_script: bool = False  # has an ``if __name__ == "__main__":`` block or module-level session code
    session_calls: tuple[SessionCall, ...] = ()


def analyse(module: ModuleContext) -> GraphModule:
    """Describe every graph scope of ``module``."""
    analyser = _Analyser(module)
    scopes = []
    for kind, name, line, body, node in _candidate_bodies(module.tree):
        scope = analyser.scope(kind, name, line, body, node)
        if scope is not None:
            scopes.append(scope)
    return GraphModule(
        scopes=tuple(scopes),
        tf_alias=_tf_alias(module),
        imports_end=_imports_end(module),
        indent_unit=_indent_unit(module),
        graph_mode_calls=tuple(analyser.graph_mode_calls()),
        names=frozenset(_identifiers(module.tree)),
        is_script=_is_script(module.tree),
        session_calls=tuple(analyser.session_calls()),
    )


def _identifiers(tree: gast.AST) -> Iterator[str]:
    for node in gast.walk(tree):
        if isinstance(node, gast.Name):
            yield node.id
        elif isinstance(node, (gast.FunctionDef, gast.AsyncFunctionDef, gast.ClassDef)):
            yield node.name
        elif isinstance(node, gast.Attribute):
            yield node.attr
        elif isinstance(node, gast.alias):
            yield (node.asname or node.name).split(".")[0]


def _is_script(tree: gast.Module) -> bool:
    for node in tree.body:
        if isinstance(node, gast.If) and isinstance(node.test, gast.Compare):
            names = [n.id for n in gast.walk(node.test) if isinstance(n, gast.Name)]
            if "__name__" in names:
                return True
    return False


# --- helpers on names and calls ---------------------------------------------------------------------------


def api_of(module: ModuleContext, node: gast.AST) -> Optional[str]:
    """The TF1 API name a function expression resolves to through the imports (``tf.nn.relu``)."""
    qualified = module.imports.qualified_name(node)
    api = tf1_api_name(qualified)
    if api and api.startswith("tf.compat.v1."):
        return "tf." + api[len("tf.compat.v1."):]
    if api and api.startswith("tf.compat.v2."):
        return "tf." + api[len("tf.compat.v2."):]
    return _INTERNAL.get(api, api) if api else api


# TF's own modules that TF1 code imports directly (tf-slim does), for the names this pass looks for.
_INTERNAL = {
    "tf.python.client.session.Session": "tf.Session",
    "tf.python.client.session.InteractiveSession": "tf.InteractiveSession",
    "tf.python.ops.array_ops.placeholder": "tf.placeholder",
    "tf.python.ops.array_ops.placeholder_with_default": "tf.placeholder_with_default",
    "tf.python.ops.variables.global_variables_initializer": "tf.global_variables_initializer",
    "tf.python.ops.variables.local_variables_initializer": "tf.local_variables_initializer",
    "tf.python.ops.variables.variables_initializer": "tf.variables_initializer",
    "tf.python.ops.lookup_ops.tables_initializer": "tf.tables_initializer",
    "tf.python.ops.variables.Variable": "tf.Variable",
    "tf.python.ops.variable_scope.get_variable": "tf.get_variable",
    "tf.python.ops.gradients_impl.gradients": "tf.gradients",
    "tf.python.ops.gradients.gradients": "tf.gradients",
    "tf.python.framework.ops.Graph": "tf.Graph",
    "tf.python.framework.ops.get_default_graph": "tf.get_default_graph",
    "tf.python.framework.ops.control_dependencies": "tf.control_dependencies",
    "tf.python.framework.ops.get_collection": "tf.get_collection",
    "tf.python.framework.ops.GraphKeys.UPDATE_OPS": "tf.GraphKeys.UPDATE_OPS",
}
# Graph machinery with no eager meaning whose intent the conversion cannot tell: the file stays graph code.
GRAPH_ONLY = (
    "tf.train.Coordinator", "tf.train.start_queue_runners", "tf.train.QueueRunner", "tf.train.add_queue_runner",
    "tf.train.string_input_producer", "tf.train.input_producer", "tf.train.range_input_producer",
    "tf.train.slice_input_producer", "tf.train.batch", "tf.train.shuffle_batch", "tf.train.batch_join",
    "tf.train.shuffle_batch_join", "tf.train.Supervisor", "tf.train.import_meta_graph", "tf.import_graph_def",
    "tf.train.MonitoredTrainingSession", "tf.train.MonitoredSession", "tf.add_to_collection",
)
GRAPH_LOOKUPS = ("get_tensor_by_name", "get_operation_by_name", "get_collection_ref")


def loaded_names(node: gast.AST) -> list[gast.Name]:
    """Names read by ``node``, excluding names local to comprehensions and lambdas inside it."""
    found: list[gast.Name] = []
    _collect_loads(node, frozenset(), found)
    return found


def _collect_loads(node: gast.AST, local: frozenset, found: list) -> None:
    if isinstance(node, gast.Name):
        if isinstance(node.ctx, gast.Load) and node.id not in local:
            found.append(node)
        return
    if isinstance(node, (gast.ListComp, gast.SetComp, gast.GeneratorExp, gast.DictComp)):
        inner = local | {n.id for g in node.generators for n in gast.walk(g.target) if isinstance(n, gast.Name)}
        for child in gast.iter_child_nodes(node):
            _collect_loads(child, inner, found)
        return
    if isinstance(node, gast.Lambda):
        params = {a.id for a in node.args.args + node.args.kwonlyargs if isinstance(a, gast.Name)}
        _collect_loads(node.body, local | params, found)
        return
    for child in gast.iter_child_nodes(node):
        _collect_loads(child, local, found)


def stored_names(node: gast.AST) -> list[str]:
    names = []
    for sub in gast.walk(node):
        if isinstance(sub, gast.Name) and isinstance(sub.ctx, (gast.Store, gast.Del)):
            names.append(sub.id)
        elif isinstance(sub, (gast.FunctionDef, gast.AsyncFunctionDef, gast.ClassDef)):
            names.append(sub.name)
        elif isinstance(sub, (gast.Import, gast.ImportFrom)):
            names.extend((a.asname or a.name.split(".")[0]) for a in sub.names)
    return names


def mutated_names(node: gast.AST) -> list[str]:
    """Names whose object a statement changes in place: ``losses[name] = ...``, ``model.out = ...``,
    ``ops.append(...)``."""
    names = []
    for sub in gast.walk(node):
        target = None
        if isinstance(sub, (gast.Subscript, gast.Attribute)) and isinstance(sub.ctx, gast.Store):
            target = sub.value
        elif isinstance(sub, gast.Call) and isinstance(sub.func, gast.Attribute) and sub.func.attr in (
            "append", "extend", "insert", "update", "setdefault", "add",
        ):
            target = sub.func.value
        while isinstance(target, (gast.Subscript, gast.Attribute)):
            target = target.value
        if isinstance(target, gast.Name):
            names.append(target.id)
    return names


def function_locals(node: gast.AST) -> set[str]:
    """Parameters and names assigned in a function (what shadows the enclosing scope)."""
    args = node.args
    params = [a.id for a in args.args + args.kwonlyargs + getattr(args, "posonlyargs", []) if isinstance(a, gast.Name)]
    for extra in (args.vararg, args.kwarg):
        if isinstance(extra, gast.Name):
            params.append(extra.id)
    declared_global = {n for s in gast.walk(node) if isinstance(s, (gast.Global, gast.Nonlocal)) for n in s.names}
    assigned = {n for stmt in node.body for n in stored_names(stmt)}
    return (set(params) | assigned) - declared_global


def _calls(node: gast.AST) -> Iterator[gast.Call]:
    for sub in gast.walk(node):
        if isinstance(sub, gast.Call):
            yield sub


def _starts_with(api: Optional[str], prefixes: Iterable[str]) -> bool:
    return api is not None and any(api == p or (p.endswith(".") and api.startswith(p)) for p in prefixes)


def is_optimizer_api(api: Optional[str]) -> bool:
    return bool(api) and api.startswith("tf.train.") and api.endswith(OPTIMIZER_SUFFIX)


def creates_state(api: Optional[str]) -> bool:
    if api is None or not _starts_with(api, STATE_PREFIXES + ("tf.Variable", "tf.get_variable")):
        return False
    if api in ("tf.Variable", "tf.get_variable"):
        return True
    last = api.rsplit(".", 1)[-1].lower()
    return not last.endswith(STATELESS_SUFFIXES)


def _tf_alias(module: ModuleContext) -> Optional[str]:
    for binding in module.imports.bindings.values():
        if binding.target in ("tensorflow", "tensorflow.compat.v1", "tensorflow.compat.v2"):
            return binding.local
    return None


def _imports_end(module: ModuleContext) -> int:
    end = 0
    for node in module.tree.body:
        if isinstance(node, (gast.Import, gast.ImportFrom)):
            end = module.lines.starts[node.end_lineno] if node.end_lineno < len(module.lines.starts) else len(module.text)
        elif isinstance(node, gast.Expr) and isinstance(node.value, gast.Constant) and end == 0:
            continue
        elif end:
            break
    return end


def _indent_unit(module: ModuleContext) -> str:
    for node in gast.walk(module.tree):
        body = getattr(node, "body", None)
        if isinstance(node, (gast.FunctionDef, gast.ClassDef, gast.For, gast.While, gast.If, gast.With)) and body:
            outer = _line_indent(module, node.lineno)
            inner = _line_indent(module, body[0].lineno)
            if inner.startswith(outer) and len(inner) > len(outer):
                return inner[len(outer):]
    return "    "


def _line_indent(module: ModuleContext, line: int) -> str:
    text = module.lines.line_text(line)
    return text[: len(text) - len(text.lstrip(" \t"))]


def _candidate_bodies(tree: gast.Module) -> Iterator[tuple[str, str, int, list, Optional[gast.AST]]]:
    yield "module", "<module>", 1, tree.body, None
    for node in gast.walk(tree):
        if isinstance(node, (gast.FunctionDef, gast.AsyncFunctionDef)):
            yield "function", node.name, node.lineno, node.body, node


def string_lines(text: str) -> frozenset[int]:
    """1-based numbers of lines that start inside a string token (their text is part of a value)."""
    protected: set[int] = set()
    try:
        tokens = list(tokenize.generate_tokens(io.StringIO(text).readline))
    except (tokenize.TokenError, IndentationError, SyntaxError):
        return frozenset()
    starts: list[int] = []
    for token in tokens:
        if token.type == tokenize.STRING:
            protected.update(range(token.start[0] + 1, token.end[0] + 1))
        elif token.type == getattr(tokenize, "FSTRING_START", None):
            starts.append(token.start[0])
        elif token.type == getattr(tokenize, "FSTRING_END", None) and starts:
            protected.update(range(starts.pop() + 1, token.end[0] + 1))
    return frozenset(protected)


# --- the analyser ------------------------------------------------------------------------------------------


@dataclasses.dataclass
class _Item:
    node: gast.stmt
    depth: int
    wrapper: bool = False


class _Analyser:
    """Module-wide facts, each computed once and only when a scope needs it."""

    def __init__(self, module: ModuleContext) -> None:
        self.module = module
        self.text = module.text
        self._graph_functions: dict[int, bool] = {}
        self._nodes = list(gast.walk(module.tree))  # one walk, reused by every module-wide fact

    @functools.cached_property
    def protected(self) -> frozenset[int]:
        return string_lines(self.module.text)

    @functools.cached_property
    def calls(self) -> list[gast.Call]:
        return [node for node in self._nodes if isinstance(node, gast.Call)]

    @functools.cached_property
    def session_names(self) -> set[str]:
        return self._session_names()

    @functools.cached_property
    def graph_names(self) -> set[str]:
        return self._graph_object_names()

    @functools.cached_property
    def update_ops_names(self) -> set[str]:
        return {
            t.id for node in self._nodes if isinstance(node, gast.Assign) and self.is_update_ops(node.value)
            for t in node.targets if isinstance(t, gast.Name)
        }

    @functools.cached_property
    def local_classes(self) -> set[str]:
        return {n.name for n in self.module.tree.body if isinstance(n, gast.ClassDef)}

    @functools.cached_property
    def variable_functions(self) -> set[str]:
        return self._variable_functions()

    @functools.cached_property
    def training_classes(self) -> dict[str, gast.AST]:
        return self._training_classes()

    def _training_classes(self) -> dict[str, gast.AST]:
        """Module-level classes with an optimizer or a train op inside (graph code that is not a layer's)."""
        found = {}
        for node in self.module.tree.body:
            if not isinstance(node, gast.ClassDef):
                continue
            for call in _calls(node):
                func = call.func
                if is_optimizer_api(api_of(self.module, func)) or (
                    isinstance(func, gast.Attribute) and func.attr in TRAIN_METHODS + ("compute_gradients",)
                ):
                    found[node.name] = call
                    break
        return found

    def _variable_functions(self) -> set[str]:
        """Module-level functions that create variables, directly or through each other."""
        defs = {n.name: list(_calls(n)) for n in self.module.tree.body
                if isinstance(n, (gast.FunctionDef, gast.AsyncFunctionDef))}
        found = {name for name, calls in defs.items() if any(creates_state(api_of(self.module, c.func)) for c in calls)}
        callees = {name: {c.func.id for c in calls if isinstance(c.func, gast.Name)} for name, calls in defs.items()}
        changed = True
        while changed:
            changed = False
            for name in defs:
                if name not in found and callees[name] & found:
                    found.add(name)
                    changed = True
        return found

    # module-wide facts

    def _session_names(self) -> set[str]:
        names = set()
        for node in self._nodes:
            if isinstance(node, gast.With):
                for item in node.items:
                    if self._is_session_call(item.context_expr) and isinstance(item.optional_vars, gast.Name):
                        names.add(item.optional_vars.id)
            elif isinstance(node, gast.Assign) and self._is_session_call(node.value):
                names.update(t.id for t in node.targets if isinstance(t, gast.Name))
        return names

    def _graph_object_names(self) -> set[str]:
        names = set()
        for node in self._nodes:
            if isinstance(node, gast.Assign) and isinstance(node.value, gast.Call):
                if api_of(self.module, node.value.func) in GRAPHS:
                    names.update(t.id for t in node.targets if isinstance(t, gast.Name))
        return names

    def session_calls(self) -> Iterator[SessionCall]:
        factories = self._session_factories()
        for call in self.calls:
            func = call.func
            if not (isinstance(func, gast.Attribute) and func.attr == "run"):
                continue
            receiver = func.value
            origin = detail = ""
            if isinstance(receiver, gast.Name) and receiver.id in self.session_names:
                origin, detail = "session", receiver.id
            elif isinstance(receiver, gast.Name) and receiver.id in factories:
                origin, detail = "factory", factories[receiver.id]
            elif isinstance(receiver, gast.Call) and api_of(self.module, receiver.func) in DEFAULT_SESSION:
                origin, detail = "default", self.module.snippet(receiver)
            elif isinstance(receiver, gast.Attribute) and _SESSION_WORD.search(receiver.attr):
                origin, detail = "attribute", self.module.snippet(receiver)
            elif isinstance(receiver, gast.Name) and _SESSION_WORD.search(receiver.id):
                origin, detail = "name", receiver.id
            if not origin:
                continue
            start, end = self.module.span(call)
            line, col = self.module.position(call)
            yield SessionCall(line, col, start, end, self.module.snippet(call), origin, detail)

    def _session_factories(self) -> dict[str, str]:
        """Names bound to sessions made by something else than tf.Session (``self.cached_session()``,
        ``tf.train.MonitoredTrainingSession(...)``, ``sv.managed_session()``)."""
        found = {}
        for node in self._nodes:
            pairs = []
            if isinstance(node, gast.With):
                pairs = [(i.context_expr, i.optional_vars) for i in node.items]
            elif isinstance(node, gast.Assign) and len(node.targets) == 1:
                pairs = [(node.value, node.targets[0])]
            for value, target in pairs:
                if isinstance(value, gast.Call) and isinstance(target, gast.Name) and not self._is_session_call(value):
                    callee = self.module.snippet(value.func)
                    if _SESSION_WORD.search(callee.rsplit(".", 1)[-1]):
                        found[target.id] = self.module.snippet(value)
        return found

    def graph_mode_calls(self) -> Iterator[tuple[int, str]]:
        for call in self.calls:
            api = api_of(self.module, call.func)
            if api in ("tf.disable_eager_execution", "tf.disable_v2_behavior"):
                yield call.lineno, api

    def _is_session_call(self, node: gast.AST) -> bool:
        return isinstance(node, gast.Call) and api_of(self.module, node.func) in SESSIONS

    def is_update_ops(self, node: Optional[gast.AST]) -> bool:
        """``tf.get_collection(tf.GraphKeys.UPDATE_OPS)``: the batch-norm statistics updates."""
        return (
            isinstance(node, gast.Call) and api_of(self.module, node.func) == "tf.get_collection" and bool(node.args)
            and api_of(self.module, node.args[0]) == "tf.GraphKeys.UPDATE_OPS"
        )

    def _is_transparent_with(self, node: gast.stmt) -> bool:
        """``with tf.Session() as sess:`` / ``with g.as_default():`` / ``with tf.Graph().as_default():`` /
        ``with tf.control_dependencies(update_ops):`` (Keras layers update their statistics in call)."""
        if not isinstance(node, gast.With) or len(node.items) != 1:
            return False
        expr = node.items[0].context_expr
        if self._is_session_call(expr):
            return True
        if isinstance(expr, gast.Call) and api_of(self.module, expr.func) == "tf.control_dependencies" \
                and len(expr.args) == 1 and not expr.keywords and node.items[0].optional_vars is None:
            dependency = expr.args[0]
            return self.is_update_ops(dependency) or (
                isinstance(dependency, gast.Name) and dependency.id in self.update_ops_names)
        if isinstance(expr, gast.Call) and isinstance(expr.func, gast.Attribute) and expr.func.attr == "as_default":
            target = expr.func.value
            if isinstance(target, gast.Name) and target.id in self.graph_names | self.session_names:
                return True
            if isinstance(target, gast.Call) and api_of(self.module, target.func) in GRAPHS:
                return True
        return False

    # one scope

    def scope(self, kind: str, name: str, line: int, body: list, node: Optional[gast.AST] = None) -> Optional[GraphScope]:
        items = list(self._flatten(body, 0))
        if not self._looks_like_graph_scope(items):
            return None
        if node is not None and not self.is_graph_function(node):
            return None  # it runs a graph built elsewhere: its sites are the enclosing scope's
        return _ScopeBuilder(self, kind, name, line, items).build()

    def _flatten(self, body: list, depth: int) -> Iterator[_Item]:
        for node in body:
            if self._is_transparent_with(node):
                yield _Item(node, depth, wrapper=True)
                yield from self._flatten(node.body, depth + 1)
            else:
                yield _Item(node, depth)

    def is_graph_function(self, node: gast.AST) -> bool:
        """A function that builds its own graph: placeholders, or a session fetching names it binds
        (not a function that only runs the module's graph)."""
        key = id(node)
        if key not in self._graph_functions:
            items = list(self._flatten(node.body, 0))
            self._graph_functions[key] = self._has_placeholders(items) or (
                self._looks_like_graph_scope(items) and self._fetches_own_names(node)
            )
        return self._graph_functions[key]

    def _has_placeholders(self, items: list[_Item]) -> bool:
        return any(
            api_of(self.module, call.func) in PLACEHOLDERS
            for item in items if not item.wrapper and not isinstance(item.node, (gast.FunctionDef, gast.ClassDef))
            for call in _calls(item.node)
        )

    def _fetches_own_names(self, node: gast.AST) -> bool:
        local = function_locals(node)
        for call in _calls(node):
            if isinstance(call.func, gast.Attribute) and call.func.attr == "run" and call.args \
                    and isinstance(call.func.value, gast.Name) and call.func.value.id in self.session_names:
                if any(n.id in local for n in loaded_names(call.args[0])):
                    return True
        return False

    def _looks_like_graph_scope(self, items: list[_Item]) -> bool:
        for item in items:
            if item.wrapper:
                continue
            node = item.node
            if isinstance(node, (gast.FunctionDef, gast.AsyncFunctionDef, gast.ClassDef)):
                continue
            for call in _calls(node):
                if api_of(self.module, call.func) in PLACEHOLDERS + SESSIONS:
                    return True  # placeholders, or a session running graph code built here
        return any(item.wrapper and self._is_session_call(item.node.items[0].context_expr) for item in items)


class _ScopeBuilder:
    """Classifies one scope's flattened statements and finds its sites."""

    def __init__(self, analyser: _Analyser, kind: str, name: str, line: int, items: list[_Item]) -> None:
        self.a = analyser
        self.module = analyser.module
        self.text = analyser.text
        self.kind = kind
        self.name = name
        self.line = line
        self.items = items
        self.statements: list[Statement] = []
        self.placeholders: list[Placeholder] = []
        self.train_ops: list[TrainOp] = []
        self.optimizers: list[tuple[str, OptimizerCall, int]] = []
        self.sites: list[Site] = []
        self.problems: list[Problem] = []
        self.wrappers: list[Wrapper] = []
        self.kinds: dict[str, Kind] = {}  # name → kind of the statement that last bound it
        self.queries: list[VariableQuery] = []
        self.gradients: list[GradientCall] = []
        self.schedules: list[Schedule] = []
        self.feed_key_spans: set[tuple[int, int]] = set()
        self.handled_spans: set[tuple[int, int]] = set()  # other session uses a conversion takes care of
        self.savers: list[CallRecord] = []
        self.writers: list[CallRecord] = []
        self.summaries: list[SummaryOp] = []
        self.merges: list[Merge] = []

    def build(self) -> GraphScope:
        indent = self._indent_of(self.items[0].node)
        for item in self.items:
            if item.wrapper:
                self._wrapper(item)
                continue
            self._statement(item)
        self._nested_sessions()
        self._check_remaining_uses()
        self._check_session_uses()
        for name, call in self.a.training_classes.items():
            if any(name in s.reads for s in self.statements):
                self._problem(call, f"class {name} creates an optimizer or a train op inside (graph code in a "
                                    "layer's method is not converted)")
        return GraphScope(
            kind=self.kind, name=self.name, line=self.line, indent=indent,
            statements=tuple(self.statements), placeholders=tuple(self.placeholders),
            train_ops=tuple(self.train_ops), optimizers=tuple(self.optimizers), sites=tuple(self.sites),
            sessions=tuple(sorted(self.a.session_names)), wrappers=tuple(self.wrappers),
            problems=tuple(self.problems), protected_lines=self.a.protected,
            variable_queries=tuple(self.queries), gradient_calls=tuple(self.gradients),
            schedules=tuple(self.schedules), savers=tuple(self.savers), writers=tuple(self.writers),
            summaries=tuple(self.summaries), merges=tuple(self.merges),
        )

    # positions

    def _indent_of(self, node: gast.AST) -> str:
        return _line_indent(self.module, node.lineno)

    def _line_start(self, line: int) -> int:
        return self.module.lines.starts[line - 1]

    def _line_after(self, line: int) -> int:
        starts = self.module.lines.starts
        return starts[line] if line < len(starts) else len(self.text)

    def _own_lines(self, node: gast.stmt) -> bool:
        start, end = self.module.span(node)
        before = self.text[self._line_start(node.lineno):start]
        after = self.text[end:self._line_after(node.end_lineno)].strip()
        return not before.strip() and (not after or after.startswith("#"))

    def _lead(self, node: gast.stmt) -> int:
        line = node.lineno
        while line > 1 and self.module.lines.line_text(line - 1).strip().startswith("#") and (line - 1) not in self.a.protected:
            line -= 1
        return self._line_start(line)

    def _problem(self, node: gast.AST, message: str) -> None:
        line, col = self.module.position(node)
        self.problems.append(Problem(line, col, message))

    # wrappers

    def _wrapper(self, item: _Item) -> None:
        node = item.node
        wrapper = self._wrapper_record(node, statement=len(self.statements))
        binds = ()
        if node.items[0].optional_vars is not None:
            binds = tuple(stored_names(node.items[0].optional_vars))
        self.statements.append(Statement(
            index=len(self.statements), kind=Kind.WRAPPER, line=node.lineno, col=self.module.position(node)[1],
            start=wrapper.start, end=wrapper.body_start, lead=wrapper.start, indent=wrapper.outer, depth=item.depth,
            binds=binds, reads=(),
        ))
        for name in binds:
            self.kinds[name] = Kind.SESSION

    def _wrapper_record(self, node: gast.With, statement: Optional[int] = None, site: Optional[int] = None) -> Wrapper:
        outer = self._indent_of(node)
        inner = self._indent_of(node.body[0])
        start = self._line_start(node.lineno)
        header_end = max(max(i.context_expr.end_lineno, getattr(i.optional_vars, "end_lineno", 0) or 0)
                         for i in node.items)
        if ":" not in self.module.lines.line_text(header_end).split("#")[0]:
            header_end += 1  # ``with (...)`` closed on a line of its own: the colon follows
        body_start = self._line_after(header_end)
        if node.body[0].lineno <= header_end:
            self._problem(node, "the with statement's body is on its header line")
            body_start = self._line_start(node.body[0].lineno)
        if self.a._is_session_call(node.items[0].context_expr):
            self._check_session_args(node.items[0].context_expr)
        wrapper = Wrapper(
            line=node.lineno, col=self.module.position(node)[1], start=start, body_start=body_start,
            body_end=self._line_after(node.body[-1].end_lineno), inner=inner, outer=outer,
            statement=statement, site=site,
        )
        self.wrappers.append(wrapper)
        return wrapper

    def _check_session_args(self, call: gast.Call) -> None:
        for keyword in call.keywords:
            if keyword.arg == "graph":
                continue  # the graph whose as_default block is flattened too
            if keyword.arg == "config":
                continue  # device and threading options have no effect on the values
            self._problem(keyword.value, f"tf.Session({keyword.arg}=...) has no eager equivalent")
        if call.args:
            self._problem(call, "tf.Session(target) (a distributed session) has no eager equivalent")

    # statements

    def _statement(self, item: _Item) -> None:
        node = item.node
        index = len(self.statements)
        kind, note = self._classify(node, index)
        if isinstance(node, (gast.FunctionDef, gast.AsyncFunctionDef, gast.ClassDef)):
            binds: tuple[str, ...] = (node.name,)
        else:
            binds = tuple(dict.fromkeys(stored_names(node) + mutated_names(node)))
        if kind is Kind.TENSOR:
            self._graph_containers(binds, index)
        self._train_calls_elsewhere(node, kind)
        reads, nested = self._reads(node)
        start = self._line_start(node.lineno)
        if isinstance(node, (gast.FunctionDef, gast.AsyncFunctionDef, gast.ClassDef)) and node.decorator_list:
            start = self._line_start(node.decorator_list[0].lineno)
        statement = Statement(
            index=index, kind=kind, line=node.lineno, col=self.module.position(node)[1],
            start=start, end=self._line_after(node.end_lineno), lead=self._lead(node),
            indent=self._indent_of(node), depth=item.depth, binds=binds, reads=reads,
            creates_variables=self._creates_variables(node) or self._calls_variable_function(node),
            random=self._random(node),
            own_lines=self._own_lines(node), note=note, nested_reads=nested,
            is_def=isinstance(node, (gast.FunctionDef, gast.AsyncFunctionDef, gast.ClassDef)),
            foreign_calls=self._foreign_calls(node),
            holds_variables=kind is Kind.STATE and (self._creates_variables(node) or self._constructs_local_class(node)),
        )
        self.statements.append(statement)
        if kind in (Kind.STATE, Kind.TENSOR):
            self._variable_queries(node, index)
        for name in binds:
            self.kinds[name] = kind
        if kind in MOVABLE and not statement.own_lines:
            self._problem(node, "a graph statement shares its line with another statement")

    def _graph_containers(self, binds: tuple[str, ...], index: int) -> None:
        """``losses = {}`` followed by ``losses[name] = tensor``: the container is graph code too."""
        for name in binds:
            for statement in reversed(self.statements[:index]):
                if name not in statement.binds:
                    continue
                if statement.kind in (Kind.PLAIN, Kind.CONST) and not statement.is_def:
                    self.statements[statement.index] = dataclasses.replace(statement, kind=Kind.TENSOR,
                                                                          note=f"holds graph tensors ({name})")
                break

    def _train_calls_elsewhere(self, node: gast.stmt, kind: Kind) -> None:
        if kind is Kind.TRAIN or isinstance(node, (gast.FunctionDef, gast.AsyncFunctionDef, gast.ClassDef)):
            return
        for call in _calls(node):
            if self._train_call(call) is not None:
                self._problem(call, f"{call.func.attr} inside a larger statement (a train op must be assigned "
                                    "to a name on its own) is not converted")
                return

    def _foreign_calls(self, node: gast.stmt) -> tuple[str, ...]:
        """Calls of functions imported from the project's other modules (not TF, numpy or the stdlib)."""
        found = []
        for call in _calls(node):
            binding = self.module.imports.root_binding(call.func)
            if binding is None or not isinstance(call.func, (gast.Name, gast.Attribute)):
                continue
            top = binding.target.split(".")[0]
            if top in _LIBRARIES or top in sys.stdlib_module_names:
                continue
            found.append(self.module.snippet(call.func))
        return tuple(dict.fromkeys(found))

    def _calls_variable_function(self, node: gast.stmt) -> bool:
        """Calls a function of this module that creates variables (the structure pass left it as is)."""
        if isinstance(node, (gast.FunctionDef, gast.AsyncFunctionDef, gast.ClassDef)):
            return False
        return any(isinstance(c.func, gast.Name) and c.func.id in self.a.variable_functions for c in _calls(node))

    def _reads(self, node: gast.stmt) -> tuple[tuple[str, ...], tuple[tuple[str, int, int], ...]]:
        """Free names read, and (for later checks) every load with its span."""
        if isinstance(node, (gast.FunctionDef, gast.AsyncFunctionDef)):
            shadowed = function_locals(node)
            loads = [n for stmt in node.body for n in loaded_names(stmt) if n.id not in shadowed]
            loads += [n for d in node.decorator_list + node.args.defaults for n in loaded_names(d)]
        elif isinstance(node, gast.ClassDef):
            loads = []
            for stmt in node.body:
                if isinstance(stmt, (gast.FunctionDef, gast.AsyncFunctionDef)):
                    shadowed = function_locals(stmt)
                    loads += [n for s in stmt.body for n in loaded_names(s) if n.id not in shadowed]
                else:
                    loads += loaded_names(stmt)
        else:
            loads = loaded_names(node)
            # names of nested functions' own locals are not reads of the scope
            for sub in gast.walk(node):
                if isinstance(sub, (gast.FunctionDef, gast.AsyncFunctionDef)):
                    inner = {id(n) for n in loaded_names(sub) if n.id in function_locals(sub)}
                    loads = [n for n in loads if id(n) not in inner]
        names = tuple(dict.fromkeys(n.id for n in loads))
        nested = tuple((n.id, *self.module.span(n)) for n in loads)
        return names, nested

    def _variable_queries(self, node: gast.stmt, index: int) -> None:
        for call in _calls(node):
            api = api_of(self.module, call.func)
            if api in ("tf.trainable_variables", "tf.global_variables", "tf.all_variables"):
                start, end = self.module.span(call)
                line, col = self.module.position(call)
                self.queries.append(VariableQuery(index, start, end, line, col, api, not (call.args or call.keywords)))

    def _creates_variables(self, node: gast.stmt) -> bool:
        for call in _calls(node):
            api = api_of(self.module, call.func)
            if creates_state(api):
                return True
        return False

    def _random(self, node: gast.stmt) -> bool:
        return any(_starts_with(api_of(self.module, c.func), RANDOM_OPS) for c in _calls(node))

    def _reaching(self, name: str) -> Optional[Kind]:
        return self.kinds.get(name)

    def _classify(self, node: gast.stmt, index: int) -> tuple[Kind, str]:
        if isinstance(node, (gast.Import, gast.ImportFrom, gast.FunctionDef, gast.AsyncFunctionDef, gast.ClassDef)):
            self._find_sites(node, index)
            return Kind.PLAIN, ""
        if self._find_sites(node, index):
            return Kind.USES, "runs part of the graph"
        value = _assigned_value(node)
        call = value if isinstance(value, gast.Call) else None
        api = api_of(self.module, call.func) if call is not None else None
        if api in PLACEHOLDERS:
            return self._placeholder(node, call, api, index)
        if api == SAVER and self._record(self.savers, node, call, api, index):
            return Kind.SAVER, api
        if api == FILE_WRITER and self._record(self.writers, node, call, api, index):
            graph = _bind_nodes(call, ("logdir", "graph")).get("graph")
            if graph is not None:
                self.handled_spans.add(self.module.span(graph))  # the graph is not written in TF2
            return Kind.WRITER, api
        if api in SUMMARY_OPS:
            return self._summary(node, call, api, index)
        if api in ("tf.summary.merge_all", "tf.summary.merge"):
            return self._merge(node, call, api, index)
        if api in SESSIONS:
            return Kind.SESSION, "session"
        if api in GRAPHS or api == "tf.reset_default_graph" or self._finalizes_graph(value):
            return Kind.GRAPH, "graph"
        self._graph_only(node)
        if self.a.is_update_ops(value) and isinstance(node, gast.Assign):
            return Kind.UPDATE_OPS, "update ops"
        if self._is_initializer(value):
            return Kind.INIT, "initializer"
        if is_optimizer_api(api):
            self._optimizer(node, call, api, index)
            return Kind.OPTIMIZER, api
        train = self._train_call(value)
        if train is not None:
            return self._train(node, train, index)
        if self._gradient_calls(node, index):
            return Kind.GRADIENTS, "gradients"
        if api in DECAYS and isinstance(node, gast.Assign) and len(node.targets) == 1 \
                and isinstance(node.targets[0], gast.Name):
            start, end = self.module.span(call)
            line, col = self.module.position(call)
            args = tuple((None, self.module.snippet(a)) for a in call.args)
            args += tuple((k.arg, self.module.snippet(k.value)) for k in call.keywords)
            self.schedules.append(Schedule(node.targets[0].id, index, api, args, start, end, line, col))
            return Kind.SCHEDULE, api
        reads = [n.id for n in loaded_names(node)]
        graph_reads = [n for n in reads if self._reaching(n) in MOVABLE + (Kind.SCHEDULE, Kind.SUMMARY, Kind.MERGE)]
        state_reads = [n for n in reads if self._reaching(n) in (Kind.STATE, Kind.OPTIMIZER)]
        tf_calls = [api_of(self.module, c.func) for c in _calls(node)]
        if graph_reads and self._is_feed_display(value):
            return Kind.PLAIN, "feed dict"  # {x: batch_x, y: batch_y}, used as feed_dict=
        if graph_reads and isinstance(node, gast.Expr) and isinstance(value, gast.Call) and api is None:
            return Kind.PLAIN, f"uses {graph_reads[0]}"  # print(y), log(y.name): Python using a graph tensor
        if graph_reads:
            return Kind.TENSOR, f"reads {graph_reads[0]}"
        if any(creates_state(a) for a in tf_calls) or self._constructs_local_class(node):
            return Kind.STATE, "creates variables"
        if any(_starts_with(a, VARIABLE_LISTS) for a in tf_calls):
            return Kind.STATE, "selects variables"
        if state_reads and not _computes(value, self.module):
            return Kind.STATE, "names variables"  # W = layer.kernel, d_vars = [v for v in t_vars if ...]
        if state_reads and isinstance(node, (gast.Assign, gast.AugAssign, gast.AnnAssign, gast.Expr)):
            return Kind.TENSOR, f"computes from {state_reads[0]}"
        if any(a is not None for a in tf_calls):
            return Kind.CONST, "TF call"
        if isinstance(node, gast.Assign) and _computes(value, self.module) and any(
            self._reaching(n) is Kind.CONST for n in reads
        ):
            return Kind.CONST, "computes from constants"  # b = a * 3 with a = tf.constant(2)
        return Kind.PLAIN, ""

    def _finalizes_graph(self, value: Optional[gast.AST]) -> bool:
        """``graph.finalize()``, ``tf.get_default_graph().finalize()``, ``sess.graph.finalize()``: nothing
        to freeze in eager code."""
        if not (isinstance(value, gast.Call) and isinstance(value.func, gast.Attribute)
                and value.func.attr == "finalize" and not value.args):
            return False
        graph = value.func.value
        if isinstance(graph, gast.Name) and graph.id in self.a.graph_names:
            return True
        if isinstance(graph, gast.Call) and api_of(self.module, graph.func) == "tf.get_default_graph":
            return True
        if isinstance(graph, gast.Attribute) and graph.attr == "graph" and isinstance(graph.value, gast.Name) \
                and graph.value.id in self.a.session_names:
            self.handled_spans.add(self.module.span(graph))
            return True
        return False

    def _graph_only(self, node: gast.stmt) -> None:
        for call in _calls(node):
            api = api_of(self.module, call.func)
            if api in GRAPH_ONLY:
                self._problem(call, f"{api} has no eager counterpart whose intent the conversion can tell")
                return
            if isinstance(call.func, gast.Attribute) and call.func.attr in GRAPH_LOOKUPS:
                self._problem(call, f"{call.func.attr} looks tensors up in a graph; eager code has none")
                return

    def _is_feed_display(self, value: Optional[gast.AST]) -> bool:
        if not isinstance(value, gast.Dict) or not value.keys or any(k is None for k in value.keys):
            return False
        keys_are_placeholders = all(
            isinstance(k, gast.Name) and self._reaching(k.id) is Kind.PLACEHOLDER for k in value.keys
        )
        values_are_data = not any(
            self._reaching(n.id) in MOVABLE for v in value.values for n in loaded_names(v)
        )
        return keys_are_placeholders and values_are_data

    def _constructs_local_class(self, node: gast.stmt) -> bool:
        value = _assigned_value(node)
        return (
            isinstance(value, gast.Call) and isinstance(value.func, gast.Name)
            and value.func.id in self.a.local_classes
        )

    def _is_initializer(self, value: Optional[gast.AST]) -> bool:
        if not isinstance(value, gast.Call):
            return False
        api = api_of(self.module, value.func)
        if api in INITIALIZERS:
            return True
        if api == "tf.group" and value.args:
            return all(self._is_initializer(a) or (isinstance(a, gast.Name) and self._reaching(a.id) is Kind.INIT)
                       for a in value.args)
        return False

    def _placeholder(self, node: gast.stmt, call: gast.Call, api: str, index: int) -> tuple[Kind, str]:
        targets = node.targets if isinstance(node, gast.Assign) else []
        if len(targets) != 1 or not isinstance(targets[0], gast.Name):
            self._problem(node, "a placeholder not assigned to a plain name")
            return Kind.PLACEHOLDER, "placeholder"
        params = ("dtype", "shape", "name") if api == "tf.placeholder" else ("input", "shape", "name")
        bound = _bind(self.module, call, params)
        default = bound.get("input") if api == "tf.placeholder_with_default" else None
        dtype = bound.get("dtype")
        shape = bound.get("shape")
        if shape is not None and shape.strip() == "None":
            shape = None
        self.placeholders.append(Placeholder(
            name=targets[0].id, statement=index, line=node.lineno,
            dtype=dtype or "", shape=shape, default=default,
        ))
        return Kind.PLACEHOLDER, "placeholder"

    def _record(self, records: list, node: gast.stmt, call: gast.Call, api: str, index: int) -> bool:
        targets = node.targets if isinstance(node, gast.Assign) else []
        if len(targets) != 1 or not isinstance(targets[0], gast.Name):
            self._problem(node, f"{api}(...) not assigned to a plain name")
            return False
        start, end = self.module.span(call)
        line, col = self.module.position(call)
        args = tuple((None, self.module.snippet(a)) for a in call.args)
        args += tuple((k.arg, self.module.snippet(k.value)) for k in call.keywords)
        records.append(CallRecord(targets[0].id, index, api, args, start, end, line, col))
        return True

    def _summary(self, node: gast.stmt, call: gast.Call, api: str, index: int) -> tuple[Kind, str]:
        targets = node.targets if isinstance(node, gast.Assign) else []
        name = targets[0].id if len(targets) == 1 and isinstance(targets[0], gast.Name) else None
        nodes = _bind_nodes(call, ("name", "tensor"))
        problem = ""
        if (targets and name is None) or "name" not in nodes or "tensor" not in nodes:
            problem = f"{api} is not written as name = {api}(tag, tensor)"
        extra = [k for k in nodes if k not in ("name", "tensor")]
        if extra:
            problem = f"{api}({extra[0]}=...) is not converted"
        line, col = self.module.position(call)
        value = nodes.get("tensor")
        self.summaries.append(SummaryOp(
            statement=index, name=name, kind=api.rsplit(".", 1)[-1],
            tag=self.module.snippet(nodes["name"]) if "name" in nodes else "",
            value=self.module.snippet(value) if value is not None else "",
            value_names=tuple(dict.fromkeys(n.id for n in loaded_names(value))) if value is not None else (),
            line=line, col=col, problem=problem,
        ))
        return Kind.SUMMARY, api

    def _merge(self, node: gast.stmt, call: gast.Call, api: str, index: int) -> tuple[Kind, str]:
        targets = node.targets if isinstance(node, gast.Assign) else []
        line, col = self.module.position(call)
        if len(targets) != 1 or not isinstance(targets[0], gast.Name):
            self._problem(node, f"{api}() not assigned to a plain name")
            return Kind.MERGE, api
        problem = ""
        if api == "tf.summary.merge_all":
            ops = tuple(range(len(self.summaries)))
            if call.args or call.keywords:
                problem = "tf.summary.merge_all(key or scope) is not converted"
        else:
            inputs = call.args[0] if call.args else None
            ops = ()
            if isinstance(inputs, (gast.List, gast.Tuple)) and all(isinstance(e, gast.Name) for e in inputs.elts):
                ops = tuple(i for i, op in enumerate(self.summaries) if op.name in {e.id for e in inputs.elts})
            if len(ops) != len(getattr(inputs, "elts", ())) or not ops:
                problem = "tf.summary.merge of something other than a list of summary ops is not converted"
        self.merges.append(Merge(index, targets[0].id, ops, line, col, problem))
        return Kind.MERGE, api

    def _optimizer(self, node: gast.stmt, call: gast.Call, api: str, index: int) -> None:
        targets = node.targets if isinstance(node, gast.Assign) else []
        if len(targets) != 1 or not isinstance(targets[0], gast.Name):
            self._problem(node, "an optimizer not assigned to a plain name")
            return
        self.optimizers.append((targets[0].id, self._optimizer_call(call, api), index))

    def _optimizer_call(self, call: gast.Call, api: str) -> OptimizerCall:
        start, end = self.module.span(call)
        line, col = self.module.position(call)
        args = tuple((None, self.module.snippet(a)) for a in call.args)
        args += tuple((k.arg, self.module.snippet(k.value)) for k in call.keywords)
        return OptimizerCall(api, args, start, end, line, col)

    def _gradient_calls(self, node: gast.stmt, index: int) -> bool:
        found = False
        for call in _calls(node):
            func = call.func
            api = api_of(self.module, func)
            if api == "tf.gradients":
                params = ("ys", "xs", "grad_ys", "name", "colocate_gradients_with_ops", "gate_gradients",
                          "aggregation_method", "stop_gradients", "unconnected_gradients")
                ys_key, xs_key = "ys", "xs"
            elif isinstance(func, gast.Attribute) and func.attr == "compute_gradients" and self._is_optimizer(func.value):
                params = ("loss", "var_list", "gate_gradients", "aggregation_method", "colocate_gradients_with_ops",
                          "grad_loss")
                ys_key, xs_key = "loss", "var_list"
            else:
                continue
            nodes = _bind_nodes(call, params)
            ignored = ("name", "colocate_gradients_with_ops", "gate_gradients")
            extra = [k for k in nodes if k not in (ys_key, xs_key) + ignored]
            problem = f"{api or func.attr}({extra[0]}=...) is not converted" if extra else ""
            if ys_key not in nodes:
                problem = problem or "gradients of what is not given"
            start, end = self.module.span(call)
            line, col = self.module.position(call)
            names = lambda key: tuple(dict.fromkeys(n.id for n in loaded_names(nodes[key]))) if key in nodes else ()  # noqa: E731
            self.gradients.append(GradientCall(
                statement=index, start=start, end=end, line=line, col=col,
                api="tf.gradients" if api == "tf.gradients" else "compute_gradients",
                ys=self.module.snippet(nodes[ys_key]) if ys_key in nodes else "", ys_names=names(ys_key),
                xs=self.module.snippet(nodes[xs_key]) if xs_key in nodes else None, xs_names=names(xs_key),
                problem=problem,
            ))
            found = True
        return found

    def _is_optimizer(self, node: gast.AST) -> bool:
        if isinstance(node, gast.Name):
            return self._reaching(node.id) is Kind.OPTIMIZER
        return isinstance(node, gast.Call) and is_optimizer_api(api_of(self.module, node.func))

    def _train_call(self, value: Optional[gast.AST]) -> Optional[gast.Call]:
        if not (isinstance(value, gast.Call) and isinstance(value.func, gast.Attribute)):
            return None
        if value.func.attr not in TRAIN_METHODS:
            return None
        receiver = value.func.value
        if isinstance(receiver, gast.Name) and self._reaching(receiver.id) is Kind.OPTIMIZER:
            return value
        if isinstance(receiver, gast.Call) and is_optimizer_api(api_of(self.module, receiver.func)):
            return value
        return None

    def _train(self, node: gast.stmt, call: gast.Call, index: int) -> tuple[Kind, str]:
        targets = node.targets if isinstance(node, gast.Assign) else []
        if len(targets) != 1 or not isinstance(targets[0], gast.Name):
            self._problem(node, "a train op not assigned to a plain name")
            return Kind.TRAIN, "train op"
        receiver = call.func.value
        method = call.func.attr
        optimizer_name = receiver.id if isinstance(receiver, gast.Name) else None
        optimizer = None
        if isinstance(receiver, gast.Call):
            optimizer = self._optimizer_call(receiver, api_of(self.module, receiver.func))
        if method == "minimize":
            params = ("loss", "global_step", "var_list", "gate_gradients", "aggregation_method",
                      "colocate_gradients_with_ops", "name", "grad_loss")
        else:
            params = ("grads_and_vars", "global_step", "name")
        nodes = _bind_nodes(call, params)
        bound = _bind(self.module, call, params)
        names_of = lambda key: tuple(dict.fromkeys(n.id for n in loaded_names(nodes[key]))) if key in nodes else ()  # noqa: E731
        for unsupported in ("grad_loss", "aggregation_method"):
            if bound.get(unsupported) is not None:
                self._problem(call, f"{method}({unsupported}=...) is not converted")
        self.train_ops.append(TrainOp(
            name=targets[0].id, statement=index, line=node.lineno, method=method,
            optimizer_name=optimizer_name, optimizer=optimizer, loss=bound.get("loss"),
            var_list=bound.get("var_list"), global_step=bound.get("global_step"),
            grads_and_vars=bound.get("grads_and_vars"),
            loss_names=names_of("loss") + names_of("grads_and_vars"), var_list_names=names_of("var_list"),
        ))
        return Kind.TRAIN, "train op"

    # sites

    def _find_sites(self, node: gast.stmt, index: int) -> bool:
        found = False
        shadow_stack: list[set[str]] = []
        for call, shadowed in _calls_with_shadowing(node, shadow_stack, self.a):
            site = self._site(call, node, index, shadowed)
            if site is not None:
                self.sites.append(site)
                found = True
        return found

    def _site(self, call: gast.Call, statement: gast.stmt, index: int, shadowed: set[str]) -> Optional[Site]:
        func = call.func
        if not isinstance(func, gast.Attribute):
            return None
        receiver = func.value
        receiver_name = receiver.id if isinstance(receiver, gast.Name) else None
        is_session = (
            receiver_name in self.a.session_names
            or (isinstance(receiver, gast.Call) and api_of(self.module, receiver.func) in DEFAULT_SESSION)
        )
        if func.attr == "run" and is_session:
            return self._run_site(call, statement, index, "run", call.args[0] if call.args else None, shadowed)
        if func.attr == "close" and is_session and not call.args:
            return self._simple_site(call, statement, index, "close")
        if func.attr == "run" and self._is_initializer(receiver):
            return self._run_site(call, statement, index, "op_run", receiver, shadowed)  # init_op.run()
        if receiver_name is None or receiver_name in shadowed:
            return None
        kind = self._reaching(receiver_name)
        if kind is Kind.SAVER and func.attr in ("save", "restore"):
            return self._method_site(call, statement, index, func.attr, ("sess", "save_path", "global_step"))
        if kind is Kind.WRITER and func.attr in ("add_summary", "add_graph"):
            return self._method_site(call, statement, index, func.attr, ("summary", "global_step"))
        if func.attr == "eval" and kind in MOVABLE + (Kind.STATE,):
            return self._run_site(call, statement, index, "eval", receiver, shadowed)
        if func.attr == "run" and kind in (Kind.TRAIN, Kind.INIT, Kind.TENSOR):
            return self._run_site(call, statement, index, "op_run", receiver, shadowed)
        return None

    def _simple_site(self, call: gast.Call, statement: gast.stmt, index: int, kind: str) -> Site:
        start, end = self.module.span(call)
        line, col = self.module.position(call)
        inner = self._innermost_statement(statement, call)
        return Site(
            kind=kind, line=line, col=col, start=start, end=end, text=self.module.snippet(call), fetch=None,
            feeds=(), statement=index, alone=_is_alone(inner, call),
            stmt_start=self._line_start(inner.lineno), stmt_end=self._line_after(inner.end_lineno),
            sole=self._sole(inner),
        )

    def _method_site(self, call: gast.Call, statement: gast.stmt, index: int, kind: str,
                     params: tuple[str, ...]) -> Site:
        """``saver.save(sess, path, global_step=step)``, ``writer.add_summary(summary, step)``: the
        arguments are kept as (parameter, source text) pairs in ``feeds``."""
        start, end = self.module.span(call)
        line, col = self.module.position(call)
        inner = self._innermost_statement(statement, call)
        bound = _bind_nodes(call, params)
        problem = "" if "__star__" not in bound else f"{kind}(*args) is not converted"
        extra = [k for k in bound if k not in params and k != "__star__"]
        ignored = {"write_meta_graph", "write_state", "meta_graph_suffix", "latest_filename", "strip_default_attrs"}
        if [k for k in extra if k not in ignored]:
            problem = problem or f"{kind}({extra[0]}=...) is not converted"
        feeds = tuple((k, self.module.snippet(v)) for k, v in bound.items() if k in params)
        return Site(
            kind=kind, line=line, col=col, start=start, end=end, text=self.module.snippet(call), fetch=None,
            feeds=feeds, statement=index, alone=_is_alone(inner, call),
            stmt_start=self._line_start(inner.lineno), stmt_end=self._line_after(inner.end_lineno),
            problem=problem, sole=self._sole(inner),
        )

    def _sole(self, statement: gast.stmt) -> bool:
        """The only statement of a block that stays (not the scope's own, flattened sequence)."""
        if any(item.node is statement for item in self.items):
            return False
        parent = self.module.parents.get(id(statement))
        if parent is None:
            return False
        for field in ("body", "orelse", "finalbody", "handlers"):
            block = getattr(parent, field, None)
            if isinstance(block, list) and any(s is statement for s in block):
                return len(block) == 1
        return False

    def _innermost_statement(self, statement: gast.stmt, call: gast.Call) -> gast.stmt:
        best = statement
        for sub in gast.walk(statement):
            if isinstance(sub, gast.stmt) and any(n is call for n in gast.walk(sub)):
                if sub.lineno >= best.lineno and (sub.end_lineno - sub.lineno) <= (best.end_lineno - best.lineno):
                    best = sub
        return best

    def _run_site(self, call, statement, index, kind, fetch_node, shadowed) -> Site:
        start, end = self.module.span(call)
        line, col = self.module.position(call)
        problem = ""
        feeds: tuple[tuple[str, str], ...] = ()
        fetch = self._fetch(fetch_node) if fetch_node is not None else None
        if kind == "run":
            params = ("fetches", "feed_dict", "options", "run_metadata")
        elif kind == "eval":
            params = ("feed_dict", "session")
        else:
            params = ("feed_dict", "session")
        bound = _bind_nodes(call, params)
        for extra in ("options", "run_metadata"):
            if extra in bound:
                problem = f"sess.run({extra}=...) has no eager equivalent"
        if fetch is None and kind == "run":
            fetch_value = bound.get("fetches")
            if fetch_value is not None:
                fetch = self._fetch(fetch_value)
            else:
                problem = "sess.run without fetches"
        feed_node = bound.get("feed_dict")
        feed_name, feed_keys = None, ()
        if feed_node is not None:
            feeds, feed_problem = self._feeds(feed_node, index)
            problem = problem or feed_problem
            if isinstance(feed_node, gast.Name) and not feed_problem:
                literal = self._feed_literal(feed_node.id, index)
                feed_name = feed_node.id
                feed_keys = tuple((*self.module.span(k), self.module.snippet(k)) for k in literal.keys)
                self.feed_key_spans.update((a, b) for a, b, _ in feed_keys)
        if "__star__" in bound:
            problem = problem or "sess.run with *args or **kwargs"
        inner = self._innermost_statement(statement, call)
        if fetch is not None:
            shadowed_fetch = [n for leaf in fetch.leaves() for n in leaf.names if n in shadowed]
            if shadowed_fetch:
                problem = problem or f"{shadowed_fetch[0]} is a local name of the function that runs it"
        return Site(
            kind=kind, line=line, col=col, start=start, end=end, text=self.module.snippet(call), fetch=fetch,
            feeds=feeds, statement=index, alone=_is_alone(inner, call),
            stmt_start=self._line_start(inner.lineno), stmt_end=self._line_after(inner.end_lineno), problem=problem,
            sole=self._sole(inner), feed_name=feed_name, feed_keys=feed_keys,
        )

    def _fetch(self, node: gast.AST) -> Fetch:
        text = self.module.snippet(node)
        if isinstance(node, (gast.List, gast.Tuple)):
            kind = "list" if isinstance(node, gast.List) else "tuple"
            return Fetch(kind, text, tuple(self._fetch(e) for e in node.elts))
        if isinstance(node, gast.Dict) and all(k is not None for k in node.keys):
            return Fetch("dict", text, tuple(self._fetch(v) for v in node.values),
                         keys=tuple(self.module.snippet(k) for k in node.keys))
        names = tuple(dict.fromkeys(n.id for n in loaded_names(node)))
        initializer = self._is_initializer(node) or (
            isinstance(node, gast.Name) and self._reaching(node.id) is Kind.INIT
        )
        return Fetch("leaf", text, names=names, initializer=initializer)

    def _feeds(self, node: gast.AST, index: int) -> tuple[tuple[tuple[str, str], ...], str]:
        if isinstance(node, gast.Name):
            literal = self._feed_literal(node.id, index)
            if literal is None:
                return (), f"feed_dict={node.id} is not a dict display assigned once in this scope"
            node = literal
        if not isinstance(node, gast.Dict) or any(k is None for k in node.keys):
            return (), "feed_dict is not a dict display ({placeholder: value, ...})"
        feeds = tuple((self.module.snippet(k), self.module.snippet(v)) for k, v in zip(node.keys, node.values))
        return feeds, ""

    def _feed_literal(self, name: str, index: int) -> Optional[gast.Dict]:
        found = None
        for item in self.items_without_wrappers():  # a wrapper's body items come on their own
            for sub in gast.walk(item.node):
                if isinstance(sub, gast.Assign) and any(isinstance(t, gast.Name) and t.id == name for t in sub.targets):
                    if found is not None or not isinstance(sub.value, gast.Dict):
                        return None
                    found = sub.value
                elif isinstance(sub, (gast.AugAssign, gast.AnnAssign)) and isinstance(sub.target, gast.Name) and sub.target.id == name:
                    return None
                elif name in mutated_names(sub) and isinstance(sub, gast.stmt):
                    return None
        return found

    # sessions opened inside kept statements (a function, a loop)

    def _nested_sessions(self) -> None:
        flattened = {id(item.node) for item in self.items}
        for statement, item in zip(self._statement_items(), self.items_without_wrappers()):
            for node in _walk_outside_graph_scopes(item.node, self.a):
                if node is item.node or id(node) in flattened:
                    continue
                if isinstance(node, gast.With) and self.a._is_transparent_with(node):
                    self._nested_wrapper(node, statement)
                elif isinstance(node, gast.Assign) and self.a._is_session_call(node.value):
                    self.sites.append(self._statement_site(node, statement, "open"))

    def _statement_items(self) -> Iterator[int]:
        for statement in self.statements:
            if statement.kind is not Kind.WRAPPER:
                yield statement.index

    def items_without_wrappers(self) -> Iterator[_Item]:
        return (item for item in self.items if not item.wrapper)

    def _nested_wrapper(self, node: gast.With, statement: int) -> None:
        site = len(self.sites)
        self._wrapper_record(node, site=site)
        self.sites.append(self._statement_site(node, statement, "with"))

    def _statement_site(self, node: gast.stmt, statement: int, kind: str) -> Site:
        line, col = self.module.position(node)
        start = self._line_start(node.lineno)
        end = self._line_after(node.end_lineno)
        header_end = end if kind != "with" else self._line_start(node.body[0].lineno)
        return Site(
            kind=kind, line=line, col=col, start=start, end=header_end, text=self.module.snippet(node).split("\n")[0],
            fetch=None, feeds=(), statement=statement, alone=True, stmt_start=start, stmt_end=end,
            sole=self._sole(node),
        )

    # uses of moved names outside the sites

    def _check_remaining_uses(self) -> None:
        moved = {s.index for s in self.statements if s.kind in MOVABLE + (Kind.SCHEDULE, Kind.SUMMARY, Kind.MERGE)}
        site_spans = [(s.start, s.end) for s in self.sites]
        for statement in self.statements:
            if statement.kind in MOVABLE or statement.kind in (
                Kind.INIT, Kind.WRAPPER, Kind.OPTIMIZER, Kind.SUMMARY, Kind.MERGE,
            ):
                continue  # an optimizer's arguments (a fed learning rate) are checked by the plan
            for name, start, end in statement.nested_reads:
                if any(a <= start and end <= b for a, b in site_spans) or (start, end) in self.feed_key_spans:
                    continue
                binder = self._binder(name, statement.index)
                if binder is None or binder.index not in moved:
                    continue
                line = self.module.lines.line_of(start)
                self.problems.append(Problem(
                    line, start - self.module.lines.starts[line - 1],
                    f"{name} (a graph tensor) is used outside sess.run; eager code has no symbolic tensors",
                ))

    def _check_session_uses(self) -> None:
        """The session goes away: any other use of it (``sess.graph``, passing it on) keeps graph mode."""
        spans = [(s.start, s.end) for s in self.sites] + [(w.start, w.body_start) for w in self.wrappers]
        spans += list(self.handled_spans)
        for item in self.items_without_wrappers():
            for node in _walk_outside_graph_scopes(item.node, self.a):
                if not (isinstance(node, gast.Name) and isinstance(node.ctx, gast.Load)):
                    continue
                if node.id not in self.a.session_names:
                    continue
                start, end = self.module.span(node)
                if any(a <= start and end <= b for a, b in spans):
                    continue
                line, col = self.module.position(node)
                self.problems.append(Problem(line, col, f"the session {node.id} is used for more than running the "
                                                        "graph (passed on, or its graph read)"))
                return

    def _binder(self, name: str, before: int) -> Optional[Statement]:
        for statement in reversed(self.statements[:before]):
            if name in statement.binds:
                return statement
        # a def may run after the whole graph is built: look at every binding in the scope
        for statement in reversed(self.statements):
            if name in statement.binds and statement.kind in MOVABLE:
                return statement
        return None


def _walk_outside_graph_scopes(node: gast.AST, analyser: "_Analyser") -> Iterator[gast.AST]:
    """``gast.walk`` that does not enter functions which are graph scopes of their own."""
    yield node
    for child in gast.iter_child_nodes(node):
        if isinstance(child, (gast.FunctionDef, gast.AsyncFunctionDef)) and analyser.is_graph_function(child):
            continue
        yield from _walk_outside_graph_scopes(child, analyser)


def _calls_with_shadowing(node: gast.AST, stack: list, analyser: "_Analyser") -> Iterator[tuple[gast.Call, set[str]]]:
    """Every call in ``node`` with the names that nested functions around it bind locally; functions that
    are graph scopes of their own are skipped (their sites are theirs)."""
    shadowed = set().union(*stack) if stack else set()
    if isinstance(node, gast.Call):
        yield node, shadowed
    if isinstance(node, (gast.FunctionDef, gast.AsyncFunctionDef)):
        if analyser.is_graph_function(node):
            return
        stack.append(function_locals(node))
        for child in gast.iter_child_nodes(node):
            yield from _calls_with_shadowing(child, stack, analyser)
        stack.pop()
        return
    if isinstance(node, gast.Lambda):
        return
    for child in gast.iter_child_nodes(node):
        yield from _calls_with_shadowing(child, stack, analyser)


def _assigned_value(node: gast.stmt) -> Optional[gast.AST]:
    if isinstance(node, (gast.Assign, gast.AnnAssign, gast.Expr)):
        return node.value
    return None


def _computes(value: Optional[gast.AST], module: ModuleContext) -> bool:
    """True when an expression computes a value (arithmetic, a TF op) rather than selecting objects
    (names, attributes, subscripts, displays, comprehensions filtering them)."""
    if value is None:
        return False
    stack = [value]
    while stack:
        node = stack.pop()
        if isinstance(node, (gast.BinOp, gast.UnaryOp, gast.Await)):
            return True
        if isinstance(node, gast.Call):
            api = api_of(module, node.func)
            if api is not None and not _starts_with(api, VARIABLE_LISTS):
                return True
            if api is None and not (isinstance(node.func, gast.Name) and node.func.id in ("list", "tuple", "sorted")):
                return True
        if isinstance(node, gast.comprehension):
            stack.append(node.iter)  # the conditions only filter
            continue
        stack.extend(gast.iter_child_nodes(node))
    return False


def _is_alone(statement: Optional[gast.stmt], call: gast.Call) -> bool:
    return isinstance(statement, gast.Expr) and statement.value is call


def _bind(module: ModuleContext, call: gast.Call, params: tuple[str, ...]) -> dict[str, str]:
    return {name: module.snippet(node) for name, node in _bind_nodes(call, params).items() if name != "__star__"}


def _bind_nodes(call: gast.Call, params: tuple[str, ...]) -> dict:
    bound: dict = {}
    for position, arg in enumerate(call.args):
        if isinstance(arg, gast.Starred):
            bound["__star__"] = arg
        elif position < len(params):
            bound[params[position]] = arg
    for keyword in call.keywords:
        if keyword.arg is None:
            bound["__star__"] = keyword.value
        else:
            bound[keyword.arg] = keyword.value
    return bound
