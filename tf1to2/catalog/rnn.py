"""TF1 RNN cells and the Keras recurrent layers that compute the same, with their weight re-layouts.

A TF1 cell keeps one kernel over ``[inputs, state]``; Keras keeps ``kernel`` and ``recurrent_kernel``
with its own gate order. Each ``CellWeight`` says which TF1 variable (relative to the cell's scope) fills
which Keras attribute (relative to the Keras layer) through which ``tf1to2.relayout`` transform id; the
manifest records the same triple per weight (``Weight.transform``).

Initial values: TF1 draws one glorot-uniform matrix over ``[inputs + units, gates * units]`` (a GRU two:
``gates`` over ``2 * units`` columns, ``candidate`` over ``units``); Keras draws ``kernel`` (glorot
uniform) and ``recurrent_kernel`` (orthogonal) separately. Any slice of a glorot-uniform draw is uniform
within the whole matrix's limit ``sqrt(6 / (input_depth + units + columns))``, which depends on the input
depth for both Keras weights: no ``VarianceScaling`` (its variance is ``scale / fan`` of the one weight it
fills) can express it, and a GRU's kernel needs two limits side by side. ``INITIALIZER_TEMPLATE`` is a
small initializer class doing exactly that; given both ``kernel_initializer`` and
``recurrent_initializer`` of a layer it learns the input depth from the kernel, which Keras builds first
(or is told it). Without it (``initializer=None`` to ``keras_layer``) fresh weights come from Keras'
distributions (reported by ``notes``). TF1's initial biases (LSTM zeros with forget_bias folded in, GRU
gates 1.0 and candidate 0.0, BasicRNNCell zeros) are reproduced either way.
"""
from __future__ import annotations

import dataclasses
import string
from typing import Any, Optional

from tf1to2.catalog.args import arguments_of, bind, literal, operand
from tf1to2.catalog.initializers import Rendered
from tf1to2.catalog.params import apply, call_text
from tf1to2.catalog.records import REQUIRED, Param, Role

_INIT_NOTE = (
    "TF1 initializes the input and recurrent kernels as one glorot-uniform matrix; Keras draws kernel and "
    "recurrent_kernel separately (glorot uniform, orthogonal): fresh weights differ in distribution, loaded "
    "weights compute the same numbers"
)


INITIALIZER_CLASS = "TF1GlorotUniform"
INITIALIZER_TEMPLATE = string.Template('''
class $name($tf.keras.initializers.Initializer):
    """TF1's RNN cells draw one glorot-uniform matrix over [inputs + state, columns]; Keras splits it into
    kernel (the inputs' rows) and recurrent_kernel (the state's). Each is uniform within the whole matrix's
    limit sqrt(6 / (input_depth + units + columns)), for each TF1 matrix of `columns` side by side (a GRU's
    gates and candidate). Given both, an instance learns input_depth from the kernel, which Keras builds first.
    """

    def __init__(self, units, columns, input_depth=None):
        self.units, self.columns, self.input_depth = units, list(columns), input_depth

    def __call__(self, shape, dtype=None, **kwargs):
        if self.input_depth is None:
            self.input_depth = shape[0]
        blocks = []
        for width in self.columns:
            limit = (6 / (self.input_depth + self.units + width)) ** 0.5
            blocks.append($tf.random.uniform([shape[0], width], -limit, limit, dtype=dtype or "float32"))
        return $tf.concat(blocks, axis=1)

    def get_config(self):
        return {"units": self.units, "columns": self.columns, "input_depth": self.input_depth}


# Keras rebuilds a Bidirectional layer's forward layer from its configuration: it must find the class.
$tf.keras.utils.register_keras_serializable("tf1to2")($name)
''')
_COLUMNS = {"LSTM": "[4 * {u}]", "GRU": "[2 * {u}, {u}]", "SimpleRNN": "[{u}]"}


def initializer_code(record: "CellRecord", call_args: Any, input_depth: Optional[str], *, name: str) -> Optional[str]:
    """The construction of the ``INITIALIZER_TEMPLATE`` class that reproduces the cell's default kernel
    draw, or None when the cell is given its own initializer (TF1 draws that one over the joint matrix too:
    passed to both Keras weights as it is)."""
    bound = bind([p.tf1 for p in record.params], arguments_of(call_args))
    given = bound.get("initializer") or bound.get("kernel_initializer")
    if (given is not None and literal(given) is not None) or "num_units" not in bound:
        return None
    units = bound.get("num_units").strip()
    columns = _COLUMNS[record.keras_class].format(u=operand(units))
    depth = f", input_depth={input_depth}" if input_depth is not None else ""
    return f"{name}(units={units}, columns={columns}{depth})"


@dataclasses.dataclass(frozen=True)
class CellWeight:
    tf1: str  # relative to the cell's scope: ``kernel``, ``gates/kernel``
    keras: str  # relative to the Keras layer: ``cell.kernel``
    transform: Optional[str]  # a ``tf1to2.relayout`` transform id; None: copied as is


@dataclasses.dataclass(frozen=True)
class CellRecord:
    api: str
    keras_class: str  # ``LSTM`` (under ``tf.keras.layers``); the cell class is ``keras_class + "Cell"``
    params: tuple[Param, ...]
    default_name: str  # the cell's scope inside the RNN's scope (``rnn/lstm_cell``)
    weights: tuple[CellWeight, ...]
    fixed: tuple[tuple[str, str], ...] = ()
    notes: tuple[str, ...] = ()


def _common_tail() -> tuple[Param, ...]:
    return (Param("reuse", None, "None", Role.REUSE), Param("name", "name", "None", Role.NAME),
            Param("dtype", None, "None", Role.IGNORED))


def _unsupported(name: str, reason: str, default: str = "None") -> Param:
    return Param(name, None, default, Role.UNSUPPORTED, reason=reason)


_UNITS = Param("num_units", "units", REQUIRED)
_ACTIVATION = Param("activation", "activation", "None")
_STATE_IS_TUPLE = _unsupported("state_is_tuple", "Keras returns the LSTM state as two tensors (h, c) only", "True")
_LSTM_WEIGHTS = (
    CellWeight("kernel", "cell.kernel", "tf1_lstm.kernel"),
    CellWeight("kernel", "cell.recurrent_kernel", "tf1_lstm.recurrent_kernel"),
    CellWeight("bias", "cell.bias", "tf1_lstm.bias(forget_bias={forget_bias})"),
)
_LSTM_FIXED = (("recurrent_activation", '"sigmoid"'),)

RECORDS: dict[str, CellRecord] = {
    "tf.nn.rnn_cell.BasicLSTMCell": CellRecord(
        "tf.nn.rnn_cell.BasicLSTMCell", "LSTM",
        (_UNITS, Param("forget_bias", None, "1.0", Role.SPECIAL), _STATE_IS_TUPLE, _ACTIVATION, *_common_tail()),
        "basic_lstm_cell", _LSTM_WEIGHTS, _LSTM_FIXED, (_INIT_NOTE,),
    ),
    "tf.nn.rnn_cell.LSTMCell": CellRecord(
        "tf.nn.rnn_cell.LSTMCell", "LSTM",
        (_UNITS, _unsupported("use_peepholes", "Keras' LSTM has no peephole connections", "False"),
         _unsupported("cell_clip", "Keras' LSTM does not clip the cell state"),
         Param("initializer", None, "None", Role.SPECIAL),
         _unsupported("num_proj", "Keras' LSTM has no output projection"),
         _unsupported("proj_clip", "Keras' LSTM has no output projection"),
         _unsupported("num_unit_shards", "sharded kernels have no Keras equivalent"),
         _unsupported("num_proj_shards", "sharded kernels have no Keras equivalent"),
         Param("forget_bias", None, "1.0", Role.SPECIAL), _STATE_IS_TUPLE, _ACTIVATION, *_common_tail()),
        "lstm_cell", _LSTM_WEIGHTS, _LSTM_FIXED, (_INIT_NOTE,),
    ),
    "tf.nn.rnn_cell.GRUCell": CellRecord(
        "tf.nn.rnn_cell.GRUCell", "GRU",
        (_UNITS, _ACTIVATION, Param("reuse", None, "None", Role.REUSE), Param("kernel_initializer", None, "None", Role.SPECIAL),
         Param("bias_initializer", None, "None", Role.SPECIAL), Param("name", "name", "None", Role.NAME),
         Param("dtype", None, "None", Role.IGNORED)),
        "gru_cell",
        (CellWeight("gates/kernel", "cell.kernel", "tf1_gru.kernel"),
         CellWeight("gates/kernel", "cell.recurrent_kernel", "tf1_gru.recurrent_kernel"),
         CellWeight("gates/bias", "cell.bias", "tf1_gru.bias")),
        (("recurrent_activation", '"sigmoid"'), ("reset_after", "False")), (_INIT_NOTE,),
    ),
    "tf.nn.rnn_cell.BasicRNNCell": CellRecord(
        "tf.nn.rnn_cell.BasicRNNCell", "SimpleRNN", (_UNITS, _ACTIVATION, *_common_tail()), "basic_rnn_cell",
        (CellWeight("kernel", "cell.kernel", "tf1_rnn.kernel"),
         CellWeight("kernel", "cell.recurrent_kernel", "tf1_rnn.recurrent_kernel"),
         CellWeight("bias", "cell.bias", None)),
        notes=(_INIT_NOTE,),
    ),
}
ALIASES = {api.replace("tf.nn.rnn_cell.", "tf.contrib.rnn."): api for api in RECORDS}


def lookup(api: Optional[str]) -> Optional[CellRecord]:
    if api is None:
        return None
    return RECORDS.get(ALIASES.get(api, api))


def weights(record: CellRecord, forget_bias: str = "1.0") -> tuple[CellWeight, ...]:
    """The record's weights with the forget bias written into the LSTM bias transform id."""
    value = literal(forget_bias)
    text = repr(float(value)) if isinstance(value, (int, float)) else forget_bias
    return tuple(dataclasses.replace(w, transform=w.transform.format(forget_bias=text)) if w.transform else w
                 for w in record.weights)


def call_weights(record: CellRecord, call_args: Any = ()) -> tuple[CellWeight, ...]:
    """The weights of one TF1 cell construction (``LSTMCell(128, forget_bias=0.5)``), transforms filled in."""
    bound = bind([p.tf1 for p in record.params], arguments_of(call_args))
    return weights(record, bound.get("forget_bias", "1.0"))


def keras_layer(record: CellRecord, call_args: Any = (), *, tf: str = "tf", sequence: bool = True,
                state: bool = True, initializer: Optional[str] = None) -> Rendered:
    """The Keras recurrent layer for a TF1 cell (``return_sequences`` / ``return_state`` as dynamic_rnn).

    ``initializer``: an expression (a name bound to ``initializer_code``) for both kernels, so fresh
    weights are drawn as TF1 draws them; None keeps Keras' initializers and notes the difference.
    """
    bound = bind([p.tf1 for p in record.params], arguments_of(call_args))
    out = apply(record.params, bound, record.api)
    units = bound.get("num_units", "units")
    notes = list(out.notes) + [n for n in record.notes if initializer is None or n != _INIT_NOTE]
    if initializer is not None:
        out.keywords["kernel_initializer"] = initializer
        out.keywords["recurrent_initializer"] = initializer
    if record.keras_class == "LSTM":
        forget_bias = bound.get("forget_bias", "1.0")
        value = literal(forget_bias)
        if value in (0, 1):
            out.keywords["unit_forget_bias"] = repr(value == 1)
        else:
            # Keras' bias holds TF1's bias + forget_bias (relayout folds it in); start where TF1 starts.
            out.keywords["unit_forget_bias"] = "False"
            fill = repr(float(value)) if isinstance(value, (int, float)) else f"float({forget_bias})"
            out.keywords["bias_initializer"] = (
                f"{tf}.keras.initializers.Constant([0.0] * {operand(units)} + [{fill}] * {operand(units)}"
                f" + [0.0] * (2 * {operand(units)}))"
            )
    if record.keras_class == "GRU":
        bias = bound.get("bias_initializer")
        if bias is None or literal(bias) is None:
            # TF1 starts the reset and update gate biases at 1.0 and the candidate bias at 0.0.
            out.keywords["bias_initializer"] = (
                f"{tf}.keras.initializers.Constant([1.0] * (2 * {operand(units)}) + [0.0] * {operand(units)})"
            )
        else:
            out.keywords["bias_initializer"] = bias
        kernel = bound.get("kernel_initializer")
        if kernel is not None and literal(kernel) is not None:
            out.keywords["kernel_initializer"] = kernel
            out.keywords["recurrent_initializer"] = kernel
    initializer = bound.get("initializer")
    if initializer is not None and literal(initializer) is not None:
        out.keywords["kernel_initializer"] = initializer
        out.keywords["recurrent_initializer"] = initializer
    out.keywords.update(record.fixed)
    out.keywords["return_sequences"] = repr(sequence)
    out.keywords["return_state"] = repr(state)
    if out.name is not None:
        out.keywords["name"] = out.name
    return Rendered(call_text(f"{tf}.keras.layers.{record.keras_class}", out.keywords), tuple(out.unmapped),
                    tuple(dict.fromkeys(notes)))
