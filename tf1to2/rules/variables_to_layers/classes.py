"""Plan a class that holds TF1 variables as attributes: it becomes a Keras Layer subclass in place.

Tutorial models keep their variables on ``self`` and compute with them in methods::

    class LogisticRegression(object):
        def __init__(self, n_in, n_out):
            self.W = tf.Variable(tf.zeros([n_in, n_out]), name="W")
            self.b = tf.Variable(tf.zeros([n_out]), name="b")

        def __call__(self, x):
            return tf.nn.softmax(tf.matmul(x, self.W) + self.b)

The class keeps its name, methods and attributes; it subclasses ``tf.keras.layers.Layer``, its
``__init__`` starts with ``super().__init__()``, each variable becomes ``self.add_weight(...)`` (TF1
defaults explicit), ``variable_scope`` blocks in ``__init__`` are unwrapped (the layer is the scope), and
``__call__`` becomes ``call``. Only classes that build no graph pieces (placeholders, sessions,
optimizers) qualify; graph-building classes are handled by ``blocks``.
"""
from __future__ import annotations

import dataclasses
from typing import Optional

from tf1to2.analysis.syntax import Stmt
from tf1to2.analysis.variables import VariableGraph, VariableSite
from tf1to2.rewrite.edits import Edit
from tf1to2.rewrite.templates import dedent_edits
from tf1to2.rules.variables_to_layers import names
from tf1to2.rules.variables_to_layers.dataflow import Unsupported
from tf1to2.rules.variables_to_layers.weights import WeightSpec, text_of, weight_spec

_SELF_ATTRIBUTE_BASES = ("object",)


@dataclasses.dataclass(frozen=True)
class ClassWeight:
    attr: str  # the attribute the variable was assigned to (``W``, or ``weights['h1']``)
    tf1_name: str  # relative to the layer's scope (``W``)
    spec: WeightSpec


@dataclasses.dataclass(frozen=True)
class ClassUnit:
    name: str
    line: int
    edits: tuple[Edit, ...]
    weights: tuple[ClassWeight, ...]
    scope: Optional[str]  # a literal variable_scope around the variables in __init__
    call_method: Optional[str]  # the method computing with the weights (``call`` after renaming __call__)
    methods: tuple[str, ...]
    scope_param: Optional[str] = None  # the __init__ parameter naming the scope (and now the layer)


def plan_classes(
    graph: VariableGraph, tf: str, creating: set[str], unit: str = "    "
) -> tuple[list[ClassUnit], list[tuple[int, str]]]:
    units, skipped = [], []
    for stmt in graph.module.body:
        if stmt.kind != "class":
            continue
        init = graph.contexts.get(f"{stmt.name}.__init__")
        if init is None or not any(v.location.context == init.name for v in graph.variables):
            continue
        try:
            units.append(_plan_class(graph, stmt, tf, creating, unit))
        except _NotThisKind:
            continue
        except Unsupported as exc:
            skipped.append((stmt.line, str(exc)))
    return units, skipped


def holds_variables(graph: VariableGraph, stmt: Stmt) -> bool:
    """A class whose graph-building methods are left to ``blocks`` (it makes placeholders, sessions...)."""
    return any(m.location.context.startswith(stmt.name + ".") for m in graph.markers)


def _plan_class(graph: VariableGraph, stmt: Stmt, tf: str, creating: set[str], unit: str) -> ClassUnit:
    name = stmt.name
    if holds_variables(graph, stmt):
        raise _NotThisKind()
    if any(b.text not in _SELF_ATTRIBUTE_BASES for b in stmt.exprs):
        raise Unsupported(f"class `{name}` has base classes or decorators; only a plain class becomes a layer")
    methods = [m for m in stmt.body if m.kind == "def"]
    for method in methods:
        context = f"{name}.{method.name}"
        if method.name != "__init__" and any(v.location.context == context for v in graph.variables):
            raise Unsupported(f"`{context}` creates variables outside __init__")
        if any(c.location.context == context and c.call.callee in creating for c in graph.calls):
            raise Unsupported(f"`{context}` calls a variable-creating function")
    init = next(m for m in methods if m.name == "__init__")
    written = {t.text[5:].split(".")[0].split("[")[0] for top in stmt.body for s in _walk(top)
               for t in s.target_exprs if t.text.startswith("self.")}
    clash = sorted(written & names.RESERVED_ATTRIBUTES)
    if clash:
        raise Unsupported(f"class `{name}` sets `self.{clash[0]}`, which a Keras layer already defines")
    sites = [v for v in graph.variables if v.location.context == f"{name}.__init__"]
    scope = _own_scope(graph, init, sites)
    edits: list[Edit] = []
    weights: list[ClassWeight] = []
    taken: set[str] = set()
    for site in sites:
        target = _self_target(graph, site)
        tf1_name = _tf1_name(site, taken)
        spec = weight_spec(site, target.replace("'", "").replace('"', "").replace("[", "_").rstrip("]"), graph, tf,
                           f"class `{name}`")
        if spec.prelude:
            raise Unsupported(f"a variable of class `{name}` whose initial value is computed")
        statement = graph.stmts[site.location.stmt_id]
        arguments = [f"{k}={text_of(v)}" for k, v in spec.arguments]
        call = f"self.add_weight({', '.join(arguments)})"
        indent = statement.indent
        if scope is not None:  # the scope's block is unwrapped: the statement moves left
            indent = indent[: len(indent) - (len(scope.body[0].indent) - len(scope.indent))]
        if len(indent) + len(target) + len(call) + 8 > 100:
            call = "self.add_weight(\n" + "".join(f"{indent}{unit}{a},\n" for a in arguments) + indent + ")"
        edits.append(Edit(site.call.start, site.call.end, call))
        weights.append(ClassWeight(target, tf1_name, spec))
    edits.extend(_header_edits(graph, stmt, tf))
    scope_param = _scope_param(graph, scope, init)
    edits.append(_super_call(graph, init, scope_param))
    if scope is not None:
        edits.extend(_unwrap(graph, scope))
    call_method = None
    for method in methods:
        if method.name == "__call__":
            edits.append(_rename(graph, method, "call"))
            call_method = "call"
    return ClassUnit(name, stmt.line, tuple(edits), tuple(weights),
                     _scope_name(graph, scope, init), call_method, tuple(m.name for m in methods), scope_param)


class _NotThisKind(Unsupported):
    """Not a class this module converts (no finding)."""


def _walk(stmt: Stmt):
    yield stmt
    for child in stmt.children():
        yield from _walk(child)


def _self_target(graph: VariableGraph, site: VariableSite) -> str:
    stmt = graph.stmts[site.location.stmt_id]
    if stmt.kind != "assign" or len(stmt.target_exprs) != 1 or stmt.value is None:
        raise Unsupported("a variable in __init__ that is not assigned to an attribute of self")
    target = stmt.target_exprs[0].text
    if not target.startswith("self.") or (stmt.value.start, stmt.value.end) != (site.call.start, site.call.end):
        raise Unsupported("a variable in __init__ that is not assigned to an attribute of self")
    return target[5:]


def _tf1_name(site: VariableSite, taken: set[str]) -> str:
    name = site.arg("name")
    if name is not None and isinstance(name.literal, str):
        base = name.literal
    elif site.kind == "Variable" and (name is None or name.literal is None):
        base = "Variable"
    else:
        raise Unsupported("a variable whose name is computed")
    final = base if base not in taken else names.unique(base, taken)
    taken.add(final)
    return final


def _own_scope(graph: VariableGraph, init: Stmt, sites: list[VariableSite]) -> Optional[Stmt]:
    chains = {tuple(site.location.scopes) for site in sites}
    if chains == {()}:
        return None
    if len(chains) != 1 or len(next(iter(chains))) != 1:
        raise Unsupported("variables in __init__ under several variable scopes")
    with_stmt = graph.stmts[next(iter(chains))[0]]
    scope_sites = graph.scopes[with_stmt.id]
    if len(scope_sites) != 1 or not scope_sites[0].is_variable_scope or scope_sites[0].unfollowable:
        raise Unsupported("a variable scope in __init__ that cannot be followed")
    if with_stmt not in init.body:
        raise Unsupported("a variable scope nested in __init__")
    return with_stmt


def _scope_name(graph: VariableGraph, scope: Optional[Stmt], init: Stmt) -> Optional[str]:
    """The scope's name: a literal, or the default of the __init__ parameter that names it."""
    if scope is None:
        return None
    name = graph.scopes[scope.id][0].name
    if name is not None and isinstance(name.literal, str):
        return name.literal
    param = _scope_param(graph, scope, init)
    default = next((p.default for p in init.params if p.name == param), None)
    if default is not None and isinstance(default.literal, str):
        return default.literal
    raise Unsupported("a variable scope in __init__ whose name is computed")


def _scope_param(graph: VariableGraph, scope: Optional[Stmt], init: Stmt) -> Optional[str]:
    if scope is None:
        return None
    name = graph.scopes[scope.id][0].name
    if name is not None and name.kind == "name" and name.name in {p.name for p in init.params}:
        return name.name
    return None


def _header_edits(graph: VariableGraph, stmt: Stmt, tf: str) -> list[Edit]:
    """``class C(object):`` / ``class C:`` → ``class C(tf.keras.layers.Layer):``."""
    text = graph.module.text
    header_start = text.index("class", stmt.start)
    name_end = text.index(stmt.name, header_start) + len(stmt.name)
    body_start = stmt.body[0].start
    colon = text.rindex(":", name_end, body_start)
    return [Edit(name_end, colon, f"({tf}.keras.layers.Layer)")]


def _super_call(graph: VariableGraph, init: Stmt, scope_param: Optional[str]) -> Edit:
    first = next((s for s in init.body if not s.is_docstring), init.body[0])
    at = graph.module.line_start(first.start)
    arguments = f"name={scope_param}" if scope_param else ""
    return Edit(at, at, f"{first.indent}super().__init__({arguments})\n")


def _unwrap(graph: VariableGraph, scope: Stmt) -> list[Edit]:
    text = graph.module.text
    body_start = graph.module.line_start(scope.body[0].start)
    header = Edit(graph.module.line_start(scope.start), body_start, "")
    width = len(scope.body[0].indent) - len(scope.indent)
    return [header, *dedent_edits(text, body_start, graph.module.line_end(scope.end), width)]


def _rename(graph: VariableGraph, method: Stmt, new: str) -> Edit:
    text = graph.module.text
    start = text.index(method.name, text.index("def", method.start))
    return Edit(start, start + len(method.name), new)
