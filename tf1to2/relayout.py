"""Re-layout TF1 RNN cell weights for Keras' recurrent layers (numpy only).

TF1 cells keep one kernel over the concatenation ``[inputs, state]``; Keras keeps ``kernel`` (input rows)
and ``recurrent_kernel`` (state rows), with its own gate order:

- ``LSTMCell`` / ``BasicLSTMCell``: columns in gate order i, j, f, o (j is the candidate); Keras' LSTM
  uses i, f, c, o. TF1 adds ``forget_bias`` to the forget gate at run time; Keras has no such term, so it
  is folded into the bias (and Keras' ``unit_forget_bias`` only sets the initial value).
- ``GRUCell``: ``gates/kernel`` holds r, u (reset, update) and ``candidate/kernel`` the candidate; Keras'
  ``GRU(reset_after=False)`` uses z, r, h with z = TF1's u (both compute ``h = z * h_prev + (1 - z) * c``).
- ``BasicRNNCell``: one kernel, split in two.

Each conversion has a stable transform id, recorded in the manifest as ``Weight.transform`` and applied
by ``apply_transform``: ``tf1_lstm.kernel``, ``tf1_lstm.recurrent_kernel``,
``tf1_lstm.bias(forget_bias=1.0)``, ``tf1_gru.kernel``, ``tf1_gru.recurrent_kernel``, ``tf1_gru.bias``,
``tf1_rnn.kernel``, ``tf1_rnn.recurrent_kernel``. GRU transforms read two TF1 variables: the manifest
names ``.../gates/...`` and the transform reads the sibling ``.../candidate/...`` itself.
"""
from __future__ import annotations

import dataclasses
import re
from typing import Callable

import numpy as np

Read = Callable[[str], np.ndarray]  # TF1 variable name → value (a checkpoint reader's get_tensor)


# --- LSTM ---------------------------------------------------------------------------------------------

def _lstm_units(kernel: np.ndarray) -> int:
    if kernel.shape[-1] % 4:
        raise ValueError(f"an LSTM kernel has 4 * units columns, not {kernel.shape[-1]}")
    return kernel.shape[-1] // 4


def _ijfo_to_ifco(columns: np.ndarray) -> np.ndarray:
    i, j, f, o = np.split(columns, 4, axis=-1)
    return np.concatenate([i, f, j, o], axis=-1)


def _ifco_to_ijfo(columns: np.ndarray) -> np.ndarray:
    i, f, c, o = np.split(columns, 4, axis=-1)
    return np.concatenate([i, c, f, o], axis=-1)


def lstm_kernel(kernel: np.ndarray) -> np.ndarray:
    """TF1 ``[input + units, 4 * units]`` (i, j, f, o) → Keras ``kernel`` ``[input, 4 * units]`` (i, f, c, o)."""
    units = _lstm_units(kernel)
    return _ijfo_to_ifco(kernel[:-units])


def lstm_recurrent_kernel(kernel: np.ndarray) -> np.ndarray:
    """TF1 kernel → Keras ``recurrent_kernel`` ``[units, 4 * units]``."""
    units = _lstm_units(kernel)
    return _ijfo_to_ifco(kernel[-units:])


def lstm_bias(bias: np.ndarray, forget_bias: float = 1.0) -> np.ndarray:
    """TF1 bias (i, j, f, o) → Keras bias (i, f, c, o) with TF1's run-time ``forget_bias`` folded in."""
    keras = _ijfo_to_ifco(bias).copy()
    units = _lstm_units(bias)
    keras[units:2 * units] += forget_bias
    return keras


def lstm_to_tf1(kernel: np.ndarray, recurrent_kernel: np.ndarray, bias: np.ndarray,
                forget_bias: float = 1.0) -> tuple[np.ndarray, np.ndarray]:
    """Keras LSTM weights → TF1 cell ``(kernel, bias)``: the inverse of the three functions above."""
    units = _lstm_units(bias)
    unfolded = bias.copy()
    unfolded[units:2 * units] -= forget_bias
    return _ifco_to_ijfo(np.concatenate([kernel, recurrent_kernel], axis=0)), _ifco_to_ijfo(unfolded)


# --- GRU ----------------------------------------------------------------------------------------------

def _gru_units(candidate: np.ndarray) -> int:
    return candidate.shape[-1]


def _zrh(gates: np.ndarray, candidate: np.ndarray) -> np.ndarray:
    reset, update = np.split(gates, 2, axis=-1)
    return np.concatenate([update, reset, candidate], axis=-1)


def gru_kernel(gates_kernel: np.ndarray, candidate_kernel: np.ndarray) -> np.ndarray:
    """TF1 ``gates/kernel`` (r, u) and ``candidate/kernel`` → Keras ``kernel`` ``[input, 3 * units]`` (z, r, h)."""
    units = _gru_units(candidate_kernel)
    return _zrh(gates_kernel[:-units], candidate_kernel[:-units])


def gru_recurrent_kernel(gates_kernel: np.ndarray, candidate_kernel: np.ndarray) -> np.ndarray:
    units = _gru_units(candidate_kernel)
    return _zrh(gates_kernel[-units:], candidate_kernel[-units:])


def gru_bias(gates_bias: np.ndarray, candidate_bias: np.ndarray) -> np.ndarray:
    """Keras' ``reset_after=False`` GRU has one bias ``[3 * units]``: TF1's gate and candidate biases."""
    return _zrh(gates_bias, candidate_bias)


def gru_to_tf1(kernel: np.ndarray, recurrent_kernel: np.ndarray, bias: np.ndarray) -> dict[str, np.ndarray]:
    """Keras GRU weights → TF1 ``gates/kernel``, ``gates/bias``, ``candidate/kernel``, ``candidate/bias``."""
    full = np.concatenate([kernel, recurrent_kernel], axis=0)
    out = {}
    for suffix, value in (("kernel", full), ("bias", bias)):
        update, reset, candidate = np.split(value, 3, axis=-1)
        out[f"gates/{suffix}"] = np.concatenate([reset, update], axis=-1)
        out[f"candidate/{suffix}"] = candidate
    return out


# --- BasicRNNCell -------------------------------------------------------------------------------------

def rnn_kernel(kernel: np.ndarray) -> np.ndarray:
    return kernel[:-kernel.shape[-1]]


def rnn_recurrent_kernel(kernel: np.ndarray) -> np.ndarray:
    return kernel[-kernel.shape[-1]:]


# --- transform ids ------------------------------------------------------------------------------------

@dataclasses.dataclass(frozen=True)
class Transform:
    """A re-layout: ``function(value, *sibling values, **parameters)``.

    ``siblings`` are (suffix in the manifest's TF1 name, replacement) pairs naming the other TF1
    variables the transform reads (``gates/kernel`` → ``candidate/kernel``).
    """

    function: Callable[..., np.ndarray]
    siblings: tuple[tuple[str, str], ...] = ()
    parameters: tuple[str, ...] = ()


_GRU_KERNEL = (("gates/kernel", "candidate/kernel"),)
TRANSFORMS: dict[str, Transform] = {
    "tf1_lstm.kernel": Transform(lstm_kernel),
    "tf1_lstm.recurrent_kernel": Transform(lstm_recurrent_kernel),
    "tf1_lstm.bias": Transform(lstm_bias, parameters=("forget_bias",)),
    "tf1_gru.kernel": Transform(gru_kernel, _GRU_KERNEL),
    "tf1_gru.recurrent_kernel": Transform(gru_recurrent_kernel, _GRU_KERNEL),
    "tf1_gru.bias": Transform(gru_bias, (("gates/bias", "candidate/bias"),)),
    "tf1_rnn.kernel": Transform(rnn_kernel),
    "tf1_rnn.recurrent_kernel": Transform(rnn_recurrent_kernel),
}
_ID = re.compile(r"^(?P<name>[\w.]+)(?:\((?P<params>[^)]*)\))?$")


def parse(transform: str) -> tuple[Transform, dict[str, float]]:
    """``tf1_lstm.bias(forget_bias=0.5)`` → (the transform, {"forget_bias": 0.5})."""
    match = _ID.match(transform.strip())
    if match is None or match["name"] not in TRANSFORMS:
        raise KeyError(f"unknown weight transform {transform!r}")
    spec = TRANSFORMS[match["name"]]
    parameters: dict[str, float] = {}
    for item in filter(None, (p.strip() for p in (match["params"] or "").split(","))):
        key, _, value = item.partition("=")
        if key.strip() not in spec.parameters:
            raise KeyError(f"weight transform {transform!r} takes no parameter {key.strip()!r}")
        parameters[key.strip()] = float(value)
    return spec, parameters


def source_names(transform: str, tf1_name: str) -> list[str]:
    """Every TF1 variable the transform reads for the manifest weight named ``tf1_name``."""
    spec, _ = parse(transform)
    names = [tf1_name]
    for suffix, replacement in spec.siblings:
        if not tf1_name.endswith(suffix):
            raise ValueError(f"transform {transform!r} expects a TF1 name ending in {suffix!r}, not {tf1_name!r}")
        names.append(tf1_name[: -len(suffix)] + replacement)
    return names


def apply_transform(transform: str, tf1_name: str, read: Read) -> np.ndarray:
    """The Keras value of a manifest weight: read its TF1 variable(s) and re-layout them."""
    spec, parameters = parse(transform)
    values = [np.asarray(read(name)) for name in source_names(transform, tf1_name)]
    return spec.function(*values, **parameters)
