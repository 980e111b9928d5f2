"""TF1 learning-rate decays → Keras learning-rate schedules.

A TF1 decay reads ``global_step`` when the graph runs; a Keras schedule is called by its optimizer with
``optimizer.iterations``, which counts the same steps when the global step is the one the optimizer's
``minimize`` increments (``global_step`` then becomes ``optimizer.iterations``). The formulas are the
same (``lr * rate ** (step / decay_steps)``, floored with ``staircase``; float32 throughout).
"""
from __future__ import annotations

import dataclasses
from typing import Optional

REQUIRED = "<required>"


@dataclasses.dataclass(frozen=True)
class ScheduleRecord:
    tf1: str
    keras: str
    params: tuple[tuple[str, Optional[str], str], ...]  # (TF1 name, Keras keyword or None, TF1 default)
    step: str = "global_step"  # the TF1 parameter that names the step (dropped: Keras passes iterations)

    @property
    def parameter_names(self) -> tuple[str, ...]:
        return tuple(p[0] for p in self.params)


RECORDS = {
    record.tf1: record
    for record in (
        ScheduleRecord("tf.train.exponential_decay", "ExponentialDecay", (
            ("learning_rate", "initial_learning_rate", REQUIRED), ("global_step", None, REQUIRED),
            ("decay_steps", "decay_steps", REQUIRED), ("decay_rate", "decay_rate", REQUIRED),
            ("staircase", "staircase", "False"), ("name", None, "None"),
        )),
        ScheduleRecord("tf.train.inverse_time_decay", "InverseTimeDecay", (
            ("learning_rate", "initial_learning_rate", REQUIRED), ("global_step", None, REQUIRED),
            ("decay_steps", "decay_steps", REQUIRED), ("decay_rate", "decay_rate", REQUIRED),
            ("staircase", "staircase", "False"), ("name", None, "None"),
        )),
        ScheduleRecord("tf.train.polynomial_decay", "PolynomialDecay", (
            ("learning_rate", "initial_learning_rate", REQUIRED), ("global_step", None, REQUIRED),
            ("decay_steps", "decay_steps", REQUIRED), ("end_learning_rate", "end_learning_rate", "0.0001"),
            ("power", "power", "1.0"), ("cycle", "cycle", "False"), ("name", None, "None"),
        )),
        ScheduleRecord("tf.train.cosine_decay", "CosineDecay", (
            ("learning_rate", "initial_learning_rate", REQUIRED), ("global_step", None, REQUIRED),
            ("decay_steps", "decay_steps", REQUIRED), ("alpha", "alpha", "0.0"), ("name", None, "None"),
        )),
        ScheduleRecord("tf.train.piecewise_constant", "PiecewiseConstantDecay", (
            ("x", None, REQUIRED), ("boundaries", "boundaries", REQUIRED), ("values", "values", REQUIRED),
            ("name", None, "None"),
        ), step="x"),
    )
}
DECAYS = frozenset(RECORDS) | {
    "tf.train.natural_exp_decay", "tf.train.cosine_decay_restarts", "tf.train.linear_cosine_decay",
    "tf.train.noisy_linear_cosine_decay", "tf.train.piecewise_constant_decay",
}


@dataclasses.dataclass(frozen=True)
class Converted:
    keras_class: str = ""
    keywords: tuple[tuple[str, str], ...] = ()
    step: Optional[str] = None  # source text of the TF1 step argument
    reason: str = ""  # why it is not converted


def convert(api: str, args: tuple[tuple[Optional[str], str], ...]) -> Converted:
    record = RECORDS.get(api)
    if record is None:
        return Converted(reason=f"{api} has no Keras schedule")
    values: dict[str, str] = {}
    for position, (keyword, text) in enumerate(args):
        name = keyword if keyword is not None else (
            record.parameter_names[position] if position < len(record.params) else None
        )
        if name not in record.parameter_names or (keyword is None and text.startswith("*")):
            return Converted(reason=f"{api} argument {keyword or position} is not converted")
        values[name] = text
    keywords = []
    for tf1, keras, default in record.params:
        if tf1 not in values and default == REQUIRED:
            return Converted(reason=f"{api} is missing its {tf1} argument")
        if keras is not None and tf1 in values:
            keywords.append((keras, values[tf1]))
    return Converted(keras_class=record.keras, keywords=tuple(keywords), step=values.get(record.step))
