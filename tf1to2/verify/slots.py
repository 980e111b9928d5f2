"""Optimizer state: TF1 slot variables (``w/Adam``, ``w/Adam_1``, ``beta1_power``) into a Keras optimizer.

NUMERICS.md: with the slots mapped, the next Adam step after resuming matches TF1 to ~6e-8; without them
the first steps differ by ~1.5e-2.
"""
from __future__ import annotations

import dataclasses
import math
from typing import Any, Iterable, Mapping, Optional, Sequence

from tf1to2.verify.binding import Binding, CheckpointError, variable_path
from tf1to2.verify import layouts


@dataclasses.dataclass(frozen=True)
class SlotLayout:
    """Where a TF1 optimizer keeps its state and where the Keras optimizer does.

    ``slots`` maps the TF1 slot suffix (``w/Adam_1`` → ``Adam_1``) to the Keras optimizer's list attribute
    of per-variable state; ``scale_by_learning_rate`` marks state Keras stores multiplied by -lr (Momentum's
    accumulator a becomes the velocity v = -lr·a).
    """

    keras_class: str
    slots: Mapping[str, str]
    scale_by_learning_rate: tuple[str, ...] = ()
    counts_iterations: bool = False


SLOT_LAYOUTS = {
    "Adam": SlotLayout("Adam", {"Adam": "_momentums", "Adam_1": "_velocities"}, counts_iterations=True),
    "Momentum": SlotLayout("SGD", {"Momentum": "momentums"}, scale_by_learning_rate=("Momentum",)),
    "RMSProp": SlotLayout("RMSprop", {"RMSProp": "_velocities", "RMSProp_1": "_momentums"}),
    "Adagrad": SlotLayout("Adagrad", {"Adagrad": "_accumulators"}),
}
DEFAULT_LEARNING_RATES = {"Adam": 0.001}
OPTIMIZER_NON_SLOTS = ("beta1_power", "beta2_power", "global_step")


@dataclasses.dataclass(frozen=True)
class OptimizerSettings:
    """Hyperparameters the TF1 checkpoint does not hold but the Keras optimizer state depends on."""

    learning_rate: Optional[float] = None
    beta1: float = 0.9
    beta2: float = 0.999
    beta1_power: Optional[str] = None  # the variable to count Adam's steps from, when several exist


# Keras keeps momentum slots only when momentum > 0; the value itself is not saved, the user's optimizer
# has its own. Any positive value gives the checkpoint the slots.
STRUCTURAL_MOMENTUM = 0.9


def detect_optimizer(names: Iterable[str], trainable: Sequence[str]) -> Optional[str]:
    """The TF1 optimizer whose slots the checkpoint holds for the unit's trainable weights."""
    names = set(names)
    for optimizer, layout in SLOT_LAYOUTS.items():
        if trainable and all(f"{w}/{suffix}" in names for w in trainable for suffix in layout.slots):
            return optimizer
    return None


def is_optimizer_state(name: str) -> bool:
    last = name.split("/")[-1]
    base = last.rstrip("0123456789").rstrip("_")
    return base in OPTIMIZER_NON_SLOTS or any(last == s or last.startswith(s + "_") for s in SLOT_LAYOUTS)


def adam_iterations(reader: Any, names: Sequence[str], settings: OptimizerSettings) -> int:
    """Steps taken, from ``beta1_power`` = β1^(t+1) after t steps (``beta2_power`` once β1^t underflows)."""
    candidates = [n for n in names if n.split("/")[-1].startswith("beta1_power")]
    if settings.beta1_power:
        candidates = [settings.beta1_power]
    if not candidates:
        raise CheckpointError("the checkpoint has Adam slots but no beta1_power to count the steps from")
    steps = {name: _steps_from_powers(reader, name, settings) for name in candidates}
    if len(set(steps.values())) > 1:
        listed = ", ".join(f"{name} ({count} steps)" for name, count in sorted(steps.items()))
        raise CheckpointError(f"Adam optimizers disagree on the step count: {listed}; choose one with --beta1-power")
    return next(iter(steps.values()))


def _steps_from_powers(reader: Any, beta1_power: str, settings: OptimizerSettings) -> int:
    power, beta = float(reader.get_tensor(beta1_power)), settings.beta1
    if power < 1e-30:  # float32 β1^t is denormal or zero after ~650 steps at β1 = 0.9
        beta2_power = beta1_power.replace("beta1_power", "beta2_power")
        power, beta = float(reader.get_tensor(beta2_power)), settings.beta2
    return round(math.log(power) / math.log(beta)) - 1


def build_optimizer(optimizer: str, settings: OptimizerSettings, variables: Sequence[Any]) -> Any:
    import tensorflow as tf

    learning_rate = settings.learning_rate
    if learning_rate is None:
        learning_rate = DEFAULT_LEARNING_RATES.get(optimizer)
    if learning_rate is None:
        raise CheckpointError(f"a {optimizer} checkpoint needs --learning-rate (TF1 has no default; Keras stores it)")
    layout = SLOT_LAYOUTS[optimizer]
    keras_class = getattr(tf.keras.optimizers, layout.keras_class)
    extra = {"momentum": STRUCTURAL_MOMENTUM} if optimizer in ("Momentum", "RMSProp") else {}
    instance = keras_class(learning_rate=learning_rate, **extra)
    instance.build(list(variables))
    return instance


def assign_optimizer_state(
    optimizer: str,
    settings: OptimizerSettings,
    binding: Binding,
    trainable: Sequence[Any],
    reader: Any,
    names: Sequence[str],
) -> tuple[Any, int, Optional[int]]:
    """A Keras optimizer built on ``trainable`` holding the TF1 slots: (optimizer, slots copied, iterations)."""
    layout = SLOT_LAYOUTS[optimizer]
    keras_optimizer = build_optimizer(optimizer, settings, trainable)
    copied = 0
    for index, variable in enumerate(trainable):
        weight = binding.weight_of(variable)
        if weight is None:
            raise CheckpointError(f"converted weight {variable_path(variable)} has no TF1 variable in the manifest")
        for suffix, attribute in layout.slots.items():
            slots = getattr(keras_optimizer, attribute, None)
            if not slots:
                keras_class = layout.keras_class
                slot = f"{weight.tf1_name}/{suffix}"
                raise CheckpointError(f"{slot} has state but Keras {keras_class} keeps no {attribute}")
            # A re-laid out weight's slots take the same re-layout, without LSTM's forget bias shift.
            value = layouts.converted_value(weight, lambda name: reader.get_tensor(f"{name}/{suffix}"), shift=False)
            if suffix in layout.scale_by_learning_rate:
                value = -keras_optimizer.learning_rate.numpy() * value
            slots[index].assign(value)
            copied += 1
    iterations = None
    if layout.counts_iterations:
        iterations = adam_iterations(reader, names, settings)
        keras_optimizer.iterations.assign(iterations)
    return keras_optimizer, copied, iterations
