"""Evaluate a weight's shape for the manifest, when configuration and input shapes make it known.

A tiny evaluator over the shape expression's text: literals, names bound to known values, arithmetic,
indexing, ``x.get_shape()`` / ``x.shape`` / ``tf.shape(x)`` of an input whose shape is known,
``.value`` and ``.as_list()``. Anything else gives None: the manifest then records the unknown
dimensions as None, and verification reads the real shapes from TF1.
"""
from __future__ import annotations

import ast
import operator
import types
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
        value = _eval(node.value, env, shapes, helpers)
        if isinstance(value, types.SimpleNamespace) and node.attr in vars(value):
            return getattr(value, node.attr)  # a field of a record (``ob_space.shape`` of a namedtuple)
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


# -- the shape of an initial value (``tf.Variable(<value>)``) -------------------------------------------
# Functions whose first argument (or ``shape=``) is the shape of what they return.
_SHAPE_FIRST = {
    "tf.zeros", "tf.ones", "tf.fill", "tf.random_normal", "tf.truncated_normal", "tf.random_uniform",
    "tf.random.normal", "tf.random.truncated_normal", "tf.random.uniform",
    "numpy.zeros", "numpy.ones", "numpy.empty", "numpy.full",
    "numpy.random.standard_normal", "numpy.random.random_sample", "numpy.random.random", "numpy.random.sample",
}
# Functions returning an array shaped by their positional arguments (``rand(3, 4)``).
_DIMENSIONS = {"numpy.random.randn", "numpy.random.rand"}
# Functions taking ``size`` third (``normal(loc, scale, size)``).
_SIZE_THIRD = {"numpy.random.normal", "numpy.random.uniform"}
# Functions returning their first argument's shape.
_SAME_AS_FIRST = {"numpy.array", "numpy.asarray", "numpy.float32", "numpy.float64", "tf.convert_to_tensor",
                  "tf.identity", "tf.cast", "tf.to_float"}
# Methods of a numpy random generator (``rng = np.random.RandomState(0)``), by their numpy.random twins.
_GENERATOR_METHODS = {"randn", "rand", "normal", "uniform", "standard_normal", "random_sample", "random"}


def value_shape(text: str, start: int, functions: dict[tuple[int, int], str], env: dict[str, Any]) -> Optional[tuple]:
    """The static shape of an initial value's text, or None when it cannot be known.

    ``start`` is the text's offset in the module and ``functions`` maps each call's span to the
    function's name resolved through imports (``tf.random_normal``, ``numpy.zeros``), so an alias
    or a shadowing name is never mistaken for the API. Literals (``0.0`` is a scalar, ``[[0.3]]`` is
    1×1), shape-taking constructors (``tf.zeros([a, b])``, ``np.zeros(n)``, ``rng.randn(a, b)``),
    ``.astype``, and arithmetic that broadcasts are followed; any other function gives None.
    """
    try:
        tree = ast.parse(text.strip(), mode="eval").body
    except SyntaxError:
        return None
    offset = start + (len(text) - len(text.lstrip()))
    lines = text.strip().split("\n")
    line_starts = [0]
    for line in lines[:-1]:
        line_starts.append(line_starts[-1] + len(line) + 1)

    def position(line: int, column: int) -> int:
        prefix = lines[line - 1].encode("utf-8")[:column].decode("utf-8", "replace")
        return offset + line_starts[line - 1] + len(prefix)

    def function_of(node: ast.AST) -> Optional[str]:
        span = (position(node.lineno, node.col_offset), position(node.end_lineno, node.end_col_offset))
        return functions.get(span)

    try:
        shape = _value_shape(tree, env, function_of)
    except (_Unknown, TypeError, ValueError, IndexError, KeyError, ZeroDivisionError, AttributeError):
        return None
    return tuple(shape)


def _value_shape(node: ast.AST, env: dict, function_of) -> tuple:
    if isinstance(node, ast.Constant) and isinstance(node.value, (int, float)):
        return ()
    if isinstance(node, ast.Name) and isinstance(env.get(node.id), (int, float)):
        return ()
    if isinstance(node, (ast.List, ast.Tuple)):
        inner = {_value_shape(e, env, function_of) for e in node.elts}
        if len(inner) > 1:
            raise _Unknown("ragged")
        return (len(node.elts),) + (inner.pop() if inner else ())
    if isinstance(node, ast.UnaryOp) and isinstance(node.op, (ast.USub, ast.UAdd)):
        return _value_shape(node.operand, env, function_of)
    if isinstance(node, ast.BinOp) and type(node.op) in _BINOPS or isinstance(node, ast.BinOp) and isinstance(node.op, ast.Pow):
        return _broadcast(_value_shape(node.left, env, function_of), _value_shape(node.right, env, function_of))
    if isinstance(node, ast.Call):
        return _call_shape(node, env, function_of)
    raise _Unknown(type(node).__name__)


def _call_shape(node: ast.Call, env: dict, function_of) -> tuple:
    func = node.func
    name = function_of(node)
    keywords = {k.arg: k.value for k in node.keywords if k.arg is not None}
    if any(k.arg is None for k in node.keywords) or any(isinstance(a, ast.Starred) for a in node.args):
        raise _Unknown("*args")
    if name is None and isinstance(func, ast.Attribute) and func.attr == "astype":
        return _value_shape(func.value, env, function_of)
    if name is None and isinstance(func, ast.Attribute) and func.attr in _GENERATOR_METHODS and isinstance(func.value, ast.Name):
        # ``rng.randn(3, 4)`` on a generator the module made: numpy.random's own signature.
        name = f"numpy.random.{func.attr}"
    if name in _SHAPE_FIRST:
        shape = node.args[0] if node.args else keywords.get("shape", keywords.get("size", keywords.get("dims")))
        return _as_shape(_eval(shape, env, {}, set())) if shape is not None else ()
    if name in _DIMENSIONS:
        return tuple(_dimension_value(_eval(a, env, {}, set())) for a in node.args)
    if name in _SIZE_THIRD:
        size = node.args[2] if len(node.args) > 2 else keywords.get("size")
        return _as_shape(_eval(size, env, {}, set())) if size is not None else ()
    if name == "numpy.eye" or name == "tf.eye":
        rows = _dimension_value(_eval(node.args[0], env, {}, set()))
        columns = node.args[1] if len(node.args) > 1 else keywords.get("M" if name == "numpy.eye" else "num_columns")
        return (rows, rows if columns is None else _dimension_value(_eval(columns, env, {}, set())))
    if name == "tf.constant":
        shape = node.args[2] if len(node.args) > 2 else keywords.get("shape")
        if shape is not None:
            return _as_shape(_eval(shape, env, {}, set()))
        return _value_shape(node.args[0], env, function_of)
    if name in _SAME_AS_FIRST and node.args:
        return _value_shape(node.args[0], env, function_of)
    raise _Unknown(name or "call")


def _as_shape(value: Any) -> tuple:
    if isinstance(value, int) and not isinstance(value, bool):
        return (value,)
    if isinstance(value, (list, tuple)):
        return tuple(_dimension_value(v) for v in value)
    raise _Unknown("shape")


def _dimension_value(value: Any) -> int:
    if isinstance(value, bool) or not isinstance(value, int) or value < 0:
        raise _Unknown("dimension")
    return value


def _broadcast(left: tuple, right: tuple) -> tuple:
    """numpy's broadcasting of two static shapes."""
    size = max(len(left), len(right))
    left, right = (1,) * (size - len(left)) + left, (1,) * (size - len(right)) + right
    out = []
    for a, b in zip(left, right):
        if a != b and 1 not in (a, b):
            raise _Unknown("shapes do not broadcast")
        out.append(b if a == 1 else a)
    return tuple(out)
