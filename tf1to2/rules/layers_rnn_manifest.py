"""The manifest unit of a converted ``dynamic_rnn`` / ``bidirectional_dynamic_rnn`` (not a rule itself).

Each TF1 variable of the cell maps to the Keras weights it fills, through the ``tf1to2.relayout``
transform id the cell catalog gives (``tf1_lstm.kernel``, ``tf1_lstm.bias(forget_bias=1.0)``, ...): an LSTM's
one TF1 ``kernel`` appears twice, once for ``cell.kernel`` and once for ``cell.recurrent_kernel``. Shapes
are the Keras weights' (``kernel`` [input, gates * units]). The example runs the TF1 call alone in a fresh
graph, the cells constructed inline, and rebuilds TF1's ``(outputs, state)`` structure from the Keras
layer's flat result (an LSTM state as ``(c, h)``). The unit is the recurrent layer alone: the example
leaves out what the converted code puts around it (a ``DropoutWrapper``, ``sequence_length``,
``initial_state``); its ``construct`` names the converted module's initializer (``cell_initializer``).
"""
from __future__ import annotations

from typing import Optional

from tf1to2.catalog import rnn
from tf1to2.catalog.args import arguments_of, bind, literal
from tf1to2.manifest import Example, TensorSpec, Unit, Weight
from tf1to2.rules.layers_rnn_plan import PlannedRNN, params

_GATES = {"LSTM": 4, "GRU": 3, "SimpleRNN": 1}
_RESULT = {  # TF1's structure from Keras' flat result (merge_mode=None for Bidirectional)
    ("LSTM", False): "(lambda outputs, h, c: (outputs, (c, h)))(*unit(inputs))",
    ("LSTM", True): "(lambda fw, bw, fw_h, fw_c, bw_h, bw_c: ((fw, bw), ((fw_c, fw_h), (bw_c, bw_h))))(*unit(inputs))",
    ("other", False): "tuple(unit(inputs))",
    ("other", True): "(lambda fw, bw, fw_h, bw_h: ((fw, bw), (fw_h, bw_h)))(*unit(inputs))",
}


def weights(item: PlannedRNN, spec: Optional[TensorSpec]) -> list[Weight]:
    found = []
    prefixes = (("fw/", "forward_layer."), ("bw/", "backward_layer.")) if item.bidirectional else (("", ""),)
    for cell, (scope, attribute) in zip(item.cells, prefixes):
        units = literal(bind([p.tf1 for p in cell.record.params], arguments_of(cell.call)).get("num_units"))
        units = units if isinstance(units, int) else None
        size = spec.shape[-1] if spec is not None and len(spec.shape) == 3 else None
        for weight in rnn.call_weights(cell.record, cell.call):
            found.append(Weight(
                tf1_name=f"{item.scope}/{scope}{cell.name}/{weight.tf1}",
                attribute=attribute + weight.keras,
                shape=_shape(weight.keras, cell.record.keras_class, size, units),
                transform=weight.transform,
            ))
    return found


def _shape(keras: str, keras_class: str, size: Optional[int], units: Optional[int]) -> tuple:
    width = units * _GATES[keras_class] if units is not None else None
    if keras.endswith("recurrent_kernel"):
        return (units, width)
    if keras.endswith("kernel"):
        return (size, width)
    return (width,)


def stacked_units(item: PlannedRNN, codes: list[str], spec: Optional[TensorSpec], line: int) -> tuple[Unit, ...]:
    """A MultiRNNCell's layers, one unit each (no example: TF1 cannot run one cell of the stack alone)."""
    found = []
    depth = spec.shape[-1] if spec is not None and len(spec.shape) == 3 else None
    size = depth
    starts = {item.directions[0][0]} if item.directions else set()  # where the backward chain starts
    for index, (cell, code) in enumerate(zip(item.cells, codes)):
        size = depth if index in starts else size
        units = literal(bind([p.tf1 for p in cell.record.params], arguments_of(cell.call)).get("num_units"))
        units = units if isinstance(units, int) else None
        weights = tuple(
            Weight(f"{item.scope}/{cell.name}/{w.tf1}", w.keras, _shape(w.keras, cell.record.keras_class, size, units),
                   transform=w.transform)
            for w in rnn.call_weights(cell.record, cell.call)
        )
        found.append(Unit(kind="layer", source=item.api, line=line, class_name=cell.record.keras_class,
                          call_params=("inputs",), weights=weights))
        size = units
    return tuple(found)


def unit(item: PlannedRNN, code: str, spec: Optional[TensorSpec], line: int) -> Unit:
    keras_class = "Bidirectional" if item.bidirectional else item.cells[0].record.keras_class
    return Unit(kind="layer", source=item.api, line=line, class_name=keras_class, call_params=("inputs",),
                weights=tuple(weights(item, spec)), example=_example(item, code, spec))


def _example(item: PlannedRNN, code: str, spec: Optional[TensorSpec]) -> Optional[Example]:
    if spec is None or len(spec.shape) != 3 or item.time_major:  # the layer takes batch-major inputs
        return None
    # The unit is the recurrent layer alone: its cells without their DropoutWrapper (applied around it).
    keys = ("cell_fw", "cell_bw") if item.bidirectional else ("cell",)
    bound = bind(params(item.api), arguments_of(item.call))
    cells = {bound.get(key, "").strip(): cell.source for key, cell in zip(keys, item.cells)}
    # ... and without sequence_length / initial_state (a mask and states the unit's call does not pass).
    around = ("sequence_length", "initial_state", "initial_state_fw", "initial_state_bw")
    if any(key in around for key in list(bound.values)[:len(item.call.positional)]):
        return None
    arguments = []
    for arg in item.call.args:
        if arg.keyword in around:
            continue
        text = arg.value.text.strip()
        if text == item.inputs.strip() and arg.value.kind == "name":
            text = "inputs"
        elif text in cells:
            text = cells[text]
        arguments.append(f"{arg.keyword}={text}" if arg.keyword else text)
    original = f"{item.call.func.text}({', '.join(arguments)})"
    lstm = "LSTM" if item.cells[0].record.keras_class == "LSTM" else "other"
    return Example(inputs=(TensorSpec("inputs", spec.shape, spec.dtype),), original=original, construct=code,
                   call=_RESULT[(lstm, item.bidirectional)])

