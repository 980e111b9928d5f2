"""Render the Keras layer for one TF1 layer call: ``keras_constructor(record, call_args)``.

Arguments are carried over by the roles in the record (``params.apply``); what data cannot say is done by
the record's ``special`` hook: contrib's ``normalizer_fn`` (no bias, the normalizer and then the
activation after the layer), ``biases_initializer=None`` (no bias), batch norm's ``param_initializers``
and ``data_format``, layer norm's axes, the fused batch norm note.

Initializer and regularizer arguments are converted through their catalogs when ``resolve`` (source
text of a callee → TF1 API name, see ``catalog.resolver``) recognizes them; otherwise they are kept.
"""
from __future__ import annotations

import ast
from typing import Any, Callable, Optional

from tf1to2.catalog import initializers, regularizers
from tf1to2.catalog.args import MISSING, Bound, arguments_of, bind, dict_items, is_false, is_none, literal
from tf1to2.catalog.params import Rendering, apply, call_text
from tf1to2.catalog.records import KerasLayer, LayerRecord, WeightName

Resolve = Callable[[str], Optional[str]]


def keras_constructor(
    record: LayerRecord,
    call_args: Any = (),
    *,
    tf: str = "tf",
    resolve: Optional[Resolve] = None,
    name: Optional[str] = None,
) -> KerasLayer:
    """The Keras layer a TF1 call of ``record`` becomes.

    call_args: an ``analysis.syntax.Call``, ``catalog.args.Argument``s or ``(keyword, text)`` pairs.
    tf: how the module spells ``tensorflow`` (the code says ``{tf}.keras.layers.Dense``).
    resolve: names callees in argument values (``slim.l2_regularizer`` → ``tf.contrib.layers.l2_regularizer``).
    name: source text of the layer name to use when the call gives none (TF1's uniquified default name,
      see ``catalog.names.ScopeNames``); None leaves the name to Keras.
    """
    bound = bind(record.parameter_names, arguments_of(call_args))
    out = apply(record.params, bound, record.api, _converter(tf, resolve))
    if record.special:
        _SPECIALS[record.special](record, bound, out, tf, resolve)
    for keyword, value in record.fixed:
        out.keywords.setdefault(keyword, value)
    layer_name = out.name if out.name is not None else name
    if layer_name is not None:
        out.keywords["name"] = layer_name
    code = call_text(f"{tf}.keras.layers.{record.keras_class}", out.keywords)
    return KerasLayer(
        record=record,
        code=code,
        inputs=out.inputs,
        call_kwargs=tuple(out.call_kwargs.items()),
        name=out.name,
        reuse=out.reuse,
        weights=_present_weights(record.weights, out.keywords),
        normalizer=out.normalizer,
        activation=out.activation,
        unmapped=tuple(out.unmapped),
        notes=tuple(dict.fromkeys(out.notes + list(record.notes))),
    )


def _present_weights(weights: tuple[WeightName, ...], keywords: dict) -> tuple[WeightName, ...]:
    return tuple(w for w in weights if w.when is None or not is_false(keywords.get(w.when)))


def _converter(tf: str, resolve: Optional[Resolve]):
    def convert(kind: str, text: str) -> str:
        if resolve is None:
            return text
        return convert_argument(kind, text, tf, resolve)[0]
    return convert


def convert_argument(kind: str, text: str, tf: str, resolve: Resolve) -> tuple[str, tuple[str, ...]]:
    """An initializer or regularizer argument in TF2 form, when it is a call the catalogs know."""
    callee, args = _split_call(text)
    if callee is None:
        return text, ()
    api = resolve(callee)
    if kind == "initializer":
        record = initializers.lookup(api)
        rendered = initializers.render(record, args, tf=tf) if record else None
    else:
        record = regularizers.lookup(api)
        rendered = regularizers.render(record, args, tf=tf) if record else None
    if rendered is None or rendered.unmapped:
        return text, ()
    return rendered.code, rendered.notes


def _split_call(text: str) -> tuple[Optional[str], tuple]:
    """``slim.l2_regularizer(0.1)`` → (``slim.l2_regularizer``, ((None, ``0.1``),))."""
    try:
        node = ast.parse(text.strip(), mode="eval").body
    except SyntaxError:
        return None, ()
    if not isinstance(node, ast.Call) or not isinstance(node.func, (ast.Name, ast.Attribute)):
        return None, ()
    source = text.strip()
    args = [(None, ast.get_source_segment(source, a), "*" if isinstance(a, ast.Starred) else "") for a in node.args]
    args += [(k.arg, ast.get_source_segment(source, k.value), "" if k.arg else "**") for k in node.keywords]
    return ast.get_source_segment(source, node.func), tuple(args)


# --- special hooks: (record, bound, rendering, tf, resolve) ------------------------------------------

def _contrib_dense(record: LayerRecord, bound: Bound, out: Rendering, tf: str, resolve: Optional[Resolve]) -> None:
    count_keyword = "units" if record.keras_class == "Dense" else "filters"
    outputs = bound.get("num_outputs")
    if outputs is None:
        out.unmap("num_outputs", "", f"{record.api} requires num_outputs")
    elif is_none(outputs):
        out.unmap("num_outputs", outputs, "num_outputs=None (a depthwise-only layer) has no Keras equivalent here")
    else:
        out.keywords = {count_keyword: outputs, **out.keywords}
    biases = bound.get("biases_initializer")
    normalizer_fn = bound.get("normalizer_fn")
    if normalizer_fn is not None and not is_none(normalizer_fn):
        # contrib: the layer has no bias; the normalizer and then the activation follow it.
        activation = out.keywords.get("activation")
        out.keywords["activation"] = "None"
        _insert_after(out.keywords, "activation", "use_bias", "False")
        if activation is not None and not is_none(activation):
            out.activation = f"{tf}.nn.relu" if literal(activation) == "relu" else activation
        out.normalizer = _normalizer(normalizer_fn, bound.get("normalizer_params"), out, tf, resolve)
        return
    if biases is not None and is_none(biases):
        _insert_after(out.keywords, "activation", "use_bias", "False")
    elif biases is not None:
        out.keywords["bias_initializer"] = _converter(tf, resolve)("initializer", biases)


def _insert_after(keywords: dict, after: str, key: str, value: str) -> None:
    items = list(keywords.items())
    index = next((i + 1 for i, (k, _) in enumerate(items) if k == after), len(items))
    items.insert(index, (key, value))
    keywords.clear()
    keywords.update(items)


def _normalizer(fn: str, params: Optional[str], out: Rendering, tf: str, resolve: Optional[Resolve]) -> Optional[KerasLayer]:
    from tf1to2.catalog import layers  # the layer table imports this module

    record = layers.lookup(resolve(fn)) if resolve is not None else None
    if record is None or record.is_class:
        out.unmap("normalizer_fn", fn, f"normalizer_fn {fn} is not a TF1 layer the catalog knows")
        return None
    items = {} if params is None or is_none(params) else dict_items(params)
    if items is None:
        out.unmap("normalizer_params", params or "", "normalizer_params must be a dict display to be carried over")
        return None
    # The normalizer runs inside the layer's own scope, where its default name is always free.
    default = f'"{record.default_name}"' if record.default_name else None
    return keras_constructor(record, tuple(items.items()), tf=tf, resolve=resolve, name=default)


def _contrib_batch_norm(record: LayerRecord, bound: Bound, out: Rendering, tf: str, resolve: Optional[Resolve]) -> None:
    _activation_after(bound, out)
    fmt = bound.get("data_format")
    if fmt is not None:
        value = literal(fmt)
        if value == "NCHW":
            out.keywords["axis"] = "1"
        elif value is MISSING:
            out.keywords["axis"] = f'(1 if {fmt} == "NCHW" else -1)'
    convert = _converter(tf, resolve)
    for param, kind in (("param_initializers", "initializer"), ("param_regularizers", "regularizer")):
        text = bound.get(param)
        if text is None or is_none(text):
            continue
        items = dict_items(text)
        if items is None:
            out.unmap(param, text, f"{param} must be a dict display to be carried over")
            continue
        for key, value in items.items():
            out.keywords[f"{key}_{kind}"] = convert(kind, value)
    updates = bound.get("updates_collections")
    if updates is not None and not is_none(updates) and "UPDATE_OPS" not in updates:
        out.notes.append(f"updates_collections={updates}: Keras applies the moving-average updates in call")
    _fused_note(record, bound, out, tf, resolve)


def _fused_note(record: LayerRecord, bound: Bound, out: Rendering, tf: str, resolve: Optional[Resolve]) -> None:
    if not is_false(bound.get("fused")):
        from tf1to2.catalog.layers import FUSED_NOTE

        out.notes.append(FUSED_NOTE)


def _activation_after(bound: Bound, out: Rendering) -> None:
    activation = bound.get("activation_fn")
    if activation is not None and not is_none(activation):
        out.activation = activation


def _contrib_layer_norm(record: LayerRecord, bound: Bound, out: Rendering, tf: str, resolve: Optional[Resolve]) -> None:
    _activation_after(bound, out)
    begin_norm = bound.get("begin_norm_axis", "1")
    begin_params = bound.get("begin_params_axis", "-1")
    if literal(begin_params) != -1:
        out.unmap("begin_params_axis", begin_params,
                  "Keras' LayerNormalization has parameters over exactly the normalized axes; only -1 converts")
    out.keywords["axis"] = "-1"
    if literal(begin_norm) not in (-1, 1):
        out.unmap("begin_norm_axis", begin_norm, "only begin_norm_axis 1 (rank-2 inputs) or -1 converts")
    elif literal(begin_norm) == 1:
        out.notes.append(
            "contrib's layer_norm normalizes over every axis from 1 with parameters on the last axis only; "
            "LayerNormalization(axis=-1) is exact for rank-2 inputs"
        )


def _embed_sequence(record: LayerRecord, bound: Bound, out: Rendering, tf: str, resolve: Optional[Resolve]) -> None:
    for param, keyword in (("vocab_size", "input_dim"), ("embed_dim", "output_dim")):
        text = bound.get(param)
        if text is None or is_none(text):
            out.keywords.pop(keyword, None)
            out.unmap(param, text or "", f"{param} is needed to build the Embedding (TF1 allowed None only when reusing)")
    initializer = bound.get("initializer")
    if initializer is None or is_none(initializer):
        # get_variable's default for float weights; Keras' Embedding defaults to uniform(-0.05, 0.05).
        out.keywords["embeddings_initializer"] = f"{tf}.keras.initializers.GlorotUniform()"


_SPECIALS = {
    "contrib_dense": _contrib_dense,
    "contrib_batch_norm": _contrib_batch_norm,
    "contrib_layer_norm": _contrib_layer_norm,
    "embed_sequence": _embed_sequence,
    "fused_note": _fused_note,
}

__all__ = ["keras_constructor", "convert_argument"]
