"""The record types of the layer catalog: TF1 parameters, weights and what a TF1 call renders to."""
from __future__ import annotations

import dataclasses
import enum
from typing import Optional

REQUIRED = "<required>"  # a TF1 parameter without a default


class Role(str, enum.Enum):
    """Where a TF1 argument goes in the Keras code."""

    CONSTRUCTOR = "constructor"  # a Keras constructor keyword
    INPUT = "input"  # the tensor the layer is called on
    TRAINING = "training"  # the ``training`` argument of the Keras call
    NAME = "name"  # the TF1 layer name / scope: ``name=`` of the Keras layer
    REUSE = "reuse"  # reuse is object identity in Keras: the caller decides, nothing is rendered
    IGNORED = "ignored"  # no effect in TF2 (graph collections); a non-default value is noted
    UNSUPPORTED = "unsupported"  # only the TF1 default converts; another value is reported as unmapped
    SPECIAL = "special"  # handled by the record's ``special`` hook in ``constructor.py``


@dataclasses.dataclass(frozen=True)
class Param:
    """One parameter of the TF1 signature, in positional order.

    ``default`` is TF1's default as source text (REQUIRED when none); ``explicit`` writes it into the Keras
    call when the TF1 call leaves it out, because Keras' own default differs (or the catalog says so).
    ``convert`` names a value conversion in ``constructor.py`` (``padding``, ``data_format``,
    ``keep_prob``, ``initializer``, ``regularizer``).
    """

    tf1: str
    keras: Optional[str] = None
    default: Optional[str] = None
    role: Role = Role.CONSTRUCTOR
    explicit: bool = False
    convert: Optional[str] = None
    reason: str = ""  # why a non-default value of an UNSUPPORTED parameter cannot be converted


@dataclasses.dataclass(frozen=True)
class WeightName:
    """A TF1 variable of the layer (``weights`` under its scope) and the Keras attribute holding it.

    ``when`` names the Keras constructor keyword that removes the weight when rendered as ``False``
    (``use_bias``, ``scale``, ``center``).
    """

    tf1: str
    keras: str
    when: Optional[str] = None


@dataclasses.dataclass(frozen=True)
class LayerRecord:
    """A TF1 layer function or class and the Keras layer that replaces it."""

    api: str  # ``tf.layers.dense``
    keras_class: str  # ``Dense`` (under ``tf.keras.layers``)
    params: tuple[Param, ...]  # the TF1 signature in positional order
    default_name: Optional[str]  # TF1's scope name when none is given (``dense``, ``Conv``), uniquified
    weights: tuple[WeightName, ...] = ()
    is_class: bool = False  # ``tf.layers.Dense(...)``: constructed here, called elsewhere
    fixed: tuple[tuple[str, str], ...] = ()  # Keras keywords always written (``epsilon=1e-12``)
    special: Optional[str] = None  # a hook in ``constructor.py`` for arguments data cannot describe
    notes: tuple[str, ...] = ()  # differences that hold for every call
    variable_scope: bool = True  # False: TF1 opens only a name scope, so the name is not counted

    def param(self, name: str) -> Optional[Param]:
        return next((p for p in self.params if p.tf1 == name), None)

    @property
    def parameter_names(self) -> tuple[str, ...]:
        return tuple(p.tf1 for p in self.params)


@dataclasses.dataclass(frozen=True)
class Unmapped:
    """A TF1 argument the Keras code does not carry over, with the reason."""

    param: str
    text: str
    reason: str


@dataclasses.dataclass(frozen=True)
class KerasLayer:
    """What one TF1 layer call becomes.

    Call order: ``layer(inputs, **call_kwargs)``, then ``normalizer`` (a contrib ``normalizer_fn``) on that
    output, then ``activation`` (source text of a callable) — the last two only when not None. For a class
    form (``record.is_class``) ``inputs`` is None: the instance is called where the TF1 instance was.
    """

    record: LayerRecord = dataclasses.field(repr=False)
    code: str  # ``tf.keras.layers.Dense(64, activation="relu", name="fc1")``
    inputs: Optional[str]
    call_kwargs: tuple[tuple[str, str], ...] = ()
    name: Optional[str] = None  # source text of the TF1 name / scope argument, None: TF1 default naming
    reuse: Optional[str] = None  # source text of the TF1 ``reuse`` argument
    weights: tuple[WeightName, ...] = ()  # the weights this call creates (conditions applied)
    normalizer: Optional["KerasLayer"] = None
    activation: Optional[str] = None
    unmapped: tuple[Unmapped, ...] = ()
    notes: tuple[str, ...] = ()

    @property
    def exact(self) -> bool:
        """Every argument carried over, and nothing numeric left to report."""
        inner = self.normalizer.exact if self.normalizer is not None else True
        return not self.unmapped and not self.notes and inner

    def call_code(self, layer: str, inputs: Optional[str] = None) -> str:
        """``layer(x, training=t)``, then normalizer and activation — given the normalizer's own name."""
        arguments = [inputs if inputs is not None else (self.inputs or "")]
        arguments += [f"{key}={value}" for key, value in self.call_kwargs]
        return f"{layer}({', '.join(arguments)})"
