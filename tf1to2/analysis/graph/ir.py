"""The IR of graph-and-session code: plain frozen dataclasses keyed by offsets into the module text."""
from __future__ import annotations

import dataclasses
import enum
from typing import Iterator, Optional


class Kind(str, enum.Enum):
    """What a statement of a graph scope does."""

    PLACEHOLDER = "placeholder"  # x = tf.placeholder(...)
    TENSOR = "tensor"  # a graph computation: evaluated when a session runs it
    STATE = "state"  # creates (or names) variables, layers, schedules: runs once
    CONST = "const"  # a TF call reading nothing from the graph (configuration, a constant)
    OPTIMIZER = "optimizer"  # opt = tf.train.AdamOptimizer(...)
    TRAIN = "train"  # train_op = opt.minimize(loss) / opt.apply_gradients(...)
    GRADIENTS = "gradients"  # gv = opt.compute_gradients(loss), grads = tf.gradients(loss, tvars)
    SCHEDULE = "schedule"  # lr = tf.train.exponential_decay(0.1, global_step, ...)
    SAVER = "saver"  # saver = tf.train.Saver(...)
    SUMMARY = "summary"  # tf.summary.scalar("loss", loss): a summary op
    MERGE = "merge"  # merged = tf.summary.merge_all() / tf.summary.merge([...])
    WRITER = "writer"  # writer = tf.summary.FileWriter(logdir, sess.graph)
    UPDATE_OPS = "update_ops"  # update_ops = tf.get_collection(tf.GraphKeys.UPDATE_OPS)
    INIT = "init"  # init = tf.global_variables_initializer()
    SESSION = "session"  # sess = tf.Session(); sess.close()
    WRAPPER = "wrapper"  # ``with tf.Session() as sess:`` / ``with g.as_default():`` (its body is flattened)
    GRAPH = "graph"  # g = tf.Graph()
    USES = "uses"  # contains session sites: kept, the sites become calls
    PLAIN = "plain"  # Python that does not touch the graph


MOVABLE = (Kind.PLACEHOLDER, Kind.TENSOR, Kind.TRAIN, Kind.GRADIENTS)  # statements that become part of functions


@dataclasses.dataclass(frozen=True)
class Problem:
    line: int
    col: int
    message: str


@dataclasses.dataclass(frozen=True)
class Statement:
    """One statement of a scope's flattened sequence.

    ``start``/``end`` cover whole lines (``end`` is the start of the next line); ``lead`` is where the
    comment lines directly above it begin (they travel with it when it moves). ``depth`` counts the
    flattened wrappers around it.
    """

    index: int
    kind: Kind
    line: int
    col: int
    start: int
    end: int
    lead: int
    indent: str
    depth: int
    binds: tuple[str, ...]
    reads: tuple[str, ...]
    creates_variables: bool = False
    random: bool = False
    own_lines: bool = True
    note: str = ""  # why it was classified so, for reports
    nested_reads: tuple[tuple[str, int, int], ...] = ()  # (name, start, end) of loads, for unsupported uses
    is_def: bool = False
    holds_variables: bool = False  # binds variables or a layer (what ``tf.trainable_variables()`` lists)
    foreign_calls: tuple[str, ...] = ()  # functions imported from other modules of the project it calls


@dataclasses.dataclass(frozen=True)
class Placeholder:
    name: str
    statement: int
    line: int
    dtype: str  # source text, "tf.float32" when TF1's default applies
    shape: Optional[str]  # source text; None: any shape
    default: Optional[str]  # placeholder_with_default's input


@dataclasses.dataclass(frozen=True)
class Fetch:
    """The structure of ``sess.run``'s first argument: a leaf expression or a list/tuple/dict of fetches."""

    kind: str  # "leaf", "list", "tuple", "dict"
    text: str
    children: tuple["Fetch", ...] = ()
    keys: tuple[str, ...] = ()  # dict keys as source text
    names: tuple[str, ...] = ()  # leaf: names it reads
    initializer: bool = False  # leaf: an initializer op (``init``, ``tf.global_variables_initializer()``)

    def leaves(self) -> Iterator["Fetch"]:
        if self.kind == "leaf":
            yield self
        for child in self.children:
            yield from child.leaves()

    @property
    def structure(self) -> str:
        """``list[2]``, ``dict[loss, acc]``, ``single``: what the caller unpacks."""
        if self.kind == "leaf":
            return "single"
        if self.kind == "dict":
            return f"dict[{', '.join(self.keys)}]"
        return f"{self.kind}[{len(self.children)}]"


@dataclasses.dataclass(frozen=True)
class Site:
    """A session call: ``sess.run(...)``, ``t.eval(...)``, ``op.run(...)``, ``sess.close()``."""

    kind: str  # "run", "eval", "op_run", "close", "open" (sess = tf.Session()), "with" (a nested session block)
    line: int
    col: int
    start: int  # the call's span
    end: int
    text: str
    fetch: Optional[Fetch]
    feeds: tuple[tuple[str, str], ...]  # (key source text, value source text)
    statement: int  # index of the scope statement containing it
    alone: bool  # the call is a whole expression statement
    stmt_start: int  # whole lines of that expression statement
    stmt_end: int
    problem: str = ""
    sole: bool = False  # that statement is the only one of its block (removing it needs ``pass``)
    feed_name: Optional[str] = None  # ``feed_dict=feed``, ``feed`` being a dict display assigned once
    feed_keys: tuple[tuple[int, int, str], ...] = ()  # that display's keys: (start, end, placeholder name)
    in_loop: bool = False  # inside a for/while loop (it runs more than once)


@dataclasses.dataclass(frozen=True)
class CallRecord:
    """A call the sessions pass rewrites (``tf.train.Saver(...)``, ``tf.summary.FileWriter(...)``)."""

    name: str  # the name it is assigned to
    statement: int
    api: str
    args: tuple[tuple[Optional[str], str], ...]
    start: int
    end: int
    line: int
    col: int


@dataclasses.dataclass(frozen=True)
class SummaryOp:
    """``tf.summary.scalar(tag, tensor)`` & co.: in TF2 the value is returned and written by the writer."""

    statement: int
    name: Optional[str]  # the name it is assigned to, if any
    kind: str  # scalar, histogram, image, text, audio
    tag: str
    value: str
    value_names: tuple[str, ...]
    line: int
    col: int
    problem: str = ""


@dataclasses.dataclass(frozen=True)
class Merge:
    """``tf.summary.merge_all()`` (``ops`` = every summary op before it) or ``tf.summary.merge([...])``."""

    statement: int
    name: str
    ops: tuple[int, ...]  # indexes into GraphScope.summaries
    line: int
    col: int
    problem: str = ""


@dataclasses.dataclass(frozen=True)
class Schedule:
    """``lr = tf.train.exponential_decay(...)`` and the other decays of ``tf.train``."""

    name: str
    statement: int
    api: str
    args: tuple[tuple[Optional[str], str], ...]
    start: int  # the call's span
    end: int
    line: int
    col: int


@dataclasses.dataclass(frozen=True)
class GradientCall:
    """``opt.compute_gradients(loss, var_list)`` or ``tf.gradients(ys, xs)`` inside a statement."""

    statement: int
    start: int
    end: int
    line: int
    col: int
    api: str  # "compute_gradients" or "tf.gradients"
    ys: str
    ys_names: tuple[str, ...]
    xs: Optional[str]  # var_list / xs as written; None: every trainable variable
    xs_names: tuple[str, ...]
    problem: str = ""


@dataclasses.dataclass(frozen=True)
class VariableQuery:
    """``tf.trainable_variables()`` / ``tf.global_variables()``: graph collections eager code lacks."""

    statement: int
    start: int
    end: int
    line: int
    col: int
    api: str
    plain: bool  # called without arguments (a scope filter is not converted)


@dataclasses.dataclass(frozen=True)
class Wrapper:
    """A ``with`` block that disappears (``with tf.Session() as sess:``, ``with g.as_default():``): its
    header lines go and its body moves left by ``len(inner) - len(outer)``.

    ``statement`` is its index in the scope's sequence when it is one of the flattened statements;
    ``site`` the index of the ``with`` site when it is nested in a kept statement (a loop, a function).
    """

    line: int
    col: int
    start: int
    body_start: int
    body_end: int
    inner: str
    outer: str
    statement: Optional[int] = None
    site: Optional[int] = None


@dataclasses.dataclass(frozen=True)
class OptimizerCall:
    api: str  # tf.train.AdamOptimizer
    args: tuple[tuple[Optional[str], str], ...]  # (keyword or None, source text)
    start: int
    end: int
    line: int
    col: int


@dataclasses.dataclass(frozen=True)
class TrainOp:
    name: str
    statement: int
    line: int
    method: str  # "minimize" or "apply_gradients"
    optimizer_name: Optional[str]  # a name bound by an OPTIMIZER statement
    optimizer: Optional[OptimizerCall]  # the constructor written inline
    loss: Optional[str]
    var_list: Optional[str]
    global_step: Optional[str]
    grads_and_vars: Optional[str] = None
    loss_names: tuple[str, ...] = ()
    var_list_names: tuple[str, ...] = ()


@dataclasses.dataclass(frozen=True)
class GraphScope:
    kind: str  # "module" or "function"
    name: str  # "<module>" or the function's name
    line: int
    indent: str  # indentation of the flattened statements after conversion
    statements: tuple[Statement, ...]
    placeholders: tuple[Placeholder, ...]
    train_ops: tuple[TrainOp, ...]
    optimizers: tuple[tuple[str, OptimizerCall, int], ...]  # (bound name, call, statement index)
    sites: tuple[Site, ...]
    sessions: tuple[str, ...]  # names bound to sessions
    wrappers: tuple[Wrapper, ...]
    problems: tuple[Problem, ...]
    variable_queries: tuple[VariableQuery, ...] = ()
    gradient_calls: tuple[GradientCall, ...] = ()
    schedules: tuple[Schedule, ...] = ()
    savers: tuple[CallRecord, ...] = ()
    writers: tuple[CallRecord, ...] = ()
    summaries: tuple[SummaryOp, ...] = ()
    merges: tuple[Merge, ...] = ()
    protected_lines: frozenset[int] = frozenset()  # lines starting inside a string

    def statement_binding(self, name: str, before: int) -> Optional[Statement]:
        """The last statement before index ``before`` that binds ``name``."""
        for statement in reversed(self.statements[:before]):
            if name in statement.binds:
                return statement
        return None


@dataclasses.dataclass(frozen=True)
class SessionCall:
    """A ``.run(...)`` on something that looks like a session, anywhere in the module (for the census:
    every session site gets a finding, converted or not)."""

    line: int
    col: int
    start: int
    end: int
    text: str
    origin: str  # "session" (tf.Session), "factory" (another session maker), "attribute", "name", "default"
    detail: str  # the factory call, the attribute chain or the name


@dataclasses.dataclass(frozen=True)
class GraphModule:
    scopes: tuple[GraphScope, ...]
    tf_alias: Optional[str]  # the local name TF is imported as (``tf``)
    imports_end: int  # offset after the last top-level import
    indent_unit: str
    graph_mode_calls: tuple[tuple[int, str], ...]  # (line, api) of disable_eager_execution & co.
    names: frozenset[str] = frozenset()  # every identifier of the module (to make fresh names)
    is_script: bool = False  # has an ``if __name__ == "__main__":`` block or module-level session code
    session_calls: tuple[SessionCall, ...] = ()
