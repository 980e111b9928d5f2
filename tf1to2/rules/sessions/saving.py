"""``tf.train.Saver`` → ``tf.train.Checkpoint``; ``tf.summary.FileWriter`` and summary ops → TF2 summaries.

Planned per scope, as pure data: what each Saver or FileWriter call becomes, what each ``saver.save``,
``saver.restore``, ``writer.add_summary`` site becomes, and the value a fetched summary op stands for (a
dict ``{(kind, tag): tensor}`` that the generated ``write_summaries`` writes with TF2's summary API).
"""
from __future__ import annotations

import dataclasses
from typing import Callable, Optional

from tf1to2.analysis.graph import CallRecord, GraphScope, Kind, Site, Statement
from tf1to2.diagnostics import Severity
from tf1to2.rules.sessions import codes
from tf1to2.rules.sessions.training import Training, Unconvertible

SAVER_PARAMS = ("var_list", "reshape", "sharded", "max_to_keep", "keep_checkpoint_every_n_hours", "name",
                "restore_sequentially", "saver_def", "builder", "defer_build", "allow_empty", "write_version",
                "pad_step_number", "save_relative_paths", "filename")
# Saver arguments that change nothing an object-based checkpoint has to know
SAVER_IGNORED = ("reshape", "sharded", "name", "restore_sequentially", "write_version", "pad_step_number",
                 "save_relative_paths", "allow_empty", "defer_build", "keep_checkpoint_every_n_hours")
WRITER_PARAMS = ("logdir", "graph", "max_queue", "flush_secs", "graph_def", "filename_suffix", "session")


@dataclasses.dataclass(frozen=True)
class Replacement:
    """Replace ``start:end`` with ``text`` (or with a call of the generated ``helper`` on ``text``)."""

    start: int
    end: int
    text: str
    helper: Optional[str] = None


@dataclasses.dataclass
class Saving:
    statements: dict[int, Replacement] = dataclasses.field(default_factory=dict)  # statement → its call
    sites: dict[int, Optional[Replacement]] = dataclasses.field(default_factory=dict)  # None: removed
    summary_values: dict[str, tuple[str, tuple[str, ...]]] = dataclasses.field(default_factory=dict)
    notes: list = dataclasses.field(default_factory=list)  # (code, line, col, message, severity, statement, site)
    helpers: set[str] = dataclasses.field(default_factory=set)
    removed: set[int] = dataclasses.field(default_factory=set)


def plan_saving(scope: GraphScope, training: Training, tf: str,
                binding: Callable[[str, int], Optional[Statement]]) -> Saving:
    saving = Saving()
    keep = {record.name: _max_to_keep(record) for record in scope.savers}
    for record in scope.savers:
        _saver(scope, training, saving, record, tf)
    for record in scope.writers:
        _writer(saving, record, tf)
    for number, site in enumerate(scope.sites):
        if site.kind in ("save", "restore"):
            _saver_site(scope, saving, number, site, keep, binding)
        elif site.kind in ("add_summary", "add_graph"):
            _writer_site(saving, number, site)
    _summaries(scope, saving)
    return saving


def _bind(args: tuple[tuple[Optional[str], str], ...], params: tuple[str, ...], api: str, line: int,
          col: int) -> dict[str, str]:
    values = {}
    for position, (keyword, text) in enumerate(args):
        name = keyword if keyword is not None else (params[position] if position < len(params) else None)
        if name is None or name not in params or text.startswith("*"):
            raise Unconvertible(line, col, f"{api} argument {keyword or position} is not converted")
        values[name] = text
    return values


def _max_to_keep(record: CallRecord) -> str:
    try:
        return _bind(record.args, SAVER_PARAMS, record.api, record.line, record.col).get("max_to_keep", "5")
    except Unconvertible:
        return "5"


def _saver(scope: GraphScope, training: Training, saving: Saving, record: CallRecord, tf: str) -> None:
    values = _bind(record.args, SAVER_PARAMS, record.api, record.line, record.col)
    unsupported = [k for k in values if k not in SAVER_IGNORED + ("var_list", "max_to_keep")]
    if unsupported:
        raise Unconvertible(record.line, record.col, f"tf.train.Saver({unsupported[0]}=...) is not converted")
    if "var_list" in values:
        objects = [("variables", values["var_list"])]
    else:
        steps = {alias.name for alias in training.aliases}
        holders = dict.fromkeys(
            name for s in scope.statements[:record.statement] if s.holds_variables for name in s.binds
            if name not in steps
        )
        optimizers = dict.fromkeys(c.name for c in training.changes.values() if c.statement < record.statement)
        objects = [(name, name) for name in list(holders) + list(optimizers)]
    if not objects:
        raise Unconvertible(record.line, record.col, "tf.train.Saver() with no variables created before it")
    arguments = ", ".join(f"{key}={value}" for key, value in objects)
    saving.statements[record.statement] = Replacement(record.start, record.end, f"{tf}.train.Checkpoint({arguments})")
    saved = ", ".join(key for key, _ in objects)
    saving.notes.append((codes.SAVER, record.line, record.col,
                         f"tf.train.Saver → tf.train.Checkpoint({saved}): object-based checkpoints; a checkpoint "
                         "written by TF1 must be converted first (tf1to2 convert-checkpoint)", Severity.WARNING,
                         record.statement, None))


def _saver_site(scope: GraphScope, saving: Saving, number: int, site: Site, keep: dict[str, str],
                binding) -> None:
    saver = site.text.split(".", 1)[0].strip()
    args = dict(site.feeds)
    if "save_path" not in args:
        raise Unconvertible(site.line, site.col, f"{site.kind} without a path is not converted")
    if site.kind == "restore":
        saving.sites[number] = Replacement(site.start, site.end, f"{saver}.restore({args['save_path']})")
        saving.notes.append((codes.SAVER, site.line, site.col,
                             f"{saver}.restore(sess, path) → {saver}.restore(path): it reads checkpoints this "
                             "program writes; one written by TF1 must be converted first "
                             "(tf1to2 convert-checkpoint)", Severity.WARNING, None, number))
        return
    arguments = [saver, args["save_path"]]
    if "global_step" in args:
        arguments.append(args["global_step"])
    if keep.get(saver, "5") != "5":
        arguments.append(f"max_to_keep={keep[saver]}")
    saving.helpers.add("save_checkpoint")
    saving.sites[number] = Replacement(site.start, site.end, ", ".join(arguments), helper="save_checkpoint")
    saving.notes.append((codes.SAVER, site.line, site.col,
                         f"{saver}.save(sess, ...) → save_checkpoint({', '.join(arguments)}): the same file "
                         "names (path-step), the latest recorded, the newest max_to_keep kept", Severity.INFO,
                         None, number))


def _writer(saving: Saving, record: CallRecord, tf: str) -> None:
    values = _bind(record.args, WRITER_PARAMS, record.api, record.line, record.col)
    if "logdir" not in values or "graph_def" in values or "session" in values:
        raise Unconvertible(record.line, record.col, "this tf.summary.FileWriter(...) is not converted")
    arguments = [values["logdir"]]
    if "max_queue" in values:
        arguments.append(f"max_queue={values['max_queue']}")
    if "flush_secs" in values:
        arguments.append(f"flush_millis=1000 * ({values['flush_secs']})")
    if "filename_suffix" in values:
        arguments.append(f"filename_suffix={values['filename_suffix']}")
    saving.statements[record.statement] = Replacement(
        record.start, record.end, f"{tf}.summary.create_file_writer({', '.join(arguments)})")
    dropped = " (the graph is not written: TF2 has none; use tf.summary.trace_on to record a function)" \
        if "graph" in values else ""
    saving.notes.append((codes.SUMMARY_WRITING, record.line, record.col,
                         f"tf.summary.FileWriter → tf.summary.create_file_writer{dropped}", Severity.INFO,
                         record.statement, None))


def _writer_site(saving: Saving, number: int, site: Site) -> None:
    writer = site.text.split(".", 1)[0].strip()
    args = dict(site.feeds)
    if site.kind == "add_graph":
        if not site.alone:
            raise Unconvertible(site.line, site.col, "add_graph inside a larger expression")
        saving.sites[number] = None
        saving.notes.append((codes.SUMMARY_WRITING, site.line, site.col,
                             f"{writer}.add_graph removed: TF2 has no graph to write", Severity.INFO, None, number))
        return
    if "summary" not in args or "global_step" not in args:
        raise Unconvertible(site.line, site.col, "add_summary without a step is not converted (TF2 needs one)")
    saving.helpers.add("write_summaries")
    arguments = f"{writer}, {args['summary']}, {args['global_step']}"
    saving.sites[number] = Replacement(site.start, site.end, arguments, helper="write_summaries")
    saving.notes.append((codes.SUMMARY_WRITING, site.line, site.col,
                         f"{writer}.add_summary → write_summaries({arguments}): the fetched summaries written with "
                         "tf.summary.scalar/histogram/... at that step", Severity.INFO, None, number))


def _summaries(scope: GraphScope, saving: Saving) -> None:
    """What each summary op or merge stands for when fetched: ``{(kind, tag): tensor}``."""
    for op in scope.summaries:
        saving.removed.add(op.statement)
        if op.name:
            saving.summary_values[op.name] = (_display([op]), op.value_names)
    for merge in scope.merges:
        saving.removed.add(merge.statement)
        ops = [scope.summaries[i] for i in merge.ops]
        names = tuple(dict.fromkeys(n for op in ops for n in op.value_names))
        saving.summary_values[merge.name] = (_display(ops), names)


def _display(ops: list) -> str:
    return "{" + ", ".join(f'("{op.kind}", {op.tag}): {op.value}' for op in ops) + "}"


def check_summaries(scope: GraphScope, fetched: set[str]) -> None:
    """A fetched summary must be one the conversion can compute."""
    for op in scope.summaries:
        if op.name in fetched and op.problem:
            raise Unconvertible(op.line, op.col, op.problem)
    for merge in scope.merges:
        if merge.name not in fetched:
            continue
        if merge.problem:
            raise Unconvertible(merge.line, merge.col, merge.problem)
        for op in (scope.summaries[i] for i in merge.ops):
            if op.problem:
                raise Unconvertible(op.line, op.col, op.problem)


def is_summary_kind(kind: Kind) -> bool:
    return kind in (Kind.SUMMARY, Kind.MERGE)
