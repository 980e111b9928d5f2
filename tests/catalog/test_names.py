"""ScopeNames: TF1's default names (the rule itself is checked against TF1 in test_tf1_tables.py)."""
from __future__ import annotations

from tf1to2.catalog.names import ScopeNames


def test_unnamed_layers_count_up_from_the_bare_name() -> None:
    scope = ScopeNames()
    assert [scope.default("dense") for _ in range(3)] == ["dense", "dense_1", "dense_2"]


def test_an_explicitly_opened_name_takes_its_slot() -> None:
    scope = ScopeNames()
    scope.default("dense")
    scope.opened("dense_1")
    assert scope.default("dense") == "dense_2"


def test_an_explicit_base_name_pushes_the_default_to_a_suffix() -> None:
    scope = ScopeNames()
    scope.opened("dense")
    assert scope.default("dense") == "dense_1"


def test_different_bases_count_separately() -> None:
    scope = ScopeNames()
    assert [scope.default("dense"), scope.default("conv2d"), scope.default("dense")] == ["dense", "conv2d", "dense_1"]


def test_a_new_opening_of_a_scope_starts_again() -> None:
    first, second = ScopeNames(), ScopeNames()
    first.default("dense")
    assert second.default("dense") == "dense"


def test_reused_layers_take_the_bare_base_name() -> None:
    scope = ScopeNames()
    scope.default("dense")
    assert scope.reused("dense") == "dense"
