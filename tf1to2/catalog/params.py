"""Carry a TF1 call's bound arguments over to Keras keywords, by the roles of a record's parameters.

Shared by the layer, initializer and optimizer tables: each is a list of ``records.Param``; the result is
a ``Rendering`` that the caller completes (special hooks) and turns into code with ``call_text``.
"""
from __future__ import annotations

import dataclasses
from typing import Any, Callable, Optional, Sequence

from tf1to2.catalog.args import MISSING, Argument, Bound, is_none, literal, operand, python_string
from tf1to2.catalog.records import REQUIRED, Param, Role, Unmapped

# A value conversion: (kind, source text) → source text. Kinds the tables use are in ``VALUE_CONVERSIONS``;
# callers add ``initializer`` and ``regularizer`` (they need to resolve names through imports).
Convert = Callable[[str, str], str]

_DATA_FORMATS = {
    "NHWC": "channels_last", "NWC": "channels_last", "NDHWC": "channels_last",
    "NCHW": "channels_first", "NCW": "channels_first", "NCDHW": "channels_first",
}


def lower_string(text: str) -> str:
    """``'SAME'`` → ``"same"``; anything not a string literal is left to Keras (it lower-cases itself)."""
    value = literal(text)
    return python_string(value.lower()) if isinstance(value, str) else text


def data_format(text: str) -> str:
    """contrib's ``'NHWC'`` / ``'NCHW'`` (or None: NHWC) → Keras' ``channels_last`` / ``channels_first``."""
    value = literal(text)
    if value is None:
        return python_string("channels_last")
    if isinstance(value, str) and value in _DATA_FORMATS:
        return python_string(_DATA_FORMATS[value])
    return f'("channels_first" if str({text}).startswith("NC") else "channels_last")'


def keep_prob_to_rate(text: str) -> str:
    value = literal(text)
    if isinstance(value, (int, float)) and not isinstance(value, bool):
        return repr(round(1.0 - value, 12))
    return f"1 - {operand(text)}"


VALUE_CONVERSIONS: dict[str, Callable[[str], str]] = {
    "padding": lower_string,
    "lower": lower_string,
    "data_format": data_format,
    "keep_prob": keep_prob_to_rate,
}


def convert_value(kind: Optional[str], text: str, extra: Optional[Convert] = None) -> str:
    if kind is None:
        return text
    if kind in VALUE_CONVERSIONS:
        return VALUE_CONVERSIONS[kind](text)
    return extra(kind, text) if extra is not None else text


@dataclasses.dataclass
class Rendering:
    """Keywords for the Keras constructor and everything else a TF1 call's arguments said."""

    keywords: dict = dataclasses.field(default_factory=dict)  # Keras keyword → source text, in order
    call_kwargs: dict = dataclasses.field(default_factory=dict)
    inputs: Optional[str] = None
    name: Optional[str] = None
    reuse: Optional[str] = None
    normalizer: Any = None  # a KerasLayer applied to the output (contrib's normalizer_fn)
    activation: Optional[str] = None  # applied last, when the Keras layer itself cannot take it
    unmapped: list = dataclasses.field(default_factory=list)
    notes: list = dataclasses.field(default_factory=list)

    def unmap(self, param: str, text: str, reason: str) -> None:
        self.unmapped.append(Unmapped(param, text, reason))


def same_value(text: str, default: Optional[str]) -> bool:
    """Whether an argument's text is the TF1 default (literally)."""
    if default is None or default == REQUIRED:
        return False
    value, expected = literal(text), literal(default)
    return value is not MISSING and expected is not MISSING and value == expected


def apply(params: Sequence[Param], bound: Bound, owner: str, convert: Optional[Convert] = None) -> Rendering:
    """Place each bound argument by its parameter's role; SPECIAL parameters are left to the caller."""
    out = Rendering()
    for extra in bound.extra:
        _report_extra(out, extra, owner)
    for param in params:
        text = bound.get(param.tf1)
        _place(out, param, text, owner, convert)
    return out


def _report_extra(out: Rendering, arg: Argument, owner: str) -> None:
    if arg.star:
        out.unmap(arg.star, arg.text, f"{arg.star}{arg.text}: unpacked arguments cannot be matched to {owner}'s parameters")
    elif arg.keyword is None:
        out.unmap("*", arg.text, f"more positional arguments than {owner} takes")
    else:
        out.unmap(arg.keyword, arg.text, f"{arg.keyword} is not a parameter of {owner} (or is given twice)")


def _place(out: Rendering, param: Param, text: Optional[str], owner: str, convert: Optional[Convert]) -> None:
    role = param.role
    if role is Role.SPECIAL:
        return
    if role is Role.INPUT:
        out.inputs = text
        return
    if role is Role.NAME:
        out.name = None if text is None or is_none(text) else text
        return
    if role is Role.REUSE:
        out.reuse = text
        return
    if role is Role.TRAINING:
        value = text if text is not None else (param.default if param.explicit else None)
        if value is not None:
            out.call_kwargs["training"] = value
        return
    if role is Role.IGNORED:
        if text is not None and not is_none(text):
            out.notes.append(f"{param.tf1}={text} is dropped: it has no effect in TF2")
        return
    if role is Role.UNSUPPORTED:
        if text is not None and not same_value(text, param.default):
            out.unmap(param.tf1, text, param.reason or f"{owner}'s {param.tf1} has no Keras equivalent")
        return
    if text is None:
        if param.default == REQUIRED:
            out.unmap(param.tf1, "", f"{owner} requires {param.tf1}, and the call does not give it")
        elif param.explicit and param.default is not None:
            out.keywords[param.keras or param.tf1] = convert_value(param.convert, param.default, convert)
        return
    out.keywords[param.keras or param.tf1] = convert_value(param.convert, text, convert)


def call_text(callee: str, keywords: dict) -> str:
    return f"{callee}({', '.join(f'{key}={value}' for key, value in keywords.items())})"
