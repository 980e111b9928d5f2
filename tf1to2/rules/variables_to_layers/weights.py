"""A TF1 variable's creation as ``add_weight`` arguments: shape, dtype, initializer, regularizer, ...

Arguments are ``Code``: pieces of text, each remembering where in the original it came from (or None for
generated text), so the place a weight is created (``__init__`` as written, ``build`` with shapes and
configuration rewritten) can rewrite names inside them.
"""
from __future__ import annotations

import dataclasses
from typing import Callable, Optional

from tf1to2.analysis.syntax import MISSING, Expr
from tf1to2.analysis.variables import VariableGraph, VariableSite
from tf1to2.rules.variables_to_layers import initializers, names
from tf1to2.rules.variables_to_layers.dataflow import Unsupported

Code = tuple[tuple[str, Optional[int]], ...]
_FLOAT_DTYPES = ("tf.float16", "tf.float32", "tf.float64", "tf.bfloat16", "tf.half", "tf.double")


def code(expr: Expr) -> Code:
    return ((expr.text, expr.start),)


def plain(text: str) -> Code:
    return ((text, None),)


def text_of(piece: Code) -> str:
    return "".join(text for text, _ in piece)


def render(piece: Code, rewrite: Optional[Callable[[str, int], str]] = None) -> str:
    if rewrite is None:
        return text_of(piece)
    return "".join(text if start is None else rewrite(text, start) for text, start in piece)


def within(outer: Expr, inner: Optional[str]) -> Code:
    """A piece of ``outer``'s text (the shape inside ``tf.random_normal(shape)``), keeping its position."""
    if inner is None:
        return ()
    index = outer.text.find(inner)
    return ((inner, outer.start + index),) if index >= 0 else plain(inner)


def converted(expr: Optional[Expr], text: str) -> Code:
    """The conversion of ``expr``: positioned when it is the original text, generated otherwise."""
    if expr is not None and text == expr.text:
        return code(expr)
    if expr is not None and expr.text in text:
        index = text.index(expr.text)
        return plain(text[:index]) + code(expr) + plain(text[index + len(expr.text):])
    return _embed_arguments(expr, text)


def _embed_arguments(expr: Optional[Expr], text: str) -> Code:
    """Keep positions for argument texts that the conversion copied (``stddev=stddev``)."""
    if expr is None or not expr.calls:
        return plain(text)
    pieces: list[tuple[str, Optional[int]]] = []
    cursor = 0
    for arg in expr.calls[0].args:
        if not arg.value.names:
            continue
        index = _argument_value_at(text, arg.value.text, cursor)
        if index < 0:
            continue
        pieces.append((text[cursor:index], None))
        pieces.append((arg.value.text, arg.value.start))
        cursor = index + len(arg.value.text)
    pieces.append((text[cursor:], None))
    return tuple(p for p in pieces if p[0])


@dataclasses.dataclass(frozen=True)
class WeightSpec:
    arguments: tuple[tuple[str, Code], ...]  # add_weight keyword → code
    prelude: tuple[Code, ...] = ()  # statements computing an initial value first
    notes: tuple[str, ...] = ()
    dtype: str = "float32"
    trainable: bool = True
    initializer: str = ""


def weight_spec(site: VariableSite, weight_name: str, graph: VariableGraph, tf: str, where: str) -> WeightSpec:
    """add_weight arguments reproducing the TF1 variable exactly; ``where`` names the unit for messages."""
    args: list[tuple[str, Code]] = [("name", plain(names.python_string(weight_name)))]
    notes: list[str] = []
    dtype = site.arg("dtype")
    for argument in ("partitioner", "custom_getter"):
        value = site.arg(argument)
        if value is not None and value.literal is not None:
            from tf1to2.analysis.scopes import UNFOLLOWABLE

            raise Unsupported(f"get_variable with {argument} in {where}: {UNFOLLOWABLE[argument]}")
    if site.kind == "get_variable":
        shape = site.arg("shape")
        initializer_expr = site.arg("initializer") or scope_default(graph, site, "initializer")
        if shape is None:
            if initializer_expr is None:
                raise Unsupported(f"get_variable without a shape in {where}")
            if not _is_initializer(initializer_expr):
                # get_variable(initializer=<a tensor or value>): the variable takes its shape and value.
                return _initial_value_spec(site, initializer_expr, weight_name, graph, tf)
            raise Unsupported(f"get_variable without a shape in {where}")
        args.append(("shape", code(shape)))
        init = initializers.initializer(initializer_expr, tf, is_float(dtype))
        if init.note:
            notes.append(init.note)
        args.append(("initializer", converted(initializer_expr, init.text)))
        if dtype is not None and dtype.literal is not None:
            args.append(("dtype", code(dtype)))
        initializer_text = init.text
    else:
        value = site.arg("initial_value")
        if value is None:
            raise Unsupported(f"tf.Variable without an initial value in {where}")
        initial = initializers.initial_value(value, tf)
        if initial.needs_value:
            return _value_spec(site, value, weight_name, graph, tf)
        args.append(("shape", within(value, initial.shape)))
        args.append(("initializer", converted(value, initial.initializer)))
        if dtype is not None and dtype.literal is not None:
            args.append(("dtype", code(dtype)))
        elif initial.dtype:
            args.append(("dtype", within(value, initial.dtype)))
        initializer_text = initial.initializer
    trainable = _common(site, args, notes, graph, tf)
    return WeightSpec(tuple(args), (), tuple(notes), dtype_name(dtype, site), trainable, initializer_text)


def _is_initializer(expr: Expr) -> bool:
    """An initializer object (called with a shape later), as opposed to an initial value."""
    call = expr.calls[0] if expr.kind == "call" and expr.calls else None
    if call is None:
        return expr.kind in ("name", "attribute") and expr.literal is MISSING
    name = call.tf_name or ""
    if name in initializers.INITIALIZERS or "initializer" in name or name.startswith(("tf.keras.initializers.", "tf.initializers.")):
        return True
    return call.tf_name is None  # a function of the module returning an initializer (``ortho_init(1.0)``)


def _initial_value_spec(site: VariableSite, value: Expr, weight_name: str, graph: VariableGraph, tf: str) -> WeightSpec:
    initial = initializers.initial_value(value, tf)
    if initial.needs_value:
        return _value_spec(site, value, weight_name, graph, tf)
    args: list[tuple[str, Code]] = [("name", plain(names.python_string(weight_name)))]
    args.append(("shape", within(value, initial.shape)))
    args.append(("initializer", converted(value, initial.initializer)))
    dtype = site.arg("dtype")
    if dtype is not None and dtype.literal is not None:
        args.append(("dtype", code(dtype)))
    elif initial.dtype:
        args.append(("dtype", within(value, initial.dtype)))
    notes: list[str] = []
    trainable = _common(site, args, notes, graph, tf)
    return WeightSpec(tuple(args), (), tuple(notes), dtype_name(dtype, site), trainable, initial.initializer)


def _value_spec(site: VariableSite, value: Expr, weight_name: str, graph: VariableGraph, tf: str) -> WeightSpec:
    """A variable whose initial value is any expression: compute it, then make a weight holding it."""
    variable = f"initial_{names.identifier(weight_name, 'value')}"
    prelude = (plain(f"{variable} = {tf}.convert_to_tensor(") + code(value) + plain(")"),)
    args: list[tuple[str, Code]] = [
        ("name", plain(names.python_string(weight_name))),
        ("shape", plain(f"{variable}.shape")),
        ("dtype", plain(f"{variable}.dtype")),
        ("initializer", plain(f"{tf}.keras.initializers.Constant({variable})")),
    ]
    notes: list[str] = []
    trainable = _common(site, args, notes, graph, tf)
    return WeightSpec(tuple(args), prelude, tuple(notes), dtype_name(site.arg("dtype"), site), trainable, "Constant")


def _common(site: VariableSite, args: list, notes: list, graph: VariableGraph, tf: str) -> bool:
    regularizer_expr = site.arg("regularizer") or scope_default(graph, site, "regularizer")
    regularizer = initializers.regularizer(regularizer_expr, tf)
    if regularizer is not None:
        args.append(("regularizer", converted(regularizer_expr, regularizer.text)))
    constraint = site.arg("constraint")
    if constraint is not None and constraint.literal is not None:
        args.append(("constraint", code(constraint)))
    trainable = site.arg("trainable")
    if trainable is not None and trainable.literal is not True and trainable.literal is not None:
        args.append(("trainable", code(trainable)))
    collections = site.arg("collections")
    if collections is not None and collections.literal is not None:
        notes.append(f"collections={collections.text} dropped: Keras tracks weights by layer")
    return not (trainable is not None and trainable.literal is False)


def scope_default(graph: VariableGraph, site: VariableSite, argument: str) -> Optional[Expr]:
    """A default ``initializer``/``regularizer`` given by an enclosing variable_scope."""
    for scope in reversed(graph.scope_chain(site.location)):
        value = getattr(scope, argument, None)
        if value is not None and value.literal is not None:
            return value
    return None


def dtype_name(expr: Optional[Expr], site: Optional[VariableSite] = None) -> str:
    if expr is not None and expr.tf_name is not None:
        return expr.tf_name.rsplit(".", 1)[-1]
    if expr is not None and isinstance(expr.literal, str):
        return expr.literal
    if site is not None and site.kind == "Variable":
        value = site.arg("initial_value")
        if value is not None and isinstance(value.literal, bool):
            return "bool"
        if value is not None and isinstance(value.literal, int):
            return "int32"
    return "float32"


def is_float(expr: Optional[Expr]) -> bool:
    if expr is None or expr.literal is None:
        return True
    if expr.tf_name is not None:
        return expr.tf_name in _FLOAT_DTYPES
    return not (isinstance(expr.literal, str) and not expr.literal.startswith(("float", "bfloat", "half", "double")))


def add_weight(attr: str, spec_args: tuple[tuple[str, Code], ...], render_piece: Callable[[Code], str]) -> str:
    arguments = ", ".join(f"{k}={render_piece(v)}" for k, v in spec_args)
    return f"self.{attr} = self.add_weight({arguments})"


def _argument_value_at(text: str, value: str, start: int) -> int:
    """Where ``value`` stands as an argument value (after ``(``, ``,`` or ``=``, before ``,`` or ``)``)."""
    index = text.find(value, start)
    while index >= 0:
        before = text[:index].rstrip()[-1:]
        after = text[index + len(value):].lstrip()[:1]
        if before in ("(", ",", "=") and after in (",", ")"):
            return index
        index = text.find(value, index + 1)
    return -1
