"""Model classes: a graph built in ``__init__`` into attributes of ``self``, run by other methods through a
session the object holds (``self.sess.run(self.loss, feed_dict={self.x: bx})``).

This module describes such a class as plain data, keyed by character offsets: the statements of
``__init__`` classified by what they do (placeholder, tensor, train op, optimizer, session, initializer
run, state, anything else), the graph names each tensor statement reads (``self.pred`` for an attribute,
``w`` for a local of ``__init__``) with their spans, and every session site of the other methods with its
fetches and feeds. What the conversion does not follow is a ``problem`` with its position and reason;
``tf1to2.rules.sessions.class_plan`` converts a class only when it has none (``class_emit`` writes it).
"""
from __future__ import annotations

import ast
import dataclasses
from typing import Iterator, Optional

import gast

from tf1to2.analysis.graph.apis import (
    DECAYS, FILE_WRITER, GRAPH_ONLY, INITIALIZERS, SAVER, SESSIONS, VARIABLE_LISTS, api_of, creates_state,
    is_optimizer_api,
)
from tf1to2.analysis.module import ModuleContext

SELF = "self"
# Graph machinery a statement kept in __init__ cannot hold in eager code (a Saver needs a var_list there),
# and learning-rate decays (a Keras schedule would need the optimizer's iterations; not written for classes).
GRAPH_ONLY_IN_INIT = (SAVER, FILE_WRITER, "tf.summary.", "tf.get_default_graph", *VARIABLE_LISTS, *GRAPH_ONLY,
                      *DECAYS)


@dataclasses.dataclass(frozen=True)
class Reference:
    """A graph name read (or bound) in the source: ``self.x`` (key ``self.x``) or ``w`` (key ``w``)."""

    start: int
    end: int
    key: str


@dataclasses.dataclass(frozen=True)
class InitStatement:
    kind: str  # placeholder, tensor, train, optimizer, session, initializer, state, other
    line: int
    col: int
    start: int  # the statement's first character
    end: int  # after its last character
    binds: tuple[str, ...]  # keys
    reads: tuple[str, ...]  # graph keys read (placeholders, tensors, locals of __init__)
    references: tuple[Reference, ...]  # every read and binding of a key, for renaming
    value_start: int = 0  # the assigned value (tensor statements: the text after ``=``)
    value_end: int = 0
    dedent: str = ""  # the indentation of the ``with graph.as_default():`` blocks around it, which go
    names: tuple[str, ...] = ()  # every name it loads (a module, a builtin...), which a moved copy must not shadow


@dataclasses.dataclass(frozen=True)
class ClassPlaceholder:
    key: str
    dtype: str
    shape: Optional[str]


@dataclasses.dataclass(frozen=True)
class ClassTrainOp:
    key: str  # self.train_op
    loss: str  # key of the loss
    statement: int  # index of its statement
    optimizer_api: str
    optimizer_args: tuple[tuple[Optional[str], str], ...]
    optimizer_statement: Optional[int]  # ``opt = tf.train.AdamOptimizer(lr)`` written on its own


@dataclasses.dataclass(frozen=True)
class ClassSite:
    line: int
    col: int
    start: int
    end: int
    method: str
    fetch_text: str
    fetch_start: int
    fetch_references: tuple[Reference, ...]
    structure: str
    feeds: tuple[tuple[str, str], ...]  # (placeholder key, value text)


@dataclasses.dataclass(frozen=True)
class SaverCall:
    """``self.saver.save(self.sess, path, global_step=step)`` or ``self.saver.restore(self.sess, path)``."""

    line: int
    col: int
    start: int
    end: int
    method: str  # save or restore
    path: str
    step: Optional[str]


@dataclasses.dataclass(frozen=True)
class Body:
    """The statements of ``__init__`` or of a method it calls to build the graph (``self.build_model()``),
    after the docstring: ``start`` is the start of the first statement's line, ``end`` the end of the last's."""

    method: str
    start: int
    end: int
    indent: str


@dataclasses.dataclass(frozen=True)
class ModelClass:
    name: str
    line: int
    start: int
    end: int
    bases: tuple[str, ...]
    header_insert: int  # after the class name (no bases) or the span of the bases' parentheses content
    bases_span: Optional[tuple[int, int]]
    init_line: int
    init_end: int  # end of __init__'s last line
    super_insert: int  # start of the line where super().__init__() goes
    body_indent: str
    method_indent: str
    session: str  # the attribute holding the session
    statements: tuple[InitStatement, ...]
    placeholders: tuple[ClassPlaceholder, ...]
    trains: tuple[ClassTrainOp, ...]
    sites: tuple[ClassSite, ...]
    saver: Optional[str]  # the attribute holding a tf.train.Saver made in __init__
    max_to_keep: str
    saver_calls: tuple[SaverCall, ...]
    runs: tuple[tuple[int, int], ...]  # every self.<session>.run(...) call of the methods, converted or not
    closes: tuple[tuple[int, int, bool], ...]  # line spans of self.sess.close() and whether alone in its body
    method_names: frozenset[str]
    bodies: tuple[Body, ...]
    attributes: frozenset[str]  # every self.<attr> the class mentions
    problems: tuple[tuple[int, int, str], ...]

    def placeholder(self, key: str) -> Optional[ClassPlaceholder]:
        return next((p for p in self.placeholders if p.key == key), None)


def model_classes(module: ModuleContext) -> Iterator[ModelClass]:
    """Every class whose ``__init__`` creates a session into an attribute."""
    for node in module.nodes:
        if not isinstance(node, gast.ClassDef):
            continue
        init = next((n for n in node.body if isinstance(n, gast.FunctionDef) and n.name == "__init__"), None)
        if init is None:
            continue
        session = _session_attribute(module, init)
        if session is None:
            continue
        yield _Reader(module, node, init, session).read()


def _self_attribute(node: gast.AST) -> Optional[str]:
    if isinstance(node, gast.Attribute) and isinstance(node.value, gast.Name) and node.value.id == SELF:
        return node.attr
    return None


def _session_attribute(module: ModuleContext, init: gast.FunctionDef) -> Optional[str]:
    for node in gast.walk(init):
        if (isinstance(node, gast.Assign) and len(node.targets) == 1 and isinstance(node.value, gast.Call)
                and api_of(module, node.value.func) in SESSIONS):
            return _self_attribute(node.targets[0])
    return None


class _Reader:
    def __init__(self, module: ModuleContext, node: gast.ClassDef, init: gast.FunctionDef, session: str) -> None:
        self.module = module
        self.node = node
        self.init = init
        self.session = session
        self.problems: list[tuple[int, int, str]] = []
        self.statements: list[InitStatement] = []
        self.placeholders: list[ClassPlaceholder] = []
        self.trains: list[ClassTrainOp] = []
        self.graph: set[str] = set()  # placeholder and tensor keys
        self.locals: set[str] = set()  # locals of __init__ bound by kept statements
        self.optimizers: dict[str, int] = {}  # key → statement index
        self.runs: list[tuple[int, int]] = []
        self.bodies: list[Body] = []
        self.initializers: set[str] = set()
        self.graphs: set[str] = set()  # attributes bound to tf.Graph()
        self.saver: Optional[str] = None
        self.max_to_keep = "5"
        self.saver_calls: list[SaverCall] = []
        self.dedent = ""  # locals bound to tf.global_variables_initializer()
        self.builders: set[str] = set()
        self.optimizer_calls: dict[int, gast.Call] = {}
        self.parameters = {a.id for a in init.args.args + init.args.kwonlyargs} - {SELF}

    def _problem(self, node: gast.AST, reason: str) -> None:
        line, col = self.module.position(node)
        self.problems.append((line, col, reason))

    def read(self) -> ModelClass:
        module, node, init = self.module, self.node, self.init
        if self.init.args.args[:1] and self.init.args.args[0].id != SELF:
            self._problem(init, "__init__'s first parameter is not named self")
        self._body(init)
        sites, closes = self._sites()
        for graph in self.graphs:
            uses = [n for n in gast.walk(node) if _self_attribute(n) == graph]
            expected = 1 + sum(1 for s in self.statements if s.kind == "wrapper") + sum(
                1 for n in gast.walk(init) if isinstance(n, gast.keyword) and n.arg == "graph"
                and _self_attribute(n.value) == graph)
            if len(uses) > expected:
                self._problem(uses[-1], f"self.{graph} (the tf.Graph of __init__) is used for more than building "
                                        "the graph and its session")
        lines = module.lines
        body = _body_without_docstring(init.body)
        first = body[0] if body else init.body[-1]
        after_doc = lines.starts[first.lineno - 1] if body else lines.starts[init.body[-1].end_lineno]
        bases_span = None
        if node.bases:
            bases_span = (module.span(node.bases[0])[0], module.span(node.bases[-1])[1])
        header = lines.starts[node.lineno - 1] + lines.text[lines.starts[node.lineno - 1]:].index(node.name) \
            + len(node.name)
        return ModelClass(
            name=node.name, line=node.lineno, start=lines.starts[node.lineno - 1],
            end=lines.starts[node.end_lineno] if node.end_lineno < len(lines.starts) else len(lines.text),
            bases=tuple(module.snippet(b) for b in node.bases), header_insert=header, bases_span=bases_span,
            init_line=init.lineno,
            init_end=lines.starts[init.end_lineno] if init.end_lineno < len(lines.starts) else len(lines.text),
            super_insert=after_doc, body_indent=_indent(lines.text, lines.starts[first.lineno - 1]),
            method_indent=_indent(lines.text, lines.starts[init.lineno - 1]), session=self.session,
            statements=tuple(self.statements), placeholders=tuple(self.placeholders), trains=tuple(self.trains),
            sites=tuple(sites), runs=tuple(self.runs), closes=tuple(closes), saver=self.saver,
            max_to_keep=self.max_to_keep, saver_calls=tuple(self.saver_calls),
            method_names=frozenset(n.name for n in node.body if isinstance(n, gast.FunctionDef)),
            bodies=tuple(self.bodies),
            attributes=frozenset(a for a in (_self_attribute(n) for n in gast.walk(node)) if a),
            problems=tuple(self.problems),
        )

    # __init__ ---------------------------------------------------------------------------------------

    def _body(self, method: gast.FunctionDef) -> None:
        lines = self.module.lines
        body = _body_without_docstring(method.body)
        if body:
            start, end = lines.starts[body[0].lineno - 1], _line_end(lines, body[-1].end_lineno)
            indent = _indent(lines.text, start)
        else:
            start = end = _line_end(lines, method.body[-1].end_lineno)
            indent = _indent(lines.text, lines.starts[method.body[-1].lineno - 1])
        self.bodies.append(Body(method.name, start, end, indent))
        self.parameters.update(a.id for a in method.args.args + method.args.kwonlyargs if a.id != SELF)
        outer, self.dedent = self.dedent, ""  # a method's statements are not inside the block that calls it
        self._statements(body)
        self.dedent = outer

    def _statements(self, body: list) -> None:
        for statement in body:
            if self._graph_context(statement):
                start = self.module.span(statement)[0]
                lines = self.module.lines
                line, col = self.module.position(statement)
                header_end = lines.starts[statement.body[0].lineno - 1] - 1
                self.statements.append(InitStatement("wrapper", line, col, start, header_end, (), (), (),
                                                     dedent=self.dedent))
                outer = self.dedent
                inner = _indent(lines.text, lines.starts[statement.body[0].lineno - 1])
                self.dedent = outer + inner[len(_indent(lines.text, lines.starts[line - 1])):]
                self._statements(statement.body)
                self.dedent = outer
                continue
            builder = self._builder(statement)
            if builder is not None:
                self._record(statement, "other")
                self.builders.add(builder.name)
                self._body(builder)
                continue
            self._statement(statement)

    def _graph_context(self, statement: gast.stmt) -> bool:
        """``with self.graph.as_default():`` around graph code, ``self.graph`` a ``tf.Graph()`` of __init__."""
        if not (isinstance(statement, gast.With) and len(statement.items) == 1
                and statement.items[0].optional_vars is None):
            return False
        expr = statement.items[0].context_expr
        return (isinstance(expr, gast.Call) and not expr.args and isinstance(expr.func, gast.Attribute)
                and expr.func.attr == "as_default" and _self_attribute(expr.func.value) in self.graphs
                and statement.body[0].lineno > statement.lineno)

    def _builder(self, statement: gast.stmt) -> Optional[gast.FunctionDef]:
        """A method called alone as ``self.build_model()`` that makes placeholders: part of the graph."""
        if not (isinstance(statement, gast.Expr) and isinstance(statement.value, gast.Call)):
            return None
        name = _self_attribute(statement.value.func)
        method = next((n for n in self.node.body if isinstance(n, gast.FunctionDef) and n.name == name
                       and n is not self.init), None)
        if method is None or not any(isinstance(c, gast.Call) and api_of(self.module, c.func) == "tf.placeholder"
                                     for c in gast.walk(method)):
            return None
        calls = [c for c in gast.walk(self.node) if isinstance(c, gast.Call) and _self_attribute(c.func) == name]
        if len(calls) > 1 or method.name in self.builders:
            self._problem(statement, f"method {name}, which builds the graph, is called more than once")
            return None
        return method

    def _record(self, node: gast.stmt, kind: str, binds: tuple[str, ...] = (), reads: tuple[str, ...] = (),
                references: tuple[Reference, ...] = (), value: Optional[gast.AST] = None) -> None:
        start, end = self.module.span(node)
        value_start, value_end = self.module.span(value) if value is not None else (0, 0)
        line, col = self.module.position(node)
        self.statements.append(InitStatement(kind, line, col, start, end, binds, reads, references,
                                             value_start, value_end, self.dedent,
                                             tuple(dict.fromkeys(_names_read(node)))))

    def _statement(self, node: gast.stmt) -> None:
        module = self.module
        if isinstance(node, (gast.With, gast.If, gast.For, gast.While, gast.Try)):
            if self._mentions_graph(node) or self._calls(node, lambda api: api and api.startswith("tf.")):
                self._problem(node, "a block statement (with, if, for...) in __init__ that builds graph code is "
                                    "not converted")
            self._record(node, "other")
            return
        value = node.value if isinstance(node, (gast.Assign, gast.Expr)) else None
        target = node.targets[0] if isinstance(node, gast.Assign) and len(node.targets) == 1 else None
        if isinstance(node, gast.Expr) and self._is_initializer_run(node.value):
            self._record(node, "initializer")
            return
        if isinstance(value, gast.Call):
            api = api_of(module, value.func)
            if api in INITIALIZERS and isinstance(target, gast.Name):
                self.initializers.add(target.id)
                self._record(node, "initializer", (target.id,))
                return
            if api == SAVER and target is not None and _self_attribute(target) and self.saver is None \
                    and not value.args and all(k.arg == "max_to_keep" for k in value.keywords):
                self.saver = _self_attribute(target)
                self.max_to_keep = next((module.snippet(k.value) for k in value.keywords), "5")
                self._record(node, "saver", (self._key(target) or "",))
                return
            if api == "tf.Graph" and target is not None and _self_attribute(target) and not value.args:
                self.graphs.add(_self_attribute(target))
                self._record(node, "graph", (self._key(target) or "",))
                return
            if api in SESSIONS:
                if value.args or any(k.arg == "target" or (k.arg == "graph" and _self_attribute(k.value)
                                                           not in self.graphs) for k in value.keywords):
                    self._problem(node, f"{module.snippet(value)} names a target or a graph: only a session on the "
                                        "default graph is converted")
                self._record(node, "session", (f"{SELF}.{self.session}",))
                return
            if api == "tf.placeholder":
                self._placeholder(node, target, value)
                return
            if api == "tf.placeholder_with_default":
                self._problem(node, "placeholder_with_default in a class is not converted")
            if is_optimizer_api(api) and target is not None:
                self.optimizers[self._key(target) or ""] = len(self.statements)
                self.optimizer_calls[len(self.statements)] = value
                self._record(node, "optimizer", (self._key(target) or "",))
                return
            if isinstance(value.func, gast.Attribute) and value.func.attr in ("minimize", "apply_gradients",
                                                                             "compute_gradients"):
                self._train(node, target, value)
                return
        if self._mentions_session(node):
            self._problem(node, f"self.{self.session} is used in __init__ for more than running the initializers")
        reads, references = self._reads(node)
        binds = self._binds(target) if target is not None else ()
        if reads:
            parameter = next((k for k in _names_read(node) if k in self.parameters), None)
            if parameter is not None:
                self._problem(node, f"a tensor statement of __init__ reads its parameter {parameter}")
            if target is None or not binds:
                self._problem(node, "a statement of __init__ reads graph tensors but assigns no name or attribute")
            if self._calls(node, creates_state):
                self._problem(node, "a statement of __init__ creates variables while computing from placeholders "
                                    "(it would create new variables at every call)")
            self.graph.update(binds)
            self._record(node, "tensor", binds, reads, references + self._bound_references(target), value)
            return
        graph_only = next((api for api in (api_of(module, c.func) for c in gast.walk(node) if isinstance(c, gast.Call))
                           if api and api.startswith(GRAPH_ONLY_IN_INIT)), None)
        if graph_only is not None:
            self._problem(node, f"{graph_only} in __init__ has no eager counterpart the class conversion writes")
        kind = "state" if self._calls(node, creates_state) else "other"
        self.locals.update(b for b in binds if not b.startswith(f"{SELF}."))
        self._record(node, kind, binds, (), references + self._bound_references(target))

    def _placeholder(self, node: gast.stmt, target: Optional[gast.AST], call: gast.Call) -> None:
        key = self._key(target) if target is not None else None
        if key is None or not key.startswith(f"{SELF}."):
            self._problem(node, "a placeholder not assigned to an attribute of self")
            return
        arguments = dict(zip(("dtype", "shape", "name"), call.args))
        arguments.update({k.arg: k.value for k in call.keywords if k.arg})
        if "dtype" not in arguments:
            self._problem(node, "a placeholder without a dtype")
            return
        shape = arguments.get("shape")
        self.placeholders.append(ClassPlaceholder(key, self.module.snippet(arguments["dtype"]),
                                                  self.module.snippet(shape) if shape is not None else None))
        self.graph.add(key)
        self._record(node, "placeholder", (key,))

    def _train(self, node: gast.stmt, target: Optional[gast.AST], call: gast.Call) -> None:
        key = self._key(target) if target is not None else None
        func = call.func
        if key is None or func.attr != "minimize":
            self._problem(node, f"{func.attr} in a class is not converted (only opt.minimize(loss) assigned to a "
                                "name)")
            return
        if len(call.args) != 1 or call.keywords:
            self._problem(node, "minimize with arguments other than the loss (var_list, global_step...) in a class "
                                "is not converted")
            return
        loss = self._key(call.args[0])
        if loss not in self.graph:
            self._problem(node, "the loss of a train op in a class is not a tensor attribute or local of __init__")
            return
        receiver = func.value
        optimizer_statement = None
        if isinstance(receiver, gast.Call) and is_optimizer_api(api_of(self.module, receiver.func)):
            opt_call = receiver
        elif self._key(receiver) in self.optimizers:
            optimizer_statement = self.optimizers[self._key(receiver) or ""]
            opt_call = self.optimizer_calls[optimizer_statement]
            if any(t.optimizer_statement == optimizer_statement for t in self.trains):
                self._problem(node, "one optimizer shared by several train ops in a class is not converted")
        else:
            self._problem(node, "the optimizer of a train op in a class is not a TF1 optimizer built in __init__")
            return
        arguments = tuple((None, self.module.snippet(a)) for a in opt_call.args) + tuple(
            (k.arg, self.module.snippet(k.value)) for k in opt_call.keywords)
        self.trains.append(ClassTrainOp(key, loss, len(self.statements), api_of(self.module, opt_call.func) or "",
                                        arguments, optimizer_statement))
        self._record(node, "train", (key,), (loss,))

    def _is_initializer_run(self, value: gast.AST) -> bool:
        if not (isinstance(value, gast.Call) and isinstance(value.func, gast.Attribute) and value.func.attr == "run"
                and _self_attribute(value.func.value) == self.session and len(value.args) == 1):
            return False
        argument = value.args[0]
        if isinstance(argument, gast.Name):
            return argument.id in self.initializers
        return isinstance(argument, gast.Call) and api_of(self.module, argument.func) in INITIALIZERS

    def _key(self, node: gast.AST) -> Optional[str]:
        attribute = _self_attribute(node)
        if attribute is not None:
            return f"{SELF}.{attribute}"
        if isinstance(node, gast.Name):
            return node.id
        return None

    def _binds(self, target: gast.AST) -> tuple[str, ...]:
        elements = target.elts if isinstance(target, (gast.Tuple, gast.List)) else [target]
        keys = [self._key(e) for e in elements]
        return tuple(k for k in keys if k) if all(keys) else ()

    def _bound_references(self, target: Optional[gast.AST]) -> tuple[Reference, ...]:
        if target is None:
            return ()
        elements = target.elts if isinstance(target, (gast.Tuple, gast.List)) else [target]
        found = []
        for element in elements:
            key = self._key(element)
            if key:
                found.append(Reference(*self.module.span(element), key))
        return tuple(found)

    def _reads(self, node: gast.stmt) -> tuple[tuple[str, ...], tuple[Reference, ...]]:
        value = node.value if isinstance(node, (gast.Assign, gast.Expr, gast.AugAssign, gast.AnnAssign)) else node
        reads: list[str] = []
        references: list[Reference] = []
        for child in gast.walk(value) if value is not None else ():
            key = None
            if _self_attribute(child) is not None and isinstance(child.ctx, gast.Load):
                key = self._key(child)
            elif isinstance(child, gast.Name) and isinstance(child.ctx, gast.Load):
                key = child.id
            if key is None:
                continue
            if key in self.graph:
                reads.append(key)
            if key in self.graph or key in self.locals:
                references.append(Reference(*self.module.span(child), key))
        return tuple(dict.fromkeys(reads)), tuple(references)

    def _calls(self, node: gast.AST, predicate) -> bool:
        return any(isinstance(c, gast.Call) and predicate(api_of(self.module, c.func)) for c in gast.walk(node))

    def _mentions_graph(self, node: gast.AST) -> bool:
        return any(self._key(c) in self.graph for c in gast.walk(node) if isinstance(c, (gast.Attribute, gast.Name)))

    def _mentions_session(self, node: gast.AST) -> bool:
        return any(_self_attribute(c) == self.session for c in gast.walk(node))

    # other methods ----------------------------------------------------------------------------------

    def _sites(self) -> tuple[list[ClassSite], list[tuple[int, int, bool]]]:
        sites: list[ClassSite] = []
        closes: list[tuple[int, int, bool]] = []
        parents = self.module.parents
        for method in self.node.body:
            if not isinstance(method, gast.FunctionDef) or method is self.init or method.name in self.builders:
                continue
            used: set[int] = set()
            for child in gast.walk(method):
                saver_call = self._saver_call(child) if self.saver else None
                if saver_call is not None:
                    self.saver_calls.append(saver_call)
                    used.update(id(n) for n in gast.walk(child.args[0]))
                    used.add(id(child.func.value))
            for child in gast.walk(method):
                if self.saver and _self_attribute(child) == self.saver and id(child) not in used:
                    self._problem(child, f"self.{self.saver} (a tf.train.Saver) is used in method {method.name} for "
                                         "more than save(self.sess, path) and restore(self.sess, path)")
                if isinstance(child, gast.Call) and api_of(self.module, child.func) == "tf.placeholder":
                    self._problem(child, f"method {method.name} builds graph code too (a placeholder)")
                if not (_self_attribute(child) == self.session and id(child) not in used):
                    continue
                attribute = parents.get(id(child))
                call = parents.get(id(attribute)) if isinstance(attribute, gast.Attribute) else None
                if isinstance(call, gast.Call) and call.func is attribute and attribute.attr == "run":
                    self.runs.append(self.module.span(call))
                    site = self._site(method.name, call)
                    if site is not None:
                        sites.append(site)
                        used.update(id(n) for n in gast.walk(call))
                    continue
                statement = parents.get(id(call)) if isinstance(call, gast.Call) else None
                if isinstance(call, gast.Call) and call.func is attribute and attribute.attr == "close" \
                        and isinstance(statement, gast.Expr):
                    lines = self.module.lines
                    alone = len(method.body) == 1 or (len(method.body) == 2 and _is_docstring(method.body[0]))
                    closes.append((lines.starts[statement.lineno - 1], lines.starts[statement.end_lineno], alone))
                    continue
                self._problem(child, f"self.{self.session} is used in method {method.name} for more than "
                                     "sess.run and close() (passed on, saved...)")
            for child in gast.walk(method):
                key = self._key(child) if isinstance(child, gast.Attribute) else None
                if key in self.graph and id(child) not in used:
                    self._problem(child, f"graph tensor {key} is used in method {method.name} outside sess.run")
                if key in {t.key for t in self.trains} and id(child) not in used:
                    self._problem(child, f"train op {key} is used in method {method.name} outside sess.run")
        return sites, closes

    def _saver_call(self, node: gast.AST) -> Optional[SaverCall]:
        if not (isinstance(node, gast.Call) and isinstance(node.func, gast.Attribute)
                and node.func.attr in ("save", "restore") and _self_attribute(node.func.value) == self.saver
                and node.args and _self_attribute(node.args[0]) == self.session):
            return None
        arguments = dict(zip(("sess", "save_path", "global_step"), node.args))
        arguments.update({k.arg: k.value for k in node.keywords if k.arg})
        allowed = {"sess", "save_path", "global_step"} if node.func.attr == "save" else {"sess", "save_path"}
        if set(arguments) - allowed or "save_path" not in arguments or len(node.args) > len(allowed):
            self._problem(node, f"self.{self.saver}.{node.func.attr} with arguments other than the session, the path "
                                "and the global step")
            return None
        step = arguments.get("global_step")
        line, col = self.module.position(node)
        return SaverCall(line, col, *self.module.span(node), node.func.attr,
                         self.module.snippet(arguments["save_path"]),
                         self.module.snippet(step) if step is not None else None)

    def _site(self, method: str, call: gast.Call) -> Optional[ClassSite]:
        module = self.module
        fetches = call.args[0] if call.args else next((k.value for k in call.keywords if k.arg == "fetches"), None)
        feed = call.args[1] if len(call.args) > 1 else next((k.value for k in call.keywords
                                                             if k.arg == "feed_dict"), None)
        if fetches is None or len(call.args) > 2 or any(k.arg not in ("fetches", "feed_dict") for k in call.keywords):
            self._problem(call, "sess.run with arguments other than fetches and feed_dict (options, run_metadata)")
            return None
        trains = {t.key for t in self.trains}
        references = []
        leaves = 0
        for leaf in _leaves(fetches):
            key = self._key(leaf)
            if key in self.graph or key in trains:
                references.append(Reference(*module.span(leaf), key or ""))
            elif self._computes_from_graph(leaf):  # sess.run(tf.nn.softmax(self.logits)): new ops, same values
                references.extend(self._reads(leaf)[1])
            else:
                self._problem(leaf, f"a fetch that is not a tensor or train op built in __init__: "
                                    f"{module.snippet(leaf)}")
                return None
            leaves += 1
        feeds: list[tuple[str, str]] = []
        if feed is not None:
            if not isinstance(feed, gast.Dict) or None in feed.keys:
                self._problem(feed, "a feed_dict that is not a dict display of placeholders")
                return None
            for key_node, value in zip(feed.keys, feed.values):
                key = self._key(key_node)
                if key is None or self._placeholder_of(key) is None:
                    self._problem(key_node, f"feeding {module.snippet(key_node)}, which is not a placeholder of "
                                            "the class")
                    return None
                feeds.append((key, module.snippet(value)))
        start, end = module.span(call)
        line, col = module.position(call)
        return ClassSite(line, col, start, end, method, module.snippet(fetches), module.span(fetches)[0],
                         tuple(references), _structure(fetches), tuple(feeds))

    def _computes_from_graph(self, node: gast.AST) -> bool:
        """An expression of TF ops over the graph's tensors, creating no variables."""
        reads, references = self._reads(node)
        calls = [c for c in gast.walk(node) if isinstance(c, gast.Call)]
        return bool(reads) and all(r.key in self.graph for r in references) and all(
            (api_of(self.module, c.func) or "").startswith("tf.") and not creates_state(api_of(self.module, c.func))
            for c in calls)

    def _placeholder_of(self, key: str) -> Optional[ClassPlaceholder]:
        return next((p for p in self.placeholders if p.key == key), None)


def _names_read(node: gast.AST) -> list[str]:
    return [n.id for n in gast.walk(node) if isinstance(n, gast.Name) and isinstance(n.ctx, gast.Load)]


def _leaves(node: gast.AST) -> Iterator[gast.AST]:
    if isinstance(node, (gast.List, gast.Tuple)):
        for element in node.elts:
            yield from _leaves(element)
    elif isinstance(node, gast.Dict) and None not in node.keys:
        for value in node.values:
            yield from _leaves(value)
    else:
        yield node


def _structure(node: gast.AST) -> str:
    if isinstance(node, gast.List):
        return f"list[{len(node.elts)}]"
    if isinstance(node, gast.Tuple):
        return f"tuple[{len(node.elts)}]"
    if isinstance(node, gast.Dict):
        keys = []
        for key in node.keys:
            try:
                keys.append(str(ast.literal_eval(gast.gast_to_ast(key))))
            except (ValueError, TypeError):
                keys.append("?")
        return f"dict[{', '.join(keys)}]"
    return "single"


def _is_docstring(node: gast.stmt) -> bool:
    return isinstance(node, gast.Expr) and isinstance(node.value, gast.Constant) and isinstance(node.value.value, str)


def _body_without_docstring(body: list) -> list:
    return body[1:] if body and _is_docstring(body[0]) else list(body)


def _line_end(lines, line: int) -> int:
    return lines.starts[line] if line < len(lines.starts) else len(lines.text)


def _indent(text: str, line_start: int) -> str:
    line = text[line_start:text.find("\n", line_start) if "\n" in text[line_start:] else len(text)]
    return line[: len(line) - len(line.lstrip())]
