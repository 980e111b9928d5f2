"""Evaluate a weight's shape for the manifest, when configuration and input shapes make it known.

A tiny evaluator over the shape expression's text: literals, names bound to known values, arithmetic,
indexing, ``x.get_shape()`` / ``x.shape`` / ``tf.shape(x)`` of an input whose shape is known,
``.value`` and ``.as_list()``. Anything else gives None: the manifest then records the unknown
dimensions as None, and verification reads the real shapes from TF1.
"""
from __future__ import annotations

import ast
import operator
from typing import Any, Optional

_BINOPS = {
    ast.Add: operator.add, ast.Sub: operator.sub, ast.Mult: operator.mul, ast.FloorDiv: operator.floordiv,
    ast.Div: operator.truediv, ast.Mod: operator.mod,
}


class _Unknown(Exception):
    pass


class Shape(tuple):
    """A static shape: indexing gives ints (or None), ``.as_list()`` a list."""

    def as_list(self) -> list:
        return list(self)


def evaluate_shape(text: str, env: dict[str, Any], shapes: dict[str, tuple], helpers: set[str] = frozenset()) -> Optional[tuple]:
    """The shape ``text`` evaluates to, with None for dimensions that cannot be known."""
    try:
        tree = ast.parse(text.strip(), mode="eval").body
    except SyntaxError:
        return None
    try:
        value = _eval(tree, env, shapes, helpers)
    except (_Unknown, TypeError, ValueError, IndexError, KeyError, ZeroDivisionError, AttributeError):
        if isinstance(tree, (ast.List, ast.Tuple)):
            return tuple(_dimension(e, env, shapes, helpers) for e in tree.elts)
        return None
    if isinstance(value, int) and not isinstance(value, bool):
        return (value,)
    if isinstance(value, (list, tuple)) and all(v is None or isinstance(v, int) for v in value):
        return tuple(value)
    return None


def _dimension(node: ast.AST, env, shapes, helpers) -> Optional[int]:
    try:
        value = _eval(node, env, shapes, helpers)
    except (_Unknown, TypeError, ValueError, IndexError, KeyError, ZeroDivisionError, AttributeError):
        return None
    return value if isinstance(value, int) and not isinstance(value, bool) else None


def _eval(node: ast.AST, env: dict, shapes: dict, helpers: set) -> Any:
    if isinstance(node, ast.Constant):
        return node.value
    if isinstance(node, (ast.List, ast.Tuple)):
        return [_eval(e, env, shapes, helpers) for e in node.elts]
    if isinstance(node, ast.Name):
        if node.id in env:
            return env[node.id]
        raise _Unknown(node.id)
    if isinstance(node, ast.BinOp) and type(node.op) in _BINOPS:
        return _BINOPS[type(node.op)](_eval(node.left, env, shapes, helpers), _eval(node.right, env, shapes, helpers))
    if isinstance(node, ast.UnaryOp) and isinstance(node.op, ast.USub):
        return -_eval(node.operand, env, shapes, helpers)
    if isinstance(node, ast.Subscript):
        return _eval(node.value, env, shapes, helpers)[_eval(node.slice, env, shapes, helpers)]
    if isinstance(node, ast.Attribute):
        if node.attr == "value":
            return _eval(node.value, env, shapes, helpers)
        if node.attr == "shape" and isinstance(node.value, ast.Name) and node.value.id in shapes:
            return Shape(shapes[node.value.id])
        raise _Unknown(node.attr)
    if isinstance(node, ast.Call):
        return _call(node, env, shapes, helpers)
    raise _Unknown(type(node).__name__)


def _call(node: ast.Call, env: dict, shapes: dict, helpers: set) -> Any:
    func = node.func
    if isinstance(func, ast.Attribute) and func.attr == "get_shape" and isinstance(func.value, ast.Name):
        if func.value.id in shapes:
            return Shape(shapes[func.value.id])
    if isinstance(func, ast.Attribute) and func.attr == "as_list" and not node.args:
        return list(_eval(func.value, env, shapes, helpers))
    if isinstance(func, ast.Attribute) and func.attr == "shape" and len(node.args) == 1:
        arg = node.args[0]
        if isinstance(arg, ast.Name) and arg.id in shapes:
            return Shape(shapes[arg.id])
    if isinstance(func, ast.Name) and func.id in helpers and len(node.args) == 1:
        arg = node.args[0]
        if isinstance(arg, ast.Name) and arg.id in shapes:
            return list(shapes[arg.id])
    if isinstance(func, ast.Name) and func.id in ("range", "enumerate", "len", "list", "tuple") and not node.keywords:
        values = [_eval(a, env, shapes, helpers) for a in node.args]
        return {"range": lambda *a: list(range(*a)), "enumerate": lambda a: list(enumerate(a)), "len": len,
                "list": list, "tuple": tuple}[func.id](*values)
    if isinstance(func, ast.Name) and func.id == "int" and len(node.args) == 1:
        value = _eval(node.args[0], env, shapes, helpers)
        if value is None:
            raise _Unknown("int(None)")
        return int(value)
    raise _Unknown("call")


class NotStatic(ValueError):
    """The expression's value is not known before the code runs."""


def evaluate(text: str, env: dict[str, Any], shapes: dict[str, tuple], helpers: set[str] = frozenset()) -> Any:
    """The value of an expression built from known values; NotStatic otherwise."""
    try:
        tree = ast.parse(text.strip(), mode="eval").body
        return _eval(tree, env, shapes, helpers)
    except (SyntaxError, _Unknown, TypeError, ValueError, IndexError, KeyError, ZeroDivisionError, AttributeError) as exc:
        raise NotStatic(str(exc)) from None
