"""TF1's fused batch norm against the converted Keras BatchNormalization after training steps.

TF1's fused kernel (``tf.layers.batch_normalization`` on 4-D inputs, contrib's ``batch_norm`` on 4-D or
2-D) updates the moving variance with the unbiased batch variance, ``var * n / (n - 1)`` (n values per
channel); Keras 2 and 3 use the biased one. Training-mode outputs and the moving mean are equal; the
moving variance differs by exactly that factor on each update. The size is measured here and the
converter's report states it (``catalog.layers.FUSED_NOTE``); a non-fused TF1 batch norm (3-D input)
matches Keras exactly.
"""
from __future__ import annotations

import importlib.util
from pathlib import Path
from typing import Any

import numpy as np
import pytest

from tf1to2.catalog import layers

pytestmark = pytest.mark.requires_tf

_SPEC = importlib.util.spec_from_file_location(
    "catalog_reference", Path(__file__).resolve().parents[1] / "catalog" / "catalog_reference.py"
)
catalog_reference = importlib.util.module_from_spec(_SPEC)
_SPEC.loader.exec_module(catalog_reference)

STEPS, MOMENTUM = 5, 0.9
IMAGES = np.random.RandomState(5).normal(2.0, 3.0, size=(4, 3, 3, 2)).astype(np.float32)  # n = 36 per channel
SEQUENCES = np.random.RandomState(6).normal(2.0, 3.0, size=(4, 9, 2)).astype(np.float32)
TF1_LAYER = f"tf.layers.batch_normalization(x, training=True, momentum={MOMENTUM})"


def tf1_run(inputs: np.ndarray) -> dict:
    return catalog_reference.run("batch_norm_steps.py", {"inputs": inputs.tolist(), "steps": STEPS, "layer": TF1_LAYER})


def keras_run(tf: Any, inputs: np.ndarray) -> dict:
    """The converted layer (the catalog's constructor for the same TF1 call), called in training mode."""
    record = layers.lookup("tf.layers.batch_normalization")
    code = layers.keras_constructor(record, [(None, "x"), ("momentum", str(MOMENTUM))], tf="tf").code
    layer = eval(code, {"tf": tf})
    for _ in range(STEPS):
        outputs = layer(tf.constant(inputs), training=True)
    return {"outputs": outputs.numpy(), "moving_mean": layer.moving_mean.numpy(),
            "moving_variance": layer.moving_variance.numpy()}


def unbiased_moving_variance(inputs: np.ndarray) -> np.ndarray:
    """What TF1's fused update gives: the moving average of var * n / (n - 1), from 1.0."""
    axes = tuple(range(inputs.ndim - 1))
    n = np.prod([inputs.shape[a] for a in axes])
    batch = inputs.var(axis=axes) * n / (n - 1)
    moving = np.ones_like(batch)
    for _ in range(STEPS):
        moving = moving * MOMENTUM + batch * (1 - MOMENTUM)
    return moving


def test_fused_batch_norm_moving_variance_is_unbiased_and_keras_is_not(tf: Any, summary_lines: list) -> None:
    tf1, keras = tf1_run(IMAGES), keras_run(tf, IMAGES)
    assert tf1["fused"]
    np.testing.assert_allclose(keras["outputs"], tf1["outputs"], rtol=1e-4, atol=1e-4)
    np.testing.assert_allclose(keras["moving_mean"], tf1["moving_mean"], rtol=1e-5, atol=1e-5)
    np.testing.assert_allclose(tf1["moving_variance"], unbiased_moving_variance(IMAGES), rtol=1e-5)
    difference = np.abs(np.asarray(tf1["moving_variance"]) - keras["moving_variance"])
    relative = difference / np.asarray(tf1["moving_variance"])
    if not tf.keras.layers.Layer.__module__.startswith("keras.src.layers"):  # Keras 2 or tf-keras
        # Keras 2 runs TensorFlow's fused kernel, which makes TF1's unbiased update itself.
        assert relative.max() < 1e-5, "Keras 2's fused batch norm should update as TF1's does"
        return
    assert relative.max() > 1e-3, "Keras now matches TF1's unbiased update: the report's note is out of date"
    assert relative.max() <= 1 / 36, "the difference is bounded by 1/n of TF1's value, as the note says"
    summary_lines.append(("fused batch norm", f"moving_variance after {STEPS} steps (n=36, momentum {MOMENTUM}): "
                                              f"TF1 {np.round(tf1['moving_variance'], 4).tolist()} vs Keras "
                                              f"{np.round(keras['moving_variance'], 4).tolist()}, max relative "
                                              f"difference {relative.max():.2%}"))
    assert f"measured {relative.max():.1%} after {STEPS} steps with n=36, momentum {MOMENTUM}" in layers.FUSED_NOTE


def test_non_fused_batch_norm_matches_keras_exactly(tf: Any) -> None:
    tf1, keras = tf1_run(SEQUENCES), keras_run(tf, SEQUENCES)
    assert not tf1["fused"]
    np.testing.assert_allclose(keras["moving_variance"], tf1["moving_variance"], rtol=1e-5, atol=1e-6)
    np.testing.assert_allclose(keras["outputs"], tf1["outputs"], rtol=1e-4, atol=1e-4)
