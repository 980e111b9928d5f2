"""Repeated manifest entries (``Weight.repeat``): one entry for every element of a list of layers."""
from __future__ import annotations

from tf1to2.manifest import Weight
from tf1to2.verify import repeats


class Node:
    def __init__(self, **attributes):
        self.__dict__.update(attributes)


BLOCK_W = Weight("model/h{layer}/attn/w", "h[{layer}].attn.w", (4, 4), repeat="layer")
GRID_W = Weight("net/row{i}/col{j}/w", "rows[{i}][{j}].w", (2,), repeat="i,j")


def test_a_repeated_entry_expands_over_the_units_list():
    unit = Node(h=[Node(attn=Node(w="w0")), Node(attn=Node(w="w1")), Node(attn=Node(w="w2"))])
    expanded, problems = repeats.expand_on_unit(unit, [BLOCK_W, Weight("model/wte", "wte", (10, 4))])
    assert problems == []
    assert [(w.tf1_name, w.attribute, w.repeat) for w in expanded] == [
        ("model/h0/attn/w", "h[0].attn.w", None),
        ("model/h1/attn/w", "h[1].attn.w", None),
        ("model/h2/attn/w", "h[2].attn.w", None),
        ("model/wte", "wte", None),
    ]


def test_nested_repeats_expand_over_nested_lists_of_different_lengths():
    unit = Node(rows=[[Node(w=1)], [Node(w=2), Node(w=3)]])
    expanded, _ = repeats.expand_on_unit(unit, [GRID_W])
    assert [w.attribute for w in expanded] == ["rows[0][0].w", "rows[1][0].w", "rows[1][1].w"]
    assert [w.tf1_name for w in expanded] == ["net/row0/col0/w", "net/row1/col0/w", "net/row1/col1/w"]


def test_a_unit_without_the_list_is_a_problem_not_a_crash():
    expanded, problems = repeats.expand_on_unit(Node(), [BLOCK_W])
    assert expanded == []
    assert [name for name, _ in problems] == ["model/h{layer}/attn/w"]
    assert "unit.h does not exist" in problems[0][1]


def test_expansion_by_names_takes_the_indices_the_original_created():
    names = ["model/h0/attn/w", "model/h1/attn/w", "model/h10/attn/w", "model/h1/attn/b", "model/wte"]
    expanded = repeats.expand_by_names([BLOCK_W], names)
    assert [w.tf1_name for w in expanded] == ["model/h0/attn/w", "model/h1/attn/w", "model/h10/attn/w"]
    assert [w.attribute for w in expanded] == ["h[0].attn.w", "h[1].attn.w", "h[10].attn.w"]


def test_an_entry_no_name_matches_stays_to_be_reported_missing():
    assert repeats.expand_by_names([BLOCK_W], ["model/wte"]) == [BLOCK_W]


def test_a_field_used_twice_must_take_one_value():
    weight = Weight("t{i}/w{i}", "t[{i}].w", (1,), repeat="i")
    expanded = repeats.expand_by_names([weight], ["t1/w1", "t1/w2"])
    assert [w.tf1_name for w in expanded] == ["t1/w1"]
