"""A position-keyed picture of a module's statements, expressions and calls, as plain frozen data.

Rules that move and rewrite code need more than "where is this call": which names a statement reads and
binds, the text of each argument, whether an expression is a literal, how a shape is read. This module
reads the gast tree once and records exactly that, keyed by character offsets into the module text, so
that planning never touches AST nodes and edits are joined to analysis only by positions.
"""
from __future__ import annotations

import dataclasses
from typing import Any, Iterator, Optional

import gast

from tf1to2.analysis.imports import tf1_api_name as _tf1_api_name
from tf1to2.analysis.module import ModuleContext


# TensorFlow's internal modules that libraries import directly (tf-slim does): their names mean the
# public TF1 API they are exported as.
_INTERNAL_MODULES = (
    ("tensorflow.python.ops.variable_scope.", "tensorflow."),
    ("tensorflow.python.ops.variables.", "tensorflow."),
    ("tensorflow.python.ops.init_ops.", "tensorflow."),
    ("tensorflow.python.framework.ops.", "tensorflow."),
    ("tensorflow.python.ops.array_ops.placeholder", "tensorflow.placeholder"),
    ("tensorflow.python.training.", "tensorflow.train."),
    ("tensorflow.python.layers.", "tensorflow.layers."),
    ("tensorflow.contrib.framework.python.ops.variables.", "tensorflow.contrib.framework."),
)


def tf1_api_name(qualified: Optional[str]) -> Optional[str]:
    """The TF1 API name of a qualified name, internal module paths included (``tf.get_variable``)."""
    if qualified is not None:
        for internal, public in _INTERNAL_MODULES:
            if qualified.startswith(internal):
                qualified = public + qualified[len(internal):]
                break
    return _tf1_api_name(qualified)


class _Missing:
    def __repr__(self) -> str:
        return "MISSING"


MISSING: Any = _Missing()

# Symbolic strings: how a scope or variable name is spelled, to be evaluated once arguments are known.
# ("const", value) | ("name", id) | ("or", a, b) | ("percent", fmt, (args...)) | ("fstring", (parts...))
# | ("concat", a, b) | ("format", fmt, (args...)) | ("str", a) | ("attr", base, attr) | ("unknown",)
StaticStr = tuple


@dataclasses.dataclass(frozen=True)
class NameRef:
    name: str
    start: int
    end: int
    store: bool = False


@dataclasses.dataclass(frozen=True)
class ShapeRead:
    """``x.get_shape()``, ``x.shape`` or ``tf.shape(x)``: reads only the shape of the tensor ``name``."""

    name: str
    start: int
    end: int


@dataclasses.dataclass(frozen=True)
class Comprehension:
    """``[element for target in iterable if condition...]`` with one ``for`` clause."""

    element: "Expr"
    target: str
    iterable: "Expr"
    conditions: tuple["Expr", ...]
    predicate: tuple  # the conditions as plain data (see ``_predicate``), or ("unknown",)


@dataclasses.dataclass(frozen=True)
class Expr:
    start: int
    end: int
    text: str
    kind: str  # name, constant, call, attribute, subscript, list, tuple, dict, other
    name: Optional[str] = None  # for kind == "name"
    tf_name: Optional[str] = None  # ``tf.AUTO_REUSE`` / ``tf.float32`` for a name or attribute, via imports
    names: tuple[NameRef, ...] = ()  # free names read, in source order
    literal: Any = MISSING
    calls: tuple["Call", ...] = ()  # every call inside, outermost first
    attr_reads: tuple[tuple[str, str], ...] = ()  # (base name, attribute) for ``base.attribute``
    called_names: tuple[str, ...] = ()  # names used as the function of a call
    shape_reads: tuple[ShapeRead, ...] = ()
    dimension_values: tuple[tuple[int, int], ...] = ()  # spans of ``.value`` on a shape dimension
    static: StaticStr = ("unknown",)
    dict_items: tuple[tuple[Any, "Expr"], ...] = ()  # literal key → value, for dict displays
    subscript: Optional[tuple[str, Any]] = None  # ``name[literal]``
    comprehension: Optional[Comprehension] = None


@dataclasses.dataclass(frozen=True)
class Arg:
    keyword: Optional[str]
    value: Expr
    star: str  # "", "*" or "**"
    start: int
    end: int


@dataclasses.dataclass(frozen=True)
class Call:
    start: int
    end: int
    func: Expr
    callee: Optional[str]  # the name called, when the function is a plain name
    qualified: Optional[str]  # fully qualified through imports
    tf_name: Optional[str]  # ``tf.get_variable`` whatever the alias
    args: tuple[Arg, ...]
    method_of: Optional[str] = None  # ``scope`` for ``scope.reuse_variables()``
    method: Optional[str] = None

    @property
    def positional(self) -> tuple[Arg, ...]:
        return tuple(a for a in self.args if a.keyword is None and not a.star)

    def keyword(self, name: str) -> Optional[Arg]:
        return next((a for a in self.args if a.keyword == name), None)

    @property
    def has_star_args(self) -> bool:
        return any(a.star for a in self.args)


@dataclasses.dataclass(frozen=True)
class WithItem:
    expr: Expr
    as_name: Optional[str]


@dataclasses.dataclass(frozen=True)
class Param:
    name: str
    kind: str  # positional, keyword_only, var_positional, var_keyword
    default: Optional[Expr]
    index: int


@dataclasses.dataclass(frozen=True)
class Stmt:
    id: int
    kind: str  # assign, augassign, annassign, expr, return, with, for, while, if, def, class, try, pass, other
    start: int
    end: int
    line: int
    end_line: int
    indent: str
    targets: tuple[str, ...] = ()
    target_exprs: tuple[Expr, ...] = ()
    value: Optional[Expr] = None
    exprs: tuple[Expr, ...] = ()
    body: tuple["Stmt", ...] = ()
    orelse: tuple["Stmt", ...] = ()
    handlers: tuple[tuple["Stmt", ...], ...] = ()
    finalbody: tuple["Stmt", ...] = ()
    with_items: tuple[WithItem, ...] = ()
    for_target: Optional[Expr] = None
    iter: Optional[Expr] = None
    test: Optional[Expr] = None
    name: Optional[str] = None
    params: tuple[Param, ...] = ()
    is_docstring: bool = False
    skeleton: str = ""  # simple statements only: their structure with names blanked out (see ``_skeleton``)
    name_order: tuple[str, ...] = ()  # every Name in skeleton order

    def children(self) -> Iterator["Stmt"]:
        yield from self.body
        yield from self.orelse
        for handler in self.handlers:
            yield from handler
        yield from self.finalbody

    def walk(self) -> Iterator["Stmt"]:
        """This statement and every statement nested in it, not entering nested defs and classes."""
        yield self
        if self.kind in ("def", "class"):
            return
        for child in self.children():
            yield from child.walk()

    def calls(self) -> Iterator[Call]:
        for expr in self.exprs:
            yield from expr.calls

    def reads(self) -> Iterator[NameRef]:
        for expr in self.exprs:
            yield from expr.names


@dataclasses.dataclass(frozen=True)
class ModuleIR:
    path: str
    text: str
    body: tuple[Stmt, ...]
    line_starts: tuple[int, ...]

    def line_start(self, offset: int) -> int:
        """Offset of the start of the line holding ``offset``."""
        return self.text.rfind("\n", 0, offset) + 1

    def line_end(self, offset: int) -> int:
        """Offset just past the newline ending the line holding ``offset``."""
        end = self.text.find("\n", offset)
        return len(self.text) if end < 0 else end + 1

    def walk(self) -> Iterator[Stmt]:
        """Every statement, entering defs and classes."""
        stack = list(reversed(self.body))
        while stack:
            stmt = stack.pop()
            yield stmt
            stack.extend(reversed(list(stmt.children())))


def build(module: ModuleContext) -> ModuleIR:
    """The module's IR, built once per module however many rules ask for it."""
    return module.derived(_build)


def _build(module: ModuleContext) -> ModuleIR:
    builder = _Builder(module)
    body = tuple(builder.stmt(node) for node in module.tree.body)
    return ModuleIR(module.path, module.text, body, tuple(module.lines.starts))


_TENSOR_SHAPE_METHODS = {"get_shape"}
_SIMPLE_KINDS = {
    gast.Assign: "assign",
    gast.AugAssign: "augassign",
    gast.AnnAssign: "annassign",
    gast.Expr: "expr",
    gast.Return: "return",
    gast.Pass: "pass",
}


class _Builder:
    def __init__(self, module: ModuleContext) -> None:
        self.module = module
        self.next_id = 0
        # Expressions nest; each node is described once (keyed by node identity), and what a node reads
        # is composed from its children's, so deep nesting stays linear.
        self._exprs: dict[int, Expr] = {}
        self._calls: dict[int, Call] = {}
        self._reads: dict[int, _Reads] = {}

    # statements -------------------------------------------------------------------------------
    def stmt(self, node: gast.stmt) -> Stmt:
        self.next_id += 1
        sid = self.next_id
        start, end = self.module.span(node)
        line = node.lineno
        if isinstance(node, (gast.FunctionDef, gast.AsyncFunctionDef, gast.ClassDef)) and node.decorator_list:
            first = min(d.lineno for d in node.decorator_list)
            line = first
            start = self.module.lines.starts[first - 1] + len(_indent(self.module.lines.line_text(first)))
        indent = _indent(self.module.lines.line_text(line))
        common = dict(id=sid, start=start, end=end, line=line, end_line=node.end_lineno, indent=indent)
        kind = _SIMPLE_KINDS.get(type(node))
        if kind:
            skeleton, order = _skeleton(node)
            common.update(skeleton=skeleton, name_order=order)
            return self._simple(node, kind, common)
        if isinstance(node, (gast.With, gast.AsyncWith)):
            items = tuple(
                WithItem(self.expr(item.context_expr), _store_name(item.optional_vars)) for item in node.items
            )
            targets = tuple(i.as_name for i in items if i.as_name)
            exprs = tuple(i.expr for i in items)
            return Stmt(kind="with", targets=targets, exprs=exprs, with_items=items, body=self.block(node.body), **common)
        if isinstance(node, (gast.For, gast.AsyncFor)):
            target, iter_ = self.expr(node.target), self.expr(node.iter)
            return Stmt(
                kind="for", targets=_stored_names(node.target), for_target=target, iter=iter_, exprs=(iter_,),
                body=self.block(node.body), orelse=self.block(node.orelse), **common,
            )
        if isinstance(node, (gast.While, gast.If)):
            test = self.expr(node.test)
            kind = "while" if isinstance(node, gast.While) else "if"
            return Stmt(kind=kind, test=test, exprs=(test,), body=self.block(node.body), orelse=self.block(node.orelse), **common)
        if isinstance(node, (gast.FunctionDef, gast.AsyncFunctionDef)):
            defaults = tuple(self.expr(d) for d in node.decorator_list)
            return Stmt(
                kind="def", name=node.name, targets=(node.name,), params=self.params(node.args), exprs=defaults,
                body=self.block(node.body), **common,
            )
        if isinstance(node, gast.ClassDef):
            bases = tuple(self.expr(b) for b in [*node.bases, *node.decorator_list])
            return Stmt(kind="class", name=node.name, targets=(node.name,), exprs=bases, body=self.block(node.body), **common)
        if isinstance(node, gast.Try):
            handlers = tuple(self.block(h.body) for h in node.handlers)
            return Stmt(
                kind="try", body=self.block(node.body), orelse=self.block(node.orelse), handlers=handlers,
                finalbody=self.block(node.finalbody), **common,
            )
        if isinstance(node, (gast.Import, gast.ImportFrom)):
            names = tuple((a.asname or a.name).split(".")[0] for a in node.names if a.name != "*")
            return Stmt(kind="import", targets=names, **common)
        exprs = tuple(self.expr(child) for child in gast.iter_child_nodes(node) if isinstance(child, gast.expr))
        return Stmt(kind="other", exprs=exprs, **common)

    def _simple(self, node: gast.stmt, kind: str, common: dict) -> Stmt:
        value = self.expr(node.value) if getattr(node, "value", None) is not None else None
        target_nodes = list(getattr(node, "targets", None) or ([node.target] if hasattr(node, "target") else []))
        target_exprs = tuple(self.expr(t) for t in target_nodes)
        targets = tuple(n for t in target_nodes for n in _stored_names(t))
        exprs = tuple(e for e in (*target_exprs, value) if e is not None)
        is_docstring = kind == "expr" and isinstance(node.value, gast.Constant) and isinstance(node.value.value, str)
        return Stmt(
            kind=kind, targets=targets, target_exprs=target_exprs, value=value, exprs=exprs, is_docstring=is_docstring,
            **common,
        )

    def block(self, nodes: list) -> tuple[Stmt, ...]:
        return tuple(self.stmt(n) for n in nodes)

    def params(self, args: gast.arguments) -> tuple[Param, ...]:
        out: list[Param] = []
        positional = list(getattr(args, "posonlyargs", []) or []) + list(args.args)
        defaults = [None] * (len(positional) - len(args.defaults)) + list(args.defaults)
        for arg, default in zip(positional, defaults):
            out.append(Param(arg.id, "positional", self.expr(default) if default is not None else None, len(out)))
        if args.vararg is not None:
            out.append(Param(args.vararg.id, "var_positional", None, len(out)))
        for arg, default in zip(args.kwonlyargs, args.kw_defaults):
            out.append(Param(arg.id, "keyword_only", self.expr(default) if default is not None else None, len(out)))
        if args.kwarg is not None:
            out.append(Param(args.kwarg.id, "var_keyword", None, len(out)))
        return tuple(out)

    # expressions ------------------------------------------------------------------------------
    def expr(self, node: gast.expr) -> Expr:
        cached = self._exprs.get(id(node))
        if cached is None:
            cached = self._exprs[id(node)] = self._expr(node)
        return cached

    def _expr(self, node: gast.expr) -> Expr:
        start, end = self.module.span(node)
        reads = self.reads(node)
        return Expr(
            start=start,
            end=end,
            text=self.module.text[start:end],
            kind=_expr_kind(node),
            name=node.id if isinstance(node, gast.Name) else None,
            tf_name=tf1_api_name(self.module.imports.qualified_name(node))
            if isinstance(node, (gast.Name, gast.Attribute)) else None,
            names=reads.names,
            literal=_literal(node),
            calls=reads.calls,
            attr_reads=reads.attr_reads,
            called_names=reads.called_names,
            shape_reads=reads.shape_reads,
            dimension_values=reads.dimension_values,
            static=_static(node),
            dict_items=self._dict_items(node),
            subscript=_subscript(node),
            comprehension=self._comprehension(node),
        )

    def _comprehension(self, node: gast.expr) -> Optional[Comprehension]:
        if not isinstance(node, gast.ListComp) or len(node.generators) != 1:
            return None
        generator = node.generators[0]
        if not isinstance(generator.target, gast.Name) or getattr(generator, "is_async", 0):
            return None
        target = generator.target.id
        predicate = ("and", tuple(_predicate(c, target) for c in generator.ifs)) if generator.ifs else ("true",)
        return Comprehension(
            element=self.expr(node.elt),
            target=target,
            iterable=self.expr(generator.iter),
            conditions=tuple(self.expr(c) for c in generator.ifs),
            predicate=predicate,
        )

    def _dict_items(self, node: gast.expr) -> tuple:
        if not isinstance(node, gast.Dict) or any(k is None for k in node.keys):
            return ()
        items = []
        for key, value in zip(node.keys, node.values):
            literal = _literal(key)
            if literal is MISSING:
                return ()
            items.append((literal, self.expr(value)))
        return tuple(items)

    def reads(self, node: gast.AST) -> "_Reads":
        cached = self._reads.get(id(node))
        if cached is None:
            cached = self._reads[id(node)] = _collect_reads(self, node)
        return cached

    def call(self, node: gast.Call) -> Call:
        cached = self._calls.get(id(node))
        if cached is None:
            cached = self._calls[id(node)] = self._call(node)
        return cached

    def _call(self, node: gast.Call) -> Call:
        start, end = self.module.span(node)
        args: list[Arg] = []
        for arg in node.args:
            star = isinstance(arg, gast.Starred)
            inner = arg.value if star else arg
            a_start, a_end = self.module.span(arg)
            args.append(Arg(None, self.expr(inner), "*" if star else "", a_start, a_end))
        for keyword in node.keywords:
            value = self.expr(keyword.value)
            k_start = self._keyword_start(keyword, value.start)
            args.append(Arg(keyword.arg, value, "" if keyword.arg else "**", k_start, value.end))
        qualified = self.module.imports.qualified_name(node.func)
        method_of = method = None
        if isinstance(node.func, gast.Attribute):
            method = node.func.attr
            if isinstance(node.func.value, gast.Name):
                method_of = node.func.value.id
        return Call(
            start=start,
            end=end,
            func=self.expr(node.func),
            callee=node.func.id if isinstance(node.func, gast.Name) else None,
            qualified=qualified,
            tf_name=tf1_api_name(qualified),
            args=tuple(args),
            method_of=method_of,
            method=method,
        )

    def _keyword_start(self, keyword: gast.keyword, value_start: int) -> int:
        if getattr(keyword, "lineno", None) is not None:
            return self.module.lines.offset(keyword.lineno, keyword.col_offset)
        # Older interpreters give keywords no position: find ``name=`` before the value.
        text = self.module.text
        index = text.rfind(keyword.arg or "**", 0, value_start)
        return index if index >= 0 else value_start


@dataclasses.dataclass(frozen=True)
class _Reads:
    """What one expression reads: free names, calls, attribute reads and shape reads, in source order."""

    names: tuple[NameRef, ...] = ()
    calls: tuple[Call, ...] = ()
    attr_reads: tuple[tuple[str, str], ...] = ()
    called_names: tuple[str, ...] = ()
    shape_reads: tuple[ShapeRead, ...] = ()
    dimension_values: tuple[tuple[int, int], ...] = ()


_NOTHING_READ = _Reads()
# Nodes without children that matter: contexts, operators and constants read nothing.
_READS_NOTHING = (gast.expr_context, gast.operator, gast.boolop, gast.unaryop, gast.cmpop, gast.Constant)
_SCOPES = (gast.Lambda, gast.ListComp, gast.SetComp, gast.DictComp, gast.GeneratorExp)


class _ReadsJoiner:
    """Joins a node's own reads with its children's, which the builder has already collected."""

    def __init__(self) -> None:
        self.names: list[NameRef] = []
        self.calls: list[Call] = []
        self.attr_reads: list[tuple[str, str]] = []
        self.called_names: list[str] = []
        self.shape_reads: list[ShapeRead] = []
        self.dimension_values: list[tuple[int, int]] = []

    def add(self, reads: _Reads, bound: frozenset[str] = frozenset()) -> None:
        """Add a child's reads; names in ``bound`` are the scope's own (a lambda's or comprehension's)."""
        if reads is _NOTHING_READ:
            return
        if bound:
            self.names.extend(n for n in reads.names if n.name not in bound)
            self.shape_reads.extend(r for r in reads.shape_reads if r.name not in bound)
        else:
            self.names.extend(reads.names)
            self.shape_reads.extend(reads.shape_reads)
        self.calls.extend(reads.calls)
        self.attr_reads.extend(reads.attr_reads)
        self.called_names.extend(reads.called_names)
        self.dimension_values.extend(reads.dimension_values)

    def result(self) -> _Reads:
        if not (self.names or self.calls or self.attr_reads or self.shape_reads or self.dimension_values):
            return _NOTHING_READ  # called names come only with calls
        return _Reads(
            tuple(self.names), tuple(self.calls), tuple(self.attr_reads), tuple(self.called_names),
            tuple(self.shape_reads), tuple(self.dimension_values),
        )


def _collect_reads(builder: _Builder, node: gast.AST) -> _Reads:
    """The reads of ``node``: its own, then its children's in order (a pre-order walk of the expression)."""
    if isinstance(node, _SCOPES):
        return _collect_scoped_reads(builder, node)
    module = builder.module
    if isinstance(node, gast.Name):
        start, end = module.span(node)
        return _Reads(names=(NameRef(node.id, start, end, store=isinstance(node.ctx, gast.Store)),))
    joined = _ReadsJoiner()
    if isinstance(node, gast.Call):
        joined.calls.append(builder.call(node))
        if isinstance(node.func, gast.Name):
            joined.called_names.append(node.func.id)
    if isinstance(node, gast.Attribute) and isinstance(node.value, gast.Name):
        joined.attr_reads.append((node.value.id, node.attr))
    read = _shape_read(module, node)
    if read:
        joined.shape_reads.append(read)
    if isinstance(node, gast.Attribute) and node.attr == "value" and _is_dimension(node.value):
        value_end = module.span(node)[1]
        joined.dimension_values.append((module.span(node.value)[1], value_end))
    for child in gast.iter_child_nodes(node):
        if not isinstance(child, _READS_NOTHING):
            joined.add(builder.reads(child))
    return joined.result()


def _collect_scoped_reads(builder: _Builder, node: gast.AST) -> _Reads:
    """A lambda or comprehension: the names it binds are not free inside it (its defaults and first
    iterable excepted, as the collector of one expression has always treated them)."""
    names: set[str] = set()
    if isinstance(node, gast.Lambda):
        names.update(a.id for a in node.args.args + node.args.kwonlyargs)
        if node.args.vararg is not None:
            names.add(node.args.vararg.id)
        if node.args.kwarg is not None:
            names.add(node.args.kwarg.id)
    else:
        for generator in node.generators:
            names.update(_stored_names(generator.target))
    bound = frozenset(names)
    joined = _ReadsJoiner()
    # The first iterable is evaluated outside the comprehension's scope.
    if not isinstance(node, gast.Lambda):
        joined.add(builder.reads(node.generators[0].iter))
    for child in gast.iter_child_nodes(node):
        if not isinstance(node, gast.Lambda) and child is node.generators[0]:
            for sub in gast.iter_child_nodes(child):
                if sub is not child.iter:
                    joined.add(builder.reads(sub), bound)
            continue
        if isinstance(child, gast.arguments):
            for default in [*child.defaults, *[d for d in child.kw_defaults if d is not None]]:
                joined.add(builder.reads(default), bound)
            continue
        joined.add(builder.reads(child), bound)
    return joined.result()


def _shape_read(module: ModuleContext, node: gast.AST) -> Optional[ShapeRead]:
    target = None
    if isinstance(node, gast.Call) and not node.args and isinstance(node.func, gast.Attribute):
        if node.func.attr in _TENSOR_SHAPE_METHODS and isinstance(node.func.value, gast.Name):
            target = node.func.value.id
    elif isinstance(node, gast.Attribute) and node.attr == "shape" and isinstance(node.value, gast.Name):
        target = node.value.id
    elif isinstance(node, gast.Call) and len(node.args) == 1 and isinstance(node.args[0], gast.Name):
        if tf1_api_name(module.imports.qualified_name(node.func)) == "tf.shape":
            target = node.args[0].id
    if target is None:
        return None
    start, end = module.span(node)
    return ShapeRead(target, start, end)


def _is_dimension(node: gast.AST) -> bool:
    """``x.get_shape()[i]`` / ``x.shape[i]`` (a TF1 Dimension, whose ``.value`` TF2 drops)."""
    if not isinstance(node, gast.Subscript):
        return False
    base = node.value
    if isinstance(base, gast.Call) and isinstance(base.func, gast.Attribute):
        return base.func.attr in _TENSOR_SHAPE_METHODS
    return isinstance(base, gast.Attribute) and base.attr == "shape"


def _indent(line: str) -> str:
    return line[: len(line) - len(line.lstrip(" \t"))]


def _store_name(node: Optional[gast.AST]) -> Optional[str]:
    return node.id if isinstance(node, gast.Name) else None


def _stored_names(node: gast.AST) -> tuple[str, ...]:
    if isinstance(node, gast.Name):
        return (node.id,)
    if isinstance(node, (gast.Tuple, gast.List)):
        return tuple(n for elt in node.elts for n in _stored_names(elt))
    if isinstance(node, gast.Starred):
        return _stored_names(node.value)
    return ()


def _expr_kind(node: gast.expr) -> str:
    return {
        gast.Name: "name",
        gast.Constant: "constant",
        gast.Call: "call",
        gast.Attribute: "attribute",
        gast.Subscript: "subscript",
        gast.List: "list",
        gast.Tuple: "tuple",
        gast.Dict: "dict",
    }.get(type(node), "other")


_LITERAL_SEQUENCES = {gast.Tuple: tuple, gast.List: list, gast.Set: set}


def _literal(node: gast.expr) -> Any:
    """The value of a literal expression, as ``ast.literal_eval`` gives it, or MISSING.

    Evaluated on the gast nodes directly: converting back to ``ast`` for every check dominated the
    conversion time of large files.
    """
    if isinstance(node, gast.Constant):
        return node.value
    make = _LITERAL_SEQUENCES.get(type(node))
    if make is not None:
        return _literal_collection(make, [_literal(element) for element in node.elts])
    if isinstance(node, gast.Dict):
        if any(key is None for key in node.keys):
            return MISSING
        pairs = [(_literal(key), _literal(value)) for key, value in zip(node.keys, node.values)]
        return _literal_collection(dict, pairs, flat=[item for pair in pairs for item in pair])
    if isinstance(node, gast.UnaryOp) and isinstance(node.op, (gast.USub, gast.UAdd)):
        operand = _literal(node.operand)
        if isinstance(operand, (int, float, complex)) and not isinstance(operand, bool):
            return -operand if isinstance(node.op, gast.USub) else operand
    return MISSING


def _literal_collection(make, items: list, flat: Optional[list] = None) -> Any:
    if any(item is MISSING for item in (items if flat is None else flat)):
        return MISSING
    try:
        return make(items)
    except TypeError:  # an unhashable set element or dict key
        return MISSING


def _subscript(node: gast.expr) -> Optional[tuple[str, Any]]:
    if isinstance(node, gast.Subscript) and isinstance(node.value, gast.Name):
        key = _literal(node.slice)
        if key is not MISSING:
            return (node.value.id, key)
    return None


def _static(node: gast.AST) -> StaticStr:
    if isinstance(node, gast.Constant) and isinstance(node.value, (str, int)) and not isinstance(node.value, bool):
        return ("const", node.value)
    if isinstance(node, gast.Constant) and node.value is None:
        return ("const", None)
    if isinstance(node, gast.Name):
        return ("name", node.id)
    if isinstance(node, gast.Attribute) and isinstance(node.value, gast.Name):
        return ("attr", node.value.id, node.attr)
    if isinstance(node, gast.BoolOp) and isinstance(node.op, gast.Or) and len(node.values) == 2:
        return ("or", _static(node.values[0]), _static(node.values[1]))
    if isinstance(node, gast.BinOp) and isinstance(node.op, gast.Mod) and isinstance(node.left, gast.Constant):
        args = node.right.elts if isinstance(node.right, gast.Tuple) else [node.right]
        return ("percent", node.left.value, tuple(_static(a) for a in args))
    if isinstance(node, gast.BinOp) and isinstance(node.op, gast.Add):
        return ("concat", _static(node.left), _static(node.right))
    if isinstance(node, gast.JoinedStr):
        parts = []
        for value in node.values:
            if isinstance(value, gast.Constant):
                parts.append(("const", value.value))
            elif isinstance(value, gast.FormattedValue) and value.format_spec is None and value.conversion in (-1, None):
                parts.append(("str", _static(value.value)))
            else:
                return ("unknown",)
        return ("fstring", tuple(parts))
    if isinstance(node, gast.Call) and isinstance(node.func, gast.Attribute) and node.func.attr == "format":
        if isinstance(node.func.value, gast.Constant) and not node.keywords:
            return ("format", node.func.value.value, tuple(_static(a) for a in node.args))
    if isinstance(node, gast.Call) and isinstance(node.func, gast.Name) and node.func.id == "str" and len(node.args) == 1:
        return ("str", _static(node.args[0]))
    return ("unknown",)


def _predicate(node: gast.AST, target: str) -> tuple:
    """A condition on ``target.name`` as data: ("contains", "d_"), ("startswith", "g_"), ("not", p), ...

    Only tests of the variable's name are described; anything else is ("unknown",).
    """
    if isinstance(node, gast.BoolOp):
        kind = "and" if isinstance(node.op, gast.And) else "or"
        return (kind, tuple(_predicate(v, target) for v in node.values))
    if isinstance(node, gast.UnaryOp) and isinstance(node.op, gast.Not):
        return ("not", _predicate(node.operand, target))
    if isinstance(node, gast.Compare) and len(node.ops) == 1 and _is_name_of(node.comparators[0], target):
        left = node.left
        if isinstance(left, gast.Constant) and isinstance(left.value, str) and isinstance(node.ops[0], (gast.In, gast.NotIn)):
            found = ("contains", left.value)
            return found if isinstance(node.ops[0], gast.In) else ("not", found)
    if isinstance(node, gast.Call) and isinstance(node.func, gast.Attribute) and _is_name_of(node.func.value, target):
        if node.func.attr in ("startswith", "endswith") and len(node.args) == 1 and not node.keywords:
            argument = node.args[0]
            if isinstance(argument, gast.Constant) and isinstance(argument.value, str):
                return (node.func.attr, argument.value)
    return ("unknown",)


def _is_name_of(node: gast.AST, target: str) -> bool:
    """``v.name`` or ``v.op.name`` for the comprehension variable ``v``."""
    if not isinstance(node, gast.Attribute) or node.attr != "name":
        return False
    base = node.value
    if isinstance(base, gast.Attribute) and base.attr == "op":
        base = base.value
    return isinstance(base, gast.Name) and base.id == target


def _skeleton(node: gast.AST) -> tuple[str, tuple[str, ...]]:
    """The node's structure with every name blanked out, and the names in the same order.

    Two statements with equal skeletons compute the same thing up to a renaming of their names.
    """
    parts: list[str] = []
    order: list[str] = []
    _dump(node, parts, order)
    return "".join(parts), tuple(order)


_SKELETON_OMITS = ("type_comment", "annotation", "kind")
_SKELETON_FIELDS: dict[type, tuple[str, ...]] = {}


def _dump(value: Any, parts: list[str], order: list[str]) -> None:
    if isinstance(value, gast.Name):
        order.append(value.id)
        parts.append(f"Name(?,{type(value.ctx).__name__})")
    elif isinstance(value, gast.AST):
        kind = type(value)
        fields = _SKELETON_FIELDS.get(kind)
        if fields is None:
            fields = _SKELETON_FIELDS[kind] = tuple(f for f in kind._fields if f not in _SKELETON_OMITS)
        parts.append(kind.__name__ + "(")
        for index, field in enumerate(fields):
            if index:
                parts.append(",")
            _dump(getattr(value, field), parts, order)
        parts.append(")")
    elif isinstance(value, list):
        parts.append("[")
        for index, element in enumerate(value):
            if index:
                parts.append(",")
            _dump(element, parts, order)
        parts.append("]")
    else:
        parts.append(repr(value))
