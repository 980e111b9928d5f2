"""The note verify adds when the two sides drew dropout masks differently (no TensorFlow needed)."""
from __future__ import annotations

from tf1to2.verify.dropout_notes import dropout_notes
from tf1to2.verify.report import Check, Comparison

RUNNABLE = [{"key": "u0", "class_name": "Mlp"}]
REGIMES = [{"name": "training", "comparison": Comparison.TRAINING.value}]


def log(*shapes):
    return {"count": len(shapes), "shapes": [list(s) for s in shapes]}


def failing(comparison, unit="Mlp"):
    return Check(unit, comparison, "output", False, detail="differs")


def test_a_failing_phase_that_drew_other_shapes_is_noted():
    notes = dropout_notes({"u0/forward": log((4, 16), (1, 16))}, {"u0/forward": log((4, 16), (4, 16))},
                          [failing(Comparison.FORWARD)], RUNNABLE, REGIMES)
    assert notes == ["dropout masks differ in Mlp (forward, gradients): the original drew 2 masks ([4, 16], [1, 16]), "
                     "the converted code 2 masks ([4, 16], [4, 16]); draw 2 is [1, 16] against [4, 16]: values "
                     "computed with these masks differ even where the layers agree"]


def test_a_side_drawing_fewer_masks_is_noted():
    [note] = dropout_notes({"script": log((4, 8), (4, 8))}, {"script": log()},
                           [failing(Comparison.TRACE, "train_step (line 3)")], RUNNABLE, REGIMES)
    assert "the original drew 2 masks ([4, 8], [4, 8]), the converted code no mask; only the original drew masks" in note


def test_same_draws_or_passing_comparisons_are_not_noted():
    same = {"u0/forward": log((4, 16))}
    assert dropout_notes(same, same, [failing(Comparison.FORWARD)], RUNNABLE, REGIMES) == []
    other = {"u0/training/training": log((4, 16))}
    assert dropout_notes(other, {}, [failing(Comparison.FORWARD)], RUNNABLE, REGIMES) == []
