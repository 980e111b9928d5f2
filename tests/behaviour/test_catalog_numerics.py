"""The catalog's TF2 code computes TF1's numbers: initializer draws and optimizer steps.

The TF1 side runs in the reference interpreter (TF 1.15 with TF1TO2_REFERENCE_PYTHON, else this
TensorFlow's compat.v1, where contrib cases are skipped), the TF2 side here in eager mode, from the code
text the catalog renders. Each comparison also checks that the naive conversion (Keras' own defaults)
is told apart, so a test that cannot fail would show.
"""
from __future__ import annotations

import ast
import importlib.util
import math
from pathlib import Path
from typing import Any

import numpy as np
import pytest

from tf1to2.catalog import initializers, optimizers

pytestmark = pytest.mark.requires_tf

_SPEC = importlib.util.spec_from_file_location(
    "catalog_reference", Path(__file__).resolve().parents[1] / "catalog" / "catalog_reference.py"
)
catalog_reference = importlib.util.module_from_spec(_SPEC)
_SPEC.loader.exec_module(catalog_reference)

BIG = [1000, 1000]  # a million draws: the std is known to ±0.07 % (1σ)
HUGE = [2000, 2000]  # four million: ±0.035 %, so contrib's 0.29 % truncation difference is 8σ
SQUARE = [400, 400]  # orthogonal matrices: QR of a big one is slow, their moments are nearly exact anyway
INITIALIZERS = [
    ("random normal default", "tf.random_normal_initializer", "", BIG),
    ("random normal given", "tf.random_normal_initializer", "0.5, 0.02", BIG),
    ("truncated normal default", "tf.truncated_normal_initializer", "", BIG),
    ("random uniform default", "tf.random_uniform_initializer", "", BIG),
    ("random uniform given", "tf.random_uniform_initializer", "-0.1, 0.3", BIG),
    ("glorot uniform", "tf.glorot_uniform_initializer", "", BIG),
    ("glorot normal", "tf.glorot_normal_initializer", "", BIG),
    ("variance scaling default", "tf.variance_scaling_initializer", "", BIG),
    ("variance scaling TF1 normal", "tf.variance_scaling_initializer", "2.0, distribution='normal'", BIG),
    ("variance scaling fan_avg uniform", "tf.variance_scaling_initializer", "mode='fan_avg', distribution='uniform'", BIG),
    ("uniform unit scaling", "tf.uniform_unit_scaling_initializer", "1.43", BIG),
    ("orthogonal", "tf.orthogonal_initializer", "", SQUARE),
    ("he normal", "tf.initializers.he_normal", "", BIG),
    ("lecun uniform", "tf.initializers.lecun_uniform", "", BIG),
    ("contrib xavier uniform", "tf.contrib.layers.xavier_initializer", "", BIG),
    ("contrib xavier normal", "tf.contrib.layers.xavier_initializer", "uniform=False", HUGE),
    ("contrib variance scaling default", "tf.contrib.layers.variance_scaling_initializer", "", HUGE),
    ("contrib variance scaling fan_avg", "tf.contrib.layers.variance_scaling_initializer", "1.0, 'FAN_AVG', False", BIG),
    ("contrib variance scaling uniform", "tf.contrib.layers.variance_scaling_initializer", "factor=3.0, uniform=True", BIG),
]
# Naive conversions (what a rename alone gives): they must be told apart from TF1.
NAIVE_INITIALIZERS = {
    "random normal default": "tf.keras.initializers.RandomNormal()",
    "random uniform default": "tf.keras.initializers.RandomUniform()",
    "contrib xavier normal": "tf.keras.initializers.GlorotNormal()",
    "contrib variance scaling default": 'tf.keras.initializers.VarianceScaling(2.0, "fan_in", "truncated_normal")',
}


def call_pairs(arguments: str) -> list:
    call = ast.parse(f"f({arguments})", mode="eval").body
    source = f"f({arguments})"
    return [(None, ast.get_source_segment(source, a)) for a in call.args] + [
        (k.arg, ast.get_source_segment(source, k.value)) for k in call.keywords
    ]


def tf1_source(api: str, arguments: str) -> str:
    return api.replace("tf.contrib.layers.", "contrib_layers.") + f"({arguments})"


def moments(values: Any) -> dict:
    values = np.asarray(values, dtype=np.float64).ravel()
    centered = (values - values.mean()) / values.std()
    return {"mean": values.mean(), "std": values.std(), "kurtosis": float((centered ** 4).mean()),
            "max_abs": float(np.abs(values).max()), "count": values.size}


def moment_differences(tf1: dict, tf2: dict) -> list[str]:
    """What differs beyond sampling error (5σ); bounds compared only for bounded distributions."""
    n = tf1["count"]
    problems = []
    if abs(tf1["mean"] - tf2["mean"]) > 5 * tf1["std"] / math.sqrt(n) + 1e-9:
        problems.append(f"mean {tf1['mean']:.6g} vs {tf2['mean']:.6g}")
    relative = abs(tf1["std"] - tf2["std"]) / tf1["std"]
    if relative > 5 * math.sqrt((tf1["kurtosis"] - 1) / (4 * n)) + 1e-6:
        problems.append(f"std {tf1['std']:.6g} vs {tf2['std']:.6g} ({relative:.3%})")
    if abs(tf1["kurtosis"] - tf2["kurtosis"]) > 5 * math.sqrt(24 / n) + 0.01:
        problems.append(f"kurtosis {tf1['kurtosis']:.4f} vs {tf2['kurtosis']:.4f}")
    bounded = tf1["kurtosis"] < 2.9
    if bounded and abs(tf1["max_abs"] - tf2["max_abs"]) / tf1["max_abs"] > 0.01:
        problems.append(f"max |x| {tf1['max_abs']:.6g} vs {tf2['max_abs']:.6g}")
    return problems


@pytest.fixture(scope="module")
def tf1_initializer_moments() -> dict:
    cases = [{"id": case, "expr": tf1_source(api, args), "shape": shape} for case, api, args, shape in INITIALIZERS]
    return catalog_reference.run("initializer_samples.py", cases)


def draw(tf: Any, code: str, shape: list) -> dict:
    return moments(eval(code, {"tf": tf})(shape).numpy())


@pytest.mark.parametrize(("case", "api", "arguments", "shape"), [pytest.param(*c, id=c[0]) for c in INITIALIZERS])
def test_initializer_draws_like_tf1(case: str, api: str, arguments: str, shape: list, tf: Any,
                                   tf1_initializer_moments: dict) -> None:
    reference = tf1_initializer_moments[case]
    if reference is None:
        pytest.skip("contrib needs TF 1.15 (set TF1TO2_REFERENCE_PYTHON)")
    rendered = initializers.render(initializers.lookup(api), call_pairs(arguments))
    assert not rendered.unmapped
    assert moment_differences(reference, draw(tf, rendered.code, shape)) == [], rendered.code
    if case in NAIVE_INITIALIZERS:
        assert moment_differences(reference, draw(tf, NAIVE_INITIALIZERS[case], shape)), "naive conversion not detected"


START = [1.0, -2.0, 0.5, 3.0, -1.5]
CURVATURE = [1e-6, 1e-4, 1e-2, 1.0, 3.0]  # tiny gradients expose epsilons, big ones the step rules
STEPS = 20
# float64 on both sides: in float32 the fused TF1 kernels and Keras' composed ops round differently
# (up to 5e-6 after 20 Adam steps), which would hide the 1e-6 comparison.
DTYPE = "float64"
OPTIMIZERS = [
    ("gradient descent", "tf.train.GradientDescentOptimizer", "0.1"),
    ("momentum", "tf.train.MomentumOptimizer", "0.05, 0.9"),
    ("momentum nesterov", "tf.train.MomentumOptimizer", "0.05, 0.9, use_nesterov=True"),
    ("adam default", "tf.train.AdamOptimizer", ""),
    # TF1 keeps beta1_power / beta2_power as float32 running products whatever the weights' dtype, so its
    # bias correction carries float32 rounding (1.3e-6 after 20 steps of 0.05 even with betas exact in
    # float32). Steps of 0.01 keep that below the tolerance; the other hyperparameters are all changed.
    ("adam", "tf.train.AdamOptimizer", "0.01, beta1=0.75, beta2=0.9990234375, epsilon=1e-6"),
    ("rmsprop", "tf.train.RMSPropOptimizer", "0.01"),
    ("rmsprop momentum centered", "tf.train.RMSPropOptimizer", "0.01, momentum=0.9, centered=True"),
    ("adagrad", "tf.train.AdagradOptimizer", "0.1"),
    ("adadelta", "tf.train.AdadeltaOptimizer", "1.0"),
    ("ftrl", "tf.train.FtrlOptimizer", "0.1"),
    ("ftrl regularized", "tf.train.FtrlOptimizer",
     "0.1, l1_regularization_strength=0.01, l2_regularization_strength=0.1"),
]
# Keras' Adagrad epsilon (1e-7 inside the square root of an accumulator >= 0.1) moves no weight by 1e-6:
# "negligible" in NUMERICS.md, so there is no naive Adagrad to tell apart.
NAIVE_OPTIMIZERS = {
    "adam default": "tf.keras.optimizers.Adam(0.001)",
    "rmsprop": "tf.keras.optimizers.RMSprop(0.01)",
    "adadelta": "tf.keras.optimizers.Adadelta(1.0)",
}


@pytest.fixture(scope="module")
def tf1_trajectories() -> dict:
    cases = [{"id": case, "expr": f"{api}({arguments})"} for case, api, arguments in OPTIMIZERS]
    return catalog_reference.run("optimizer_steps.py", {"start": START, "curvature": CURVATURE, "steps": STEPS,
                                                        "dtype": DTYPE, "cases": cases})


def trajectory(tf: Any, code: str, after_build: str | None) -> np.ndarray:
    optimizer = eval(code, {"tf": tf})
    w = tf.Variable(START, dtype=DTYPE)
    curvature = tf.constant(CURVATURE, DTYPE)
    optimizer.build([w])
    if after_build:
        exec(after_build, {"tf": tf, "optimizer": optimizer})
    found = []
    for _ in range(STEPS):
        with tf.GradientTape() as tape:
            loss = 0.5 * tf.reduce_sum(curvature * tf.square(w))
        optimizer.apply_gradients([(tape.gradient(loss, w), w)])
        found.append(w.numpy().copy())
    return np.array(found)


@pytest.mark.parametrize(("case", "api", "arguments"), [pytest.param(*c, id=c[0]) for c in OPTIMIZERS])
def test_optimizer_steps_like_tf1(case: str, api: str, arguments: str, tf: Any, tf1_trajectories: dict) -> None:
    reference = np.array(tf1_trajectories[case])
    rendered = optimizers.render(optimizers.lookup(api), call_pairs(arguments))
    assert not rendered.unmapped
    converted = trajectory(tf, rendered.code, rendered.after_build)
    assert np.abs(converted - reference).max() <= 1e-6, rendered.code
    if case in NAIVE_OPTIMIZERS:
        naive = trajectory(tf, NAIVE_OPTIMIZERS[case], None)
        assert np.abs(naive - reference).max() > 1e-6, "naive conversion not detected"
