"""Manifest weights between the TF1 layout and the converted layout (numpy only, through ``tf1to2.relayout``).

Loading goes TF1 → converted: ``relayout.apply_transform`` reads one or two TF1 variables for each
converted weight, and one TF1 variable may fill several weights (an LSTM kernel fills ``kernel`` and
``recurrent_kernel``). Everything ``verify`` compares (fresh values, gradients, weights after training
steps) goes the other way: the converted side's arrays are mapped back to TF1 names and layout with the
inverses (``lstm_to_tf1``, ``gru_to_tf1``), so the comparison and its report speak of the original's
variables. The re-layouts only split, reorder and concatenate, plus LSTM's constant ``forget_bias``: a
gradient, or an optimizer slot, is mapped with the same functions and no forget bias.
"""
from __future__ import annotations

import inspect
from typing import Any, Callable, Iterable, Optional, Sequence

import numpy as np

from tf1to2 import relayout
from tf1to2.manifest import Weight

Parts = dict[str, tuple[Weight, np.ndarray]]  # transform part (kernel, recurrent_kernel, bias) → weight, value
_DEFAULT_FORGET_BIAS = float(inspect.signature(relayout.lstm_bias).parameters["forget_bias"].default)


def source_names(weight: Weight) -> list[str]:
    """The TF1 variables a manifest weight's value comes from."""
    if weight.transform is None:
        return [weight.tf1_name]
    return relayout.source_names(weight.transform, weight.tf1_name)


def converted_value(weight: Weight, read: Callable[[str], Any], *, shift: bool = True) -> np.ndarray:
    """The converted weight's value from TF1 values; ``shift=False`` leaves out the forget bias (slots)."""
    if weight.transform is None:
        return np.asarray(read(weight.tf1_name))
    transform = weight.transform if shift else _without_shift(weight.transform)
    return relayout.apply_transform(transform, weight.tf1_name, read)


def _without_shift(transform: str) -> str:
    spec, _ = relayout.parse(transform)
    if "forget_bias" not in spec.parameters:
        return transform
    return f"{transform.split('(')[0].strip()}(forget_bias=0.0)"


def _family_and_part(transform: str) -> tuple[str, str]:
    relayout.parse(transform)  # an unknown id fails here, with its name
    name = transform.split("(")[0].strip()
    family, _, part = name.partition(".")
    return family, part


def _forget_bias(transform: str) -> float:
    _, parameters = relayout.parse(transform)
    return parameters.get("forget_bias", _DEFAULT_FORGET_BIAS)


def _cell(family: str, tf1_name: str) -> str:
    """The TF1 cell scope a transformed weight belongs to: the weights of one cell are inverted together."""
    if family == "tf1_gru":
        for suffix in ("gates/kernel", "gates/bias"):
            if tf1_name.endswith(suffix):
                return tf1_name[: -len(suffix)]
        raise ValueError(f"a GRU weight's TF1 name ends in gates/kernel or gates/bias, not {tf1_name!r}")
    return tf1_name.rsplit("/", 1)[0]


def to_tf1(pairs: Iterable[tuple[Weight, Any]], *, gradient: bool = False) -> dict[str, np.ndarray]:
    """Converted weights' values (or gradients, ``gradient=True``) → {TF1 name: value in the TF1 layout}.

    A cell whose weights are not all present cannot be inverted and raises ``ValueError`` naming the
    missing part."""
    out: dict[str, np.ndarray] = {}
    cells: dict[tuple[str, str], Parts] = {}
    for weight, value in pairs:
        value = np.asarray(value)
        if weight.transform is None:
            out[weight.tf1_name] = value
            continue
        family, part = _family_and_part(weight.transform)
        cells.setdefault((family, _cell(family, weight.tf1_name)), {})[part] = (weight, value)
    for (family, cell), parts in cells.items():
        out.update(_invert(family, cell, parts, gradient))
    return out


def _parts(family: str, cell: str, parts: Parts, wanted: Sequence[str]) -> list:
    missing = [part for part in wanted if part not in parts]
    if missing:
        raise ValueError(f"{family} cell {cell!r}: no converted weight with transform {family}.{missing[0]}")
    return [parts[part] for part in wanted]


def _invert(family: str, cell: str, parts: Parts, gradient: bool) -> dict[str, np.ndarray]:
    if family == "tf1_lstm":
        (kernel, k), (_, rk), (bias, b) = _parts(family, cell, parts, ("kernel", "recurrent_kernel", "bias"))
        shift = 0.0 if gradient else _forget_bias(bias.transform or "")
        tf1_kernel, tf1_bias = relayout.lstm_to_tf1(k, rk, b, forget_bias=shift)
        return {kernel.tf1_name: tf1_kernel, bias.tf1_name: tf1_bias}
    if family == "tf1_gru":
        (_, k), (_, rk), (_, b) = _parts(family, cell, parts, ("kernel", "recurrent_kernel", "bias"))
        return {cell + suffix: value for suffix, value in relayout.gru_to_tf1(k, rk, b).items()}
    if family == "tf1_rnn":
        (kernel, k), (_, rk) = _parts(family, cell, parts, ("kernel", "recurrent_kernel"))
        return {kernel.tf1_name: np.concatenate([k, rk], axis=0)}
    raise ValueError(f"no inverse for weight transforms of {family!r}")


def tf1_names(weights: Iterable[Weight]) -> list[str]:
    """Every TF1 variable the weights come from, in order, once each."""
    names: dict[str, None] = {}
    for weight in weights:
        names.update(dict.fromkeys(source_names(weight)))
    return list(names)


def weight_of(pairs: Iterable[tuple[Weight, Any]], variable: Any) -> Optional[Weight]:
    return next((weight for weight, bound in pairs if bound is variable), None)
