"""Map offsets in edited text back to the text the edits were applied to.

Diagnostics of a later pass point into that pass's input; users want positions in their own file.
"""
from __future__ import annotations

import bisect
from typing import Iterable

from tf1to2.rewrite.edits import Edit


class OffsetMap:
    """Built from the edits applied to a text; ``original(offset)`` inverts them.

    An offset inside replacement text maps to the start of what it replaced.
    """

    def __init__(self, edits: Iterable[Edit]) -> None:
        self._new_starts: list[int] = []
        self._segments: list[tuple[int, int, int, int]] = []  # new_start, new_end, old_start, old_end
        shift = 0
        for edit in sorted(edits):
            new_start = edit.start + shift
            new_end = new_start + len(edit.replacement)
            self._new_starts.append(new_start)
            self._segments.append((new_start, new_end, edit.start, edit.end))
            shift += len(edit.replacement) - (edit.end - edit.start)

    def original(self, offset: int) -> int:
        index = bisect.bisect_right(self._new_starts, offset) - 1
        if index < 0:
            return offset
        _, new_end, old_start, old_end = self._segments[index]
        if offset < new_end:
            return old_start
        return old_end + (offset - new_end)
