"""TF1 optimizers and the Keras optimizers with the same update, hyperparameter for hyperparameter.

Keras' defaults differ from TF1's (Adam's epsilon 1e-7 vs 1e-8, RMSProp's 1e-7 vs 1e-10, Adagrad's
1e-7 vs none), so TF1's values are always written. Two differences are not hyperparameters:

- TF1's RMSProp starts its mean-square slot at 1.0, Keras at 0.0: ``after_build`` is the code that sets
  Keras' slots to 1.0. It must run after ``optimizer.build(variables)`` and before the first step.
- TF1's Momentum accumulates raw gradients and scales by the current learning rate; Keras accumulates
  rate-scaled gradients. The two agree only while the learning rate is constant.

Checked against TF 1.15 by tests/behaviour/test_catalog_numerics.py (20 steps on a quadratic, 1e-6).
"""
from __future__ import annotations

import dataclasses
from typing import Any, Optional

from tf1to2.catalog.args import arguments_of, bind, literal
from tf1to2.catalog.initializers import Rendered
from tf1to2.catalog.params import apply, call_text
from tf1to2.catalog.records import REQUIRED, Param, Role

RMSPROP_SLOTS_TO_ONE = "for _slot in {optimizer}._velocities:\n    _slot.assign({tf}.ones_like(_slot))"
_DECAY_NOTE = (
    "TF1's Momentum scales the accumulated gradients by the current learning rate, Keras' SGD accumulates "
    "rate-scaled gradients: the updates agree only while the learning rate is constant"
)


@dataclasses.dataclass(frozen=True)
class OptimizerRecord:
    """One TF1 optimizer. ``float32``: its decay rates, which TF1 computes with in float32 (``1 - beta``);
    written as their float32 values, a converted training script's first steps are TF1's bit for bit.
    ``same_default``: explicit parameters whose TF1 default is also Keras' (``render`` writes them; a
    converter that writes only what changes the numbers leaves them out). ``note``: what the conversion
    keeps of TF1, for reports."""

    api: str
    keras_class: Optional[str]  # under ``tf.keras.optimizers``; None: no Keras optimizer does this
    params: tuple[Param, ...] = ()
    fixed: tuple[tuple[str, str], ...] = ()
    after_build: Optional[str] = None  # template with {optimizer} and {tf}
    reason: str = ""  # why there is no Keras equivalent
    float32: tuple[str, ...] = ()
    same_default: tuple[str, ...] = ()
    note: str = ""


@dataclasses.dataclass(frozen=True)
class RenderedOptimizer(Rendered):
    after_build: Optional[str] = None  # code to run once after ``optimizer.build(variables)``


def _locking() -> Param:
    return Param("use_locking", None, "False", Role.IGNORED)


def _name(default: str) -> Param:
    return Param("name", "name", repr(default))


def _lr(default: str = REQUIRED) -> Param:
    return Param("learning_rate", "learning_rate", default, explicit=default != REQUIRED)


_RECORDS = [
    OptimizerRecord("tf.train.GradientDescentOptimizer", "SGD", (_lr(), _locking(), _name("GradientDescent"))),
    OptimizerRecord("tf.train.MomentumOptimizer", "SGD",
                    (_lr(), Param("momentum", "momentum", REQUIRED), _locking(), _name("Momentum"),
                     Param("use_nesterov", "nesterov", "False")),
                    note="identical to TF1 while the learning rate is constant"),
    OptimizerRecord("tf.train.AdamOptimizer", "Adam",
                    (_lr("0.001"), Param("beta1", "beta_1", "0.9", explicit=True),
                     Param("beta2", "beta_2", "0.999", explicit=True), Param("epsilon", "epsilon", "1e-08", explicit=True),
                     _locking(), _name("Adam")),
                    float32=("beta1", "beta2"), note="epsilon 1e-8 as in TF1 (Keras' default is 1e-7)"),
    OptimizerRecord("tf.train.RMSPropOptimizer", "RMSprop",
                    (_lr(), Param("decay", "rho", "0.9", explicit=True), Param("momentum", "momentum", "0.0", explicit=True),
                     Param("epsilon", "epsilon", "1e-10", explicit=True), _locking(),
                     Param("centered", "centered", "False"), _name("RMSProp")),
                    after_build=RMSPROP_SLOTS_TO_ONE, float32=("decay",), same_default=("momentum",),
                    note="epsilon 1e-10 and the mean-square slot starting at 1.0, as in TF1"),
    OptimizerRecord("tf.train.AdagradOptimizer", "Adagrad",
                    (_lr(), Param("initial_accumulator_value", "initial_accumulator_value", "0.1", explicit=True),
                     _locking(), _name("Adagrad")),
                    fixed=(("epsilon", "0.0"),), note="epsilon 0 as in TF1, which adds none"),
    OptimizerRecord("tf.train.AdadeltaOptimizer", "Adadelta",
                    (_lr("0.001"), Param("rho", "rho", "0.95", explicit=True),
                     Param("epsilon", "epsilon", "1e-08", explicit=True), _locking(), _name("Adadelta")),
                    float32=("rho",), note="epsilon 1e-8 as in TF1 (Keras' default is 1e-7)"),
    OptimizerRecord("tf.train.FtrlOptimizer", "Ftrl",
                    (_lr(), Param("learning_rate_power", "learning_rate_power", "-0.5", explicit=True),
                     Param("initial_accumulator_value", "initial_accumulator_value", "0.1", explicit=True),
                     Param("l1_regularization_strength", "l1_regularization_strength", "0.0", explicit=True),
                     Param("l2_regularization_strength", "l2_regularization_strength", "0.0", explicit=True),
                     _locking(), _name("Ftrl"), Param("accum_name", None, "None", Role.IGNORED),
                     Param("linear_name", None, "None", Role.IGNORED),
                     Param("l2_shrinkage_regularization_strength", "l2_shrinkage_regularization_strength", "0.0",
                           explicit=True)),
                    fixed=(("beta", "0.0"),),
                    same_default=("learning_rate_power", "initial_accumulator_value", "l1_regularization_strength",
                                  "l2_regularization_strength", "l2_shrinkage_regularization_strength"),
                    note="beta 0.0 as TF1 has none"),
    OptimizerRecord("tf.train.ProximalGradientDescentOptimizer", None,
                    reason="Keras has no proximal gradient descent; keep tf.compat.v1.train.ProximalGradientDescentOptimizer"),
    OptimizerRecord("tf.train.ProximalAdagradOptimizer", None,
                    reason="Keras has no proximal Adagrad; keep tf.compat.v1.train.ProximalAdagradOptimizer"),
    OptimizerRecord("tf.train.AdagradDAOptimizer", None,
                    reason="Keras has no Adagrad dual averaging; keep tf.compat.v1.train.AdagradDAOptimizer"),
]
RECORDS: dict[str, OptimizerRecord] = {r.api: r for r in _RECORDS}


def lookup(api: Optional[str]) -> Optional[OptimizerRecord]:
    return RECORDS.get(api) if api is not None else None


def render(record: OptimizerRecord, call_args: Any = (), *, tf: str = "tf", optimizer: str = "optimizer") -> RenderedOptimizer:
    """The Keras optimizer for one TF1 optimizer call, and the slot fix to run after ``build``."""
    if record.keras_class is None:
        raise ValueError(f"{record.api} has no Keras equivalent: {record.reason}")
    bound = bind([p.tf1 for p in record.params], arguments_of(call_args))
    out = apply(record.params, bound, record.api)
    out.keywords.update(record.fixed)
    notes = list(out.notes)
    if record.api == "tf.train.MomentumOptimizer" and not isinstance(literal(bound.get("learning_rate")), (int, float)):
        notes.append(_DECAY_NOTE)
    after = record.after_build.format(optimizer=optimizer, tf=tf) if record.after_build else None
    code = call_text(f"{tf}.keras.optimizers.{record.keras_class}", out.keywords)
    return RenderedOptimizer(code, tuple(out.unmapped), tuple(notes), after)
