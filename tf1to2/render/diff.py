"""Unified diffs of converted texts (a module, or each changed notebook cell)."""
from __future__ import annotations

import difflib
from typing import Iterable

from tf1to2.files import FileResult, TextChange

_NO_NEWLINE = "\\ No newline at end of file\n"


def unified_diff(change: TextChange) -> str:
    lines = difflib.unified_diff(
        change.before.splitlines(keepends=True),
        change.after.splitlines(keepends=True),
        fromfile=f"a/{change.label}",
        tofile=f"b/{change.label}",
    )
    # A last line without a newline is marked as in `git diff`, so the output stays a valid patch.
    return "".join(line if line.endswith("\n") else line + "\n" + _NO_NEWLINE for line in lines)


def diffs(results: Iterable[FileResult]) -> str:
    return "".join(unified_diff(change) for result in results for change in result.changes)
