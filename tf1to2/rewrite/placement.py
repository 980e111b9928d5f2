"""Where inserted code goes relative to the comments around it.

A comment written directly above a statement (or a section header above a block of statements, with
blank lines between) belongs to that code, not to what comes before it. Code inserted "before the
program's first statement" therefore goes above those comments, or the comment ends up describing the
inserted code:

    import tensorflow as tf

    # Parameters          ← inserted code goes here,
    learning_rate = 0.5   ← not here
"""
from __future__ import annotations


def above_comments(text: str, offset: int, floor: int) -> int:
    """``offset`` (the start of a line) moved up over the comment and blank lines directly above it,
    never above ``floor``; blank lines just below ``floor`` stay where they are, so the inserted code
    keeps its distance from what precedes it."""
    lines = text[floor:offset].splitlines(keepends=True)
    position = offset
    first_comment = None
    for line in reversed(lines):
        stripped = line.strip()
        if stripped and not stripped.startswith("#"):
            break
        position -= len(line)
        if stripped:
            first_comment = position
    return offset if first_comment is None else first_comment
