"""How a converted function's parameters split between the constructor and ``call``.

TF1 functions mix four kinds of parameter: tensors (``x``), configuration (``size``, ``stddev``,
``hparams``), the scope name (``scope``, ``name``) and reuse flags (``reuse``). In Keras they go to four
places: ``call``, ``__init__``, the layer name, and nowhere. ``Signature`` records the split, and
``bind`` sorts a call site's arguments the same way, so ``linear(x, 128, "fc1", reuse=True)`` becomes
``Linear(128, name="fc1")`` called on ``x``.
"""
from __future__ import annotations

import dataclasses
from typing import Optional

from tf1to2.analysis.syntax import Arg, Call, Param, StaticStr
from tf1to2.rules.variables_to_layers.dataflow import Unsupported

TENSOR, CONFIG, SCOPE, REUSE = "tensor", "config", "scope", "reuse"


@dataclasses.dataclass(frozen=True)
class Signature:
    function: str
    class_name: str
    params: tuple[Param, ...]
    roles: dict  # parameter → role
    own_scope: Optional[StaticStr]  # the unit's own scope name, in terms of its parameters
    unique_scope: bool  # ``variable_scope(None, default_name=...)``: a new scope per call
    default_scope: Optional[str]  # the scope name when no scope argument is given
    # Without an own scope, the parameters the unit's variable (and sublayer) names are built from: two
    # calls with different values of them address different variables.
    name_params: tuple[str, ...] = ()
    # Variables (its own or its sublayers') created without an initializer / regularizer: TF1 gives them
    # the default of an enclosing variable_scope, which a caller may set.
    open_defaults: frozenset = frozenset()
    # The tensor parameter read only as ``training=`` of its layers (``is_training``): ``call``'s ``training``
    # parameter, Keras' convention (Keras 3 takes only tensors positionally), passed by keyword.
    training: Optional[str] = None

    def of(self, role: str) -> list[Param]:
        return [p for p in self.params if self.roles.get(p.name) == role]

    @property
    def scope_param(self) -> Optional[str]:
        return next((p.name for p in self.params if self.roles.get(p.name) == SCOPE), None)


@dataclasses.dataclass(frozen=True)
class Bound:
    """A call site's arguments by role."""

    args: dict  # parameter name → Arg
    tensors: tuple[Arg, ...]
    config: tuple[Arg, ...]
    scope: Optional[Arg]

    def static_env(self, signature: Signature) -> dict[str, StaticStr]:
        env: dict[str, StaticStr] = {}
        for param in signature.params:
            arg = self.args.get(param.name)
            if arg is not None:
                env[param.name] = arg.value.static
            elif param.default is not None:
                env[param.name] = param.default.static
        return env


def bind(signature: Signature, call: Call) -> Bound:
    if call.has_star_args:
        raise Unsupported(f"`{signature.function}` is called with *args or **kwargs")
    positional = [p for p in signature.params if p.kind == "positional"]
    by_name = {p.name: p for p in signature.params}
    args: dict[str, Arg] = {}
    for index, arg in enumerate(call.positional):
        if index >= len(positional):
            raise Unsupported(f"`{signature.function}` is called with more positional arguments than it takes")
        args[positional[index].name] = arg
    for arg in call.args:
        if arg.keyword is None:
            continue
        if arg.keyword not in by_name:
            raise Unsupported(f"`{signature.function}` is called with an unknown keyword `{arg.keyword}`")
        args[arg.keyword] = arg
    for param in signature.params:
        if param.default is None and param.kind in ("positional", "keyword_only") and param.name not in args:
            raise Unsupported(f"`{signature.function}` is called without its argument `{param.name}`")
    roles = signature.roles
    ordered = sorted(args.items(), key=lambda item: item[1].start)
    return Bound(
        args=args,
        tensors=tuple(a if n != signature.training else dataclasses.replace(a, keyword="training")
                      for n, a in ordered if roles.get(n) == TENSOR),
        config=tuple(a for n, a in ordered if roles.get(n) == CONFIG),
        scope=next((a for n, a in ordered if roles.get(n) == SCOPE), None),
    )


def constructor_arguments(signature: Signature, bound: Bound) -> list[str]:
    """``128, stddev=0.1, name="fc1"``: configuration in the constructor's order, the scope as ``name``."""
    parts: list[str] = []
    config_params = [p for p in signature.params if signature.roles.get(p.name) == CONFIG]
    positional_ok = True
    for param in config_params:
        arg = bound.args.get(param.name)
        if arg is None:
            positional_ok = False
            continue
        if arg.keyword is None and positional_ok and param.kind == "positional":
            parts.append(arg.value.text)
        else:
            positional_ok = positional_ok and arg.keyword is None
            parts.append(f"{param.name}={arg.value.text}")
    if bound.scope is not None:
        parts.append(f"name={bound.scope.value.text}")
    return parts
