"""What ``verify`` and the checkpoint commands found, as data; ``tf1to2.render.verify_report`` prints it."""
from __future__ import annotations

import dataclasses
import enum
from typing import Any, Mapping, Optional


class Comparison(str, enum.Enum):
    """What was compared. Each check belongs to one of these; the table has one row per unit and kind."""

    RUN = "run"  # the converted unit could be constructed and called at all
    VARIABLES = "variables"  # names, shapes, dtypes, trainable flags: original = manifest = converted
    FORWARD = "forward"  # outputs on the same inputs with the same weights
    GRADIENTS = "gradients"  # of (sum of outputs + regularization) wrt inputs and trainable weights
    REGULARIZATION = "regularization"  # the total regularization loss
    TRAINING = "training"  # weights after each optimizer step
    TRAINING_SMALL_GRADIENTS = "training, small gradients"  # same with the loss scaled down (Adam's epsilon)
    INITIALIZERS = "initializers"  # mean and std of fresh initial values
    TRACE = "sess.run trace"  # each sess.run site's values over the script's run against its replacement's


@dataclasses.dataclass(frozen=True)
class Tolerance:
    rtol: float
    atol: float

    def __str__(self) -> str:
        return f"rtol {self.rtol:g}, atol {self.atol:g}"


@dataclasses.dataclass(frozen=True)
class Check:
    """One comparison of one thing (an output, a weight, an input's gradient) of one unit.

    ``max_abs``/``max_rel`` are the largest absolute and relative differences (relative to the original's
    value); ``allowed`` says what they were held to. ``detail`` says what differs and where, with values.
    """

    unit: str
    comparison: Comparison
    subject: str
    passed: bool
    step: Optional[int] = None
    max_abs: Optional[float] = None
    max_rel: Optional[float] = None
    allowed: str = ""
    detail: str = ""
    skipped: bool = False

    def as_dict(self) -> dict[str, Any]:
        data = dataclasses.asdict(self)
        data["comparison"] = self.comparison.value
        return data


@dataclasses.dataclass(frozen=True)
class Side:
    """Where one side ran: the interpreter and the TensorFlow (and Keras) it had."""

    python: str
    executable: str
    tensorflow: str
    keras: str = ""
    seconds: Mapping[str, float] = dataclasses.field(default_factory=dict)  # wall time by phase
    skipped_statements: tuple[str, ...] = ()  # top-level statements of the module that need graph mode


@dataclasses.dataclass(frozen=True)
class VerifyReport:
    original: str
    converted: str
    manifest: str
    original_side: Side
    converted_side: Side
    tolerance: Tolerance
    steps: int
    checks: tuple[Check, ...]
    workdir: Optional[str] = None  # kept exchange files (--keep)
    seconds: Mapping[str, float] = dataclasses.field(default_factory=dict)  # wall time of the whole run by phase
    notes: tuple[str, ...] = ()  # what the reader should know: weights not transferred to a script's layer

    @property
    def failures(self) -> tuple[Check, ...]:
        return tuple(check for check in self.checks if not check.passed)

    @property
    def equivalent(self) -> bool:
        return not self.failures

    def as_dict(self) -> dict[str, Any]:
        return {
            "original": self.original,
            "converted": self.converted,
            "manifest": self.manifest,
            "equivalent": self.equivalent,
            "original_side": dataclasses.asdict(self.original_side),
            "converted_side": dataclasses.asdict(self.converted_side),
            "tolerance": dataclasses.asdict(self.tolerance),
            "steps": self.steps,
            "workdir": self.workdir,
            "seconds": dict(self.seconds),
            "notes": list(self.notes),
            "checks": [check.as_dict() for check in self.checks],
        }


@dataclasses.dataclass(frozen=True)
class NameProblem:
    """A checkpoint variable and a manifest weight that do not line up, with the nearest name."""

    name: str
    closest: Optional[str] = None
    expected_shape: Optional[tuple[Optional[int], ...]] = None
    actual_shape: Optional[tuple[int, ...]] = None
    note: str = ""


@dataclasses.dataclass(frozen=True)
class CheckpointDiff:
    """``diff-checkpoint``: which manifest weights a checkpoint has, lacks, or has in another shape."""

    checkpoint: str
    manifest: str
    kind: str  # "tf1" (names are TF1 variable names) or "object" (tf.train.Checkpoint attribute paths)
    matched: int
    missing: tuple[NameProblem, ...] = ()
    unexpected: tuple[NameProblem, ...] = ()
    wrong_shape: tuple[NameProblem, ...] = ()
    optimizer_state: tuple[str, ...] = ()

    @property
    def clean(self) -> bool:
        return not (self.missing or self.unexpected or self.wrong_shape)

    def as_dict(self) -> dict[str, Any]:
        return {**dataclasses.asdict(self), "clean": self.clean}


@dataclasses.dataclass(frozen=True)
class ConvertedCheckpoint:
    """``convert-checkpoint``: what was written and which optimizer state came along."""

    source: str
    output: str
    unit: str
    weights: int
    optimizer: Optional[str] = None
    slots: int = 0
    iterations: Optional[int] = None
