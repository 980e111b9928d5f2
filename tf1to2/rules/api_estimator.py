"""Every ``tf.estimator`` import and use is reported: Estimator is absent from TensorFlow 2.16+.

Before:
    estimator = tf.estimator.Estimator(model_fn, model_dir)

After (unchanged; reported):
    tf1to2 reports: tf.estimator.Estimator is absent from TensorFlow >= 2.16

Caveats:
    No automatic conversion: an Estimator's model_fn becomes a Keras model trained with ``model.fit`` or
    a custom loop. Keeping it means pinning TensorFlow <= 2.15 (with tensorflow-estimator).
"""
from __future__ import annotations

from typing import Iterator

import gast

from tf1to2.analysis.module import ModuleContext
from tf1to2.diagnostics import Severity
from tf1to2.rules import api_names
from tf1to2.rules.base import Finding

CODE = "TF422"
SUMMARY = "tf.estimator import or use: absent from TensorFlow >= 2.16"
SEVERITY = Severity.ERROR
MODULES = ("tensorflow.estimator", "tensorflow.compat.v1.estimator", "tensorflow_estimator")
ADVICE = "rewrite the model_fn as a Keras model (model.fit or a training loop), or pin TensorFlow <= 2.15"


def check(module: ModuleContext) -> Iterator[Finding]:
    for node in api_names.nodes(module):
        if isinstance(node, gast.Import):
            for alias in node.names:
                if _is_estimator(alias.name):
                    yield _finding(module, alias, _short(alias.name))
        elif isinstance(node, gast.ImportFrom) and node.module and not node.level:
            names = [f"{node.module}.{a.name}" for a in node.names]
            if any(_is_estimator(n) for n in names):
                yield _finding(module, node, _short(next(n for n in names if _is_estimator(n))))
    for node in api_names.chains(module):
        qualified = module.imports.qualified_name(node)
        if qualified and _is_estimator(qualified):
            yield _finding(module, node, module.snippet(node))


def _is_estimator(qualified: str) -> bool:
    return any(qualified == m or qualified.startswith(m + ".") for m in MODULES)


def _short(qualified: str) -> str:
    return "tf" + qualified[len("tensorflow"):] if qualified.startswith("tensorflow.") else qualified


def _finding(module: ModuleContext, node: gast.AST, name: str) -> Finding:
    line, col = module.position(node)
    return Finding(CODE, line, col, f"{name} is absent from TensorFlow >= 2.16: {ADVICE}")
