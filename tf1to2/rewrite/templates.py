"""Generated code from templates with holes, and blocks moved by re-rendering them.

A template is ordinary Python text written at indentation 0 with four-space levels and ``$name`` /
``${name}`` holes. A hole that is alone on its line is a *block hole*: its value (any number of lines,
already indented from column 0) is re-indented to the hole's column, and an empty value removes the
line. Other holes are replaced inline. ``render`` then indents the whole result to a target prefix and
converts the template's four-space levels to the file's own indentation unit.

Re-indentation is tokenize-aware: the lines inside a multi-line string keep their exact text, so moving
a block never changes the value of a string in it.
"""
from __future__ import annotations

import io
import re
import tokenize
from typing import Iterable, Mapping, Sequence

from tf1to2.rewrite.edits import Edit, apply

_HOLE = re.compile(r"\$(?:\{(?P<braced>[A-Za-z_][A-Za-z0-9_]*)\}|(?P<plain>[A-Za-z_][A-Za-z0-9_]*))")
_TEMPLATE_UNIT = "    "


class TemplateError(ValueError):
    """A template names a hole no value was given for."""


def render(template: str, values: Mapping[str, str], indent: str = "", unit: str = _TEMPLATE_UNIT) -> str:
    """Fill ``template``'s holes, then indent every code line by ``indent`` (levels written as ``unit``).

    The template is used as written (not dedented): write it at the columns the code should have.
    """
    text = template
    if unit != _TEMPLATE_UNIT:
        text = _convert_unit(text, unit)
    filled = _fill(text, values)
    return reindent(filled, "", indent)


def _fill(text: str, values: Mapping[str, str]) -> str:
    out: list[str] = []
    for line in text.splitlines(keepends=True):
        stripped = line.strip()
        match = _HOLE.fullmatch(stripped)
        if match:
            value = _value(values, match)
            if not value.strip():
                continue
            column = line[: len(line) - len(line.lstrip())]
            block = value if value.endswith("\n") else value + "\n"
            out.append(reindent(block, "", column))
            continue
        out.append(_HOLE.sub(lambda m: _value(values, m), line))
    return "".join(out)


def _value(values: Mapping[str, str], match: re.Match) -> str:
    name = match.group("braced") or match.group("plain")
    if name not in values:
        raise TemplateError(f"no value for template hole ${name}")
    return values[name]


def _convert_unit(text: str, unit: str) -> str:
    lines = []
    for line in text.splitlines(keepends=True):
        body = line.lstrip(" ")
        levels, extra = divmod(len(line) - len(body), len(_TEMPLATE_UNIT))
        lines.append(unit * levels + " " * extra + body)
    return "".join(lines)


def reindent(block: str, old: str, new: str) -> str:
    """Move a block of whole lines from indentation ``old`` to ``new``.

    Lines that continue a multi-line string are left exactly as they are. A line indented less than
    ``old`` (a comment or a continuation line) loses what indentation it has, up to ``old``'s width.
    """
    if old == new:
        return block
    protected = _string_continuation_lines(block)
    out: list[str] = []
    for number, line in enumerate(block.splitlines(keepends=True), start=1):
        if number in protected:
            out.append(line)
        elif not line.strip():
            out.append(line.lstrip(" \t"))
        elif line.startswith(old):
            out.append(new + line[len(old):])
        else:
            body = line.lstrip(" \t")
            shallower_by = len(old) - (len(line) - len(body))
            out.append(new[: max(0, len(new) - shallower_by)] + body)
    return "".join(out)


def indent_of(line: str) -> str:
    return line[: len(line) - len(line.lstrip(" \t"))]


def _string_continuation_lines(block: str) -> set[int]:
    """1-based numbers of lines that start inside a string token (their text is part of the value)."""
    protected: set[int] = set()
    try:
        tokens = list(tokenize.generate_tokens(io.StringIO(block).readline))
    except (tokenize.TokenError, IndentationError, SyntaxError):
        return _string_lines_fallback(block)
    fstring_starts: list[int] = []  # Python 3.12+ tokenizes f-strings into pieces
    for token in tokens:
        if token.type == tokenize.STRING:
            protected.update(range(token.start[0] + 1, token.end[0] + 1))
        elif token.type == getattr(tokenize, "FSTRING_START", None):
            fstring_starts.append(token.start[0])
        elif token.type == getattr(tokenize, "FSTRING_END", None) and fstring_starts:
            protected.update(range(fstring_starts.pop() + 1, token.end[0] + 1))
    return protected


def _string_lines_fallback(block: str) -> set[int]:
    """Tokenizing a fragment can fail (a dedent below its first line); strings are then found by regex."""
    protected: set[int] = set()
    for match in re.finditer(r"(?s)('''|\"\"\").*?\1", block):
        first = block.count("\n", 0, match.start()) + 1
        last = block.count("\n", 0, match.end()) + 1
        protected.update(range(first + 1, last + 1))
    return protected


def splice(text: str, base: int, edits: Iterable[Edit]) -> str:
    """Apply edits given in offsets of the whole file to ``text``, a slice of it starting at ``base``."""
    local = [Edit(e.start - base, e.end - base, e.replacement) for e in edits if base <= e.start and e.end <= base + len(text)]
    return apply(text, local)


def join_blocks(blocks: Sequence[str], separator: str = "\n") -> str:
    """Join rendered blocks (each ending with a newline) with ``separator`` blank lines between."""
    parts = [b if b.endswith("\n") else b + "\n" for b in blocks if b.strip()]
    return separator.join(parts)


def dedent_edits(text: str, start: int, end: int, width: int) -> list[Edit]:
    """Edits removing ``width`` leading characters of indentation from every line in ``[start, end)``.

    The lines keep their content in place, so other edits inside them still apply; lines that continue a
    multi-line string are not touched.
    """
    block = text[start:end]
    protected = _string_continuation_lines(block)
    edits = []
    offset = start
    for number, line in enumerate(block.splitlines(keepends=True), start=1):
        indent = len(line) - len(line.lstrip(" \t"))
        if number not in protected and line.strip():
            edits.append(Edit(offset, offset + min(width, indent), ""))
        offset += len(line)
    return edits
