"""A TF1 call's arguments as source snippets, bound to the TF1 signature's parameter names.

The catalog never sees AST nodes: a call is a sequence of ``Argument`` (keyword or None, source text,
star). ``arguments_of`` builds that from ``tf1to2.analysis.syntax.Call`` or from plain pairs.
"""
from __future__ import annotations

import ast
import dataclasses
from typing import Any, Iterable, Optional, Sequence, Union


class _Missing:
    def __repr__(self) -> str:
        return "MISSING"


MISSING: Any = _Missing()


@dataclasses.dataclass(frozen=True)
class Argument:
    keyword: Optional[str]  # None: positional
    text: str  # the argument's source text (without ``kw=``)
    star: str = ""  # "", "*" or "**"


ArgumentLike = Union[Argument, tuple]


def arguments_of(call_or_pairs: Any) -> tuple[Argument, ...]:
    """Arguments from an ``analysis.syntax.Call``, a sequence of ``Argument`` or ``(keyword, text)`` pairs."""
    raw = getattr(call_or_pairs, "args", call_or_pairs)
    found = []
    for item in raw:
        if isinstance(item, Argument):
            found.append(item)
        elif isinstance(item, tuple):
            keyword, text = item[0], item[1]
            found.append(Argument(keyword, text, item[2] if len(item) > 2 else ""))
        else:  # analysis.syntax.Arg: keyword, value.text, star
            found.append(Argument(item.keyword, item.value.text, item.star))
    return tuple(found)


@dataclasses.dataclass(frozen=True)
class Bound:
    """Arguments by TF1 parameter name; ``extra`` holds what the signature cannot place."""

    values: dict
    extra: tuple[Argument, ...] = ()

    def get(self, name: str, default: Any = None) -> Any:
        return self.values.get(name, default)

    def __contains__(self, name: str) -> bool:
        return name in self.values


def bind(parameters: Sequence[str], args: Iterable[Argument]) -> Bound:
    """Place positional arguments by signature order and keywords by name (``*``/``**`` go to extra)."""
    values: dict[str, str] = {}
    extra: list[Argument] = []
    position = 0
    for arg in args:
        if arg.star:
            extra.append(arg)
        elif arg.keyword is None:
            if position < len(parameters):
                values[parameters[position]] = arg.text
            else:
                extra.append(arg)
            position += 1
        elif arg.keyword in parameters and arg.keyword not in values:
            values[arg.keyword] = arg.text
        else:
            extra.append(arg)
    return Bound(values, tuple(extra))


def literal(text: Optional[str]) -> Any:
    """The Python value of a literal snippet (``'SAME'``, ``0.5``, ``(2, 2)``), else MISSING."""
    if text is None:
        return MISSING
    try:
        return ast.literal_eval(text.strip())
    except (ValueError, SyntaxError, TypeError, MemoryError, RecursionError):
        return MISSING


def is_none(text: Optional[str]) -> bool:
    return text is not None and literal(text) is None


def is_false(text: Optional[str]) -> bool:
    """``False`` (or another literal that is falsy, such as ``0``), but not an absent argument."""
    value = literal(text)
    return value is not MISSING and not value


def operand(text: str) -> str:
    """``text`` parenthesized unless it is a name, attribute, call, subscript or non-negative literal."""
    try:
        node = ast.parse(text.strip(), mode="eval").body
    except SyntaxError:
        return f"({text})"
    atoms = (ast.Name, ast.Attribute, ast.Call, ast.Subscript, ast.List, ast.Tuple, ast.Dict)
    if isinstance(node, atoms) or (isinstance(node, ast.Constant) and not text.strip().startswith("-")):
        return text.strip()
    return f"({text.strip()})"


def dict_items(text: Optional[str]) -> Optional[dict[str, str]]:
    """``{'decay': 0.9, 'is_training': t}`` → {"decay": "0.9", "is_training": "t"}; None unless a literal-key dict."""
    if text is None:
        return None
    try:
        node = ast.parse(text.strip(), mode="eval").body
    except SyntaxError:
        return None
    if isinstance(node, ast.Call) and isinstance(node.func, ast.Name) and node.func.id == "dict" and not node.args:
        if any(kw.arg is None for kw in node.keywords):
            return None
        return {kw.arg: ast.get_source_segment(text.strip(), kw.value) or "" for kw in node.keywords}
    if not isinstance(node, ast.Dict):
        return None
    items = {}
    for key, value in zip(node.keys, node.values):
        if not (isinstance(key, ast.Constant) and isinstance(key.value, str)):
            return None
        items[key.value] = ast.get_source_segment(text.strip(), value) or ""
    return items


def python_string(value: str) -> str:
    """A double-quoted string literal."""
    return '"' + value.replace("\\", "\\\\").replace('"', '\\"') + '"'
