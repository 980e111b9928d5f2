"""Text edits joined to analysis only by positions (character offsets into the source)."""
from __future__ import annotations

import bisect
import dataclasses
from typing import Iterable, Sequence


@dataclasses.dataclass(frozen=True, order=True)
class Edit:
    """Replace ``text[start:end]`` with ``replacement``. ``start == end`` inserts."""

    start: int
    end: int
    replacement: str


def overlaps(a: Edit, b: Edit) -> bool:
    if a.start == a.end == b.start == b.end:
        return False  # two insertions at one point are applied in order
    return a.start < b.end and b.start < a.end


def select_compatible(groups: Iterable[Sequence[Edit]]) -> tuple[list[Edit], list[int]]:
    """Accept each group of edits whole, in order, unless it overlaps an accepted edit.

    Returns the accepted edits and the indexes of the groups that were rejected, so the rule that
    proposed them can report its finding as not fixed instead of half-applying it.
    """
    accepted: list[Edit] = []
    rejected: list[int] = []
    index_ = _AcceptedIndex()
    for index, group in enumerate(groups):
        if any(index_.overlaps(new, accepted) for new in group):
            rejected.append(index)
            continue
        accepted.extend(group)
        index_.add(group)
    return accepted, rejected


class _AcceptedIndex:
    """The accepted edits sorted by position, so a large file's many edits are checked in O(log n) each.

    Accepted groups do not overlap one another, so sorted by (start, end) their ends never decrease and
    only the last edit starting before ``new.end`` can reach past ``new.start``. A group that overlaps
    itself breaks that order: from then on every accepted edit is checked, as ``overlaps`` defines.
    """

    def __init__(self) -> None:
        self.keys: list[tuple[int, int]] = []
        self.exhaustive = False

    def add(self, group: Sequence[Edit]) -> None:
        self.exhaustive = self.exhaustive or any(overlaps(a, b) for i, a in enumerate(group) for b in group[:i])
        for edit in group:
            bisect.insort(self.keys, (edit.start, edit.end))

    def overlaps(self, new: Edit, accepted: list[Edit]) -> bool:
        if self.exhaustive:
            return any(overlaps(new, old) for old in accepted)
        before = bisect.bisect_left(self.keys, (new.end, -1))
        if before == 0:
            return False
        start, end = self.keys[before - 1]
        return overlaps(new, Edit(start, end, ""))


def apply(text: str, edits: Iterable[Edit]) -> str:
    """Apply non-overlapping edits; insertions at the same offset keep their given order."""
    ordered = sorted(enumerate(edits), key=lambda item: (item[1].start, item[1].end, item[0]))
    pieces: list[str] = []
    cursor = 0
    for _, edit in ordered:
        if edit.start < cursor:
            raise ValueError(f"overlapping edit at offset {edit.start}")
        pieces.append(text[cursor:edit.start])
        pieces.append(edit.replacement)
        cursor = edit.end
    pieces.append(text[cursor:])
    return "".join(pieces)
