"""Manifest examples for a layer made from a scope that a graph-building method builds.

An actor-critic policy (OpenAI baselines) builds its graph in ``__init__`` and the module builds it twice::

    class MlpPolicy(object):
        def __init__(self, sess, ob_space, ac_space, nbatch, nsteps, reuse=False):
            ob_shape = (nbatch,) + ob_space.shape
            X = tf.placeholder(tf.float32, ob_shape, name='Ob')
            with tf.variable_scope("model", reuse=reuse):
                ...
            self.pi = pi
            self.vf = vf

    step_model = MlpPolicy(sess, ob_space, ac_space, nenvs, 1, reuse=False)
    train_model = MlpPolicy(sess, ob_space, ac_space, nenvs * nsteps, nsteps, reuse=True)

The module's own instances are the example: TF1 fetches ``((step_model.pi, step_model.vf),
(train_model.pi, train_model.vf))`` feeding the placeholder each instance made (graph names ``Ob`` and
``Ob_1``), and the converted layer is called on each: ``(unit(Ob), unit(Ob_1))``. Input shapes and the
constructor's configuration are evaluated from the module's literals, tuple assignments and namedtuple
records (``Box(shape=(6,))``), never by running the module.

Caveats:
    No example when a value cannot be evaluated that way, when the placeholder has no literal ``name=``
    (its graph name would depend on everything else the module creates) or that name is used elsewhere,
    when an output is not stored on ``self``, or when several instances would not share the layer.
"""
from __future__ import annotations

import ast
import operator
import types
from typing import Any, Optional

from tf1to2.analysis.syntax import MISSING, Expr, Stmt
from tf1to2.analysis.variables import VariableGraph
from tf1to2.manifest import Example, TensorSpec

_BINOPS = {
    ast.Add: operator.add, ast.Sub: operator.sub, ast.Mult: operator.mul, ast.FloorDiv: operator.floordiv,
    ast.Div: operator.truediv, ast.Mod: operator.mod,
}


class _Unknown(Exception):
    pass


class _Record(types.SimpleNamespace):
    """A namedtuple instance: its fields as attributes (the shape evaluator reads them too)."""


class _RecordType:
    def __init__(self, fields: list[str]) -> None:
        self.fields = fields


def method_block_example(graph: VariableGraph, block, dtype_of) -> Optional[Example]:
    """The example of ``block`` (a ``BlockUnit`` in a method), or None; ``dtype_of`` names a placeholder's dtype."""
    context = graph.contexts.get(block.context)
    if context is None or context.kind != "method" or context.stmt is None or not block.context.endswith(".__init__"):
        return None
    if block.weights_only or len(block.applications) != 1 or block.foreign:
        return None
    application = block.applications[0]
    method = context.stmt
    module = _module_values(graph)
    instances = _instances(graph, context.class_name)
    if not instances or len(instances) > 1 and block.shared is None:
        return None
    stored = _stored_on_self(method)
    if not application.outputs or any(name not in stored for name in application.outputs):
        return None
    placeholders = {name: _placeholder(method, name) for name in application.inputs}
    if any(p is None for p in placeholders.values()):
        return None
    for stmt, _, base in placeholders.values():
        if _name_uses(graph.module.text, base) != 1:
            return None
    inputs: list[TensorSpec] = []
    fetched, calls = [], []
    construct = None
    for index, (variable, call_args) in enumerate(instances):
        env = _method_env(method, call_args, module)
        if env is None:
            return None
        names = {}
        for input_name, (stmt, call, base) in placeholders.items():
            shape = _shape(call, env)
            if shape is None:
                return None
            names[input_name] = base if index == 0 else f"{base}_{index}"
            inputs.append(TensorSpec(names[input_name], shape, dtype_of(call)))
        attributes = [f"{variable}.{stored[name]}" for name in application.outputs]
        fetched.append(attributes[0] if len(attributes) == 1 else "(" + ", ".join(attributes) + ")")
        calls.append("unit(" + ", ".join(names[n] for n in application.inputs) + ")")
        if construct is None:
            construct = _constructor(block.constructor, env, _module_names(method, call_args, module))
            if construct is None:
                return None
    if len(instances) == 1:
        original, call = fetched[0], calls[0]
    else:
        original, call = "(" + ", ".join(fetched) + ")", "(" + ", ".join(calls) + ")"
    return Example(inputs=tuple(inputs), original=original, construct=construct, call=call, uses_module_placeholders=True)


def _module_values(graph: VariableGraph) -> dict[str, Any]:
    """Module-level names bound once, to what can be evaluated statically."""
    counts: dict[str, int] = {}
    for stmt in graph.module.body:
        for target in stmt.targets:
            counts[target] = counts.get(target, 0) + 1
    values: dict[str, Any] = {}
    for stmt in graph.module.body:
        if stmt.kind != "assign" or stmt.value is None or any(counts[t] != 1 for t in stmt.targets):
            continue
        if len(stmt.targets) == 1 and stmt.value.kind == "call" and stmt.value.calls[0].qualified == "collections.namedtuple":
            fields = _namedtuple_fields(stmt.value)
            if fields is not None:
                values[stmt.targets[0]] = _RecordType(fields)
            continue
        try:
            value = _eval(ast.parse(stmt.value.text.strip(), mode="eval").body, values)
        except (_Unknown, SyntaxError, TypeError, ValueError, KeyError, IndexError, ZeroDivisionError):
            continue
        if len(stmt.targets) == 1 and stmt.target_exprs[0].kind == "name":
            values[stmt.targets[0]] = value
        elif isinstance(value, tuple) and len(value) == len(stmt.targets):
            values.update(zip(stmt.targets, value))
    return values


def _namedtuple_fields(value: Expr) -> Optional[list[str]]:
    call = value.calls[0]
    fields = call.positional[1].value.literal if len(call.positional) > 1 else MISSING
    if isinstance(fields, str):
        fields = fields.replace(",", " ").split()
    if isinstance(fields, (list, tuple)) and all(isinstance(f, str) for f in fields):
        return list(fields)
    return None


def _eval(node: ast.AST, env: dict[str, Any]) -> Any:
    if isinstance(node, ast.Constant):
        return node.value
    if isinstance(node, ast.Tuple):
        return tuple(_eval(e, env) for e in node.elts)
    if isinstance(node, ast.List):
        return [_eval(e, env) for e in node.elts]
    if isinstance(node, ast.Name):
        if node.id in env:
            return env[node.id]
        raise _Unknown(node.id)
    if isinstance(node, ast.BinOp) and type(node.op) in _BINOPS:
        return _BINOPS[type(node.op)](_eval(node.left, env), _eval(node.right, env))
    if isinstance(node, ast.UnaryOp) and isinstance(node.op, ast.USub):
        return -_eval(node.operand, env)
    if isinstance(node, ast.Attribute):
        value = _eval(node.value, env)
        if isinstance(value, _Record) and node.attr in vars(value):
            return getattr(value, node.attr)
        raise _Unknown(node.attr)
    if isinstance(node, ast.Subscript):
        return _eval(node.value, env)[_eval(node.slice, env)]
    if isinstance(node, ast.Call) and isinstance(node.func, ast.Name):
        kind = env.get(node.func.id)
        if isinstance(kind, _RecordType) and not any(isinstance(a, ast.Starred) for a in node.args):
            fields = dict(zip(kind.fields, (_eval(a, env) for a in node.args)))
            fields.update({k.arg: _eval(k.value, env) for k in node.keywords if k.arg in kind.fields})
            if len(fields) != len(kind.fields) or len(node.keywords) + len(node.args) != len(kind.fields):
                raise _Unknown("record")
            return _Record(**fields)
    raise _Unknown(type(node).__name__)


def _try_eval(text: str, env: dict[str, Any]) -> Any:
    try:
        return _eval(ast.parse(text.strip(), mode="eval").body, env)
    except (_Unknown, SyntaxError, TypeError, ValueError, KeyError, IndexError, ZeroDivisionError):
        return MISSING


def _instances(graph: VariableGraph, class_name: str) -> list[tuple[str, Any]]:
    """``step_model = MlpPolicy(...)`` at module level, in order: the variable and the call."""
    found = []
    for stmt in graph.module.body:
        if stmt.kind == "assign" and len(stmt.targets) == 1 and stmt.target_exprs[0].kind == "name" \
                and stmt.value is not None and stmt.value.kind == "call" and stmt.value.calls[0].callee == class_name:
            found.append((stmt.targets[0], stmt.value.calls[0]))
    return found


def _method_env(method: Stmt, call, module: dict[str, Any]) -> Optional[dict[str, Any]]:
    """The method's parameters bound to the call's arguments, then its straight-line local values."""
    params = [p for p in method.params[1:]]
    positional = [p for p in params if p.kind == "positional"]
    if call.has_star_args or len(call.positional) > len(positional):
        return None
    env = dict(module)
    given: dict[str, Any] = {}
    for param, arg in zip(positional, call.positional):
        given[param.name] = arg.value.text
    for arg in call.args:
        if arg.keyword is not None:
            given[arg.keyword] = arg.value.text
    for param in params:
        if param.name in given:
            value = _try_eval(given[param.name], module)
        elif param.default is not None:
            value = _try_eval(param.default.text, module)
        else:
            return None
        env.pop(param.name, None)
        if value is not MISSING:
            env[param.name] = value
    for stmt in method.body:
        if stmt.kind == "assign" and len(stmt.targets) == 1 and stmt.target_exprs[0].kind == "name" and stmt.value is not None:
            value = _try_eval(stmt.value.text, env)
            env.pop(stmt.targets[0], None)
            if value is not MISSING:
                env[stmt.targets[0]] = value
    return env


def _stored_on_self(method: Stmt) -> dict[str, str]:
    """``self.pi = pi`` in the method's body: local name → attribute."""
    stored: dict[str, str] = {}
    for stmt in method.body:
        if stmt.kind == "assign" and len(stmt.target_exprs) == 1 and stmt.value is not None and stmt.value.kind == "name":
            target = stmt.target_exprs[0].text
            if target.startswith("self.") and target[5:].isidentifier():
                stored.setdefault(stmt.value.name, target[5:])
    return stored


def _placeholder(method: Stmt, name: str):
    """The top-level ``X = tf.placeholder(dtype, shape, name='Ob')`` of the method: (statement, call, name)."""
    from tf1to2.analysis.scopes import bind

    bindings = [inner for top in method.body for inner in top.walk() if name in inner.targets]
    if len(bindings) != 1 or bindings[0] not in method.body:
        return None
    stmt = bindings[0]
    call = stmt.value.calls[0] if stmt.value is not None and stmt.value.kind == "call" else None
    if call is None or call.tf_name != "tf.placeholder":
        return None
    label = bind(call, ("dtype", "shape", "name")).get("name")
    if label is None or not isinstance(label.literal, str) or not label.literal:
        return None
    return stmt, call, label.literal


def _name_uses(text: str, name: str) -> int:
    return text.count(f'"{name}"') + text.count(f"'{name}'")


def _shape(call, env: dict[str, Any]) -> Optional[tuple]:
    from tf1to2.analysis.scopes import bind

    shape = bind(call, ("dtype", "shape", "name")).get("shape")
    if shape is None:
        return None
    value = _try_eval(shape.text, env)
    if not isinstance(value, (list, tuple)) or not all(v is None or type(v) is int for v in value):
        return None
    return tuple(value)


def _constructor(text: str, env: dict[str, Any], names: dict[str, str]) -> Optional[str]:
    """``Model(nact, ob_space)`` in the module's terms: values written as literals (``3``), parameters
    given a module-level name by the instance written as that name (``ob_space``)."""
    call = ast.parse(text, mode="eval").body
    if not isinstance(call, ast.Call) or not isinstance(call.func, ast.Name):
        return None

    def argument(node: ast.AST) -> Optional[str]:
        value = _try_eval(ast.unparse(node), env)
        if value is not MISSING and _is_literal(value):
            return repr(value)
        if isinstance(node, ast.Name) and node.id in names:
            return names[node.id]
        return None

    parts = [argument(node) for node in call.args]
    parts += [None if k.arg is None else f"{k.arg}={argument(k.value)}" if argument(k.value) else None for k in call.keywords]
    if any(part is None for part in parts):
        return None
    return f"{call.func.id}({', '.join(parts)})"


def _module_names(method: Stmt, call, module: dict[str, Any]) -> dict[str, str]:
    """Method parameters the instance binds to a module-level name it evaluates (``ob_space``)."""
    positional = [p for p in method.params[1:] if p.kind == "positional"]
    given = dict(zip((p.name for p in positional), (a.value for a in call.positional)))
    given.update({a.keyword: a.value for a in call.args if a.keyword is not None})
    return {param: value.name for param, value in given.items() if value.kind == "name" and value.name in module}


def method_env(graph: VariableGraph, block) -> Optional[dict[str, Any]]:
    """The values the method had when the module's first instance of its class ran it (for shapes)."""
    context = graph.contexts.get(block.context)
    if context is None or context.kind != "method" or context.stmt is None:
        return None
    instances = _instances(graph, context.class_name)
    if not instances:
        return None
    return _method_env(context.stmt, instances[0][1], _module_values(graph))


def _is_literal(value: Any) -> bool:
    if isinstance(value, (list, tuple)):
        return all(_is_literal(v) for v in value)
    return value is None or isinstance(value, (bool, int, float, str))
