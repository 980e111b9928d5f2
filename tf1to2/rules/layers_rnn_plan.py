"""Plan for module-level ``dynamic_rnn`` / ``bidirectional_dynamic_rnn`` over TF1 cells (not a rule itself).

Finds each module-level statement ``outputs, state = tf.nn.dynamic_rnn(cell, inputs, ...)`` (and the
bidirectional form) whose cells are TF1 cell constructions — inline, or a module name bound once to one
and used only there — and works out the Keras layer, the TF1 variable names (``rnn/lstm_cell/kernel``,
``bidirectional_rnn/fw/gru_cell/gates/kernel``) and the structure the TF1 call returned, or the reason
the call stays. Everything is positions and text; ``layers_rnn`` turns the plan into edits.
"""
from __future__ import annotations

import ast
import dataclasses
from typing import Optional, Union

from tf1to2.analysis.syntax import Call, ModuleIR, Stmt
from tf1to2.catalog import rnn
from tf1to2.catalog.args import Argument, arguments_of, bind, literal

DYNAMIC = ("tf.nn.dynamic_rnn",)
BIDIRECTIONAL = ("tf.nn.bidirectional_dynamic_rnn",)
UNSUPPORTED = {
    "tf.nn.static_rnn": "static_rnn takes and returns a Python list of time steps; Keras layers take one tensor",
    "tf.nn.static_bidirectional_rnn": "static_bidirectional_rnn takes a Python list of time steps",
    "tf.nn.static_state_saving_rnn": "state-saving RNNs have no Keras equivalent",
    "tf.nn.raw_rnn": "raw_rnn runs a user loop function; no Keras equivalent",
}
WRAPPERS = {
    "tf.nn.rnn_cell.MultiRNNCell": "MultiRNNCell (a stack of cells) is not converted yet: keep it or write "
                                   "Keras RNN(StackedRNNCells) by hand",
    "tf.nn.rnn_cell.DropoutWrapper": "DropoutWrapper is not converted yet (Keras cells take dropout / "
                                     "recurrent_dropout, with a different mask per step)",
}
_DYNAMIC_PARAMS = ("cell", "inputs", "sequence_length", "initial_state", "dtype", "parallel_iterations",
                   "swap_memory", "time_major", "scope")
_BIDIRECTIONAL_PARAMS = ("cell_fw", "cell_bw", "inputs", "sequence_length", "initial_state_fw",
                         "initial_state_bw", "dtype", "parallel_iterations", "swap_memory", "time_major", "scope")

Target = Union[str, tuple]  # a name, or a tuple of targets


@dataclasses.dataclass(frozen=True)
class Cell:
    record: rnn.CellRecord
    call: Call
    stmt: Optional[Stmt]  # the statement binding the cell to a name; None for an inline construction
    name: str  # the cell's own TF1 scope (``lstm_cell``, or its name=)

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
    cells: tuple[Cell, ...] = ()  # one, or forward and backward
    scope: str = ""  # the TF1 scope of the call (``rnn``, ``bidirectional_rnn``, or scope=)
    inputs: str = ""
    targets: Target = ()
    reason: str = ""

    @property
    def converted(self) -> bool:
        return not self.reason

    @property
    def bidirectional(self) -> bool:
        return len(self.cells) == 2


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
            elif call.tf_name in DYNAMIC + BIDIRECTIONAL:
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
    args = bind(_BIDIRECTIONAL_PARAMS if two else _DYNAMIC_PARAMS, arguments_of(call))
    if any(literal(args.get(p)) is not None for p in ("sequence_length", "initial_state", "initial_state_fw",
                                                      "initial_state_bw") if p in args):
        return refuse("sequence_length / initial_state are not converted (Keras masks and initial states differ "
                      "from TF1's zeroed outputs past the length and LSTMStateTuple(c, h))")
    if literal(args.get("time_major", "False")) is not False:
        return refuse("time_major=True is not converted (Keras layers are batch-major)")
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
    cells = []
    for key in (("cell_fw", "cell_bw") if two else ("cell",)):
        cell = _cell(args.get(key), call, ir, reads, bound)
        if isinstance(cell, str):
            return refuse(cell)
        cells.append(cell)
    if not args.get("inputs") or args.extra:
        return refuse("its inputs are not one plain argument")
    if two and cells[0].record.keras_class != cells[1].record.keras_class:
        return refuse("forward and backward cells of different kinds")
    if two and cells[0].name == cells[1].name and cells[0].stmt is not None and cells[0].stmt is cells[1].stmt:
        return refuse("one cell object used in both directions")
    state_names = _state_names(targets, two)
    lstm = cells[0].record.keras_class == "LSTM"
    if lstm and any((name, attr) in _attr_reads(ir) for name in state_names for attr in ("c", "h")):
        return refuse("the LSTM state is read as .c / .h: Keras 3 has no LSTMStateTuple (use state[0] / state[1])")
    return PlannedRNN(call, stmt, api, tuple(cells), scope, args.get("inputs", ""), targets)


def _cell(text: Optional[str], call: Call, ir: ModuleIR, reads: dict, bound: dict) -> Union[Cell, str]:
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
    wrapper = WRAPPERS.get(_canonical(cell_call.tf_name))
    if wrapper is not None:
        return wrapper
    record = rnn.lookup(cell_call.tf_name)
    if record is None:
        return f"the cell {text.strip()} is not a TF1 cell the converter knows"
    own = literal(bind([p.tf1 for p in record.params], arguments_of(cell_call)).get("name", "None"))
    if own is not None and not isinstance(own, str):
        return "the cell's name is not a literal"
    return Cell(record, cell_call, stmt, own or record.default_name)


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
