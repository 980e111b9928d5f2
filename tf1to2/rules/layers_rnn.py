"""Module-level ``dynamic_rnn`` / ``bidirectional_dynamic_rnn`` / ``static_rnn`` over TF1 cells → Keras layers.

Before:
    cell = tf.nn.rnn_cell.DropoutWrapper(tf.nn.rnn_cell.LSTMCell(128), output_keep_prob=keep)
    outputs, state = tf.nn.dynamic_rnn(cell, embedded, sequence_length=lengths, dtype=tf.float32)

After:
    cell_initializer = TF1GlorotUniform(units=128, columns=[4 * 128])
    cell = tf.keras.layers.LSTM(units=128, kernel_initializer=cell_initializer,
                                recurrent_initializer=cell_initializer, unit_forget_bias=True,
                                recurrent_activation="sigmoid", return_sequences=True, return_state=True,
                                name="rnn")
    cell_mask = tf.sequence_mask(lengths, maxlen=tf.shape(embedded)[1])
    outputs, state_h, state_c = cell(embedded, mask=cell_mask)
    outputs = tf.nn.dropout(outputs, rate=1 - keep)
    outputs = outputs * tf.cast(cell_mask, outputs.dtype)[:, :, tf.newaxis]
    state = (state_c, state_h)

A ``MultiRNNCell`` (a list of cells, or ``[cell for _ in range(n)]``) becomes one Keras layer per cell
(``rnn_cell_0``, ``rnn_cell_1``, TF1 names ``rnn/multi_rnn_cell/cell_0/lstm_cell/kernel``), each called on
the previous one's outputs, and the state the tuple of their states. In a bidirectional RNN each direction
becomes such a chain, the backward one over the sequences reversed (within their lengths, as TF1 does)
and its outputs reversed back; so does a bidirectional RNN with a ``DropoutWrapper`` (TF1 draws each
direction's masks apart; Keras' ``Bidirectional`` gives both directions the same inputs).
``BasicLSTMCell`` / ``LSTMCell`` → ``LSTM`` (forget_bias folded into the bias: ``unit_forget_bias`` or a
constant bias initializer), ``GRUCell`` → ``GRU(reset_after=False)`` with TF1's gate biases starting at
1.0, ``BasicRNNCell`` → ``SimpleRNN``; ``bidirectional_dynamic_rnn`` → ``Bidirectional(forward,
backward_layer=..., merge_mode=None)``. The result keeps dynamic_rnn's structure: all outputs, and the
final state, an LSTM's as ``(c, h)`` like TF1's ``LSTMStateTuple``. The layer is named after TF1's scope
(``rnn``, ``bidirectional_rnn``), and the manifest records each TF1 variable (``rnn/lstm_cell/kernel``)
with the ``tf1to2.relayout`` transform that splits TF1's one kernel into ``kernel`` and
``recurrent_kernel`` and reorders the gates, so TF1 checkpoints load and compute the same numbers.
The ``tf.contrib.rnn`` spellings are the same cells.

Fresh kernels are drawn as TF1 draws them: a ``TF1GlorotUniform`` class, defined once after the imports,
draws each Keras kernel within the limit of the one glorot-uniform matrix TF1 draws over [inputs + state,
columns] (the input depth given when the inputs are a placeholder whose last dimension is a literal or
module names bound before the layer, else learned from the kernel, which Keras builds first).
``DropoutWrapper(input_keep_prob=, output_keep_prob=)`` → ``tf.nn.dropout`` of the whole input / output
sequence: each value dropped independently, as TF1's new mask per step does, and on every call, as TF1's
wrapper does (Keras' ``dropout=`` keeps one mask per sequence, and drops only in training); with
``variational_recurrent=True`` one mask for every step and every sequence of the batch, as TF1 draws it
(``noise_shape=[1, 1, depth]``).
``sequence_length`` → ``mask=tf.sequence_mask(...)``: Keras carries the state through the masked steps as
TF1 does, and the outputs there are multiplied by the mask (TF1 zeroes them; Keras repeats the last one).
``initial_state`` → ``initial_state=[...]``, an LSTM's ``(c, h)`` as Keras' ``[h, c]``.
``static_rnn`` → the list of steps stacked on axis 1, the layer run, its outputs unstacked.
``time_major=True`` → the inputs transposed to batch-major and the outputs back.

Caveats:
    Only module-level statements ``outputs, state = dynamic_rnn(...)`` whose cells are constructed
    inline or bound once and used only there. Reported (TF477) and left to the API upgrade: ``state_keep_prob`` (TF1
    drops the state handed to the next step and the final state it returns; Keras' ``recurrent_dropout``
    masks the previous output inside the recurrent product and returns the state undropped), a
    ``variational_recurrent`` or ``time_major`` that is not a literal, ``static_bidirectional_rnn``, an
    initial state for one direction only, and an LSTM state read as ``.c`` / ``.h`` (Keras 3 has no
    ``LSTMStateTuple``; nor has it for an ``LSTMStateTuple`` built outside the call: one built in the
    ``initial_state=`` argument is taken apart). Dropout draws the same distribution as TF1, not the same
    random numbers. A bidirectional RNN over inputs whose depth is not known from a placeholder keeps
    Keras' initializers (Keras rebuilds the forward layer from its configuration, so the kernel initializer
    could not tell the recurrent one the input depth): reported as a note. A cell given its own
    ``initializer`` / ``kernel_initializer`` passes it to both Keras kernels (TF1 draws it over the joint
    matrix: a glorot or variance-scaling one then differs in fan).
"""
from __future__ import annotations

import ast
import dataclasses
from typing import Iterator, Optional

import gast

from tf1to2.analysis import syntax
from tf1to2.analysis.module import ModuleContext
from tf1to2.catalog import rnn
from tf1to2.catalog.args import arguments_of, bind, operand
from tf1to2.catalog.params import keep_prob_to_rate
from tf1to2.diagnostics import Severity
from tf1to2.manifest import Unit
from tf1to2.rewrite.edits import Edit
from tf1to2.rules import api_names, layers_rnn_manifest
from tf1to2.rules.base import Finding
from tf1to2.rules.layers_manifest import module_placeholders
from tf1to2.rules.layers_rnn_plan import PlannedRNN, Target, plan

CODES = {
    "TF476": "module-level dynamic_rnn / bidirectional_dynamic_rnn / static_rnn over TF1 cells → a Keras recurrent "
             "layer",
    "TF477": "RNN cell or dynamic_rnn not converted to a Keras layer (the reason is given)",
}
SEVERITY = Severity.INFO
SEVERITIES = {"TF477": Severity.WARNING}


def check(module: ModuleContext) -> Iterator[Finding]:
    ir = syntax.build(module)
    tf = api_names.tf_alias(module)
    taken = {ref.name for stmt in ir.walk() for ref in stmt.reads()} | set(module.imports.bindings)
    taken |= {target for stmt in ir.walk() for target in stmt.targets}
    placeholders = module_placeholders(ir)
    helper = _Helper(_fresh(rnn.INITIALIZER_CLASS, taken), _after_imports(module), tf or "tf")
    for item in plan(ir):
        line = module.lines.line_of(item.call.start)
        col = item.call.start - module.lines.starts[line - 1]
        reason = item.reason or ("" if tf is not None else "the module does not import tensorflow")
        if reason:
            yield Finding("TF477", line, col, f"{item.api} is not converted to a Keras layer: {reason}",
                          severity=Severity.WARNING)
            continue
        spec = None if item.static else placeholders.get(item.inputs.strip())
        yield _converted(item, tf, taken, spec, ir, module.text, (line, col), helper)


@dataclasses.dataclass
class _Helper:
    """The initializer class drawing fresh kernels as TF1 does: defined once, after the imports, by the
    first finding that uses it."""

    name: str
    offset: int
    tf: str
    emitted: bool = False

    def edits(self, used: bool, text: str) -> list[Edit]:
        if not used or self.emitted:
            return []
        self.emitted = True
        code = rnn.INITIALIZER_TEMPLATE.substitute(name=self.name, tf=self.tf).strip("\n")
        blank_after = len(text[self.offset:]) - len(text[self.offset:].lstrip("\n"))
        return [Edit(self.offset, self.offset, f"\n\n{code}\n" + "\n" * max(0, 2 - blank_after))]


def _input_depth(spec, ir: syntax.ModuleIR, inputs: str, before: int) -> Optional[str]:
    """The inputs' depth as code valid where the layer is created: a placeholder's literal last dimension,
    or the module-level names it is written with (``[None, 6, embed_dim]``) bound once before that."""
    depth = spec.shape[-1] if spec is not None and len(spec.shape) == 3 else None
    if isinstance(depth, int):
        return str(depth)
    stmt = next((s for s in ir.body if s.targets == (inputs.strip(),) and s.kind == "assign" and s.value is not None
                 and s.value.kind == "call" and s.value.calls[0].tf_name == "tf.placeholder"), None)
    if stmt is None:
        return None
    call = stmt.value.calls[0]
    shape = call.keyword("shape") or (call.positional[1] if len(call.positional) > 1 else None)
    try:
        node = ast.parse(shape.value.text.strip(), mode="eval").body if shape is not None else None
    except SyntaxError:
        return None
    if not isinstance(node, (ast.List, ast.Tuple)) or len(node.elts) != 3:
        return None
    last = node.elts[-1]
    names = {n.id for n in ast.walk(last) if isinstance(n, ast.Name)}
    if any(isinstance(n, ast.Call) for n in ast.walk(last)) or any(
            [s.start for s in ir.walk() if name in s.targets] != [s.start for s in ir.body if name in s.targets]
            or len([s for s in ir.body if name in s.targets]) != 1
            or next(s for s in ir.body if name in s.targets).start >= before for name in names):
        return None
    return ast.unparse(last)


def _converted(item: PlannedRNN, tf: str, taken: set[str], spec, ir: syntax.ModuleIR, text: str,
               position: tuple[int, int], helper: _Helper) -> Finding:
    line, col = position
    if item.stacked:
        return _stacked(item, tf, taken, spec, ir, text, position, helper)
    lstm = item.cells[0].record.keras_class == "LSTM"
    if not item.bidirectional and item.cell_stmts:
        layer = item.cell_stmts[0].targets[0]
        anchor = item.cell_stmts[0]
    else:
        layer = _fresh(item.scope, taken)
        anchor = item.stmt
    # A bidirectional layer's forward layer is rebuilt from its configuration: the input depth must be known.
    depth = _input_depth(spec, ir, item.inputs, anchor.start)
    directions = ("fw", "bw") if item.bidirectional else ("",)
    inits = [rnn.initializer_code(cell.record, cell.call, depth, name=helper.name)
             if depth is not None or not item.bidirectional else None for cell in item.cells]
    names = [_fresh(f"{layer}_{d}_initializer" if d else f"{layer}_initializer", taken) if init else None
             for d, init in zip(directions, inits)]
    code, notes, unmapped = _keras_code(item, tf, names)
    if item.bidirectional and depth is None:
        notes += ("Keras' initializers are kept: the inputs' depth is not known where the layer is created (from a "
                  "placeholder's last dimension), and the Bidirectional layer rebuilds its forward layer from its "
                  "configuration, so the TF1-style initializer could not learn it",)
    if unmapped:
        return Finding("TF477", line, col, f"{item.api} is not converted to a Keras layer: {'; '.join(unmapped)}",
                       severity=Severity.WARNING)
    edits = helper.edits(any(inits), text)
    setup = "".join(f"{name} = {init}\n{anchor.indent}" for name, init in zip(names, inits) if init)
    if anchor is not item.stmt:
        edits.append(Edit(anchor.start, anchor.start, setup))
        edits.append(Edit(anchor.value.start, anchor.value.end, code))
    else:
        edits.append(Edit(item.stmt.start, item.stmt.start, f"{setup}{layer} = {code}\n{item.stmt.indent}"))
        edits += [Edit(stmt.start, _line_end(stmt, text), "") for stmt in item.cell_stmts]
    flat, rebuilt = _unpack(item.targets, lstm, item.bidirectional, taken)
    steps = flat[0] if item.static and flat[0] != "_" else None
    if steps:
        flat[0] = _fresh(f"{steps}_sequence", taken)
    cell = item.cells[0]
    mask, lines = _mask(item, tf, layer, taken)
    states = [part for c, state in zip(item.cells, item.initial_states) for part in _keras_state(state, c)]
    extra = (f", mask={mask}" if mask else "") + (f", initial_state=[{', '.join(states)}]" if states else "")
    sequence = _dropout(tf, _sequence(item, tf), cell.input_keep, cell.variational)
    lines.append(f"{', '.join(flat)} = {layer}({sequence}{extra})")
    for output in [o for o in flat[:2 if item.bidirectional else 1] if o != "_"]:
        if cell.output_keep:
            lines.append(f"{output} = {_dropout(tf, output, cell.output_keep, cell.variational)}")
        if mask:
            lines.append(_zero_past_lengths(tf, output, mask))
        if item.time_major:
            lines.append(f"{output} = {_transposed(tf, output)}")
    if steps:
        lines.append(f"{steps} = {tf}.unstack({flat[0]}, axis=1)")
    lines += [f"{name} = {value}" for name, value in rebuilt]
    edits.append(Edit(item.stmt.start, item.stmt.end, f"\n{item.stmt.indent}".join(lines)))
    kind = "Bidirectional" if item.bidirectional else item.cells[0].record.keras_class
    weights = ", ".join(dict.fromkeys(w.tf1_name for w in layers_rnn_manifest.weights(item, None)))
    message = f"{item.api} over {item.cells[0].record.api} → tf.keras.layers.{kind} created once as `{layer}` " \
              f"(TF1 variables {weights}, re-laid out through the manifest)"
    message += "".join(f"; {note}" for note in notes + _notes(item))
    unit: Unit = layers_rnn_manifest.unit(item, code, spec, line)
    return Finding("TF476", line, col, message, tuple(edits), severity=Severity.WARNING if notes else Severity.INFO,
                   units=(unit,))


@dataclasses.dataclass
class _Chain:
    """The layers of one direction of a stacked RNN, called in turn."""

    direction: str  # "" (dynamic_rnn), "fw" or "bw"
    cells: tuple
    multi: bool  # its state is the tuple of its cells' states
    outputs: str  # the name its last outputs go to
    state: str  # the name its state goes to
    initial: Optional[str]  # TF1's initial state of the direction
    layers: tuple[str, ...] = ()


def _chains(item: PlannedRNN, taken: set[str]) -> tuple[list[_Chain], list[tuple[str, str]]]:
    """The directions' layer chains, and the assignments rebuilding TF1's bidirectional structure."""
    outputs, state = item.targets
    initial = item.initial_states or (None, None)
    if not item.bidirectional:
        return [_Chain("", item.cells, True, outputs, state, initial[0])], []
    rebuilt = []
    if isinstance(outputs, str):
        pair = (_fresh(f"{outputs}_fw", taken), _fresh(f"{outputs}_bw", taken))
        rebuilt.append((outputs, f"({pair[0]}, {pair[1]})"))
        outputs = pair
    if isinstance(state, str):
        pair = (_fresh(f"{state}_fw", taken), _fresh(f"{state}_bw", taken))
        rebuilt.append((state, f"({pair[0]}, {pair[1]})"))
        state = pair
    (fw_count, fw_multi), (_, bw_multi) = item.directions
    return [_Chain("fw", item.cells[:fw_count], fw_multi, outputs[0], state[0], initial[0]),
            _Chain("bw", item.cells[fw_count:], bw_multi, outputs[1], state[1], initial[1])], rebuilt


def _stacked(item: PlannedRNN, tf: str, taken: set[str], spec, ir: syntax.ModuleIR, text: str,
             position: tuple[int, int], helper: _Helper) -> Finding:
    """A MultiRNNCell: one Keras layer per cell, each over the previous one's outputs (the same numbers as
    stepping the stack: a cell's output at step t is the next cell's input at step t). Bidirectional: one
    chain per direction, the backward one over the sequences reversed within their lengths, as TF1 does."""
    line, col = position
    chains, rebuilt = _chains(item, taken)
    inits, names, rendered = [], [], []
    for chain in chains:
        prefix = f"{chain.direction}_cell" if chain.direction else "cell"
        chain.layers = tuple(_fresh(f"{item.scope}_{prefix}_{i}", taken) for i in range(len(chain.cells)))
        depth = _input_depth(spec, ir, item.inputs, item.stmt.start)
        for index, (layer, cell) in enumerate(zip(chain.layers, chain.cells)):
            inits.append(rnn.initializer_code(cell.record, cell.call, depth, name=helper.name))
            names.append(_fresh(f"{layer}_initializer", taken) if inits[-1] else None)
            rendered.append(rnn.keras_layer(cell.record, cell.arguments(f"{prefix}_{index}"), tf=tf,
                                            initializer=names[-1]))
            units = bind([p.tf1 for p in cell.record.params], arguments_of(cell.call)).get("num_units")
            depth = units.strip() if units is not None else None  # the next cell's input depth
    unmapped = [f"{u.param}: {u.reason}" for r in rendered for u in r.unmapped]
    if unmapped:
        return Finding("TF477", line, col, f"{item.api} is not converted to a Keras layer: {'; '.join(unmapped)}",
                       severity=Severity.WARNING)
    layers = [layer for chain in chains for layer in chain.layers]
    creation = "".join(f"{name} = {init}\n{item.stmt.indent}" for name, init in zip(names, inits) if init)
    creation += "".join(f"{layer} = {r.code}\n{item.stmt.indent}" for layer, r in zip(layers, rendered))
    edits = helper.edits(any(inits), text) + [Edit(item.stmt.start, item.stmt.start, creation)]
    edits += [Edit(stmt.start, _line_end(stmt, text), "") for stmt in item.cell_stmts]
    mask, lines = _mask(item, tf, item.scope, taken)
    for chain in chains:
        lines += _chain_lines(item, chain, tf, mask, taken)
    lines += [f"{name} = {value}" for name, value in rebuilt]
    edits.append(Edit(item.stmt.start, item.stmt.end, f"\n{item.stmt.indent}".join(lines)))
    cells = [cell for chain in chains for cell in chain.cells]
    described = ", ".join(f"`{layer}` ({item.scope}/{cell.name})" for layer, cell in zip(layers, cells))
    notes = tuple(dict.fromkeys(n for r in rendered for n in r.notes))
    message = (f"{item.api} → one chain of Keras layers per direction, the backward one over the reversed "
               f"sequences: {described}" if item.bidirectional else
               f"{item.api} over a MultiRNNCell → one Keras layer per cell, called in turn: {described}")
    message += "".join(f"; {note}" for note in notes + _notes(item))
    units = layers_rnn_manifest.stacked_units(item, [r.code for r in rendered], spec, line)
    return Finding("TF476", line, col, message, tuple(edits), severity=Severity.WARNING if notes else Severity.INFO,
                   units=units)


def _chain_lines(item: PlannedRNN, chain: _Chain, tf: str, mask: Optional[str], taken: set[str]) -> list[str]:
    outputs, state = chain.outputs, chain.state
    lines, parts, inputs = [], [], _sequence(item, tf)
    steps = outputs if item.static and outputs != "_" else None
    if chain.direction == "bw":
        inputs = _reversed(item, tf, inputs)
    count = len(chain.cells)
    initial = _split_state(chain.initial, count) if chain.initial and chain.multi else [chain.initial] * count
    for index, (layer, cell) in enumerate(zip(chain.layers, chain.cells)):
        last = index == count - 1
        output = (_fresh(f"{steps}_sequence", taken) if steps else outputs) if last \
            else _fresh(f"{outputs}_{index}", taken)
        states = _keras_state(initial[index], cell)
        extra = (f", mask={mask}" if mask else "") + (f", initial_state=[{', '.join(states)}]" if states else "")
        inputs = _dropout(tf, inputs, cell.input_keep, cell.variational) + extra
        if cell.record.keras_class == "LSTM":
            h, c = _fresh(f"{state}_{index}_h", taken), _fresh(f"{state}_{index}_c", taken)
            lines.append(f"{output}, {h}, {c} = {layer}({inputs})")
            parts.append(f"({c}, {h})")
        else:
            part = _fresh(f"{state}_{index}", taken)
            lines.append(f"{output}, {part} = {layer}({inputs})")
            parts.append(part)
        if cell.output_keep and output != "_":
            lines.append(f"{output} = {_dropout(tf, output, cell.output_keep, cell.variational)}")
        if last and output != "_":
            if mask:
                lines.append(_zero_past_lengths(tf, output, mask))
            if chain.direction == "bw":
                lines.append(f"{output} = {_reversed(item, tf, output)}")
            if item.time_major:
                lines.append(f"{output} = {_transposed(tf, output)}")
            if steps:
                lines.append(f"{steps} = {tf}.unstack({output}, axis=1)")
        inputs = output
    if state != "_":
        lines.append(f"{state} = ({', '.join(parts)}{',' if len(parts) == 1 else ''})" if chain.multi
                     else f"{state} = {parts[0]}")
    return lines


def _reversed(item: PlannedRNN, tf: str, sequence: str) -> str:
    """A batch-major sequence reversed in time, within each sequence's length when there are lengths."""
    if item.sequence_length is None:
        return f"{tf}.reverse({sequence}, axis=[1])"
    return f"{tf}.reverse_sequence({sequence}, {item.sequence_length}, seq_axis=1, batch_axis=0)"


def _dropout(tf: str, tensor: str, keep: Optional[str], variational: bool = False) -> str:
    """A DropoutWrapper's keep probability over a whole sequence: each value dropped independently, as TF1's
    new mask per step does (with ``variational_recurrent``, one mask over the time and batch axes), and on every call,
    as TF1's wrapper does (Keras' Dropout only when training)."""
    if keep is None:
        return tensor
    if not variational:
        return f"{tf}.nn.dropout({tensor}, rate={keep_prob_to_rate(keep)})"
    # TF1's variational mask is one for the whole batch, as well as for every step.
    return f"{tf}.nn.dropout({tensor}, rate={keep_prob_to_rate(keep)}, noise_shape=[1, 1, {tf}.shape({tensor})[2]])"


def _mask(item: PlannedRNN, tf: str, layer: str, taken: set[str]) -> tuple[Optional[str], list[str]]:
    """``sequence_length`` → a mask over the time steps: Keras skips the masked steps, carrying the state
    through as TF1 does (the final state is the last valid step's)."""
    if item.sequence_length is None:
        return None, []
    mask = _fresh(f"{layer}_mask", taken)
    steps = f"len({item.inputs})" if item.static else f"{tf}.shape({item.inputs})[{0 if item.time_major else 1}]"
    return mask, [f"{mask} = {tf}.sequence_mask({item.sequence_length}, maxlen={steps})"]


def _sequence(item: PlannedRNN, tf: str) -> str:
    """The layer's inputs, [batch, time, depth]: static_rnn's list of [batch, depth] steps stacked, time-major
    inputs transposed."""
    if item.static:
        return f"{tf}.stack({item.inputs}, axis=1)"
    return _transposed(tf, item.inputs) if item.time_major else item.inputs


def _transposed(tf: str, tensor: str) -> str:
    """[time, batch, depth] ↔ [batch, time, depth]."""
    return f"{tf}.transpose({tensor}, [1, 0, 2])"


def _zero_past_lengths(tf: str, output: str, mask: str) -> str:
    # TF1 outputs zeros past each sequence's length; Keras repeats the last valid output there.
    return f"{output} = {output} * {tf}.cast({mask}, {output}.dtype)[:, :, {tf}.newaxis]"


def _keras_state(state: Optional[str], cell) -> list[str]:
    """TF1's initial state of one cell → Keras' list: ``[h, c]`` from an LSTM's ``(c, h)``."""
    if state is None:
        return []
    if cell.record.keras_class != "LSTM":
        return [state]
    pair = _elements(state)
    if pair is not None and len(pair) == 2:
        return [pair[1], pair[0]]
    return [f"{operand(state)}[1]", f"{operand(state)}[0]"]


def _split_state(state: str, count: int) -> list[str]:
    """A MultiRNNCell's initial state (a tuple, one state per cell) → each cell's."""
    parts = _elements(state)
    return parts if parts is not None and len(parts) == count else [f"{operand(state)}[{i}]" for i in range(count)]


def _elements(text: str) -> Optional[list[str]]:
    """The elements of a tuple / list display or of an ``LSTMStateTuple(c, h)`` call, as source text."""
    try:
        node = ast.parse(text.strip(), mode="eval").body
    except SyntaxError:
        return None
    source = text.strip()
    if isinstance(node, ast.Call) and not node.keywords and ast.unparse(node.func).endswith("LSTMStateTuple"):
        return [ast.get_source_segment(source, e) for e in node.args]
    if isinstance(node, (ast.Tuple, ast.List)) and not any(isinstance(e, ast.Starred) for e in node.elts):
        return [ast.get_source_segment(source, e) for e in node.elts]
    return None


def _notes(item: PlannedRNN) -> tuple[str, ...]:
    notes = _dropout_note(item)
    if item.sequence_length is not None:
        notes += ("sequence_length → mask=tf.sequence_mask(...): the state past each length is carried through as "
                  "in TF1, and the outputs there multiplied by the mask (TF1 zeroes them; Keras repeats the last one)",)
    if item.initial_states and any(c.record.keras_class == "LSTM" for c in item.cells):
        notes += ("the LSTM initial state (c, h) → Keras' initial_state=[h, c]",)
    return notes


def _dropout_note(item: PlannedRNN) -> tuple[str, ...]:
    if not any(c.input_keep or c.output_keep for c in item.cells):
        return ()
    if any(c.variational for c in item.cells):
        return ("DropoutWrapper(variational_recurrent=True) → tf.nn.dropout over the whole input / output sequence "
                "with one mask for every step and sequence (noise_shape [1, 1, depth]) as TF1 does, on every call "
                "as TF1 does (Keras' dropout= drops only in training); the same distribution, not the same random "
                "numbers",)
    return ("DropoutWrapper → tf.nn.dropout over the whole input / output sequence: each value dropped "
            "independently, as TF1's new mask per step does, and on every call as TF1 does (Keras' dropout= "
            "would keep one mask per sequence, and only in training); the same distribution, not the same "
            "random numbers",)


def _keras_code(item: PlannedRNN, tf: str, initializers: list) -> tuple[str, tuple[str, ...], list[str]]:
    if not item.bidirectional:
        rendered = rnn.keras_layer(item.cells[0].record, item.cells[0].arguments(item.scope), tf=tf,
                                   initializer=initializers[0])
        return rendered.code, rendered.notes, [f"{u.param}: {u.reason}" for u in rendered.unmapped]
    forward = rnn.keras_layer(item.cells[0].record, item.cells[0].arguments("fw"), tf=tf, initializer=initializers[0])
    backward = rnn.keras_layer(item.cells[1].record, item.cells[1].arguments("bw"), tf=tf,
                               initializer=initializers[1])
    backward_code = backward.code[:-1] + ", go_backwards=True)"
    code = (f"{tf}.keras.layers.Bidirectional({forward.code}, backward_layer={backward_code}, merge_mode=None, "
            f'name="{item.scope}")')
    unmapped = [f"{u.param}: {u.reason}" for u in forward.unmapped + backward.unmapped]
    return code, tuple(dict.fromkeys(forward.notes + backward.notes)), unmapped


def _unpack(targets: Target, lstm: bool, two: bool, taken: set[str]) -> tuple[list[str], list[tuple[str, str]]]:
    """Names the Keras call's flat result is unpacked into, and the assignments rebuilding TF1's structure.

    Keras returns ``[outputs, h, c]`` (``[fw, bw, fw_h, fw_c, bw_h, bw_c]`` bidirectional, without the
    ``c`` for GRU / SimpleRNN); TF1 returned ``(outputs, state)`` with an LSTM state ``(c, h)``.
    """
    outputs, state = targets
    flat: list[str] = []
    rebuilt: list[tuple[str, str]] = []
    if two and isinstance(outputs, str):
        pair = [_fresh(f"{outputs}_fw", taken), _fresh(f"{outputs}_bw", taken)]
        flat += pair
        rebuilt.append((outputs, f"({pair[0]}, {pair[1]})"))
    else:
        flat += list(outputs) if two else [outputs]
    states = ([f"{state}_fw", f"{state}_bw"] if isinstance(state, str) else list(state)) if two else [state]
    direct = not two or not isinstance(state, str)
    parts = []
    for name in states:
        if not lstm:
            flat.append(name if direct else _fresh(name, taken))
            parts.append(flat[-1])
            continue
        if name == "_":
            flat += ["_", "_"]
            continue
        h, c = _fresh(f"{name}_h", taken), _fresh(f"{name}_c", taken)
        flat += [h, c]
        parts.append(f"({c}, {h})")
        if direct:
            rebuilt.append((name, parts[-1]))
    if not direct:
        rebuilt.append((state, f"({parts[0]}, {parts[1]})"))
    return flat, rebuilt


def _fresh(base: str, taken: set[str]) -> str:
    if base == "_":
        return base
    name, number = base, 1
    while name in taken:
        name, number = f"{base}_{number}", number + 1
    taken.add(name)
    return name


def _after_imports(module: ModuleContext) -> int:
    """The end of the module's leading docstring and imports, or of its TensorFlow import if that comes
    later: where the helper class goes."""
    body = module.tree.body
    starts = module.lines.starts
    end = lambda node: starts[node.end_lineno] if node.end_lineno < len(starts) else len(module.text)  # noqa: E731
    offset, leading = 0, True
    for node in body:
        docstring = isinstance(node, gast.Expr) and isinstance(node.value, gast.Constant) and node is body[0]
        imports = isinstance(node, (gast.Import, gast.ImportFrom))
        leading = leading and (imports or docstring)
        tensorflow = imports and any("tensorflow" in (getattr(node, "module", None) or "") + alias.name
                                     for alias in node.names)
        if leading or tensorflow:
            offset = end(node)
    return offset


def _line_end(stmt, text: str) -> int:
    """The end of the statement's line, its newline included, so removing it leaves no blank line."""
    return stmt.end + 1 if text[stmt.end:stmt.end + 1] == "\n" else stmt.end
