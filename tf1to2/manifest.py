"""The manifest: what each converted unit came from and where every TF1 variable went.

Written by ``convert`` next to each converted file (``<name>.tf1to2.json``), read by ``verify`` and
``convert-checkpoint``. Documented in docs/manifest.md; bump ``VERSION`` on any incompatible change.
The TF1 verification runner reads this JSON with the standard library only.
"""
from __future__ import annotations

import dataclasses
import json
from typing import Any, Optional, Sequence

FORMAT = "tf1to2.manifest"
VERSION = 1


@dataclasses.dataclass(frozen=True)
class TensorSpec:
    """An example input: ``shape`` uses None for dimensions TF1 left unknown (the batch)."""

    name: str
    shape: tuple[Optional[int], ...]
    dtype: str = "float32"


@dataclasses.dataclass(frozen=True)
class Weight:
    """One TF1 variable and the TF2 weight that replaces it.

    ``attribute`` is a Python attribute path from the unit instance (``blocks[0].attn.w``);
    ``transform`` names a re-layout applied to the value on the way (``None``: copied as is).
    ``repeat`` (added in version 1, optional): one entry stands for every element of a list whose length
    the converter could not know; it names the index fields (``"i"``, or ``"i,j"`` for nested lists) that
    appear as ``{i}`` in both ``tf1_name`` and ``attribute`` (``model/h{i}/attn/w`` ↔ ``h[{i}].attn.w``).
    """

    tf1_name: str
    attribute: str
    shape: tuple[Optional[int], ...]
    dtype: str = "float32"
    trainable: bool = True
    initializer: Optional[str] = None
    transform: Optional[str] = None
    repeat: Optional[str] = None


@dataclasses.dataclass(frozen=True)
class Example:
    """How to run the original and the converted unit on the same inputs.

    original: a Python expression evaluated in the original module's namespace in TF1 graph mode. With
      ``uses_module_placeholders`` the inputs are the module's own placeholders (named by ``inputs``) and
      the expression names the fetched tensors; otherwise the runner creates one placeholder per input,
      binds it to the input's name and the expression calls the original function with them.
    construct: expression, in the converted module's namespace, that builds the converted unit.
    call: expression that calls it; ``unit`` is the constructed instance, inputs are bound by name.
    """

    inputs: tuple[TensorSpec, ...]
    original: str
    construct: str
    call: str
    uses_module_placeholders: bool = False


@dataclasses.dataclass(frozen=True)
class Unit:
    """A TF1 function or graph that became a Keras class."""

    kind: str  # "layer" (a variable-creating function) or "model" (module-level graph code)
    source: str  # the TF1 function name, or "<module>"
    line: int
    class_name: str
    init_params: tuple[str, ...] = ()
    call_params: tuple[str, ...] = ()
    weights: tuple[Weight, ...] = ()
    example: Optional[Example] = None


@dataclasses.dataclass(frozen=True)
class Manifest:
    source: str
    converted: str
    units: tuple[Unit, ...] = ()

    def to_json(self) -> str:
        payload = {"format": FORMAT, "version": VERSION, **dataclasses.asdict(self)}
        return json.dumps(payload, indent=2, sort_keys=False) + "\n"

    @classmethod
    def from_json(cls, text: str) -> "Manifest":
        data = json.loads(text)
        if data.get("format") != FORMAT:
            raise ValueError(f"not a tf1to2 manifest (format {data.get('format')!r})")
        if data.get("version") != VERSION:
            raise ValueError(f"manifest version {data.get('version')} is not supported (expected {VERSION})")
        return cls(source=data["source"], converted=data["converted"], units=tuple(_unit(u) for u in data["units"]))


def _unit(data: dict[str, Any]) -> Unit:
    example = data.get("example")
    return Unit(
        kind=data["kind"],
        source=data["source"],
        line=data["line"],
        class_name=data["class_name"],
        init_params=tuple(data.get("init_params", ())),
        call_params=tuple(data.get("call_params", ())),
        weights=tuple(_weight(w) for w in data.get("weights", ())),
        example=_example(example) if example else None,
    )


def _weight(data: dict[str, Any]) -> Weight:
    return Weight(**{**data, "shape": tuple(data["shape"])})


def _example(data: dict[str, Any]) -> Example:
    inputs = tuple(TensorSpec(i["name"], tuple(i["shape"]), i.get("dtype", "float32")) for i in data["inputs"])
    return Example(**{**data, "inputs": inputs})


def weight_names(units: Sequence[Unit]) -> list[str]:
    return [weight.tf1_name for unit in units for weight in unit.weights]
