"""Variable scopes, name scopes and reuse, read from the calls that open and modify them.

``with tf.variable_scope(name_or_scope, default_name=None, values=None, initializer=None, ...,
reuse=None, ...)`` is described by a ``ScopeSite``: what names the scope, how it reuses, and which of its
arguments change what ``get_variable`` does inside (a default initializer or regularizer, a
``custom_getter`` or ``partitioner`` that a conversion cannot follow). ``scope.reuse_variables()`` and
``tf.get_variable_scope().reuse_variables()`` are ``ReuseSite``s.
"""
from __future__ import annotations

import dataclasses
import enum
from typing import Optional

from tf1to2.analysis.syntax import Call, Expr

VARIABLE_SCOPE = "tf.variable_scope"
NAME_SCOPE = "tf.name_scope"
_VARIABLE_SCOPE_PARAMS = (
    "name_or_scope", "default_name", "values", "initializer", "regularizer", "caching_device", "partitioner",
    "custom_getter", "reuse", "dtype", "use_resource", "constraint", "auxiliary_name_scope",
)
_NAME_SCOPE_PARAMS = ("name", "default_name", "values")
# Arguments that change which variables exist or how they are stored: a conversion cannot follow them.
UNFOLLOWABLE = {
    "custom_getter": "a custom_getter can create, rename or replace every variable inside",
    "partitioner": "a partitioner splits variables into shards Keras weights do not have",
}


class Reuse(str, enum.Enum):
    NONE = "none"  # reuse not given: inherits the enclosing scope's mode
    FALSE = "false"
    TRUE = "true"
    AUTO = "auto"  # tf.AUTO_REUSE
    PARAM = "param"  # a name (a function parameter such as ``reuse``)
    EXPR = "expr"  # any other expression (``reuse=(t > 0)``)


@dataclasses.dataclass(frozen=True)
class ScopeSite:
    """One ``tf.variable_scope`` / ``tf.name_scope`` in a ``with`` statement."""

    id: int  # the with statement's id
    kind: str  # "variable_scope" or "name_scope"
    call: Call
    name: Optional[Expr]
    default_name: Optional[Expr]
    reuse: Reuse
    reuse_expr: Optional[Expr]
    as_name: Optional[str]
    reopens_current: bool  # ``tf.variable_scope(tf.get_variable_scope(), ...)``
    initializer: Optional[Expr] = None
    regularizer: Optional[Expr] = None
    dtype: Optional[Expr] = None
    unfollowable: tuple[str, ...] = ()

    @property
    def is_variable_scope(self) -> bool:
        return self.kind == "variable_scope"


@dataclasses.dataclass(frozen=True)
class ReuseSite:
    """``scope.reuse_variables()`` (``scope_name`` set) or ``tf.get_variable_scope().reuse_variables()``."""

    stmt_id: int
    call: Call
    scope_name: Optional[str]


def scope_site(stmt_id: int, call: Call, as_name: Optional[str]) -> Optional[ScopeSite]:
    """The ScopeSite of a ``with`` item, or None when the item opens no scope."""
    if call.tf_name in (VARIABLE_SCOPE, "tf.variable_op_scope"):
        args = bind(call, _VARIABLE_SCOPE_PARAMS)
        name = args.get("name_or_scope")
        reuse, reuse_expr = _reuse(args.get("reuse"))
        return ScopeSite(
            id=stmt_id,
            kind="variable_scope",
            call=call,
            name=name,
            default_name=args.get("default_name"),
            reuse=reuse,
            reuse_expr=reuse_expr,
            as_name=as_name,
            reopens_current=_is_current_scope(name),
            initializer=args.get("initializer"),
            regularizer=args.get("regularizer"),
            dtype=args.get("dtype"),
            unfollowable=tuple(k for k in UNFOLLOWABLE if _given(args.get(k))),
        )
    if call.tf_name == NAME_SCOPE:
        args = bind(call, _NAME_SCOPE_PARAMS)
        return ScopeSite(
            id=stmt_id, kind="name_scope", call=call, name=args.get("name"), default_name=args.get("default_name"),
            reuse=Reuse.NONE, reuse_expr=None, as_name=as_name, reopens_current=False,
        )
    return None


def reuse_site(stmt_id: int, call: Call, scope_names: set[str]) -> Optional[ReuseSite]:
    if call.method != "reuse_variables" or call.args:
        return None
    if call.method_of in scope_names:
        return ReuseSite(stmt_id, call, call.method_of)
    inner = call.func.calls[0] if call.func.calls else None
    if inner is not None and inner.tf_name == "tf.get_variable_scope":
        return ReuseSite(stmt_id, call, None)
    return None


def bind(call: Call, params: tuple[str, ...]) -> dict[str, Expr]:
    """Arguments of ``call`` by parameter name, for a TF function whose positional order is ``params``."""
    bound: dict[str, Expr] = {}
    for index, arg in enumerate(call.positional):
        if index < len(params):
            bound[params[index]] = arg.value
    for arg in call.args:
        if arg.keyword:
            bound[arg.keyword] = arg.value
    return bound


def _reuse(expr: Optional[Expr]) -> tuple[Reuse, Optional[Expr]]:
    if expr is None or expr.literal is None:
        return Reuse.NONE, expr
    if expr.literal is True:
        return Reuse.TRUE, expr
    if expr.literal is False:
        return Reuse.FALSE, expr
    if expr.tf_name == "tf.AUTO_REUSE":
        return Reuse.AUTO, expr
    if expr.kind == "name":
        return Reuse.PARAM, expr
    return Reuse.EXPR, expr


def _is_current_scope(expr: Optional[Expr]) -> bool:
    return expr is not None and expr.kind == "call" and expr.calls[0].tf_name == "tf.get_variable_scope"


def _given(expr: Optional[Expr]) -> bool:
    return expr is not None and expr.literal is not None
