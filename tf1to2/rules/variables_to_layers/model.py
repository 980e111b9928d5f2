"""The plan: what each generated class holds and how each piece of the original code moves.

Pure data (positions, texts, names), produced by ``plan`` from the analysis IR and turned into code by
``emit``. A method body is a ``Block``: generated statements (text at indentation 0) interleaved with
original statements (``Moved``) that are copied, dropped or unwrapped (a ``with`` whose header goes
away while its body stays), with ``Rewrite``s applied inside what is copied.
"""
from __future__ import annotations

import dataclasses
from typing import Optional, Union


@dataclasses.dataclass(frozen=True)
class Rewrite:
    """Replace ``[start, end)`` of the original text while copying it."""

    start: int
    end: int
    text: str


@dataclasses.dataclass(frozen=True)
class Moved:
    """An original statement placed in a new body."""

    stmt_id: int
    start: int
    end: int
    indent: str
    lead: int  # where its own leading comment lines start
    action: str = "keep"  # keep, drop, unwrap
    children: tuple["Moved", ...] = ()
    header_end: int = 0  # for unwrap: offset just past the header line(s)
    inner: tuple["Rewrite", ...] = ()  # for keep: nested statements dropped or unwrapped inside it


Part = Union[str, Moved]


@dataclasses.dataclass(frozen=True)
class Block:
    parts: tuple[Part, ...] = ()
    rewrites: tuple[Rewrite, ...] = ()

    def is_empty(self) -> bool:
        return not any(isinstance(p, str) and p.strip() or isinstance(p, Moved) and _keeps(p) for p in self.parts)


def _keeps(moved: Moved) -> bool:
    if moved.action == "keep":
        return True
    if moved.action == "unwrap":
        return any(_keeps(c) for c in moved.children)
    return False


@dataclasses.dataclass(frozen=True)
class Loop:
    """Weights or sublayers, one per iteration of ``for <target> in <iterable>``.

    A list over ``range``/``enumerate`` (indexed by the counter), else a dict keyed by the loop variable
    (``for name in layer_names``: each name is a distinct TF1 scope).
    """

    target: str
    iterable: str
    index: str  # the expression indexing the list (or dict) inside the loop
    kind: str = "list"  # list or dict


@dataclasses.dataclass(frozen=True)
class WeightPlan:
    attr: str
    key: tuple[str, ...]  # scope components inside the unit, then the variable name
    tf1_name: str  # relative to the unit's own scope
    shape: Optional[tuple]  # literal shape when known (for the manifest)
    dtype: str
    trainable: bool
    initializer: str
    arguments: tuple[tuple[str, str], ...]  # add_weight keyword → expression text
    placement: str  # init or build
    order: int
    loop: Optional[Loop] = None
    notes: tuple[str, ...] = ()
    prelude: tuple[str, ...] = ()  # statements computing an initial value first


@dataclasses.dataclass(frozen=True)
class SublayerPlan:
    attr: str
    key: tuple
    unit: str  # the TF1 function it comes from
    class_name: str
    arguments: tuple[str, ...]  # constructor arguments, as written
    placement: str
    order: int
    scope_name: Optional[str]  # the TF1 scope name (relative), when static
    loop: Optional[Loop] = None
    shared: Optional[str] = None  # created elsewhere (a weight-holding layer of another unit)
    keras: Optional[str] = None  # a TF1 layer call's Keras layer: its constructor, as written
    keras_weights: tuple[tuple[str, str], ...] = ()  # (TF1 variable under its scope, Keras attribute)
    notes: tuple[str, ...] = ()  # what the Keras layer computes differently (from the layer catalog)


@dataclasses.dataclass(frozen=True)
class ClassPlan:
    class_name: str
    source: str  # TF1 function name or "<module>"
    kind: str  # layer or model
    line: int
    docstring: str
    init_signature: str  # parameters after ``self``
    super_name: str  # the expression given to ``super().__init__(name=...)``
    init: Block
    build: Optional[Block]
    call_signature: str
    call: Optional[Block]
    weights: tuple[WeightPlan, ...]
    sublayers: tuple[SublayerPlan, ...]
    config_params: tuple[str, ...] = ()
    tensor_params: tuple[str, ...] = ()
    default_scope: Optional[str] = None  # the TF1 scope the unit's variables live under by default
    notes: tuple[str, ...] = ()
