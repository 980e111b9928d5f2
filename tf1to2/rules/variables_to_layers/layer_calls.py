"""TF1 layer calls inside a variable-creating function → Keras sublayers, keyed by the TF1 scope they open.

``tf.layers.dense(h, 64)`` in ``def encoder`` under ``variable_scope("encoder")`` creates
``encoder/dense/kernel``: the layer is the function's sublayer ``dense``, a
``tf.keras.layers.Dense(units=64, name="dense")`` from the layer catalog, created once in ``__init__``
and called where TF1 called the function. Unnamed layers get TF1's uniquified default names per opening
of a scope (``dense``, ``dense_1``: ``catalog.names.ScopeNames``); two calls naming one scope (``reuse``)
are one sublayer. The call keeps its input and the arguments Keras takes at call time (``training``).

A call this cannot follow raises ``Unsupported`` and the function stays TF1 code: in a loop or branch
(TF1 creates a layer each time), an argument Keras cannot take, a contrib ``normalizer_fn``, a name
computed at run time or holding ``/``, a configuration read from an input's shape, or a variable scope
setting a default initializer or regularizer around it.
"""
from __future__ import annotations

import dataclasses
from typing import Optional

from tf1to2.analysis.syntax import Arg, Expr
from tf1to2.analysis.variables import LayerSite
from tf1to2.catalog import layers
from tf1to2.catalog.args import literal
from tf1to2.catalog.names import ScopeNames
from tf1to2.catalog.records import KerasLayer
from tf1to2.rules.variables_to_layers.dataflow import Unsupported

_CALL_KEYWORDS = frozenset({"training", "reuse"})


@dataclasses.dataclass(frozen=True)
class LayerUse:
    """One TF1 call of a layer sublayer: the arguments kept in the call, the ones added."""

    site: LayerSite
    kept: tuple[Arg, ...]  # the input, then call-time keywords written in the call
    added: tuple[tuple[str, str], ...]  # call-time keywords TF1 defaulted (``training=False``)


@dataclasses.dataclass
class LayerGroup:
    key: tuple
    api: str
    layer: KerasLayer
    uses: list[LayerUse]
    exprs: list[Expr]  # the argument values the constructor reads
    auto_named: bool = False  # named by TF1's counter (``dense_1``), not by the call
    loop: None = None


def layer_groups(planner) -> list[LayerGroup]:
    """The function's layer calls grouped by the TF1 scope path they create (relative to its own scope)."""
    groups: dict[tuple, LayerGroup] = {}
    counters: dict[tuple, ScopeNames] = {}
    for site in sorted(planner.view.layers, key=lambda s: s.call.start):
        where = f"{site.api} in `{planner.name}`"
        if site.location.loops or site.location.branches:
            raise Unsupported(f"{where} runs inside a loop or branch: TF1 creates a layer each time it runs")
        for scope in planner.graph.scope_chain(site.location):
            for argument in ("initializer", "regularizer"):
                value = getattr(scope, argument, None)
                if value is not None and value.literal is not None:
                    raise Unsupported(f"{where} is inside a variable_scope whose {argument}= applies to its variables")
        record = layers.lookup(site.api)
        layer = layers.keras_constructor(record, site.call, tf=planner.tf)
        if layer.unmapped:
            raise Unsupported(f"{where}: " + "; ".join(f"{u.param}: {u.reason}" for u in layer.unmapped))
        if layer.normalizer is not None or layer.activation is not None:
            raise Unsupported(f"{where} applies a normalizer_fn, which a sublayer does not follow yet")
        inputs = _inputs_arg(site, record)
        if layer.inputs is None or inputs is None or site.call.has_star_args:
            raise Unsupported(f"{where}: its input is not a plain argument")
        names = counters.setdefault(site.location.scopes, ScopeNames())
        name = _tf1_name(layer, record, names, where)
        auto_named = layer.name is None and name is not None
        if name is None:
            leaf: tuple = ("unique", record.default_name or record.keras_class.lower(), site.call.start)
        else:
            leaf = ("const", name)
            if layer.name is None:
                layer = layers.keras_constructor(record, site.call, tf=planner.tf, name=_python_string(name))
        key = planner._components(site.location) + (leaf,)
        use = _use(site, layer, inputs)
        if key in groups:
            if groups[key].api != site.api:
                raise Unsupported(f"scope `{name}` holds two different layers in `{planner.name}`")
            groups[key].uses.append(use)
            continue
        kept = {a.start for a in use.kept}
        exprs = [a.value for a in site.call.args if a.start not in kept and a.keyword not in _CALL_KEYWORDS]
        groups[key] = LayerGroup(key, site.api, layer, [use], exprs, auto_named)
    _check_default_names(planner, [g for g in groups.values() if len(g.key) == 1 and g.key[0][0] == "const"])
    return list(groups.values())


def _check_default_names(planner, top: list[LayerGroup]) -> None:
    """Without a scope of its own, the function's layers count in its caller's scope: TF1 names them
    ``dense``, ``dense_1`` only when it runs once and nothing else opens layers there."""
    if planner.own is not None or not any(g.auto_named for g in top):
        return
    calls = [c for c in planner.graph.calls if c.call.callee == planner.name]
    if len(calls) > 1 or any(c.location.loops for c in calls):
        raise Unsupported(
            f"`{planner.name}` opens no variable scope and is called more than once: TF1 names its layers anew "
            "each time (dense, dense_1, ...)"
        )
    others = [s for s in planner.graph.layers if s.location.context != planner.name and not s.location.scopes]
    if others:
        line = planner.graph.stmts[others[0].location.stmt_id].line
        raise Unsupported(
            f"`{planner.name}` opens no variable scope and {others[0].api} on line {line} names layers in the "
            "same scope: TF1's default layer names depend on the order they run in"
        )


def _tf1_name(layer: KerasLayer, record, names: ScopeNames, where: str) -> Optional[str]:
    if layer.name is not None:
        value = literal(layer.name)
        if not isinstance(value, str):
            raise Unsupported(f"{where}: its name `{layer.name}` is computed at run time")
        if "/" in value:
            raise Unsupported(f"{where}: Keras layer names cannot contain '/' ({value})")
        return names.opened(value) if record.variable_scope else value
    if record.default_name is None or not record.variable_scope:
        return None
    return names.default(record.default_name)


def _inputs_arg(site: LayerSite, record) -> Optional[Arg]:
    call = site.call
    return call.keyword(record.params[0].tf1) or next((a for a in call.args if a.keyword is None and not a.star), None)


def _use(site: LayerSite, layer: KerasLayer, inputs: Arg) -> LayerUse:
    kept, added = [inputs], []
    for keyword, value in layer.call_kwargs:
        # contrib's ``is_training=flag`` is Keras' ``training=flag``: the argument stays, under Keras' keyword
        written = next((a for a in site.call.args if a.keyword and a.value.text == value), None)
        if written is not None:
            kept.append(written if written.keyword == keyword else dataclasses.replace(written, keyword=keyword))
        else:
            added.append((keyword, value))
    return LayerUse(site, tuple(kept), tuple(added))


def keras_weights(group: LayerGroup) -> tuple[tuple[str, str], ...]:
    return tuple((w.tf1, w.keras) for w in group.layer.weights)


def _python_string(value: str) -> str:
    return '"' + value.replace("\\", "\\\\").replace('"', '\\"') + '"'
