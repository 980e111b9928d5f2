"""TF1 API names the analysis looks for, and reading names, calls and arguments off the syntax tree."""
from __future__ import annotations

import bisect
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
LIBRARIES = {"tensorflow", "numpy", "scipy", "pandas", "absl", "six", "matplotlib", "sklearn", "PIL", "cv2",
              "tqdm", "h5py", "yaml", "__future__"}
OPTIMIZER_SUFFIX = "Optimizer"
SESSION_WORD = re.compile(r"(?i)(^|_)sess(ion)?(_|$)|session$")


def api_of(module: ModuleContext, node: gast.AST) -> Optional[str]:
    """The TF1 API name a function expression resolves to through the imports (``tf.nn.relu``)."""
    qualified = module.imports.qualified_name(node)
    api = tf1_api_name(qualified)
    if api and api.startswith("tf.compat.v1."):
        return "tf." + api[len("tf.compat.v1."):]
    if api and api.startswith("tf.compat.v2."):
        return "tf." + api[len("tf.compat.v2."):]
    return INTERNAL.get(api, api) if api else api


# TF's own modules that TF1 code imports directly (tf-slim does), for the names this pass looks for.
INTERNAL = {
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


def calls_in(node: gast.AST) -> Iterator[gast.Call]:
    for sub in gast.walk(node):
        if isinstance(sub, gast.Call):
            yield sub


def starts_with(api: Optional[str], prefixes: Iterable[str]) -> bool:
    return api is not None and any(api == p or (p.endswith(".") and api.startswith(p)) for p in prefixes)


def is_optimizer_api(api: Optional[str]) -> bool:
    return bool(api) and api.startswith("tf.train.") and api.endswith(OPTIMIZER_SUFFIX)


def creates_state(api: Optional[str]) -> bool:
    if api is None or not starts_with(api, STATE_PREFIXES + ("tf.Variable", "tf.get_variable")):
        return False
    if api in ("tf.Variable", "tf.get_variable"):
        return True
    last = api.rsplit(".", 1)[-1].lower()
    return not last.endswith(STATELESS_SUFFIXES)


def tf_alias(module: ModuleContext) -> Optional[str]:
    for binding in module.imports.bindings.values():
        if binding.target in ("tensorflow", "tensorflow.compat.v1", "tensorflow.compat.v2"):
            return binding.local
    return None


def imports_end(module: ModuleContext) -> int:
    end = 0
    for node in module.tree.body:
        if isinstance(node, (gast.Import, gast.ImportFrom)):
            starts = module.lines.starts
            end = starts[node.end_lineno] if node.end_lineno < len(starts) else len(module.text)
        elif isinstance(node, gast.Expr) and isinstance(node.value, gast.Constant) and end == 0:
            continue
        elif end:
            break
    return end


def indent_unit(module: ModuleContext) -> str:
    for node in gast.walk(module.tree):
        body = getattr(node, "body", None)
        if isinstance(node, (gast.FunctionDef, gast.ClassDef, gast.For, gast.While, gast.If, gast.With)) and body:
            outer = line_indent(module, node.lineno)
            inner = line_indent(module, body[0].lineno)
            if inner.startswith(outer) and len(inner) > len(outer):
                return inner[len(outer):]
    return "    "


def line_indent(module: ModuleContext, line: int) -> str:
    text = module.lines.line_text(line)
    return text[: len(text) - len(text.lstrip(" \t"))]


def candidate_bodies(module: ModuleContext) -> Iterator[tuple[str, str, int, list, Optional[gast.AST]]]:
    yield "module", "<module>", 1, module.tree.body, None
    for node in module.nodes:
        if isinstance(node, (gast.FunctionDef, gast.AsyncFunctionDef)):
            yield "function", node.name, node.lineno, node.body, node


def string_lines(text: str) -> frozenset[int]:
    """1-based numbers of lines that start inside a string token (their text is part of a value)."""
    if sys.version_info < (3, 12):
        scanned = _scanned_string_lines(text)
        if scanned is not None:
            return scanned
    return _tokenized_string_lines(text)


def _tokenized_string_lines(text: str) -> frozenset[int]:
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


# A comment, or the quotes opening a string literal (its prefix letters do not change its lines).
_COMMENT_OR_QUOTES = re.compile(r"#[^\n]*|(?P<quotes>\'\'\'|\"\"\"|\'|\")")
# What ends, escapes or breaks a one-line string.
_ONE_LINE_STRING_STOPS = {"'": re.compile(r"['\\\n]"), '"': re.compile(r'["\\\n]')}


def _scanned_string_lines(text: str) -> Optional[frozenset[int]]:
    """What ``_tokenized_string_lines`` gives, from a scan for string literals and comments only.

    Tokenizing a module in Python is the costly part of the graph analysis; the lines only need where
    each string literal starts and ends. Before Python 3.12 an f-string is one string token, and a
    string cannot hold its own quotes unescaped, so for valid Python the scan finds exactly the string
    tokens (checked against ``tokenize`` on the standard library, numpy and the real libraries). None
    when the text is not valid Python (an unterminated string): the tokenizer decides then.
    """
    line_starts = [0] + [match.end() for match in re.finditer("\n", text)]
    protected: set[int] = set()
    position = 0
    while True:
        found = _COMMENT_OR_QUOTES.search(text, position)
        if found is None:
            return frozenset(protected)
        quotes = found.group("quotes")
        if quotes is None:
            position = found.end()
            continue
        end = _string_end(text, found.end(), quotes)
        if end is None:
            return None
        first, last = bisect.bisect_right(line_starts, found.start()), bisect.bisect_right(line_starts, end - 1)
        protected.update(range(first + 1, last + 1))
        position = end


def _string_end(text: str, index: int, quotes: str) -> Optional[int]:
    """Offset just past the string whose body starts at ``index``; a backslash escapes what follows."""
    if len(quotes) == 3:
        while True:
            end = text.find(quotes, index)
            if end < 0:
                return None
            backslash = text.find("\\", index, end)
            if backslash < 0:
                return end + 3
            index = backslash + 2
    stops = _ONE_LINE_STRING_STOPS[quotes]
    while True:
        stop = stops.search(text, index)
        if stop is None or stop.group() == "\n":
            return None
        if stop.group() == quotes:
            return stop.end()
        index = stop.end() + 1  # the escaped character, a newline included


def identifiers(module: ModuleContext) -> Iterator[str]:
    for node in module.nodes:
        if isinstance(node, gast.Name):
            yield node.id
        elif isinstance(node, (gast.FunctionDef, gast.AsyncFunctionDef, gast.ClassDef)):
            yield node.name
        elif isinstance(node, gast.Attribute):
            yield node.attr
        elif isinstance(node, gast.alias):
            yield (node.asname or node.name).split(".")[0]


def is_script(tree: gast.Module) -> bool:
    for node in tree.body:
        if isinstance(node, gast.If) and isinstance(node.test, gast.Compare):
            names = [n.id for n in gast.walk(node.test) if isinstance(n, gast.Name)]
            if "__name__" in names:
                return True
    return False


def assigned_value(node: gast.stmt) -> Optional[gast.AST]:
    if isinstance(node, (gast.Assign, gast.AnnAssign, gast.Expr)):
        return node.value
    return None


def computes(value: Optional[gast.AST], module: ModuleContext) -> bool:
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
            if api is not None and not starts_with(api, VARIABLE_LISTS):
                return True
            if api is None and not (isinstance(node.func, gast.Name) and node.func.id in ("list", "tuple", "sorted")):
                return True
        if isinstance(node, gast.comprehension):
            stack.append(node.iter)  # the conditions only filter
            continue
        stack.extend(gast.iter_child_nodes(node))
    return False


def is_alone(statement: Optional[gast.stmt], call: gast.Call) -> bool:
    return isinstance(statement, gast.Expr) and statement.value is call


def bind_texts(module: ModuleContext, call: gast.Call, params: tuple[str, ...]) -> dict[str, str]:
    return {name: module.snippet(node) for name, node in bind_nodes(call, params).items() if name != "__star__"}


def bind_nodes(call: gast.Call, params: tuple[str, ...]) -> dict:
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
