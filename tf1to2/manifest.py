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
    shape: Optional[tuple[Optional[int], ...]]  # None: the converter could not know it statically
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
class SessionSite:
    """A converted ``sess.run`` (or ``tensor.eval()``, ``op.run()``) and the function that replaces it.

    Added to version 1 without changing any existing field: ``session_sites`` is a new top-level list,
    absent from (and empty for) manifests written before it.

    line, col: position of the call in the TF1 file (col 0-based).
    kind: ``run`` (``sess.run``), ``eval`` (``tensor.eval``) or ``op_run`` (``op.run``).
    function: the generated function's name; several sites with the same fetches and feeds share one.
    fetches: the fetches as written in the TF1 call; ``structure`` is what the function returns
      (``single``, ``list[2]``, ``tuple[3]``, ``dict[loss, acc]``), fetched train ops returning None.
    arguments: the placeholders the call feeds, which are the function's keyword arguments.
    train_ops: the train ops the function runs as GradientTape steps.
    """

    line: int
    col: int
    kind: str
    function: str
    fetches: str
    structure: str
    arguments: tuple[str, ...] = ()
    train_ops: tuple[str, ...] = ()


@dataclasses.dataclass(frozen=True)
class Manifest:
    """``units`` may be given session sites too: they are moved to ``session_sites`` (the engine hands
    every manifest record of a file over in one sequence)."""

    source: str
    converted: str
    units: tuple[Unit, ...] = ()
    session_sites: tuple[SessionSite, ...] = ()

    def __post_init__(self) -> None:
        sites = tuple(u for u in self.units if isinstance(u, SessionSite))
        if sites:
            object.__setattr__(self, "units", tuple(u for u in self.units if not isinstance(u, SessionSite)))
            object.__setattr__(self, "session_sites", self.session_sites + sites)

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
        return cls(
            source=data["source"], converted=data["converted"], units=tuple(_unit(u) for u in data["units"]),
            session_sites=tuple(_session_site(s) for s in data.get("session_sites", ())),
        )


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


def _session_site(data: dict[str, Any]) -> SessionSite:
    return SessionSite(**{**data, "arguments": tuple(data.get("arguments", ())),
                          "train_ops": tuple(data.get("train_ops", ()))})


def _weight(data: dict[str, Any]) -> Weight:
    return Weight(**{**data, "shape": weight_shape(data["shape"])})


def weight_shape(shape: Optional[Sequence[Optional[int]]]) -> Optional[tuple[Optional[int], ...]]:
    """A weight's JSON shape as a tuple; ``null`` (unknown to the converter) stays None."""
    return None if shape is None else tuple(shape)


def _example(data: dict[str, Any]) -> Example:
    inputs = tuple(TensorSpec(i["name"], tuple(i["shape"]), i.get("dtype", "float32")) for i in data["inputs"])
    return Example(**{**data, "inputs": inputs})


def weight_names(units: Sequence[Unit]) -> list[str]:
    return [weight.tf1_name for unit in units for weight in unit.weights]
