import pytest

from tf1to2.rewrite.edits import Edit, apply, overlaps, select_compatible
from tf1to2.rewrite.offsets import OffsetMap


def test_apply_splices_edits_in_position_order():
    assert apply("abcdef", [Edit(4, 5, "E"), Edit(0, 1, "AA")]) == "AAbcdEf"


def test_insertions_at_one_point_keep_their_order():
    assert apply("ab", [Edit(1, 1, "1"), Edit(1, 1, "2")]) == "a12b"


def test_overlapping_edits_are_refused():
    with pytest.raises(ValueError):
        apply("abcdef", [Edit(0, 3, "x"), Edit(2, 4, "y")])


def test_a_group_overlapping_an_accepted_one_is_rejected_whole():
    accepted, rejected = select_compatible([[Edit(0, 3, "x")], [Edit(5, 6, "q"), Edit(2, 4, "y")], [Edit(5, 6, "z")]])
    assert accepted == [Edit(0, 3, "x"), Edit(5, 6, "z")]
    assert rejected == [1]


def test_offset_map_inverts_edits():
    text = "aaa bbb ccc"
    edits = [Edit(0, 3, "AAAAA"), Edit(8, 11, "C")]
    new = apply(text, edits)
    back = OffsetMap(edits)
    assert new == "AAAAA bbb C"
    assert back.original(new.index("bbb")) == text.index("bbb")
    assert back.original(2) == 0  # inside replacement text → start of what it replaced
    assert back.original(new.index("C")) == text.index("ccc")


def _naive_select(groups):
    accepted, rejected = [], []
    for index, group in enumerate(groups):
        if any(overlaps(new, old) for new in group for old in accepted):
            rejected.append(index)
        else:
            accepted.extend(group)
    return accepted, rejected


@pytest.mark.parametrize("seed", range(20))
def test_select_compatible_agrees_with_checking_every_pair(seed):
    import random

    rng = random.Random(seed)
    groups = []
    for _ in range(60):
        group = []
        for _ in range(rng.randint(1, 3)):
            start = rng.randint(0, 40)
            group.append(Edit(start, start + rng.choice([0, 0, 1, 2, 5]), "x"))
        groups.append(group)
    assert select_compatible(groups) == _naive_select(groups)
