"""The comparisons themselves, on hand-made runner records (numpy only, no TensorFlow)."""
from __future__ import annotations

import numpy as np
import pytest

from tf1to2.verify import compare
from tf1to2.verify.report import Comparison, Tolerance

TOLERANCE = Tolerance(rtol=1e-5, atol=1e-6)


def weight(name, shape, trainable=True, attribute=None):
    return {"tf1_name": name, "attribute": attribute or name.split("/")[-1], "shape": list(shape), "dtype": "float32",
            "trainable": trainable, "initializer": None, "transform": None}


def created(name, shape, trainable=True):
    return {"name": name, "shape": list(shape), "dtype": "float32", "trainable": trainable}


def mapped(name, shape, trainable=True, path=None):
    return {"tf1_name": name, "attribute": name.split("/")[-1], "path": path or name, "shape": list(shape),
            "dtype": "float32", "trainable": trainable}


# --- array_difference -----------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("converted", "passes"),
    [
        pytest.param(np.array([[1.0, -2.0], [3.0, 4.0]]), True, id="identical arrays pass"),
        pytest.param(np.array([[1.0, -2.0], [3.0, 4.0 + 3e-5]]), True, id="a difference within rtol passes"),
        pytest.param(np.array([[1.0, -2.0], [3.0, 4.001]]), False, id="a difference beyond rtol fails"),
    ],
)
def test_array_difference_holds_values_to_the_tolerance(converted, passes):
    original = np.array([[1.0, -2.0], [3.0, 4.0]])
    assert compare.array_difference(original, converted, TOLERANCE).passed is passes


@pytest.mark.parametrize(
    ("small", "passes"),
    [
        pytest.param(0.001 + 5e-3, True, id="within rtol of the largest element passes"),
        pytest.param(0.001 + 5e-2, False, id="beyond rtol of the largest element fails"),
    ],
)
def test_small_elements_of_a_large_array_are_held_to_rtol_of_its_largest(small, passes):
    """Float32 sums err in proportion to their largest terms, not to their result."""
    original = np.array([1000.0, 0.001])
    assert compare.array_difference(original, np.array([1000.0, small]), TOLERANCE).passed is passes


def test_a_flipped_sign_names_the_worst_element_and_both_values():
    original = np.array([[0.5, -1.0], [2.0, 0.25]])
    diff = compare.array_difference(original, -original, TOLERANCE)
    assert not diff.passed
    assert diff.max_abs == pytest.approx(4.0)
    assert diff.max_rel == pytest.approx(2.0)
    assert diff.detail == "at [1, 0] original 2, converted -2"


def test_a_shape_mismatch_fails_and_says_both_shapes():
    diff = compare.array_difference(np.zeros((4, 5)), np.zeros((4, 6)), TOLERANCE)
    assert not diff.passed
    assert diff.detail == "shape (4, 5) in the original, (4, 6) converted"


@pytest.mark.parametrize(
    ("converted", "passes"),
    [
        pytest.param(np.array([np.nan, 1.0]), True, id="NaN on both sides is the same value"),
        pytest.param(np.array([0.0, 1.0]), False, id="NaN on one side only fails"),
    ],
)
def test_nan_must_appear_on_both_sides(converted, passes):
    assert compare.array_difference(np.array([np.nan, 1.0]), converted, TOLERANCE).passed is passes


def test_equal_infinities_are_equal_and_a_lost_infinity_is_not():
    assert compare.array_difference(np.array([np.inf, -np.inf]), np.array([np.inf, -np.inf]), TOLERANCE).passed
    assert not compare.array_difference(np.array([np.inf, 1.0]), np.array([1e30, 1.0]), TOLERANCE).passed


def test_relative_error_ignores_elements_smaller_than_atol():
    diff = compare.array_difference(np.array([0.0, 10.0]), np.array([5e-7, 10.0]), TOLERANCE)
    assert diff.passed
    assert diff.max_rel == 0.0


# --- variables ------------------------------------------------------------------------------------------


def unit_with(*weights):
    return {"class_name": "Dense", "weights": list(weights)}


def test_matching_variable_sets_give_one_passing_check():
    unit = unit_with(weight("dense/w", (3, 2)), weight("dense/b", (2,)))
    original = {"variables": [created("dense/w", (3, 2)), created("dense/b", (2,))]}
    converted = {"variables": {"mapped": [mapped("dense/w", (3, 2)), mapped("dense/b", (2,))], "unmapped": [], "problems": []}}
    [check] = compare.variable_checks("Dense", unit, original, converted)
    assert check.passed and check.comparison is Comparison.VARIABLES
    assert check.subject == "2 variables"


@pytest.mark.parametrize(
    ("original_variables", "converted_binding", "subject", "detail"),
    [
        pytest.param(
            [created("dense/w", (3, 2)), created("dense/extra", (2,))],
            {"mapped": [mapped("dense/w", (3, 2))], "unmapped": [], "problems": []},
            "dense/extra",
            "the original creates it (shape (2,), float32, trainable) but the manifest does not record it",
            id="a variable the manifest forgot",
        ),
        pytest.param(
            [created("dense/w", (3, 2))],
            {"mapped": [mapped("dense/w", (3, 2))], "unmapped": [{"path": "dense/w_1", "shape": [3, 2], "dtype": "float32",
                                                               "trainable": True}], "problems": []},
            "dense/w_1",
            "the converted unit has this weight (shape (3, 2), float32, trainable) but no TF1 variable maps to it",
            id="a shared weight split in two leaves an unmapped weight",
        ),
        pytest.param(
            [created("dense/w", (3, 2))],
            {"mapped": [mapped("dense/w", (3, 2), trainable=False)], "unmapped": [], "problems": []},
            "dense/w",
            "converted weight dense/w is not trainable, the original's is trainable",
            id="trainable flag differs",
        ),
        pytest.param(
            [created("dense/w", (3, 2))],
            {"mapped": [mapped("dense/w", (2, 3))], "unmapped": [], "problems": []},
            "dense/w",
            "converted weight dense/w has shape (2, 3), the original (3, 2)",
            id="shape differs",
        ),
        pytest.param(
            [created("dense/w", (3, 2))],
            {"mapped": [], "unmapped": [], "problems": [["dense/w", "attribute 'w': unit.w does not exist"]]},
            "dense/w",
            "converted: attribute 'w': unit.w does not exist",
            id="an attribute path that does not resolve",
        ),
    ],
)
def test_variable_set_differences_fail_with_the_name_and_what_differs(original_variables, converted_binding, subject, detail):
    unit = unit_with(weight("dense/w", (3, 2)))
    checks = compare.variable_checks("Dense", unit, {"variables": original_variables}, {"variables": converted_binding})
    failing = [check for check in checks if not check.passed]
    assert [(check.subject, check.detail) for check in failing] == [(subject, detail)]


def test_a_manifest_name_the_original_lacks_suggests_the_closest():
    unit = unit_with(weight("dense_1/kernel", (3, 2)))
    original = {"variables": [created("dense1/kernel", (3, 2))]}
    converted = {"variables": {"mapped": [mapped("dense_1/kernel", (3, 2))], "unmapped": [], "problems": []}}
    details = [check.detail for check in compare.variable_checks("Dense", unit, original, converted)]
    assert "the manifest records it but the original does not create it (closest: dense1/kernel)" in details



def unknown_shape(name):
    return {**weight(name, ()), "shape": None}


@pytest.mark.parametrize(
    ("converted_shape", "passes"),
    [
        pytest.param((7,), True, id="the converted weight has the original's shape"),
        pytest.param((), False, id="the converted weight's shape differs from the original's"),
    ],
)
def test_a_manifest_shape_the_converter_could_not_know_is_taken_from_the_original(converted_shape, passes):
    unit = unit_with(unknown_shape("Variable"))
    original = {"variables": [created("Variable", (7,))]}
    converted = {"variables": {"mapped": [mapped("Variable", converted_shape)], "unmapped": [], "problems": []}}
    checks = compare.variable_checks("Model", unit, original, converted)
    assert all(check.passed for check in checks) is passes
    if not passes:
        assert [check.detail for check in checks] == ["converted weight Variable has shape (), the original (7,)"]

# --- training -------------------------------------------------------------------------------------------


def test_training_reports_the_first_step_that_differs():
    regime = {"name": "training", "comparison": "training"}
    steps = {f"train/training/{step}/w": np.full(3, float(step)) for step in (1, 2, 3)}
    drifting = dict(steps, **{"train/training/2/w": np.full(3, 2.5), "train/training/3/w": np.full(3, 3.5)})
    [check] = compare.training_checks("Dense", regime, compare.Side({}, steps), compare.Side({}, drifting), TOLERANCE)
    assert not check.passed
    assert check.step == 2
    assert check.max_abs == pytest.approx(0.5)


# --- initializers ---------------------------------------------------------------------------------------


def moments(values, deterministic=False):
    """What the TF1 runner records: two runs of a deterministic initializer give the same values twice."""
    runs = 2 if deterministic else 1
    return {"mean": float(np.mean(values)), "std": float(np.std(values)), "count": values.size * runs, "runs": runs,
            "deterministic": deterministic}


def initializer_check(original_moments, fresh, fresh_constant=False):
    original = compare.Side({"initializers": {"dense/w": original_moments}}, {})
    converted = compare.Side({"fresh_constant": {"dense/w": fresh_constant}}, {"fresh/dense/w": fresh})
    [check] = compare.initializer_checks("Dense", original, converted, TOLERANCE)
    return check


@pytest.mark.parametrize("size", [pytest.param(20, id="20 values"), pytest.param(50, id="a 10x5 weight")])
@pytest.mark.parametrize(
    ("converted_stddev", "passes"),
    [
        pytest.param(1.0, True, id="the same stddev passes"),
        pytest.param(0.05, False, id="Keras' default stddev 0.05 instead of TF1's 1.0 fails"),
        pytest.param(20.0, False, id="a stddev twenty times too large fails"),
    ],
)
def test_initializer_stddev_is_compared_statistically(converted_stddev, passes, size):
    rng = np.random.default_rng(1)
    reference = rng.standard_normal(4096)
    fresh = rng.standard_normal(size) * converted_stddev
    check = initializer_check(moments(reference), fresh)
    assert check.passed is passes
    assert check.comparison is Comparison.INITIALIZERS


@pytest.mark.parametrize(
    "draw",
    [
        pytest.param(lambda rng, n: rng.standard_normal(n), id="normal"),
        pytest.param(lambda rng, n: rng.uniform(0.0, 1.0, n), id="uniform in [0, 1)"),
        pytest.param(lambda rng, n: np.clip(rng.standard_normal(n), -2, 2) * 0.1, id="truncated normal"),
    ],
)
def test_the_same_initializer_never_fails_by_chance(draw):
    rng = np.random.default_rng(3)
    reference = moments(draw(rng, 100_000))
    for size in (20, 24, 50, 500):
        assert all(initializer_check(reference, draw(rng, size)).passed for _ in range(300)), size


def test_a_shifted_mean_fails():
    rng = np.random.default_rng(4)
    # TF1 random_uniform_initializer draws from [0, 1); Keras' RandomUniform default from [-0.05, 0.05).
    check = initializer_check(moments(rng.uniform(0.0, 1.0, 4096)), rng.uniform(-0.05, 0.05, 50))
    assert not check.passed


@pytest.mark.parametrize(
    ("fresh", "passes"),
    [
        pytest.param(np.zeros(5), True, id="zeros against zeros pass"),
        pytest.param(np.ones(5), False, id="ones against zeros fail"),
        pytest.param(np.full(5, 0.1), False, id="a constant 0.1 against zeros fails"),
    ],
)
def test_deterministic_initializers_must_match_exactly_even_when_small(fresh, passes):
    assert initializer_check(moments(np.zeros(5), deterministic=True), fresh, fresh_constant=True).passed is passes


@pytest.mark.parametrize(
    ("converted_scale", "passes"),
    [
        pytest.param(0.5, True, id="the same numpy draw passes"),
        pytest.param(0.05, False, id="a draw ten times smaller fails"),
    ],
)
def test_a_numpy_array_baked_into_the_graph_is_one_sample_of_its_distribution(converted_scale, passes):
    """``tf.Variable(rng.randn(4, 8) * 0.5)``: constant in the TF1 graph, drawn anew per Keras construction."""
    rng = np.random.default_rng(5)
    baked = rng.standard_normal(32) * 0.5
    fresh = np.concatenate([rng.standard_normal(32) * converted_scale for _ in range(4)])
    assert initializer_check(moments(baked, deterministic=True), fresh).passed is passes


def test_random_initializers_of_few_values_are_skipped_not_passed_silently():
    check = initializer_check(moments(np.random.default_rng(2).standard_normal(4096)), np.array([0.3, -0.1, 0.7]))
    assert check.skipped and check.passed
    assert "too few" in check.detail
