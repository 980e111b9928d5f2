"""Text edits joined to analysis only by positions (character offsets into the source)."""
from __future__ import annotations

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
    for index, group in enumerate(groups):
        if any(overlaps(new, old) for new in group for old in accepted):
            rejected.append(index)
            continue
        accepted.extend(group)
    return accepted, rejected


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
