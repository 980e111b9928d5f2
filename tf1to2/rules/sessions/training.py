"""The training part of a scope plan: optimizers, fed learning rates, global steps and decays.

Decided once per scope, before the session sites: every optimizer becomes a Keras optimizer (or stays the
TF1 one, which also runs eagerly, when Keras cannot reproduce it), a learning rate fed through a
placeholder is assigned before each update, the global step a train op increments becomes that
optimizer's ``iterations``, and a decay driven by it becomes a Keras schedule.
"""
from __future__ import annotations

import dataclasses
from typing import Callable, Optional

from tf1to2.analysis.graph import GraphScope, Kind, Schedule, Statement, TrainOp
from tf1to2.diagnostics import Severity
from tf1to2.rules.sessions import codes, optimizers, schedules


class Unconvertible(Exception):
    def __init__(self, line: int, col: int, message: str) -> None:
        super().__init__(message)
        self.line = line
        self.col = col
        self.message = message


@dataclasses.dataclass(frozen=True)
class OptimizerChange:
    statement: int
    name: str  # the name the optimizer is bound to in the output
    converted: optimizers.Converted
    tf1_call: tuple[int, int]  # span of the TF1 constructor call
    replace_statement: bool  # a train op with an inline optimizer: the statement becomes ``name = ...``
    tf1_text: str = ""  # the TF1 constructor call as written (kept for a TF1 optimizer)


@dataclasses.dataclass(frozen=True)
class StepAlias:
    """``global_step = optimizer.iterations``, written after the optimizer's statement."""

    name: str
    optimizer: str
    after_statement: int
    removed_statement: int


@dataclasses.dataclass(frozen=True)
class ScheduleChange:
    schedule: Schedule
    keras: Optional[schedules.Converted]  # None: the TF1 decay stays (it is a callable in eager mode)
    optimizer: str
    value: str  # what the schedule's name stands for in graph code: ``lr(optimizer.iterations)``


@dataclasses.dataclass
class Training:
    changes: dict[int, OptimizerChange] = dataclasses.field(default_factory=dict)  # statement → change
    names: dict[int, str] = dataclasses.field(default_factory=dict)  # train op statement → optimizer name
    fed_rates: dict[str, str] = dataclasses.field(default_factory=dict)  # optimizer name → placeholder
    aliases: list[StepAlias] = dataclasses.field(default_factory=list)
    schedules: dict[str, ScheduleChange] = dataclasses.field(default_factory=dict)  # schedule name → change
    compat_steps: dict[str, str] = dataclasses.field(default_factory=dict)  # train op → its TF1 global step
    notes: list = dataclasses.field(default_factory=list)  # (code, line, col, message, severity, statement)

    def optimizer_statement(self, train: TrainOp) -> int:
        name = self.names[train.statement]
        return next(index for index, change in self.changes.items() if change.name == name)

    @property
    def removed(self) -> set[int]:
        return {alias.removed_statement for alias in self.aliases}


def plan_training(scope: GraphScope, binding: Callable[[str, int], Optional[Statement]],
                  fresh: Callable[[str], str], text: str) -> Training:
    training = Training()
    _optimizers(scope, training, fresh, text)
    _learning_rates(scope, training, binding)
    _global_steps(scope, training, binding)
    _schedules(scope, training, binding)
    return training


def _optimizers(scope: GraphScope, training: Training, fresh: Callable[[str], str], text: str) -> None:
    for name, call, index in scope.optimizers:
        converted = optimizers.convert(call.api, call.args)
        training.changes[index] = OptimizerChange(index, name, converted, (call.start, call.end), False)
    for train in scope.train_ops:
        if train.optimizer_name is not None:
            if not any(c.name == train.optimizer_name for c in training.changes.values()):
                raise Unconvertible(train.line, 0, f"optimizer {train.optimizer_name} is not created in this scope")
            training.names[train.statement] = train.optimizer_name
            continue
        call = train.optimizer
        name = fresh(optimizer_name(train.name))
        converted = optimizers.convert(call.api, call.args)
        training.changes[train.statement] = OptimizerChange(train.statement, name, converted, (call.start, call.end),
                                                            True, text[call.start:call.end])
        training.names[train.statement] = name
    users: dict[str, set[str]] = {}
    for train in scope.train_ops:
        users.setdefault(training.names[train.statement], set()).add(train.name)
    for index, change in list(training.changes.items()):
        if change.converted.kind == "keras" and len(users.get(change.name, ())) > 1:
            # Keras optimizers are built for one set of variables; TF1's serves every minimize call
            _keep_tf1(training, index, f"{change.name} serves {len(users[change.name])} train ops; a Keras "
                                       "optimizer is built for one set of variables, so the TF1 optimizer runs eagerly")


def _learning_rates(scope: GraphScope, training: Training, binding) -> None:
    for index, change in list(training.changes.items()):
        rate = (change.converted.learning_rate or "").strip()
        bound = binding(rate, index) if rate.isidentifier() else None
        if bound is None:
            continue
        statement = scope.statements[index]
        if bound.kind is Kind.PLACEHOLDER:
            if change.converted.kind != "keras":
                raise Unconvertible(statement.line, statement.col,
                                    f"{change.name}: a fed learning rate for {change.converted.reason}")
            if _is_momentum(scope, change):
                raise Unconvertible(statement.line, statement.col, "MomentumOptimizer with a fed learning rate "
                                    "is not converted (Keras' momentum differs from TF1's when the rate changes)")
            keywords = tuple((k, "0.0" if k == "learning_rate" else v) for k, v in change.converted.keywords)
            training.changes[index] = dataclasses.replace(
                change, converted=dataclasses.replace(change.converted, keywords=keywords))
            training.fed_rates[change.name] = rate
        elif bound.kind is Kind.SCHEDULE and _is_momentum(scope, change):
            _keep_tf1(training, index, "SGD with momentum differs from TF1's when the learning rate decays")
        elif bound.kind in (Kind.TENSOR, Kind.GRADIENTS, Kind.TRAIN):
            raise Unconvertible(statement.line, statement.col,
                                f"the learning rate {rate} is computed from the graph at every step")


def _is_momentum(scope: GraphScope, change: OptimizerChange) -> bool:
    calls = [call for _, call, index in scope.optimizers if index == change.statement]
    calls += [t.optimizer for t in scope.train_ops if t.statement == change.statement and t.optimizer]
    return any(call.api == "tf.train.MomentumOptimizer" for call in calls)


def _keep_tf1(training: Training, index: int, reason: str) -> None:
    change = training.changes[index]
    converted = dataclasses.replace(change.converted, kind="compat", reason=reason)
    training.changes[index] = dataclasses.replace(change, converted=converted)


def _global_steps(scope: GraphScope, training: Training, binding) -> None:
    increments: dict[str, set[str]] = {}
    for train in scope.train_ops:
        if train.global_step is None:
            continue
        step = train.global_step.strip()
        optimizer = training.names[train.statement]
        increments.setdefault(step, set()).add(optimizer)
        change = training.changes[training.optimizer_statement(train)]
        if change.converted.kind != "keras":
            training.compat_steps[train.name] = step
    for step, users in increments.items():
        trains = [t for t in scope.train_ops if (t.global_step or "").strip() == step]
        optimizer = next(iter(users))
        change = next(c for c in training.changes.values() if c.name == optimizer)
        if change.converted.kind != "keras":
            continue
        train = trains[0]
        if len(users) > 1:
            raise Unconvertible(train.line, 0, f"{step} is incremented by {len(users)} optimizers")
        if not step.isidentifier():
            raise Unconvertible(train.line, 0, f"global_step={step} is not a name of this scope")
        bound = binding(step, train.statement)
        if bound is None or bound.kind is not Kind.STATE:
            raise Unconvertible(train.line, 0, f"global_step={step} is not a variable created in this scope")
        for statement in scope.statements[bound.index + 1:change.statement]:
            if step in statement.reads and statement.kind not in (Kind.SCHEDULE, Kind.TRAIN):
                raise Unconvertible(statement.line, statement.col,
                                    f"{step} is used before {optimizer}, whose iterations it becomes, exists")
        training.aliases.append(StepAlias(step, optimizer, change.statement, bound.index))
        training.notes.append((codes.GLOBAL_STEP, bound.line, bound.col,
                               f"{step} → {optimizer}.iterations (incremented by each update, as {train.name} did)",
                               Severity.INFO, bound.index))


def _schedules(scope: GraphScope, training: Training, binding) -> None:
    for schedule in scope.schedules:
        users = [c for c in training.changes.values()
                 if (c.converted.learning_rate or "").strip() == schedule.name]
        statement = scope.statements[schedule.statement]
        if len(users) != 1:
            raise Unconvertible(schedule.line, schedule.col,
                                f"{schedule.name} drives {len(users)} optimizers (one is converted)")
        user = users[0]
        if user.converted.kind != "keras":
            training.schedules[schedule.name] = ScheduleChange(schedule, None, user.name, f"{schedule.name}()")
            continue
        converted = schedules.convert(schedule.api, schedule.args)
        if converted.reason:
            raise Unconvertible(schedule.line, schedule.col, converted.reason)
        alias = next((a for a in training.aliases if a.optimizer == user.name), None)
        if alias is None or (converted.step or "").strip() != alias.name:
            raise Unconvertible(schedule.line, schedule.col,
                                f"{schedule.name} decays with {converted.step}, which is not the step "
                                f"{user.name} counts")
        training.schedules[schedule.name] = ScheduleChange(
            schedule, converted, user.name, f"{schedule.name}({user.name}.iterations)")
        keywords = ", ".join(f"{k}={v}" for k, v in converted.keywords)
        training.notes.append((codes.SCHEDULE, statement.line, statement.col,
                               f"{schedule.api} → schedules.{converted.keras_class}({keywords}), called by "
                               f"{user.name} with its iterations", Severity.INFO, schedule.statement))


def optimizer_name(train_op: str) -> str:
    base = train_op
    for suffix in ("_op", "_step", "_optim", "_opt", "_optimizer"):
        if base.endswith(suffix):
            base = base[: -len(suffix)]
            break
    if train_op in ("optimizer", "optim", "opt", "optimizer_op"):
        return train_op
    if base in ("train", "training", ""):
        return "optimizer"
    if base.startswith("train_"):
        base = base[len("train_"):]
    return f"{base}_optimizer"
