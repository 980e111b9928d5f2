"""Plan for module-level ``dynamic_rnn`` / ``bidirectional_dynamic_rnn`` / ``static_rnn`` over TF1 cells
(not a rule itself).

Finds each module-level statement ``outputs, state = tf.nn.dynamic_rnn(cell, inputs, ...)`` (and the
bidirectional and static forms) whose cells are TF1 cell constructions, possibly in a ``DropoutWrapper``
— inline, or a module name bound once to one and used only there — and works out the Keras layer, the
TF1 variable names (``rnn/lstm_cell/kernel``, ``bidirectional_rnn/fw/gru_cell/gates/kernel``), the
dropout, sequence lengths and initial states around it and the structure the TF1 call returned, or the
reason the call stays. Everything is positions and text; ``layers_rnn`` turns the plan into edits.
"""
from __future__ import annotations

import ast
import dataclasses
from typing import Optional, Union

from tf1to2.analysis.syntax import Call, ModuleIR, Stmt
from tf1to2.catalog import rnn
from tf1to2.catalog.args import Argument, arguments_of, bind, literal

DYNAMIC = ("tf.nn.dynamic_rnn",)
STATIC = ("tf.nn.static_rnn", "tf.contrib.rnn.static_rnn")  # a Python list of time steps in and out
BIDIRECTIONAL = ("tf.nn.bidirectional_dynamic_rnn",)
UNSUPPORTED = {
    "tf.nn.static_bidirectional_rnn": "static_bidirectional_rnn is not converted (its outputs are the two "
                                      "directions' concatenated, its states two results of three)",
    "tf.contrib.rnn.static_bidirectional_rnn": "static_bidirectional_rnn is not converted (its outputs are the two "
                                               "directions' concatenated, its states two results of three)",
    "tf.nn.static_state_saving_rnn": "state-saving RNNs have no Keras equivalent",
    "tf.nn.raw_rnn": "raw_rnn runs a user loop function; no Keras equivalent",
}
MULTI = "tf.nn.rnn_cell.MultiRNNCell"
DROPOUT = "tf.nn.rnn_cell.DropoutWrapper"
_DROPOUT_PARAMS = ("cell", "input_keep_prob", "output_keep_prob", "state_keep_prob", "variational_recurrent",
                   "input_size", "dtype", "seed", "dropout_state_filter_visitor")
_DYNAMIC_PARAMS = ("cell", "inputs", "sequence_length", "initial_state", "dtype", "parallel_iterations",
                   "swap_memory", "time_major", "scope")
_STATIC_PARAMS = ("cell", "inputs", "initial_state", "dtype", "sequence_length", "scope")
_BIDIRECTIONAL_PARAMS = ("cell_fw", "cell_bw", "inputs", "sequence_length", "initial_state_fw",
                         "initial_state_bw", "dtype", "parallel_iterations", "swap_memory", "time_major", "scope")

Target = Union[str, tuple]  # a name, or a tuple of targets


@dataclasses.dataclass(frozen=True)
class Cell:
    record: rnn.CellRecord
    call: Call
    name: str  # the cell's own TF1 scope (``lstm_cell``, or its name=)
    source: str = ""  # the cell's construction (inside its DropoutWrapper, if any)
    input_keep: Optional[str] = None  # a DropoutWrapper's input_keep_prob / output_keep_prob, None when 1.0
    output_keep: Optional[str] = None
    variational: bool = False  # variational_recurrent: one mask per sequence instead of one per step

    def arguments(self, layer_name: str, backwards: bool = False) -> tuple[Argument, ...]:
        """The cell's arguments for the Keras layer, its name replaced by the layer's."""
        kept = tuple(a for a in arguments_of(self.call) if a.keyword != "name")
        extra = (Argument("name", f'"{layer_name}"'),)
        return kept + extra + ((Argument("go_backwards", "True"),) if backwards else ())


@dataclasses.dataclass(frozen=True)
class PlannedRNN:
    call: Call
    stmt: Stmt
    api: str
    cells: tuple[Cell, ...] = ()  # one, forward and backward, or a MultiRNNCell's cells bottom up
    cell_stmts: tuple[Stmt, ...] = ()  # the statements binding the cells to names, removed once converted
    multi: bool = False  # the cells are a MultiRNNCell's (its state is a tuple of theirs, even for one cell)
    scope: str = ""  # the TF1 scope of the call (``rnn``, ``bidirectional_rnn``, or scope=)
    inputs: str = ""
    targets: Target = ()
    reason: str = ""
    sequence_length: Optional[str] = None  # the lengths' expression
    initial_states: tuple[Optional[str], ...] = ()  # TF1's initial state expression, one per direction
    time_major: bool = False  # inputs and outputs [time, batch, depth]
    # bidirectional with a MultiRNNCell: (cells, whether a MultiRNNCell) of the forward and backward direction
    directions: tuple[tuple[int, bool], ...] = ()

    @property
    def converted(self) -> bool:
        return not self.reason

    @property
    def bidirectional(self) -> bool:
        return self.api in BIDIRECTIONAL

    @property
    def stacked(self) -> bool:
        return self.multi

    @property
    def static(self) -> bool:
        """static_rnn: the inputs and outputs are Python lists of time steps."""
        return self.api in STATIC


def params(api: str) -> tuple[str, ...]:
    """The call's parameters in signature order."""
    return _BIDIRECTIONAL_PARAMS if api in BIDIRECTIONAL else _STATIC_PARAMS if api in STATIC else _DYNAMIC_PARAMS


def plan(ir: ModuleIR) -> list[PlannedRNN]:
    reads: dict[str, int] = {}
    for stmt in ir.walk():
        for ref in stmt.reads():
            if not ref.store:
                reads[ref.name] = reads.get(ref.name, 0) + 1
    bound: dict[str, list[Stmt]] = {}
    for stmt in ir.walk():
        for target in stmt.targets:
            bound.setdefault(target, []).append(stmt)
    found = []
    for stmt in ir.walk():
        for call in stmt.calls():
            if call.tf_name in UNSUPPORTED:
                found.append(PlannedRNN(call, stmt, call.tf_name, reason=UNSUPPORTED[call.tf_name]))
            elif call.tf_name in DYNAMIC + STATIC + BIDIRECTIONAL:
                found.append(_plan_call(call, stmt, ir, reads, bound))
    return found


def _plan_call(call: Call, stmt: Stmt, ir: ModuleIR, reads: dict, bound: dict) -> PlannedRNN:
    api = call.tf_name
    two = api in BIDIRECTIONAL
    refuse = lambda reason: PlannedRNN(call, stmt, api, reason=reason)  # noqa: E731
    if stmt not in ir.body:
        return refuse("only module-level statements are converted (this one is in a function, loop, branch or with block)")
    if call.has_star_args:
        return refuse("it has *args / **kwargs")
    args = bind(params(api), arguments_of(call))
    given = lambda p: args.get(p).strip() if literal(args.get(p, "None")) is not None else None  # noqa: E731
    lengths = given("sequence_length")
    initial = (given("initial_state_fw"), given("initial_state_bw")) if two else (given("initial_state"),)
    time_major = literal(args.get("time_major", "False"))
    if not isinstance(time_major, bool):
        return refuse("its time_major is not a literal True / False")
    scope = literal(args.get("scope", "None"))
    if scope is None:
        scope = "bidirectional_rnn" if two else "rnn"
    if not isinstance(scope, str) or "/" in scope:
        return refuse("its scope is not a literal name")
    if stmt.kind != "assign" or len(stmt.target_exprs) != 1 or stmt.value is None or \
            (stmt.value.start, stmt.value.end) != (call.start, call.end):
        return refuse("its result is not assigned as a whole to names (outputs, state = ...)")
    targets = _targets(stmt.target_exprs[0].text)
    if targets is None or not _shape_ok(targets, two):
        return refuse("its result is not unpacked into names (outputs, state = ... or (fw, bw), (fw_s, bw_s) = ...)")
    cells, stmts, directions = [], [], []
    for key in (("cell_fw", "cell_bw") if two else ("cell",)):
        found = _cell(args.get(key), call, ir, reads, bound)
        if isinstance(found, str):
            return refuse(found)
        cells.append(found[0])
        directions.append((len(found[0]), found[2]))
        stmts += [found[1]] if found[1] is not None else []
    # A MultiRNNCell, or dropout (TF1 draws each direction's masks apart; Keras' Bidirectional gives both the
    # same inputs): one chain of layers per direction, the cells named under fw/ and bw/.
    multi = any(stacked for _, stacked in directions) or \
        (two and any(c.input_keep or c.output_keep for chain in cells for c in chain))
    if two and multi:
        cells = [[dataclasses.replace(c, name=f"{d}/{c.name}") for c in chain] for d, chain in zip(("fw", "bw"), cells)]
    cells = [c for chain in cells for c in chain]
    if not args.get("inputs") or args.extra:
        return refuse("its inputs are not one plain argument")
    if two and not multi and cells[0].record.keras_class != cells[1].record.keras_class:
        return refuse("forward and backward cells of different kinds")
    if len(stmts) != len(set(s.start for s in stmts)):
        return refuse("one cell object used in both directions")
    state_names = _state_names(targets, two)
    lstm = cells[0].record.keras_class == "LSTM"
    if lstm and any((name, attr) in _attr_reads(ir) for name in state_names for attr in ("c", "h")):
        return refuse("the LSTM state is read as .c / .h: Keras 3 has no LSTMStateTuple (use state[0] / state[1])")
    if multi and not two and not isinstance(targets[1], str):
        return refuse("the state of a MultiRNNCell is not one name")
    if any(initial) and two and not all(initial):
        return refuse("only one direction's initial state is given (Keras' Bidirectional takes both or neither)")
    return PlannedRNN(call, stmt, api, tuple(cells), tuple(stmts), multi, scope, args.get("inputs", ""), targets,
                      sequence_length=lengths, initial_states=initial if any(initial) else (), time_major=time_major,
                      directions=tuple(directions) if two and multi else ())


def _cell(text: Optional[str], call: Call, ir: ModuleIR, reads: dict, bound: dict):
    """(the cells bottom up, the statement binding them to a name or None, whether they are a MultiRNNCell's),
    or the reason they stay."""
    if text is None:
        return "no cell argument"
    inline = next((c for c in call.args if c.value.text == text and c.value.kind == "call"), None)
    if inline is not None:
        cell_call, stmt = inline.value.calls[0], None
    else:
        name = text.strip()
        stmts = bound.get(name, [])
        if len(stmts) != 1 or stmts[0] not in ir.body or stmts[0].kind != "assign" or stmts[0].value is None \
                or stmts[0].value.kind != "call":
            return f"the cell {name} is not one module-level construction"
        if reads.get(name, 0) != 1:
            return f"the cell {name} is used elsewhere too (zero_state, state_size, another RNN)"
        stmt = stmts[0]
        cell_call = stmt.value.calls[0]
    if _canonical(cell_call.tf_name) == MULTI:
        cells = _stacked(cell_call)
        return cells if isinstance(cells, str) else (cells, stmt, True)
    cell = _one_cell(cell_call, "", inline.value.text if inline is not None else stmt.value.text)
    return cell if isinstance(cell, str) else ((cell,), stmt, False)


def _one_cell(cell_call: Call, prefix: str, source: str) -> Union[Cell, str]:
    if _canonical(cell_call.tf_name) == DROPOUT:
        return _dropout_wrapped(cell_call, prefix)
    record = rnn.lookup(cell_call.tf_name)
    if record is None:
        return f"the cell {cell_call.func.text} is not a TF1 cell the converter knows"
    own = literal(bind([p.tf1 for p in record.params], arguments_of(cell_call)).get("name", "None"))
    if own is not None and not isinstance(own, str):
        return "the cell's name is not a literal"
    return Cell(record, cell_call, prefix + (own or record.default_name), source.strip())


def _dropout_wrapped(wrapper: Call, prefix: str) -> Union[Cell, str]:
    """``DropoutWrapper(cell, input_keep_prob=, output_keep_prob=)``: TF1 draws a new mask at every step
    (each value of the [batch, time, depth] sequence independently), as ``tf.nn.dropout`` over the whole
    sequence does, or with ``variational_recurrent`` one mask for every step and sequence (``noise_shape``
    [1, 1, depth]); a dropped state has no such equivalent."""
    args = bind(_DROPOUT_PARAMS, arguments_of(wrapper))
    if wrapper.has_star_args or args.extra:
        return "the DropoutWrapper's arguments are not plain"
    variational = literal(args.get("variational_recurrent", "False"))
    if not isinstance(variational, bool):
        return "DropoutWrapper's variational_recurrent is not a literal True / False"
    if literal(args.get("state_keep_prob", "1.0")) != 1:
        return ("DropoutWrapper's state_keep_prob is not converted: TF1 drops the state handed to the next step "
                "and the final state it returns (an LSTM's h only); Keras' recurrent_dropout masks the previous "
                "output inside the recurrent product, from the first step on, and returns the state undropped")
    inner = wrapper.keyword("cell") or (wrapper.positional[0] if wrapper.positional else None)
    if inner is None or inner.value.kind != "call":
        return "the DropoutWrapper's cell is not constructed inline"
    cell = _one_cell(inner.value.calls[0], prefix, inner.value.text)
    if isinstance(cell, str) or cell.input_keep or cell.output_keep:
        return cell if isinstance(cell, str) else "nested DropoutWrappers are not converted"
    keep = {p: None if literal(args.get(p, "1.0")) == 1 else args.get(p).strip()
            for p in ("input_keep_prob", "output_keep_prob")}
    return dataclasses.replace(cell, input_keep=keep["input_keep_prob"], output_keep=keep["output_keep_prob"],
                               variational=variational)


def _stacked(multi: Call) -> Union[tuple[Cell, ...], str]:
    """``MultiRNNCell([LSTMCell(8), LSTMCell(4)])`` or ``[LSTMCell(8) for _ in range(2)]``: TF1 names the
    cells ``multi_rnn_cell/cell_<i>/<cell>``."""
    if len(multi.positional) != 1 or any(a.keyword not in (None, "state_is_tuple") for a in multi.args) \
            or literal(multi.keyword("state_is_tuple").value.text if multi.keyword("state_is_tuple") else "True") \
            is not True:
        return "MultiRNNCell arguments other than a list of cells are not converted"
    listed = multi.positional[0].value
    calls = _outermost(listed.calls)
    if listed.kind == "list" and calls and len(calls) == len(ast.parse(listed.text.strip(), mode="eval").body.elts):
        members = calls  # one construction per element
    else:
        comprehension = _repeated_call(listed.text)
        if comprehension is None:
            return "the MultiRNNCell's cells are not a list of cell constructions"
        constructions = [c for c in calls if c.tf_name]
        if len(constructions) != 1:
            return "the MultiRNNCell's cells are not a list of cell constructions"
        members = constructions * comprehension[0]
    cells = []
    for index, member in enumerate(members):
        source = listed.text[member.start - listed.start:member.end - listed.start]
        cell = _one_cell(member, f"multi_rnn_cell/cell_{index}/", source)
        if isinstance(cell, str):
            return cell
        cells.append(cell)
    return tuple(cells)


def _outermost(calls: tuple[Call, ...]) -> list[Call]:
    """The calls not nested in another one (a DropoutWrapper's, not the cell inside it)."""
    return [c for c in calls if not any(o is not c and o.start <= c.start and c.end <= o.end for o in calls)]


def _repeated_call(text: str) -> Optional[tuple[int]]:
    """``[<call> for _ in range(N)]`` with a literal N and a call that does not use the loop variable."""
    try:
        node = ast.parse(text.strip(), mode="eval").body
    except SyntaxError:
        return None
    if not isinstance(node, ast.ListComp) or len(node.generators) != 1 or node.generators[0].ifs:
        return None
    generator = node.generators[0]
    if not (isinstance(node.elt, ast.Call) and isinstance(generator.iter, ast.Call)
            and isinstance(generator.iter.func, ast.Name) and generator.iter.func.id == "range"
            and len(generator.iter.args) == 1 and isinstance(generator.iter.args[0], ast.Constant)
            and isinstance(generator.iter.args[0].value, int) and isinstance(generator.target, ast.Name)):
        return None
    if any(isinstance(n, ast.Name) and n.id == generator.target.id for n in ast.walk(node.elt)):
        return None
    return (generator.iter.args[0].value,)


def _canonical(api: Optional[str]) -> Optional[str]:
    return api.replace("tf.contrib.rnn.", "tf.nn.rnn_cell.") if api else api


def _targets(text: str) -> Optional[Target]:
    try:
        node = ast.parse(text.strip(), mode="eval").body
    except SyntaxError:
        return None
    return _target(node)


def _target(node: ast.AST) -> Optional[Target]:
    if isinstance(node, ast.Name):
        return node.id
    if isinstance(node, (ast.Tuple, ast.List)):
        inner = tuple(_target(e) for e in node.elts)
        return None if any(t is None for t in inner) else inner
    return None


def _shape_ok(targets: Target, two: bool) -> bool:
    if not isinstance(targets, tuple) or len(targets) != 2:
        return False
    if not two:
        return all(isinstance(t, str) for t in targets)
    return all(isinstance(t, str) or (len(t) == 2 and all(isinstance(e, str) for e in t)) for t in targets)


def _state_names(targets: tuple, two: bool) -> list[str]:
    state = targets[1]
    return [state] if isinstance(state, str) else list(state)


def _attr_reads(ir: ModuleIR) -> set[tuple[str, str]]:
    return {pair for stmt in ir.walk() for expr in stmt.exprs for pair in expr.attr_reads}
