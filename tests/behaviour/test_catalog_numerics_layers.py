"""Converted module-level layers compute TF1's numbers, with TF1's variables found under TF1's names.

Each script runs as TF1 in the reference interpreter (every variable set to random values). The
converted script (the layer rules, then the API upgrade) runs here eagerly under Keras 3: a first run
builds the Keras layers; each TF1 variable is then loaded into the layer attribute the plan names for it
(``<TF1 path>/<variable>`` → ``<instance>.<attribute>``), every TF1 variable exactly once; a second run of
the script without the constructor lines gives the result to compare. So the defaults written out
(contrib's ReLU and SAME padding, stride-2 pooling, batch norm epsilon and scale, layer norm epsilon), the
arg_scope defaults, the training flags and TF1's default names are all checked against TF1 itself.
"""
from __future__ import annotations

import importlib.util
import re
from pathlib import Path
from typing import Any

import numpy as np
import pytest

import tf1to2
from tf1to2 import rules as registry
from tf1to2.analysis import syntax
from tf1to2.analysis.module import ModuleContext
from tf1to2.catalog.resolve import resolver
from tf1to2.rules import layers_classes, layers_module_level
from tf1to2.rules.layers_plan import Planner

pytestmark = pytest.mark.requires_tf

_SPEC = importlib.util.spec_from_file_location(
    "catalog_reference", Path(__file__).resolve().parents[1] / "catalog" / "catalog_reference.py"
)
catalog_reference = importlib.util.module_from_spec(_SPEC)
_SPEC.loader.exec_module(catalog_reference)

INPUTS = """
import numpy as np
rng = np.random.RandomState(0)
images = tf.constant(rng.normal(size=(2, 9, 9, 3)).astype(np.float32))
vectors = tf.constant(rng.normal(size=(3, 6)).astype(np.float32))
"""
SCRIPTS = {
    "tf.layers image stack": INPUTS + """
h = tf.layers.conv2d(images, 4, 3, strides=2, activation=tf.nn.relu)
h = tf.layers.max_pooling2d(h, 2, 1, padding="same")
h = tf.layers.batch_normalization(h, training=False)
h = tf.layers.separable_conv2d(h, 5, 2, depth_multiplier=2)
h = tf.layers.conv2d_transpose(h, 3, 2, strides=2)
h = tf.layers.average_pooling2d(h, 2, 2)
h = tf.layers.flatten(h)
h = tf.layers.dense(h, 6, activation=tf.nn.tanh, name="fc")
h = tf.layers.dropout(h, 0.5)
result = tf.layers.dense(h, 3)
""",
    "tf.layers default names, scopes and reuse": INPUTS + """
with tf.variable_scope("tower"):
    a = tf.layers.dense(vectors, 4)
    a = tf.layers.dense(a, 4, activation=tf.nn.relu)
with tf.variable_scope("tower", reuse=True):
    b = tf.layers.dense(2.0 * vectors, 4)
    b = tf.layers.dense(b, 4, activation=tf.nn.relu)
c = tf.layers.dense(vectors, 2)
result = tf.concat([a, b, tf.layers.dense(c, 4)], 1)
""",
    "tf.layers batch norm in training mode": INPUTS + """
h = tf.layers.conv1d(vectors[:, :, None], 3, 2)
h = tf.layers.max_pooling1d(h, 2, 1)
result = tf.layers.batch_normalization(h, training=True, momentum=0.5, epsilon=0.01)
""",
    "contrib layers with their defaults": INPUTS + """
from tensorflow.contrib import layers
h = layers.conv2d(images, 4, [3, 3])
h = layers.max_pool2d(h, [2, 2])
h = layers.conv2d(h, 4, 3, stride=2, normalizer_fn=layers.batch_norm, normalizer_params={"decay": 0.9, "scale": True})
h = layers.conv2d_transpose(h, 3, 3, stride=2)
h = layers.avg_pool2d(h, 2)
h = layers.flatten(h)
h = layers.fully_connected(h, 8)
h = layers.batch_norm(h, is_training=False, scale=True)
h = layers.layer_norm(h)
h = layers.dropout(h, keep_prob=0.5, is_training=False)
result = layers.fully_connected(h, 3, activation_fn=None, scope="logits")
""",
    "slim under arg_scope": INPUTS + """
import tensorflow.contrib.slim as slim
with slim.arg_scope([slim.conv2d, slim.fully_connected], activation_fn=tf.nn.elu):
    with slim.arg_scope([slim.conv2d], padding="VALID", stride=1):
        net = slim.conv2d(images, 4, [3, 3], scope="conv1")
        net = slim.conv2d(net, 4, [3, 3], padding="SAME", scope="conv2")
    net = slim.max_pool2d(net, [2, 2], scope="pool")
    net = slim.flatten(net)
    net = slim.fully_connected(net, 5, scope="fc")
    result = slim.fully_connected(net, 2, activation_fn=None, scope="logits")
""",
    "slim repeat and stack, named and unnamed": INPUTS + """
import tensorflow.contrib.slim as slim
with slim.arg_scope([slim.conv2d], padding="VALID"):
    net = slim.repeat(images, 2, slim.conv2d, 4, [3, 3], scope="conv1")
    net = slim.repeat(net, 2, slim.conv2d, 3, [2, 2])
net = slim.flatten(net)
net = slim.stack(net, slim.fully_connected, [6, (5, tf.nn.tanh)], scope="fc")
result = slim.stack(net, slim.fully_connected, [4, 3])
""",
}
TF1_HEADER = "import tensorflow.compat.v1 as tf\n"


def layer_rules_then_api(text: str, monkeypatch: pytest.MonkeyPatch) -> str:
    """The layer rules alone in the structure pass, then the API upgrade (no session conversion here)."""
    api = [p for p in registry.passes() if p.name == "api"][0]
    monkeypatch.setattr(registry, "passes", lambda: [registry.Pass("structure", (layers_module_level, layers_classes)),
                                                     api])
    result = tf1to2.convert_source(text, "script.py")
    assert result.status.value == "changed", result.reason
    return result.text


def weight_map(text: str) -> dict[str, tuple[str, str]]:
    """TF1 variable name → (instance variable, Keras attribute), from the plan of the original script."""
    module = ModuleContext.parse(text)
    mapping = {}
    for item in Planner(syntax.build(module), set(), resolver(module.imports)).plan():
        assert item.converted, item.reason
        if not item.creates or item.tf1_path is None:
            continue
        for weight in item.layer.weights:
            mapping[f"{item.tf1_path}/{weight.tf1}"] = (item.variable, weight.keras)
        if item.layer.normalizer is not None:
            scope = f"{item.tf1_path}/{item.layer.normalizer.record.default_name}"
            for weight in item.layer.normalizer.weights:
                mapping[f"{scope}/{weight.tf1}"] = (item.normalizer_variable, weight.keras)
    return mapping


@pytest.mark.parametrize("case", [pytest.param(c, id=c) for c in SCRIPTS])
def test_converted_layers_compute_tf1s_result(case: str, tf: Any, monkeypatch: pytest.MonkeyPatch) -> None:
    original = TF1_HEADER + SCRIPTS[case]
    reference = catalog_reference.run("module_script.py", {"script": original, "fetch": "result"})
    if "skipped" in reference:
        pytest.skip(f"needs TF 1.15 (set TF1TO2_REFERENCE_PYTHON): {reference['skipped']}")
    converted = layer_rules_then_api(original, monkeypatch)
    assert "contrib" not in converted and "tf.compat.v1.layers" not in converted, converted
    namespace: dict = {}
    exec(compile(converted, "converted.py", "exec"), namespace)  # builds every Keras layer
    mapping = weight_map(original)
    assert set(mapping) == set(reference["variables"]), "TF1 variable names differ from the planned ones"
    for tf1_name, value in reference["variables"].items():
        instance, attribute = mapping[tf1_name]
        getattr(namespace[instance], attribute).assign(np.asarray(value, np.float32))
    constructors = {instance for instance, _ in mapping.values()}
    rerun = "".join(line for line in converted.splitlines(keepends=True)
                    if not re.match(rf"\s*({'|'.join(map(re.escape, constructors))}) = tf\.keras\.layers\.", line))
    exec(compile(rerun, "converted.py", "exec"), namespace)
    np.testing.assert_allclose(np.asarray(namespace["result"]), np.asarray(reference["result"]), atol=1e-5, rtol=1e-5)
