"""What the RNN behaviour tests share: a TF1 script run in the reference, its conversion, and the
converted script run with every Keras layer filled from the TF1 variables through the manifest."""
from __future__ import annotations

import importlib.util
import re
from pathlib import Path
from typing import Any

import numpy as np
import pytest

import tf1to2
from tf1to2 import relayout
from tf1to2 import rules as registry
from tf1to2.manifest import Unit
from tf1to2.rules import layers_rnn

_SPEC = importlib.util.spec_from_file_location(
    "catalog_reference", Path(__file__).resolve().parents[1] / "catalog" / "catalog_reference.py"
)
catalog_reference = importlib.util.module_from_spec(_SPEC)
_SPEC.loader.exec_module(catalog_reference)

HEADER = """import numpy as np
import tensorflow.compat.v1 as tf
tokens = tf.constant(np.random.RandomState(4).normal(size=(3, 5, 4)).astype(np.float32))
"""
FLATTEN = "result = tf.concat([tf.reshape(t, [-1]) for t in tf.nest.flatten((outputs, state))], 0)\n"


def converted_with_units(text: str, monkeypatch: pytest.MonkeyPatch) -> tuple[str, list[Unit]]:
    """The RNN rule, then the API upgrade: the converted text and its manifest units."""
    api = [p for p in registry.passes() if p.name == "api"][0]
    monkeypatch.setattr(registry, "passes", lambda: [registry.Pass("structure", (layers_rnn,)), api])
    result = tf1to2.convert_source(text, "script.py")
    assert result.status.value == "changed", result.reason
    return result.text, [u for u in result.units if isinstance(u, Unit)]


def run_converted(tf: Any, converted: str, units: list[Unit], layer_names: list[str], variables: dict) -> Any:
    """Run the converted script, fill each Keras layer from the TF1 variables, run it again; its ``result``."""
    namespace: dict = {}
    exec(compile(converted, "converted.py", "exec"), namespace)  # builds every Keras layer
    layers = {v.name: v for v in namespace.values() if isinstance(v, tf.keras.layers.Layer)}
    read = lambda name: np.asarray(variables[name], dtype=np.float32)  # noqa: E731
    loaded = set()
    for name, unit in zip(layer_names, units):
        for weight in unit.weights:
            target = layers[name]
            for part in weight.attribute.split("."):
                target = getattr(target, part)
            if weight.transform is None:
                target.assign(read(weight.tf1_name))
                loaded.add(weight.tf1_name)
                continue
            target.assign(relayout.apply_transform(weight.transform, weight.tf1_name, read))
            loaded |= set(relayout.source_names(weight.transform, weight.tf1_name))
    assert loaded == set(variables), "every TF1 variable is read into a Keras weight"
    rerun = "".join(line for line in converted.splitlines(keepends=True)
                    if not re.match(r"\s*\w+ = tf\.keras\.layers\.", line))
    exec(compile(rerun, "converted.py", "exec"), namespace)
    return np.asarray(namespace["result"])
