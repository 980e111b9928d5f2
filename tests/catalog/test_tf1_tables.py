"""The catalog's TF1 side checked against TF1 itself: signatures, defaults and default layer names.

One reference process answers everything (TF 1.15 when TF1TO2_REFERENCE_PYTHON names it; otherwise
tf.compat.v1 of the installed TF, where contrib does not exist and its records are skipped).
"""
from __future__ import annotations

import ast
from typing import Any, Optional

import pytest

import catalog_reference
from tf1to2.catalog import initializers, layers, names, optimizers, regularizers, rnn
from tf1to2.catalog.records import REQUIRED

pytestmark = pytest.mark.requires_tf

TABLES = {
    "layers": layers.RECORDS,
    "initializers": initializers.RECORDS,
    "optimizers": optimizers.RECORDS,
    "regularizers": regularizers.RECORDS,
    "rnn cells": rnn.RECORDS,
}
# Non-literal TF1 defaults, by what the reference script reports, and the catalog text meaning the same.
OBJECT_DEFAULTS = {
    "Zeros": "zeros",
    "Ones": "ones",
    "_initializer": "xavier_initializer()",  # contrib's variance_scaling_initializer closure
    "relu": "relu",
    "tf.float32": "tf.float32",
}
# Where the catalog writes TF1's effective value instead of the signature's placeholder.
EFFECTIVE_DEFAULTS = {
    ("tf.random_uniform_initializer", "maxval"): "None means 1.0 for floating point dtypes",
    ("tf.initializers.random_uniform", "maxval"): "None means 1.0 for floating point dtypes",
    ("tf.contrib.layers.batch_norm", "updates_collections"): "the string 'update_ops' is tf.GraphKeys.UPDATE_OPS",
}
# Layer steps for the naming check: scopes reopened, explicit names taking a default name's slot.
NAMING = [
    ["layer", "tf.layers.dense", None],
    ["layer", "tf.layers.dense", None],
    ["scope", "dense_2", False, []],
    ["layer", "tf.layers.dense", None],
    ["layer", "tf.layers.dense", "dense_4"],
    ["layer", "tf.layers.dense", None],
    ["layer", "tf.layers.batch_normalization", None],
    ["scope", "block", False, [
        ["layer", "tf.layers.dense", None],
        ["layer", "tf.contrib.layers.fully_connected", None],
        ["layer", "tf.contrib.layers.fully_connected", None],
        ["layer", "tf.contrib.layers.conv2d", None],
        ["layer", "tf.contrib.layers.batch_norm", None],
        ["layer", "tf.contrib.layers.layer_norm", None],
        ["scope", "inner", False, [["layer", "tf.layers.dense", None]]],
        ["layer", "tf.layers.dense", None],
    ]],
    ["scope", "block", True, [
        ["layer", "tf.layers.dense", None],
        ["layer", "tf.contrib.layers.fully_connected", None],
    ]],
]


@pytest.fixture(scope="module")
def reference() -> dict:
    apis = sorted({api for table in TABLES.values() for api in table})
    return catalog_reference.run("signatures.py", {"apis": apis, "naming": NAMING})


def _records() -> list:
    return [
        pytest.param(record, id=f"{table}: {api}")
        for table, records in TABLES.items()
        for api, record in sorted(records.items())
        if record.keras_class is not None  # no Keras equivalent: nothing to map, no parameters listed
    ]


def same_default(catalog: Optional[str], tf1: Optional[list]) -> bool:
    if tf1 is None:
        return catalog == REQUIRED
    kind, text = tf1
    if kind == "object":
        expected = OBJECT_DEFAULTS.get(text)
        return expected is not None and (catalog == expected or _literal(catalog) == expected)
    value = _literal(catalog)
    return value is not _NOT_LITERAL and value == ast.literal_eval(text)


_NOT_LITERAL = object()


def _literal(text: Optional[str]) -> Any:
    try:
        return ast.literal_eval(text or "")
    except (ValueError, SyntaxError):
        return _NOT_LITERAL


@pytest.mark.parametrize("record", _records())
def test_catalog_lists_the_tf1_signature_in_order_with_its_defaults(record: Any, reference: dict) -> None:
    signature = reference["signatures"][record.api]
    if signature is None:
        assert record.api.startswith("tf.contrib."), f"{record.api} does not exist in TF {reference['tf_version']}"
        pytest.skip(f"{record.api} needs TF 1.15 (set TF1TO2_REFERENCE_PYTHON)")
    if not reference["tf_version"].startswith("1."):
        signature = signature[: len(record.params)]  # later TF versions appended parameters TF 1.15 lacks
    assert [p.tf1 for p in record.params] == [name for name, _ in signature]
    wrong = [
        (param.tf1, param.default, default)
        for param, (_, default) in zip(record.params, signature)
        if (record.api, param.tf1) not in EFFECTIVE_DEFAULTS and not same_default(param.default, default)
    ]
    assert not wrong, f"defaults differ from TF1 (param, catalog, TF1): {wrong}"


def predicted_names(steps: list, prefix: str = "") -> list[str]:
    scope = names.ScopeNames()
    found = []
    for step in steps:
        if step[0] == "layer":
            record = layers.lookup(step[1])
            found.append(prefix + (scope.opened(step[2]) if step[2] else scope.default(record.default_name)))
        else:
            scope.opened(step[1])
            found += predicted_names(step[3], f"{prefix}{step[1]}/")
    return found


def test_default_layer_names_follow_tf1s_uniquifying_rule(reference: dict) -> None:
    assert predicted_names(reference["naming_steps"]) == reference["naming"]
    if reference["has_contrib"]:
        assert "block/fully_connected_1" in reference["naming"] and "block/BatchNorm" in reference["naming"]
