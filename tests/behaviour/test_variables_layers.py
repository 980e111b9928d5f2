"""Converted layers compute what the TF1 originals computed (Keras 3, eager), with the same variables.

The originals run as TF1 graph code in one subprocess (conftest); here each converted unit is built from
its manifest example, given the TF1 weights through the manifest, and compared: variable set, outputs,
gradients with respect to inputs and weights (1e-5). Shared weights must be one variable: changing it
changes every use.
"""
from __future__ import annotations

import numpy as np
import pytest

import layer_equivalence as harness
from layer_cases import UNITS

pytestmark = pytest.mark.requires_tf


def _units(cases, name):
    case = cases[name]
    return [pytest.param(name, index, id=f"{name} unit {index} ({unit.class_name})") for index, unit in enumerate(case.units)]


ALL_UNITS = UNITS


@pytest.fixture(scope="module")
def converted(cases, tf2):
    loaded = {}
    for name, case in cases.items():
        loaded[name] = harness.load_converted(case.converted)
    return loaded


@pytest.mark.parametrize(
    "name, index",
    [pytest.param(n, i, id=f"{n} unit {i} matches TF1") for n, i in ALL_UNITS],
)
def test_converted_unit_matches_tf1(name, index, cases, tf1, tf2, converted):
    case = cases[name]
    namespace, unexpected = converted[name]
    assert unexpected == []
    record, arrays = tf1[f"{name}#{index}"]
    check = harness.check_unit(tf2, namespace, case.units[index], case.inputs[index], record, arrays)
    assert check.problems == []


@pytest.mark.parametrize(
    "name, index",
    [
        pytest.param("seed004_dense_scope", 0, id="module-level scope: weights exist right after construction"),
        pytest.param("seed004_reuse_variables", 0, id="reused scope: weights exist right after construction"),
        pytest.param("seed004_shared_weights", 1, id="shared matrix: weights exist right after construction"),
        pytest.param("layers_mlp_dicts", 0, id="dicts of tf.Variable: weights exist right after construction"),
        pytest.param("layers_class_variables", 1, id="a class holding variables: weights exist right after construction"),
    ],
)
def test_weights_exist_after_construction(name, index, cases, tf1, tf2, converted):
    case = cases[name]
    namespace, _ = converted[name]
    record, arrays = tf1[f"{name}#{index}"]
    check = harness.check_unit(tf2, namespace, case.units[index], case.inputs[index], record, arrays)
    assert check.built_at_construction


def _perturbed_outputs(tf2, namespace, unit, check, tf1_name):
    before = harness.outputs_of(tf2, namespace, unit, check.instance, check.inputs)
    variable = check.bound[tf1_name]
    variable.assign(np.asarray(variable) + 1.0)
    after = harness.outputs_of(tf2, namespace, unit, check.instance, check.inputs)
    return [not np.allclose(a, b) for a, b in zip(before, after)]


@pytest.mark.parametrize(
    "name, index, weight, changed",
    [
        pytest.param("seed004_reuse_variables", 0, "my_layer/weights", "all", id="scope.reuse_variables: both uses read one matrix"),
        pytest.param("layers_linear_reuse", 0, "fc1/w", "all", id="linear reuse=True: training and evaluation read one matrix"),
        pytest.param(
            "layers_dcgan_discriminator", 0, "discriminator/d_h0_conv/w", "all",
            id="discriminator built twice with reuse: real and generated images go through one set of weights",
        ),
        pytest.param(
            "layers_gpt2", 0, "model/h1/attn/c_attn/w", "all",
            id="transformer built twice with AUTO_REUSE: both graphs read one attention matrix",
        ),
        pytest.param(
            "layers_actor_critic", 0, "model/pi_fc1/w", [True, False, True, False],
            id="policy built twice with reuse: both policies' action logits read one hidden layer, values do not",
        ),
        pytest.param(
            "layers_siamese", 0, "siamese/fc2W", "all",
            id="siamese towers: both inputs go through one set of tower weights",
        ),
        pytest.param(
            "layers_gpt2", 0, "model/wte", "all",
            id="tied embeddings: the token embedding is one weight for lookup and output projection",
        ),
    ],
)
def test_shared_weight_changes_every_use(name, index, weight, changed, cases, tf1, tf2, converted):
    case = cases[name]
    namespace, _ = converted[name]
    record, arrays = tf1[f"{name}#{index}"]
    unit = case.units[index]
    check = harness.check_unit(tf2, namespace, unit, case.inputs[index], record, arrays)
    assert check.problems == []
    found = _perturbed_outputs(tf2, namespace, unit, check, weight)
    assert found == ([True] * len(found) if changed == "all" else changed)


@pytest.mark.parametrize(
    "name, index, weight",
    [
        pytest.param("layers_scope_parameter", 0, "fc1/b", id="a constant looked up by the scope parameter starts as in TF1"),
    ],
)
def test_deterministic_initial_values_match_tf1(name, index, weight, cases, tf1, tf2, converted):
    case = cases[name]
    namespace, _ = converted[name]
    _, arrays = tf1[f"{name}#{index}"]
    unit = case.units[index]
    instance = eval(unit.example.construct, dict(namespace))
    tensors = {n: tf2.constant(v) for n, v in case.inputs[index].items()}
    eval(unit.example.call, dict(namespace), {"unit": instance, **tensors})
    attribute = {w.tf1_name: w.attribute for w in unit.weights}[weight]
    np.testing.assert_allclose(np.asarray(harness.resolve(instance, attribute)), arrays["variable/" + weight])
